"""Import a registry file into the store: all of it, in one transaction, or nothing.

Every data row ends up in exactly one of: added, duplicate within the file, already present,
rejected. `import_registry` checks that the four add up to the rows read before it commits;
every reject, warning and duplicate is written to `import_issues` and to the reject file
`<data-dir>/rejects/<kind>-<import id>.csv`, which appears only once the import is committed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from types import TracebackType

import pyarrow.csv as pacsv

from bonafide.errors import StoreError
from bonafide.registry.mapping import (
    ColumnMapping,
    ResolvedMapping,
    SourceFormat,
    SourceOptions,
    resolve_mapping,
)
from bonafide.registry.plan import (
    FIRST_ISSUES,
    INSERT_IMPORT,
    NEXT_IMPORT_ID,
    READER_ISSUES,
    SAME_FILE_IMPORTS,
    SOURCE,
    ImportPlan,
    plan_import,
    select_issues,
)
from bonafide.registry.schema import Kind, kind_schema
from bonafide.registry.sources import SourceInfo, inspect_source
from bonafide.registry.store import RegistryStore
from bonafide.registry.stream import SourceStream

__all__ = [
    "ImportIssue",
    "ImportPhase",
    "ImportProgress",
    "ImportReport",
    "ProgressCallback",
    "import_registry",
]

logger = logging.getLogger(__name__)

_SHOWN_ISSUES = 10


class ImportPhase(StrEnum):
    SCANNING = "scanning"  # checksum and encoding check
    READING = "reading"  # reading and normalising the rows
    CHECKING = "checking"  # duplicates, rows already present, issues
    WRITING = "writing"  # records, issues, reject file
    COMMITTING = "committing"


@dataclass(frozen=True)
class ImportProgress:
    phase: ImportPhase
    bytes_done: int
    bytes_total: int
    rows_read: int


ProgressCallback = Callable[[ImportProgress], None]


@dataclass(frozen=True)
class ImportIssue:
    row: int
    field: str | None
    severity: str  # reject | warning | duplicate
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did. rows_read == added + duplicate_in_file + already_present + rejected."""

    import_id: int
    kind: Kind
    file: Path
    format: SourceFormat
    encoding: str | None
    encoding_detected: bool
    delimiter: str | None
    mapped: tuple[tuple[str, str], ...]  # (canonical field, source column)
    unmapped_columns: tuple[str, ...]
    rows_read: int
    rows_added: int
    rows_duplicate_in_file: int
    rows_already_present: int
    rows_rejected: int
    warnings: int
    first_issues: tuple[ImportIssue, ...]
    reject_file: Path | None
    notes: tuple[str, ...]
    earlier_imports_of_file: tuple[int, ...]
    seconds: float


def import_registry(
    store: RegistryStore,
    file: Path,
    kind: Kind | str,
    mapping: ColumnMapping | None = None,
    *,
    source: SourceOptions | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import `file` as a registry of `kind`; `source` options win over the mapping's."""
    clock, started_at = time.perf_counter(), _utc_now()
    schema = kind_schema(kind)
    options = (mapping.source if mapping else SourceOptions()).overridden_by(
        source or SourceOptions()
    )
    notify = _Notifier(progress)
    info = inspect_source(file, options, notify.scanned)
    notify.total = info.size
    resolved = resolve_mapping(mapping, schema, info.columns, file)
    plan = plan_import(resolved)
    with (
        SourceStream(info, resolved, store.vault, notify.read) as stream,
        _RejectFile(store) as rejects,
    ):
        with store.transaction():
            import_id = int(store.scalar("next import id", NEXT_IMPORT_ID))
            earlier = store.execute("same file", SAME_FILE_IMPORTS, [info.sha256, schema.kind])
            counts = _load(store, plan, stream, notify)
            partial = rejects.claim(f"{schema.kind.value}-{import_id}") if counts.issues else None
            shown = _write(store, plan, counts, import_id, partial)
            row = _import_row(import_id, info, resolved, counts, started_at)
            store.execute("record import", INSERT_IMPORT, row)
            for statement in plan.drop_temporary:
                store.execute("drop temporary tables", statement)
            notify(ImportPhase.COMMITTING, stream.rows_read)
        reject_file = rejects.publish()
    logger.info(
        "import %d of kind %s: read %d, added %d, duplicate %d, present %d, rejected %d, "
        "warnings %d",
        *(import_id, schema.kind.value, counts.read, counts.added, counts.duplicate),
        *(counts.present, counts.rejected, counts.warnings),
    )
    return ImportReport(
        import_id=import_id,
        kind=schema.kind,
        file=file,
        format=info.format,
        encoding=info.encoding,
        encoding_detected=info.encoding_detected,
        delimiter=info.delimiter,
        mapped=resolved.fields,
        unmapped_columns=resolved.unmapped,
        rows_read=counts.read,
        rows_added=counts.added,
        rows_duplicate_in_file=counts.duplicate,
        rows_already_present=counts.present,
        rows_rejected=counts.rejected,
        warnings=counts.warnings,
        first_issues=shown,
        reject_file=reject_file,
        notes=info.notes,
        earlier_imports_of_file=tuple(int(i) for (i,) in earlier),
        seconds=time.perf_counter() - clock,
    )


@dataclass(frozen=True)
class _Counts:
    read: int
    added: int
    duplicate: int
    present: int
    rejected: int
    warnings: int
    issues: int


def _load(
    store: RegistryStore, plan: ImportPlan, stream: SourceStream, notify: _Notifier
) -> _Counts:
    """Read and normalise the rows, classify them and check that the counts add up."""
    try:
        with store.scanning(SOURCE, stream.batches()):
            store.execute("read and normalise", plan.create_norm)
    except (StoreError, KeyboardInterrupt):
        stream.raise_if_failed()
        raise
    stream.raise_if_failed()
    notify(ImportPhase.CHECKING, stream.rows_read)
    store.execute("find first of each record", plan.create_keys)
    store.execute("find records already present", plan.create_added)
    store.execute("create issues", plan.create_issues)
    with store.scanning(READER_ISSUES, stream.issues()):
        store.execute("record unreadable rows", plan.insert_reader_issues)
    store.execute("record rejected rows", plan.insert_rejects)
    store.execute("record duplicates", plan.insert_duplicates)
    store.execute("record warnings", plan.insert_warnings)
    staged, staged_rejected, keys, added, rejected, warnings, duplicates = store.execute(
        "count", plan.counts
    )[0]
    counts = _Counts(
        read=stream.rows_read,
        added=added,
        duplicate=staged - staged_rejected - keys,
        present=keys - added,
        rejected=rejected,
        warnings=warnings,
        issues=rejected + warnings + duplicates,
    )
    total = counts.added + counts.duplicate + counts.present + counts.rejected
    if total != counts.read or counts.duplicate != duplicates:
        raise _count_error(
            f"read {counts.read}, but added {counts.added} + duplicate {counts.duplicate} + "
            f"already present {counts.present} + rejected {counts.rejected} = {total} "
            f"({duplicates} duplicate issues)"
        )
    notify(ImportPhase.WRITING, stream.rows_read)
    return counts


def _write(
    store: RegistryStore, plan: ImportPlan, counts: _Counts, import_id: int, rejects: Path | None
) -> tuple[ImportIssue, ...]:
    """Store the new records and the issues; write the reject file; the first issues."""
    inserted = store.scalar("insert records", plan.insert_records, [import_id])
    if inserted != counts.added:
        raise _count_error(f"{inserted} records inserted, {counts.added} expected")
    store.execute("insert issues", plan.insert_import_issues, [import_id])
    if rejects is not None:
        write_reject_file(store, rejects)
    shown = store.execute("first issues", FIRST_ISSUES, [_SHOWN_ISSUES])
    return tuple(
        ImportIssue(int(row), field, severity, reason) for row, field, severity, reason in shown
    )


def _import_row(
    import_id: int,
    info: SourceInfo,
    resolved: ResolvedMapping,
    counts: _Counts,
    started_at: datetime,
) -> list[object]:
    """The values of the `imports` row, in column order."""
    return [
        import_id,
        resolved.schema.kind.value,
        info.path.name,
        info.sha256,
        info.size,
        info.format.value,
        info.encoding,
        json.dumps(dict(resolved.fields), ensure_ascii=False),
        started_at,
        _utc_now(),
        counts.read,
        counts.added,
        counts.duplicate,
        counts.present,
        counts.rejected,
        counts.warnings,
    ]


def _count_error(detail: str) -> StoreError:
    return StoreError(
        f"the import's row counts do not add up: {detail}",
        hint="this is a bug in bonafide; nothing was stored — please report it",
    )


def reject_purpose(path: Path) -> str:
    return f"rejects/{path.name.removesuffix('.partial')}"


def write_reject_file(store: RegistryStore, path: Path) -> None:
    """Every issue of the import, with the raw row, as CSV sealed in the vault."""
    issues = store.arrow("read issues for the reject file", select_issues())
    with store.vault.sealer.writer(path, reject_purpose(path)) as sink:
        pacsv.write_csv(issues, sink)


def read_reject_file(store: RegistryStore, import_id: int) -> bytes:
    """The reject file of an import, decrypted (CSV); an error if it has none."""
    found = sorted(store.rejects_dir.glob(f"*-{int(import_id)}.csv"))
    if not found:
        raise StoreError(
            f"import {import_id} has no reject file in {store.rejects_dir}",
            hint="see the imports and their rejects: bonafide registry list",
        )
    return bytes(store.vault.sealer.read(found[0], reject_purpose(found[0])))


class _RejectFile:
    """The reject file: written as `<name>.csv.partial`, renamed once the import commits."""

    def __init__(self, store: RegistryStore) -> None:
        self._directory = store.rejects_dir
        self._partial: Path | None = None

    def __enter__(self) -> _RejectFile:
        self._directory.mkdir(parents=True, exist_ok=True)
        for stale in self._directory.glob("*.partial"):  # left by a killed import
            stale.unlink()
        return self

    def claim(self, name: str) -> Path:
        self._partial = self._directory / f"{name}.csv.partial"
        return self._partial

    def publish(self) -> Path | None:
        if self._partial is None:
            return None
        final = self._partial.with_suffix("")
        self._partial.replace(final)
        self._partial = None
        return final

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._partial is not None:
            self._partial.unlink(missing_ok=True)


class _Notifier:
    """Turns the importer's steps into ImportProgress updates for the caller's callback."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self.total = 0

    def scanned(self, done: int, total: int) -> None:
        if self._callback:
            self._callback(ImportProgress(ImportPhase.SCANNING, done, total, 0))

    def read(self, done: int, rows: int) -> None:
        if self._callback:
            self._callback(ImportProgress(ImportPhase.READING, done, self.total, rows))

    def __call__(self, phase: ImportPhase, rows: int) -> None:
        if self._callback:
            self._callback(ImportProgress(phase, self.total, self.total, rows))


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
