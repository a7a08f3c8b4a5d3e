"""Name tables of a registry's names: parsed column-wise from their words, and one by one.

    .venv/bin/python bench/name_keys.py bench-data/population-1000000

Reads the residence registry of a population prepared by `bench/population.py`, joins its name
columns as resolve does, and times `NameKeyTable.build` with the linkage's facts: on all its
rows, then on slices of 100,000 distinct names in a row (the words of the later ones met
already, as a resolve worker meets them batch after batch). First the names of two or three
plain words are parsed column-wise (`names/columns.py`), then every name one by one (the way
before it), each in a process of its own so that neither finds the other's caches; the tables
are checked to be the same.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bonafide.linkage.comparisons import _NAME_FACTS
from bonafide.names import batch
from bonafide.names.columns import parse_column

SLICE = 100_000
COLUMNS = ["Фамилия", "Имя", "Отчество"]


def _names(population: Path) -> pa.StringArray:
    table = pq.read_table(population / "registries" / "residence.parquet", columns=COLUMNS)
    names: pa.StringArray = pc.binary_join_element_wise(
        *table.columns, " ", null_handling="skip"
    ).combine_chunks()
    return names


def run(population: Path, way: str) -> None:
    if way == "one by one":
        batch._COLUMN_WISE_AT_LEAST = sys.maxsize  # every table parses its names one by one
    names = _names(population)
    distinct = pc.unique(names)
    share = parse_column(distinct).parsed.mean()
    slices = []
    for start in range(0, 4 * SLICE, SLICE):
        started = time.perf_counter()
        batch.NameKeyTable.build(distinct.slice(start, SLICE), _NAME_FACTS, cache=True)
        slices.append(time.perf_counter() - started)
    batch.release_name_caches()
    started = time.perf_counter()
    table = batch.NameKeyTable.build(names, _NAME_FACTS, cache=False)
    seconds = time.perf_counter() - started
    digest = hashlib.sha256()
    for part in ("given", "surname", "patronymic", "sex", "surname_sex", "lone_role"):
        digest.update(np.asarray(getattr(table, part)).tobytes())
    print(
        f"{way}: {len(names):,} rows, {len(distinct):,} distinct ({share:.1%} of them of a "
        f"shape parsed column-wise) in {seconds:.1f} s; slices of {SLICE:,} distinct: "
        + ", ".join(f"{s:.2f}" for s in slices)
        + f" s; table {digest.hexdigest()[:12]}",
        flush=True,
    )


def main(population: Path) -> None:
    tables = []
    for way in ("column-wise", "one by one"):
        found = subprocess.run(
            [sys.executable, __file__, str(population), way],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        print(found, end="", flush=True)
        tables.append(found.rsplit("table ", 1)[-1].strip())
    print("the same tables" if tables[0] == tables[1] else "THE TABLES DIFFER")


if __name__ == "__main__":
    if len(sys.argv) == 3:
        run(Path(sys.argv[1]), sys.argv[2])
    else:
        main(Path(sys.argv[1]))
