"""The reports' store: `<data-dir>/reports.sqlite` in the reports' own vault (a compartment: it
holds nothing of the dossiers' and the dossiers' vault holds nothing of it).

Four tables, every value sealed under the vault's key for report values:

- `reports`: a report as sent, as its facts only — category, place as written, time seen,
  count, direction, text, the scrubbed photo — with the hour it arrived. Deleted when the report
  is reduced (after 72 h by default): what stays of it is its point.
- `points`: what an event is made of — the category, the place resolved, the time seen, the
  count and the direction — in arrival order (the row number).
- `membership`: which event each report is in (random keys on both sides).
- `events`: an event's state (facts, reviewer's grade, publication), with two plain columns
  the queue and the feed select by: its status and whether it looks like a flood.

There is no column for who sent a report, from where or with what, because the service never
reads it. A reporter's receipt is random and kept nowhere: a receipt found on a seized phone must
not lead to the report it acknowledges.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from bonafide.errors import StoreError
from bonafide.vault import Vault
from bonafide.vault.crypto import UndecryptableError, seal, unseal
from bonafide.vault.sqlite import open_sqlite_store

__all__ = ["REPORTS_FILE", "ReportStore"]

REPORTS_FILE = "reports.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (report_key TEXT PRIMARY KEY, sealed BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS points (report_key TEXT PRIMARY KEY, sealed BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS membership (report_key TEXT PRIMARY KEY, event_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS membership_by_event ON membership (event_id);
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    suspect INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    sealed BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_status ON events (status, changed);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class ReportStore:
    """The store's rows, sealed and unsealed; one lock around the connection (the service's
    threads share it), and write transactions that hold the file against other processes
    (the desk's reviewer pages, `reports ingest`) for their whole length."""

    def __init__(self, vault: Vault) -> None:
        self._connection = open_sqlite_store(
            vault, REPORTS_FILE, _SCHEMA, "the report store", shared=True, isolation_level=None
        )
        # WAL: intake's writes do not wait for readers; the WAL holds only sealed pages
        self._connection.execute("PRAGMA journal_mode = WAL")
        self._connection.execute("PRAGMA synchronous = NORMAL")
        self._key = vault.key("report store values")
        self.lock = threading.RLock()

    def close(self) -> None:
        with self.lock:
            # another process reading keeps the WAL: the next to open the store folds it in
            with suppress(sqlite3.OperationalError):
                self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            self._connection.close()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction, taken before anything is read (BEGIN IMMEDIATE)."""
        with self.lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    # sealing -----------------------------------------------------------------------------
    def _seal(self, table: str, key: str, value: dict[str, Any]) -> bytes:
        return seal(self._key, json.dumps(value).encode("utf-8"), f"{table}:{key}".encode())

    def _unseal(self, table: str, key: str, sealed: bytes) -> dict[str, Any]:
        try:
            value: dict[str, Any] = json.loads(unseal(self._key, sealed, f"{table}:{key}".encode()))
        except UndecryptableError:
            raise StoreError(
                f"a row of {table} in the report store does not decrypt: it was changed "
                "outside bonafide",
                hint="restore the reports' data directory from a backup",
            ) from None
        return value

    def _execute(self, sql: str, parameters: Iterable[Any] = ()) -> list[Any]:
        """Every row of one statement, read while the lock is held: a statement left running
        on the shared connection would stop another thread's COMMIT."""
        with self.lock:
            return self._connection.execute(sql, tuple(parameters)).fetchall()

    def _first(self, sql: str, parameters: Iterable[Any] = ()) -> Any:
        rows = self._execute(sql, parameters)
        return rows[0] if rows else None

    # reports -----------------------------------------------------------------------------
    def put_report(self, report_key: str, facts: dict[str, Any]) -> None:
        self._execute(
            "INSERT INTO reports VALUES (?, ?)",
            (report_key, self._seal("reports", report_key, facts)),
        )

    def report(self, report_key: str) -> dict[str, Any] | None:
        row = self._first("SELECT sealed FROM reports WHERE report_key = ?", (report_key,))
        return None if row is None else self._unseal("reports", report_key, row[0])

    def raw_report_keys(self) -> list[str]:
        return [row[0] for row in self._execute("SELECT report_key FROM reports")]

    def drop_reports(self, report_keys: list[str]) -> None:
        for start in range(0, len(report_keys), 500):
            chunk = report_keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            self._execute(f"DELETE FROM reports WHERE report_key IN ({marks})", chunk)

    def report_count(self) -> int:
        return int(self._first("SELECT count(*) FROM points")[0])

    # points ------------------------------------------------------------------------------
    def put_point(self, report_key: str, point: dict[str, Any]) -> int:
        sealed = self._seal("points", report_key, point)
        with self.lock:
            cursor = self._connection.execute(
                "INSERT INTO points VALUES (?, ?)", (report_key, sealed)
            )
            return int(cursor.lastrowid or 0)

    def points_after(self, rowid: int) -> list[tuple[int, str, dict[str, Any]]]:
        rows = self._execute(
            "SELECT rowid, report_key, sealed FROM points WHERE rowid > ? ORDER BY rowid", (rowid,)
        )
        return [(int(r), str(k), self._unseal("points", str(k), s)) for r, k, s in rows]

    # membership --------------------------------------------------------------------------
    def event_of(self, report_key: str) -> str | None:
        row = self._first("SELECT event_id FROM membership WHERE report_key = ?", (report_key,))
        return None if row is None else str(row[0])

    def set_event(self, report_keys: Iterable[str], event_id: str) -> None:
        with self.lock:
            self._connection.executemany(
                "INSERT OR REPLACE INTO membership VALUES (?, ?)",
                [(key, event_id) for key in report_keys],
            )

    def members(self, event_id: str) -> list[str]:
        rows = self._execute(
            "SELECT report_key FROM membership WHERE event_id = ? ORDER BY rowid", (event_id,)
        )
        return [str(row[0]) for row in rows]

    def membership(self) -> list[tuple[str, str]]:
        return [
            (str(k), str(e))
            for k, e in self._execute("SELECT report_key, event_id FROM membership ORDER BY rowid")
        ]

    # events ------------------------------------------------------------------------------
    def put_event(self, event_id: str, status: str, suspect: bool, state: dict[str, Any]) -> None:
        changed = self.bump("events")
        self._execute(
            "INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?)",
            (event_id, status, int(suspect), changed, self._seal("events", event_id, state)),
        )

    def drop_event(self, event_id: str) -> None:
        self.bump("events")
        self._execute("DELETE FROM events WHERE event_id = ?", (event_id,))

    def event(self, event_id: str) -> dict[str, Any] | None:
        row = self._first("SELECT sealed FROM events WHERE event_id = ?", (event_id,))
        return None if row is None else self._unseal("events", event_id, row[0])

    def events(
        self,
        statuses: tuple[str, ...],
        suspect: bool | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Events of these statuses, the latest changed first."""
        where = f"status IN ({','.join('?' * len(statuses))})"
        parameters: list[Any] = list(statuses)
        if suspect is not None:
            where += " AND suspect = ?"
            parameters.append(int(suspect))
        sql = f"SELECT event_id, sealed FROM events WHERE {where} ORDER BY changed DESC"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            parameters += [limit, offset]
        rows = self._execute(sql, parameters)
        return [self._unseal("events", str(key), sealed) for key, sealed in rows]

    def event_count(self, statuses: tuple[str, ...], suspect: bool | None = None) -> int:
        where = f"status IN ({','.join('?' * len(statuses))})"
        parameters: list[Any] = list(statuses)
        if suspect is not None:
            where += " AND suspect = ?"
            parameters.append(int(suspect))
        return int(self._first(f"SELECT count(*) FROM events WHERE {where}", parameters)[0])

    # counters ----------------------------------------------------------------------------
    def bump(self, name: str) -> int:
        """The next value of a counter (in the caller's transaction)."""
        self._execute(
            "INSERT INTO counters VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1",
            (name,),
        )
        return self.counter(name)

    def counter(self, name: str) -> int:
        row = self._first("SELECT value FROM counters WHERE name = ?", (name,))
        return 0 if row is None else int(row[0])

    def unsealed(self) -> dict[str, list[dict[str, Any]]]:
        """Every sealed value of every table, unsealed (for inspection and tests)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for table, key in (
            ("reports", "report_key"),
            ("points", "report_key"),
            ("events", "event_id"),
        ):
            rows = self._execute(f"SELECT {key}, sealed FROM {table} ORDER BY rowid")
            out[table] = [self._unseal(table, str(k), sealed) for k, sealed in rows]
        return out

    def checkpoint(self) -> None:
        """Fold the WAL into the file and empty it (after reduction: no old page stays there)."""
        self._execute("PRAGMA wal_checkpoint(TRUNCATE)")
