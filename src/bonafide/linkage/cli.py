"""`bonafide link` and `bonafide dedupe`: the batch path over files."""

from __future__ import annotations

import csv
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bonafide.errors import BonafideError, InputError
from bonafide.linkage.clusters import connected_components
from bonafide.linkage.link import LinkResult, link_records
from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import PersonRecords, load_link_mapping, read_records

__all__ = ["dedupe_command", "link_command"]

MappingOption = Annotated[
    Path, typer.Option("--mapping", help="TOML mapping of person fields to the files' columns.")
]
ThresholdOption = Annotated[
    float, typer.Option("--threshold", help="Lowest match probability to keep.")
]
ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="Use this saved model instead of estimating one."),
]
SaveOption = Annotated[
    Path | None, typer.Option("--save-model", help="Write the estimated model here (JSON).")
]


def _model(path: Path | None) -> LinkageModel | None:
    return LinkageModel.load(path) if path else None


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


def _link_on_spark(
    left: PersonRecords, right: PersonRecords, model: Path | None, threshold: float
) -> LinkResult:
    """The link on a local Spark (`local[*]`) with a saved model."""
    if model is None:
        raise InputError(
            "--engine spark needs --model: the model is estimated on one machine",
            hint="estimate it first with `bonafide link … --save-model model.json`, "
            "then pass `--model model.json`",
        )
    try:  # pyspark is optional: only this engine imports it
        from bonafide.linkage.spark import link_on_spark, local_spark
    except ImportError as error:
        raise BonafideError(
            f"--engine spark needs pyspark: {error}",
            hint="run `make setup` (the dev extra has it), or "
            "`.venv/bin/pip install -c constraints.txt pyspark pandas`",
        ) from None
    loaded = LinkageModel.load(model)
    with local_spark() as spark:
        return link_on_spark(spark, left, right, loaded, threshold)


def link_command(
    left: Annotated[Path, typer.Argument(help="First file, CSV or Parquet.")],
    right: Annotated[Path, typer.Argument(help="Second file, CSV or Parquet.")],
    mapping: MappingOption,
    out: Annotated[
        Path, typer.Option("--out", help="Where to write left_id,right_id,probability.")
    ],
    threshold: ThresholdOption = 0.5,
    model: ModelOption = None,
    save_model: SaveOption = None,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="duckdb: on this machine; spark: on a local Spark (needs --model and Java 17).",
        ),
    ] = Engine.duckdb,
) -> None:
    """Link two files one-to-one: every pair with probability at or above the threshold.

    Example: bonafide link left.csv right.csv --mapping bench/febrl4/all-fields.toml --out pairs.csv
    """
    fields = load_link_mapping(mapping)
    left_records, right_records = read_records(left, fields), read_records(right, fields)
    if engine is Engine.spark:
        result = _link_on_spark(left_records, right_records, model, threshold)
    else:
        result = link_records(left_records, right_records, threshold, _model(model))
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["left_id", "right_id", "probability"])
        for a, b, p in zip(result.left_ids, result.right_ids, result.probability, strict=True):
            writer.writerow([a, b, f"{p:.6f}"])
    if save_model:
        result.model.save(save_model)
    Console(stderr=True).print(
        f"{len(result.left_ids):,} links from {result.candidates:,} candidate pairs → {out}",
        markup=False,
    )


def dedupe_command(
    file: Annotated[Path, typer.Argument(help="The file to deduplicate, CSV or Parquet.")],
    mapping: MappingOption,
    out: Annotated[Path, typer.Option("--out", help="Where to write record_id,cluster_id.")],
    threshold: ThresholdOption = 0.5,
    model: ModelOption = None,
    save_model: SaveOption = None,
) -> None:
    """Cluster the records of one file that denote one person.

    Example: bonafide dedupe people.csv --mapping bench/febrl4/all-fields.toml --out clusters.csv
    """
    records = read_records(file, load_link_mapping(mapping))
    result = link_records(records, None, threshold, _model(model))
    clusters = connected_components(records.ids, result.left_ids, result.right_ids)
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["record_id", "cluster_id"])
        writer.writerows(clusters.items())
    if save_model:
        result.model.save(save_model)
    Console(stderr=True).print(
        f"{len(records):,} records in {len(set(clusters.values())):,} clusters → {out}",
        markup=False,
    )
