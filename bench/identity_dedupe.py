"""The identity registry's dedupe alone, as a resolve runs it, timed.

    .venv/bin/python bench/identity_dedupe.py bench-data/population-1000000 [--workers 2]

Reads a prepared population's identity records as `bonafide registry resolve --rebuild` reads
them, then deduplicates them with `resolve._dedupe_identities` (the birth-year groups, the
model trained on the first, the later groups in forked workers) and prints the seconds, the
pairs judged one person and the blocking keys made. Nothing is written. To time another
version of the code against this one, put its `src` first on PYTHONPATH (a `git worktree` of
that commit); the pairs and keys should be the same.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bonafide.persons import resolve
from bonafide.persons.index import index_key
from bonafide.registry.schema import Kind
from bonafide.registry.store import RegistryStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vaults import bench_vault


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("population", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with RegistryStore.open(bench_vault(args.population / "store"), read_only=True) as store:
        records, _ = resolve._read_records(store, Kind.IDENTITY, [])
        hash_key = index_key(store.vault)
    started = time.perf_counter()
    left, _, _, (hashes, _) = resolve._dedupe_identities(
        records, lambda _: None, hash_key, args.workers
    )
    seconds = time.perf_counter() - started
    print(
        f"{len(records):,} identity records deduplicated in {seconds:.1f} s: "
        f"{len(left):,} pairs, {len(hashes):,} keys ({resolve.__file__})"
    )


if __name__ == "__main__":
    main()
