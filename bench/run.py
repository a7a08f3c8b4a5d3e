"""`make bench`: every benchmark, printing figures; results go into docs/benchmarks.md by hand.

python bench/run.py                      # all suites at their default sizes
python bench/run.py foundation 1000000   # one suite, chosen sizes
python bench/run.py names 200000
python bench/run.py realtime 10000000    # resolve and look up against a 10 M-person store
python bench/run.py dedupe 1000000
python bench/run.py verify 1000000      # the applicant cohort against a resolved population
python bench/run.py vault 200000        # import, resolve, verify with the vault and without
python bench/run.py watchlist 200000    # watchlist screening: recall, false hits, cost
python bench/run.py api 1000000         # the HTTP API under load, on loopback
python bench/run.py desk 1000000        # the desk's pages under load, on loopback
python bench/run.py reports 100000      # reports → events: ARI against the truth, seconds
python bench/run.py reports-load 5000   # the intake under load: ingest/s, 200 reporters, feed
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import api_load
import dedupe
import desk_load
import foundation
import linkage
import names
import realtime
import reports_events
import reports_load
import vault_cost
import verify
import watchlist

SUITES: dict[str, Callable[[list[int], Path], object]] = {
    "foundation": foundation.main,
    "names": names.main,
    "linkage": linkage.main,
    "realtime": realtime.main,
    "verify": verify.main,
    "vault": vault_cost.main,
    "dedupe": lambda sizes, work: [dedupe.main(size, work) for size in sizes],
    "watchlist": watchlist.main,
    "api": api_load.main,
    "desk": desk_load.main,
    "reports": reports_events.main,
    "reports-load": reports_load.main,
}
DEFAULT_SIZES = {
    "foundation": [1_000_000, 10_000_000],
    "names": [200_000],
    "linkage": [],
    "realtime": [1_000_000, 10_000_000],
    "dedupe": [1_000_000],
    "verify": [1_000_000],
    "vault": [200_000],
    "watchlist": [200_000],
    "api": [1_000_000],
    "desk": [1_000_000],
    "reports": [100_000],
    "reports-load": [5_000],
}


def main(argv: list[str]) -> None:
    chosen = [a for a in argv if not a.isdigit()] or list(SUITES)
    sizes = [int(a) for a in argv if a.isdigit()]
    for name in chosen:
        print(f"== {name}", flush=True)
        SUITES[name](sizes or DEFAULT_SIZES[name], Path("bench-data"))


if __name__ == "__main__":
    main(sys.argv[1:])
