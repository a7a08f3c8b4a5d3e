"""The person index: resolved person records and their blocking keys, on disk, for lookups.

Written by `bonafide registry resolve` into `<data-dir>/persons/`:

- `records.arrow`: one row per identity record (the person fields as text, `person_id`), an
  uncompressed Arrow IPC file read through a memory map, so fetching a few hundred rows by
  position costs microseconds and the file is paged in by the operating system, not loaded.
- `key_hashes.npy`, `key_rows.npy`: a 64-bit hash of every blocking key of every record
  (`BLOCKING_KEYS`, the batch path's keys), sorted, with the record's row. A lookup is a binary
  search per key; a key shared by more records than its block limit is skipped, as in batch
  blocking.
- `model.json`: the linkage model; `index.json`: counts and the resolved imports.

Why not DuckDB for this: a point query against a 70 M-row key table took 16 ms (p50) and up to
260 ms here, before fetching records — over the whole lookup budget. Binary search over a
memory-mapped sorted array takes microseconds; taking 100 rows from the memory-mapped Arrow
file (one chunk per column) takes about 0.3 ms at 10 M rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.ipc as ipc

from bonafide.errors import StoreError
from bonafide.linkage.blocking import BLOCKING_KEYS, block_limit
from bonafide.linkage.comparisons import Features
from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import PERSON_FIELDS, PersonRecords

__all__ = [
    "INDEX_DIR",
    "KEYS_VERSION",
    "KEY_HASH",
    "IndexMeta",
    "PersonIndex",
    "key_hashes",
    "record_keys",
]

INDEX_DIR = "persons"
KEY_HASH = "blake2b-64"
# the blocking keys' version: bumped when BLOCKING_KEYS change what they hold (2: given names
# by their class in the given-name table); an index with older keys must be re-indexed
KEYS_VERSION = 2
IntArray = npt.NDArray[np.int64]
HashArray = npt.NDArray[np.uint64]
_SEPARATOR = "\x1e"


def _expand(starts: IntArray, ends: IntArray) -> IntArray:
    """The positions start..end-1 of every range, concatenated."""
    lengths = ends - starts
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    expanded: IntArray = offsets + np.arange(int(lengths.sum()), dtype=np.int64)
    return expanded


def record_keys(features: Features) -> tuple[list[str], IntArray, IntArray]:
    """Every blocking key of every record, prefixed by its rule, with the record's position and
    the most records the key may hold before it is too common to use (`block_limit`)."""
    keys: list[str] = []
    rows: list[IntArray] = []
    limits: list[IntArray] = []
    for rule, make_key in BLOCKING_KEYS.items():
        values = make_key(features)
        present = np.flatnonzero(np.array([v is not None for v in values], dtype=bool))
        keys.extend(f"{rule}{_SEPARATOR}{v}" for v in values[present])
        rows.append(present.astype(np.int64))
        limits.append(np.full(len(present), block_limit(rule), dtype=np.int64))
    return keys, np.concatenate(rows), np.concatenate(limits)


def key_hashes(keys: list[str]) -> HashArray:
    """A stable 64-bit hash (BLAKE2b) of each key: the same in every process and version."""
    return np.fromiter(
        (int.from_bytes(blake2b(k.encode(), digest_size=8).digest(), "little") for k in keys),
        dtype=np.uint64,
        count=len(keys),
    )


@dataclass
class IndexMeta:
    records: int
    persons: int
    keys: int
    key_hash: str  # the hash function keys were hashed with
    resolved_imports: dict[str, list[int]] = field(default_factory=dict)
    keys_version: int = 1
    links: dict[str, int] = field(default_factory=dict)  # kind → records linked to a person

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> IndexMeta:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(**data)


def _records_path(directory: Path) -> Path:
    return directory / "records.arrow"


class PersonIndex:
    """An open person index. Lookups read memory-mapped files; nothing is loaded whole."""

    def __init__(
        self,
        directory: Path,
        records: pa.Table,
        key_hashes: HashArray,
        key_rows: IntArray,
        model: LinkageModel,
        meta: IndexMeta,
    ) -> None:
        self.directory = directory
        self.records = records
        self.key_hashes = key_hashes
        self.key_rows = key_rows
        self.model = model
        self.meta = meta

    @staticmethod
    def exists(data_dir: Path) -> bool:
        return (data_dir / INDEX_DIR / "index.json").is_file()

    @classmethod
    def open(cls, data_dir: Path, *, any_keys: bool = False) -> PersonIndex:
        """The index; `any_keys`: also one whose keys are of an older version (to re-index)."""
        directory = data_dir / INDEX_DIR
        if not cls.exists(data_dir):
            raise StoreError(
                f"there is no person index in {data_dir}",
                hint="import the identity registry and run: bonafide registry resolve",
            )
        meta = IndexMeta.load(directory / "index.json")
        if meta.key_hash != KEY_HASH:
            raise StoreError(
                f"the person index in {directory} hashes its keys with {meta.key_hash}, "
                f"this version of bonafide with {KEY_HASH}",
                hint="rebuild it: bonafide registry resolve --rebuild",
            )
        if meta.keys_version != KEYS_VERSION and not any_keys:
            raise StoreError(
                f"the person index in {directory} holds blocking keys of version "
                f"{meta.keys_version}, this version of bonafide looks up version {KEYS_VERSION}",
                hint="re-index it (persons are kept): bonafide registry resolve",
            )
        source = pa.memory_map(str(_records_path(directory)), "r")
        records = ipc.open_file(source).read_all()
        return cls(
            directory,
            records,
            np.load(directory / "key_hashes.npy", mmap_mode="r"),
            np.load(directory / "key_rows.npy", mmap_mode="r"),
            LinkageModel.load(directory / "model.json"),
            meta,
        )

    @staticmethod
    def write(
        data_dir: Path,
        records: pa.Table,
        key_hashes: HashArray,
        key_rows: IntArray,
        model: LinkageModel,
        meta: IndexMeta,
    ) -> None:
        """Write a complete index, replacing the old one only once every file is written."""
        directory = data_dir / INDEX_DIR
        staging = data_dir / f"{INDEX_DIR}.new"
        staging.mkdir(parents=True, exist_ok=True)
        order = np.argsort(key_hashes, kind="stable")
        np.save(staging / "key_hashes.npy", key_hashes[order])
        np.save(staging / "key_rows.npy", key_rows[order])
        # one chunk per column: taking rows from a chunked column concatenates its chunks
        records = records.combine_chunks()
        with ipc.new_file(str(_records_path(staging)), records.schema) as writer:
            writer.write_table(records, max_chunksize=max(records.num_rows, 1))
        model.save(staging / "model.json")
        meta.keys = len(key_hashes)
        meta.keys_version = KEYS_VERSION
        meta.save(staging / "index.json")
        old = data_dir / f"{INDEX_DIR}.old"
        if directory.exists():
            directory.rename(old)
        staging.rename(directory)
        if old.exists():
            for path in old.iterdir():
                path.unlink()
            old.rmdir()

    def warm(self) -> None:
        """Read every index file once, so that lookups find its pages in memory: a lookup
        touches a few pages spread over gigabytes, each a disk read when cold. A long-running
        service calls this at start (the 10 M-person index is about 4 GB)."""
        for path in sorted(self.directory.iterdir()):
            if path.suffix in (".npy", ".arrow"):
                with path.open("rb") as handle:
                    while handle.read(1 << 24):
                        pass

    def candidate_rows(
        self, hashes: HashArray, query_of_key: IntArray, block_limits: IntArray, limit: int
    ) -> tuple[IntArray, IntArray]:
        """(query, row) pairs: the rows holding any of each query's keys, skipping keys held by
        more rows than their block limit (as batch blocking does); at most `limit` per query,
        those sharing the most keys first — a record agreeing on names, birth date and a
        document shares many keys, one found by a single coarse key few."""
        # searched in sorted order: each search starts where the last ended, touching the
        # memory-mapped keys in one sweep (a sixth of a 10 M-person registry's linking time
        # went to these searches in random order)
        order = np.argsort(hashes, kind="stable")
        starts = np.empty(len(hashes), dtype=np.int64)
        ends = np.empty(len(hashes), dtype=np.int64)
        starts[order] = np.searchsorted(self.key_hashes, hashes[order], side="left")
        ends[order] = np.searchsorted(self.key_hashes, hashes[order], side="right")
        usable = (ends - starts) <= block_limits
        starts, ends = starts[usable], ends[usable]
        rows = np.asarray(self.key_rows[_expand(starts, ends)], dtype=np.int64)
        queries = np.repeat(query_of_key[usable], ends - starts)
        size = max(len(self.records), 1)
        codes, shared = np.unique(queries * size + rows, return_counts=True)
        queries, rows = codes // size, codes % size
        order = np.lexsort((rows, -shared, queries))
        queries, rows = queries[order], rows[order]
        first: IntArray = np.flatnonzero(np.r_[True, queries[1:] != queries[:-1]])[: len(queries)]
        group_start = np.repeat(first, np.diff(np.r_[first, len(queries)]))
        keep = np.arange(len(queries)) - group_start < limit
        return queries[keep], rows[keep]

    def person_records(self, rows: IntArray) -> PersonRecords:
        taken = self.records.take(pa.array(rows, pa.int64()))
        return PersonRecords(taken.select(list(PERSON_FIELDS)))

    def person_ids(self, rows: IntArray) -> IntArray:
        taken = self.records.column("person_id").take(pa.array(rows, pa.int64()))
        return np.asarray(taken.to_numpy(), dtype=np.int64)
