"""Earlier applicants, kept in the case store, to catch one person applying under two names.

The case store (`bonafide.cases`) keeps for each verified dossier only keyed hashes (HMAC-SHA256
under a subkey of the vault's data key, never stored) of: the resolved person, each document
number, and the name with the birth date — never the names or numbers themselves; without the
vault the hashes cannot be tested against guesses. A new dossier matches an earlier one when
they share the person or a document but not the name, or the name and birth date but not the
documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bonafide.cases import CaseStore
from bonafide.names import reading, skeleton

__all__ = ["EarlierApplicants", "EarlierMatch"]


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
    def __init__(self, cases: CaseStore) -> None:
        self._cases = cases

    def _keys(self, identity: dict[str, Any], person_id: int | None) -> list[tuple[str, bytes]]:
        keys = []
        if person_id is not None:
            keys.append(("person", self._cases.hash(f"person:{person_id}")))
        for field in ("personal_number", "passport_number"):
            if identity.get(field):
                number = str(identity[field]).replace(" ", "").upper()
                keys.append(("document", self._cases.hash(f"{field}:{number}")))
        name = _name_key(identity)
        if name:
            keys.append(("name", self._cases.hash(f"name:{name}")))
        return keys

    def matches(
        self, dossier_id: str, identity: dict[str, Any], person_id: int | None
    ) -> list[EarlierMatch]:
        keys = self._keys(identity, person_id)
        mine = {kind: {h for k, h in keys if k == kind} for kind in ("person", "document", "name")}
        found: dict[bytes, EarlierMatch] = {}
        for kind, key_hash in keys:
            for other in self._cases.dossiers_with(key_hash, dossier_id):
                if other in found:
                    continue
                theirs = self._cases.keys_of(other)
                their = {k: {h for kk, h in theirs if kk == k} for k in ("name", "document")}
                match = None
                if (
                    kind in ("person", "document")
                    and mine["name"]
                    and not (mine["name"] & their["name"])
                ):
                    match = (kind, "name")
                elif (
                    kind == "name"
                    and mine["document"]
                    and their["document"]
                    and not (mine["document"] & their["document"])
                ):
                    match = (kind, "documents")
                if match is not None:
                    code = self._cases.code_of(other) or "an earlier applicant"
                    found[other] = EarlierMatch(code, *match)
        return list(found.values())

    def remember(self, dossier_id: str, identity: dict[str, Any], person_id: int | None) -> None:
        """Keep a dossier's keys; written with the case store's next commit (one per batch,
        not per dossier: a commit waits for the disk)."""
        self._cases.replace_keys(dossier_id, self._keys(identity, person_id))
