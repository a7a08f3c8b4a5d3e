"""Where a resolve's linking time goes: real batches of lookups linked as resolve links them,
each step timed.

    .venv/bin/python bench/link_batches.py bench-data/population-1000000
    .venv/bin/python bench/link_batches.py bench-data/population-10000000 --first 67
    .venv/bin/python bench/link_batches.py bench-data/population-10000000 --first 200 --batch 100000

Collects the lookups of a resolved population as resolve does (every registry's records, each
distinct combination of person fields once, numbered in birth-date order, and those written
exactly as one person: timed, as it is part of a resolve), then links `--count` batches of
`--batch` lookups (by default `resolve.BATCH`) from batch `--first` on, read as resolve reads
them, in this one process, with the store's link model: `resolve.link_batch` — a lookup written
exactly as one person against that person's record alone, the others through the blocks, the
first look at ten candidates and the second at forty for the unsure. The first batch warms the
caches a run keeps (names, words, the comparators' answers) and is left out of the means; prints
each batch's time, then the mean time per batch of each step (the steps indented are those of
every scoring together), the process's time in the kernel and its largest size. Nothing is
written to the store. The process keeps the memory it frees, as resolve's forked workers do
(`bonafide.heap.reuse_freed_memory`). To compare, `NUMPY_MADVISE_HUGEPAGE=1` in the environment
puts NumPy's large arrays back on huge pages (`bonafide.heap.ordinary_pages`), and
`GLIBC_TUNABLES=glibc.malloc.tcache_count=7` (a default) leaves glibc's malloc as it is.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from bonafide.heap import reuse_freed_memory, settle
from bonafide.linkage import comparisons
from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import PersonRecords
from bonafide.persons import match, resolve
from bonafide.persons.files import PersonFiles
from bonafide.persons.index import PersonIndex
from bonafide.persons.link_model import load_link_model
from bonafide.persons.match import MatchedPairs, Matcher
from bonafide.registry.store import RegistryStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vaults import bench_vault

spent: dict[str, float] = defaultdict(float)
running: list[str] = []  # the steps timed that are under way, outermost first
# the steps as printed: a look, then what it holds
STEPS = (
    "the exact lookups, each against its one record",
    "the others, through the blocks",
    "the first look (10 candidates; ranking 40)",
    "the second look (the unsure's other pairs)",
    "  blocking keys",
    "  blocking keys' hashes",
    "  choosing the candidates (candidate_rows)",
    "  candidates' records",
    "  features (names parsed, coded)",
    "  comparisons",
    "  term-frequency adjustments",
    "  match weights",
    "the most probable person",
)


def _timed(owner: Any, name: str, label: Callable[[tuple[Any, ...]], str] | str) -> None:
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        step = label if isinstance(label, str) else label(args)
        running.append(step)
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            running.pop()
            if step:
                spent[step] += time.perf_counter() - start

    setattr(owner, name, timed)


def _time_the_steps() -> None:
    first_look = "the first look (10 candidates; ranking 40)"
    blocks = "the others, through the blocks"
    _timed(resolve, "_looked_up", blocks)
    _timed(Matcher, "score_looking_wider", first_look)
    # the first look scores its pairs within `score_looking_wider`, the second within
    # `_looked_up`, the exact lookups' outside both
    _timed(
        Matcher,
        "score_pairs",
        lambda _: (
            ""
            if first_look in running
            else "the second look (the unsure's other pairs)"
            if blocks in running
            else "the exact lookups, each against its one record"
        ),
    )
    _timed(PersonIndex, "candidate_rows", "  choosing the candidates (candidate_rows)")
    _timed(match, "record_keys", "  blocking keys")
    _timed(PersonIndex, "hashes_of", "  blocking keys' hashes")
    _timed(match, "comparison_levels", "  comparisons")
    _timed(match, "term_frequency_adjustments", "  term-frequency adjustments")
    _timed(LinkageModel, "score", "  match weights")
    _timed(PersonIndex, "person_records", "  candidates' records")
    _timed(MatchedPairs, "most_probable_person", "the most probable person")
    build = comparisons.Features.build.__func__  # type: ignore[attr-defined]

    def features(cls: type, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return build(cls, *args, **kwargs)
        finally:
            spent["  features (names parsed, coded)"] += time.perf_counter() - start

    comparisons.Features.build = classmethod(features)  # type: ignore[method-assign,assignment]


def collected(population: Path) -> tuple[RegistryStore, Matcher, int]:
    """A resolved population's store with its lookups collected as resolve collects them (in
    its temporary tables; their number and the time taken printed), the matcher resolve
    links them with, and their number."""
    store = RegistryStore.open(bench_vault(population / "store"), read_only=True)
    index = PersonIndex.open(store.vault)
    model = load_link_model(PersonFiles(store.vault).current())
    start = time.perf_counter()
    lookups = resolve._collect_lookups(store, list(resolve._LOOKUP_KINDS), {}, False).count
    exact = resolve._mark_exact_lookups(store, index)
    print(
        f"{lookups:,} lookups collected, {exact:,} of them written exactly as one person, "
        f"in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    return store, Matcher(index, resolve.LINK_CANDIDATES, model), lookups


def batches(
    store: RegistryStore, lookups: int, first: int, count: int
) -> Iterator[tuple[int, PersonRecords]]:
    """`count` consecutive batches of the `lookups` collected from batch `first` on, numbered
    (read from there, as resolve reads them)."""
    read = resolve._read_lookups(store, lookups, first * resolve.BATCH)
    yield from enumerate(islice(read, count), start=first)


def batch_arguments(doc: str, count: int) -> argparse.Namespace:
    """A batch bench's arguments: the population, the first batch, how many and their size
    (which becomes `resolve.BATCH`, as the batches are read by resolve's own reader)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("population", type=Path)
    parser.add_argument("--first", type=int, default=6)
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument(
        "--batch", type=int, default=resolve.BATCH, help="lookups per batch (resolve.BATCH)"
    )
    args = parser.parse_args()
    resolve.BATCH = args.batch
    return args


def main() -> None:
    args = batch_arguments(__doc__, 6)
    reused = reuse_freed_memory()
    print(f"freed memory kept for the next batch: {'yes' if reused else 'no'}", flush=True)
    store, matcher, lookups = collected(args.population)
    _time_the_steps()
    settle()
    times: list[float] = []
    for number, batch in batches(store, lookups, args.first, args.count):
        if number == args.first + 1:
            spent.clear()  # the first batch warms the caches
            kernel = resource.getrusage(resource.RUSAGE_SELF).ru_stime
        start = time.perf_counter()
        resolve.link_batch(matcher, batch)
        times.append(time.perf_counter() - start)  # link_batch settles its heap itself
        print(f"batch {number}: {times[-1]:.2f} s", flush=True)
    measured = max(len(times) - 1, 1)
    print(f"mean of batches {args.first + 1}–{args.first + len(times) - 1}:", flush=True)
    print(f"  {'a batch':<48} {sum(times[1:]) / measured:6.2f} s", flush=True)
    for step in STEPS:
        if step in spent:
            print(f"  {step:<48} {spent[step] / measured:6.2f} s", flush=True)
    for step, seconds in spent.items():
        if step not in STEPS:
            print(f"  {step:<48} {seconds / measured:6.2f} s", flush=True)
    if len(times) > 1:
        in_kernel = resource.getrusage(resource.RUSAGE_SELF).ru_stime - kernel
        print(f"  {'of a batch, in the kernel (system time)':<48} {in_kernel / measured:6.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
    print(f"  {'the process at its largest (max RSS)':<48} {peak:6,} MB")


if __name__ == "__main__":
    main()
