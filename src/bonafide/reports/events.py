"""Reports → events: space-time density clustering, incremental, with a flood signal.

Each report becomes a point: the place the gazetteer resolves (the first match; "M1 near
Барысаў" → the settlement after the road; coordinates as given), the time seen in UTC, the
category. Reports are taken in arrival order; a report joins the event of its category that has
a report within `distance_km` AND within the category's time threshold (every report of an event
counts, so a convoy chains along its route); otherwise it starts an event. A report whose place
does not resolve is an event of its own. A grid of cells (about `distance_km` square) and time
buckets (the time threshold long) keeps each step to a few neighbours.

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
    "Point",
    "adjusted_rand_index",
    "cluster",
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
class ClusterConfig:
    distance_km: float = 25.0
    minutes: float = 90.0
    # a checkpoint stands for hours: its observers come hours apart
    category_minutes: Mapping[str, float] = field(default_factory=lambda: {"checkpoint": 12 * 60.0})
    independent_bucket_minutes: float = 30.0
    burst_size: int = 10
    burst_minutes: float = 10.0
    burst_count_spread: float = 0.1  # counts within ±10 % of the burst's median are "the same"

    def time_threshold(self, category: str) -> float:
        return self.category_minutes.get(category, self.minutes)


@dataclass(frozen=True)
class Point:
    """One report as a point: `place` a key of the resolved place ("g<geonameid>" or rounded
    coordinates), None when unresolved; `seen` UTC; `arrived` UTC if known, else `seen`."""

    report_id: str
    category: str
    place: str | None
    lat: float
    lon: float
    seen: dt.datetime
    arrived: dt.datetime
    count: int | None = None


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


class _Resolver:
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
    resolver = _Resolver(gazetteer or Gazetteer.load())
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
            )
        )
    return out


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough at tens of kilometres."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def cluster(
    items: Iterable[Point | tuple[str, str]], config: ClusterConfig | None = None
) -> list[Event]:
    """Events of points taken in order (see the module's docstring)."""
    config = config or ClusterConfig()
    lat_step = config.distance_km / _KM_PER_DEGREE
    lon_step = lat_step / math.cos(math.radians(54.0))  # Belarus' latitude; cells a bit wider
    grid: dict[tuple[str, int, int, int], list[tuple[int, Point]]] = defaultdict(list)
    events: list[Event] = []
    points: list[list[Point]] = []
    for item in items:
        if not isinstance(item, Point):
            events.append(Event(f"E{len(events) + 1:07d}", item[1], [item[0]]))
            points.append([])
            continue
        limit = config.time_threshold(item.category)
        bucket_seconds = limit * 60
        ci = math.floor(item.lat / lat_step)
        cj = math.floor(item.lon / lon_step)
        ct = math.floor(item.seen.timestamp() / bucket_seconds)
        best: tuple[float, int] | None = None
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for dt_ in (-1, 0, 1):
                    for index, other in grid.get((item.category, ci + di, cj + dj, ct + dt_), ()):
                        minutes = abs((item.seen - other.seen).total_seconds()) / 60
                        if minutes > limit:
                            continue
                        km = _km(item.lat, item.lon, other.lat, other.lon)
                        if km > config.distance_km:
                            continue
                        score = km / config.distance_km + minutes / limit
                        if best is None or score < best[0]:
                            best = (score, index)
        if best is None:
            index = len(events)
            events.append(Event(f"E{index + 1:07d}", item.category))
            points.append([])
        else:
            index = best[1]
        events[index].report_ids.append(item.report_id)
        points[index].append(item)
        grid[(item.category, ci, cj, ct)].append((index, item))
    for event, members in zip(events, points, strict=True):
        _flood_figures(event, members, config)
    return events


def _flood_figures(event: Event, members: list[Point], config: ClusterConfig) -> None:
    if not members:
        event.independent = 1
        return
    bucket = config.independent_bucket_minutes * 60
    event.independent = len(
        {(p.place, math.floor(p.arrived.timestamp() / bucket)) for p in members}
    )
    by_place: dict[str | None, list[Point]] = defaultdict(list)
    for p in members:
        by_place[p.place].append(p)
    in_burst: set[str] = set()
    window = dt.timedelta(minutes=config.burst_minutes)
    for group in by_place.values():
        if len(group) < config.burst_size:
            continue
        group.sort(key=lambda p: p.arrived)
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
    event.burst_reports = len(in_burst)
    event.suspect = 2 * len(in_burst) > len(event.report_ids)


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
