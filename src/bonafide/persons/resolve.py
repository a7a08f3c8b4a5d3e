"""Resolving the registries into persons: `bonafide registry resolve`.

Identity records are the persons' anchors. The first run deduplicates the identity registry
with the batch path (training the model on it) and makes each cluster a person; every other
registry's records are then linked to their most probable person through the person index, as
real-time lookups are, in batches. Later runs are incremental: only records of imports not yet
resolved are linked — new identity records join an existing person or become new ones, and
their keys are merged into the index; persons already resolved keep their ids.

The results: the person index (`index.py`), the `person_links` table (which person each
registry record denotes), each person's records sorted by person (`histories.py`), every
watchlist record, linked or not, for screening (`watchlist.py`) and the population's base rates
(`baselines.py`); the verification of claims reads them. Every file is written into a new
generation of the persons directory, committed with the links and published only after that
commit (`files.py`): a resolve killed at any point leaves the last complete one.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing as mp
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from multiprocessing.pool import AsyncResult
from multiprocessing.queues import Queue
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from bonafide.errors import StoreError
from bonafide.forking import can_fork, forked_map, forked_pool
from bonafide.heap import collector_paused, resident_bytes, reuse_freed_memory
from bonafide.linkage.clusters import component_labels
from bonafide.linkage.comparisons import Comparison, Features
from bonafide.linkage.link import (
    LinkResult,
    compare_records,
    comparisons_of,
    link_records,
    population_u,
    score_compared,
    usable_comparisons,
)
from bonafide.linkage.model import MODEL_VERSION, LinkageModel
from bonafide.linkage.records import PERSON_FIELDS, PersonRecords
from bonafide.names.batch import release_name_caches
from bonafide.persons.baselines import compute_baselines
from bonafide.persons.continuity import ContinuityReport, link_continuations
from bonafide.persons.fields import (
    EXACT_ROW,
    LINK_COLUMNS,
    WHOLE_NAME_SQL,
    as_person_records,
    person_columns,
    select_sql,
)
from bonafide.persons.files import Generation, PersonFiles
from bonafide.persons.former_names import FormerNamesReport, link_former_names
from bonafide.persons.histories import write_histories
from bonafide.persons.index import (
    KEY_HASH,
    KEYS_VERSION,
    BlockingCounts,
    IndexMeta,
    PersonIndex,
    RecordKeys,
    RowArray,
    as_key_rows,
    index_key,
    index_keys,
    record_keys,
)
from bonafide.persons.link_model import (
    LINK_MODEL_FILE,
    learn_link_model,
    load_link_model,
    sample_lookups,
    save_link_model,
)
from bonafide.persons.match import MatchedPairs, Matcher
from bonafide.persons.services import UNSURE, ServicesReport, link_at_services
from bonafide.persons.watchlist import WATCHLIST_FILE, write_watchlist
from bonafide.registry.ddl import registry_table
from bonafide.registry.schema import KINDS, Kind
from bonafide.registry.store import RegistryStore

__all__ = [
    "BATCH",
    "BatchLinker",
    "LinkedBatch",
    "ResolveReport",
    "batches_of",
    "committed_generation",
    "forked_linker",
    "link_batch",
    "placed",
    "resolve_registries",
    "table_bytes",
]

log = logging.getLogger(__name__)
IntArray = npt.NDArray[np.int64]
# Records linked to the index at a time. Lookups come in birth-date order, so a batch's records
# share candidates and names: a larger batch builds each candidate's features and parses each
# name once for more records. At 10 M people a lookup cost 20 % less in batches of 300,000
# than of 100,000 (docs/benchmarks.md); a worker holds a larger batch's features meanwhile.
BATCH = 300_000
THRESHOLD = 0.5
# candidates scored per record when linking a registry: those sharing the most keys. A lookup at
# the desk scores more (match.CANDIDATE_LIMIT); for millions of records, ten keep the true person
# (the tests check the links against the truth) at a tenth of the work.
LINK_CANDIDATES = 10
# A lookup linked below SURE, or not at all, is scored again with this many candidates when
# it had the first limit's (with fewer it had all): at 1 M people a tenth to a third of
# lookups, which another namesake or the true person ranked beyond the tenth decides
# (bench/link_sample.py: 40 candidates for every lookup give the same links as this, and with
# them precision and recall each rise, at every scale measured).
LINK_CANDIDATES_UNSURE = 40
SURE = 0.9
READ_AT_ONCE = 1_000_000  # lookups read from the store at once, to be linked
SCORED_TOGETHER = 25_000  # the link model's sample is scored this many lookups at a time
# DuckDB's memory while forked workers deduplicate or link: lowering the limit also gives back
# what reading the records left it holding (3.5 GB after the identity records at 10 M people)
WORKERS_STORE_MEMORY = "1GB"
PARTITION = 600_000  # identity records deduplicated at once (~3.5 GB at this size)
# The comparisons whose u the index's model takes from random pairs of every identity record,
# not the first group's. The groups are cut by birth year, so a model trained on one learned
# how often two people born in the same few years share a birth date: at 10 M people, one in
# 4,150 pairs against one in 20,700 of all (+12.0 bits for the same date instead of +14.3),
# while a lookup's prior is one in all the persons. The names keep their group's u: lookups'
# candidates mostly share a birth date or year, and people of an age share given names and
# patronymics in fashion then more often than people of all ages do (taken from all records
# too, u of names made more wrong links at 1 M people: education precision 0.9985 → 0.9978).
ACROSS_GROUPS = ("birth_date",)
# What a lookup is (`_collect_lookups`): the fields a link depends on. Features read the name
# as one text (`comparisons.full_name_sql`), so a name written whole in one registry and in
# parts in another is one lookup (at 200 k people a fifth fewer lookups than by every column).
_LOOKUP_COLUMNS = ("full_name", "birth_date", "sex", "personal_number")

Progress = Callable[[str], None]


@dataclass
class ResolveReport:
    persons: int = 0
    identity_records: int = 0
    new_identity_records: int = 0
    linked: dict[str, int] = field(default_factory=dict)  # kind → records newly linked
    unlinked: dict[str, int] = field(default_factory=dict)  # kind → records with no person
    rebuilt: bool = False
    # what the blocking keys did for the lookups linking records to persons: a lookup whose
    # every key was too common found no candidate, and is counted there
    blocking: BlockingCounts = field(default_factory=BlockingCounts)
    # the records linked because a linked period continues theirs (`continuity.py`)
    continuity: ContinuityReport = field(default_factory=ContinuityReport)
    # the records linked because a linked record bears their name (`former_names.py`)
    former_names: FormerNamesReport = field(default_factory=FormerNamesReport)
    # the watchlist entries linked through the service they name (`services.py`)
    services: ServicesReport = field(default_factory=ServicesReport)


def _read_records(
    store: RegistryStore, kind: Kind, skip_imports: list[int]
) -> tuple[PersonRecords, pa.Array]:
    """A registry's records of imports not in `skip_imports` as person records (record_id is
    the store's record_key), with their import ids."""
    table = store.arrow(
        f"read {kind.value} records for resolving",
        f"SELECT record_key AS record_id, import_id, {select_sql(kind, person_columns(kind))} "
        f"FROM {registry_table(kind)} {_unresolved_where(kind, skip_imports, False)} "
        "ORDER BY import_id, source_row",
    )
    # one chunk per column now, while little else is held: the index writes them so
    table = table.combine_chunks()
    return as_person_records(table), table.column("import_id").combine_chunks()


def _imports(store: RegistryStore, kind: Kind) -> list[int]:
    rows = store.execute(
        f"imports of {kind.value}",
        f"SELECT DISTINCT import_id FROM {registry_table(kind)} ORDER BY 1",
    )
    return [int(r[0]) for r in rows]


def _keys_of(
    records: PersonRecords, first_row: int, hash_key: bytes
) -> tuple[npt.NDArray[np.uint64], IntArray]:
    hashes, rows = [], []
    for start in range(0, len(records), BATCH):
        part = PersonRecords(records.table.slice(start, BATCH))
        part_hashes, part_rows = index_keys(Features.build(part), hash_key)
        hashes.append(part_hashes)
        rows.append(part_rows + first_row + start)
    if not hashes:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    return np.concatenate(hashes), np.concatenate(rows)


def _link_to_index(
    matcher: Matcher,
    batches: Iterable[PersonRecords],
    total: int,
    progress: Progress,
    counts: BlockingCounts | None = None,
    linker: BatchLinker | None = None,
) -> tuple[IntArray, npt.NDArray[np.float64]]:
    """Each of the `total` records' (in `batches`, in order) most probable person (-1 below
    the threshold) and that probability; what the blocking keys did added to `counts` if
    given. Batches are linked by `linker` (by default here, one at a time); the links are the
    same whichever links them."""
    linker = linker or forked_linker(1)
    persons = np.full(total, -1, dtype=np.int64)
    probability = np.zeros(total, dtype=np.float64)
    for start, rows, best, batch_counts in linker(matcher, batches):
        found = (rows >= 0) & (best >= THRESHOLD)
        chosen = np.flatnonzero(found)
        persons[start + chosen] = matcher.index.person_ids(rows[chosen])
        probability[start + chosen] = best[chosen]
        if counts is not None:
            counts.merge(batch_counts)
        progress(f"linked {start + len(rows):,} of {total:,}")
    return persons, probability


def batches_of(records: PersonRecords) -> Iterator[PersonRecords]:
    """`records` in batches of BATCH."""
    for start in range(0, len(records), BATCH):
        yield PersonRecords(records.table.slice(start, BATCH))


# a batch's first position in its run, each of its records' best row and probability, what
# its keys did
LinkedBatch = tuple[int, IntArray, npt.NDArray[np.float64], BlockingCounts]


class BatchLinker(Protocol):
    """Links a run of records, given as batches, to persons, yielding the batches in order,
    each placed by its first record's position in the run: in forked processes here
    (`forked_linker`), on Spark in `persons.spark`. The batches may be read as they are linked
    (from the store: at 10 M people the run is gigabytes)."""

    def __call__(
        self, matcher: Matcher, batches: Iterable[PersonRecords]
    ) -> Iterator[LinkedBatch]: ...


def placed(batches: Iterable[PersonRecords]) -> Iterator[tuple[int, PersonRecords]]:
    """Each batch with its first record's position in the run."""
    start = 0
    for batch in batches:
        yield start, batch
        start += len(batch)


def forked_linker(workers: int) -> BatchLinker:
    """Batches linked by `workers` processes forked from this one."""

    def link(matcher: Matcher, batches: Iterable[PersonRecords]) -> Iterator[LinkedBatch]:
        return _linked_batches(matcher, batches, workers)

    return link


# What forked workers link with: set before the pool forks, so each inherits it (the index is
# shared, copy-on-write, never pickled); each batch is sent as Arrow IPC.
_MATCHER: Matcher | None = None


def _link_sent(data: bytes) -> tuple[IntArray, npt.NDArray[np.float64], BlockingCounts]:
    assert _MATCHER is not None
    return link_batch(_MATCHER, PersonRecords(ipc.open_stream(data).read_all()))


def _score_sent(data: bytes) -> MatchedPairs:
    assert _MATCHER is not None
    with collector_paused():
        return _MATCHER.score(PersonRecords(ipc.open_stream(data).read_all()))


def _scored(matcher: Matcher, records: PersonRecords, workers: int) -> MatchedPairs:
    """Every candidate pair of `records`, scored a share of SCORED_TOGETHER records at a time
    (the same shares whatever the number of workers, so that nothing a batch holds in common
    can make the model depend on it), in `workers` forked processes where there are several
    shares and a way to fork."""
    global _MATCHER
    starts = list(range(0, len(records), SCORED_TOGETHER))
    shares = [table_bytes(records.table.slice(s, SCORED_TOGETHER)) for s in starts]
    _MATCHER = matcher
    try:
        parts = forked_map(_score_sent, shares, workers)
    finally:
        _MATCHER = None
    if not parts:
        return matcher.score(records)
    return MatchedPairs.joined(list(zip(starts, parts, strict=True)))


def link_batch(
    matcher: Matcher, records: PersonRecords
) -> tuple[IntArray, npt.NDArray[np.float64], BlockingCounts]:
    """A batch of records linked: each one's best row and probability, what its keys did.

    A record given an exact row (the column EXACT_ROW, `_mark_exact_lookups`) is scored
    against that row alone, and linked to it if that makes it SURE. Every other record is
    looked up through the index's blocks (`_looked_up`)."""
    # the names parsed will mostly serve the next batches too (`collector_paused`)
    with collector_paused():
        return _linked_batch(matcher, records)


def _linked_batch(
    matcher: Matcher, records: PersonRecords
) -> tuple[IntArray, npt.NDArray[np.float64], BlockingCounts]:
    counts = BlockingCounts()
    records, exact = _exact_rows(records)
    rows = np.full(len(records), -1, dtype=np.int64)
    best = np.zeros(len(records), dtype=np.float64)
    looked = np.ones(len(records), dtype=bool)
    given = np.flatnonzero(exact >= 0)
    if len(given):
        sure = _linked_alone(
            matcher, records, given, np.arange(len(given)), exact[given], rows, best
        )
        looked[sure] = False
        counts.exact += len(sure)
    rest = np.flatnonzero(looked)
    if len(rest):
        part = records if len(rest) == len(records) else _taken(records, rest)
        rows[rest], best[rest] = _looked_up(matcher, part, counts)
    return rows, best, counts


def _linked_alone(
    matcher: Matcher,
    records: PersonRecords,
    asked: IntArray,
    query: IntArray,
    given_rows: IntArray,
    rows: IntArray,
    best: npt.NDArray[np.float64],
) -> IntArray:
    """The records at positions `asked` scored against the rows given them alone (pairs
    `query`, a position in `asked`, and `given_rows`): where that makes one SURE, its row and
    probability are set in `rows` and `best`; returns the positions so linked."""
    pairs = matcher.score_pairs(_taken(records, asked), query, given_rows)
    alone_rows, alone_best = pairs.most_probable_person(len(asked))
    is_sure = alone_best >= SURE
    sure = asked[is_sure]
    rows[sure], best[sure] = alone_rows[is_sure], alone_best[is_sure]
    return sure


def _exact_rows(records: PersonRecords) -> tuple[PersonRecords, IntArray]:
    """The records without their EXACT_ROW column, and that column (-1 where a record has no
    exact row, or all -1 where the records have no such column)."""
    table = records.table
    if EXACT_ROW not in table.column_names:
        return records, np.full(table.num_rows, -1, dtype=np.int64)
    exact = np.asarray(table.column(EXACT_ROW).to_numpy(), dtype=np.int64)
    return PersonRecords(table.drop_columns([EXACT_ROW])), exact


def _taken(records: PersonRecords, positions: IntArray) -> PersonRecords:
    return PersonRecords(records.table.take(pa.array(positions)))


def _looked_up(
    matcher: Matcher, records: PersonRecords, counts: BlockingCounts
) -> tuple[IntArray, npt.NDArray[np.float64]]:
    """Records linked without an exact row: each one's best row and probability.

    A record whose identity records written alike (`PersonIndex.rows_written_alike`) are one
    person's is scored against those alone, and linked to that person if that makes it SURE:
    the blocks would rank them first, and the links are those the blocks give
    (docs/benchmarks.md), at a fraction of the cost. Every other record is looked up through
    the index's blocks (`_through_blocks`)."""
    features = Features.build(records)
    rows = np.full(len(records), -1, dtype=np.int64)
    best = np.zeros(len(records), dtype=np.float64)
    linked = np.zeros(len(records), dtype=bool)
    alike, alike_rows = matcher.index.rows_written_alike(features)
    if len(alike):
        asked = np.unique(alike)
        query = np.searchsorted(asked, alike)
        sure = _linked_alone(matcher, records, asked, query, alike_rows, rows, best)
        linked[sure] = True
        counts.alike += len(sure)
    keys = record_keys(features)
    del features
    rest = np.flatnonzero(~linked)
    if len(rest) == len(records):
        rows, best = _through_blocks(matcher, records, keys, counts)
    elif len(rest):
        rows[rest], best[rest] = _through_blocks(
            matcher, _taken(records, rest), keys.of_records(rest, len(records)), counts
        )
    return rows, best


def _through_blocks(
    matcher: Matcher, records: PersonRecords, keys: RecordKeys, counts: BlockingCounts
) -> tuple[IntArray, npt.NDArray[np.float64]]:
    """Records linked through the index's blocks (their blocking `keys`): each one's best
    row and probability.

    Each record is scored against its first `matcher.candidate_limit` candidates; one linked
    below SURE, or not at all, is scored again against LINK_CANDIDATES_UNSURE (its first
    candidates among them: the ranking keeps its order whatever the limit; their scores are
    taken from the first look) — unless it had fewer candidates than the limit, since then
    it had them all. Both looks' candidates come from one ranking of the record's blocks."""
    pairs, wider = matcher.score_looking_wider(records, LINK_CANDIDATES_UNSURE, counts, keys)
    rows, best = pairs.most_probable_person(len(records))
    limited = np.bincount(pairs.query, minlength=len(records)) >= matcher.candidate_limit
    unsure = np.flatnonzero(((rows < 0) | (best < SURE)) & limited)
    if len(unsure) and matcher.candidate_limit < LINK_CANDIDATES_UNSURE:
        is_unsure = np.zeros(len(records), dtype=bool)
        is_unsure[unsure] = True
        asked = is_unsure[wider.query]
        # the first look's pairs are the wider look's `first`, in their order: a fifth to a
        # half of the pairs a second look would score
        scored_at = np.cumsum(wider.first) - 1
        again = _taken(records, unsure)
        query = np.searchsorted(unsure, wider.query[asked])
        first = wider.first[asked]
        taken = pairs.take(scored_at[asked & wider.first], query[first])
        fresh = matcher.score_pairs(again, query[~first], wider.row[asked & ~wider.first])
        together = MatchedPairs.joined([(0, taken), (0, fresh)])
        placed = np.empty(len(query), dtype=np.int64)
        placed[first] = np.arange(len(taken.query))
        placed[~first] = len(taken.query) + np.arange(len(fresh.query))
        rows[unsure], best[unsure] = together.take(placed).most_probable_person(len(unsure))
    return rows, best


def table_bytes(table: pa.Table) -> bytes:
    """A table's own rows as Arrow IPC (pickling a slice may carry its parent's buffers)."""
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


def _linked_batches(
    matcher: Matcher, batches: Iterable[PersonRecords], workers: int
) -> Iterator[LinkedBatch]:
    """Each batch's best rows and probabilities, in order; linked in `workers` forked
    processes where there is more than one batch and a way to fork. At most one batch per
    worker waits beyond those being linked: a run read from the store is read as it goes."""
    global _MATCHER
    queue = placed(_cut_at_the_end(batches, workers))
    first = list(islice(queue, 2))
    if workers <= 1 or len(first) <= 1 or not can_fork():
        for start, batch in chain(first, queue):
            yield (start, *link_batch(matcher, batch))
        return
    _MATCHER = matcher
    try:
        # a worker links batch after batch of one shape: what one frees, the next takes
        with forked_pool(workers, reuse_freed_memory) as pool:
            pending: deque[tuple[int, AsyncResult[Any]]] = deque()
            for start, batch in chain(first, queue):
                sent = pool.apply_async(_link_sent, (table_bytes(batch.table),))
                pending.append((start, sent))
                if len(pending) > workers:
                    at, result = pending.popleft()
                    yield (at, *result.get())
            while pending:
                at, result = pending.popleft()
                yield (at, *result.get())
    finally:
        _MATCHER = None


def _cut_at_the_end(batches: Iterable[PersonRecords], workers: int) -> Iterator[PersonRecords]:
    """The batches, the last `workers` of them each cut in two pieces per worker: the workers
    then finish within a piece of each other, not a batch (at 1 M people one waited 3.8 s
    for the other's last batch, the undated lookups': their blocks are the widest; cut in a
    piece per worker, a worker still waited 3.8 s when the other began its last batch as the
    pieces came). Read `workers` batches ahead of those given out, to know which are last."""
    if workers <= 1:
        yield from batches
        return
    held: deque[PersonRecords] = deque()
    for batch in batches:
        held.append(batch)
        if len(held) > workers:
            yield held.popleft()
    pieces = 2 * workers
    for batch in held:
        # a piece costs a fraction of a second however small: a short last batch stays whole
        size = max(-(-len(batch) // pieces), BATCH // (2 * pieces), 1)
        for at in range(0, len(batch), size):
            yield PersonRecords(batch.table.slice(at, size))


def _assign_new_identities(
    new: PersonRecords,
    linked: IntArray,
    index: PersonIndex,
    next_person: int,
) -> IntArray:
    """Person ids for new identity records: an existing person where one matched; else the
    records duplicating one another form new persons."""
    dedupe = link_records(new, None, THRESHOLD, model=index.model)
    position = {r: i for i, r in enumerate(new.ids)}
    clusters = component_labels(
        len(new),
        np.array([position[r] for r in dedupe.left_ids], dtype=np.int64),
        np.array([position[r] for r in dedupe.right_ids], dtype=np.int64),
    ).tolist()
    persons = linked.copy()
    by_cluster: dict[int, int] = {}
    for i in range(len(new)):  # a cluster joins the person any of its records matched
        if persons[i] >= 0:
            by_cluster.setdefault(clusters[i], int(persons[i]))
    for i in range(len(new)):
        if persons[i] < 0:
            cluster = clusters[i]
            if cluster not in by_cluster:
                by_cluster[cluster] = next_person
                next_person += 1
            persons[i] = by_cluster[cluster]
    return persons


def _write_links(
    store: RegistryStore,
    kind: Kind,
    records: PersonRecords,
    persons: IntArray,
    probability: npt.NDArray[np.float64],
) -> int:
    """Link each record (its record_id: the store's record key) to its person where it has
    one (>= 0)."""
    found = persons >= 0
    table = pa.table(
        {
            "record_key": pc.cast(records.table.column("record_id"), pa.string()).filter(
                pa.array(found)
            ),
            "person_id": pa.array(persons[found]),
            "probability": pa.array(probability[found]),
        }
    )
    with store.scanning("new_person_links", table):
        store.execute(
            "write person links",
            f"INSERT INTO person_links SELECT '{kind.value}', record_key, person_id, probability "
            "FROM new_person_links",
        )
    return int(found.sum())


def _unresolved_where(kind: Kind, skip_imports: list[int], retry_unlinked: bool) -> str:
    skipped = ", ".join(str(int(i)) for i in skip_imports)
    where = f"WHERE import_id NOT IN ({skipped})" if skipped else ""
    if skipped and retry_unlinked:
        where += (
            " OR record_key NOT IN (SELECT record_key FROM person_links "
            f"WHERE kind = '{kind.value}')"
        )
    return where


def _unresolved_condition(skip_imports: list[int], retry_unlinked: bool) -> str:
    """SQL: whether a registry row is among a resolve's records, if it has no person."""
    if not skip_imports or retry_unlinked:
        return "TRUE"
    return f"import_id NOT IN ({', '.join(str(int(i)) for i in skip_imports)})"


# The watchlist's links below `services.UNSURE`, held apart from the person links while the
# second looks run (`_write_query_links`): the services look weighs them again, and one it
# moves or withdraws is then never written. A row the store deleted from the person links
# written in the resolve's transaction made the commit write them all again (at 1 M people
# 3.3 s against 0.3 s; at 10 M, 59 s).
HELD_WATCHLIST_LINKS = "resolve_held_watchlist_links"
# the registries linked to persons through lookups, each by its number in `CollectedLookups`
_LOOKUP_KINDS: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind is not Kind.IDENTITY)


@dataclass(frozen=True)
class CollectedLookups:
    """The lookups `_collect_lookups` numbered in the temporary view `resolve_lookups`, and how
    to find their records again."""

    records: dict[str, int]  # the unresolved records, per kind
    count: int  # the lookups
    # SQL: the unresolved records, each as `kind` (its number in _LOOKUP_KINDS), `record_key`
    # and the _LOOKUP_COLUMNS
    unresolved: str
    # whether two lookups share a combination's hash (then records are joined to their lookup
    # by every field: at 10 M people the join on the fields took a minute and a half, on the
    # hash a fraction of it)
    shared_hash: bool

    def records_sql(self, kind: Kind | None = None) -> str:
        """SQL: each unresolved record (`kind`, `record_key`) with its lookup's number (`query`);
        those of `kind` alone if given (the store then reads that registry alone).

        Found again from the registries when needed rather than kept beside the lookups: at
        10 M people 70 M records' keys held as a temporary table made the store spill and
        read back gigabytes through the whole link."""
        combination = _combination_hash(list(_LOOKUP_COLUMNS))
        same = (
            " AND ".join(f"r.{c} IS NOT DISTINCT FROM l.{c}" for c in _LOOKUP_COLUMNS)
            if self.shared_hash
            else "r.combination = l.combination"
        )
        only = "" if kind is None else f" WHERE kind = {_LOOKUP_KINDS.index(kind)}"
        return (
            "SELECT r.kind, r.record_key, l.query "
            f"FROM (SELECT *, {combination} AS combination FROM ({self.unresolved}){only}) r "
            f"JOIN resolve_lookups l ON {same}"
        )


def _collect_lookups(
    store: RegistryStore, kinds: list[Kind], done: dict[str, list[int]], retry_unlinked: bool
) -> CollectedLookups:
    """Each distinct combination of the fields a link depends on (_LOOKUP_COLUMNS: the name
    as compared, however a registry split it) among the unresolved records of these
    registries, once, in the temporary view `resolve_lookups`, numbered from 0 (`query`) in
    birth-date order, with how many records it stands for (`records`).

    A person's residences, studies and jobs usually repeat one name and birth date, in one
    registry and across them, and a link depends on nothing else: each combination is looked up
    once. In birth-date order, neighbouring lookups share candidates, which the name parser's
    cache then holds parsed. The combinations are grouped and stored in that order, and
    numbered by their place in the table (its `rowid`): at 10 M people numbering them by a
    window over the sort took 85 s and wrote 17 GB of spill, the sorted table 54 s and 9 GB.
    An ORDER BY fixes the order of the rows a table is created from, whatever
    `preserve_insertion_order` says."""
    columns = list(_LOOKUP_COLUMNS)
    order = ["birth_date", *(c for c in columns if c != "birth_date")]
    records = " UNION ALL ".join(
        f"SELECT CAST({_LOOKUP_KINDS.index(kind)} AS TINYINT) AS kind, record_key, "
        f"{select_sql(kind, LINK_COLUMNS)} FROM {registry_table(kind)} "
        f"{_unresolved_where(kind, done.get(kind.value, []), retry_unlinked)}"
        for kind in kinds
    )
    unresolved = (
        f"SELECT kind, record_key, {WHOLE_NAME_SQL} AS full_name, "
        f"{', '.join(c for c in columns if c != 'full_name')} FROM ({records})"
    )
    store.execute(
        "collect lookups",
        # in the store's file, not a temporary table, where the store may write: a block it
        # evicts is in the file already, while a temporary block read back is written out
        # again when evicted. At 10 M people, inside the resolve's transaction (which drops
        # the table before it commits), reading the link model's sample of lookups took
        # 11.5 s instead of 27.1 s, marking the exact lookups 17.0 s instead of 24.8 s
        f"CREATE OR REPLACE {'TEMP TABLE' if store.read_only else 'TABLE'} resolve_lookup_rows AS "
        f"SELECT {_combination_hash(columns)} AS combination, {', '.join(columns)}, "
        f"count(*) AS records FROM ({unresolved}) GROUP BY ALL ORDER BY {', '.join(order)}",
    )
    # a table's rows are numbered in the order they were stored, from 0, or inside a
    # transaction from a large offset
    first, last, lookups = store.execute(
        "check the lookups' row numbers",
        "SELECT min(rowid), max(rowid), count(*) FROM resolve_lookup_rows",
    )[0]
    if lookups and last - first + 1 != lookups:
        raise StoreError(
            f"the store numbered {lookups} lookups from {first} to {last}",
            hint="report this: resolve expects a new table's rows numbered one after another",
        )
    store.execute(
        "number the lookups",
        "CREATE OR REPLACE TEMP VIEW resolve_lookups AS "
        f"SELECT rowid - {int(first or 0)} AS query, * FROM resolve_lookup_rows",
    )
    shared_hash = bool(
        store.scalar(
            "check the lookups' hashes",
            "SELECT count(*) > count(DISTINCT combination) FROM resolve_lookup_rows",
        )
    )
    counts = store.execute(
        "count unresolved records", f"SELECT kind, count(*) FROM ({records}) GROUP BY kind"
    )
    return CollectedLookups(
        {_LOOKUP_KINDS[int(k)].value: int(n) for k, n in counts},
        int(lookups),
        unresolved,
        shared_hash,
    )


def _drop_lookups(store: RegistryStore) -> None:
    store.execute("drop lookups", "DROP VIEW resolve_lookups")
    store.execute("drop lookups' rows", "DROP TABLE resolve_lookup_rows")
    store.execute("drop exact lookups", "DROP TABLE IF EXISTS resolve_exact")


def _combination_hash(columns: list[str]) -> str:
    """SQL: a 64-bit hash of a record's person fields."""
    return f"hash({', '.join(columns)})"


_LOOKUP_FIELDS = f"CAST(query AS VARCHAR) AS record_id, {', '.join(_LOOKUP_COLUMNS)}"


def _mark_exact_lookups(store: RegistryStore, index: PersonIndex) -> int:
    """Each lookup whose name and birth date are written exactly as one person's, and no other
    person's, in the index's identity records — its sex and personal number, where it has
    them, those of that person's records — with the index row of such a record, in the
    temporary table `resolve_exact` (`query`, `row`); returns how many.

    Every other candidate differs from such a lookup in its name or its birth date, so the
    blocks would rank that person first: `link_batch` scores the lookup against the row alone.
    At 1 M people two lookups in five (more than half of the records) are such, and their
    links against the truth are at least as right as through the blocks. A row holding the
    personal number and the sex is chosen before one without."""
    records = index.records
    table = records.select(
        [*(f for f in LINK_COLUMNS if f in records.column_names), "person_id"]
    ).append_column("row", pa.array(np.arange(records.num_rows, dtype=np.int64)))
    with store.scanning("index_records", table):
        store.execute(
            "find lookups written exactly as one person",
            f"""CREATE OR REPLACE TEMP TABLE resolve_exact AS
            WITH written AS (
                SELECT {WHOLE_NAME_SQL} AS full_name, birth_date, sex, personal_number,
                    person_id, row
                FROM index_records
            ), persons AS (
                -- one value or none: its least and greatest are one (DISTINCT counts cost
                -- DuckDB a hash table each; at 10 M people 11 M records)
                SELECT full_name, birth_date,
                    min(person_id) = max(person_id) AS one_person,
                    min(sex) AS sex, max(sex) AS other_sex,
                    min(personal_number) AS personal_number,
                    max(personal_number) AS other_number,
                    arg_max(row, (personal_number IS NOT NULL)::INTEGER * 2
                        + (sex IS NOT NULL)::INTEGER) AS row
                FROM written WHERE full_name IS NOT NULL AND birth_date IS NOT NULL
                GROUP BY full_name, birth_date
            )
            SELECT l.query, p.row FROM resolve_lookups l
            JOIN persons p ON p.full_name = l.full_name AND p.birth_date = l.birth_date
            WHERE p.one_person
                AND (l.sex IS NULL OR p.sex IS NULL OR (p.sex = p.other_sex AND p.sex = l.sex))
                AND (l.personal_number IS NULL OR (p.personal_number = p.other_number
                    AND p.personal_number = l.personal_number))""",
        )
    return int(store.scalar("count exact lookups", "SELECT count(*) FROM resolve_exact"))


def _records_per_lookup(store: RegistryStore) -> IntArray:
    """How many records each lookup stands for, in lookup order (counted as they were
    collected)."""
    table = store.arrow(
        "read each lookup's records", "SELECT records FROM resolve_lookups ORDER BY query"
    )
    return np.asarray(table.column("records").to_numpy(), dtype=np.int64)


def _lookup_sample(store: RegistryStore, positions: IntArray) -> PersonRecords:
    """The lookups at these positions (`query` numbers)."""
    chosen = pa.table({"query": pa.array(positions, pa.int64())})
    with store.scanning("sample_lookups", chosen):
        table = store.arrow(
            "read a sample of lookups",
            # joined, not filtered by IN: at 10 M people 0.6 s instead of 2.5–18 s
            f"SELECT {_LOOKUP_FIELDS} FROM sample_lookups JOIN resolve_lookups USING (query) "
            "ORDER BY query",
        )
    return as_person_records(table)


def _read_lookups(store: RegistryStore, count: int, first: int = 0) -> Iterator[PersonRecords]:
    """The `count` lookups collected, in order from lookup `first` (0, or a multiple of BATCH
    for the batches resolve links), BATCH at a time, read from the store as they are linked,
    READ_AT_ONCE lookups at a time.

    The lookups are stored in order of birth date and numbered by their place, and a range of
    numbers is read with the birth dates it spans: the store skips the parts of the table
    outside them. Filtered by the numbers alone (an expression of the row number), each range
    read all 36 M lookups at 10 M people, 1.9 s of the store's processor time a range while
    the workers linked; read whole and sorted, the first batch came after 17 s."""
    starts = list(range(first, count, READ_AT_ONCE))
    born = _birth_dates_at(store, starts)

    def ranges() -> Iterator[pa.RecordBatch]:
        for number, start in enumerate(starts):
            spans = born[number : number + 2]
            # the undated come last: a range reaching them is read by its numbers alone
            dated = len(spans) == 2 and None not in spans
            table = store.arrow(
                "read lookups",
                f"SELECT {_LOOKUP_FIELDS}, coalesce(e.row, -1) AS {EXACT_ROW} "
                "FROM resolve_lookups LEFT JOIN resolve_exact e USING (query) "
                f"WHERE query >= {start} AND query < {start + READ_AT_ONCE} "
                f"{'AND birth_date BETWEEN ? AND ?' if dated else ''} ORDER BY query",
                spans if dated else None,
            )
            yield from table.to_batches()

    return (as_person_records(table) for table in _rebatched(ranges(), BATCH))


def _birth_dates_at(store: RegistryStore, queries: list[int]) -> list[str | None]:
    """The birth date of each of these lookups (by number, in order)."""
    if not queries:
        return []
    table = store.arrow(
        "read the lookups' birth dates at the starts of ranges",
        "SELECT query, birth_date FROM resolve_lookups "
        f"WHERE query IN ({', '.join(str(q) for q in queries)}) ORDER BY query",
    )
    born: list[str | None] = table.column("birth_date").to_pylist()
    return born


def _rebatched(batches: Iterable[pa.RecordBatch], size: int) -> Iterator[pa.Table]:
    """The batches' rows in tables of exactly `size` rows (the last may hold fewer)."""
    held: list[pa.RecordBatch] = []
    rows = 0
    for batch in batches:
        held.append(batch)
        rows += batch.num_rows
        while rows >= size:
            table = pa.Table.from_batches(held)
            yield table.slice(0, size).combine_chunks()
            rest = table.slice(size)
            held, rows = rest.to_batches(), rest.num_rows
    if rows:
        yield pa.Table.from_batches(held).combine_chunks()


def _link_counts(store: RegistryStore) -> dict[str, int]:
    rows = store.execute(
        "count person links", "SELECT kind, count(*) FROM person_links GROUP BY kind"
    )
    return {str(kind): int(n) for kind, n in rows}


def _write_query_links(
    store: RegistryStore,
    collected: CollectedLookups,
    persons: IntArray,
    probability: npt.NDArray[np.float64],
) -> None:
    """Link every record of every lookup to the lookup's person (`_collect_lookups`); the
    watchlist's links below `services.UNSURE` are held apart, in HELD_WATCHLIST_LINKS, for the
    services look to weigh again (`_release_held_links` writes what it leaves of them)."""
    found = np.flatnonzero(persons >= 0)
    table = pa.table(
        {
            "query": pa.array(found, pa.int64()),
            "person_id": pa.array(persons[found]),
            "probability": pa.array(probability[found]),
        }
    )
    kind_names = " ".join(
        f"WHEN {number} THEN '{kind.value}'" for number, kind in enumerate(_LOOKUP_KINDS)
    )
    watchlist = _LOOKUP_KINDS.index(Kind.WATCHLIST)
    with store.scanning("query_links", table):
        store.execute(
            "write person links",
            f"INSERT INTO person_links SELECT CASE r.kind {kind_names} END, r.record_key, "
            f"l.person_id, l.probability FROM ({collected.records_sql()}) r "
            "JOIN query_links l ON l.query = r.query "
            f"WHERE r.kind <> {watchlist} OR l.probability >= {UNSURE}",
        )
        store.execute(
            "hold the unsure watchlist links apart",
            f"INSERT INTO {HELD_WATCHLIST_LINKS} SELECT r.record_key, l.person_id, "
            f"l.probability FROM ({collected.records_sql(Kind.WATCHLIST)}) r "
            f"JOIN query_links l ON l.query = r.query WHERE l.probability < {UNSURE}",
        )


def _release_held_links(store: RegistryStore) -> None:
    """Write the watchlist links held apart (`_write_query_links`) that the services look
    left, among the person links."""
    store.execute(
        "write the watchlist links held apart",
        f"INSERT INTO person_links SELECT '{Kind.WATCHLIST.value}', record_key, person_id, "
        f"probability FROM {HELD_WATCHLIST_LINKS}",
    )
    store.execute("drop the links held apart", f"DROP TABLE {HELD_WATCHLIST_LINKS}")


@dataclass
class _LinkedLookups:
    """The other registries' lookups linked to persons, their links not yet written."""

    collected: CollectedLookups
    done: dict[str, list[int]]  # per kind, the imports resolved before
    before: dict[str, int]  # per kind, the person links before
    exact: int
    persons: IntArray  # per lookup, its person (-1: none)
    probability: npt.NDArray[np.float64]


def _link_other_kinds(
    store: RegistryStore,
    index: PersonIndex,
    saved: LinkageModel | None,
    generation: Generation,
    say: Progress,
    report: ResolveReport,
    linker: BatchLinker,
    workers: int,
) -> _LinkedLookups:
    """Link the records of the other registries' unresolved imports to persons, with a link
    model learned from their lookups (`link_model.py`; else `saved`, else the index's), their
    sample scored by `workers` forked processes; the links are written by
    `_write_other_links`, once the index is no longer needed."""
    meta = index.meta
    kinds = list(_LOOKUP_KINDS)
    done = {kind.value: meta.resolved_imports.get(kind.value, []) for kind in kinds}
    # records nobody matched may match persons whose identity records arrived since
    retry = report.new_identity_records > 0 and not report.rebuilt
    _return_freed_memory()
    before = _link_counts(store)
    with _phase("collect-lookups"):
        collected = _collect_lookups(store, kinds, done, retry)
    records, lookups = collected.records, collected.count
    with _phase("exact-lookups"):
        exact = _mark_exact_lookups(store, index)
    say("learning how other registries' records differ from identity records")
    with _phase("link-model"):
        positions, held = sample_lookups(_records_per_lookup(store))
        sample = _lookup_sample(store, positions)
        learner = Matcher(index, LINK_CANDIDATES)
        pairs = _scored(learner, sample, workers)
        model = learn_link_model(learner.model, sample, pairs, held) or saved
        del pairs, sample, learner
    if model is not None:
        save_link_model(generation, model)
    persons = np.empty(0, np.int64)
    probability = np.empty(0, np.float64)
    if lookups:
        say(
            f"linking {sum(records.values()):,} records to persons "
            f"({lookups:,} distinct combinations of names and birth date)"
        )
        matcher = Matcher(index, LINK_CANDIDATES, model)
        # the store only reads the lookups out meanwhile: its memory goes to the workers
        with store.memory_limited(WORKERS_STORE_MEMORY), _phase("linking"):
            persons, probability = _link_to_index(
                matcher, _read_lookups(store, lookups), lookups, say, report.blocking, linker
            )
        del matcher
    release_name_caches()  # the links are written by the store: no more names to parse
    return _LinkedLookups(collected, done, before, exact, persons, probability)


def _write_other_links(
    store: RegistryStore,
    linked: _LinkedLookups,
    meta: IndexMeta,
    report: ResolveReport,
    model: LinkageModel | None,
    say: Progress,
    workers: int,
) -> None:
    """Write the other registries' links (`_link_other_kinds`), then those of the second looks
    (`continuity.py`, `former_names.py`, `services.py`: scored by `model`, in `workers` forked
    processes), and count them."""
    collected = linked.collected
    records, lookups = collected.records, collected.count
    with _phase("lookup-links-written"):
        store.execute(
            "make a table for the links held apart",
            f"CREATE OR REPLACE TEMP TABLE {HELD_WATCHLIST_LINKS} "
            "(record_key VARCHAR, person_id BIGINT, probability DOUBLE)",
        )
        if lookups:
            _write_query_links(store, collected, linked.persons, linked.probability)
        _drop_lookups(store)
    if model is not None:
        say("linking records whose periods continue a linked one")
        retry = report.new_identity_records > 0 and not report.rebuilt
        asked = {
            kind: _unresolved_condition(linked.done.get(kind.value, []), retry)
            for kind in _LOOKUP_KINDS
        }
        # a watchlist record whose link is held apart has a person: not one the looks
        # before the services look may link
        held = f"record_key NOT IN (SELECT record_key FROM {HELD_WATCHLIST_LINKS})"
        linked_apart = {**asked, Kind.WATCHLIST: f"({asked[Kind.WATCHLIST]}) AND {held}"}
        with _phase("continuity"):
            link_continuations(store, model, meta.persons, report.continuity, linked_apart, workers)
        say("linking records under a name their person no longer bears")
        with _phase("former-names"):
            link_former_names(
                store, model, meta.persons, report.former_names, linked_apart, workers
            )
        say("linking watchlist entries through the services they name")
        with _phase("services"):
            link_at_services(
                store,
                model,
                meta.persons,
                report.services,
                asked[Kind.WATCHLIST],
                workers,
                held=HELD_WATCHLIST_LINKS,
            )
    _release_held_links(store)
    after = _link_counts(store)
    for kind in _LOOKUP_KINDS:
        written = after.get(kind.value, 0) - linked.before.get(kind.value, 0)
        if records.get(kind.value):
            report.unlinked[kind.value] = records[kind.value] - written
            log.info("resolve kind=%s linked=%d of=%d", kind.value, written, records[kind.value])
        report.linked[kind.value] = written
        meta.resolved_imports[kind.value] = sorted(
            set(linked.done[kind.value]) | set(_imports(store, kind))
        )
        meta.links[kind.value] = meta.links.get(kind.value, 0) + written
    log.info(
        "resolve lookups=%d exact=%d alike=%d records=%d",
        lookups,
        linked.exact,
        report.blocking.alike,
        sum(records.values()),
    )
    blocking = report.blocking
    if blocking.every_key_overflowed or blocking.without_keys:
        log.warning(
            "resolve lookups without a usable blocking key: every key too common=%d "
            "no key=%d of %d (no candidate with a key too common=%d)",
            blocking.every_key_overflowed,
            blocking.without_keys,
            blocking.lookups,
            blocking.no_candidate_with_overflow,
        )


@contextmanager
def _phase(name: str) -> Iterator[None]:
    """Log how long a phase of the resolve took (its name and the seconds, nothing else): a
    resolve's log says where its time went, at any scale."""
    started = time.perf_counter()
    yield
    log.info("resolve phase=%s seconds=%.1f", name, time.perf_counter() - started)


def _return_freed_memory() -> None:
    """Forget the names parsed so far and give what was freed back to the system, between
    the phases of a resolve (before the index's keys are sorted, before the store collects
    the lookups and the workers fork): glibc keeps a freed heap (gigabytes at 10 M people) for
    the process that freed it."""
    release_name_caches()
    gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: its allocator keeps what it keeps
        return
    libc.malloc_trim(0)


def committed_generation(store: RegistryStore) -> int:
    """The persons generation the store's links were last committed with (0: none)."""
    return int(store.scalar("person index generation", "SELECT generation FROM person_index_state"))


def resolve_registries(
    store: RegistryStore,
    rebuild: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    linker: BatchLinker | None = None,
) -> ResolveReport:
    """Resolve the store's registries into persons; incremental unless `rebuild`. Records are
    linked to persons by `linker`, by default by `workers` forked processes (None: one per
    core the process may use); a large identity registry's groups of birth years are
    deduplicated by `workers` forked processes."""
    say = progress or (lambda _: None)
    workers = workers or len(os.sched_getaffinity(0))
    linker = linker or forked_linker(workers)
    data_dir = store.data_dir
    report = ResolveReport()
    identity_imports = _imports(store, Kind.IDENTITY)
    if not identity_imports:
        raise StoreError(
            f"the store in {data_dir} has no identity records to resolve persons around",
            hint="import it first: bonafide registry import FILE --kind identity",
        )
    files = PersonFiles(store.vault)
    files.reconcile(committed_generation(store))
    current = None if rebuild else files.current()
    if current is not None and _model_outdated(current):
        say("the persons were resolved by an older version of the model: resolving them again")
        current = None
    if current is not None:
        current = _reindex_if_outdated(store, files, current, say)
    with _new_generation(store, files) as generation:
        if current is None:
            store.execute("clear person links", "DELETE FROM person_links")
            index = _build_fresh(store, generation, say, report, workers)
        else:
            index = _add_identities(store, current, generation, say, report, linker)
        linked = _link_other_kinds(
            store, index, load_link_model(current), generation, say, report, linker, workers
        )
        meta = index.meta
        # the records whose periods continue linked ones are scored as lookups are
        model = load_link_model(generation) or index.model
        # what remains is the store's work: what the index gave back is its to use, up to
        # what the process held once linked (so the peak stays the linking's)
        held = resident_bytes()
        del index
        _return_freed_memory()
        store_memory = held - (resident_bytes() - store.memory_used())
        log.info("resolve held_mb=%d store_memory_mb=%d", held >> 20, store_memory >> 20)
        with store.memory_at_least(store_memory):
            _write_other_links(store, linked, meta, report, model, say, workers)
            del linked
            say("writing each person's records and the population's base rates")
            with _phase("histories"):
                write_histories(store, generation)
            with _phase("watchlist-and-base-rates"):
                write_watchlist(store, generation)
                compute_baselines(store).save(generation)
        meta.save(generation)
    report.persons = meta.persons
    report.identity_records = meta.records
    return report


@contextmanager
def _new_generation(store: RegistryStore, files: PersonFiles) -> Iterator[Generation]:
    """A new generation, written inside one store transaction that also records its number,
    and published once the store has committed it. A failure before that commit removes it
    (it matches nothing in the store); after it, the generation is the truth, and the next
    resolve publishes it if this one could not."""
    generation = files.start()
    committed = False
    try:
        with store.transaction():
            yield generation
            store.execute(
                "record person index generation",
                "UPDATE person_index_state SET generation = ?",
                [generation.number],
            )
            committing = time.perf_counter()
        log.info("resolve phase=commit seconds=%.1f", time.perf_counter() - committing)
        committed = True
        files.publish(generation)
    except BaseException:
        if not committed:
            shutil.rmtree(generation.directory, ignore_errors=True)
        raise


def _with_person_ids(records: PersonRecords, persons: IntArray) -> pa.Table:
    return records.table.append_column("person_id", pa.array(persons, pa.int64()))


def _reindex_if_outdated(
    store: RegistryStore, files: PersonFiles, current: Generation, say: Progress
) -> Generation:
    """Recompute the blocking keys of an index built by an older version (persons are kept)
    into a new generation, committed and published; the current one if it is up to date."""
    if IndexMeta.load(current).keys_version == KEYS_VERSION:
        return current  # told by the small index.json: the whole index is not decrypted twice
    index = PersonIndex.open_generation(current, any_keys=True)
    say(f"re-indexing the keys of {len(index.records):,} identity records")
    records = PersonRecords(index.records.select(list(PERSON_FIELDS)))
    hashes, rows = _keys_of(records, 0, index.hash_key)
    with _new_generation(store, files) as generation:
        PersonIndex.write(generation, index.records, hashes, rows, index.model, index.meta)
        _link_unchanged(current, generation, ("baselines.json", WATCHLIST_FILE, LINK_MODEL_FILE))
        for name in os.listdir(current.directory):
            if name.startswith("history-"):
                _link_unchanged(current, generation, (name,))
    log.info("resolve reindexed records=%d keys=%d", len(records), len(hashes))
    return generation


def _model_outdated(current: Generation) -> bool:
    """True when the persons' model was written by another version of the model's format."""
    model = current.read_json("model.json")
    return not isinstance(model, dict) or model.get("version") != MODEL_VERSION


def _link_unchanged(source: Generation, target: Generation, names: tuple[str, ...]) -> None:
    """Files a new generation shares with the last: hard links (files are never changed in
    place, only replaced)."""
    for name in names:
        if source.exists(name):
            os.link(source.path(name), target.path(name))


def _partitions(records: PersonRecords) -> list[IntArray]:
    """Positions of the records in groups of whole birth years, each at most PARTITION records
    (a single larger year stands alone); records without a birth year form the last group.

    The first group, the earliest years, trains the model alone while the other cores wait,
    so it holds only about half a PARTITION. The later years are cut into groups of about
    equal size, an even number of them, so that two workers share them evenly. At 1 M people
    the first group had been 582,487 records (30 s alone) and the two others half as large.
    The groups depend on the records only, never on the workers: one process and several find
    the same persons."""
    years = pc.dictionary_encode(
        pc.utf8_slice_codeunits(records.table.column("birth_date"), 0, 4).combine_chunks()
    )
    values: list[str | None] = years.dictionary.to_pylist()
    dated = sorted(y for y in values if y)
    place = {year: number for number, year in enumerate(dated)}
    # each record's year by its place among the dated years; the undated after them all
    rank_of = np.array([place.get(y or "", len(dated)) for y in values] + [len(dated)])
    ranks = rank_of[years.indices.fill_null(len(values)).to_numpy(zero_copy_only=False)]
    counts = np.bincount(ranks, minlength=len(dated) + 1)
    groups = _year_groups(dated, [int(c) for c in counts[:-1]])
    # by year, each year's records in their order: each group's positions in turn, then the
    # undated
    order = np.argsort(ranks, kind="stable").astype(np.int64)
    before = np.concatenate([[0], np.cumsum(counts)])  # records before each year
    ends = before[np.cumsum([len(g) for g in groups])]
    return [part for part in np.split(order, ends) if len(part)]


def _year_groups(years: list[str], sizes: list[int]) -> list[list[str]]:
    """Years in order (`sizes` records each) in the groups `_partitions` describes.

    The model is trained on the earliest years: trained on the years around the middle
    record instead, at 1 M people, it linked 0.1 to 0.7 points fewer records of each registry
    (a few more precisely); trained on the earliest half of a PARTITION, as it links them now,
    every figure stayed within 0.05 points of the model trained on a whole one."""
    if sum(sizes) <= PARTITION:
        return [years]
    held = np.cumsum(sizes)
    end = int(np.searchsorted(held, PARTITION // 2)) + 1
    return [years[:end], *_even_cuts(years[end:], sizes[end:])]


def _even_cuts(years: list[str], sizes: list[int]) -> list[list[str]]:
    """Years in order, cut into groups of at most a PARTITION each (or one year), an even
    number of them: cut at the year boundary nearest each equal share of the records, and
    before a year that would take a group over a PARTITION.

    Cut only at the shares' nearest years, whatever that left, a group could exceed a
    PARTITION by half a year's records on either side, and keeping every group within it that
    way took 26 groups at 10 M people instead of 22."""
    if not years:
        return []
    total = sum(sizes)
    count = max(2, -(-total // PARTITION))
    count += count % 2
    share = total / count
    groups: list[list[str]] = [[]]
    held = before = 0  # records in the group; records before this year
    bound = 1  # the share whose end comes next
    for year, size in zip(years, sizes, strict=True):
        end = bound * share
        at_share = bound < count and (
            before >= end or (before + size > end and end - before <= before + size - end)
        )
        if groups[-1] and (at_share or held + size > PARTITION):
            groups.append([])
            held = 0
            bound = int((before + share / 2) // share) + 1
        groups[-1].append(year)
        held += size
        before += size
    of_year = dict(zip(years, sizes, strict=True))
    splittable = [g for g in groups if len(g) > 1]
    if len(groups) % 2 and splittable:
        largest = max(splittable, key=lambda g: sum(of_year[y] for y in g))
        at = groups.index(largest)
        groups[at : at + 1] = _halves(largest, [of_year[y] for y in largest])
    return groups


def _halves(years: list[str], sizes: list[int]) -> list[list[str]]:
    """Consecutive years in two groups of about equal records: the first ends with the year
    holding the middle record."""
    held = np.cumsum(sizes)
    end = int(np.searchsorted(held, held[-1] / 2)) + 1
    return [years[: min(end, len(years) - 1)], years[min(end, len(years) - 1) :]]


def _dedupe_identities(
    records: PersonRecords, say: Progress, hash_key: bytes, workers: int = 1
) -> tuple[IntArray, IntArray, LinkageModel, tuple[npt.NDArray[np.uint64], RowArray]]:
    """Pairs of positions judged one person, the model trained on the way, and every record's
    blocking keys (hashes, positions) for the index, from the features the dedupe built.
    The model returned has the birth date's u of random pairs of all the records
    (`ACROSS_GROUPS`).

    Up to PARTITION records are deduplicated at once. A larger registry is split into groups
    of birth years so that memory stays bounded: the model is trained on the first group and
    scores the rest, in `workers` forked processes, which compare their groups' pairs while it
    is trained (`_deduped_groups`). Duplicates whose birth years differ (a
    typo in the year) are then found only when their years fall in one group — a loss
    measured in docs/benchmarks.md."""
    groups = _partitions(records) if len(records) > PARTITION else [np.arange(len(records))]
    say(f"deduplicating identity records: group 1 of {len(groups)}")
    deduped = []
    for number, done in enumerate(_deduped_groups(records, groups, hash_key, workers), 1):
        if number > 1:
            say(f"deduplicating identity records: group {number} of {len(groups)}")
        deduped.append(done)
    model = deduped[0].model
    for number, done in enumerate(deduped, start=1):
        log.info(
            "resolve identity group=%d records=%d pairs=%d", number, done.records, len(done.left)
        )
    if len(groups) > 1:
        model = replace(model, u=model.u | population_u(records, model, ACROSS_GROUPS))
    lefts = [g.left for g in deduped]
    rights = [g.right for g in deduped]
    hashes = [g.hashes for g in deduped]
    rows = [g.rows for g in deduped]
    del deduped
    _return_freed_memory()  # the dedupe's names and features, before the keys are sorted
    # each group's keys come sorted: a stable sort of them all merges the runs (at 10 M
    # people 160 M keys, 35 s on one core when unsorted), in the order one sort of the
    # unsorted keys gives; the unsorted arrays go as the sorted ones come
    all_hashes = np.concatenate(hashes)
    hashes.clear()
    order = np.argsort(all_hashes, kind="stable")
    all_hashes = all_hashes[order]
    all_rows = np.concatenate(rows)
    rows.clear()
    keys_of = (all_hashes, as_key_rows(all_rows[order], len(records)))
    del order, all_rows
    return np.concatenate(lefts), np.concatenate(rights), model, keys_of


@dataclass
class _DedupedGroup:
    """One group of identity records deduplicated: its pairs and its records' keys, in the
    positions of the whole registry."""

    records: int
    left: IntArray
    right: IntArray
    hashes: npt.NDArray[np.uint64]
    rows: RowArray
    model: LinkageModel


def _dedupe_group(
    records: PersonRecords, group: IntArray, model: LinkageModel | None, hash_key: bytes
) -> _DedupedGroup:
    """A group deduplicated here: by `model`, else by one it trains."""
    comparisons = None if model is None else comparisons_of(model)
    return _deduped_group(records, group, hash_key, comparisons, lambda: model)


def _deduped_group(
    records: PersonRecords,
    group: IntArray,
    hash_key: bytes,
    comparisons: tuple[Comparison, ...] | None,
    model: Callable[[], LinkageModel | None],
) -> _DedupedGroup:
    """A group's pairs compared by `comparisons` (None: those its fields allow) and its keys
    made, then its pairs scored by what `model` gives once they are (None: a model it
    trains)."""
    # the names parsed will mostly serve the next groups too (`collector_paused`)
    with collector_paused():
        part = PersonRecords(records.table.take(pa.array(group)))
        compared = compare_records(part, None, comparisons, cache_names=True)
        hashes, rows = _sorted_keys(compared.features, group, hash_key, len(records))
        result = score_compared(compared, THRESHOLD, model())
        del compared
        return _from_links(part, group, result, hashes, rows)


def _sorted_keys(
    features: Features, group: IntArray, hash_key: bytes, records: int
) -> tuple[npt.NDArray[np.uint64], RowArray]:
    """The group's index keys, sorted by hash, with their rows in the whole registry. Sorted
    here, on a worker: the groups' sorted runs are merged by the parent's stable sort
    (`_dedupe_identities`) in a fifth of the time a sort of them all takes."""
    hashes, rows = index_keys(features, hash_key)
    order = np.argsort(hashes, kind="stable")
    return hashes[order], as_key_rows(group[rows[order]], records)


def _from_links(
    part: PersonRecords,
    group: IntArray,
    result: LinkResult,
    hashes: npt.NDArray[np.uint64],
    rows: RowArray,
) -> _DedupedGroup:
    position = {r: i for i, r in enumerate(part.ids)}
    return _DedupedGroup(
        len(part),
        group[[position[r] for r in result.left_ids]],
        group[[position[r] for r in result.right_ids]],
        hashes,
        rows,
        result.model,
    )


# What forked dedupe workers deduplicate with: set before the pool forks (the registry's
# records are shared, copy-on-write); each group is sent as its positions, and the model,
# once the first group has trained it, through the queue, one copy per group.
_DEDUPING: tuple[PersonRecords, bytes, tuple[Comparison, ...], Queue[LinkageModel]] | None = None


def _dedupe_sent(group: IntArray) -> _DedupedGroup:
    """A later group deduplicated on a worker: its pairs compared and its keys made while the
    first group trains the model, then scored by the model once it comes."""
    assert _DEDUPING is not None
    records, hash_key, comparisons, models = _DEDUPING
    return _deduped_group(records, group, hash_key, comparisons, models.get)


def _deduped_groups(
    records: PersonRecords, groups: list[IntArray], hash_key: bytes, workers: int
) -> Iterator[_DedupedGroup]:
    """Every group deduplicated, in order: the first trains the model the others are scored
    by. Where there are several groups and workers and a way to fork, `workers` forked
    processes compare the later groups' pairs while this process trains the model on the
    first (at 1 M people the first group took 15 s, the other core idle), and score them
    once it is sent."""
    global _DEDUPING
    if workers <= 1 or len(groups) <= 1 or not can_fork():
        first = _dedupe_group(records, groups[0], None, hash_key)
        yield first
        for group in groups[1:]:
            yield _dedupe_group(records, group, first.model, hash_key)
        return
    _return_freed_memory()  # what reading the records left, before the workers copy it
    models: Queue[LinkageModel] = mp.get_context("fork").Queue()
    _DEDUPING = (records, hash_key, usable_comparisons(records), models)
    try:
        with forked_pool(workers) as pool:
            later = pool.imap(_dedupe_sent, groups[1:])
            first = _dedupe_group(records, groups[0], None, hash_key)
            for _ in groups[1:]:
                models.put(first.model)
            yield first
            yield from later
    finally:
        _DEDUPING = None
        models.cancel_join_thread()  # a failed run leaves copies no worker will take
        models.close()


def _build_fresh(
    store: RegistryStore,
    generation: Generation,
    say: Progress,
    report: ResolveReport,
    workers: int,
) -> PersonIndex:
    records, imports = _read_records(store, Kind.IDENTITY, [])
    hash_key = index_key(store.vault)
    # the store is not used meanwhile
    with store.memory_limited(WORKERS_STORE_MEMORY), _phase("identity-dedupe"):
        left, right, model, (hashes, rows) = _dedupe_identities(records, say, hash_key, workers)
    persons = component_labels(len(records), left, right)
    count = int(persons.max()) + 1 if len(persons) else 0
    say(f"{count:,} persons; writing the index")
    meta = IndexMeta(
        records=len(records),
        persons=count,
        keys=len(hashes),
        key_hash=KEY_HASH,
        resolved_imports={Kind.IDENTITY.value: sorted(set(pc.unique(imports).to_pylist()))},
    )
    with _phase("index-written"):
        index = PersonIndex.write(
            generation, _with_person_ids(records, persons), hashes, rows, model, meta
        )
        _write_links(store, Kind.IDENTITY, records, persons, np.ones(len(records)))
    report.rebuilt = True
    report.new_identity_records = len(records)
    report.linked[Kind.IDENTITY.value] = len(records)
    return index


def _add_identities(
    store: RegistryStore,
    current: Generation,
    generation: Generation,
    say: Progress,
    report: ResolveReport,
    linker: BatchLinker,
) -> PersonIndex:
    index = PersonIndex.open_generation(current)
    done = index.meta.resolved_imports.get(Kind.IDENTITY.value, [])
    new, imports = _read_records(store, Kind.IDENTITY, done)
    if not len(new):
        _link_unchanged(current, generation, _INDEX_FILES)
        return PersonIndex(
            generation, index.records, index.key_hashes, index.key_rows, index.model, index.meta
        )
    say(f"linking {len(new):,} new identity records to persons")
    linked, probability = _link_to_index(
        Matcher(index, LINK_CANDIDATES), batches_of(new), len(new), say, linker=linker
    )
    next_person = int(pc.max(index.records.column("person_id")).as_py()) + 1
    persons = _assign_new_identities(new, linked, index, next_person)
    hashes, rows = _keys_of(new, len(index.records), index.hash_key)
    records = pa.concat_tables([index.records, _with_person_ids(new, persons)])
    meta = index.meta
    meta.records = records.num_rows
    meta.persons = len(pc.unique(records.column("person_id")))
    meta.resolved_imports[Kind.IDENTITY.value] = sorted(
        set(done) | set(pc.unique(imports).to_pylist())
    )
    all_hashes = np.concatenate([np.asarray(index.key_hashes), hashes])
    all_rows = np.concatenate([np.asarray(index.key_rows), rows])
    written = PersonIndex.write(generation, records, all_hashes, all_rows, index.model, meta)
    probability = np.where(linked >= 0, probability, 1.0)
    _write_links(store, Kind.IDENTITY, new, persons, probability)
    report.new_identity_records = len(new)
    report.linked[Kind.IDENTITY.value] = len(new)
    return written


# the index's files; index.json is written again at the end of every resolve
_INDEX_FILES = ("records.arrow", "key_hashes.npy", "key_rows.npy", "model.json")
