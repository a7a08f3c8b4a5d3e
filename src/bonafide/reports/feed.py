"""The published feed (product §4.7): events, never reports, as a page with an offline map,
as Atom and as JSON.

What is published is the event: its category, place, time span, estimated count, direction and
credibility — how many independent reports corroborate it, and the reviewer's Admiralty grade
of the *information* (1–6, `GRADES`), never of a source. A report's text or photo appears only
when the reviewer chose to publish it (`FeedEvent.text`, `FeedEvent.photo`), and never on a
retracted event. The page loads nothing from anywhere and needs no JavaScript: the map is
inline SVG (`basemap.py`), the style inline, a published photo a `data:` URI.

    page = render_html(events, generated_at)  # str: a complete HTML document
    atom = render_atom(events, generated_at, base_path="/feed")  # str: Atom 1.0
    document = render_json(events, generated_at)  # a dict, ready for json.dumps

`render_json`'s shape (times ISO 8601 in UTC, "Z"; events newest first, by time last seen):

    {"version": 1, "generated_at": "2026-12-04T12:00:00Z",
     "events": [{"event_id": "…", "status": "published" | "retracted", "category": "…",
                 "place": {"name": "Barysaŭ", "be": "Барысаў", "ru": "Борисов",
                           "lat": 54.23, "lon": 28.5},
                 "first_seen": "…", "last_seen": "…", "count": 40 | null,
                 "direction": "NE" | null, "reports": 5, "independent": 3,
                 "grade": 1–6 | null, "grade_meaning": "probably true" | null,
                 "published_at": "…", "updated_at": "…",
                 "text": "…" | null, "photo": "<base64 JPEG>" | null}]}

The page, the Atom feed and the JSON document are meant to be served at `FeedPaths`' paths
under one base path; the page and the feed link to each other there.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from typing import Any

import jinja2

from bonafide.reports.basemap import Basemap, Projection
from bonafide.reports.model import Category, Direction

__all__ = [
    "GRADES",
    "FeedEvent",
    "FeedPaths",
    "FeedStatus",
    "render_atom",
    "render_html",
    "render_json",
]

# The Admiralty scale's information credibility, as the reviewer grades it.
GRADES: dict[int, str] = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}

_MAP_WIDTH = 800.0
# Okabe–Ito colours: told apart with every common colour-vision deficiency
_CATEGORY_COLOURS: dict[str, str] = {
    Category.MILITARY_VEHICLES: "#d55e00",
    Category.AIRCRAFT: "#0072b2",
    Category.RAIL_TRANSPORT: "#009e73",
    Category.TROOPS_ON_FOOT: "#cc79a7",
    Category.CHECKPOINT: "#e69f00",
    Category.OTHER: "#56b4e9",
}
_CONFIGURED_COLOUR = "#7f7f7f"  # a category configured beyond the defaults
_HEADINGS: dict[str, str] = {
    Direction.N: "north",
    Direction.NE: "north-east",
    Direction.E: "east",
    Direction.SE: "south-east",
    Direction.S: "south",
    Direction.SW: "south-west",
    Direction.W: "west",
    Direction.NW: "north-west",
}
# Atom ids are urn:uuid names under this one (an onion address may change; the ids must not)
_FEED_UUID = uuid.UUID("0b6c5d1e-7f4a-5c2e-9a61-3d8f2b7e4c10")
_MINSK = dt.timezone(dt.timedelta(hours=3), "Minsk")  # UTC+3 all year since 2011
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TIMES = ("first_seen", "last_seen", "published_at", "updated_at")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
# characters XML 1.0 cannot carry at all, not even escaped (most C0 controls, lone surrogates)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class FeedStatus(StrEnum):
    PUBLISHED = "published"
    RETRACTED = "retracted"


@dataclass(frozen=True)
class FeedEvent:
    """One event as published. Times are UTC-aware; `count` the estimated number seen;
    `direction` a `model.Direction` value; `reports` how many reports the event has and
    `independent` how many of them corroborate it independently; `grade` the reviewer's
    Admiralty grade of the information (1–6, None: not reviewed); `text` and `photo` (base64
    JPEG) only what the reviewer chose to publish."""

    event_id: str
    category: str
    status: FeedStatus
    place: str
    place_be: str
    place_ru: str
    lat: float
    lon: float
    first_seen: dt.datetime
    last_seen: dt.datetime
    count: int | None
    direction: str | None
    reports: int
    independent: int
    grade: int | None
    published_at: dt.datetime
    updated_at: dt.datetime
    text: str | None
    photo: str | None

    def __post_init__(self) -> None:
        if self.status not in tuple(FeedStatus):
            raise ValueError("status: neither 'published' nor 'retracted'")
        for name in _TIMES:
            moment: dt.datetime = getattr(self, name)
            if moment.utcoffset() is None:
                raise ValueError(f"{name}: a time without a zone; give it in UTC")
        if self.grade is not None and self.grade not in GRADES:
            raise ValueError("grade: not an Admiralty information grade (1–6, or None)")
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise ValueError("lat, lon: outside the range of degrees")
        if self.reports < 0 or self.independent < 0 or (self.count or 0) < 0:
            raise ValueError("reports, independent, count: a negative number")
        if self.photo is not None and not _BASE64.fullmatch(self.photo):
            raise ValueError("photo: not base64")

    @property
    def retracted(self) -> bool:
        return self.status == FeedStatus.RETRACTED


@dataclass(frozen=True)
class FeedPaths:
    """Where the three formats are served under a base path (e.g. "/feed")."""

    page: str
    atom: str
    json: str

    @staticmethod
    def under(base_path: str) -> FeedPaths:
        base = base_path.rstrip("/")
        return FeedPaths(page=base or "/", atom=f"{base}/atom.xml", json=f"{base}/events.json")


@dataclass(frozen=True)
class _Mark:
    x: float
    y: float
    radius: float
    colour: str
    reviewed: bool


class _View:
    """An event in words, as the page and the Atom feed show it; each is worked out only when
    a template asks (the page and the feed ask for different things)."""

    def __init__(self, event: FeedEvent, basemap: Basemap, projection: Projection) -> None:
        self.event = event
        self.off_map = not basemap.contains(event.lat, event.lon)
        self.mark: _Mark | None = None
        if not self.off_map and not event.retracted:
            x, y = projection.point(event.lat, event.lon)
            self.mark = _Mark(
                x, y, _radius(event.independent), self.colour, event.grade is not None
            )

    @property
    def retracted(self) -> bool:
        return self.event.retracted

    @property
    def anchor(self) -> str:
        return f"event-{_clean(self.event.event_id)}"

    @property
    def urn(self) -> str:
        return f"urn:uuid:{uuid.uuid5(_FEED_UUID, self.event.event_id)}"

    @cached_property
    def category(self) -> str:
        return _category_label(self.event.category)

    @property
    def category_term(self) -> str:
        return _clean(self.event.category)

    @property
    def colour(self) -> str:
        return _CATEGORY_COLOURS.get(self.event.category, _CONFIGURED_COLOUR)

    @property
    def title(self) -> str:
        title = f"{self.category} at {_clean(self.event.place)}"
        return f"Retracted: {title}" if self.event.retracted else title

    @cached_property
    def place(self) -> str:
        event = self.event
        others = [n for n in dict.fromkeys((event.place_be, event.place_ru)) if n]
        others = [n for n in others if n != event.place]
        return _clean(f"{event.place} ({', '.join(others)})" if others else event.place)

    @cached_property
    def when(self) -> str:
        return _when(self.event.first_seen, self.event.last_seen)

    @property
    def count(self) -> str | None:
        return f"about {self.event.count} seen" if self.event.count is not None else None

    @property
    def direction(self) -> str | None:
        return _direction(self.event.direction)

    @property
    def corroboration(self) -> str:
        return _corroboration(self.event.reports, self.event.independent)

    @property
    def grade(self) -> str:
        return _grade(self.event.grade)

    @property
    def text(self) -> str | None:
        text = self.event.text
        return _clean(text) if text and not self.event.retracted else None

    @property
    def photo(self) -> str | None:
        return self.event.photo if self.event.photo and not self.event.retracted else None

    @property
    def first_seen(self) -> str:
        return _iso(self.event.first_seen)

    @property
    def published_at(self) -> str:
        return _iso(self.event.published_at)

    @property
    def updated_at(self) -> str:
        return _iso(self.event.updated_at)

    @property
    def updated(self) -> str:
        return f"{_local(self.event.updated_at)} Minsk time"

    @property
    def summary(self) -> str:
        facts = [f"{self.category} at {self.place}, {self.when}", self.count, self.direction]
        sentences = [", ".join(f for f in facts if f), self.corroboration, self.grade]
        return ". ".join(s[0].upper() + s[1:] for s in sentences) + "."


@dataclass(frozen=True)
class _MapLayers:
    width: float
    height: float
    land: tuple[tuple[str, str, float, float], ...]  # name, path, label x, label y
    focus: str
    cities: tuple[tuple[str, float, float], ...]


def _clean(text: str) -> str:
    # every character XML cannot carry is unprintable; most texts are printable throughout
    return text if text.isprintable() else _NOT_XML.sub("", text)


def _category_label(category: str) -> str:
    return _clean(category.replace("_", " ").capitalize())


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _local(moment: dt.datetime, with_date: bool = True) -> str:
    here = moment.astimezone(_MINSK)
    clock = f"{here.hour:02d}:{here.minute:02d}"
    return f"{here.day} {_MONTHS[here.month - 1]} {here.year}, {clock}" if with_date else clock


def _when(first: dt.datetime, last: dt.datetime) -> str:
    start, end = first.astimezone(_MINSK), last.astimezone(_MINSK)
    if (start.date(), start.hour, start.minute) == (end.date(), end.hour, end.minute):
        span = _local(start)
    elif start.date() == end.date():
        span = f"{_local(start)}–{_local(end, with_date=False)}"
    else:
        span = f"{_local(start)} – {_local(end)}"
    return f"{span} Minsk time"


def _direction(direction: str | None) -> str | None:
    if direction is None or direction == Direction.UNKNOWN:
        return None
    if direction == Direction.STATIONARY:
        return "stationary"
    return f"moving {_HEADINGS.get(direction, direction)}"


def _corroboration(reports: int, independent: int) -> str:
    said = (
        f"corroborated by {independent} independent reports"
        if independent >= 2
        else "not corroborated: no second independent report"
    )
    if reports > independent:
        said += f" ({reports} reports in all)"
    return said


def _grade(grade: int | None) -> str:
    if grade is None:
        return "not yet reviewed"
    return f"reviewed: {GRADES[grade]} (information graded {grade} of 6)"


def _radius(independent: int) -> float:
    """A mark grows with corroboration: 5 units for one report, 12 for nine or more."""
    return 5 + 2.5 * math.sqrt(min(max(independent, 1), 9) - 1)


def _newest_first(events: Sequence[FeedEvent]) -> list[FeedEvent]:
    return sorted(events, key=lambda e: (e.last_seen, e.updated_at, e.event_id), reverse=True)


@cache
def _map_layers() -> _MapLayers:
    basemap = Basemap.load()
    projection = basemap.projection(_MAP_WIDTH)
    land = []
    focus = ""
    for country in basemap.countries:
        if country.iso == basemap.focus:
            focus = projection.path(country.rings)
        else:
            x, y = projection.point(country.label_lat, country.label_lon)
            land.append((country.name, projection.path(country.rings), x, y))
    cities = tuple((c.name, *projection.point(c.lat, c.lon)) for c in basemap.cities)
    return _MapLayers(projection.width, projection.height, tuple(land), focus, cities)


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("bonafide.reports", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _views(events: Sequence[FeedEvent]) -> list[_View]:
    basemap = Basemap.load()
    projection = basemap.projection(_MAP_WIDTH)
    return [_View(e, basemap, projection) for e in _newest_first(events)]


def _legend(events: Sequence[FeedEvent]) -> list[tuple[str, str]]:
    categories = dict.fromkeys([*_CATEGORY_COLOURS, *sorted({e.category for e in events})])
    return [(_category_label(c), _CATEGORY_COLOURS.get(c, _CONFIGURED_COLOUR)) for c in categories]


def render_html(
    events: Sequence[FeedEvent], generated_at: dt.datetime, base_path: str = "/feed"
) -> str:
    """The page: a map of the published events (retracted ones are listed, not drawn) and the
    list of every event, newest first. Complete, self-contained, no JavaScript."""
    views = _views(events)
    marks = [v for v in reversed(views) if v.mark is not None]  # the newest drawn on top
    page: str = (
        _templates()
        .get_template("feed.html")
        .render(
            views=views,
            marks=marks,
            layers=_map_layers(),
            legend=_legend(events),
            grades=GRADES,
            generated=_local(generated_at),
            generated_iso=_iso(generated_at),
            paths=FeedPaths.under(base_path),
        )
    )
    return page


def render_atom(
    events: Sequence[FeedEvent], generated_at: dt.datetime, base_path: str = "/feed"
) -> str:
    """Atom 1.0: one entry per event, newest first; a retracted event's entry says so in its
    title and is updated at its retraction. Ids are `urn:` names (the address is not known:
    an onion service's can change); links are paths under `base_path`."""
    latest = max((e.updated_at for e in events), default=generated_at)
    feed: str = (
        _templates()
        .get_template("feed.atom")
        .render(
            views=_views(events),
            feed_urn=f"urn:uuid:{_FEED_UUID}",
            updated=_iso(latest),
            paths=FeedPaths.under(base_path),
        )
    )
    return feed


def render_json(events: Sequence[FeedEvent], generated_at: dt.datetime) -> dict[str, Any]:
    """The events as data (the shape is in this module's docstring), newest first."""
    return {
        "version": 1,
        "generated_at": _iso(generated_at),
        "events": [_as_json(e) for e in _newest_first(events)],
    }


def _as_json(event: FeedEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "status": str(event.status),
        "category": event.category,
        "place": {
            "name": event.place,
            "be": event.place_be,
            "ru": event.place_ru,
            "lat": event.lat,
            "lon": event.lon,
        },
        "first_seen": _iso(event.first_seen),
        "last_seen": _iso(event.last_seen),
        "count": event.count,
        "direction": event.direction,
        "reports": event.reports,
        "independent": event.independent,
        "grade": event.grade,
        "grade_meaning": GRADES[event.grade] if event.grade is not None else None,
        "published_at": _iso(event.published_at),
        "updated_at": _iso(event.updated_at),
        "text": None if event.retracted else event.text,
        "photo": None if event.retracted else event.photo,
    }
