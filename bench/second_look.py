"""What resolve's second look changes, by the probability the first look gave.

    .venv/bin/python bench/second_look.py bench-data/population-1000000 --first 6 --count 2

Collects the lookups of a resolved population as resolve does (`link_batches.collected`),
then for `--count` consecutive batches from batch `--first` on: the first look (ten
candidates), and for each lookup it leaves unsure (linked below `resolve.SURE` or not at all,
with ten candidates found) the second look (forty). Prints, by band of the first look's
probability, the unsure lookups and how many the second look links newly, links to another
person, or unlinks. Nothing is written to the store.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa

from bonafide.linkage.records import PersonRecords
from bonafide.persons import resolve

sys.path.insert(0, str(Path(__file__).resolve().parent))
from link_batches import batch_arguments, batches, collected

# lower bounds of the bands of the first look's probability (a lookup scored again had ten
# candidates, so it has a most probable one)
BANDS = (0.0, 1e-3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.88, 0.89)


def _band_name(number: int) -> str:
    high = BANDS[number + 1] if number + 1 < len(BANDS) else resolve.SURE
    return f"{BANDS[number]:g}–{high:g}"


def main() -> None:
    args = batch_arguments(__doc__, 4)
    store, matcher, lookups = collected(args.population)
    index = matcher.index
    wider = matcher.with_limit(resolve.LINK_CANDIDATES_UNSURE)
    # per band: unsure, linked newly, linked to another person, unlinked
    counts = np.zeros((len(BANDS), 4), dtype=np.int64)
    looked = 0
    for _, records in batches(store, lookups, args.first, args.count):
        looked += len(records)
        pairs = matcher.score(records)
        rows, best = pairs.most_probable_person(len(records))
        limited = np.bincount(pairs.query, minlength=len(records)) >= matcher.candidate_limit
        unsure = np.flatnonzero(((rows < 0) | (best < resolve.SURE)) & limited)
        again = PersonRecords(records.table.take(pa.array(unsure)))
        rows_after, best_after = wider.score(again).most_probable_person(len(unsure))
        band = np.searchsorted(BANDS, best[unsure], side="right") - 1
        linked = (rows[unsure] >= 0) & (best[unsure] >= resolve.THRESHOLD)
        linked_after = (rows_after >= 0) & (best_after >= resolve.THRESHOLD)
        person = index.person_ids(np.maximum(rows[unsure], 0))
        person_after = index.person_ids(np.maximum(rows_after, 0))
        changes = (
            np.ones(len(unsure), dtype=bool),
            ~linked & linked_after,
            linked & linked_after & (person != person_after),
            linked & ~linked_after,
        )
        for column, change in enumerate(changes):
            counts[:, column] += np.bincount(band[change], minlength=len(BANDS))
    print(f"{looked:,} lookups, {int(counts[:, 0].sum()):,} of them unsure")
    print(f"{'first look':<12} {'unsure':>8} {'linked now':>11} {'another':>8} {'unlinked':>9}")
    for number in range(len(BANDS)):
        unsure_here, newly, other, unlinked = counts[number].tolist()
        print(f"{_band_name(number):<12} {unsure_here:>8,} {newly:>11,} {other:>8,} {unlinked:>9,}")


if __name__ == "__main__":
    main()
