"""Resolve's second looks alone on a resolved population, each store statement timed.

    .venv/bin/python bench/second_looks_timed.py bench-data/population-10000000
    .venv/bin/python bench/second_looks_timed.py bench-data/population-10000000 --looks former

Opens the store (its memory limit `--memory`, 4GB as resolve's) and, inside a transaction
that is rolled back at the end (nothing is kept), withdraws the links of one record in
`--withdraw` (6) of the residence, education and employment registries (chosen by the hash of
the record key: the same records every run), then runs the looks chosen by `--looks`
(`continuity`, `former`, or both) with the store's link model and the index's number of
persons, on two forked workers, as resolve runs them after its lookups. Prints each store
statement taking more than a twentieth of a second (the store's debug log) and each look's
report and time. The records withdrawn are a uniform share, not those a resolve leaves without
a person: this times the looks' statements on a store of the real size, it does not measure
their links (`resolve_quality.py` does).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from bonafide.linkage.model import LinkageModel
from bonafide.persons.continuity import ContinuityReport, link_continuations
from bonafide.persons.files import PersonFiles
from bonafide.persons.former_names import FormerNamesReport, link_former_names
from bonafide.persons.index import IndexMeta
from bonafide.persons.link_model import load_link_model
from bonafide.registry.store import RegistryStore, StoreSettings
from bonafide.vault import Vault

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vaults import bench_vault

WORKERS = 2


class SlowStatements(logging.Filter):
    """Store statements over a twentieth of a second, and every other log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        seconds = record.args[-1] if isinstance(record.args, tuple) and record.args else None
        return not isinstance(seconds, float) or seconds > 0.05


def log_slow_statements() -> None:
    """Log lines to standard output, stamped with milliseconds, store statements only where
    slow (`SlowStatements`)."""
    logging.basicConfig(
        level=logging.INFO, format="%(relativeCreated)8.0f %(message)s", stream=sys.stdout
    )
    store_log = logging.getLogger("bonafide.registry.store")
    store_log.setLevel(logging.DEBUG)
    store_log.addFilter(SlowStatements())


def resolved_model(population: Path) -> tuple[Vault, LinkageModel, int]:
    """A resolved population's vault, link model and number of persons; exits without them."""
    vault = bench_vault(population / "store")
    generation = PersonFiles(vault).current()
    if generation is None:
        raise SystemExit(f"{population} has no resolved persons: run bench/population.py")
    model = load_link_model(generation)
    if model is None:
        raise SystemExit(f"{population} has no link model: resolve it again")
    return vault, model, IndexMeta.load(generation).persons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("population", type=Path)
    parser.add_argument("--withdraw", type=int, default=6, help="one record in N loses its link")
    parser.add_argument("--looks", choices=("continuity", "former", "both"), default="both")
    parser.add_argument(
        "--memory", default=StoreSettings.memory_limit, help="the store's memory limit (4GB)"
    )
    args = parser.parse_args()
    log_slow_statements()
    vault, model, persons = resolved_model(args.population)
    with RegistryStore.open(vault, StoreSettings(memory_limit=args.memory)) as store:
        store.execute("begin", "BEGIN TRANSACTION")
        try:
            store.execute(
                "withdraw links",
                "DELETE FROM person_links WHERE kind IN ('residence', 'education', "
                f"'employment') AND hash(record_key) % {args.withdraw} = 0",
            )
            if args.looks in ("continuity", "both"):
                started = time.perf_counter()
                periods = ContinuityReport()
                link_continuations(store, model, persons, periods, workers=WORKERS)
                print(f"continuity: {time.perf_counter() - started:.1f} s\n{periods}")
            if args.looks in ("former", "both"):
                started = time.perf_counter()
                names = FormerNamesReport()
                link_former_names(store, model, persons, names, workers=WORKERS)
                print(f"former names: {time.perf_counter() - started:.1f} s\n{names}")
        finally:
            store.execute("roll back", "ROLLBACK")


if __name__ == "__main__":
    main()
