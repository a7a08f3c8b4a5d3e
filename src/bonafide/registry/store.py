"""The registry store: one encrypted DuckDB database file in the data directory.

`RegistryStore` is the one place that runs SQL. It opens `<data-dir>/registries.duckdb` through
the vault (encrypted under the vault's key, spilling encrypted into the process's scratch
directory inside the data directory) with a memory limit, applies pending migrations, runs
statements by operation name, logs each operation's name and duration (never values) and turns
DuckDB errors into `StoreError`s naming the operation.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from bonafide.errors import StoreError
from bonafide.registry.ddl import (
    MIGRATIONS,
    SCHEMA_VERSION_TABLE,
    create_schema_version,
    registry_columns,
    registry_table,
)
from bonafide.registry.schema import KINDS
from bonafide.vault import Vault
from bonafide.vault.duck import attach

__all__ = ["STORE_FILE", "RegistryStore", "StoreSettings"]

logger = logging.getLogger(__name__)

STORE_FILE = "registries.duckdb"


@dataclass(frozen=True)
class StoreSettings:
    """How the store may use the machine."""

    # DuckDB's memory limit; beyond it, work spills to <data-dir>/tmp.
    memory_limit: str = "4GB"
    # worker threads; None: one per core
    threads: int | None = None


class RegistryStore:
    """An open registry store. Use `RegistryStore.open` as a context manager."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        vault: Vault,
        memory_limit: str = "4GB",
        read_only: bool = False,
    ) -> None:
        self._connection = connection
        self.vault = vault
        self.data_dir = vault.data_dir
        self._stale_scans: list[str] = []  # registrations to drop once a rollback is done
        self._memory_limit = memory_limit  # as written, e.g. "4GB"
        self.read_only = read_only  # then what it makes is kept in temporary tables

    @classmethod
    def open(
        cls, vault: Vault, settings: StoreSettings | None = None, *, read_only: bool = False
    ) -> RegistryStore:
        """Open (creating and migrating if needed) the store in the vault's data directory."""
        settings = settings or StoreSettings()
        data_dir = vault.data_dir
        path = data_dir / STORE_FILE
        if read_only and not path.exists():
            raise StoreError(
                f"there is no registry store in {data_dir}",
                hint="import a registry first: bonafide registry import FILE --kind KIND",
            )
        try:
            scratch = vault.scratch_dir
        except OSError as error:
            raise StoreError(
                f"cannot write in the data directory {data_dir}: {error.strerror}",
                hint="choose a writable --data-dir",
            ) from None
        try:
            connection = attach(
                path,
                vault.duckdb_key(),
                scratch,
                read_only=read_only,
                memory_limit=settings.memory_limit,
                threads=settings.threads,
            )
        except duckdb.Error as error:
            raise _open_error(path, error) from None
        store = cls(connection, vault, settings.memory_limit, read_only)
        try:
            store._migrate(read_only=read_only)
        except BaseException:
            store.close()
            raise
        return store

    @staticmethod
    def exists(data_dir: Path) -> bool:
        """Whether `data_dir` holds a store."""
        return (data_dir / STORE_FILE).exists()

    @property
    def path(self) -> Path:
        return self.data_dir / STORE_FILE

    @property
    def rejects_dir(self) -> Path:
        return self.data_dir / "rejects"

    @contextmanager
    def _operation(self, operation: str) -> Iterator[None]:
        """Time an operation; turn Ctrl-C into KeyboardInterrupt and DuckDB's errors into a
        StoreError naming the operation."""
        started = time.perf_counter()
        try:
            yield
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except RuntimeError as error:  # DuckDB's answer to Ctrl-C during a statement
            if str(error) == "Query interrupted":
                raise KeyboardInterrupt from None
            raise
        except duckdb.Error as error:
            logger.debug("store operation %s failed (%s)", operation, type(error).__name__)
            raise StoreError(
                f"store operation {operation!r} failed: {_first_lines(error)}",
                hint=_hint(error, self.data_dir),
            ) from error
        logger.debug("store operation %s: %.3f s", operation, time.perf_counter() - started)

    def execute(
        self, operation: str, sql: str, params: Sequence[object] | None = None
    ) -> list[tuple[Any, ...]]:
        """Run one statement for `operation` and return its rows."""
        with self._operation(operation):
            cursor = (
                self._connection.execute(sql, params) if params else self._connection.execute(sql)
            )
            rows: list[tuple[Any, ...]] = cursor.fetchall() if cursor.description else []
        return rows

    def arrow(self, operation: str, sql: str, params: Sequence[object] | None = None) -> pa.Table:
        """Run one query for `operation` and return its result as an Arrow table."""
        with self._operation(operation):
            if params is None:
                # a relation converts a join's result on every thread: 0.5 s against 1.1 s
                # for 2.7 M linked residence records at 1 M people
                table: pa.Table = self._connection.sql(sql).to_arrow_table()
            else:
                # a relation with parameters converts its result on one thread, ten times
                # slower (1.2 s against 0.17 s for a million lookups)
                table = self._connection.execute(sql, params).fetch_arrow_table()
            return table

    @contextmanager
    def memory_limited(self, limit: str) -> Iterator[None]:
        """DuckDB's memory held to `limit` (e.g. "1GB") inside the block, beyond which it
        spills (sealed): while other work of the process needs the memory."""
        with self._memory_limit_set(limit):
            yield

    @contextmanager
    def memory_at_least(self, size: int) -> Iterator[None]:
        """DuckDB's memory limit raised to `size` bytes inside the block, if it is lower:
        while memory the process held for other work, and has given back, may go to the
        store. A limit not written as a size is left as it is."""
        configured = _bytes_of(self._memory_limit)
        widened = (
            f"{size // 10**6}MB"
            if configured is not None and size > configured
            else self._memory_limit
        )
        with self._memory_limit_set(widened):
            yield

    def memory_used(self) -> int:
        """The bytes DuckDB holds in memory now."""
        used = self.scalar(
            "read the memory used", "SELECT sum(memory_usage_bytes) FROM duckdb_memory()"
        )
        return int(used or 0)

    @contextmanager
    def _memory_limit_set(self, limit: str) -> Iterator[None]:
        # restored as it was written: read back, DuckDB rounds it (4GB reads "3.7 GiB")
        before = self._memory_limit
        self.execute("limit memory", f"SET memory_limit = '{limit}'")
        self._memory_limit = limit
        try:
            yield
        finally:
            self.execute("restore the memory limit", f"SET memory_limit = '{before}'")
            self._memory_limit = before

    @contextmanager
    def reading(
        self, operation: str, sql: str, rows: int = 1_000_000, ahead: int = 0
    ) -> Iterator[pa.RecordBatchReader]:
        """Run one query for `operation` and read its result `rows` at a time, inside the
        block: a result larger than memory is never held whole. `ahead`: batches a thread
        reads ahead of the block's reading, so that the store makes the next while the block
        uses this one (the store must not be used otherwise inside the block then)."""
        with self._operation(operation):
            streamed = self._connection.sql(sql).fetch_record_batch(rows)
            reader = pa.RecordBatchReader.from_batches(
                streamed.schema, self._streamed(operation, streamed)
            )
            if ahead <= 0:
                yield reader
                return
            with _read_ahead(reader, ahead) as batches:
                yield batches

    def _streamed(self, operation: str, reader: pa.RecordBatchReader) -> Iterator[pa.RecordBatch]:
        """The reader's batches; a failure of the store while it makes them (which Arrow's
        stream hands on as an OSError or an ArrowException carrying the store's message) as
        a StoreError naming the operation."""
        try:
            yield from reader
        except (OSError, pa.ArrowException) as error:
            logger.debug("store operation %s failed while streaming", operation)
            raise StoreError(
                f"store operation {operation!r} failed while reading its result: "
                f"{_first_lines(error)}",
                hint=f"check that {self.data_dir} has free space (where work spills) and try "
                "again; if it fails again, report it with the operation name",
            ) from None

    def scalar(self, operation: str, sql: str, params: Sequence[object] | None = None) -> Any:
        """The single value a statement returns."""
        return self.execute(operation, sql, params)[0][0]

    @contextmanager
    def scanning(self, name: str, source: object) -> Iterator[None]:
        """Make an Arrow table, batch or reader queryable as `name` while inside."""
        self._connection.register(name, source)
        try:
            yield
        finally:
            try:
                self._connection.unregister(name)
            except duckdb.Error:  # an aborted transaction; drop it after the rollback
                self._stale_scans.append(name)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: committed if the block ends normally, else rolled back."""
        self.execute("begin", "BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        try:
            self.execute("commit", "COMMIT")
        except BaseException:
            self._rollback()
            raise

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> RegistryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _rollback(self) -> None:
        try:
            self._connection.execute("ROLLBACK")
        except duckdb.Error as error:
            logger.debug("rollback: %s", type(error).__name__)
        while self._stale_scans:
            try:
                self._connection.unregister(self._stale_scans.pop())
            except duckdb.Error as error:
                logger.debug("unregister after rollback: %s", type(error).__name__)

    def _migrate(self, *, read_only: bool) -> None:
        version = 0
        if not read_only or self._has_table(SCHEMA_VERSION_TABLE):
            if not read_only:
                self.execute("create schema_version", create_schema_version())
            version = self.scalar(
                "schema version", f"SELECT coalesce(max(version), 0) FROM {SCHEMA_VERSION_TABLE}"
            )
        pending = [m for m in MIGRATIONS if m.version > version]
        if pending and read_only:
            raise StoreError(
                f"the store in {self.data_dir} is at schema version {version}; this bonafide "
                f"needs version {MIGRATIONS[-1].version}",
                hint="run an import (which upgrades the store) and try again",
            )
        for migration in pending:
            with self.transaction():
                for statement in migration.statements:
                    self.execute(f"migration {migration.version} {migration.name}", statement)
                self.execute(
                    "record migration",
                    f"INSERT INTO {SCHEMA_VERSION_TABLE} VALUES (?, ?, ?)",
                    [migration.version, migration.name, datetime.now(UTC).replace(tzinfo=None)],
                )
            logger.info("store migrated to version %d (%s)", migration.version, migration.name)
        self._check_columns()

    def _has_table(self, name: str) -> bool:
        return bool(
            self.scalar(
                "find table",
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_catalog = current_database() AND table_name = ?",
                [name],
            )
        )

    def _check_columns(self) -> None:
        """Fail clearly if a registry table is not what this version's schema expects."""
        rows = self.execute(
            "describe registries",
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_catalog = current_database() AND starts_with(table_name, 'registry_') "
            "ORDER BY table_name, ordinal_position",
        )
        found: dict[str, list[str]] = {}
        for table, column in rows:
            found.setdefault(table, []).append(column)
        for kind, schema in KINDS.items():
            expected = [name for name, _ in registry_columns(schema)]
            # compared as sets: a field added by a later migration ends its table
            if sorted(found.get(registry_table(kind), [])) != sorted(expected):
                raise StoreError(
                    f"table {registry_table(kind)} in {self.path} does not have the columns "
                    "this version of bonafide expects",
                    hint="a schema migration is missing for a change to registry/schema.py; "
                    "add one to registry/ddl.py",
                )


@contextmanager
def _read_ahead(reader: pa.RecordBatchReader, depth: int) -> Iterator[pa.RecordBatchReader]:
    """`reader`'s batches, read by a thread up to `depth` ahead of the caller's reading. A
    failure of the thread's reading is raised where the caller reads; leaving the block stops
    the thread (after the batch it is making)."""
    made: queue.Queue[pa.RecordBatch | BaseException | None] = queue.Queue(depth)
    stop = threading.Event()

    def offer(item: pa.RecordBatch | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                made.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for batch in reader:
                if not offer(batch):
                    return
        except BaseException as error:  # raised again where the caller reads
            offer(error)
            return
        offer(None)

    def taken() -> Iterator[pa.RecordBatch]:
        while (item := made.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item

    thread = threading.Thread(target=read, name="store read-ahead", daemon=True)
    thread.start()
    try:
        yield pa.RecordBatchReader.from_batches(reader.schema, taken())
    finally:
        stop.set()
        thread.join()


def _first_lines(error: BaseException, limit: int = 600) -> str:
    text = str(error).strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _hint(error: duckdb.Error, data_dir: Path) -> str:
    if isinstance(error, duckdb.OutOfMemoryException):
        return (
            f"free disk space in {data_dir / 'tmp'} (where work spills) or raise the memory "
            "limit, and import again; nothing was stored"
        )
    text = str(error)
    if "AES" in text or ("tag" in text.lower() and "differs" in text.lower()):
        return (
            "the store does not decrypt: it was damaged or changed outside bonafide; restore "
            "the data directory from a backup (bonafide vault restore)"
        )
    if isinstance(error, duckdb.IOException):
        return f"check that {data_dir} is writable and has free space"
    return "this is likely a bug in bonafide; please report it with the operation name"


def _open_error(path: Path, error: duckdb.Error) -> StoreError:
    text = str(error)
    if "lock" in text.lower():
        return StoreError(
            f"the registry store {path} is in use by another process",
            hint="wait for the other bonafide command to finish, then try again",
        )
    return StoreError(
        f"cannot open the registry store {path}: {_first_lines(error)}",
        hint="check the --data-dir; if the file is damaged, restore it from a backup",
    )


_UNITS = {
    "": 1,
    "B": 1,
    "BYTES": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KIB": 2**10,
    "MIB": 2**20,
    "GIB": 2**30,
    "TIB": 2**40,
}
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?)\s*([A-Za-z]*)\s*")


def _bytes_of(limit: str) -> int | None:
    """The bytes of a memory limit written as a size ("4GB", "3.7 GiB"); None for another
    way of writing it."""
    match = _SIZE.fullmatch(limit)
    if match is None or match[2].upper() not in _UNITS:
        return None
    return int(float(match[1]) * _UNITS[match[2].upper()])
