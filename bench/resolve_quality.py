"""Resolve a prepared population again and check its links against the ground truth.

    .venv/bin/python bench/population.py 200000          # once: synthesise, import, resolve
    .venv/bin/python bench/resolve_quality.py bench-data/population-200000

Runs `resolve_registries(store, rebuild=True)` (what `bonafide registry resolve --rebuild` runs)
in this process, then, for each registry linked to persons: precision (links to the person
holding the record's true identity records) and recall (of the records whose true person has an
identity record) and the share of its records left without a person. Prints the time of the
resolve, the figures and what each blocking key did for the lookups linking records to persons:
the share of lookups holding it, the share whose block was over its limit (skipped), the
candidate rows it fetched per lookup; and the lookups left with no usable key. With
`--json FILE`, writes them there too.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from bonafide.persons.index import BlockingCounts
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


def _print_blocking(counts: BlockingCounts) -> None:
    lookups = max(counts.lookups, 1)
    print(f"  blocking, {counts.lookups:,} lookups:", flush=True)
    print(f"    {'key':<34} {'held':>7} {'over limit':>10} {'rows/lookup':>11}", flush=True)
    for n, rule in enumerate(counts.rules):
        held = int(counts.held[n])
        if not held:
            continue
        print(
            f"    {rule:<34} {held / lookups:>7.3f} {counts.overflowed[n] / held:>10.3f}"
            f" {counts.rows[n] / lookups:>11.2f}",
            flush=True,
        )
    print(
        f"    every key over its limit: {counts.every_key_overflowed:,} lookups"
        f" ({counts.every_key_overflowed / lookups:.4f}); no key: {counts.without_keys:,}",
        flush=True,
    )


def main(population: Path, json_out: Path | None) -> None:
    figures: dict[str, object] = {}
    with RegistryStore.open(bench_vault(population / "store")) as store:
        started = time.perf_counter()
        report = resolve_registries(store, rebuild=True)
        seconds = time.perf_counter() - started
        print(f"resolve: {seconds:.1f} s, {report.persons:,} persons", flush=True)
        figures.update(seconds=seconds, persons=report.persons)
        identity_truth = _truth(population, "identity")
        person_of_true: dict[int, int] = {}
        for record, person in _links(store, "identity").items():
            person_of_true.setdefault(identity_truth[record], person)
        for kind in ("residence", "education", "employment"):
            truth, links = _truth(population, kind), _links(store, kind)
            right = sum(person_of_true.get(truth[r]) == p for r, p in links.items())
            linkable = sum(1 for p in truth.values() if p in person_of_true)
            precision, recall = right / max(len(links), 1), right / max(linkable, 1)
            without = 1 - len(links) / max(len(truth), 1)
            print(
                f"  {kind:<11} links {len(links):>10,}  precision {precision:.4f}"
                f"  recall {recall:.4f}  without a person {without:.4f}",
                flush=True,
            )
            figures[kind] = {
                "records": len(truth),
                "links": len(links),
                "precision": precision,
                "recall": recall,
                "without_person": without,
            }
    _print_blocking(report.blocking)
    figures["blocking"] = report.blocking.to_json()
    if json_out is not None:
        json_out.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    json_out = None
    if "--json" in arguments:
        at = arguments.index("--json")
        json_out = Path(arguments[at + 1])
        del arguments[at : at + 2]
    main(Path(arguments[0]), json_out)
