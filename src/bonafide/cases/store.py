"""The case store: what bonafide keeps about applicants, in `<data-dir>/cases.sqlite`.

Every value is sealed (AES-256-GCM under a subkey of the vault's data key, bound to its row);
every lookup key is a keyed hash (HMAC-SHA256 under another subkey). So the database, its
journal and its free pages (overwritten on delete: `secure_delete`) hold no name, number, code or
date that can be read, guessed or matched without the vault — not even the dossier codes.

- `dossiers`: each verified dossier's report, found by the keyed hash of its code; reduced to
  code, verdict and decision once the retention time has passed (`reduce_older_than`).
- `applicant_keys`: keyed hashes of each dossier's resolved person, document numbers and name
  with birth date, to catch one person applying under two names (`verify/earlier.py`);
  deleted with the dossier's reduction.
- `desk_cases`: each dossier's way through the office (`cases/desk.py`): entered, submitted,
  taken for vetting, verified, decided; its claims dropped with the dossier's reduction.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from bonafide.cases.desk import DeskCase
from bonafide.errors import StoreError
from bonafide.vault import Vault
from bonafide.vault.crypto import UndecryptableError, keyed_hash, seal, unseal
from bonafide.vault.sqlite import open_sqlite_store

__all__ = ["CASES_FILE", "CaseStore", "KeptDossier"]

CASES_FILE = "cases.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS dossiers (
    dossier_key BLOB PRIMARY KEY,
    sealed BLOB NOT NULL,
    reduced INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS applicant_keys (
    dossier_key BLOB NOT NULL,
    key_kind TEXT NOT NULL CHECK (key_kind IN ('person', 'document', 'name')),
    key_hash BLOB NOT NULL,
    PRIMARY KEY (dossier_key, key_kind, key_hash)
);
CREATE INDEX IF NOT EXISTS applicant_keys_by_hash ON applicant_keys (key_hash);
CREATE TABLE IF NOT EXISTS desk_cases (
    case_key BLOB PRIMARY KEY,
    sealed BLOB NOT NULL
);
"""


@dataclass(frozen=True)
class KeptDossier:
    """A dossier as the case store keeps it."""

    code: str
    verified_at: str  # ISO time, to the minute
    verdict: str
    decision: str | None
    reduced: bool
    report: dict[str, Any] | None  # None once reduced

    def to_json(self) -> dict[str, Any]:
        return {
            "dossier_id": self.code,
            "verified_at": self.verified_at,
            "verdict": self.verdict,
            "decision": self.decision,
            "reduced": self.reduced,
            "report": self.report,
        }


def _encoded(value: dict[str, Any]) -> bytes:
    # orjson: a verifying batch's parent writes every report, and the standard encoder took
    # a fifth of its time (docs/benchmarks.md). What orjson refuses (an integer beyond 64 bits,
    # which a hostile dossier may carry) the standard encoder writes; the standard decoder
    # reads both exactly (orjson would read such an integer back as a float).
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0).isoformat()


class CaseStore:
    """An open case store. Writes are committed by `commit` (once per batch of dossiers)."""

    def __init__(self, connection: sqlite3.Connection, vault: Vault) -> None:
        self._connection = connection
        self._value_key = vault.key("case store values")
        self._hash_key = vault.key("case store hashes")

    @classmethod
    def open(cls, vault: Vault, shared: bool = False) -> CaseStore:
        """Open the case store; `shared`: its connection may be used from several threads
        (the service's, which serialises its use with a lock)."""
        connection = open_sqlite_store(vault, CASES_FILE, _SCHEMA, "the case store", shared=shared)
        return cls(connection, vault)

    def close(self) -> None:
        self._connection.commit()
        self._connection.close()

    def commit(self) -> None:
        self._connection.commit()

    # --- keyed hashes -----------------------------------------------------------------------

    def hash(self, text: str) -> bytes:
        return keyed_hash(self._hash_key, text.encode("utf-8"))

    def dossier_key(self, code: str) -> bytes:
        return self.hash(f"dossier:{code}")

    # --- dossiers ---------------------------------------------------------------------------

    def keep(self, code: str, report: dict[str, Any], decision: str | None = None) -> None:
        """Keep a dossier's report (replacing an earlier one of the same code)."""
        kept = KeptDossier(code, _now(), str(report.get("verdict")), decision, False, report)
        self._put(kept)

    def _put(self, kept: KeptDossier) -> None:
        key = self.dossier_key(kept.code)
        plaintext = _encoded(kept.to_json())
        self._connection.execute(
            "INSERT OR REPLACE INTO dossiers VALUES (?, ?, ?)",
            (key, seal(self._value_key, plaintext, key), int(kept.reduced)),
        )

    def get(self, code: str) -> KeptDossier | None:
        key = self.dossier_key(code)
        row = self._connection.execute(
            "SELECT sealed FROM dossiers WHERE dossier_key = ?", (key,)
        ).fetchone()
        return None if row is None else self._open(key, row[0])

    def _unseal_json(self, key: object, sealed: object, what: str) -> dict[str, Any]:
        try:
            if not isinstance(sealed, bytes) or not isinstance(key, bytes):
                raise UndecryptableError
            data: dict[str, Any] = json.loads(unseal(self._value_key, sealed, key))
        except UndecryptableError:
            raise StoreError(
                f"{what} in the case store does not decrypt: it was changed outside bonafide",
                hint="restore the case store from a backup; see bonafide audit verify",
            ) from None
        return data

    def _open(self, key: bytes, sealed: object) -> KeptDossier:
        data = self._unseal_json(key, sealed, "a dossier")
        return KeptDossier(
            code=data["dossier_id"],
            verified_at=data["verified_at"],
            verdict=data["verdict"],
            decision=data.get("decision"),
            reduced=bool(data["reduced"]),
            report=data.get("report"),
        )

    def dossiers(self) -> Iterator[KeptDossier]:
        rows = self._connection.execute("SELECT dossier_key, sealed FROM dossiers").fetchall()
        for key, sealed in rows:
            yield self._open(key, sealed)

    def count(self) -> int:
        return int(self._connection.execute("SELECT count(*) FROM dossiers").fetchone()[0])

    def reduce_older_than(self, days: int, now: dt.datetime | None = None) -> list[str]:
        """Reduce the dossiers verified more than `days` ago to code, verdict and decision, and
        delete their applicant keys; returns their codes."""
        now = now or dt.datetime.now(dt.UTC)
        if now.tzinfo is None:
            now = now.replace(tzinfo=dt.UTC)
        cutoff = now - dt.timedelta(days=days)
        # every row, decided by its sealed content: the plain `reduced` column only speeds up
        # listing, and a row marked reduced outside bonafide must not escape retention
        rows = self._connection.execute("SELECT dossier_key, sealed FROM dossiers").fetchall()
        reduced = []
        for key, sealed in rows:
            kept = self._open(key, sealed)
            if kept.reduced or dt.datetime.fromisoformat(kept.verified_at) >= cutoff:
                continue
            self._put(
                KeptDossier(kept.code, kept.verified_at, kept.verdict, kept.decision, True, None)
            )
            self._connection.execute("DELETE FROM applicant_keys WHERE dossier_key = ?", (key,))
            case = self.get_case(kept.code)
            if case is not None and case.dossier is not None:
                self.put_case(case.reduced())
            reduced.append(kept.code)
        self._connection.commit()
        if reduced:
            # freed pages are zeroed (secure_delete); VACUUM also drops them from the file
            self._connection.execute("VACUUM")
        return reduced

    # --- desk cases (cases/desk.py gives them meaning) --------------------------------------

    def put_case(self, case: DeskCase) -> None:
        key = self.hash(f"case:{case.code}")
        plaintext = _encoded(case.to_json())
        self._connection.execute(
            "INSERT OR REPLACE INTO desk_cases VALUES (?, ?)",
            (key, seal(self._value_key, plaintext, key)),
        )
        self._connection.commit()

    def _open_case(self, key: bytes, sealed: object) -> DeskCase:
        return DeskCase.from_json(self._unseal_json(key, sealed, "a case"))

    def get_case(self, code: str) -> DeskCase | None:
        key = self.hash(f"case:{code}")
        row = self._connection.execute(
            "SELECT sealed FROM desk_cases WHERE case_key = ?", (key,)
        ).fetchone()
        return None if row is None else self._open_case(key, row[0])

    def cases(self) -> Iterator[DeskCase]:
        rows = self._connection.execute("SELECT case_key, sealed FROM desk_cases").fetchall()
        for key, sealed in rows:
            yield self._open_case(key, sealed)

    # --- applicant keys (verify/earlier.py gives them meaning) ------------------------------

    def replace_keys(self, code: str, keys: list[tuple[str, bytes]]) -> None:
        key = self.dossier_key(code)
        self._connection.execute("DELETE FROM applicant_keys WHERE dossier_key = ?", (key,))
        self._connection.executemany(
            "INSERT OR IGNORE INTO applicant_keys VALUES (?, ?, ?)",
            [(key, kind, key_hash) for kind, key_hash in keys],
        )

    def dossiers_with(self, key_hashes: list[bytes], except_code: str) -> dict[bytes, list[bytes]]:
        """For each of `key_hashes` held by a dossier other than `except_code`'s, the keys of
        those dossiers, the most recently kept last; one query for all of them."""
        if not key_hashes:
            return {}
        marks = ", ".join("?" * len(key_hashes))
        rows = self._connection.execute(
            f"SELECT key_hash, dossier_key FROM applicant_keys WHERE key_hash IN ({marks}) "
            "AND dossier_key != ? ORDER BY rowid",
            (*key_hashes, self.dossier_key(except_code)),
        ).fetchall()
        holding: dict[bytes, list[bytes]] = {}
        for key_hash, dossier_key in rows:
            holders = holding.setdefault(bytes(key_hash), [])
            if bytes(dossier_key) not in holders:  # one dossier may hold a hash as two kinds
                holders.append(bytes(dossier_key))
        return holding

    def keys_of(self, dossier_key: bytes) -> list[tuple[str, bytes]]:
        rows = self._connection.execute(
            "SELECT key_kind, key_hash FROM applicant_keys WHERE dossier_key = ?", (dossier_key,)
        ).fetchall()
        return [(str(kind), bytes(key_hash)) for kind, key_hash in rows]

    def code_of(self, dossier_key: bytes) -> str | None:
        kept = self.kept_of(dossier_key)
        return None if kept is None else kept.code

    def kept_of(self, dossier_key: bytes) -> KeptDossier | None:
        row = self._connection.execute(
            "SELECT sealed FROM dossiers WHERE dossier_key = ?", (dossier_key,)
        ).fetchone()
        return None if row is None else self._open(dossier_key, row[0])
