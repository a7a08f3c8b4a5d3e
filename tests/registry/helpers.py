"""Helpers shared by the registry tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from bonafide.registry import ImportReport, RegistryStore, StoreSettings

# Small limits keep the tests light on a 2-core machine.
TEST_SETTINGS = StoreSettings(memory_limit="1GB", threads=2)

ImportFile = Callable[..., ImportReport]


def csv_text(rows: Sequence[Sequence[str]], delimiter: str = ",") -> str:
    """Rows written as CSV the way a careful exporter would (quotes where needed)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def rejects(report: ImportReport) -> list[dict[str, str]]:
    """The rows of an import's reject file."""
    if report.reject_file is None:
        return []
    with report.reject_file.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def record_count(store: RegistryStore, kind: str = "identity") -> int:
    return int(store.scalar("test count", f"SELECT count(*) FROM registry_{kind}"))
