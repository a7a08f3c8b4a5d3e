"""What an event is and how far it is believed: its facts from its reports' points, its
corroboration, and the reviewer's grade of the information (never of a source).

Corroboration counts *independent* reports — distinct (place, hour of arrival) pairs — not
reports: a hundred copies of one message from one place in one hour are one report. A burst of
alike reports at one place is suspect, not corroboration. An event is published on its own only
when enough independent reports agree and it is not suspect; every other way to the feed goes
through a reviewer.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

from bonafide.reports.events import ClusterConfig, Point, flood_figures
from bonafide.reports.gazetteer import Gazetteer

__all__ = ["EventFacts", "EventStatus", "Grade", "summarise"]


class EventStatus(StrEnum):
    OPEN = "open"  # in the reviewer's queue, not in the feed
    PUBLISHED = "published"
    RETRACTED = "retracted"  # was published and is withdrawn, or judged false


class Grade(IntEnum):
    """The Admiralty scale's grades of *information* (the source is never graded)."""

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6

    @property
    def words(self) -> str:
        return _GRADE_WORDS[self]

    @property
    def believed(self) -> bool:
        """Grades a reviewer may publish under."""
        return self <= Grade.POSSIBLY_TRUE


_GRADE_WORDS = {
    Grade.CONFIRMED: "confirmed by other sources",
    Grade.PROBABLY_TRUE: "probably true",
    Grade.POSSIBLY_TRUE: "possibly true",
    Grade.DOUBTFUL: "doubtful",
    Grade.IMPROBABLE: "improbable",
    Grade.CANNOT_BE_JUDGED: "truth cannot be judged",
}


@dataclass(frozen=True)
class EventFacts:
    """An event as its reports' points say: where (the latest report's place, and its names),
    when (first and last seen, UTC), how many (the median count), which way (the direction most
    reports give), and how far it is corroborated."""

    reports: int
    independent: int
    burst_reports: int
    suspect: bool
    placed: bool
    lat: float | None = None
    lon: float | None = None
    place: str = ""
    place_be: str = ""
    place_ru: str = ""
    first_seen: str | None = None
    last_seen: str | None = None
    count: int | None = None
    direction: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))  # flat: asdict's deep copy costs more than the rest of a report

    @staticmethod
    def from_json(data: dict[str, Any]) -> EventFacts:
        return EventFacts(**data)

    def seen(self) -> tuple[dt.datetime, dt.datetime] | None:
        if self.first_seen is None or self.last_seen is None:
            return None
        return dt.datetime.fromisoformat(self.first_seen), dt.datetime.fromisoformat(self.last_seen)


def summarise(
    members: list[Point], unplaced: int, config: ClusterConfig, gazetteer: Gazetteer
) -> EventFacts:
    """The facts of an event of these placed points and `unplaced` reports whose place did not
    resolve (an unplaced report is an event of its own until a reviewer merges it)."""
    figures = flood_figures(members, config)
    reports = len(members) + unplaced
    if not members:
        return EventFacts(reports, max(1, unplaced), 0, False, placed=False)
    latest = max(members, key=lambda p: p.seen)
    name, be, ru = _place_names(latest, gazetteer)
    counts = [p.count for p in members if p.count is not None]
    directions = Counter(p.direction for p in members if p.direction)
    return EventFacts(
        reports=reports,
        independent=figures.independent,
        burst_reports=figures.burst_reports,
        suspect=figures.suspect,
        placed=True,
        lat=round(latest.lat, 4),
        lon=round(latest.lon, 4),
        place=name,
        place_be=be,
        place_ru=ru,
        first_seen=min(p.seen for p in members).isoformat(timespec="minutes"),
        last_seen=latest.seen.isoformat(timespec="minutes"),
        count=round(statistics.median(counts)) if counts else None,
        direction=directions.most_common(1)[0][0] if directions else None,
    )


def _place_names(point: Point, gazetteer: Gazetteer) -> tuple[str, str, str]:
    if point.place and point.place.startswith("g"):
        place = gazetteer.by_id(int(point.place[1:]))
        if place is not None:
            return place.name, place.be, place.ru
    place, km = gazetteer.nearest(point.lat, point.lon)
    if km < 1.0:
        return place.name, place.be, place.ru
    return f"{round(km):d} km from {place.name}", "", ""
