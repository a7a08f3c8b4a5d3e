"""Whether a registry record is about the place a claim names, and when the record says.

The place: the settlement, street and house of a residence; the institution (and its town) of
a course; the employer of a job — in any script, with the honest differences of spelling and
renaming that `texts.py` tolerates, each noted. The time is the record's own span.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
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
    notes: tuple[str, ...] = ()  # honest differences seen


# fits remembered: a dossier's claims meet the same records twice (the claims, then the
# registry's side of the story), and registries repeat their places across dossiers
_FITS_KEPT = 200_000


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


Texts = tuple[str | None, ...]


@lru_cache(maxsize=_FITS_KEPT)
def _residence(claimed: Texts, recorded: Texts) -> PlaceFit:
    """(settlement, street, house) as claimed and as recorded."""
    settlement, street, house = claimed
    record_settlement, record_street, record_house = recorded
    notes: list[str] = []
    place = compare_settlement(str(settlement), record_settlement or "")
    if place is Agreement.DIFFERENT:
        return PlaceFit(False)
    if place is Agreement.ALIKE:
        notes.append("settlement spelt differently")
    if street and record_street:
        agreement, renamed = compare_street(street, record_street, settlement)
        if agreement is Agreement.DIFFERENT:
            return PlaceFit(False)
        if renamed:
            notes.append(f"old street name ({street} is now {record_street})")
        elif agreement is Agreement.ALIKE:
            notes.append("street spelt differently")
        if house and record_house and compare_house(house, record_house) is not Agreement.SAME:
            return PlaceFit(False)
    return PlaceFit(True, tuple(notes))


@lru_cache(maxsize=_FITS_KEPT)
def _organisation(kind: ClaimKind, claimed: Texts, recorded: Texts) -> PlaceFit:
    """(name, town) as claimed and as recorded."""
    name, town = claimed
    record_name, record_town = recorded
    spec = spec_of(kind)
    agreement = compare_organisation(str(name), record_name or "")
    if agreement is Agreement.DIFFERENT:
        return PlaceFit(False)
    notes = (f"{spec.place} named differently",) if agreement is Agreement.ALIKE else ()
    # a school's town tells two schools of one number apart; an employer's name is enough
    if (
        kind is ClaimKind.EDUCATION
        and town
        and record_town
        and compare_settlement(town, record_town) is Agreement.DIFFERENT
    ):
        return PlaceFit(False)
    return PlaceFit(True, notes)


def _text(value: object) -> str | None:
    return str(value) if value else None


def place_fit(claim: Claim, record: Record) -> PlaceFit:
    entry = claim.entry
    if claim.kind is ClaimKind.RESIDENCE:
        return _residence(
            (entry["settlement"], _text(entry.get("street")), _text(entry.get("house"))),
            (
                _text(record.get("settlement")),
                _text(record.get("street")),
                _text(record.get("house")),
            ),
        )
    spec = spec_of(claim.kind)
    return _organisation(
        claim.kind,
        (claim.place, claim.settlement),
        (_text(record.get(spec.place)), _text(record.get(spec.record_settlement or ""))),
    )


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
