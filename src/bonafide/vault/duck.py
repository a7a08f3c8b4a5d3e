"""DuckDB, encrypted: the registry store's database and every DuckDB spill.

DuckDB encrypts a database attached with an `ENCRYPTION_KEY` (AES-256-GCM: the file and its
write-ahead log) and, with `temp_file_encryption`, the files it spills to when a query outgrows
its memory limit (under a key of its own, held in memory). Writing encrypted needs DuckDB's
OpenSSL-backed crypto, which lives in its `httpfs` extension; extensions cannot be downloaded
here, so it is loaded from the `duckdb-ext-httpfs` package, signed, for the pinned DuckDB
(docs/security.md says why this and not encryption at another layer).
"""

from __future__ import annotations

import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from bonafide.errors import StoreError

__all__ = ["ATTACHED", "attach", "crypto_extension", "scratch_connection"]

ATTACHED = "registries"  # the catalog name of the registry store's database


@cache
def crypto_extension() -> Path:
    """The signed httpfs extension shipped for this DuckDB version and platform."""
    version = duckdb.__version__
    with duckdb.connect() as probe:  # runs one instant query: no progress bar to draw
        row = probe.execute("PRAGMA platform").fetchone()
    platform = str(row[0]) if row else "unknown"
    path = resources.files("duckdb_ext").joinpath(
        f"extensions/v{version}/{platform}/httpfs.duckdb_extension"
    )
    found = Path(str(path))
    if not found.is_file():
        raise StoreError(
            f"DuckDB's crypto extension for DuckDB {version} on {platform} is not installed",
            hint="install bonafide's dependencies again (make setup): duckdb and "
            "duckdb-ext-httpfs must be of one version",
        )
    return found


def _config(scratch: Path, memory_limit: str, threads: int | None, encrypt: bool) -> dict[str, Any]:
    config: dict[str, Any] = {
        "memory_limit": memory_limit,
        "temp_directory": str(scratch),
        "preserve_insertion_order": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_unsigned_extensions": False,
    }
    if encrypt:
        config["temp_file_encryption"] = True
    if threads:
        config["threads"] = threads
    return config


def _connect(config: dict[str, Any], encrypt: bool) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(config=config)
    # DuckDB draws a progress bar on stdout when a query runs for two seconds, in the middle of
    # whatever a command prints there; it can only be set per connection, not in `config`
    connection.execute("SET enable_progress_bar = false")
    if encrypt:
        connection.execute(f"LOAD '{crypto_extension()}'")
    return connection


def attach(
    database: Path,
    key: str | None,
    scratch: Path,
    *,
    read_only: bool,
    memory_limit: str,
    threads: int | None,
) -> duckdb.DuckDBPyConnection:
    """A connection whose default catalog is `database`, encrypted under `key` (None: plain,
    for benchmarks); spills go to `scratch`, encrypted."""
    encrypt = key is not None
    connection = _connect(_config(scratch, memory_limit, threads, encrypt), encrypt)
    options = []
    if key is not None:
        options.append("ENCRYPTION_KEY '" + key.replace("'", "''") + "'")
    if read_only:
        options.append("READ_ONLY")
    clause = f" ({', '.join(options)})" if options else ""
    path = str(database).replace("'", "''")
    try:
        connection.execute(f"ATTACH '{path}' AS {ATTACHED}{clause}")
    except BaseException:
        connection.close()
        raise
    connection.execute(f"USE {ATTACHED}")
    return connection


def scratch_connection(memory_limit: str, threads: int) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for one computation, spilling encrypted into the process's temporary
    directory (the vault's scratch directory once a command has unlocked it)."""
    return _connect(_config(Path(tempfile.gettempdir()), memory_limit, threads, True), True)
