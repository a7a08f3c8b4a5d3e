"""The batch link on Spark (local mode) gives the same links as on DuckDB.

Every Spark run is in one test, so that pytest-xdist cannot start a JVM on each of its workers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from pyspark.sql import SparkSession
from typer.testing import CliRunner

from bonafide.cli import app
from bonafide.linkage import LinkResult, link_records, load_link_mapping
from bonafide.linkage.records import from_table
from bonafide.linkage.spark import link_on_spark, local_spark
from tests.conftest import Population
from tests.linkage.test_link import MAPPING, _sides, _write_csv


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    with local_spark() as session:
        yield session


def _links(result: LinkResult) -> dict[tuple[str, str], float]:
    return {
        (a, b): float(p)
        for a, b, p in zip(result.left_ids, result.right_ids, result.probability, strict=True)
    }


def _assert_same(on_spark: LinkResult, on_duckdb: LinkResult) -> None:
    assert on_spark.candidates == on_duckdb.candidates
    spark_links, duckdb_links = _links(on_spark), _links(on_duckdb)
    assert set(spark_links) == set(duckdb_links)
    for pair, probability in duckdb_links.items():
        assert spark_links[pair] == pytest.approx(probability, abs=1e-9)
    assert on_spark.left_ids == on_duckdb.left_ids  # in the same order, too
    assert on_spark.right_ids == on_duckdb.right_ids


# With spark.io.encryption.enabled (bonafide's spills are encrypted), pyspark 4 hands Arrow data
# to the JVM through a local socket it does not close (a ResourceWarning from pyspark's own code).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_spark_gives_the_duckdb_links(
    spark: SparkSession, population: Population, tmp_path: Path
) -> None:
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    mapping = load_link_mapping(tmp_path / "map.toml")
    left_table, right_table = _sides(population)
    left, right = from_table(left_table, mapping), from_table(right_table, mapping)

    # Linking, one-to-one, with the model the DuckDB path estimated.
    on_duckdb = link_records(left, right)
    assert len(on_duckdb.left_ids) > 300
    on_spark = link_on_spark(spark, left, right, on_duckdb.model)
    _assert_same(on_spark, on_duckdb)
    assert len(set(on_spark.right_ids)) == len(on_spark.right_ids)

    # Every scored pair, not only the links: the probabilities agree below the threshold too.
    model = on_duckdb.model
    every_pair = link_records(left, right, 0.0, model, one_to_one=False)
    assert len(every_pair.left_ids) == every_pair.candidates
    _assert_same(link_on_spark(spark, left, right, model, 0.0, one_to_one=False), every_pair)

    # Deduplicating, with 30 records born on one day: more than the birth-date key's block
    # limit, so that key's block is skipped on both engines alike.
    some = left_table.slice(0, 200)
    theirs = pa.array(["R" + i[1:] for i in some.column("id").to_pylist()])
    in_some = pc.is_in(right_table.column("id"), theirs)
    strangers = right_table.filter(pc.invert(in_some)).slice(0, 50)
    both_table = pa.concat_tables([some, right_table.filter(in_some), strangers])
    born = both_table.column("born").to_pylist()
    born[:30] = ["1990-01-01"] * 30
    both_table = both_table.set_column(
        both_table.column_names.index("born"), "born", pa.array(born)
    )
    both = from_table(both_table, mapping)
    deduped = link_records(both, None)
    assert len(deduped.left_ids) > 150
    _assert_same(link_on_spark(spark, both, None, deduped.model), deduped)

    # The command: `bonafide link --engine spark` with the saved model.
    model.save(tmp_path / "model.json")
    _write_csv(tmp_path / "left.csv", left_table)
    _write_csv(tmp_path / "right.csv", right_table)
    linked = CliRunner().invoke(
        app, _link_command(tmp_path, "--model", str(tmp_path / "model.json"))
    )
    assert linked.exit_code == 0, linked.output
    with (tmp_path / "pairs.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {(r["left_id"], r["right_id"]) for r in rows} == set(_links(on_duckdb))


def _link_command(tmp_path: Path, *extra: str) -> list[str]:
    """`bonafide link` on Spark over left.csv and right.csv in tmp_path."""
    files = [str(tmp_path / f) for f in ("left.csv", "right.csv")]
    return [
        "link",
        *files,
        "--mapping",
        str(tmp_path / "map.toml"),
        "--out",
        str(tmp_path / "pairs.csv"),
        *extra,
        "--engine",
        "spark",
    ]


def test_spark_engine_needs_a_model(tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text(
        '[columns]\nrecord_id = "id"\nbirth_date = "born"\n', encoding="utf-8"
    )
    for side in ("left", "right"):
        _write_csv(tmp_path / f"{side}.csv", pa.table({"id": ["1"], "born": ["1990-01-01"]}))
    result = CliRunner().invoke(app, _link_command(tmp_path))
    assert result.exit_code != 0
    assert "--model" in str(result.exception)
