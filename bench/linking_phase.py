"""A resolve's linking phase alone, on its forked workers: when each worker took each batch.

    .venv/bin/python bench/linking_phase.py bench-data/population-1000000 [--workers 2]

Collects the lookups of a resolved population as resolve does (`link_batches.collected`: in
the store's temporary tables, nothing written), then links them all as resolve's linking
phase does (`resolve._link_to_index` with `resolve.forked_linker`, the store's memory limited
meanwhile, the store's link model). Prints each batch as its worker finishes it (the worker,
when it began and ended, seconds since the phase began), then the phase's seconds: where the
workers wait (for the first batch read, for each other at the end) shows between the lines.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from bonafide.persons import resolve

sys.path.insert(0, str(Path(__file__).resolve().parent))
from link_batches import collected

began = [time.time()]


_link_sent = resolve._link_sent


def timed_batch(data: bytes) -> Any:
    """`resolve._link_sent`, printing the worker and when it began and ended the batch (a
    function of this module: the pool sends functions by name)."""
    start = time.time()
    result = _link_sent(data)
    end = time.time()
    print(
        f"  worker {os.getpid()}: {start - began[0]:6.1f} → {end - began[0]:6.1f} s "
        f"({end - start:.2f} s)",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("population", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    store, matcher, lookups = collected(args.population)
    resolve._link_sent = timed_batch  # type: ignore[assignment]
    began[0] = time.time()
    with store.memory_limited(resolve.WORKERS_STORE_MEMORY):
        resolve._link_to_index(
            matcher,
            resolve._read_lookups(store, lookups),
            lookups,
            lambda _: None,
            None,
            resolve.forked_linker(args.workers),
        )
    print(f"{lookups:,} lookups linked in {time.time() - began[0]:.1f} s", flush=True)


if __name__ == "__main__":
    main()
