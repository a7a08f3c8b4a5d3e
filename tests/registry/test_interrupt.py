"""An interrupted import leaves the store exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import bonafide
from bonafide.errors import SourceFormatError
from bonafide.registry import (
    ImportPhase,
    ImportProgress,
    RegistryStore,
    import_registry,
)
from tests.vaults import vault_for

from .helpers import TEST_SETTINGS, csv_text

BIG_ROWS = 200_000  # several Parquet batches, so the kill lands between two


def write_people(path: Path, rows: int, offset: int = 0) -> Path:
    numbers = range(offset, offset + rows)
    pq.write_table(
        pa.table(
            {
                "surname": [f"Иванов{i}" for i in numbers],
                "given_name": ["Иван"] * rows,
                "birth_date": [
                    f"{1 + i % 28:02d}.01.1990" if i % 10 else "31.02.1990" for i in numbers
                ],
            }
        ),
        path,
    )
    return path


def snapshot(data_dir: Path) -> dict[str, Any]:
    with RegistryStore.open(vault_for(data_dir), TEST_SETTINGS) as store:
        tables = {
            table: store.scalar("test", f"SELECT count(*) FROM {table}")
            for table in ("registry_identity", "imports", "import_issues", "schema_version")
        }
        imports = store.execute("test", "SELECT * FROM imports ORDER BY import_id")
    rejects = sorted(p.name for p in (data_dir / "rejects").glob("*") if p.suffix == ".csv")
    return {"tables": tables, "imports": imports, "rejects": rejects}


@pytest.fixture
def imported_once(data_dir: Path, tmp_path: Path) -> dict[str, Any]:
    """A store holding one committed import, and a snapshot of it."""
    with RegistryStore.open(vault_for(data_dir), TEST_SETTINGS) as store:
        report = import_registry(store, write_people(tmp_path / "first.parquet", 50), "identity")
    assert report.rows_added == 45
    return snapshot(data_dir)


@pytest.mark.parametrize("phase", list(ImportPhase))
def test_keyboard_interrupt_from_progress_changes_nothing(
    data_dir: Path, tmp_path: Path, imported_once: dict[str, Any], phase: ImportPhase
) -> None:
    second = write_people(tmp_path / "second.parquet", 1000, offset=10_000)

    def interrupt(update: ImportProgress) -> None:
        if update.phase is phase:
            raise KeyboardInterrupt

    with RegistryStore.open(vault_for(data_dir), TEST_SETTINGS) as store:
        with pytest.raises(KeyboardInterrupt):
            import_registry(store, second, "identity", progress=interrupt)
        # the same connection is still usable, and the same import then succeeds
        assert store.scalar("test", "SELECT count(*) FROM imports") == 1
        report = import_registry(store, second, "identity")
    assert report.import_id == 2
    assert report.rows_added == 900
    after = snapshot(data_dir)
    assert (
        after["tables"]["registry_identity"] == imported_once["tables"]["registry_identity"] + 900
    )
    assert after["rejects"] == ["identity-1.csv", "identity-2.csv"]


def test_failing_source_changes_nothing(
    data_dir: Path, tmp_path: Path, imported_once: dict[str, Any]
) -> None:
    path = tmp_path / "bad.csv"
    rows = [["surname", "given_name", "birth_date"]] + [["Иванов", "Иван", "1990"]] * 10
    path.write_bytes(csv_text(rows).encode() + b"x," + b"y" * (40 << 20) + b"\n")
    with (
        RegistryStore.open(vault_for(data_dir), TEST_SETTINGS) as store,
        pytest.raises(SourceFormatError, match="after data row 10, a line is longer"),
    ):
        import_registry(store, path, "identity")
    assert snapshot(data_dir) == imported_once


REPOSITORY = Path(__file__).resolve().parents[2]  # where `tests` is importable from

_CHILD = """
import sys, time
from pathlib import Path
from bonafide.registry import RegistryStore, StoreSettings, import_registry
from tests.vaults import vault_for

data_dir, file, phase = sys.argv[1:]

def hold(update):
    if update.phase.value == phase and (phase != "reading" or update.rows_read > 65536):
        print("ready", flush=True)
        time.sleep(120)

settings = StoreSettings(memory_limit="1GB", threads=2)
with RegistryStore.open(vault_for(Path(data_dir)), settings) as store:
    import_registry(store, Path(file), "identity", progress=hold)
"""


@pytest.mark.slow
@pytest.mark.parametrize("phase", [ImportPhase.READING, ImportPhase.COMMITTING])
def test_sigkill_mid_import_changes_nothing(
    data_dir: Path, tmp_path: Path, imported_once: dict[str, Any], phase: ImportPhase
) -> None:
    big = write_people(tmp_path / "big.parquet", BIG_ROWS, offset=10_000)
    source_dir = Path(bonafide.__file__).resolve().parents[1]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(source_dir), str(REPOSITORY), os.environ.get("PYTHONPATH", "")]
        ),
    }
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(data_dir), str(big), phase.value],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == "ready\n", child.stderr.read() if child.stderr else ""
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout:
            child.stdout.close()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    assert snapshot(data_dir) == imported_once
    # and the store takes the import afterwards
    with RegistryStore.open(vault_for(data_dir), TEST_SETTINGS) as store:
        report = import_registry(store, big, "identity")
    assert (report.import_id, report.rows_added) == (2, BIG_ROWS * 9 // 10)
    assert not list((data_dir / "rejects").glob("*.partial"))


_CHILD_CTRL_C = """
import signal, sys, threading
from pathlib import Path
from bonafide.registry import RegistryStore, StoreSettings, import_registry
from tests.vaults import vault_for

data_dir, file, phase = sys.argv[1:]
sent = False
# a background job's children start with SIGINT ignored, and then Python installs no handler
signal.signal(signal.SIGINT, signal.default_int_handler)

def press_ctrl_c(update):
    global sent
    if update.phase.value == phase and not sent:
        sent = True
        if threading.current_thread() is threading.main_thread():
            # to this thread (os.kill may hand it to one of DuckDB's): Ctrl-C lands here
            signal.raise_signal(signal.SIGINT)
        else:
            # reading runs in DuckDB's thread; a signal sent from there reaches the main thread
            # only at DuckDB's next check of it, which a loaded machine can delay past the end
            # of a small import: raise what a Ctrl-C raises, where the reading meets it
            raise KeyboardInterrupt

settings = StoreSettings(memory_limit="1GB", threads=2)
with RegistryStore.open(vault_for(Path(data_dir)), settings) as store:
    try:
        import_registry(store, Path(file), "identity", progress=press_ctrl_c)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
print("not interrupted", flush=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("phase", [ImportPhase.READING, ImportPhase.WRITING])
def test_ctrl_c_mid_import_changes_nothing(
    data_dir: Path, tmp_path: Path, imported_once: dict[str, Any], phase: ImportPhase
) -> None:
    big = write_people(tmp_path / "big.parquet", BIG_ROWS, offset=10_000)
    source_dir = Path(bonafide.__file__).resolve().parents[1]
    path = os.pathsep.join([str(source_dir), str(REPOSITORY), os.environ.get("PYTHONPATH", "")])
    child = subprocess.run(
        [sys.executable, "-c", _CHILD_CTRL_C, str(data_dir), str(big), phase.value],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": path},
        text=True,
        timeout=120,
        check=False,
    )
    assert (child.returncode, child.stdout) == (130, "interrupted\n"), child.stderr
    assert snapshot(data_dir) == imported_once
