"""Stable entity ids: keyed hashes, never a name or a number in clear.

An FtM entity id must be stable (the same record gives the same id in every export, so that
consumers such as nomenklatura, yente and Aleph merge rather than duplicate) and must not carry
personal data. A registry record's `record_key` is an md5 of its text — names, birth date,
personal number — so it could be confirmed by guessing; the ids are therefore HMAC-SHA256
under a key of the vault's (`ftm entity ids`), cut to 128 bits: the same in every run for one
vault, meaningless and unguessable without its key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bonafide.vault import Vault

__all__ = ["ID_PREFIX", "KEY_PURPOSE", "EntityIds"]

ID_PREFIX = "bf"
KEY_PURPOSE = "ftm entity ids"
_SEPARATOR = "\x1f"


class EntityIds:
    """Makes the ids of the entities bonafide writes, under one key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("an entity id key needs at least 16 bytes")
        self._key = key

    @classmethod
    def for_vault(cls, vault: Vault) -> EntityIds:
        """The ids of one vault's entities (its key never leaves the vault object)."""
        return cls(vault.key(KEY_PURPOSE))

    def _digest(self, *parts: str) -> str:
        message = _SEPARATOR.join(parts).encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]

    def record(self, kind: str, record_key: str) -> str:
        """The entity standing for a registry record: the `Person` of an identity or watchlist
        record, the link (`UnknownLink`, `Employment`, `Membership`) of the other kinds."""
        return f"{ID_PREFIX}-{kind}-{self._digest('record', kind, record_key)}"

    def record_person(self, kind: str, record_key: str) -> str:
        """The `Person` as a residence, education or employment record names them."""
        return f"{ID_PREFIX}-{kind}-person-{self._digest('record person', kind, record_key)}"

    def passport(self, kind: str, record_key: str) -> str:
        """The `Passport` of an identity record."""
        return f"{ID_PREFIX}-{kind}-passport-{self._digest('passport', kind, record_key)}"

    def address(self, parts: Sequence[str]) -> str:
        """An `Address`, from its parts as written (the same text: the same entity)."""
        return f"{ID_PREFIX}-address-{self._digest('address', *parts)}"

    def organization(self, parts: Sequence[str]) -> str:
        """An `Organization` (employer or educational institution), from its text as written."""
        return f"{ID_PREFIX}-organization-{self._digest('organization', *parts)}"

    def person(self, person_id: int) -> str:
        """A resolved person (`bonafide registry resolve`): stable while the person index is
        updated incrementally; `resolve --rebuild` may number persons anew."""
        return f"{ID_PREFIX}-person-{self._digest('person', str(int(person_id)))}"
