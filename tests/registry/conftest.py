from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from bonafide.registry import (
    ColumnMapping,
    ImportReport,
    RegistryStore,
    StoreSettings,
    import_registry,
)

# Small limits keep the tests light on a 2-core machine.
TEST_SETTINGS = StoreSettings(memory_limit="1GB", threads=2)

ImportFile = Callable[..., ImportReport]


def csv_text(rows: Sequence[Sequence[str]], delimiter: str = ",") -> str:
    """Rows written as CSV the way a careful exporter would (quotes where needed)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[RegistryStore]:
    with RegistryStore.open(data_dir, TEST_SETTINGS) as opened:
        yield opened


@pytest.fixture
def import_file(store: RegistryStore, tmp_path: Path) -> ImportFile:
    """Write `text` (or bytes) to a file named `name` and import it."""

    def run(
        name: str,
        content: str | bytes,
        kind: str = "identity",
        mapping: ColumnMapping | None = None,
        **options: object,
    ) -> ImportReport:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return import_registry(store, path, kind, mapping, **options)  # type: ignore[arg-type]

    return run


def rejects(report: ImportReport) -> list[dict[str, str]]:
    """The rows of an import's reject file."""
    if report.reject_file is None:
        return []
    with report.reject_file.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def record_count(store: RegistryStore, kind: str = "identity") -> int:
    return int(store.scalar("test count", f"SELECT count(*) FROM registry_{kind}"))
