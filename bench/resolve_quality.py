"""Resolve a prepared population again and check its links against the ground truth.

    .venv/bin/python bench/population.py 200000          # once: synthesise, import, resolve
    .venv/bin/python bench/resolve_quality.py bench-data/population-200000

Runs `resolve_registries(store, rebuild=True)` (what `bonafide registry resolve --rebuild` runs)
in this process, then, for each registry linked to persons: precision (links to the person
holding the record's true identity records) and recall (of the records whose true person has an
identity record). Prints the time of the resolve and the figures.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from bonafide.persons.resolve import resolve_registries
from bonafide.registry.store import RegistryStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vaults import bench_vault


def _truth(population: Path, kind: str) -> dict[str, int]:
    table = pq.read_table(population / "truth" / f"{kind}.parquet")
    ids, persons = table.column("record_id").to_pylist(), table.column("person_id").to_pylist()
    return dict(zip(ids, persons, strict=True))


def _links(store: RegistryStore, kind: str) -> dict[str, int]:
    rows = store.execute(
        "bench links",
        f"SELECT r.record_id, l.person_id FROM person_links l JOIN registry_{kind} r "
        f"ON r.record_key = l.record_key WHERE l.kind = '{kind}'",
    )
    return {str(record): int(person) for record, person in rows}


def main(population: Path) -> None:
    with RegistryStore.open(bench_vault(population / "store")) as store:
        started = time.perf_counter()
        report = resolve_registries(store, rebuild=True)
        seconds = time.perf_counter() - started
        print(f"resolve: {seconds:.1f} s, {report.persons:,} persons", flush=True)
        identity_truth = _truth(population, "identity")
        person_of_true: dict[int, int] = {}
        for record, person in _links(store, "identity").items():
            person_of_true.setdefault(identity_truth[record], person)
        for kind in ("residence", "education", "employment"):
            truth, links = _truth(population, kind), _links(store, kind)
            right = sum(person_of_true.get(truth[r]) == p for r, p in links.items())
            linkable = sum(1 for p in truth.values() if p in person_of_true)
            print(
                f"  {kind:<11} links {len(links):>10,}  precision {right / max(len(links), 1):.4f}"
                f"  recall {right / max(linkable, 1):.4f}",
                flush=True,
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
