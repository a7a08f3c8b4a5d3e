"""`bonafide names`: score name pairs from a TSV file, or explain one pair."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console

from bonafide.errors import InputError
from bonafide.names.batch import NameKeyTable, score_pairs
from bonafide.output import JsonAliasOption, OutputFormat, OutputFormatOption, output_format

__all__ = ["names_app"]

names_app = typer.Typer(
    help="Personal names across scripts: score pairs, explain a match.",
    no_args_is_help=True,
    add_completion=False,
)


def _open(path: str) -> TextIO:
    if path == "-":
        return sys.stdin
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{path}: no such file", hint="give a TSV file with columns a and b")
    return file.open(encoding="utf-8", newline="")


@names_app.command("score")
def score_command(
    file: Annotated[
        str, typer.Argument(help="TSV with a header holding columns a and b; - reads stdin.")
    ],
) -> None:
    """Add a `score` column to a TSV of name pairs and write it to stdout.

    Example: bonafide names score pairs.tsv > scored.tsv
    """
    with _open(file) as source:
        reader = csv.DictReader(source, delimiter="\t")
        columns = reader.fieldnames or []
        missing = [c for c in ("a", "b") if c not in columns]
        if missing:
            raise InputError(
                f"{file}: header has no column {' or '.join(missing)} (it has: "
                f"{', '.join(columns) or 'nothing'})",
                hint="the first line must name the columns, tab-separated, including a and b",
            )
        rows = list(reader)
    bad = [n for n, row in enumerate(rows, start=2) if row.get("a") is None or row.get("b") is None]
    if bad:
        raise InputError(
            f"{file}: line {bad[0]} has fewer columns than the header ({len(bad)} such lines)",
            hint="each line needs a tab-separated value for every header column",
        )
    table = NameKeyTable.build([r["a"] for r in rows] + [r["b"] for r in rows])
    scores = score_pairs(table, list(range(len(rows))), list(range(len(rows), 2 * len(rows))))
    writer = csv.DictWriter(
        sys.stdout, fieldnames=[*columns, "score"], delimiter="\t", lineterminator="\n"
    )
    writer.writeheader()
    for row, score in zip(rows, scores, strict=True):
        writer.writerow({**row, "score": f"{score:.4f}"})


@names_app.command("explain")
def explain_command(
    a: Annotated[str, typer.Argument(help="A name, in any script and word order.")],
    b: Annotated[str, typer.Argument(help="Another name.")],
    output: OutputFormatOption = OutputFormat.TEXT,
    json_alias: JsonAliasOption = False,
) -> None:
    """Explain how two names compare: each part, its category and its weight.

    Example: bonafide names explain "Ціханоўская Святлана" "Tikhanovskaya Svetlana" --format json
    """
    from bonafide.names.model import compare_names

    match = compare_names(a, b)
    if output_format(output, json_alias) is OutputFormat.JSON:
        print(json.dumps(match.as_dict(), ensure_ascii=False, indent=2))
    else:
        Console(highlight=False).print(match.text(), markup=False)
