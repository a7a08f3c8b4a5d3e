"""Resolved persons' ids as the outside sees them: opaque, stable, not to be enumerated.

A person's number in the index (`person_id`) counts up from 1: given out in URLs, it would let
anyone holding a token walk the whole registry by counting (`/reconcile/preview?id=1, 2, …`).
Outside the service a person is therefore the id bonafide's FollowTheMoney export gives them
(`bonafide.ftm.ids`: `bf-person-<32 hex>`, a keyed hash of the number under a key of the
vault's), so a reconciled spreadsheet and an FtM export agree. It is stable while the person
index is updated incrementally (`resolve --rebuild` may number persons anew) and meaningless
without the vault.

Going back from an id to the person needs every person's id: they are computed once per
opened index, on first use, and kept as a sorted array of 16-byte digests (16 MB for a million
persons; a few seconds to build).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
import weakref

import numpy as np
import numpy.typing as npt

from bonafide.ftm.ids import ID_PREFIX, KEY_PURPOSE, EntityIds
from bonafide.persons.index import PersonIndex
from bonafide.vault import Vault

__all__ = ["ID_PATTERN", "PersonIds", "identifier_space", "person_ids_of"]

PREFIX = f"{ID_PREFIX}-person-"
ID_PATTERN = rf"^{PREFIX}[0-9a-f]{{32}}$"
_ID = re.compile(ID_PATTERN)


def _digest(entity_id: str) -> bytes:
    return bytes.fromhex(entity_id[len(PREFIX) :])


class PersonIds:
    """The ids of one opened person index's persons, both ways."""

    def __init__(self, ids: EntityIds, index: PersonIndex) -> None:
        self._ids = ids
        self._index = index
        self._digests: npt.NDArray[np.bytes_] | None = None
        self._persons: npt.NDArray[np.int64] | None = None
        self._lock = threading.Lock()

    def id_of(self, person_id: int) -> str:
        return self._ids.person(person_id)

    def person_of(self, entity_id: str) -> int | None:
        """The person an id stands for; None if it is not one of this index's ids."""
        if not _ID.match(entity_id):
            return None
        digests, persons = self._table()
        wanted = np.array([_digest(entity_id)], dtype="S16")
        at = int(np.searchsorted(digests, wanted[0]))
        if at < len(digests) and digests[at] == wanted[0]:
            return int(persons[at])
        return None

    def _table(self) -> tuple[npt.NDArray[np.bytes_], npt.NDArray[np.int64]]:
        with self._lock:
            if self._digests is None or self._persons is None:
                column = self._index.records.column("person_id").to_numpy()
                persons = np.unique(np.asarray(column, dtype=np.int64))
                digests = np.array(
                    [_digest(self._ids.person(p)) for p in persons.tolist()], dtype="S16"
                )
                order = np.argsort(digests, kind="stable")
                self._digests, self._persons = digests[order], persons[order]
            return self._digests, self._persons


_CACHE: weakref.WeakKeyDictionary[PersonIndex, PersonIds] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def person_ids_of(vault: Vault, index: PersonIndex) -> PersonIds:
    """The ids of `index`'s persons, kept while the index is open."""
    with _CACHE_LOCK:
        ids = _CACHE.get(index)
        if ids is None:
            ids = _CACHE[index] = PersonIds(EntityIds.for_vault(vault), index)
        return ids


def identifier_space(vault: Vault) -> str:
    """A URI naming one vault's person ids: the ids of one vault mean nothing in another."""
    tag = hmac.new(vault.key(KEY_PURPOSE), b"identifier space", hashlib.sha256).hexdigest()
    return f"urn:bonafide:persons:{tag[:16]}"
