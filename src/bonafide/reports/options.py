"""The channel's settings as command-line options, shared by `serve`, `ingest`, `events` and
`reduce` (one spelling, one default, one help text each)."""

from __future__ import annotations

from typing import Annotated

import typer

from bonafide.errors import InputError
from bonafide.reports.channel import ChannelConfig
from bonafide.reports.intake import CATEGORY_NAMES

__all__ = ["AutoPublishOption", "CategoriesOption", "KeepHoursOption", "channel_config"]

AutoPublishOption = Annotated[
    int,
    typer.Option(
        "--auto-publish",
        min=0,
        help="Independent reports that publish an event without a reviewer, unless a burst "
        "dominates it (0: only reviewers publish).",
    ),
]
KeepHoursOption = Annotated[
    float,
    typer.Option(
        "--keep-hours",
        min=1,
        help="Hours a report is kept as sent before it is reduced to its event's facts.",
    ),
]
CategoriesOption = Annotated[
    str,
    typer.Option(
        "--categories",
        help="The categories a report may have, comma-separated (lower case, no spaces).",
    ),
]
DEFAULT_CATEGORIES = ",".join(CATEGORY_NAMES)


def channel_config(auto_publish: int, keep_hours: float, categories: str) -> ChannelConfig:
    names = tuple(dict.fromkeys(name.strip() for name in categories.split(",") if name.strip()))
    bad = [name for name in names if not name.replace("_", "").isalnum() or not name.islower()]
    if not names or bad:
        raise InputError(
            "--categories: each category is a word of lower-case letters, digits and _",
            hint=f"for example --categories {DEFAULT_CATEGORIES}",
        )
    return ChannelConfig(categories=names, auto_publish=auto_publish, keep_hours=keep_hours)
