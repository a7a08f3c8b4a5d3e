"""One claim against the registry records of the person the dossier's identity resolved to.

A claim is `confirmed` when a record agrees on the place (settlement, street, house for a
residence; institution for education; employer for a job) and on the time; `contradicted`
when the registry shows the person elsewhere over the claimed time (or at the claimed place at a
clearly different time); `unverifiable` when the registry has nothing for the person over that
time. Honest mistakes — a date a year off, "about", an old street name, a transliteration —
still confirm, and are listed as tolerated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bonafide.verify.texts import (
    Agreement,
    compare_house,
    compare_organisation,
    compare_settlement,
    compare_street,
)
from bonafide.verify.when import Span, period

__all__ = ["ClaimKind", "ClaimResult", "ClaimVerdict", "check_claim"]

Record = dict[str, Any]
TOLERATED_DAYS = 400  # a date about a year off is an honest mistake


class ClaimKind(StrEnum):
    RESIDENCE = "residence"
    EDUCATION = "education"
    EMPLOYMENT = "employment"


class ClaimVerdict(StrEnum):
    CONFIRMED = "confirmed"
    CONTRADICTED = "contradicted"
    UNVERIFIABLE = "unverifiable"


@dataclass
class ClaimResult:
    kind: ClaimKind
    position: int  # index in the dossier's list of that kind
    claim: Record
    verdict: ClaimVerdict
    probability: float  # that the claim is true
    reason: str
    records: list[Record] = field(default_factory=list)  # supporting or contradicting
    tolerated: list[str] = field(default_factory=list)  # honest mistakes seen

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "position": self.position,
            "claim": self.claim,
            "verdict": self.verdict.value,
            "probability": round(self.probability, 4),
            "reason": self.reason,
            "records": [_jsonable(r) for r in self.records],
            "tolerated": self.tolerated,
        }


def _jsonable(record: Record) -> Record:
    return {
        k: v.isoformat() if isinstance(v, dt.date) else v
        for k, v in record.items()
        if v is not None and k not in ("person_id", "probability")
    }


@dataclass
class _Fit:
    """How one record fits a claim."""

    record: Record
    place: bool  # the place agrees
    time: str  # "agree", "near" (about a year off), "apart", "unknown"
    notes: list[str]

    @property
    def rank(self) -> tuple[int, int]:
        return (int(self.place), {"agree": 3, "near": 2, "unknown": 1, "apart": 0}[self.time])


def _span_of(first: object, last: object, today: dt.date) -> Span | None:
    def day(value: object, end: bool) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int):
            return dt.date(value, 12, 31) if end else dt.date(value, 1, 1)
        return None

    start, stop = day(first, False), day(last, True) or today
    if start is None:
        return None
    return Span(start, max(start, stop))


def _time(claimed: Span | None, recorded: Span | None) -> str:
    if claimed is None or recorded is None:
        return "unknown"
    if claimed.overlaps(recorded):
        return "agree"
    if claimed.overlaps(recorded, TOLERATED_DAYS):
        return "near"
    return "apart"


def _core(claimed: Span | None) -> Span | None:
    """The claimed span without its first and last TOLERATED_DAYS (its middle day when that
    leaves nothing): a stay elsewhere that only touches the claim's ends is a remembered date
    a little off, not a contradiction."""
    if claimed is None:
        return None
    slack = dt.timedelta(days=TOLERATED_DAYS)
    if claimed.last - claimed.first > 2 * slack:
        return Span(claimed.first + slack, claimed.last - slack)
    middle = claimed.first + (claimed.last - claimed.first) / 2
    return Span(middle, middle)


def _record_span(kind: ClaimKind, record: Record, today: dt.date) -> Span | None:
    first, last = {
        ClaimKind.RESIDENCE: ("registered_from", "registered_to"),
        ClaimKind.EDUCATION: ("start_year", "graduation_year"),
        ClaimKind.EMPLOYMENT: ("employed_from", "employed_to"),
    }[kind]
    return _span_of(record.get(first), record.get(last), today)


def _years(span: Span | None) -> str:
    if span is None:
        return "?"
    return (
        f"{span.first.year}–{span.last.year}"
        if span.first.year != span.last.year
        else str(span.first.year)
    )


def _residence_fit(claim: Record, record: Record, claimed: Span | None, today: dt.date) -> _Fit:
    notes: list[str] = []
    place = compare_settlement(claim["settlement"], record.get("settlement") or "")
    fits = place is not Agreement.DIFFERENT
    if place is Agreement.ALIKE:
        notes.append("settlement spelt differently")
    if fits and claim.get("street") and record.get("street"):
        street, renamed = compare_street(claim["street"], record["street"], claim["settlement"])
        fits = street is not Agreement.DIFFERENT
        if renamed:
            notes.append(f"old street name ({claim['street']} is now {record['street']})")
        elif street is Agreement.ALIKE:
            notes.append("street spelt differently")
        if fits and claim.get("house") and record.get("house"):
            fits = compare_house(claim["house"], record["house"]) is Agreement.SAME
    recorded = _record_span(ClaimKind.RESIDENCE, record, today)
    return _Fit(record, fits, _time(claimed, recorded), notes)


def _organisation_fit(
    kind: ClaimKind, claim: Record, record: Record, claimed: Span | None, today: dt.date
) -> _Fit:
    """An institution or employer: its name, then (for a school) its town, then the time."""
    name, settlement = _ORGANISATION_FIELDS[kind]
    notes: list[str] = []
    agreement = compare_organisation(claim[name], record.get(name) or "")
    fits = agreement is not Agreement.DIFFERENT
    if agreement is Agreement.ALIKE:
        notes.append(f"{name} named differently")
    if fits and settlement and claim.get("settlement") and record.get(settlement):
        fits = (
            compare_settlement(claim["settlement"], record[settlement]) is not Agreement.DIFFERENT
        )
    return _Fit(record, fits, _time(claimed, _record_span(kind, record, today)), notes)


_ORGANISATION_FIELDS = {
    ClaimKind.EDUCATION: ("institution", "institution_settlement"),
    ClaimKind.EMPLOYMENT: ("employer", None),
}


# the registries' words for a level of education → the dossier's
_LEVELS = {
    "общее среднее": "school",
    "агульная сярэдняя": "school",
    "профессионально-техническое": "vocational",
    "прафесійна-тэхнічная": "vocational",
    "среднее специальное": "college",
    "сярэдняя спецыяльная": "college",
    "высшее": "university",
    "вышэйшая": "university",
}


def _comparable(kind: ClaimKind, claim: Record, record: Record) -> bool:
    """Whether a record over the claimed time is an alternative to the claim: a school is no
    alternative to a university studied at the same time."""
    if kind is not ClaimKind.EDUCATION or not claim.get("level"):
        return True
    level = _LEVELS.get(str(record.get("level") or "").lower())
    return level is None or level == claim["level"]


def _residence_text(record: Record) -> str:
    street = " ".join(p for p in (record.get("street"), record.get("house")) if p)
    return ", ".join(p for p in (record.get("settlement"), street) if p)


def _describe(kind: ClaimKind, record: Record, today: dt.date) -> str:
    if kind is ClaimKind.RESIDENCE:
        span = _span_of(record.get("registered_from"), record.get("registered_to"), today)
        return f"lived in {_residence_text(record)} {_years(span)}"
    if kind is ClaimKind.EDUCATION:
        span = _span_of(record.get("start_year"), record.get("graduation_year"), today)
        where = record.get("institution") or "?"
        return f"studied at {where} {_years(span)}"
    span = _span_of(record.get("employed_from"), record.get("employed_to"), today)
    return f"worked at {record.get('employer') or '?'} {_years(span)}"


def _claimed_text(kind: ClaimKind, claim: Record) -> str:
    if kind is ClaimKind.RESIDENCE:
        return _residence_text(claim)
    return str(claim.get("institution") or claim.get("employer"))


_FITS: dict[ClaimKind, Callable[[Record, Record, Span | None, dt.date], _Fit]] = {
    ClaimKind.RESIDENCE: _residence_fit,
    ClaimKind.EDUCATION: lambda c, r, s, t: _organisation_fit(ClaimKind.EDUCATION, c, r, s, t),
    ClaimKind.EMPLOYMENT: lambda c, r, s, t: _organisation_fit(ClaimKind.EMPLOYMENT, c, r, s, t),
}
_REGISTRY_NAMES = {
    ClaimKind.RESIDENCE: "residence",
    ClaimKind.EDUCATION: "education",
    ClaimKind.EMPLOYMENT: "employment",
}


def check_claim(
    kind: ClaimKind,
    position: int,
    claim: Record,
    records: list[Record],
    today: dt.date,
    coverage: float | None,
) -> ClaimResult:
    """The verdict on one claim, given the person's records of that kind."""
    try:
        claimed = period(claim.get("from"), claim.get("to"), today)
    except ValueError as error:
        return ClaimResult(kind, position, claim, ClaimVerdict.UNVERIFIABLE, 0.5, f"dates: {error}")
    registry = _REGISTRY_NAMES[kind]
    if not records:
        covered = (
            f"; the {registry} registry covers {coverage:.0%} of people born that year"
            if coverage is not None
            else ""
        )
        return ClaimResult(
            kind,
            position,
            claim,
            ClaimVerdict.UNVERIFIABLE,
            0.5,
            f"no {registry} record for anyone matching this person{covered}",
        )
    fits = sorted((_FITS[kind](claim, r, claimed, today) for r in records), key=lambda f: f.rank)
    best = fits[-1]
    what = _claimed_text(kind, claim)
    if best.place and best.time in ("agree", "unknown", "near"):
        tolerated = list(best.notes)
        if best.time == "near":
            tolerated.append("dates about a year off")
        if claimed is not None and claimed.approximate:
            tolerated.append("approximate dates")
        probability = 0.97 if not tolerated else 0.92
        return ClaimResult(
            kind,
            position,
            claim,
            ClaimVerdict.CONFIRMED,
            probability,
            f"registry: {_describe(kind, best.record, today)}",
            [best.record],
            tolerated,
        )
    core = _core(claimed)
    elsewhere = [
        f
        for f in fits
        if not f.place
        and core is not None
        and _comparable(kind, claim, f.record)
        and (span := _record_span(kind, f.record, today)) is not None
        and core.overlaps(span)
    ]
    if elsewhere:
        shown = elsewhere[-1].record
        return ClaimResult(
            kind,
            position,
            claim,
            ClaimVerdict.CONTRADICTED,
            0.08,
            f"registry: {_describe(kind, shown, today)}, not {what} {_years(claimed)}",
            [f.record for f in elsewhere[-3:]],
        )
    if best.place:  # the right place at a clearly different time
        return ClaimResult(
            kind,
            position,
            claim,
            ClaimVerdict.CONTRADICTED,
            0.25,
            f"registry: {_describe(kind, best.record, today)}, not {_years(claimed)}",
            [best.record],
        )
    return ClaimResult(
        kind,
        position,
        claim,
        ClaimVerdict.UNVERIFIABLE,
        0.5,
        f"the {registry} registry has no record of this person for {_years(claimed)}",
    )
