"""Resolve's lookups on Spark (local mode) give the links of the forked linker.

One test, so that pytest-xdist cannot start a JVM on each of its workers.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from bonafide.linkage.records import PersonRecords
from bonafide.linkage.spark import local_spark
from bonafide.persons import resolve
from bonafide.persons.match import Matcher
from bonafide.persons.resolve import BatchLinker, LinkedBatch, resolve_registries
from bonafide.persons.spark import spark_linker
from bonafide.registry import RegistryStore, StoreSettings, import_registry
from bonafide.registry.mapping import load_mapping
from tests.conftest import Population
from tests.persons.test_resolve import _part
from tests.vaults import vault_for

PEOPLE = 2_500  # persons taken from the population; identity of the last 1,000 imported later
LATER = 1_500
BATCH = 700  # several batches per run of lookups, for Spark's tasks to share
SETTINGS = StoreSettings(memory_limit="1GB", threads=2)
Links = list[tuple[str, str, int, float]]


def _import(data_dir: Path, population: Population, kind: str, low: int, high: int) -> None:
    path = _part(population, kind, low, high, data_dir.parent.parent)
    mapping = load_mapping(population.registries / f"{kind}.mapping.toml")
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        import_registry(store, path, kind, mapping)


def _resolve(
    data_dir: Path, rebuild: bool, linker: BatchLinker | None
) -> tuple[Links, dict[str, object]]:
    """Every person link, and what the blocking keys did for the lookups."""
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        report = resolve_registries(store, rebuild=rebuild, linker=linker)
        rows = store.execute(
            "test links",
            "SELECT kind, record_key, person_id, probability FROM person_links ORDER BY 1, 2",
        )
    links = [(str(k), str(r), int(p), float(q)) for k, r, p, q in rows]
    return links, report.blocking.to_json()


# With spark.io.encryption.enabled, pyspark 4 hands Arrow data to the JVM through a local socket
# it does not close (a ResourceWarning from pyspark's own code).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_spark_links_records_to_the_persons_the_forked_linker_does(
    population: Population, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resolve, "BATCH", BATCH)
    forked, on_spark = tmp_path / "forked" / "data", tmp_path / "spark" / "data"
    forked.parent.mkdir()
    _import(forked, population, "identity", 0, LATER)
    _import(forked, population, "residence", 0, PEOPLE)
    _import(forked, population, "employment", 0, PEOPLE)
    shutil.copytree(forked, on_spark)

    with local_spark() as spark:
        linked_on_spark: list[int] = []  # the size of each run of lookups Spark linked
        tasks: list[int | None] = [None]  # one task per batch, then several batches per task

        def spark_counted(
            matcher: Matcher, batches: Iterable[PersonRecords]
        ) -> Iterator[LinkedBatch]:
            batches = list(batches)  # read from the store once
            sizes = [len(batch) for batch in batches]
            assert all(size == BATCH for size in sizes[:-1])
            assert 0 < sizes[-1] <= BATCH
            linked = list(spark_linker(spark, tasks[0])(matcher, batches))
            assert [start for start, *_ in linked] == list(range(0, sum(sizes), BATCH))
            linked_on_spark.append(sum(sizes))
            return iter(linked)

        # Every registry resolved afresh: the other registries' lookups linked with the link
        # model learned from them.
        links = _resolve(forked, True, None)
        assert len(links[0]) > 1_000
        assert _resolve(on_spark, True, spark_counted) == links
        assert len(linked_on_spark) == 1
        assert linked_on_spark[0] > 3 * BATCH

        # Then incrementally: new identity records linked to persons with the index's own model,
        # and the records nobody matched tried again.
        for data_dir in (forked, on_spark):
            _import(data_dir, population, "identity", LATER, PEOPLE)
        tasks[0] = 2
        links = _resolve(forked, False, None)
        assert _resolve(on_spark, False, spark_counted) == links
        assert len(linked_on_spark) == 3
        assert linked_on_spark[1] > BATCH
