"""The watchlist's look through the services its entries name, alone, on a resolved store.

    .venv/bin/python bench/services_look.py bench-data/population-1000000

Runs `link_at_services` (`persons/services.py`) on the watchlist records the resolve left
without a person, inside a transaction that is rolled back, and prints its time, its report
and the watchlist's precision, recall and share without a person before and after, against
the population's truth (`bench/resolve_quality.py`'s figures).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bonafide.persons.files import PersonFiles
from bonafide.persons.index import IndexMeta
from bonafide.persons.link_model import load_link_model
from bonafide.persons.services import ServicesReport, link_at_services
from bonafide.registry.store import RegistryStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resolve_quality import watchlist_figures
from vaults import bench_vault

WORKERS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("population", type=Path)
    args = parser.parse_args()
    vault = bench_vault(args.population / "store")
    generation = PersonFiles(vault).current()
    if generation is None:
        raise SystemExit(f"{args.population} has no resolved persons: run bench/population.py")
    model = load_link_model(generation)
    if model is None:
        raise SystemExit(f"{args.population} has no link model: resolve it again")
    persons = IndexMeta.load(generation).persons
    with RegistryStore.open(vault) as store:
        store.execute("begin", "BEGIN TRANSACTION")
        try:
            print(f"before: {watchlist_figures(store, args.population)}", flush=True)
            started = time.perf_counter()
            report = ServicesReport()
            link_at_services(store, model, persons, report, workers=WORKERS)
            print(f"services: {time.perf_counter() - started:.1f} s\n{report}", flush=True)
            print(f"after: {watchlist_figures(store, args.population)}", flush=True)
        finally:
            store.execute("roll back", "ROLLBACK")


if __name__ == "__main__":
    main()
