"""`bonafide reports ingest`: a JSONL file of reports into the channel, line by line, as intake
takes them — each line checked by the same rules, each bad line reported by its number and the
field at fault (never its value), and counted."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from bonafide.errors import InputError
from bonafide.reports.channel import Channel
from bonafide.reports.intake import parse_report
from bonafide.reports.scrub import coarsen

__all__ = ["IngestSummary", "ingest_file"]

_SHOWN_REJECTS = 20


@dataclass(frozen=True)
class IngestSummary:
    taken: int
    rejected: int


def _record(line: bytes) -> dict[str, Any]:
    try:
        value = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError("not UTF-8", hint="save the file as UTF-8") from None
    except (ValueError, RecursionError):
        raise InputError("not JSON", hint="write one JSON object a line") from None
    if not isinstance(value, dict):
        raise InputError("not a JSON object", hint="write one JSON object a line")
    return value


def _arrived(record: dict[str, Any], facts: dict[str, Any]) -> dt.datetime:
    """When it arrived, to the hour: the file's `received_at`, else the time seen."""
    received = record.get("received_at")
    moment = facts["seen_at"]
    if received is not None:
        if not isinstance(received, str):
            raise InputError("received_at: not a date and time", hint="give it as ISO 8601")
        moment = received
    try:
        parsed = dt.datetime.fromisoformat(moment)
    except ValueError:
        raise InputError("received_at: not a date and time", hint="give it as ISO 8601") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return coarsen(parsed, 1)


def ingest_file(channel: Channel, path: Path, errors: Console) -> IngestSummary:
    """Take every good line of `path`; report the others on `errors`."""
    if not path.is_file():
        raise InputError(f"{path}: no such file", hint="give the path of a JSONL file of reports")
    taken = rejected = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = _record(line)
                facts = parse_report(record, categories=channel.config.categories, max_age=None)
                source = record.get("report_id")
                channel.take(
                    facts,
                    _arrived(record, facts),
                    source_id=None if source is None else str(source),
                )
                taken += 1
            except InputError as error:
                rejected += 1
                if rejected <= _SHOWN_REJECTS:
                    errors.print(
                        f"{path.name} line {number}: {error.message} → {error.hint}",
                        style="yellow",
                        highlight=False,
                        markup=False,
                    )
    if rejected > _SHOWN_REJECTS:
        errors.print(
            f"… and {rejected - _SHOWN_REJECTS:,} more line(s) rejected",
            style="yellow",
            highlight=False,
        )
    return IngestSummary(taken, rejected)
