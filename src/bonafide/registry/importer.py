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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import pyarrow as pa

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
    copy_issues,
    plan_import,
)
from bonafide.registry.readers import ReaderIssue, batch_schema, read_source
from bonafide.registry.schema import Kind, kind_schema
from bonafide.registry.sources import SourceInfo, inspect_source
from bonafide.registry.store import RegistryStore

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
_SPOOL_ROWS = 50_000
_ISSUE_SCHEMA = pa.schema(
    [("row", pa.int64()), ("field", pa.string()), ("reason", pa.string()), ("raw", pa.string())]
)


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
    clock = time.perf_counter()
    started_at = _utc_now()
    schema = kind_schema(kind)
    options = (mapping.source if mapping else SourceOptions()).overridden_by(
        source or SourceOptions()
    )

    def on_scan(done: int, total: int) -> None:
        if progress:
            progress(ImportProgress(ImportPhase.SCANNING, done, total, 0))

    info = inspect_source(file, options, on_scan)
    resolved = resolve_mapping(mapping, schema, info.columns, file)
    plan = plan_import(resolved)
    store.rejects_dir.mkdir(parents=True, exist_ok=True)
    for stale in store.rejects_dir.glob("*.partial"):
        stale.unlink()
    stream = _SourceStream(info, resolved, store.data_dir / "tmp", progress)
    partial: Path | None = None
    try:
        with store.transaction():
            import_id = int(store.scalar("next import id", NEXT_IMPORT_ID))
            earlier = store.execute("same file", SAME_FILE_IMPORTS, [info.sha256, schema.kind])
            _read_and_normalise(store, plan, stream)
            _notify(progress, ImportPhase.CHECKING, info, stream.rows_read)
            counts = _classify(store, plan, stream)
            _notify(progress, ImportPhase.WRITING, info, stream.rows_read)
            inserted = store.scalar("insert records", plan.insert_records, [import_id])
            if inserted != counts.added:
                raise _count_error(f"{inserted} records inserted, {counts.added} expected")
            store.execute("insert issues", plan.insert_import_issues, [import_id])
            if counts.issues:
                partial = store.rejects_dir / f"{schema.kind.value}-{import_id}.csv.partial"
                store.execute("write reject file", copy_issues(partial))
            shown = store.execute("first issues", FIRST_ISSUES, [_SHOWN_ISSUES])
            store.execute(
                "record import",
                INSERT_IMPORT,
                [
                    import_id, schema.kind.value, file.name, info.sha256, info.size,
                    info.format.value, info.encoding, json.dumps(dict(resolved.fields),
                    ensure_ascii=False), started_at, _utc_now(), counts.read, counts.added,
                    counts.duplicate, counts.present, counts.rejected, counts.warnings,
                ],
            )  # fmt: skip
            for statement in plan.drop_temporary:
                store.execute("drop temporary tables", statement)
            _notify(progress, ImportPhase.COMMITTING, info, stream.rows_read)
    except BaseException:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    finally:
        stream.close()
    reject_file = None
    if partial is not None:
        reject_file = partial.with_suffix("")
        partial.replace(reject_file)
    logger.info(
        "import %d of kind %s: read %d, added %d, duplicate %d, present %d, rejected %d, "
        "warnings %d",
        import_id, schema.kind.value, counts.read, counts.added, counts.duplicate,
        counts.present, counts.rejected, counts.warnings,
    )  # fmt: skip
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
        first_issues=tuple(ImportIssue(int(r), f, s, m) for r, f, s, m in shown),
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


def _read_and_normalise(store: RegistryStore, plan: ImportPlan, stream: _SourceStream) -> None:
    try:
        with store.scanning(SOURCE, stream.reader()):
            store.execute("read and normalise", plan.create_norm)
    except (StoreError, KeyboardInterrupt):
        stream.raise_if_failed()
        raise
    stream.raise_if_failed()


def _classify(store: RegistryStore, plan: ImportPlan, stream: _SourceStream) -> _Counts:
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
    return counts


def _count_error(detail: str) -> StoreError:
    return StoreError(
        f"the import's row counts do not add up: {detail}",
        hint="this is a bug in bonafide; nothing was stored — please report it",
    )


class _SourceStream:
    """The source batches as one Arrow stream for DuckDB, keeping the reader's rejects aside.

    DuckDB pulls the batches on its own thread, and an exception there (a bad file, a
    KeyboardInterrupt from the progress callback) reaches the caller only as a DuckDB error; the
    stream keeps the original to raise it in its place.
    """

    def __init__(
        self,
        info: SourceInfo,
        resolved: ResolvedMapping,
        spool_dir: Path,
        progress: ProgressCallback | None,
    ) -> None:
        self.info = info
        self.resolved = resolved
        self.progress = progress
        self.rows_read = 0
        self.error: BaseException | None = None
        self._spool = _IssueSpool(spool_dir, _field_of_column(resolved))

    def reader(self) -> pa.RecordBatchReader:
        schema = batch_schema(len(self.resolved.sources))
        return pa.RecordBatchReader.from_batches(schema, self._batches())

    def issues(self) -> pa.RecordBatchReader:
        return self._spool.reader()

    def raise_if_failed(self) -> None:
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self._spool.close()

    def _batches(self) -> Iterator[pa.RecordBatch]:
        try:
            for chunk in read_source(self.info, self.resolved.sources):
                self._spool.add(chunk.issues)
                self.rows_read = chunk.rows_read
                _notify(self.progress, ImportPhase.READING, self.info, chunk.rows_read,
                        chunk.bytes_read)  # fmt: skip
                if chunk.batch.num_rows:
                    yield chunk.batch
        except GeneratorExit:
            raise
        except BaseException as error:
            self.error = error
            raise


class _IssueSpool:
    """The reader's rejects, spilled to an Arrow file so a file of bad rows fits in memory."""

    def __init__(self, directory: Path, field_of: dict[str, str]) -> None:
        self._path = directory / f"reader-issues-{id(self)}.arrow"
        self._field_of = field_of
        self._pending: list[ReaderIssue] = []
        self._writer: pa.ipc.RecordBatchStreamWriter | None = None

    def add(self, issues: tuple[ReaderIssue, ...]) -> None:
        self._pending.extend(issues)
        if len(self._pending) >= _SPOOL_ROWS:
            self._flush()

    def reader(self) -> pa.RecordBatchReader:
        self._flush()
        if self._writer is None:
            return pa.RecordBatchReader.from_batches(_ISSUE_SCHEMA, iter(()))
        self._writer.close()
        self._writer = None
        return pa.ipc.open_stream(pa.memory_map(str(self._path)))

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._path.unlink(missing_ok=True)

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._writer is None:
            self._writer = pa.ipc.new_stream(str(self._path), _ISSUE_SCHEMA)
        issues, self._pending = self._pending, []
        self._writer.write_batch(
            pa.record_batch(
                [
                    pa.array([i.row for i in issues], pa.int64()),
                    pa.array([self._field_of.get(i.column or "") for i in issues], pa.string()),
                    pa.array([i.reason for i in issues], pa.string()),
                    pa.array([i.raw for i in issues], pa.string()),
                ],
                schema=_ISSUE_SCHEMA,
            )
        )


def _field_of_column(resolved: ResolvedMapping) -> dict[str, str]:
    """For each mapped source column, the first canonical field it feeds."""
    fields: dict[str, str] = {}
    for field, column in resolved.fields:
        fields.setdefault(column, field)
    return fields


def _notify(
    progress: ProgressCallback | None,
    phase: ImportPhase,
    info: SourceInfo,
    rows: int,
    done: int | None = None,
) -> None:
    if progress:
        progress(ImportProgress(phase, info.size if done is None else done, info.size, rows))


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
