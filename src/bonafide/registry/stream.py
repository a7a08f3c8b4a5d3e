"""A source file as one Arrow stream for DuckDB, with the reader's rejects kept aside.

DuckDB pulls the batches on its own worker thread. An exception raised there (a bad file, a
KeyboardInterrupt from a progress callback) reaches the caller only as a DuckDB error, so the
stream keeps the original for the importer to raise in its place. The rows the reader rejects
are spooled to a sealed Arrow file in the vault's scratch directory, so that even a file of
nothing but bad rows fits in memory.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from types import TracebackType

import pyarrow as pa
import pyarrow.ipc

from bonafide.registry.mapping import ResolvedMapping
from bonafide.registry.readers import ReaderIssue, batch_schema, read_source
from bonafide.registry.sources import SourceInfo
from bonafide.vault import SealedWriter, Vault

__all__ = ["ISSUE_SCHEMA", "SourceStream"]

ISSUE_SCHEMA = pa.schema(
    [("row", pa.int64()), ("field", pa.string()), ("reason", pa.string()), ("raw", pa.string())]
)
_SPOOL_ROWS = 50_000

# Called after each chunk with the bytes and the data rows read so far.
ChunkCallback = Callable[[int, int], None]


class SourceStream:
    """The batches of a source for one DuckDB scan, and the rows the reader rejected."""

    def __init__(
        self,
        info: SourceInfo,
        resolved: ResolvedMapping,
        vault: Vault,
        on_chunk: ChunkCallback | None = None,
    ) -> None:
        self._info = info
        self._resolved = resolved
        self._on_chunk = on_chunk
        self._spool = _IssueSpool(vault, resolved)
        self.rows_read = 0
        self.error: BaseException | None = None

    def batches(self) -> pa.RecordBatchReader:
        """The source batches (columns c0.. and _row), for one scan."""
        schema = batch_schema(len(self._resolved.sources))
        return pa.RecordBatchReader.from_batches(schema, self._read())

    def issues(self) -> pa.RecordBatchReader:
        """The rejected rows (row, field, reason, raw), once the batches are read."""
        return self._spool.reader()

    def raise_if_failed(self) -> None:
        """Raise the exception that stopped the batches, if one did."""
        if self.error is not None:
            raise self.error

    def __enter__(self) -> SourceStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._spool.close()

    def _read(self) -> Iterator[pa.RecordBatch]:
        try:
            for chunk in read_source(self._info, self._resolved.sources):
                self._spool.add(chunk.issues)
                self.rows_read = chunk.rows_read
                if self._on_chunk:
                    self._on_chunk(chunk.bytes_read, chunk.rows_read)
                if chunk.batch.num_rows:
                    yield chunk.batch
        except GeneratorExit:
            raise
        except BaseException as error:
            self.error = error
            raise


class _IssueSpool:
    """Rejected rows, sealed into the process's scratch directory as they come (a file of
    nothing but bad rows must not have to fit in memory), read back once the scan is done."""

    def __init__(self, vault: Vault, resolved: ResolvedMapping) -> None:
        self._sealer = vault.sealer
        self._path = vault.scratch_dir / f"reader-issues-{os.urandom(4).hex()}.arrow"
        # each mapped source column stands for the first canonical field it feeds
        self._field_of: dict[str, str] = {}
        for field, column in resolved.fields:
            self._field_of.setdefault(column, field)
        self._pending: list[ReaderIssue] = []
        self._sink: SealedWriter | None = None
        self._writer: pa.ipc.RecordBatchStreamWriter | None = None
        self._reading: io.BufferedReader | None = None

    def add(self, issues: tuple[ReaderIssue, ...]) -> None:
        self._pending.extend(issues)
        if len(self._pending) >= _SPOOL_ROWS:
            self._flush()

    def reader(self) -> pa.RecordBatchReader:
        self._flush()
        if self._writer is None or self._sink is None:
            return pa.RecordBatchReader.from_batches(ISSUE_SCHEMA, iter(()))
        self._writer.close()
        self._sink.close()
        self._writer = None
        self._reading = self._sealer.stream(self._path, "reader issues")
        return pa.ipc.open_stream(self._reading)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._sink is not None:
            self._sink.abort()
        if self._reading is not None:
            self._reading.close()
        self._path.unlink(missing_ok=True)

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._writer is None:
            self._sink = self._sealer.writer(self._path, "reader issues")
            self._writer = pa.ipc.new_stream(self._sink, ISSUE_SCHEMA)
        issues, self._pending = self._pending, []
        columns = [
            pa.array([i.row for i in issues], pa.int64()),
            pa.array([self._field_of.get(i.column or "") for i in issues], pa.string()),
            pa.array([i.reason for i in issues], pa.string()),
            pa.array([i.raw for i in issues], pa.string()),
        ]
        self._writer.write_batch(pa.record_batch(columns, schema=ISSUE_SCHEMA))
