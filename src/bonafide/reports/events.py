"""Reports → events: space-time density clustering, incremental, with a flood signal.

Each report becomes a point: the place the gazetteer resolves (the first match; "M1 near
Барысаў" → the settlement after the road; coordinates as given), the time seen in UTC, the
category, the direction of travel. Reports are taken in arrival order; a report joins the event
of the closest report of its category that may be the same thing (every report of an event
counts, so a convoy chains along its route); otherwise it starts an event. What "may be the
same" means depends on the category: a thing that stands (a checkpoint, troops, an exercise) is
within `distance_km` and the category's time threshold; a thing that moves (vehicles, trains,
aircraft: `Movement`) may be further along its way — as far as its speed takes it in the time
between, plus the observers' errors, within a reach — but not against the direction of travel
either reporter gives. A report whose place does not resolve is an event of its own. A grid of
cells (the category's reach square) and time buckets (its time reach long) keeps each step to
a few neighbours.

Flood signal (no credibility here, only the figures): `independent` is the number of distinct
(place, 30-minute bucket of arrival) pairs among an event's reports; a report is in a *burst*
when at least `burst_size` reports of one place with near-identical count arrive within
`burst_minutes`; an event is `suspect` when most of its reports are in bursts. Where arrival
times are not known (a JSONL export keeps none), the time seen stands in for them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bonafide.reports.gazetteer import Gazetteer, parse_coordinates

__all__ = [
    "ClusterConfig",
    "Event",
    "FloodFigures",
    "Movement",
    "PlaceResolver",
    "Point",
    "SpaceTimeIndex",
    "adjusted_rand_index",
    "cluster",
    "flood_figures",
    "read_jsonl",
    "resolve",
    "write_events_csv",
]

_MINSK = dt.timezone(dt.timedelta(hours=3))
_KM_PER_DEGREE = 111.2
# a road code and what follows it: "M1 near X", "M1, X", "трасса M1, X", "M1 (X)"
_ROAD = re.compile(
    r"^\s*(?:трасса|трэса|road)?\s*[MМPРRН]-?\d+\s*(?:near|каля|возле|у|,|\()\s*(.+?)\)?\s*$",
    re.IGNORECASE,
)

_PREFIX = re.compile(r"^\s*(?:г|д|п|пос|в|вёска|деревня|город|горад)\.?\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Movement:
    """How far and how fast a moving thing of a category goes: two reports of it are one event
    when the later could have been reached from the earlier (`speed_kmh` for the time between,
    plus `slack_km` for the observers' errors of place and time), within `reach_km` and
    `reach_minutes`, and not against the direction both reporters give."""

    speed_kmh: float
    reach_km: float
    reach_minutes: float
    slack_km: float = 15.0


def _default_movements() -> dict[str, Movement]:
    return {
        # a convoy on a main road, a train on a line, an aircraft around its airfield
        "military_vehicles": Movement(speed_kmh=80.0, reach_km=60.0, reach_minutes=90.0),
        "rail_transport": Movement(speed_kmh=100.0, reach_km=60.0, reach_minutes=90.0),
        "aircraft": Movement(speed_kmh=600.0, reach_km=60.0, reach_minutes=60.0),
    }


@dataclass(frozen=True)
class ClusterConfig:
    distance_km: float = 25.0
    minutes: float = 90.0
    # a checkpoint stands for hours: its observers come hours apart
    category_minutes: Mapping[str, float] = field(default_factory=lambda: {"checkpoint": 12 * 60.0})
    # things that move are seen along their way: further apart, and later
    movements: Mapping[str, Movement] = field(default_factory=_default_movements)
    independent_bucket_minutes: float = 60.0
    burst_size: int = 10
    burst_minutes: float = 10.0
    burst_count_spread: float = 0.1  # counts within ±10 % of the burst's median are "the same"

    def time_threshold(self, category: str) -> float:
        movement = self.movements.get(category)
        if movement is not None:
            return movement.reach_minutes
        return self.category_minutes.get(category, self.minutes)

    def distance_threshold(self, category: str) -> float:
        movement = self.movements.get(category)
        return movement.reach_km if movement is not None else self.distance_km


@dataclass(frozen=True)
class Point:
    """One report as a point: `place` a key of the resolved place ("g<geonameid>" or rounded
    coordinates), None when unresolved; `seen` UTC; `arrived` UTC if known (to the hour at
    intake), else `seen`; `direction` of travel as reported (a `Direction` value) or None."""

    report_id: str
    category: str
    place: str | None
    lat: float
    lon: float
    seen: dt.datetime
    arrived: dt.datetime
    count: int | None = None
    direction: str | None = None


@dataclass
class Event:
    event_id: str
    category: str
    report_ids: list[str] = field(default_factory=list)
    independent: int = 0
    suspect: bool = False
    burst_reports: int = 0


def _utc(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_MINSK)  # as intake reads it: Minsk time
    return moment.astimezone(dt.UTC)


class PlaceResolver:
    """Texts of places → (place key, lat, lon), or None; each text resolved once."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.cache: dict[str, tuple[str, float, float] | None] = {}

    def __call__(self, text: str) -> tuple[str, float, float] | None:
        if text in self.cache:
            return self.cache[text]
        found: tuple[str, float, float] | None = None
        point = parse_coordinates(text)
        if point is not None:
            lat, lon = point
            found = (f"{lat:.2f},{lon:.2f}", lat, lon)
        else:
            road = _ROAD.match(text)
            name = road.group(1) if road else text
            name = _PREFIX.sub("", name)
            matches = self.gazetteer.find(name, limit=1)
            words = [w for w in re.split(r"[\s,()]+", name) if len(w) > 3]
            while (
                not matches and words and words != [name]
            ):  # "Национальный аэропорт Минск" → Минск
                matches = self.gazetteer.find(words.pop(), limit=1)
            if matches:
                m = matches[0]
                found = (f"g{m.place.geonameid}", m.lat, m.lon)
        self.cache[text] = found
        return found


def resolve(
    records: Iterable[Mapping[str, Any]], gazetteer: Gazetteer | None = None
) -> list[Point | tuple[str, str]]:
    """Points of records (API keys plus `report_id`, optional `received_at`), in order; a
    record whose place does not resolve or whose time cannot be read → (report_id, category)."""
    resolver = PlaceResolver(gazetteer or Gazetteer.load())
    out: list[Point | tuple[str, str]] = []
    for record in records:
        report_id, category = str(record["report_id"]), str(record.get("category", ""))
        place = resolver(str(record.get("place", "")))
        try:
            seen = _utc(str(record["seen_at"]))
            received = record.get("received_at")
            arrived = _utc(str(received)) if received else seen
        except (KeyError, ValueError):
            place = None
        if place is None:
            out.append((report_id, category))
            continue
        count = record.get("count")
        out.append(
            Point(
                report_id,
                category,
                place[0],
                place[1],
                place[2],
                seen,
                arrived,
                int(count) if isinstance(count, int) else None,
                _direction(record.get("direction")),
            )
        )
    return out


def _direction(value: object) -> str | None:
    return value if isinstance(value, str) and value in _COMPASS else None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough at tens of kilometres."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


_COMPASS = {"N": 0.0, "NE": 45.0, "E": 90.0, "SE": 135.0, "S": 180.0, "SW": 225.0, "W": 270.0}
_COMPASS["NW"] = 315.0


def _bearing(start: Point, end: Point) -> float:
    x = math.radians(end.lon - start.lon) * math.cos(math.radians((start.lat + end.lat) / 2))
    y = math.radians(end.lat - start.lat)
    return math.degrees(math.atan2(x, y)) % 360.0


def _against(direction: str | None, bearing: float) -> bool:
    """The reporter's direction of travel points away from the way the thing went."""
    heading = _COMPASS.get(direction or "")
    if heading is None:
        return False
    turn = abs(heading - bearing) % 360.0
    return min(turn, 360.0 - turn) > 90.0


class SpaceTimeIndex:
    """Points by category, grid cell (about the category's reach square) and time bucket (its
    time reach long): the points that may be one event with a new point are in the 27 cells
    around it."""

    def __init__(self, config: ClusterConfig) -> None:
        self.config = config
        self._cells: dict[tuple[str, int, int, int], list[Point]] = defaultdict(list)

    def _key(self, point: Point) -> tuple[str, int, int, int]:
        lat_step = self.config.distance_threshold(point.category) / _KM_PER_DEGREE
        lon_step = lat_step / math.cos(math.radians(54.0))  # Belarus' latitude
        bucket = self.config.time_threshold(point.category) * 60
        return (
            point.category,
            math.floor(point.lat / lat_step),
            math.floor(point.lon / lon_step),
            math.floor(point.seen.timestamp() / bucket),
        )

    def add(self, point: Point) -> None:
        self._cells[self._key(point)].append(point)

    def __len__(self) -> int:
        return sum(len(points) for points in self._cells.values())

    def near(self, point: Point) -> list[tuple[float, Point]]:
        """(closeness score, point) of every point that may be the same event, closest first."""
        category, ci, cj, ct = self._key(point)
        found: list[tuple[float, Point]] = []
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for dt_ in (-1, 0, 1):
                    for other in self._cells.get((category, ci + di, cj + dj, ct + dt_), ()):
                        score = self._closeness(point, other)
                        if score is not None:
                            found.append((score, other))
        found.sort(key=lambda pair: pair[0])
        return found

    def _closeness(self, point: Point, other: Point) -> float | None:
        config = self.config
        minutes = abs((point.seen - other.seen).total_seconds()) / 60
        limit = config.time_threshold(point.category)
        if minutes > limit:
            return None
        km = _km(point.lat, point.lon, other.lat, other.lon)
        reach = config.distance_threshold(point.category)
        if km > reach:
            return None
        movement = config.movements.get(point.category)
        if movement is not None and km > movement.slack_km:
            if km > movement.speed_kmh * minutes / 60 + movement.slack_km:
                return None
            earlier, later = (other, point) if other.seen <= point.seen else (point, other)
            way = _bearing(earlier, later)
            if _against(earlier.direction, way) or _against(later.direction, way):
                return None
        return km / reach + minutes / limit


def cluster(
    items: Iterable[Point | tuple[str, str]], config: ClusterConfig | None = None
) -> list[Event]:
    """Events of points taken in order (see the module's docstring)."""
    config = config or ClusterConfig()
    index = SpaceTimeIndex(config)
    event_of: dict[str, int] = {}
    events: list[Event] = []
    points: list[list[Point]] = []
    for item in items:
        if not isinstance(item, Point):
            events.append(Event(f"E{len(events) + 1:07d}", item[1], [item[0]]))
            points.append([])
            continue
        near = index.near(item)
        if near:
            number = event_of[near[0][1].report_id]
        else:
            number = len(events)
            events.append(Event(f"E{number + 1:07d}", item.category))
            points.append([])
        events[number].report_ids.append(item.report_id)
        points[number].append(item)
        event_of[item.report_id] = number
        index.add(item)
    for event, members in zip(events, points, strict=True):
        _flood_figures(event, members, config)
    return events


@dataclass(frozen=True)
class FloodFigures:
    """`independent`: distinct (place, arrival bucket) pairs among an event's reports;
    `burst_reports`: reports in bursts; `suspect`: most of the reports are."""

    independent: int
    burst_reports: int
    suspect: bool


def flood_figures(members: list[Point], config: ClusterConfig) -> FloodFigures:
    if not members:
        return FloodFigures(1, 0, False)
    bucket = config.independent_bucket_minutes * 60
    independent = len({(p.place, math.floor(p.arrived.timestamp() / bucket)) for p in members})
    by_place: dict[str | None, list[Point]] = defaultdict(list)
    for p in members:
        by_place[p.place].append(p)
    in_burst: set[str] = set()
    window = dt.timedelta(minutes=config.burst_minutes)
    for group in by_place.values():
        if len(group) < config.burst_size:
            continue
        group = sorted(group, key=lambda p: p.arrived)
        counts = sorted(p.count for p in group if p.count is not None)
        median = counts[len(counts) // 2] if counts else None
        alike = [
            p
            for p in group
            if median is None
            or p.count is None
            or abs(p.count - median) <= config.burst_count_spread * median + 1
        ]
        start = 0
        for end, p in enumerate(alike):
            while p.arrived - alike[start].arrived > window:
                start += 1
            if end - start + 1 >= config.burst_size:
                in_burst.update(q.report_id for q in alike[start : end + 1])
    return FloodFigures(independent, len(in_burst), 2 * len(in_burst) > len(members))


def _flood_figures(event: Event, members: list[Point], config: ClusterConfig) -> None:
    figures = flood_figures(members, config)
    event.independent = figures.independent
    event.burst_reports = figures.burst_reports
    event.suspect = figures.suspect


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_events_csv(events: list[Event], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("report_id", "event_id"))
        for event in events:
            writer.writerows((report_id, event.event_id) for report_id in event.report_ids)


def adjusted_rand_index(truth: Mapping[str, str], found: Mapping[str, str]) -> float:
    """Hubert and Arabie's adjusted Rand index over the report ids both labellings have."""
    keys = [k for k in truth if k in found]
    n = len(keys)
    if n < 2:
        return 1.0

    def pairs(x: int) -> int:
        return x * (x - 1) // 2

    both: dict[tuple[str, str], int] = defaultdict(int)
    rows: dict[str, int] = defaultdict(int)
    cols: dict[str, int] = defaultdict(int)
    for k in keys:
        both[(truth[k], found[k])] += 1
        rows[truth[k]] += 1
        cols[found[k]] += 1
    index = sum(pairs(v) for v in both.values())
    a = sum(pairs(v) for v in rows.values())
    b = sum(pairs(v) for v in cols.values())
    expected = a * b / pairs(n)
    top = (a + b) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)
