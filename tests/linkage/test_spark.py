"""The batch link on Spark (local mode) gives the same links as on DuckDB."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from pyspark.sql import SparkSession

from bonafide.linkage import LinkResult, link_records, load_link_mapping
from bonafide.linkage.records import from_table
from bonafide.linkage.spark import link_on_spark, local_spark
from tests.conftest import Population
from tests.linkage.test_link import MAPPING, _sides


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
    assert on_spark.left_ids == on_duckdb.left_ids
    assert on_spark.right_ids == on_duckdb.right_ids
    spark_links, duckdb_links = _links(on_spark), _links(on_duckdb)
    assert set(spark_links) == set(duckdb_links)
    for pair, probability in duckdb_links.items():
        assert spark_links[pair] == pytest.approx(probability, abs=1e-9)


def test_link_on_spark_gives_the_duckdb_links(
    spark: SparkSession, population: Population, tmp_path: Path
) -> None:
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    mapping = load_link_mapping(tmp_path / "map.toml")
    left_table, right_table = _sides(population)
    left, right = from_table(left_table, mapping), from_table(right_table, mapping)
    on_duckdb = link_records(left, right)
    assert len(on_duckdb.left_ids) > 300
    on_spark = link_on_spark(spark, left, right, on_duckdb.model)
    _assert_same(on_spark, on_duckdb)
    assert len(set(on_spark.right_ids)) == len(on_spark.right_ids)  # one-to-one

    every_pair = link_on_spark(spark, left, right, on_duckdb.model, 0.01, one_to_one=False)
    _assert_same(every_pair, link_records(left, right, 0.01, on_duckdb.model, one_to_one=False))


def test_dedupe_on_spark_gives_the_duckdb_pairs(
    spark: SparkSession, population: Population, tmp_path: Path
) -> None:
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    mapping = load_link_mapping(tmp_path / "map.toml")
    left_table, right_table = _sides(population, people=200, others=80)
    both = from_table(pa.concat_tables([left_table, right_table]), mapping)
    on_duckdb = link_records(both, None)
    on_spark = link_on_spark(spark, both, None, on_duckdb.model)
    assert len(on_duckdb.left_ids) > 150
    _assert_same(on_spark, on_duckdb)
    assert np.all(on_spark.probability >= 0.5)
