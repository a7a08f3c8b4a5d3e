"""Who the dossier's identity is: the person index's answer, and the documents' own checks.

found: one person is probable (≥ FOUND) and no other is plausible; ambiguous: two or more
persons are plausible (≥ PLAUSIBLE); not found: nobody is plausible. Former surnames are looked
up too. The personal number is checked on its own (format, region, check digit) and against the
claimed sex and birth date; both document numbers are compared with the person's records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bonafide.documents.passport import is_passport_number
from bonafide.documents.personal_number import EXAMPLE_PERSONAL_NUMBER, check_personal_number
from bonafide.persons.match import MatchCandidate
from bonafide.verify.when import parse_when

__all__ = [
    "CANDIDATES",
    "FIRST_CANDIDATES",
    "DocumentCheck",
    "IdentityResult",
    "IdentityStatus",
    "check_documents",
    "identity_from",
    "identity_queries",
    "settled",
]

FOUND = 0.9
CANDIDATES = 3  # persons shown per identity, each explained
# index rows scored first for each identity looked up; one they do not settle (`settled`) is
# scored again against the matcher's full limit. At 10 M people a hundred rows a lookup, most
# of them namesakes whose names are parsed for nothing, were a third of a dossier's time.
FIRST_CANDIDATES = 10
PLAUSIBLE = 0.5
_QUERY_FIELDS = (
    "surname",
    "given_name",
    "patronymic",
    "full_name",
    "birth_place",
    "sex",
    "passport_number",
    "personal_number",
)


class IdentityStatus(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    AMBIGUOUS = "ambiguous"


@dataclass
class IdentityResult:
    status: IdentityStatus
    person_id: int | None
    probability: float
    candidates: list[MatchCandidate]

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "person_id": self.person_id,
            "probability": round(self.probability, 4),
            "candidates": [
                {
                    "person_id": c.person_id,
                    "probability": round(c.probability, 4),
                    "match_key": c.match_key,
                    "record": c.record,
                    "explanation": c.explanation,
                }
                for c in self.candidates
            ],
        }


@dataclass
class DocumentCheck:
    document: str  # "personal_number" or "passport_number"
    claimed: str
    problems: list[str] = field(default_factory=list)  # plain words, empty when all is well

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "claimed": self.claimed, "problems": self.problems}


def birth_date_of(identity: dict[str, Any]) -> dt.date | None:
    """The claimed birth date when it is given to the day."""
    try:
        span = parse_when(identity.get("birth_date"))
    except ValueError:
        return None
    return span.first if span is not None and span.first == span.last else None


def _query(identity: dict[str, Any], surname: str | None = None) -> dict[str, str]:
    query = {f: str(identity[f]) for f in _QUERY_FIELDS if identity.get(f)}
    if surname:
        query["surname"] = surname
        query.pop("full_name", None)
    born = birth_date_of(identity)
    if born is not None:
        query["birth_date"] = born.isoformat()
    return query


def identity_queries(identity: dict[str, Any]) -> list[dict[str, str]]:
    """The person records to look up for a claimed identity: as given, then under each former
    surname."""
    queries = [_query(identity)]
    queries += [_query(identity, former) for former in identity.get("former_surnames") or []]
    return queries


def settled(candidates: list[MatchCandidate]) -> bool:
    """Whether a lookup's candidates, most probable first, already say who it is: one person
    found and nobody else plausible. More candidates could only add persons less telling by
    their keys; where the first ones leave a doubt, those must be scored too."""
    return (
        bool(candidates)
        and candidates[0].probability >= FOUND
        and (len(candidates) < 2 or candidates[1].probability < PLAUSIBLE)
    )


def identity_from(candidates: list[MatchCandidate]) -> IdentityResult:
    """The identity status from the candidates of all of an identity's queries."""
    best: dict[int, MatchCandidate] = {}
    for candidate in candidates:
        known = best.get(candidate.person_id)
        if known is None or candidate.probability > known.probability:
            best[candidate.person_id] = candidate
    ranked = sorted(best.values(), key=lambda c: -c.probability)[:CANDIDATES]
    plausible = [c for c in ranked if c.probability >= PLAUSIBLE]
    if not plausible:
        return IdentityResult(IdentityStatus.NOT_FOUND, None, 0.0, ranked[:3])
    top = plausible[0]
    if len(plausible) > 1:
        return IdentityResult(IdentityStatus.AMBIGUOUS, top.person_id, top.probability, plausible)
    status = IdentityStatus.FOUND if top.probability >= FOUND else IdentityStatus.AMBIGUOUS
    return IdentityResult(status, top.person_id, top.probability, plausible)


def _same_number(a: str, b: str) -> bool:
    return a.replace(" ", "").replace("-", "").upper() == b.replace(" ", "").upper()


_PERSONAL_NUMBER_WORDS = {
    "format": f"is not 14 characters of the form {EXAMPLE_PERSONAL_NUMBER}",
    "birth_date": "encodes an impossible birth date",
    "region": "has an unknown region letter",
    "check_digit": "has a wrong check digit",
    "sex_mismatch": "encodes the other sex",
    "birth_date_mismatch": "encodes another birth date",
}


def check_documents(
    identity: dict[str, Any], person_records: list[dict[str, Any]]
) -> list[DocumentCheck]:
    """Checks of the claimed document numbers, on their own and against the person's records."""
    checks = []
    number = identity.get("personal_number")
    if number:
        problems = [
            f"the personal number {_PERSONAL_NUMBER_WORDS[p.value]}"
            for p in check_personal_number(
                str(number), sex=identity.get("sex"), birth_date=birth_date_of(identity)
            )
        ]
        known = {str(r["personal_number"]) for r in person_records if r.get("personal_number")}
        if known and not any(_same_number(str(number), k) for k in known):
            problems.append(f"the registry gives this person {', '.join(sorted(known))}")
        checks.append(DocumentCheck("personal_number", str(number), problems))
    passport = identity.get("passport_number")
    if passport:
        problems = []
        if not is_passport_number(str(passport)):
            problems.append("the passport number is not two letters and seven digits")
        known = {str(r["passport_number"]) for r in person_records if r.get("passport_number")}
        if known and not any(_same_number(str(passport), k) for k in known):
            problems.append(f"the registry's passports for this person: {', '.join(sorted(known))}")
        checks.append(DocumentCheck("passport_number", str(passport), problems))
    return checks
