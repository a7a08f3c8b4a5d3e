"""The person index: resolved person records and their blocking keys, for lookups.

Written by `bonafide registry resolve` into a generation of the persons directory (`files.py`):

- `records.arrow`: one row per identity record (the person fields as text, `person_id`), an
  uncompressed Arrow IPC file, sealed; opening the index decrypts it into memory (never into a
  file), so fetching a few hundred rows by position costs microseconds.
- `key_hashes.npy`, `key_rows.npy`: a 64-bit keyed hash (BLAKE2b under a key of the vault's) of
  every blocking key of every record (`BLOCKING_KEYS`, the batch path's keys), sorted, with the
  record's row; sealed like the rest (so neither their shape nor a tampered row can pass) and
  decrypted into memory. A lookup is a binary search per key; a key shared by more records than
  its block limit is refined or skipped, as in batch blocking (a refinement is looked up only
  where its coarse key overflowed).
- `model.json`: the linkage model (its term frequencies name surnames: sealed); `index.json`:
  counts and the resolved imports (sealed).

Why not DuckDB for this: a point query against a 70 M-row key table took 16 ms (p50) and up to
260 ms here, before fetching records — over the whole lookup budget. Binary search over a
sorted array takes microseconds; taking 100 rows from the Arrow table (one chunk per column)
takes about 0.3 ms at 10 M rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from hashlib import blake2b
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.errors import StoreError
from bonafide.linkage.blocking import (
    BLOCKING_KEYS,
    REFINED_FROM,
    block_limit,
    distinct_keys,
    expand_ranges,
    first_of_run,
)
from bonafide.linkage.comparisons import SMALL, Features
from bonafide.linkage.model import MODEL_VERSION, LinkageModel
from bonafide.linkage.records import PERSON_FIELDS, PersonRecords
from bonafide.persons.files import Generation, PersonFiles
from bonafide.vault import Vault

__all__ = [
    "ALIKE_KEY",
    "ALIKE_ROWS",
    "KEYS_VERSION",
    "KEY_HASH",
    "BlockingCounts",
    "CandidateRows",
    "CodedKeys",
    "IndexMeta",
    "PersonIndex",
    "RecordKeys",
    "RowArray",
    "as_key_rows",
    "index_keys",
    "key_hashes",
    "record_keys",
]

KEY_HASH = "blake2b-64-keyed"
# the blocking keys' version: bumped when BLOCKING_KEYS change what they hold (2: given names
# by their class in the given-name table; 3: the refinements of coarse keys, REFINED_FROM; 4:
# the records' ALIKE_KEY besides; 5: a given name the table does not know, one letter off a
# full name in it, keyed by that name's class); an index with older keys must be re-indexed
KEYS_VERSION = 5
# The index-only key (`blocking.INDEX_ONLY_KEYS`) of records written alike: surname, given name
# and birth date, compared as the blocking keys compare them
ALIKE_KEY = "names_birth_date"
# the most records of one person `rows_written_alike` gives a lookup (a person holds one
# identity record per document, a few in a lifetime)
ALIKE_ROWS = 16
IntArray = npt.NDArray[np.int64]
# the index rows holding each key: 32-bit while the index has fewer than 2^31 records (half
# the memory of a 10 M-person index's 160 M keys)
RowArray = npt.NDArray[np.int32] | npt.NDArray[np.int64]
HashArray = npt.NDArray[np.uint64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
_SEPARATOR = "\x1e"


def _best_candidates(
    queries: IntArray,
    rows: IntArray,
    told: FloatArray,
    fewest: IntArray,
    limit: int,
    first_limit: int | None = None,
) -> tuple[IntArray, IntArray, BoolArray]:
    """At most `limit` rows per query: half those whose shared keys tell the most together,
    half those sharing the single most telling key (the smallest block: `fewest`, the rows
    holding it), the rest by what they tell together. Also which of them `first_limit` (if
    smaller) would choose: one ranking serves both, and a smaller limit's rows are among a
    larger one's, in the same order.

    Keys overlap — a namesake shares the names, the names in either order and the surname with
    the birth year, three keys telling one fact — so the sum alone puts namesakes first. A woman
    whose surname changed shares only her given name with her birth date: one key, small and
    telling, which the sum ranked behind them (at 1 M people, six in ten records left without
    a person had their true person in their blocks but not among the candidates scored)."""
    if not len(queries):
        return queries, rows, np.zeros(0, dtype=bool)
    # the pairs come sorted by query and row, and each sort below is stable, so the rows need
    # no pass of their own (at 10 M people a batch's sorts of millions of pairs took seconds)
    # one sort by what the keys tell together serves the first half, the rows that fill a
    # query's room and the order returned; where `told` is never negative (a key is held by
    # no more rows than the index has) its bits as integers order as its values, and a sort
    # of integers takes three quarters of the time
    descending = -told.view(np.int64) if told.min() >= 0 else -told
    by_told = np.argsort(descending, kind="stable")
    by_sum = by_told[np.argsort(queries[by_told], kind="stable")]
    sorted_queries = queries[by_sum]
    group_start = _group_starts(sorted_queries)
    rank_by_sum = np.arange(len(by_sum)) - group_start
    # that order sorted again by the most telling key: by query, fewest, sum, row; both are
    # integers, and a usable block holds no more rows than its limit, so one integer holds both
    blocks = int(fewest.max()) + 1
    by_most = np.argsort(sorted_queries * blocks + fewest[by_sum], kind="stable")
    rank_by_most = np.empty(len(by_sum), dtype=np.int64)
    rank_by_most[by_most] = np.arange(len(by_most)) - group_start

    def chosen_within(most: int) -> BoolArray:
        half = max(most // 2, 1)
        kept = (rank_by_sum < half) | (rank_by_most < most - half)
        # a query with room left takes its next rows by what they tell together
        taken = np.bincount(sorted_queries[kept], minlength=int(queries.max()) + 1)
        room = most - taken[sorted_queries]
        rest = ~kept
        # rest rows before each position, in sorted order
        rest_before: IntArray = np.cumsum(rest, dtype=np.int64) - rest.astype(np.int64)
        rank_in_rest: IntArray = rest_before - rest_before[group_start]
        chosen: BoolArray = kept | (rest & (rank_in_rest < room))
        return chosen

    within = chosen_within(limit)
    first = (
        chosen_within(first_limit)[within]
        if first_limit is not None and first_limit < limit
        else np.ones(int(within.sum()), dtype=bool)
    )
    chosen = by_sum[within]
    return queries[chosen], rows[chosen], first


def _shared_keys(
    queries: IntArray, rows: IntArray, held: IntArray, size: int
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """Each (query, row) pair once, sorted by query and row, from the rows each usable key of
    the queries fetched (`held[i]` rows for the i-th key, `queries` and `rows` one per row
    fetched), with what the pair's shared keys tell together — a key held by n of
    the index's `size` rows tells log2(size / n), summed in the keys' order — and the rows
    holding its most telling key (the fewest)."""
    codes = queries * size + rows
    if not len(codes):
        return codes, codes, np.empty(0, np.float64), codes
    telling = np.log2(max(size, 2) / np.maximum(held, 1))
    # a key's rows come as its block holds them, mostly in order: a stable sort finds those
    # runs, and took a seventh of np.unique's time on a 1 M-person index
    by_code = np.argsort(codes, kind="stable")
    codes = codes[by_code]
    first = first_of_run(codes)
    pair_starts = np.flatnonzero(first)
    # float64 already (the stubs say integers): asarray makes no copy
    told = np.asarray(
        np.bincount(np.cumsum(first) - 1, weights=np.repeat(telling, held)[by_code]),
        dtype=np.float64,
    )
    fewest: IntArray = np.minimum.reduceat(np.repeat(held, held)[by_code], pair_starts)
    codes = codes[pair_starts]
    return codes // size, codes % size, told, fewest


def _group_starts(sorted_queries: IntArray) -> IntArray:
    """For each element of sorted queries, the position where its query's run starts."""
    first = np.flatnonzero(first_of_run(sorted_queries))
    starts: IntArray = np.repeat(first, np.diff(np.r_[first, len(sorted_queries)]))
    return starts


@dataclass(frozen=True)
class CandidateRows:
    """(query, index row) pairs, each query's in the order of what their keys tell together;
    `first`: those a smaller limit chooses too (its pairs, in the same order)."""

    query: IntArray
    row: IntArray
    first: BoolArray


@dataclass
class RecordKeys:
    """Every blocking key of a batch of records, prefixed by its rule."""

    keys: list[str] | CodedKeys  # a few records' as a list, a batch's coded
    rows: IntArray  # the record holding each key
    limits: IntArray  # the most records each key may hold before it is too common (`block_limit`)
    rules: IntArray  # each key's rule: its position in BLOCKING_KEYS
    # a refinement's coarse key (its position in `keys`); -1 for a coarse key
    coarse: IntArray

    def texts(self) -> list[str]:
        return self.keys if isinstance(self.keys, list) else self.keys.texts()

    def of_records(self, positions: IntArray, records: int) -> RecordKeys:
        """The keys of the records at these positions (ascending, among `records`), each
        record numbered by its place among them."""
        number = np.full(records, -1, dtype=np.int64)
        number[positions] = np.arange(len(positions))
        kept = number[self.rows] >= 0
        # a refinement's coarse key is its own record's: kept with it, and moved as it moves
        moved = np.cumsum(kept) - 1
        coarse = self.coarse[kept]
        coarse = np.where(coarse >= 0, moved[np.maximum(coarse, 0)], -1)
        keys: list[str] | CodedKeys
        if isinstance(self.keys, CodedKeys):
            keys = CodedKeys(self.keys.distinct, self.keys.codes[kept])
        else:
            keys = [key for key, keep in zip(self.keys, kept.tolist(), strict=True) if keep]
        return RecordKeys(
            keys, number[self.rows[kept]], self.limits[kept], self.rules[kept], coarse
        )


@dataclass(frozen=True)
class CodedKeys:
    """A batch's blocking keys: each distinct key's text once, and each key's position among
    them."""

    distinct: list[str]
    codes: IntArray

    def texts(self) -> list[str]:
        return [self.distinct[code] for code in self.codes.tolist()]


def record_keys(features: Features) -> RecordKeys:
    """Every blocking key of every record, with the record's position, its block limit, its
    rule and, for a refinement, where its coarse key is."""
    # a batch's million keys are coded (each distinct key's text made once, and hashed once by
    # `key_hashes`: at 1 M people one key in seven is distinct); a desk lookup's few in Python,
    # where NumPy's and Arrow's calls cost more than they save. The rules' functions are
    # BLOCKING_KEYS' own for a few records, `distinct_keys` of each rule for a batch.
    in_arrow = len(features) >= SMALL
    distinct: list[str] = []
    held_keys: list[IntArray] = []
    listed: list[str] = []
    rows: list[IntArray] = []
    limits: list[IntArray] = []
    rules: list[IntArray] = []
    coarse: list[IntArray] = []
    # rule → the position among the keys of each record's key of that rule (-1: none)
    position_of: dict[str, IntArray] = {}
    held = 0
    for number, (rule, make_key) in enumerate(BLOCKING_KEYS.items()):
        if in_arrow:
            present, texts, held_key = distinct_keys(rule, features)
            held_keys.append(held_key + len(distinct))
            distinct.extend(f"{rule}{_SEPARATOR}{text}" for text in texts)
        else:
            values = make_key(features)
            present = np.flatnonzero(np.array([v is not None for v in values], dtype=bool))
            listed.extend(f"{rule}{_SEPARATOR}{v}" for v in values[present])
        positions = np.full(len(features), -1, dtype=np.int64)
        positions[present] = held + np.arange(len(present))
        held += len(present)
        position_of[rule] = positions
        rows.append(present.astype(np.int64))
        limits.append(np.full(len(present), block_limit(rule), dtype=np.int64))
        rules.append(np.full(len(present), number, dtype=np.int64))
        if rule in REFINED_FROM:
            # a record with a refinement has its coarse key: the refinement holds its parts
            coarse.append(position_of[REFINED_FROM[rule]][present])
        else:
            coarse.append(np.full(len(present), -1, dtype=np.int64))
    coded = (
        CodedKeys(distinct, np.concatenate(held_keys) if held_keys else np.empty(0, np.int64))
        if in_arrow
        else listed
    )
    return RecordKeys(
        coded,
        np.concatenate(rows),
        np.concatenate(limits),
        np.concatenate(rules),
        np.concatenate(coarse),
    )


def alike_keys(features: Features) -> tuple[IntArray, CodedKeys]:
    """The records holding an ALIKE_KEY, and their keys (prefixed as blocking keys are)."""
    present, texts, held = distinct_keys(ALIKE_KEY, features)
    return present, CodedKeys([f"{ALIKE_KEY}{_SEPARATOR}{text}" for text in texts], held)


def index_keys(features: Features, hash_key: bytes) -> tuple[HashArray, IntArray]:
    """Every key the index holds of these records, hashed, and the record holding each: their
    blocking keys, then their ALIKE_KEY."""
    keys = record_keys(features)
    alike, coded = alike_keys(features)
    return (
        np.concatenate([key_hashes(keys.keys, hash_key), key_hashes(coded, hash_key)]),
        np.concatenate([keys.rows, alike]),
    )


@dataclass
class BlockingCounts:
    """What the index's blocking keys did for a run of lookups: per rule (`BLOCKING_KEYS`),
    the lookups holding the key (a refinement: where its coarse key's block overflowed), those
    whose key's block was over its limit (refined, or skipped where it has no refinement or
    is a refinement), the candidate rows the key fetched; the lookups left with no usable key."""

    rules: tuple[str, ...] = field(default_factory=lambda: tuple(BLOCKING_KEYS))
    held: IntArray = field(init=False)
    overflowed: IntArray = field(init=False)
    rows: IntArray = field(init=False)
    lookups: int = 0
    without_keys: int = 0  # lookups holding no blocking key at all
    # lookups holding keys, every one over its limit (refinements included): no candidate
    every_key_overflowed: int = 0
    # lookups without a candidate that had a key over its limit: the others matched nobody
    # (their person may have no identity record, or a key over its limit hid it)
    no_candidate_with_overflow: int = 0
    # lookups linked to the one person written exactly as they are, without the blocks
    # (resolve's `_mark_exact_lookups`): not among `lookups`
    exact: int = 0
    # lookups linked to the one person whose identity records are written alike them (the
    # ALIKE_KEY), scored against those records alone (`resolve._looked_up`): not among
    # `lookups` either
    alike: int = 0

    def __post_init__(self) -> None:
        self.held = np.zeros(len(self.rules), np.int64)
        self.overflowed = np.zeros(len(self.rules), np.int64)
        self.rows = np.zeros(len(self.rules), np.int64)

    def add(
        self,
        queries: int,
        query_of_key: IntArray,
        rules: IntArray,
        sizes: IntArray,
        reached: npt.NDArray[np.bool_],
        usable: npt.NDArray[np.bool_],
    ) -> None:
        self.lookups += queries
        self.held += np.bincount(rules[reached], minlength=len(self.rules))
        self.overflowed += np.bincount(rules[reached & ~usable], minlength=len(self.rules))
        self.rows += np.bincount(
            rules[usable], weights=sizes[usable], minlength=len(self.rules)
        ).astype(np.int64)
        holding = np.bincount(query_of_key, minlength=queries) > 0
        with_usable = np.bincount(query_of_key[usable], minlength=queries) > 0
        fetching = np.bincount(query_of_key[usable & (sizes > 0)], minlength=queries) > 0
        overflowing = np.bincount(query_of_key[reached & ~usable], minlength=queries) > 0
        self.without_keys += int((~holding).sum())
        self.every_key_overflowed += int((holding & ~with_usable).sum())
        self.no_candidate_with_overflow += int((overflowing & ~fetching).sum())

    def merge(self, other: BlockingCounts) -> None:
        """Add what another run of lookups counted (a worker's)."""
        self.held += other.held
        self.overflowed += other.overflowed
        self.rows += other.rows
        self.lookups += other.lookups
        self.without_keys += other.without_keys
        self.every_key_overflowed += other.every_key_overflowed
        self.no_candidate_with_overflow += other.no_candidate_with_overflow
        self.exact += other.exact
        self.alike += other.alike

    def to_json(self) -> dict[str, object]:
        return {
            "lookups": self.lookups,
            "without_keys": self.without_keys,
            "every_key_overflowed": self.every_key_overflowed,
            "no_candidate_with_overflow": self.no_candidate_with_overflow,
            "exact": self.exact,
            "alike": self.alike,
            "rules": {
                rule: {
                    "held": int(self.held[n]),
                    "overflowed": int(self.overflowed[n]),
                    "rows": int(self.rows[n]),
                }
                for n, rule in enumerate(self.rules)
            },
        }


def as_key_rows(rows: npt.NDArray[Any], records: int) -> RowArray:
    """Rows of an index of `records` records as the index keeps them: 32-bit below 2^31."""
    if records < 2**31:
        return rows.astype(np.int32, copy=False)
    return rows.astype(np.int64, copy=False)


def key_hashes(keys: list[str] | pa.StringArray | CodedKeys, key: bytes) -> HashArray:
    """A 64-bit keyed hash (BLAKE2b) of each key: the same in every process and version for
    one vault, meaningless without its key."""

    keyed = blake2b(digest_size=8, key=key)

    def hashed(texts: list[str]) -> HashArray:
        # the keyed state copied, not keyed again, and the digests read as one buffer: 0.6×
        # the time of a hash object and an integer per key
        digests = []
        for text in texts:
            state = keyed.copy()
            state.update(text.encode())
            digests.append(state.digest())
        return np.frombuffer(b"".join(digests), dtype="<u8").astype(np.uint64)

    if isinstance(keys, list) and len(keys) < SMALL:
        return hashed(keys)  # a desk lookup's few keys: Arrow's encoding costs more than it saves
    # each distinct key hashed once: a batch's lookups repeat their birth years and surnames
    # (at 1 M people one key in seven is distinct)
    if isinstance(keys, CodedKeys):
        coded: HashArray = hashed(keys.distinct)[keys.codes]
        return coded
    encoded = pc.dictionary_encode(
        keys if isinstance(keys, pa.Array) else pa.array(keys, pa.string())
    )
    result: HashArray = hashed(encoded.dictionary.to_pylist())[encoded.indices.to_numpy()]
    return result


def index_key(vault: Vault) -> bytes:
    """The key the index's blocking keys are hashed under."""
    return vault.key("person index keys")


@dataclass
class IndexMeta:
    records: int
    persons: int
    keys: int
    key_hash: str  # the hash function keys were hashed with
    resolved_imports: dict[str, list[int]] = field(default_factory=dict)
    keys_version: int = 1
    links: dict[str, int] = field(default_factory=dict)  # kind → records linked to a person

    def save(self, generation: Generation) -> None:
        generation.write_json("index.json", self.__dict__)

    @classmethod
    def load(cls, generation: Generation) -> IndexMeta:
        data: dict[str, Any] = generation.read_json("index.json")  # type: ignore[assignment]
        return cls(**data)


class PersonIndex:
    """An open person index, decrypted into memory."""

    def __init__(
        self,
        generation: Generation,
        records: pa.Table,
        key_hashes: HashArray,
        key_rows: RowArray,
        model: LinkageModel,
        meta: IndexMeta,
    ) -> None:
        self.generation = generation
        self.records = records
        self.key_hashes = key_hashes
        self.key_rows = key_rows
        self.model = model
        self.meta = meta
        self.hash_key = index_key(generation.vault)

    @staticmethod
    def exists(vault: Vault) -> bool:
        return PersonFiles(vault).current() is not None

    @classmethod
    def open(cls, vault: Vault, *, any_keys: bool = False) -> PersonIndex:
        """The published index; `any_keys`: also one whose keys are of an older version."""
        return PersonFiles(vault).read_current(
            lambda generation: cls.open_generation(generation, any_keys=any_keys)
        )

    @classmethod
    def open_generation(cls, generation: Generation, *, any_keys: bool = False) -> PersonIndex:
        meta = IndexMeta.load(generation)
        if meta.key_hash != KEY_HASH:
            raise StoreError(
                f"the person index in {generation.directory} hashes its keys with "
                f"{meta.key_hash}, this version of bonafide with {KEY_HASH}",
                hint="rebuild it: bonafide registry resolve --rebuild",
            )
        if meta.keys_version != KEYS_VERSION and not any_keys:
            raise StoreError(
                f"the person index in {generation.directory} holds blocking keys of version "
                f"{meta.keys_version}, this version of bonafide looks up version {KEYS_VERSION}",
                hint="re-index it (persons are kept): bonafide registry resolve",
            )
        model = generation.read_json("model.json")
        if not isinstance(model, dict) or model.get("version") != MODEL_VERSION:
            raise StoreError(
                f"the persons in {generation.directory} were resolved by version "
                f"{model.get('version') if isinstance(model, dict) else '?'} of the linkage "
                f"model, this version of bonafide scores with version {MODEL_VERSION}",
                hint="resolve them again: bonafide registry resolve",
            )
        return cls(
            generation,
            generation.read_arrow("records.arrow"),
            generation.read_array("key_hashes.npy"),  # type: ignore[arg-type]
            generation.read_array("key_rows.npy"),  # type: ignore[arg-type]
            LinkageModel.from_json(model),
            meta,
        )

    @classmethod
    def write(
        cls,
        generation: Generation,
        records: pa.Table,
        key_hashes: HashArray,
        key_rows: RowArray,
        model: LinkageModel,
        meta: IndexMeta,
    ) -> PersonIndex:
        """Write a complete index into `generation` (published with it, by resolve), and return
        it open: what was written, without reading it back."""
        hashes, rows_in = key_hashes, key_rows
        if len(key_hashes) and not bool(np.all(key_hashes[1:] >= key_hashes[:-1])):
            order = np.argsort(key_hashes, kind="stable")  # resolve gives them sorted
            hashes, rows_in = key_hashes[order], key_rows[order]
            del order
        rows = as_key_rows(rows_in, records.num_rows)
        records = records.combine_chunks()
        generation.write_array("key_hashes.npy", hashes)
        generation.write_array("key_rows.npy", rows)
        generation.write_arrow("records.arrow", records)
        generation.write_json("model.json", model.to_json())
        meta.keys = len(key_hashes)
        meta.keys_version = KEYS_VERSION
        meta.save(generation)
        return cls(generation, records, hashes, rows, model, meta)

    def hashes_of(self, keys: list[str] | pa.StringArray | CodedKeys) -> HashArray:
        return key_hashes(keys, self.hash_key)

    def _blocks_of(self, hashes: HashArray) -> tuple[IntArray, IntArray]:
        """Where each key's block starts and ends among the index's sorted keys.

        Each distinct key is searched once, in sorted order: a batch's lookups share keys (a
        sixth are distinct at 1 M people: neighbours in birth date share it), and each search
        starts where the last ended, touching the keys in one sweep (a sixth of a 10 M-person
        registry's linking time went to these searches in random order)."""
        order = np.argsort(hashes, kind="stable")
        sorted_hashes = hashes[order]
        new = first_of_run(sorted_hashes)
        distinct = sorted_hashes[new]
        which = np.cumsum(new) - 1
        starts = np.empty(len(hashes), dtype=np.int64)
        ends = np.empty(len(hashes), dtype=np.int64)
        starts[order] = np.searchsorted(self.key_hashes, distinct, side="left")[which]
        ends[order] = np.searchsorted(self.key_hashes, distinct, side="right")[which]
        return starts, ends

    def candidate_rows(
        self,
        hashes: HashArray,
        keys: RecordKeys,
        limit: int,
        counts: BlockingCounts | None = None,
        lookups: int = 0,
        first_limit: int | None = None,
    ) -> CandidateRows:
        """(query, row) pairs: the rows holding any of each query's keys, skipping keys held by
        more rows than their block limit (as batch blocking does); at most `limit` per query,
        those sharing the most telling keys first, and which of them `first_limit` would
        choose. `counts`, if given, adds what each rule did for these `lookups` (records
        looked up).

        A shared key tells log2(records / rows holding it): a document number or a birth date
        with initials shared by two rows tells more than a common name shared by thirty. Ranked
        by the count of shared keys instead, at 200 k people five of eight linkable records
        left without a person had their true person in their blocks but behind namesakes
        sharing as many keys (docs/benchmarks.md)."""
        query_of_key = keys.rows
        starts, ends = self._blocks_of(hashes)
        over = (ends - starts) > keys.limits
        # a refinement stands in for its coarse key only where that key's block overflowed
        refined = keys.coarse >= 0
        reached = ~refined
        reached[refined] = over[keys.coarse[refined]]
        usable = reached & ~over
        if counts is not None:
            counts.add(lookups, query_of_key, keys.rules, ends - starts, reached, usable)
        starts, ends = starts[usable], ends[usable]
        rows = np.asarray(self.key_rows[expand_ranges(starts, ends)], dtype=np.int64)
        held = ends - starts
        queries, rows, told, fewest = _shared_keys(
            np.repeat(query_of_key[usable], held), rows, held, max(len(self.records), 1)
        )
        return CandidateRows(*_best_candidates(queries, rows, told, fewest, limit, first_limit))

    def rows_written_alike(self, features: Features) -> tuple[IntArray, IntArray]:
        """(record, row) pairs: each record's rows of the index holding its ALIKE_KEY, where
        they are the records of one person, no more than ALIKE_ROWS; sorted by record.

        Any other person's records differ from such a record in surname, given name or birth
        date as the blocking keys read them, so the blocks would rank that person's first."""
        present, coded = alike_keys(features)
        starts, ends = self._blocks_of(key_hashes(coded, self.hash_key))
        held = ends - starts
        usable = (held > 0) & (held <= ALIKE_ROWS)
        present, held = present[usable], held[usable]
        rows = np.asarray(
            self.key_rows[expand_ranges(starts[usable], ends[usable])], dtype=np.int64
        )
        records = np.repeat(present, held)
        if not len(rows):
            return records, rows
        persons = self.person_ids(rows)
        first = np.cumsum(held) - held
        one = np.minimum.reduceat(persons, first) == np.maximum.reduceat(persons, first)
        kept = np.repeat(one, held)
        return records[kept], rows[kept]

    def person_records(self, rows: IntArray) -> PersonRecords:
        taken = self.records.take(pa.array(rows, pa.int64()))
        return PersonRecords(taken.select(list(PERSON_FIELDS)))

    def person_ids(self, rows: IntArray) -> IntArray:
        taken = self.records.column("person_id").take(pa.array(rows, pa.int64()))
        return np.asarray(taken.to_numpy(), dtype=np.int64)
