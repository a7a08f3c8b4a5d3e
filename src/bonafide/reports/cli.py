"""`bonafide reports …`: the reports channel's commands."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bonafide.reports.serve import serve_command
from bonafide.reports.synth import SynthStreamConfig, write_stream

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
) -> None:
    """Write a synthetic stream of reports (DIR/reports.jsonl) and its truth (DIR/truth/)."""
    started = time.perf_counter()
    summary = write_stream(SynthStreamConfig(reports=reports, seed=seed), out)
    table = Table(
        title=f"{summary.reports:,} reports in {time.perf_counter() - started:.1f} s → {out}",
        show_header=False,
    )
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


@reports_app.command("events")
def events_command(
    reports: Annotated[Path, typer.Argument(help="Reports as JSONL (API keys plus report_id).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write report_id,event_id.")],
    distance_km: Annotated[float, typer.Option("--distance-km")] = 25.0,
    minutes: Annotated[float, typer.Option("--minutes")] = 90.0,
) -> None:
    """Cluster reports into events by place, time and category (no store: a JSONL file)."""
    from bonafide.reports.events import (
        ClusterConfig,
        cluster,
        read_jsonl,
        resolve,
        write_events_csv,
    )

    started = time.perf_counter()
    points = resolve(read_jsonl(reports))
    events = cluster(points, ClusterConfig(distance_km=distance_km, minutes=minutes))
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
