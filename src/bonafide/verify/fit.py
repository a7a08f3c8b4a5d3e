"""Whether a registry record is about the place a claim names, and when the record says.

The place: the settlement, street and house of a residence; the institution (and its town) of
a course; the employer of a job — in any script, with the honest differences of spelling and
renaming that `texts.py` tolerates, each noted. The time is the record's own span.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bonafide.verify.dossier import Claim
from bonafide.verify.kinds import ClaimKind, spec_of
from bonafide.verify.texts import (
    Agreement,
    compare_house,
    compare_organisation,
    compare_settlement,
    compare_street,
)
from bonafide.verify.when import Span

__all__ = ["PlaceFit", "comparable", "place_fit", "record_span"]

Record = dict[str, Any]


@dataclass(frozen=True)
class PlaceFit:
    fits: bool
    notes: list[str] = field(default_factory=list)  # honest differences seen


def _day(value: object, end: bool) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int):  # education registries keep years
        return dt.date(value, 12, 31) if end else dt.date(value, 1, 1)
    return None


def record_span(kind: ClaimKind, record: Record, today: dt.date) -> Span | None:
    """The days a record covers (an open end: until `today`); None without a start."""
    spec = spec_of(kind)
    start, stop = _day(record.get(spec.record_from), False), _day(record.get(spec.record_to), True)
    if start is None:
        return None
    return Span(start, max(start, stop or today))


def _residence(claim: Claim, record: Record) -> PlaceFit:
    entry = claim.entry
    notes: list[str] = []
    place = compare_settlement(entry["settlement"], record.get("settlement") or "")
    if place is Agreement.DIFFERENT:
        return PlaceFit(False)
    if place is Agreement.ALIKE:
        notes.append("settlement spelt differently")
    if entry.get("street") and record.get("street"):
        street, renamed = compare_street(entry["street"], record["street"], entry["settlement"])
        if street is Agreement.DIFFERENT:
            return PlaceFit(False)
        if renamed:
            notes.append(f"old street name ({entry['street']} is now {record['street']})")
        elif street is Agreement.ALIKE:
            notes.append("street spelt differently")
        house, recorded = entry.get("house"), record.get("house")
        if house and recorded and compare_house(house, recorded) is not Agreement.SAME:
            return PlaceFit(False)
    return PlaceFit(True, notes)


def _organisation(claim: Claim, record: Record) -> PlaceFit:
    spec = spec_of(claim.kind)
    agreement = compare_organisation(claim.place, record.get(spec.place) or "")
    if agreement is Agreement.DIFFERENT:
        return PlaceFit(False)
    notes = [f"{spec.place} named differently"] if agreement is Agreement.ALIKE else []
    # a school's town tells two schools of one number apart; an employer's name is enough
    town = record.get(spec.record_settlement or "") if claim.kind is ClaimKind.EDUCATION else None
    if (
        claim.settlement
        and town
        and compare_settlement(claim.settlement, str(town)) is Agreement.DIFFERENT
    ):
        return PlaceFit(False)
    return PlaceFit(True, notes)


def place_fit(claim: Claim, record: Record) -> PlaceFit:
    if claim.kind is ClaimKind.RESIDENCE:
        return _residence(claim, record)
    return _organisation(claim, record)


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


def comparable(claim: Claim, record: Record) -> bool:
    """Whether a record over the claimed time is an alternative to the claim: a school is no
    alternative to a university studied at the same time."""
    if claim.kind is not ClaimKind.EDUCATION or not claim.level:
        return True
    level = _LEVELS.get(str(record.get("level") or "").lower())
    return level is None or level == claim.level
