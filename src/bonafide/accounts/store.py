"""Accounts and API tokens, in `<data-dir>/accounts.sqlite`, sealed like the case store.

Staff names are as dangerous as applicants' in the wrong hands: an account row is found by the
keyed hash of its name and holds only a sealed value (name, role, Argon2id password hash). A
token is `bft_<id>_<secret>`: its id is random and is the row's key; only a SHA-256 digest of
its secret is kept, sealed, so the database can check a token and never give one back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import sqlite3
import threading
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY

from bonafide.accounts.roles import Role
from bonafide.errors import InputError, StoreError
from bonafide.vault import Vault
from bonafide.vault.crypto import UndecryptableError, keyed_hash, seal, unseal
from bonafide.vault.sqlite import open_sqlite_store

__all__ = [
    "ACCOUNTS_FILE",
    "LANGUAGES",
    "MIN_PASSWORD",
    "Account",
    "AccountStore",
    "TokenInfo",
    "TokenKind",
]

ACCOUNTS_FILE = "accounts.sqlite"
MIN_PASSWORD = 12
_NAME = re.compile(r"^[\w.\-]{2,64}$")
_TOKEN = re.compile(r"^bft_([0-9a-f]{16})_([A-Za-z0-9_\-]{43})$")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (name_key BLOB PRIMARY KEY, sealed BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token_id TEXT PRIMARY KEY, sealed BLOB NOT NULL);
"""


class TokenKind(StrEnum):
    API = "api"  # made by `bonafide token create` or an administrator; lives until revoked
    SESSION = "session"  # made by signing in; expires


LANGUAGES = ("en", "ru", "be")  # the desk's interface languages


# Argon2id at the cost the library recommends (RFC 9106's second choice: 64 MiB, three passes);
# about 0.2 s a hash on the office's two cores, paid at each login and account change
PASSWORD_HASHING: Parameters = RFC_9106_LOW_MEMORY


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    created: str
    disabled: bool = False
    language: str = "en"  # the desk's interface language for this account


@dataclass(frozen=True)
class TokenInfo:
    token_id: str
    account: str
    kind: TokenKind
    created: str
    expires: str | None
    revoked: bool

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "kind": self.kind.value}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class AccountStore:
    """An open account store; safe to share between threads (one lock around the database)."""

    def __init__(self, connection: sqlite3.Connection, vault: Vault) -> None:
        self._connection = connection
        self._value_key = vault.key("account store values")
        self._hash_key = vault.key("account store hashes")
        self._lock = threading.Lock()
        self._hasher = PasswordHasher.from_parameters(PASSWORD_HASHING)
        # checked against when an account does not exist, so both cases cost the same
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    @classmethod
    def open(cls, vault: Vault) -> AccountStore:
        # shared: the service's request threads use it, one at a time (`self._lock`)
        connection = open_sqlite_store(
            vault, ACCOUNTS_FILE, _SCHEMA, "the account store", shared=True
        )
        return cls(connection, vault)

    def close(self) -> None:
        with self._lock:
            self._connection.commit()
            self._connection.close()

    def __enter__(self) -> AccountStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- sealed rows ------------------------------------------------------------------------

    def _name_key(self, name: str) -> bytes:
        return keyed_hash(self._hash_key, f"account:{name}".encode())

    def _seal(self, key: bytes, value: dict[str, Any]) -> bytes:
        return seal(self._value_key, json.dumps(value).encode("utf-8"), key)

    def _unseal(self, key: bytes, sealed: object) -> dict[str, Any]:
        try:
            if not isinstance(sealed, bytes):
                raise UndecryptableError
            value: dict[str, Any] = json.loads(unseal(self._value_key, sealed, key))
        except UndecryptableError:
            raise StoreError(
                "an account in the account store does not decrypt: it was changed outside bonafide",
                hint="restore the data directory from a backup (bonafide vault restore)",
            ) from None
        return value

    def _row(self, name: str) -> dict[str, Any] | None:
        key = self._name_key(name)
        row = self._connection.execute(
            "SELECT sealed FROM accounts WHERE name_key = ?", (key,)
        ).fetchone()
        return None if row is None else self._unseal(key, row[0])

    def _write(self, value: dict[str, Any]) -> None:
        key = self._name_key(value["name"])
        self._connection.execute(
            "INSERT OR REPLACE INTO accounts VALUES (?, ?)", (key, self._seal(key, value))
        )
        self._connection.commit()

    @staticmethod
    def _account(value: dict[str, Any]) -> Account:
        return Account(
            value["name"],
            Role(value["role"]),
            value["created"],
            value["disabled"],
            value.get("language", "en"),
        )

    # --- accounts ---------------------------------------------------------------------------

    def add(self, name: str, role: Role, password: str) -> Account:
        """A new account; InputError if the name is taken or malformed, or the password short."""
        if not _NAME.match(name):
            raise InputError(
                "account name: 2–64 letters, digits, dots, hyphens or underscores",
                hint="choose a pseudonym for the account, not a person's full name",
            )
        if len(password) < MIN_PASSWORD:
            raise InputError(
                f"password: at least {MIN_PASSWORD} characters",
                hint="use a passphrase of several words",
            )
        password_hash = self._hasher.hash(password)
        with self._lock:
            if self._row(name) is not None:
                raise InputError(
                    "account name: an account of that name exists",
                    hint="choose another name, or remove the old account first",
                )
            value = {
                "name": name,
                "role": role.value,
                "password_hash": password_hash,
                "created": _now().isoformat(),
                "disabled": False,
            }
            self._write(value)
        return self._account(value)

    def get(self, name: str) -> Account | None:
        with self._lock:
            value = self._row(name)
        return None if value is None else self._account(value)

    def accounts(self) -> list[Account]:
        with self._lock:
            rows = self._connection.execute("SELECT name_key, sealed FROM accounts").fetchall()
            values = [self._unseal(key, sealed) for key, sealed in rows]
        return sorted((self._account(v) for v in values), key=lambda a: a.name)

    def set_disabled(self, name: str, disabled: bool) -> Account:
        with self._lock:
            value = self._row(name)
            if value is None:
                raise InputError("account name: no such account", hint="see bonafide user list")
            value["disabled"] = disabled
            self._write(value)
        return self._account(value)

    def set_language(self, name: str, language: str) -> Account:
        if language not in LANGUAGES:
            raise InputError(f"language: one of {', '.join(LANGUAGES)}", hint="choose en, ru or be")
        with self._lock:
            value = self._row(name)
            if value is None:
                raise InputError("account name: no such account", hint="see bonafide user list")
            value["language"] = language
            self._write(value)
        return self._account(value)

    def remove(self, name: str) -> None:
        """Remove an account and revoke every token it holds."""
        with self._lock:
            if self._row(name) is None:
                raise InputError("account name: no such account", hint="see bonafide user list")
            self._connection.execute(
                "DELETE FROM accounts WHERE name_key = ?", (self._name_key(name),)
            )
            self._connection.commit()
        for token in self.tokens(name):
            self.revoke(token.token_id)

    def check_password(self, name: str, password: str) -> Account | None:
        """The account if the password is right and the account enabled, else None."""
        with self._lock:
            value = self._row(name)
        stored = value["password_hash"] if value else self._dummy_hash
        try:
            self._hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if value is None or value["disabled"]:
            return None
        return self._account(value)

    # --- tokens -----------------------------------------------------------------------------

    def create_token(
        self, name: str, kind: TokenKind = TokenKind.API, lifetime: dt.timedelta | None = None
    ) -> str:
        """A new token for account `name`, returned once; only its digest is kept."""
        if self.get(name) is None:
            raise InputError("account name: no such account", hint="see bonafide user list")
        token_id = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        now = _now()
        value = {
            "token_id": token_id,
            "account": name,
            "kind": kind.value,
            "digest": hashlib.sha256(secret.encode()).hexdigest(),
            "created": now.isoformat(),
            "expires": (now + lifetime).isoformat() if lifetime else None,
            "revoked": False,
        }
        key = token_id.encode()
        with self._lock:
            self._connection.execute(
                "INSERT INTO tokens VALUES (?, ?)", (token_id, self._seal(key, value))
            )
            self._connection.commit()
        return f"bft_{token_id}_{secret}"

    def account_of_token(self, token: str) -> Account | None:
        """The account a token stands for, None when it is unknown, revoked or expired, or its
        account is gone or disabled."""
        match = _TOKEN.match(token)
        if match is None:
            return None
        token_id, secret = match.groups()
        with self._lock:
            row = self._connection.execute(
                "SELECT sealed FROM tokens WHERE token_id = ?", (token_id,)
            ).fetchone()
        if row is None:
            return None
        value = self._unseal(token_id.encode(), row[0])
        digest = hashlib.sha256(secret.encode()).hexdigest()
        if not hmac.compare_digest(digest, value["digest"]) or value["revoked"]:
            return None
        if value["expires"] and dt.datetime.fromisoformat(value["expires"]) <= _now():
            return None
        account = self.get(value["account"])
        return None if account is None or account.disabled else account

    def _token_rows(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._connection.execute("SELECT token_id, sealed FROM tokens").fetchall()
        return [self._unseal(str(token_id).encode(), sealed) for token_id, sealed in rows]

    def tokens(self, name: str | None = None) -> list[TokenInfo]:
        return [
            TokenInfo(
                v["token_id"],
                v["account"],
                TokenKind(v["kind"]),
                v["created"],
                v["expires"],
                v["revoked"],
            )
            for v in self._token_rows()
            if name is None or v["account"] == name
        ]

    def revoke(self, token_id: str) -> bool:
        """Revoke a token by its id (also the prefix of a token: `bft_<id>_…`); False if none."""
        found = _TOKEN.match(token_id)
        token_id = found.group(1) if found else token_id
        key = token_id.encode()
        with self._lock:
            row = self._connection.execute(
                "SELECT sealed FROM tokens WHERE token_id = ?", (token_id,)
            ).fetchone()
            if row is None:
                return False
            value = self._unseal(key, row[0])
            value["revoked"] = True
            self._connection.execute(
                "UPDATE tokens SET sealed = ? WHERE token_id = ?",
                (self._seal(key, value), token_id),
            )
            self._connection.commit()
        return True

    def drop_expired_sessions(self) -> int:
        """Delete session tokens past their time; returns how many."""
        now = _now()
        gone = [
            v["token_id"]
            for v in self._token_rows()
            if v["kind"] == TokenKind.SESSION.value
            and v["expires"]
            and dt.datetime.fromisoformat(v["expires"]) <= now
        ]
        with self._lock:
            self._connection.executemany(
                "DELETE FROM tokens WHERE token_id = ?", [(t,) for t in gone]
            )
            self._connection.commit()
        return len(gone)
