"""Match weights of many given pairs of records, in shares scored by forked workers, and the
links the pairs make (resolve's second looks: `continuity.py`, `former_names.py`,
`services.py`)."""

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
from bonafide.persons.fields import as_person_records, person_columns, select_sql
from bonafide.persons.match import score_record_pairs, weighed_pairs
from bonafide.registry.ddl import registry_table
from bonafide.registry.schema import Kind
from bonafide.registry.store import RegistryStore

__all__ = [
    "SHARE",
    "THRESHOLD",
    "identity_records",
    "insert_links",
    "linked_at_threshold",
    "pair_weights",
    "with_identity_records",
]

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


def identity_records(store: RegistryStore, persons: IntArray) -> tuple[PersonRecords, IntArray]:
    """The identity records of `persons`, as the person index holds them, and each one's
    person."""
    table = registry_table(Kind.IDENTITY)
    wanted = pa.table({"person_id": pa.array(persons, pa.int64())})
    with store.scanning("wanted_persons", wanted):
        records = store.arrow(
            "read the identity records of candidate persons",
            f"SELECT l.person_id, r.record_key AS record_id, "
            f"{select_sql(Kind.IDENTITY, person_columns(Kind.IDENTITY))} "
            f"FROM {table} r JOIN person_links l ON l.record_key = r.record_key "
            "AND l.kind = 'identity' SEMI JOIN wanted_persons p ON p.person_id = l.person_id",
        )
    person = np.asarray(records.column("person_id").to_numpy(), dtype=np.int64)
    return as_person_records(records), person


def with_identity_records(
    pair_person: IntArray, identity_person: IntArray
) -> tuple[IntArray, IntArray]:
    """Each pair of a record and a person once per identity record of that person (the best
    of them counts, as for a lookup): per such pair, its pair's position and the identity
    record's (its row among those `identity_person` gives the person of)."""
    order = np.argsort(identity_person, kind="stable")
    sorted_person = identity_person[order]
    first = np.searchsorted(sorted_person, pair_person, side="left")
    last = np.searchsorted(sorted_person, pair_person, side="right")
    held = last - first
    pair = np.repeat(np.arange(len(held)), held).astype(np.int64)
    within = np.arange(len(pair)) - np.repeat(np.cumsum(held) - held, held)
    identity_row = order[np.repeat(first, held) + within].astype(np.int64)
    return pair, identity_row
