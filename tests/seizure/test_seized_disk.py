"""The seized disk: for a data directory an office made, no name, number or address of any
applicant or registry can be read from any file bonafide wrote — as bytes, or through the
engine that wrote it, without the key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.ipc as ipc
import pytest

from tests.seizure.conftest import Office
from tests.seizure.scan import dump_json, found_in


def test_the_scan_finds_plain_text(office: Office, tmp_path: Path) -> None:
    """The scan itself works: a file holding one personal value is caught."""
    planted = tmp_path / "planted"
    planted.mkdir()
    value = sorted(office.values)[len(office.values) // 2]
    (planted / "leak.bin").write_bytes(b"\x00\x01" + value.encode("utf-8") + b"\x02")
    assert found_in(planted, set(office.values)) == {str(planted / "leak.bin"): [value]}


def test_no_personal_value_in_any_byte(office: Office) -> None:
    files = [p for p in office.data_dir.rglob("*") if p.is_file()]
    assert len(files) >= 15  # store, persons files, cases, audit, rejects, keys
    hits = found_in(office.data_dir, set(office.values))
    assert not hits, dump_json(hits)


def test_nothing_is_written_outside_the_data_directory(office: Office) -> None:
    assert list(office.outside.rglob("*")) == []


def test_no_scratch_or_partial_file_is_left(office: Office) -> None:
    leftovers = list((office.data_dir / "tmp").rglob("*"))
    assert leftovers == []
    assert not [p for p in office.data_dir.rglob("*") if ".partial" in p.name]


def test_the_registry_store_does_not_open_without_the_key(office: Office) -> None:
    with pytest.raises(duckdb.Error, match="encrypted"):
        duckdb.connect(str(office.data_dir / "registries.duckdb"), read_only=True)


@pytest.mark.parametrize("name", ["cases.sqlite", "audit.sqlite"])
def test_sqlite_files_hold_only_sealed_values(office: Office, name: str) -> None:
    connection = sqlite3.connect(office.data_dir / name)
    texts = []
    for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in connection.execute(f'SELECT * FROM "{table}"'):
            texts += [v for v in row if isinstance(v, str)]
    connection.close()
    # the only text columns are the kind of an applicant key ('person', 'document', 'name')
    assert set(texts) <= {"person", "document", "name"}


def test_persons_files_are_not_readable_as_arrow(office: Office) -> None:
    sealed = list((office.data_dir / "persons").rglob("*.arrow"))
    assert len(sealed) >= 6
    for path in sealed:
        with pytest.raises(pa.ArrowInvalid):
            ipc.open_file(pa.memory_map(str(path))).read_all()


def test_reject_files_are_sealed(office: Office) -> None:
    rejects = list((office.data_dir / "rejects").glob("*.csv"))
    assert rejects
    for path in rejects:
        assert path.read_bytes().startswith(b"bonafide-sealed1")


def test_files_are_for_the_owner_only(office: Office) -> None:
    assert office.data_dir.stat().st_mode & 0o077 == 0
    for name in ("vault.keys", "cases.sqlite", "audit.sqlite"):
        assert (office.data_dir / name).stat().st_mode & 0o077 == 0, name
