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

import importlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _dedupe(sizes: list[int], work: Path) -> None:
    dedupe = importlib.import_module("dedupe")
    for size in sizes:
        dedupe.main(size, work)


# a suite's module is imported only when the suite runs, and several suites run each in a
# process of its own: a benchmark's peak memory is its own, not that of every module here
# (importing all of them took 184 MB more than the dedupe suite's own, which its 1.5 GB
# target counted)
SUITES: dict[str, str | Callable[[list[int], Path], object]] = {
    "foundation": "foundation",
    "names": "names",
    "linkage": "linkage",
    "realtime": "realtime",
    "verify": "verify",
    "vault": "vault_cost",
    "dedupe": _dedupe,
    "watchlist": "watchlist",
    "api": "api_load",
    "desk": "desk_load",
    "reports": "reports_events",
    "reports-load": "reports_load",
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


def _run(name: str, sizes: list[int]) -> None:
    suite = SUITES[name]
    run = importlib.import_module(suite).main if isinstance(suite, str) else suite
    run(sizes or DEFAULT_SIZES[name], Path("bench-data"))


def main(argv: list[str]) -> int:
    chosen = [a for a in argv if not a.isdigit()] or list(SUITES)
    sizes = [a for a in argv if a.isdigit()]
    unknown = [name for name in chosen if name not in SUITES]
    if unknown:
        print(f"unknown suite {unknown[0]!r}: choose from {', '.join(SUITES)}", file=sys.stderr)
        return 2
    if len(chosen) == 1:
        print(f"== {chosen[0]}", flush=True)
        _run(chosen[0], [int(s) for s in sizes])
        return 0
    runs = [subprocess.run([sys.executable, __file__, name, *sizes]) for name in chosen]
    return 1 if any(run.returncode for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
