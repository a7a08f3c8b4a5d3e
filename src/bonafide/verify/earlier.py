"""Earlier applicants, kept in the case store, to catch one person applying under two names.

The case store (`<data-dir>/cases.sqlite`, SQLite) keeps for each verified dossier only keyed
hashes (HMAC-SHA256 under a secret kept in the data directory) of: the resolved person, each
document number, and the name with the birth date — never the names or numbers themselves. A new
dossier matches an earlier one when they share the person or a document but not the name, or
the name and birth date but not the documents.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bonafide.names import reading, skeleton

__all__ = ["EarlierApplicants", "EarlierMatch"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS applicant_keys (
    dossier_id TEXT NOT NULL,
    key_kind TEXT NOT NULL CHECK (key_kind IN ('person', 'document', 'name')),
    key_hash BLOB NOT NULL,
    PRIMARY KEY (dossier_id, key_kind, key_hash)
);
CREATE INDEX IF NOT EXISTS applicant_keys_by_hash ON applicant_keys (key_hash);
"""


@dataclass
class EarlierMatch:
    dossier_id: str
    shared: str  # "person", "document" or "name"
    differs: str  # what differs: "name" or "documents"


def _name_key(identity: dict[str, Any]) -> str | None:
    surname, given = identity.get("surname"), identity.get("given_name")
    born = identity.get("birth_date")
    if not (surname and given and born):
        return None
    words = [skeleton(reading(w)) for w in (str(surname), str(given))]
    return f"{words[0]}|{words[1]}|{born}"


class EarlierApplicants:
    def __init__(self, connection: sqlite3.Connection, secret: bytes) -> None:
        self._connection = connection
        self._secret = secret

    @classmethod
    def open(cls, data_dir: Path) -> EarlierApplicants:
        data_dir.mkdir(parents=True, exist_ok=True)
        secret_file = data_dir / "cases.key"
        if not secret_file.exists():
            secret_file.write_bytes(secrets.token_bytes(32))
            secret_file.chmod(0o600)
        connection = sqlite3.connect(data_dir / "cases.sqlite")
        connection.executescript(_SCHEMA)
        return cls(connection, secret_file.read_bytes())

    def close(self) -> None:
        self._connection.close()

    def _hash(self, text: str) -> bytes:
        return hmac.new(self._secret, text.encode(), hashlib.sha256).digest()

    def _keys(self, identity: dict[str, Any], person_id: int | None) -> list[tuple[str, bytes]]:
        keys = []
        if person_id is not None:
            keys.append(("person", self._hash(f"person:{person_id}")))
        for field in ("personal_number", "passport_number"):
            if identity.get(field):
                number = str(identity[field]).replace(" ", "").upper()
                keys.append(("document", self._hash(f"{field}:{number}")))
        name = _name_key(identity)
        if name:
            keys.append(("name", self._hash(f"name:{name}")))
        return keys

    def matches(
        self, dossier_id: str, identity: dict[str, Any], person_id: int | None
    ) -> list[EarlierMatch]:
        keys = self._keys(identity, person_id)
        mine = {kind: {h for k, h in keys if k == kind} for kind in ("person", "document", "name")}
        found: dict[str, EarlierMatch] = {}
        for kind, key_hash in keys:
            rows = self._connection.execute(
                "SELECT DISTINCT dossier_id FROM applicant_keys WHERE key_hash = ? "
                "AND dossier_id != ?",
                (key_hash, dossier_id),
            ).fetchall()
            for (other,) in rows:
                theirs = self._connection.execute(
                    "SELECT key_kind, key_hash FROM applicant_keys WHERE dossier_id = ?", (other,)
                ).fetchall()
                their = {k: {h for kk, h in theirs if kk == k} for k in ("name", "document")}
                if (
                    kind in ("person", "document")
                    and mine["name"]
                    and not (mine["name"] & their["name"])
                ):
                    found.setdefault(other, EarlierMatch(other, kind, "name"))
                elif (
                    kind == "name"
                    and mine["document"]
                    and their["document"]
                    and not (mine["document"] & their["document"])
                ):
                    found.setdefault(other, EarlierMatch(other, kind, "documents"))
        return list(found.values())

    def remember(self, dossier_id: str, identity: dict[str, Any], person_id: int | None) -> None:
        """Keep a dossier's keys; written with the next `commit` (one per batch, not per
        dossier: a commit waits for the disk)."""
        self._connection.execute("DELETE FROM applicant_keys WHERE dossier_id = ?", (dossier_id,))
        self._connection.executemany(
            "INSERT OR IGNORE INTO applicant_keys VALUES (?, ?, ?)",
            [(dossier_id, kind, key_hash) for kind, key_hash in self._keys(identity, person_id)],
        )

    def commit(self) -> None:
        self._connection.commit()
