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
