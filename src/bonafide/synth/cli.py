"""`bonafide synth`: write a synthetic population's registries, truth and applicants."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bonafide.synth.generate import synthesise
from bonafide.synth.world import SynthConfig

__all__ = ["synth_command"]


class FileFormat(StrEnum):
    PARQUET = "parquet"
    CSV = "csv"


def synth_command(
    people: Annotated[int, typer.Option("--people", help="How many people to generate.")],
    out: Annotated[Path, typer.Option("--out", help="Directory to write into.")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 1,
    applicants: Annotated[
        int, typer.Option("--applicants", help="How many applicant dossiers to write.")
    ] = 0,
    file_format: Annotated[
        FileFormat, typer.Option("--format", help="File format of the registries.")
    ] = FileFormat.PARQUET,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Generate a synthetic population, its registries (with realistic errors) and applicants."""
    console = Console(stderr=True)
    config = SynthConfig(
        people=people, seed=seed, applicants=applicants, file_format=file_format.value
    )
    started = time.perf_counter()
    with Progress(
        TextColumn("synth"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    ) as bar:
        task = bar.add_task("people", total=people)
        summary = synthesise(config, out, lambda done, _: bar.update(task, completed=done))
    table = Table(title=f"{people:,} people in {time.perf_counter() - started:.1f} s → {out}")
    table.add_column("registry")
    table.add_column("rows", justify="right")
    for kind, rows in summary.rows.items():
        table.add_row(kind, f"{rows:,}")
    for kind, count in summary.applicants.items():
        table.add_row(f"applicants: {kind}", f"{count:,}")
    Console().print(table)
