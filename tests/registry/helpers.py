"""Helpers shared by the registry tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from bonafide.registry import ImportReport, RegistryStore, StoreSettings
from bonafide.registry.importer import reject_purpose
from tests.vaults import vault_for

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
    vault = vault_for(report.reject_file.parents[1])
    text = bytes(vault.sealer.read(report.reject_file, reject_purpose(report.reject_file)))
    return list(csv.DictReader(io.StringIO(text.decode("utf-8"), newline="")))


def record_count(store: RegistryStore, kind: str = "identity") -> int:
    return int(store.scalar("test count", f"SELECT count(*) FROM registry_{kind}"))
