"""`bonafide reports …`: the reports channel's commands."""

from __future__ import annotations

import csv
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bonafide.datadir import DataDirOption
from bonafide.errors import InputError
from bonafide.reports.channel import Channel, Queue
from bonafide.reports.events import ClusterConfig
from bonafide.reports.options import (
    DEFAULT_CATEGORIES,
    AutoPublishOption,
    CategoriesOption,
    KeepHoursOption,
    channel_config,
)
from bonafide.reports.serve import serve_command
from bonafide.reports.synth import SynthStreamConfig, write_stream
from bonafide.vault.access import KeyFileOption, PassphraseFileOption, unlocked

__all__ = ["reports_app"]

reports_app = typer.Typer(
    help="The reports channel: anonymous sightings in, corroborated events out.",
    no_args_is_help=True,
)


@reports_app.command("synth")
def synth_command(
    reports: Annotated[int, typer.Option("--reports", help="How many reports to generate.")],
    out: Annotated[Path, typer.Option("--out", help="Directory to write into.")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 1,
    start: Annotated[
        datetime | None,
        typer.Option(
            "--start",
            formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d"],
            help="When the first event begins, Minsk time (default 2025-03-01T06:00).",
        ),
    ] = None,
    events_per_day: Annotated[
        float, typer.Option("--events-per-day", min=1, help="True events a day, country-wide.")
    ] = 40.0,
) -> None:
    """Write a synthetic stream of reports (DIR/reports.jsonl) and its truth (DIR/truth/).

    Example: bonafide reports synth --reports 2000 --seed 7 --out stream
    """
    started = time.perf_counter()
    config = SynthStreamConfig(reports=reports, seed=seed, events_per_day=events_per_day)
    if start is not None:
        config = replace(config, start=start)
    summary = write_stream(config, out)
    Console().print(
        f"{summary.reports:,} reports in {time.perf_counter() - started:.1f} s → {out}",
        highlight=False,
    )
    table = Table(show_header=False)
    table.add_column("what")
    table.add_column("how many", justify="right")
    table.add_row("events", f"{summary.events:,}")
    table.add_row("floods (staged events)", f"{summary.floods:,}")
    table.add_row("flood reports", f"{summary.flood_reports:,}")
    table.add_row("duplicates", f"{summary.duplicates:,}")
    table.add_row("sent from", summary.first.strftime("%Y-%m-%d %H:%M"))
    table.add_row("sent until", summary.last.strftime("%Y-%m-%d %H:%M"))
    Console().print(table)


reports_app.command("serve")(serve_command)


@reports_app.command("ingest")
def ingest_command(
    reports: Annotated[Path, typer.Argument(help="Reports as JSONL (the API's keys).")],
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
    auto_publish: AutoPublishOption = 3,
    keep_hours: KeepHoursOption = 72.0,
    categories: CategoriesOption = DEFAULT_CATEGORIES,
) -> None:
    """Take a file of reports into the channel's store, as intake would, without HTTP.

    Each line is one report with the API's keys; `report_id` (kept for `events --out`) and
    `received_at` (else the time seen stands for the time of arrival, to the hour) are
    optional. A line that cannot be taken is reported by its number and field, never its
    value; the exit code is 2 when any was.

    Example: bonafide reports ingest stream/reports.jsonl --data-dir reports-vault
    """
    from bonafide.reports.ingest import ingest_file

    config = channel_config(auto_publish, keep_hours, categories)
    started = time.perf_counter()
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        channel = Channel(vault, config)
        try:
            summary = ingest_file(channel, reports, Console(stderr=True))
            queue = {which: channel.queue_size(which) for which in Queue}
        finally:
            channel.close()
    elapsed = time.perf_counter() - started
    Console().print(
        f"{summary.taken:,} reports taken in {elapsed:.1f} s "
        f"({summary.taken / max(elapsed, 1e-9):,.0f}/s)",
        highlight=False,
    )
    table = Table(show_header=False)
    table.add_column("what")
    table.add_column("how many", justify="right")
    table.add_row("lines rejected", f"{summary.rejected:,}")
    for which in Queue:
        table.add_row(f"events {which.value}", f"{queue[which]:,}")
    Console().print(table)
    if summary.rejected:
        raise typer.Exit(InputError.exit_code)


@reports_app.command("reduce")
def reduce_command(
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
    keep_hours: KeepHoursOption = 72.0,
) -> None:
    """Reduce every report older than --keep-hours to its event's facts (the intake does this
    on its own every ten minutes).

    Example: bonafide reports reduce --data-dir reports-vault --keep-hours 24
    """
    config = channel_config(0, keep_hours, DEFAULT_CATEGORIES)
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        channel = Channel(vault, config)
        try:
            reduced = channel.reduce()
        finally:
            channel.close()
    Console().print(f"{reduced:,} report(s) reduced to their events' facts", highlight=False)


@reports_app.command("events")
def events_command(
    out: Annotated[Path, typer.Option("--out", help="Where to write report_id,event_id.")],
    reports: Annotated[
        Path | None,
        typer.Argument(help="Cluster this JSONL file instead of the store (nothing is kept)."),
    ] = None,
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
    distance_km: Annotated[
        float, typer.Option("--distance-km", help="Reach of things that stand (file mode).")
    ] = 25.0,
    minutes: Annotated[
        float, typer.Option("--minutes", help="Time reach of things that stand (file mode).")
    ] = 90.0,
) -> None:
    """Write every report's event as CSV (report_id,event_id): the store's events, or a JSONL
    file's clustered without a store.

    Example: bonafide reports events --data-dir reports-vault --out events.csv
    """
    if reports is not None:
        _events_of_file(reports, out, ClusterConfig(distance_km=distance_km, minutes=minutes))
        return
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        channel = Channel(vault)
        try:
            membership = channel.membership()
        finally:
            channel.close()
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("report_id", "event_id"))
        writer.writerows((report_id, f"E{number:07d}") for report_id, number in membership)
    Console().print(
        f"{len(membership):,} reports in {len({n for _, n in membership}):,} events → {out}",
        highlight=False,
    )


def _events_of_file(reports: Path, out: Path, config: ClusterConfig) -> None:
    from bonafide.reports.events import cluster, read_jsonl, resolve, write_events_csv

    started = time.perf_counter()
    points = resolve(read_jsonl(reports))
    events = cluster(points, config)
    write_events_csv(events, out)
    table = Table(
        title=f"{len(points):,} reports in {time.perf_counter() - started:.1f} s → {out}",
        show_header=False,
    )
    table.add_column("what")
    table.add_column("how many", justify="right")
    table.add_row("events", f"{len(events):,}")
    table.add_row(
        "unresolved places (events of their own)",
        f"{sum(not hasattr(p, 'place') for p in points):,}",
    )
    table.add_row(
        "events with ≥ 2 independent reports", f"{sum(e.independent >= 2 for e in events):,}"
    )
    table.add_row("suspect events (mostly one burst)", f"{sum(e.suspect for e in events):,}")
    Console().print(table)
