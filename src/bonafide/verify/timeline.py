"""Days covered: how much of a claimed span a set of registry spans accounts for.

A claim is judged by how much of its time the records cover, not by whether they touch it: a
record of 2008–2010 confirms two years of "2008 – now", not the sixteen after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bonafide.verify.when import Span

__all__ = ["TOLERATED_DAYS", "covered_days", "days", "merged", "widened"]

TOLERATED_DAYS = 400  # a date about a year off is an honest mistake


def days(span: Span) -> int:
    return (span.last - span.first).days + 1


def widened(span: Span, slack_days: int = TOLERATED_DAYS) -> Span:
    """The span with `slack_days` more at each end: a record's dates remembered a year off."""
    slack = dt.timedelta(days=slack_days)
    first = span.first - slack if span.first > dt.date.min + slack else dt.date.min
    last = span.last + slack if span.last < dt.date.max - slack else dt.date.max
    return Span(first, last)


def merged(spans: Iterable[Span]) -> list[Span]:
    """The spans as disjoint runs of days, in order."""
    runs: list[Span] = []
    for span in sorted(spans, key=lambda s: s.first):
        if runs and span.first <= runs[-1].last + dt.timedelta(days=1):
            if span.last > runs[-1].last:
                runs[-1] = Span(runs[-1].first, span.last)
        else:
            runs.append(Span(span.first, span.last))
    return runs


def covered_days(target: Span, spans: Iterable[Span]) -> int:
    """The days of `target` inside any of `spans`."""
    total = 0
    for run in merged(spans):
        first, last = max(run.first, target.first), min(run.last, target.last)
        if first <= last:
            total += (last - first).days + 1
    return total
