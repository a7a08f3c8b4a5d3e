"""The watchlist's look through the services its entries name, alone, on a resolved store.

    .venv/bin/python bench/services_look.py bench-data/population-1000000 [--withdraw-undated]

Runs `link_at_services` (`persons/services.py`) on the watchlist records the resolve left
without a person (and its links below `services.UNSURE`), inside a transaction that is rolled
back, and prints its time, its report and the watchlist's precision, recall and share without
a person before and after, against the population's truth (`bench/resolve_quality.py`'s
figures). With `--withdraw-undated`, the links of the entries written without a whole birth
date are withdrawn first, so that the look has them to find again. Prints every store
statement over a twentieth of a second.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bonafide.persons.services import ServicesReport, link_at_services
from bonafide.registry.store import RegistryStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from resolve_quality import watchlist_figures
from second_looks_timed import log_slow_statements, resolved_model

WORKERS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("population", type=Path)
    parser.add_argument("--withdraw-undated", action="store_true")
    args = parser.parse_args()
    log_slow_statements()
    vault, model, persons = resolved_model(args.population)
    with RegistryStore.open(vault) as store:
        store.execute("begin", "BEGIN TRANSACTION")
        try:
            if args.withdraw_undated:
                store.execute(
                    "withdraw the undated entries' links",
                    "DELETE FROM person_links l USING registry_watchlist r "
                    "WHERE l.kind = 'watchlist' AND l.record_key = r.record_key "
                    "AND r.birth_date_precision IS DISTINCT FROM 'day'",
                )
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
