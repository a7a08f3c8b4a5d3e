"""Earlier applicants, kept in the case store, to catch one person applying under two names.

The case store (`bonafide.cases`) keeps for each verified dossier only keyed hashes (HMAC-SHA256
under a subkey of the vault's data key, never stored) of: the resolved person, each document
number, and the name with the birth date — never the names or numbers themselves; without the
vault the hashes cannot be tested against guesses. A new dossier matches an earlier one when
they share the person or a document but not the name, or the name and birth date but not the
documents (`differs` says what); and it repeats an earlier one when they share the person, a
document or the name and nothing differs: the same person applying again under the same name,
perhaps rejected once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bonafide.cases import CaseStore
from bonafide.names import reading, skeleton

__all__ = ["ApplicantKeys", "EarlierApplicants", "EarlierMatch"]


@dataclass
class EarlierMatch:
    dossier_id: str
    shared: str  # "person", "document" or "name"
    differs: str | None  # what differs: "name" or "documents"; None: a repeat application
    verdict: str | None = None  # the earlier dossier's, when the case store still has it
    verified_at: str | None = None  # ISO time, to the minute


def _name_key(identity: dict[str, Any]) -> str | None:
    surname, given = identity.get("surname"), identity.get("given_name")
    born = identity.get("birth_date")
    if not (surname and given and born):
        return None
    words = [skeleton(reading(w)) for w in (str(surname), str(given))]
    return f"{words[0]}|{words[1]}|{born}"


ApplicantKeys = list[tuple[str, bytes]]  # (kind, keyed hash): what a dossier is found by


class EarlierApplicants:
    def __init__(self, cases: CaseStore) -> None:
        self._cases = cases

    def keys(self, identity: dict[str, Any], person_id: int | None) -> ApplicantKeys:
        """The keyed hashes a dossier is found by. They read only the vault's hash key, so a
        forked examiner computes them and the process keeping the cases only compares."""
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

    def matches(self, dossier_id: str, keys: ApplicantKeys) -> list[EarlierMatch]:
        """The earlier dossiers, other than this one, that share one of its `keys` and that it
        matches or repeats."""
        mine = {kind: {h for k, h in keys if k == kind} for kind in ("person", "document", "name")}
        found: dict[bytes, EarlierMatch] = {}
        repeats: dict[bytes, tuple[str, str | None]] = {}
        holding = self._cases.dossiers_with([h for _, h in keys], dossier_id)
        for kind, key_hash in keys:
            for other in holding.get(key_hash, ()):
                if other in found:
                    continue
                theirs = self._cases.keys_of(other)
                their = {k: {h for kk, h in theirs if kk == k} for k in ("name", "document")}
                match: tuple[str, str | None] | None = None
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
                elif kind in ("person", "name") and (
                    not mine["name"] or mine["name"] & their["name"]
                ):
                    match = (kind, None)
                if match is None:
                    continue
                if match[1] is None:  # a repeat, unless another key shows what differs
                    repeats.setdefault(other, match)
                    continue
                found[other] = self._match(other, match)
        for other, match in repeats.items():
            if other not in found:
                found[other] = self._match(other, match)
        return list(found.values())

    def _match(self, other: bytes, match: tuple[str, str | None]) -> EarlierMatch:
        kept = self._cases.kept_of(other)
        return EarlierMatch(
            kept.code if kept else "an earlier applicant",
            *match,
            verdict=kept.verdict if kept else None,
            verified_at=kept.verified_at if kept else None,
        )

    def remember(self, dossier_id: str, keys: ApplicantKeys) -> None:
        """Keep a dossier's keys; written with the case store's next commit (one per batch,
        not per dossier: a commit waits for the disk)."""
        self._cases.replace_keys(dossier_id, keys)
