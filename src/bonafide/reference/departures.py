"""Why a residence registration ended, as a registry words it (`data/departures.csv`).

    >>> departure_of("выбыл за пределы Республики Беларусь")
    <Departure.EMIGRATED: 'emigrated'>
    >>> departure_of("в связи со смертью")
    <Departure.DIED: 'died'>
    >>> departure_of("выбыў на новае месца жыхарства")
    <Departure.MOVED: 'moved'>
    >>> departure_of("") is None
    True

Where a reason says more than one thing, death outweighs leaving the country, which outweighs
a move ("выбыл за пределы Республики Беларусь по новому месту жительства" is emigration).
A reason given but not recognised (по решению суда, снят с учёта) is OTHER.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources

from bonafide.reference._patterns import PatternTable, words_of

__all__ = ["Departure", "departure_of"]


class Departure(StrEnum):
    MOVED = "moved"  # to another address in Belarus
    EMIGRATED = "emigrated"  # out of the country
    DIED = "died"
    OTHER = "other"  # a reason given, none of these


_PRECEDENCE = (Departure.DIED, Departure.EMIGRATED, Departure.MOVED)


@cache
def _table() -> PatternTable:
    data = resources.files("bonafide.reference").joinpath("data/departures.csv")
    return PatternTable.from_csv(data.read_text("utf-8"), "departure", "words")


@lru_cache(maxsize=10_000)
def departure_of(reason: str | None) -> Departure | None:
    """What a deregistration reason says happened; None when there is no reason."""
    if reason is None or not reason.strip():
        return None
    found = _table().find_all(words_of(reason))
    return next((d for d in _PRECEDENCE if d.name in found), Departure.OTHER)
