"""The SQLite files of the vault (case store, account store, audit log): opened one way.

Their values are sealed one by one by their owners; this module sets what must hold for all of
them: the file made known to the vault (its loss is noticed), mode 0600, freed pages zeroed
(`secure_delete`), temporary tables in memory (no temporary file outside the data directory).
"""

from __future__ import annotations

import sqlite3
from typing import Literal

from bonafide.errors import StoreError
from bonafide.vault.vault import Vault

__all__ = ["open_sqlite_store"]


def open_sqlite_store(
    vault: Vault,
    name: str,
    schema: str,
    what: str,
    *,
    shared: bool = False,
    isolation_level: Literal["DEFERRED", "EXCLUSIVE", "IMMEDIATE"] | None = "DEFERRED",
) -> sqlite3.Connection:
    """The store `name` in the vault's data directory, created with `schema` if new; `what`
    names it in errors ("the case store"); `shared`: its connection may be used from several
    threads (the service's, which serialises its use with a lock)."""
    path = vault.store_file(name)
    try:
        connection = sqlite3.connect(
            path, isolation_level=isolation_level, timeout=30, check_same_thread=not shared
        )
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("PRAGMA temp_store = MEMORY")
        connection.executescript(schema)
        path.chmod(0o600)
        vault.store_made(name)
    except sqlite3.Error as error:
        raise StoreError(
            f"cannot open {what} {path}: {error}",
            hint=f"check that {vault.data_dir} is writable and the file is not damaged",
        ) from None
    return connection
