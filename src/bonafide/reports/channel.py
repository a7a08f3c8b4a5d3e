"""The reports channel over its store: reports taken in, events kept up to date as each one
arrives, the reviewer's work on events, the feed, and the reduction of old reports.

One `Channel` per process (the intake, the desk's reviewer pages, `reports ingest`); they share
the store file. Membership and events live only in the store and every change is one write
transaction (taken before anything is read), so two processes never work on a stale event. Each
process keeps the points (append-only, never changed) in memory to find a new report's
neighbours, and reads the points other processes added at the start of each transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from bonafide.errors import InputError
from bonafide.reports.credibility import EventFacts, EventStatus, Grade, summarise
from bonafide.reports.events import (
    ClusterConfig,
    PlaceResolver,
    Point,
    SpaceTimeIndex,
)
from bonafide.reports.gazetteer import Gazetteer
from bonafide.reports.intake import CATEGORY_NAMES
from bonafide.reports.store import ReportStore
from bonafide.vault import Vault

__all__ = [
    "Channel",
    "ChannelConfig",
    "EventState",
    "Queue",
    "ReportView",
]

_MAX_PUBLISHED_TEXT = 2000


@dataclass(frozen=True)
class ChannelConfig:
    """`auto_publish`: independent reports that publish an event no burst dominates, without a
    reviewer (0: only reviewers publish); `keep_hours`: a report as sent is kept this long, then
    reduced to its event's facts."""

    categories: tuple[str, ...] = CATEGORY_NAMES
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    auto_publish: int = 3
    keep_hours: float = 72.0


class Queue(StrEnum):
    """The reviewer's views of the events."""

    NEW = "new"  # open, not suspect
    SUSPECT = "suspect"  # open, mostly one burst
    PUBLISHED = "published"
    RETRACTED = "retracted"


@dataclass(frozen=True)
class EventState:
    """An event as kept: its facts, the reviewer's grade and what was published."""

    event_id: str
    number: int
    category: str
    status: EventStatus
    facts: EventFacts
    created_at: str
    updated_at: str
    grade: Grade | None = None
    reviewed: bool = False
    auto_published: bool = False
    published_at: str | None = None
    published_text: str | None = None
    published_photo: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = dict(vars(self))
        data["facts"] = self.facts.to_json()
        return data

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> EventState:
        values = dict(data)
        values["status"] = EventStatus(values["status"])
        values["facts"] = EventFacts.from_json(values["facts"])
        values["grade"] = None if values["grade"] is None else Grade(values["grade"])
        return EventState(**values)


@dataclass(frozen=True)
class ReportView:
    """One report of an event as a reviewer sees it: its content, never its sender. After
    reduction only the point's facts remain (`reduced`)."""

    report_key: str
    category: str
    seen: dt.datetime
    arrived_hour: dt.datetime
    count: int | None
    direction: str | None
    placed: bool
    reduced: bool
    place_written: str | None = None
    text: str | None = None
    photo: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _point_of(report_key: str, data: Mapping[str, Any]) -> Point:
    return Point(
        report_key,
        str(data["category"]),
        data["place"],
        float(data["lat"]),
        float(data["lon"]),
        dt.datetime.fromisoformat(data["seen"]),
        dt.datetime.fromisoformat(data["arrived"]),
        data["count"],
        data["direction"],
    )


class Channel:
    """The channel's operations over one open store (see the module's docstring)."""

    def __init__(
        self, vault: Vault, config: ChannelConfig | None = None, gazetteer: Gazetteer | None = None
    ) -> None:
        self.config = config or ChannelConfig()
        self.store = ReportStore(vault)
        self._gazetteer = gazetteer or Gazetteer.load()
        self._resolve = PlaceResolver(self._gazetteer)
        self._index = SpaceTimeIndex(self.config.cluster)
        self._points: dict[str, Point] = {}
        self._sources: dict[str, str] = {}
        self._last_rowid = 0
        with self.store.lock:
            self._sync()

    def close(self) -> None:
        self.store.close()

    # taking reports ------------------------------------------------------------------------
    def take(
        self, facts: Mapping[str, Any], received_hour: dt.datetime, source_id: str | None = None
    ) -> str:
        """Keep a report's facts (as `intake.parse_report` gives them) and place it in an event;
        returns the reporter's receipt (random, and kept nowhere). `source_id`: an input file's
        own id of the report (`reports ingest`), kept for the events export; never from intake."""
        located = self._resolve(str(facts["place"]))
        seen = dt.datetime.fromisoformat(str(facts["seen_at"])).astimezone(dt.UTC)
        point_data: dict[str, Any] = {
            "category": facts["category"],
            "place": located[0] if located else None,
            "lat": located[1] if located else 0.0,
            "lon": located[2] if located else 0.0,
            "seen": seen.isoformat(),
            "arrived": received_hour.astimezone(dt.UTC).isoformat(),
            "count": facts.get("count"),
            "direction": facts.get("direction"),
            "source": source_id,
        }
        raw = {key: facts.get(key) for key in ("place", "seen_at", "text", "photo")}
        report_key = secrets.token_hex(16)
        with self.store.writing():
            self._sync()
            synced = self._last_rowid
            try:
                self._last_rowid = self.store.put_point(report_key, point_data)
                self.store.put_report(report_key, raw)
                point = self._remember(report_key, point_data)
                event_id = self._event_for(point)
                self.store.set_event([report_key], event_id)
                self._refresh(event_id)
            except BaseException:
                # rolled back: the point is forgotten (the index may keep it, but a point
                # without an event is never joined)
                self._points.pop(report_key, None)
                self._sources.pop(report_key, None)
                self._last_rowid = synced
                raise
        return secrets.token_urlsafe(12)

    def _sync(self) -> None:
        for rowid, report_key, data in self.store.points_after(self._last_rowid):
            self._remember(report_key, data)
            self._last_rowid = rowid

    def _remember(self, report_key: str, data: Mapping[str, Any]) -> Point:
        point = _point_of(report_key, data)
        self._points[report_key] = point
        if data.get("source"):
            self._sources[report_key] = str(data["source"])
        if point.place is not None:
            self._index.add(point)
        return point

    def _event_for(self, point: Point) -> str:
        if point.place is not None:
            for _, other in self._index.near(point):
                if other.report_id == point.report_id:
                    continue
                event_id = self.store.event_of(other.report_id)
                if event_id is not None:
                    return event_id
        return self._new_event(point.category)

    def _new_event(self, category: str) -> str:
        event_id = secrets.token_hex(8)
        stamp = _stamp(_now())
        state = EventState(
            event_id=event_id,
            number=self.store.bump("event numbers"),
            category=category,
            status=EventStatus.OPEN,
            facts=EventFacts(0, 0, 0, False, False),
            created_at=stamp,
            updated_at=stamp,
        )
        self._put(state)
        return event_id

    def _put(self, state: EventState) -> None:
        self.store.put_event(state.event_id, state.status, state.facts.suspect, state.to_json())

    def _state(self, event_id: str) -> EventState:
        data = self.store.event(event_id)
        if data is None:
            raise InputError(
                "event: no such event (merged into another, or never there)",
                hint="reload the reviewer's queue",
            )
        return EventState.from_json(data)

    def _refresh(self, event_id: str, state: EventState | None = None) -> EventState | None:
        """Recompute an event's facts from its reports; publish it if its corroboration now
        allows; drop it when it has no report left."""
        members = self.store.members(event_id)
        if not members:
            self.store.drop_event(event_id)
            return None
        points = [self._points[key] for key in members if key in self._points]
        placed = [p for p in points if p.place is not None]
        facts = summarise(placed, len(members) - len(placed), self.config.cluster, self._gazetteer)
        state = state or self._state(event_id)
        now = _stamp(_now())
        state = replace(state, facts=facts, updated_at=now)
        if self._publishes_itself(state):
            state = replace(state, status=EventStatus.PUBLISHED, auto_published=True)
            state = replace(state, published_at=now)
        self._put(state)
        return state

    def _publishes_itself(self, state: EventState) -> bool:
        threshold = self.config.auto_publish
        return (
            threshold > 0
            and state.status is EventStatus.OPEN
            and not state.reviewed
            and state.facts.placed
            and not state.facts.suspect
            and state.facts.independent >= threshold
        )

    # the reviewer's work -------------------------------------------------------------------
    def grade(self, event_id: str, grade: Grade) -> EventState:
        """Grade the information; a published event graded doubtful or worse is retracted."""
        with self.store.writing():
            state = replace(self._state(event_id), grade=grade, reviewed=True)
            if state.status is EventStatus.PUBLISHED and not grade.believed:
                state = replace(state, status=EventStatus.RETRACTED)
            state = replace(state, updated_at=_stamp(_now()))
            self._put(state)
        return state

    def publish(
        self,
        event_id: str,
        grade: Grade,
        text: str | None = None,
        photo_of: str | None = None,
    ) -> EventState:
        """Publish an event under a grade of 1–3, with a text the reviewer writes or takes from
        a report, and a report's photo if the reviewer chooses one."""
        if not grade.believed:
            raise InputError(
                "grade: an event graded doubtful or worse cannot be published",
                hint="grade it 1, 2 or 3 to publish it, or retract it",
            )
        if text is not None and len(text) > _MAX_PUBLISHED_TEXT:
            raise InputError(
                f"text: longer than {_MAX_PUBLISHED_TEXT} characters", hint="shorten it"
            )
        with self.store.writing():
            state = self._state(event_id)
            if not state.facts.placed:
                raise InputError(
                    "place: the event's place is not known",
                    hint="merge it into the event it belongs to, then publish that one",
                )
            photo = None
            if photo_of is not None:
                photo = self.photo(event_id, photo_of)
            now = _stamp(_now())
            state = replace(
                state,
                status=EventStatus.PUBLISHED,
                grade=grade,
                reviewed=True,
                published_at=state.published_at or now,
                published_text=(text or "").strip() or None,
                published_photo=photo,
                updated_at=now,
            )
            self._put(state)
        return state

    def photo(self, event_id: str, report_key: str) -> str:
        """One report's photo (base64 JPEG), read alone: InputError unless the report is the
        event's and still holds one."""
        if self.store.event_of(report_key) != event_id:
            raise InputError("photo: the report is not one of this event's", hint="choose again")
        raw = self.store.report(report_key)
        if raw is None or not raw.get("photo"):
            raise InputError(
                "photo: the report has no photo (or was reduced)", hint="choose another report"
            )
        return str(raw["photo"])

    def retract(self, event_id: str) -> EventState:
        """Withdraw an event from the feed, or dismiss one never published; it does not come
        back on its own."""
        with self.store.writing():
            state = replace(
                self._state(event_id),
                status=EventStatus.RETRACTED,
                reviewed=True,
                updated_at=_stamp(_now()),
            )
            self._put(state)
        return state

    def merge(self, event_ids: list[str]) -> EventState:
        """One event of several (the first keeps its number and its reviewer's work)."""
        if len(set(event_ids)) < 2:
            raise InputError("events: choose at least two events to merge", hint="tick two")
        with self.store.writing():
            self._sync()
            target, *others = [self._state(event_id) for event_id in dict.fromkeys(event_ids)]
            if any(other.category != target.category for other in others):
                raise InputError(
                    "events: of different categories", hint="merge events of one category"
                )
            for other in others:
                self.store.set_event(self.store.members(other.event_id), target.event_id)
                self.store.drop_event(other.event_id)
            if target.status is EventStatus.OPEN and any(
                other.status is EventStatus.PUBLISHED for other in others
            ):
                target = replace(target, status=EventStatus.PUBLISHED)
                target = replace(target, published_at=_stamp(_now()))
            merged = self._refresh(target.event_id, replace(target, reviewed=True))
        assert merged is not None
        return merged

    def split(self, event_id: str, report_keys: list[str]) -> EventState:
        """Move these reports of an event into a new event of their own (open, unreviewed)."""
        with self.store.writing():
            self._sync()
            state = self._state(event_id)
            members = set(self.store.members(event_id))
            chosen = list(dict.fromkeys(report_keys))
            if not chosen or not set(chosen) <= members:
                raise InputError(
                    "reports: choose some of this event's reports to split off",
                    hint="tick the reports that are another event",
                )
            if len(chosen) == len(members):
                raise InputError(
                    "reports: all of the event's reports chosen", hint="leave at least one"
                )
            new_id = self._new_event(state.category)
            self.store.set_event(chosen, new_id)
            self._refresh(event_id, replace(state, reviewed=True))
            new = self._refresh(new_id)
        assert new is not None
        return new

    # reading -------------------------------------------------------------------------------
    def queue(self, which: Queue, offset: int = 0, limit: int = 50) -> list[EventState]:
        rows = self.store.events(*_QUEUE_SELECT[which], offset=offset, limit=limit)
        return [EventState.from_json(row) for row in rows]

    def queue_size(self, which: Queue) -> int:
        return self.store.event_count(*_QUEUE_SELECT[which])

    def event(self, event_id: str) -> EventState:
        return self._state(event_id)

    def reports_of(self, event_id: str) -> list[ReportView]:
        with self.store.lock:
            self._sync()
            views = []
            for key in self.store.members(event_id):
                point = self._points.get(key)
                if point is None:
                    continue
                raw = self.store.report(key)
                views.append(
                    ReportView(
                        report_key=key,
                        category=point.category,
                        seen=point.seen,
                        arrived_hour=point.arrived,
                        count=point.count,
                        direction=point.direction,
                        placed=point.place is not None,
                        reduced=raw is None,
                        place_written=None if raw is None else raw.get("place"),
                        text=None if raw is None else raw.get("text"),
                        photo=None if raw is None else raw.get("photo"),
                    )
                )
        return sorted(views, key=lambda view: view.seen)

    def published(self) -> list[EventState]:
        """Events in the feed: published, and retracted after they were published."""
        rows = self.store.events((EventStatus.PUBLISHED, EventStatus.RETRACTED))
        states = [EventState.from_json(row) for row in rows]
        return [s for s in states if s.published_at is not None]

    def version(self) -> int:
        """Changes whenever an event does (the feed's cache key)."""
        return self.store.counter("events")

    def membership(self) -> list[tuple[str, int]]:
        """(the input file's report id, or the report's key; the event's number) per report."""
        with self.store.lock:
            self._sync()
            numbers: dict[str, int] = {}
            out = []
            for key, event_id in self.store.membership():
                if event_id not in numbers:
                    numbers[event_id] = self._state(event_id).number
                out.append((self._sources.get(key, key), numbers[event_id]))
        return out

    # reduction -----------------------------------------------------------------------------
    def reduce(self, now: dt.datetime | None = None) -> int:
        """Reduce every report older than `keep_hours` to its point (the event's facts): its
        place as written, its text and its photo are deleted. Returns how many."""
        cutoff = (now or _now()) - dt.timedelta(hours=self.config.keep_hours)
        with self.store.writing():
            self._sync()
            old = [
                key
                for key in self.store.raw_report_keys()
                if key in self._points and self._points[key].arrived <= cutoff
            ]
            self.store.drop_reports(old)
        if old:
            self.store.checkpoint()
        return len(old)


_QUEUE_SELECT: dict[Queue, tuple[tuple[str, ...], bool | None]] = {
    Queue.NEW: ((EventStatus.OPEN,), False),
    Queue.SUSPECT: ((EventStatus.OPEN,), True),
    Queue.PUBLISHED: ((EventStatus.PUBLISHED,), None),
    Queue.RETRACTED: ((EventStatus.RETRACTED,), None),
}
