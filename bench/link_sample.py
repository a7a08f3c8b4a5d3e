"""What more candidates, or a weaker prior, would link: a random sample of a resolved
population's records linked again, checked against the truth.

    .venv/bin/python bench/link_sample.py bench-data/population-10000000
    .venv/bin/python bench/link_sample.py bench-data/population-1000000 --size 20000

For each registry linked to persons, draws `--size` records at random (DuckDB's reservoir,
seeded: the same records every run), links them as resolve does (its link model, its
candidates per lookup, the candidates competing, a probability of 0.5) and prints precision
and recall on the sample — the first line reproduces the store's figures, within the
sample's error — then the same records again:

- with more candidates scored per lookup (`--limits`, default 10,20,40): how many records are
  without a person because their true person was in their blocks but ranked beyond the
  candidates scored;
- with the lookup's prior raised by a factor (`--priors`, default 1,2,4,8,16,32): how much
  evidence the records without a person lack, and what linking them would cost in precision
  (a factor of 16 asks four bits less of every record).

Each scoring is timed (the first run warms the name caches). Nothing is written to the store.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from bonafide.linkage.records import PersonRecords
from bonafide.persons import fields, resolve
from bonafide.persons.files import PersonFiles
from bonafide.persons.index import PersonIndex
from bonafide.persons.link_model import load_link_model
from bonafide.persons.match import MatchedPairs, Matcher
from bonafide.registry.schema import Kind
from bonafide.registry.store import RegistryStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resolve_quality import person_of_true
from vaults import bench_vault

KINDS = ("residence", "education", "employment", "watchlist")


def _sample(
    store: RegistryStore, population: Path, kind: str, size: int
) -> tuple[PersonRecords, np.ndarray]:
    """`size` random records of `kind` and the person resolve gave each one's true identity
    records (-1: its true person has none)."""
    truth = str(population / "truth").replace("'", "''")
    columns = fields.select_sql(Kind(kind), fields.LINK_COLUMNS)
    table = store.arrow(
        "bench link sample",
        f"""
        WITH {person_of_true(truth)},
        drawn AS (
            SELECT * FROM registry_{kind} USING SAMPLE reservoir({size} ROWS) REPEATABLE (16)
        )
        SELECT coalesce(p.person_id, -1) AS expected, {columns}
        FROM drawn r JOIN read_parquet('{truth}/{kind}.parquet') t ON t.record_id = r.record_id
        LEFT JOIN person_of_true p ON p.true_person = t.person_id
        """,
    )
    expected = np.asarray(table.column("expected").to_numpy(), dtype=np.int64)
    return fields.as_person_records(table.drop_columns(["expected"])), expected


def _figures(index: PersonIndex, pairs: MatchedPairs, expected: np.ndarray) -> str:
    rows, best = pairs.most_probable_person(len(expected))
    linked = (rows >= 0) & (best >= resolve.THRESHOLD)
    person = np.full(len(expected), -2, dtype=np.int64)
    person[linked] = index.person_ids(rows[linked])
    right = int((person == expected).sum())
    links = int(linked.sum())
    return (
        f"links {links:>7,}  precision {right / max(links, 1):.4f}"
        f"  recall {right / max(int((expected >= 0).sum()), 1):.4f}"
        f"  wrong {links - right:>5,}  without a person {1 - links / max(len(expected), 1):.4f}"
    )


def main(population: Path, size: int, limits: list[int], priors: list[float]) -> None:
    with RegistryStore.open(bench_vault(population / "store")) as store:
        index = PersonIndex.open(store.vault, any_keys=True)
        model = load_link_model(PersonFiles(store.vault).current())
        print(f"{index.meta.persons:,} persons; {size:,} records drawn per registry", flush=True)
        for kind in KINDS:
            records, expected = _sample(store, population, kind, size)
            if not len(records):
                continue
            print(f"{kind} ({len(records):,} drawn):", flush=True)
            for limit in limits:
                started = time.perf_counter()
                pairs = Matcher(index, limit, model).score(records)
                seconds = time.perf_counter() - started
                print(
                    f"  candidates {limit:>3}: {_figures(index, pairs, expected)}"
                    f"  pairs {len(pairs.query):>9,}  {seconds:6.1f} s",
                    flush=True,
                )
            pairs = Matcher(index, resolve.LINK_CANDIDATES, model).score(records)
            weights = pairs.match_weight.copy()
            for factor in priors:
                pairs.match_weight = weights + np.log2(factor)
                print(f"  prior × {factor:>4g}: {_figures(index, pairs, expected)}", flush=True)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    options = {"--size": "40000", "--limits": "10,20,40", "--priors": "1,2,4,8,16,32"}
    try:
        for name in list(options):
            if name in arguments:
                at = arguments.index(name)
                options[name] = arguments[at + 1]
                del arguments[at : at + 2]
        size = int(options["--size"])
        limits = [int(part) for part in options["--limits"].split(",")]
        priors = [float(part) for part in options["--priors"].split(",")]
    except (IndexError, ValueError):
        sys.exit(__doc__)
    if len(arguments) != 1 or arguments[0].startswith("-"):
        sys.exit(__doc__)
    if not (Path(arguments[0]) / "store").is_dir():
        sys.exit(__doc__)
    main(Path(arguments[0]), size, limits, priors)
