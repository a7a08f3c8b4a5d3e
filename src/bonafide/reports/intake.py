"""A report as sent → the facts bonafide keeps, each problem naming its field.

Only the report's own fields are read; nothing about the request that carried it ever is.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from typing import Any

from bonafide.errors import InputError
from bonafide.reports.model import DEFAULT_CATEGORIES, Direction
from bonafide.reports.scrub import scrub_photo

__all__ = ["CATEGORY_NAMES", "MAX_TEXT", "parse_report"]

MAX_TEXT = 2000
MAX_PLACE = 200
MAX_COUNT = 100_000
CATEGORY_NAMES = tuple(category.value for category in DEFAULT_CATEGORIES)
OLDEST = dt.timedelta(days=30)  # a sighting older than this is history, not a report


def _text(data: Mapping[str, Any], key: str, limit: int, required: bool) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError(f"{key}: missing", hint=f"give the {key}")
        return None
    if not isinstance(value, str):
        raise InputError(f"{key}: not text", hint=f"give the {key} as text")
    if len(value) > limit:
        raise InputError(f"{key}: longer than {limit} characters", hint="shorten it")
    return value.strip()


def _seen_at(value: str, now: dt.datetime, max_age: dt.timedelta | None) -> dt.datetime:
    try:
        seen = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            "seen_at: not a date and time", hint="give it as 2026-12-04T14:30"
        ) from None
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=dt.timezone(dt.timedelta(hours=3)))  # Minsk time
    if seen > now + dt.timedelta(hours=1):
        raise InputError("seen_at: in the future", hint="give the time it was seen")
    if max_age is not None and seen < now - max_age:
        raise InputError("seen_at: more than 30 days ago", hint="report recent sightings")
    return seen


def parse_report(
    data: Mapping[str, Any],
    now: dt.datetime | None = None,
    categories: tuple[str, ...] = CATEGORY_NAMES,
    max_age: dt.timedelta | None = OLDEST,
) -> dict[str, Any]:
    """The facts of one report; InputError naming the first field that cannot be taken.
    `max_age`: how old a sighting may be (None: any age, for a file of past reports)."""
    now = now or dt.datetime.now(dt.UTC)
    category = _text(data, "category", 50, required=True)
    if category not in categories:
        raise InputError("category: not one of the categories", hint=", ".join(categories))
    place = _text(data, "place", MAX_PLACE, required=True)
    seen_text = _text(data, "seen_at", 40, required=True)
    assert seen_text is not None
    assert place is not None
    seen = _seen_at(seen_text, now, max_age)
    count = data.get("count")
    if count is not None and count != "":
        try:
            count = int(count)
        except (TypeError, ValueError):
            raise InputError("count: not a whole number", hint="give how many were seen") from None
        if not 0 < count <= MAX_COUNT:
            raise InputError(f"count: not between 1 and {MAX_COUNT:,}", hint="give how many")
    else:
        count = None
    direction = _text(data, "direction", 20, required=False)
    if direction is not None and direction not in {d.value for d in Direction}:
        raise InputError("direction: not a direction", hint="N, NE, E, SE, S, SW, W, NW")
    photo = data.get("photo")
    scrubbed = None
    if photo:
        if isinstance(photo, str):
            try:
                photo = base64.b64decode(photo, validate=True)
            except (binascii.Error, ValueError):
                raise InputError("photo: not base64", hint="send the image as base64") from None
        if not isinstance(photo, bytes):
            raise InputError("photo: not an image", hint="send the image as base64")
        scrubbed = base64.b64encode(scrub_photo(photo).data).decode("ascii")
    return {
        "category": category,
        "place": place,
        "seen_at": seen.isoformat(timespec="minutes"),
        "count": count,
        "direction": direction,
        "text": _text(data, "text", MAX_TEXT, required=False),
        "photo": scrubbed,
    }
