"""What the registries say ended a person's life in the country: death or emigration.

The identity registry may record a death (`died_on`); the residence registry says why a
registration ended (`deregistration_reason`, read by `bonafide.reference.departures`). A
person deregistered on leaving the country, with no registration at home after it, has
emigrated; nothing they claim to have done in the country after that day can be true, and the
identity of a dead person in the hands of a living applicant is borrowed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bonafide.reference.departures import Departure, departure_of

__all__ = ["Ending", "LifeEnd", "life_end"]

Record = dict[str, Any]
_RETURN_DAYS = 30  # a registration this long after a departure means the person came back


class Ending(StrEnum):
    DIED = "died"
    EMIGRATED = "emigrated"


@dataclass(frozen=True)
class LifeEnd:
    """The day after which the person did nothing in the country, and the record saying so."""

    ending: Ending
    day: dt.date
    record: Record
    registry: str  # "identity" or "residence"


def _day(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def life_end(identity_records: list[Record], residence_records: list[Record]) -> LifeEnd | None:
    """Death (from either registry), else emigration without a return; None when neither."""
    deaths = [
        LifeEnd(Ending.DIED, day, r, "identity")
        for r in identity_records
        if (day := _day(r.get("died_on"))) is not None
    ]
    departures: list[LifeEnd] = []
    for record in residence_records:
        day = _day(record.get("registered_to"))
        departure = departure_of(record.get("deregistration_reason"))
        if day is None or departure is None:
            continue
        if departure is Departure.DIED:
            deaths.append(LifeEnd(Ending.DIED, day, record, "residence"))
        elif departure is Departure.EMIGRATED:
            departures.append(LifeEnd(Ending.EMIGRATED, day, record, "residence"))
    if deaths:
        return min(deaths, key=lambda d: d.day)
    starts = [s for r in residence_records if (s := _day(r.get("registered_from"))) is not None]
    abroad = [
        d
        for d in departures
        if not any(start > d.day + dt.timedelta(days=_RETURN_DAYS) for start in starts)
    ]
    return max(abroad, key=lambda d: d.day) if abroad else None
