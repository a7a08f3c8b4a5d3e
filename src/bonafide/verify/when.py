"""Dates as applicants state them: any precision, approximate, or a range.

`2015-06-01`, `2015-06`, `2015`, `about 2015` (also `c. 2015`, `~2015`), `2012–2016`, `DD.MM.YYYY`
each become the span of days they may mean; "about" widens the span by a year each way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Span", "parse_when", "period"]

_PATTERN = re.compile(
    r"^(?P<about>about |c\. |~)?(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2}))?)?"
    r"(\s*[–-]\s*(?P<until>\d{4}))?$"
)
_DOTTED = re.compile(r"^(?P<day>\d{2})\.(?P<month>\d{2})\.(?P<year>\d{4})$")


@dataclass(frozen=True)
class Span:
    first: dt.date
    last: dt.date
    approximate: bool = False
    text: str = ""

    def overlaps(self, other: Span) -> bool:
        return self.first <= other.last and other.first <= self.last

    def gap_days(self, other: Span) -> int:
        """Days between the spans (0 where they overlap)."""
        if self.overlaps(other):
            return 0
        if self.last < other.first:
            return (other.first - self.last).days
        return (self.first - other.last).days


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def parse_when(value: object) -> Span | None:
    """The span a stated date may mean; None for null or empty. ValueError names the problem in
    words, never repeating the value (it may be someone's birth date)."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        return _parse(text)
    except ValueError as error:
        if "ends before" not in str(error) and "is not a date" not in str(error):
            raise ValueError(
                f"not a day of the calendar: {_calendar_problem(str(error))}"
            ) from None
        raise


def _calendar_problem(datetime_message: str) -> str:
    """datetime's own words ("month must be in 1..12") in the dossier's terms."""
    if "month" in datetime_message and "range for month" not in datetime_message:
        return "the month is not between 01 and 12"
    if "day" in datetime_message:
        return "the month has no such day"
    return "no such year (years run from 0001 to 9999)"


@lru_cache(maxsize=65_536)  # dossiers and watchlists repeat their dates
def _parse(text: str) -> Span | None:
    dotted = _DOTTED.fullmatch(text)
    if dotted:
        day = dt.date(int(dotted["year"]), int(dotted["month"]), int(dotted["day"]))
        return Span(day, day, text=text)
    match = _PATTERN.fullmatch(text)
    if match is None:
        raise ValueError("is not a date (use 2015-06-01, 2015-06, 2015, about 2015, 2012–2016)")
    year = int(match["year"])
    if match["until"]:
        until = int(match["until"])
        if until < year:
            raise ValueError("the range ends before it starts")
        first, last = dt.date(year, 1, 1), dt.date(until, 12, 31)
    elif match["day"]:
        first = last = dt.date(year, int(match["month"]), int(match["day"]))
    elif match["month"]:
        month = int(match["month"])
        first, last = dt.date(year, month, 1), _month_end(year, month)
    else:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if match["about"]:
        first = first.replace(
            year=max(first.year - 1, 1), day=min(first.day, 28) if first.month == 2 else first.day
        )
        last = last.replace(
            year=last.year + 1, day=min(last.day, 28) if last.month == 2 else last.day
        )
        return Span(first, last, approximate=True, text=text)
    return Span(first, last, text=text)


def period(start: object, end: object, ongoing_until: dt.date) -> Span | None:
    """The span of a stay from `start` to `end` (null end: ongoing until `ongoing_until`)."""
    begins, ends = parse_when(start), parse_when(end)
    if begins is None and ends is None:
        return None
    first = begins.first if begins else (ends.first if ends else ongoing_until)
    last = ends.last if ends else ongoing_until
    if last < first:
        raise ValueError("the stay ends before it starts")
    return Span(
        first,
        last,
        approximate=bool((begins and begins.approximate) or (ends and ends.approximate)),
        text=f"{start or '?'}–{end or 'now'}",
    )
