"""The channel's published events as the feed shows them, rendered once per change.

The feed is read far more often than events change: each format is rendered when the channel's
version moves and served from memory until it moves again, so an event published by a report's
arrival is in the feed at the next request.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass

from bonafide.reports.channel import Channel, EventState
from bonafide.reports.credibility import EventStatus
from bonafide.reports.feed import FeedEvent, FeedStatus, render_atom, render_html, render_json

__all__ = ["FeedCache", "feed_event"]


def feed_event(state: EventState) -> FeedEvent:
    facts = state.facts
    seen = facts.seen()
    assert seen is not None
    assert facts.lat is not None
    assert facts.lon is not None
    assert state.published_at is not None
    return FeedEvent(
        event_id=state.event_id,
        category=state.category,
        status=FeedStatus.PUBLISHED
        if state.status is EventStatus.PUBLISHED
        else FeedStatus.RETRACTED,
        place=facts.place,
        place_be=facts.place_be,
        place_ru=facts.place_ru,
        lat=facts.lat,
        lon=facts.lon,
        first_seen=seen[0],
        last_seen=seen[1],
        count=facts.count,
        direction=facts.direction,
        reports=facts.reports,
        independent=facts.independent,
        grade=None if state.grade is None else int(state.grade),
        published_at=dt.datetime.fromisoformat(state.published_at),
        updated_at=dt.datetime.fromisoformat(state.updated_at),
        text=state.published_text,
        photo=state.published_photo,
    )


@dataclass(frozen=True)
class _Rendered:
    version: int
    page: str
    atom: str
    json: str


class FeedCache:
    """The three formats of the feed, rendered at most once per version of the channel."""

    def __init__(self, channel: Channel, base_path: str = "/feed") -> None:
        self._channel = channel
        self._base_path = base_path
        self._rendered: _Rendered | None = None
        self._lock = threading.Lock()

    def current(self) -> _Rendered:
        version = self._channel.version()
        with self._lock:
            if self._rendered is None or self._rendered.version != version:
                events = [
                    feed_event(state)
                    for state in self._channel.published()
                    if state.facts.placed and state.facts.seen() is not None
                ]
                now = dt.datetime.now(dt.UTC)
                self._rendered = _Rendered(
                    version,
                    render_html(events, now, self._base_path),
                    render_atom(events, now, self._base_path),
                    json.dumps(render_json(events, now), ensure_ascii=False),
                )
            return self._rendered
