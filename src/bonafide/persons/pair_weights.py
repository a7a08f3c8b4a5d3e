"""Match weights of many given pairs of records, in shares scored by forked workers, and the
links the pairs make (resolve's second looks: `continuity.py`, `former_names.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bonafide.forking import forked_map
from bonafide.heap import collector_paused
from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import PersonRecords
from bonafide.persons.match import score_record_pairs, weighed_pairs
from bonafide.registry.schema import Kind
from bonafide.registry.store import RegistryStore

__all__ = ["SHARE", "THRESHOLD", "insert_links", "linked_at_threshold", "pair_weights"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
SHARE = 100_000  # pairs a worker scores at once
THRESHOLD = 0.5  # as a lookup's


@dataclass(frozen=True)
class _Pairs:
    model: LinkageModel
    records: PersonRecords
    candidates: PersonRecords
    query: IntArray  # per pair, its row of `records`
    candidate: IntArray  # per pair, its row of `candidates`


# What forked workers score: set before the pool forks, so each inherits it, never pickled.
_PAIRS: _Pairs | None = None


def pair_weights(
    model: LinkageModel,
    records: PersonRecords,
    candidates: PersonRecords,
    query: IntArray,
    candidate: IntArray,
    workers: int,
) -> FloatArray:
    """The match weight of each pair (`records[query]`, `candidates[candidate]`): scored SHARE
    pairs at a time, by `workers` forked processes where there are several shares and a way to
    fork. A pair's weight is its own, whatever it is scored with (`Matcher.score_pairs`)."""
    global _PAIRS
    starts = [*range(0, len(query), SHARE), len(query)]
    _PAIRS = _Pairs(model, records, candidates, query, candidate)
    try:
        parts = forked_map(_share_weights, list(pairwise(starts)), workers)
    finally:
        _PAIRS = None
    return np.concatenate(parts) if parts else np.empty(0, np.float64)


def _share_weights(share: tuple[int, int]) -> FloatArray:
    assert _PAIRS is not None
    first, last = share
    pairs = _PAIRS
    query, candidate = pairs.query[first:last], pairs.candidate[first:last]
    asked, query_at = np.unique(query, return_inverse=True)
    wanted, candidate_at = np.unique(candidate, return_inverse=True)
    records = PersonRecords(pairs.records.table.take(pa.array(asked)))
    candidates = PersonRecords(pairs.candidates.table.take(pa.array(wanted)))
    at = candidate_at.astype(np.int64)
    with collector_paused():
        scored = score_record_pairs(
            pairs.model, records, candidates, query_at.astype(np.int64), at, at, at
        )
    return scored.match_weight


def linked_at_threshold(
    queries: int, query: IntArray, row: IntArray, person_of_row: IntArray, weight: FloatArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """Of `queries` records, those whose most probable person among their pairs (`query`,
    `row`, weighed `weight`; the candidates compete as a lookup's do) reaches THRESHOLD: their
    positions, persons and probabilities."""
    pairs = weighed_pairs(query, row, person_of_row[row], weight)
    best, probability = pairs.most_probable_person(queries)
    chosen = np.flatnonzero((best >= 0) & (probability >= THRESHOLD))
    return chosen, person_of_row[best[chosen]], probability[chosen]


def insert_links(store: RegistryStore, kind: Kind, links: pa.Table, operation: str) -> None:
    """Add `links` (record_key, person_id, probability) to the person links of `kind`."""
    with store.scanning("second_look_links", links):
        store.execute(
            operation,
            f"INSERT INTO person_links SELECT '{kind.value}', record_key, person_id, "
            "probability FROM second_look_links",
        )
