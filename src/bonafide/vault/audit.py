"""The audit log: append-only, hash-chained, encrypted (`<data-dir>/audit.sqlite`).

Each entry says who (the key slot that unlocked, or a named actor), when (to the second), what
(an `AuditAction`), which dossier code if any, and counts — never a name, number or address.
It is sealed under the vault's audit key; its link in the chain is
    link(n) = HMAC(chain key, link(n-1) ‖ n ‖ sealed entry n)
and the head — the last entry's number and link — is sealed in the same transaction as the entry.
`verify` recomputes the chain: an entry edited, removed, moved or inserted breaks a link;
entries cut from the end leave the head pointing past the last one. Without the vault's key
nobody can write a link that verifies. What it cannot show: an insider holding the key who
rewrites the whole chain, or one who puts back an older copy of the whole file; `head` prints
the head so that it can be written down elsewhere and compared (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bonafide.errors import StoreError
from bonafide.vault.crypto import UndecryptableError, keyed_hash, seal, unseal
from bonafide.vault.sqlite import open_sqlite_store
from bonafide.vault.vault import Vault

__all__ = [
    "AUDIT_FILE",
    "AuditAction",
    "AuditEntry",
    "AuditLog",
    "ChainCheck",
    "ChainProblem",
    "record_action",
]

AUDIT_FILE = "audit.sqlite"
_GENESIS = b"\x00" * 32
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY, sealed BLOB NOT NULL,
                                    link BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS head (one INTEGER PRIMARY KEY CHECK (one = 1), sealed BLOB NOT NULL);
"""


class AuditAction(StrEnum):
    VAULT_CREATED = "vault created"
    KEY_SLOT_ADDED = "key slot added"
    KEY_SLOT_REMOVED = "key slot removed"
    PASSPHRASE_CHANGED = "passphrase changed"
    REGISTRY_IMPORTED = "registry imported"
    REGISTRIES_RESOLVED = "registries resolved"
    REJECTS_READ = "import rejects read"
    PERSONS_LOOKED_UP = "registry persons looked up"
    DOSSIER_VERIFIED = "dossier verified"
    DOSSIER_READ = "dossier read"
    RESULTS_EXPORTED = "results exported in plain text"
    RETENTION_SET = "retention set"
    DOSSIERS_REDUCED = "dossiers reduced"
    BACKUP_WRITTEN = "backup written"
    RESTORED = "restored from backup"
    AUDIT_READ = "audit log read"
    DOSSIERS_LISTED = "dossiers listed"
    ACCOUNT_ADDED = "account added"
    ACCOUNT_CHANGED = "account changed"
    ACCOUNT_REMOVED = "account removed"
    TOKEN_CREATED = "token created"
    TOKEN_REVOKED = "token revoked"
    SIGNED_IN = "signed in"
    SIGN_IN_REFUSED = "sign-in refused"
    VAULT_UNLOCKED = "vault unlocked"
    VAULT_LOCKED = "vault locked"
    DOSSIER_ENTERED = "dossier entered"
    DOSSIER_SUBMITTED = "dossier submitted"
    DOSSIER_TAKEN = "dossier taken for vetting"
    DOSSIER_DECIDED = "dossier decided"
    HANDOFF_READ = "hand-off list read"
    AUDIT_EXPORTED = "audit log exported"
    PERSONS_SCREENED = "names screened"
    REPORTS_UNLOCKED = "reports channel unlocked"
    REPORTS_LOCKED = "reports channel locked"
    EVENT_READ = "event and its reports read"
    EVENT_GRADED = "event graded"
    EVENT_PUBLISHED = "event published"
    EVENT_RETRACTED = "event retracted"
    EVENTS_MERGED = "events merged"
    EVENT_SPLIT = "event split"


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str  # UTC, to the second
    actor: str
    action: AuditAction
    dossier: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)  # counts and codes, no values

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "action": self.action.value,
            "dossier": self.dossier,
            "detail": self.detail,
        }


class ChainProblem(StrEnum):
    UNREADABLE = "entry does not decrypt (edited)"
    BROKEN_LINK = "link does not follow from the one before (edited, removed, moved or inserted)"
    GAP = "entry numbers skip (removed)"
    TRUNCATED = "the head names entries that are missing (cut from the end)"
    NO_HEAD = "the head is missing or does not decrypt"
    EMPTIED = "the log is empty, but every vault's log begins with its creation (emptied)"


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    head_seq: int
    problems: tuple[tuple[int, ChainProblem], ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class AuditLog:
    """The audit log of an unlocked vault."""

    def __init__(self, vault: Vault, actor: str | None = None, shared: bool = False) -> None:
        """The log of `vault`, entries recorded as `actor` unless a call names another;
        `shared`: its connection may be used from several threads (the service's, which
        serialises its use with a lock)."""
        self._entry_key = vault.key("audit entries")
        self._chain_key = vault.key("audit chain")
        self.actor = actor or (f"key slot {vault.slot_id}" if vault.slot_id else "benchmark")
        self._connection = open_sqlite_store(
            vault, AUDIT_FILE, _SCHEMA, "the audit log", shared=shared, isolation_level=None
        )

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _link(self, previous: bytes, seq: int, sealed: bytes) -> bytes:
        return keyed_hash(self._chain_key, previous + seq.to_bytes(8, "big") + sealed)

    def _head(self) -> tuple[int, bytes] | None:
        row = self._connection.execute("SELECT sealed FROM head").fetchone()
        if row is None:
            return None
        if not isinstance(row[0], bytes):
            raise UndecryptableError
        try:
            data = json.loads(unseal(self._entry_key, row[0], b"head"))
            return int(data["seq"]), bytes.fromhex(data["link"])
        except (ValueError, KeyError, TypeError):
            raise UndecryptableError from None

    def record(
        self,
        action: AuditAction,
        dossier: str | None = None,
        detail: dict[str, Any] | None = None,
        actor: str | None = None,
    ) -> None:
        self.record_many([(action, dossier, detail or {})], actor)

    def record_many(
        self,
        entries: list[tuple[AuditAction, str | None, dict[str, Any]]],
        actor: str | None = None,
    ) -> None:
        """Append entries in one transaction, as `actor` (or the log's own actor)."""
        if not entries:
            return
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            try:
                head = self._head()
            except UndecryptableError:
                raise StoreError(
                    "the audit log's head does not decrypt: the log was changed outside bonafide",
                    hint="run bonafide audit verify and restore the data directory from a backup",
                ) from None
            seq, link = head if head is not None else (0, _GENESIS)
            at = _now()
            for action, dossier, detail in entries:
                seq += 1
                entry = AuditEntry(seq, at, actor or self.actor, action, dossier, detail)
                plaintext = json.dumps(entry.to_json(), ensure_ascii=False).encode("utf-8")
                sealed = seal(self._entry_key, plaintext, seq.to_bytes(8, "big"))
                link = self._link(link, seq, sealed)
                connection.execute("INSERT INTO entries VALUES (?, ?, ?)", (seq, sealed, link))
            head_value = json.dumps({"seq": seq, "link": link.hex()}).encode()
            connection.execute(
                "INSERT OR REPLACE INTO head VALUES (1, ?)",
                (seal(self._entry_key, head_value, b"head"),),
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def _rows(self) -> Iterator[tuple[int, bytes, bytes]]:
        """(seq, sealed, link) in order; a value of the wrong type (written outside bonafide)
        as empty bytes, which neither decrypt nor link."""
        for seq, sealed, link in self._connection.execute(
            "SELECT seq, sealed, link FROM entries ORDER BY seq"
        ):
            yield (
                int(seq) if isinstance(seq, int) else -1,
                sealed if isinstance(sealed, bytes) else b"",
                link if isinstance(link, bytes) else b"",
            )

    def count(self) -> int:
        """How many entries the log holds, readable or not."""
        return int(self._connection.execute("SELECT count(*) FROM entries").fetchone()[0])

    def entries(self) -> Iterator[AuditEntry]:
        """Every entry that decrypts, in order (`verify` says whether the chain holds)."""
        for seq, sealed, _ in self._rows():
            try:
                data = json.loads(unseal(self._entry_key, sealed, seq.to_bytes(8, "big")))
            except UndecryptableError:
                continue
            yield AuditEntry(
                seq=int(data["seq"]),
                at=data["at"],
                actor=data["actor"],
                action=AuditAction(data["action"]),
                dossier=data.get("dossier"),
                detail=data.get("detail") or {},
            )

    def verify(self) -> ChainCheck:
        problems: list[tuple[int, ChainProblem]] = []
        expected_link = _GENESIS
        expected_seq = 1
        count = 0
        last_seq = 0
        for seq, sealed, link in self._rows():
            count += 1
            if seq != expected_seq:
                problems.append((seq, ChainProblem.GAP))
            try:
                unseal(self._entry_key, sealed, seq.to_bytes(8, "big"))
            except UndecryptableError:
                problems.append((seq, ChainProblem.UNREADABLE))
            if self._link(expected_link, seq, sealed) != link:
                problems.append((seq, ChainProblem.BROKEN_LINK))
            expected_link, expected_seq, last_seq = link, seq + 1, seq
        try:
            head = self._head()
        except UndecryptableError:
            head = None
        if head is None:
            problems.append((last_seq, ChainProblem.NO_HEAD if count else ChainProblem.EMPTIED))
            return ChainCheck(count, 0, tuple(problems))
        head_seq, head_link = head
        if head_seq > last_seq:
            problems.append((head_seq, ChainProblem.TRUNCATED))
        elif head_seq < last_seq or head_link != expected_link:
            problems.append((last_seq, ChainProblem.BROKEN_LINK))
        return ChainCheck(count, head_seq, tuple(problems))

    def head(self) -> tuple[int, str]:
        """The last entry's number and link (hex), to write down elsewhere."""
        head = self._head()
        return (0, _GENESIS.hex()) if head is None else (head[0], head[1].hex())


def record_action(
    vault: Vault,
    action: AuditAction,
    dossier: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """One entry, in the log of `vault` (opened and closed for it): what a command records."""
    with AuditLog(vault) as log:
        log.record(action, dossier, detail)
