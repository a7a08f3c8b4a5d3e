"""Resolve's lookups on Spark: records linked to persons by Spark tasks, the same links.

`resolve_registries` links records to persons batch by batch through a `BatchLinker`; this one
hands the batches to Spark. The person index and the model every batch is looked up with go to
the executors once, as a Spark broadcast: the index's records (an Arrow table), its sorted key
hashes and their rows, the key the hashes are keyed with, its counts, and the matcher's model
(resolve scores other registries with a learned link model, not the index's own). The records
to link go as one element per batch (its first position and its records as Arrow IPC), so each
task receives only its own batches. A task rebuilds the driver's `Matcher` from the broadcast
— the same index arrays, candidate limit and model, the prior set again from the same count
of persons — and runs resolve's own `link_batch` on each of its batches; each batch's best
rows, probabilities and blocking counts come back to the driver, which yields them in order.
Nothing is scored differently: the batches are those of the forked linker, cut at the same
positions, and each is linked by the same function over the same arrays.

Resolve cuts the batches (`resolve.BATCH` records) and each element holds one whole batch, so
a task links what it receives: a Spark Python worker is a separate interpreter that never sees
a value the driver set at run time (a test's smaller batches).

Memory: the driver copies the index once into the broadcast's bytes (Arrow IPC and raw
arrays, freed once sent); each executor's Python worker holds the broadcast, read in place, so
executors need one index per Python worker (`spark.executor.cores` of them), where the forked
linker shares one per machine. The batches resolve reads from its store as the forked linker
links them are all held on the driver here (`parallelize` takes a list), run as one Spark job
and collected (16 bytes a record) — iterating them would run one partition at a time — so
resolve's progress arrives at the end of the job. The broadcast holds
personal records and the index's hash key: a cluster must authenticate its members and
encrypt what they exchange (`spark.authenticate`, `spark.network.crypto.enabled`) and its
spills (`spark.io.encryption.enabled`, which `linkage.spark.local_spark` sets).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from pyspark import Broadcast
from pyspark.sql import SparkSession

from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import PersonRecords
from bonafide.persons.index import IndexMeta, PersonIndex, RowArray
from bonafide.persons.match import Matcher
from bonafide.persons.resolve import (
    BatchLinker,
    LinkedBatch,
    link_batch,
    placed,
    table_bytes,
)

__all__ = ["spark_linker"]

IntArray = npt.NDArray[np.int64]
HashArray = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class _Lookups:
    """What every task looks records up in: the driver's matcher, without its vault.

    Broadcast as bytes (`_shipped`): pyspark writes a broadcast to an encrypted stream that
    cannot take the out-of-band buffers numpy arrays and Arrow tables pickle into. The index's
    records and keys become Arrow IPC and raw arrays, which a task reads in place (no copy of
    the index per task); the model and counts are small and pickled."""

    records: pa.Table
    key_hashes: HashArray
    key_rows: RowArray
    hash_key: bytes
    meta: IndexMeta
    model: LinkageModel  # the matcher's, which may not be the index's own
    candidate_limit: int

    def shipped(self) -> _Shipped:
        small = pickle.dumps(
            (self.hash_key, self.meta, self.model, self.candidate_limit),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        hashes = np.ascontiguousarray(self.key_hashes, dtype=np.uint64).tobytes()
        rows = np.ascontiguousarray(self.key_rows, dtype=np.int64).tobytes()
        return table_bytes(self.records.combine_chunks()), hashes, rows, small

    @classmethod
    def received(cls, shipped: _Shipped) -> _Lookups:
        records, hashes, rows, small = shipped
        hash_key, meta, model, candidate_limit = pickle.loads(small)
        return cls(
            records=pa.ipc.open_stream(pa.py_buffer(records)).read_all(),
            key_hashes=np.frombuffer(hashes, dtype=np.uint64),
            key_rows=np.frombuffer(rows, dtype=np.int64),
            hash_key=hash_key,
            meta=meta,
            model=model,
            candidate_limit=candidate_limit,
        )


# the index's records (Arrow IPC), key hashes, key rows, and the rest pickled
_Shipped = tuple[bytes, bytes, bytes, bytes]


class _ShippedIndex(PersonIndex):
    """The person index as a task has it: shipped arrays, no generation or vault (a task could
    not open the vault; the hash key comes with the arrays instead)."""

    def __init__(self, lookups: _Lookups) -> None:
        # PersonIndex.__init__ reads the hash key from the generation's vault: not called
        self.records = lookups.records
        self.key_hashes = lookups.key_hashes
        self.key_rows = lookups.key_rows
        # a Matcher given a model never consults the index's own
        self.model = lookups.model
        self.meta = lookups.meta
        self.hash_key = lookups.hash_key


def spark_linker(spark: SparkSession, partitions: int | None = None) -> BatchLinker:
    """Batches linked by Spark tasks: `partitions` tasks (None: one per batch, so that Spark
    can balance them over its executors)."""

    def link(matcher: Matcher, batches: Iterable[PersonRecords]) -> Iterator[LinkedBatch]:
        return _linked_on_spark(spark, matcher, batches, partitions)

    return link


def _linked_on_spark(
    spark: SparkSession,
    matcher: Matcher,
    batches: Iterable[PersonRecords],
    partitions: int | None,
) -> Iterator[LinkedBatch]:
    # each batch as Arrow IPC with its first record's position in the run; on the driver
    # (parallelize takes a list)
    sent = [(start, table_bytes(batch.table)) for start, batch in placed(batches)]
    if not sent:
        return
    index = matcher.index
    context = spark.sparkContext
    shipped = context.broadcast(
        _Lookups(
            records=index.records,
            key_hashes=index.key_hashes,
            key_rows=index.key_rows,
            hash_key=index.hash_key,
            meta=index.meta,
            model=matcher.model,
            candidate_limit=matcher.candidate_limit,
        ).shipped()
    )
    try:
        tasks = min(partitions or len(sent), len(sent))
        # collected, not iterated: toLocalIterator would run one partition at a time
        linked = context.parallelize(sent, tasks).map(partial(_link_shipped, shipped)).collect()
    finally:
        shipped.destroy()
    # parallelize keeps the elements' order and collect returns it; sorted all the same, since
    # resolve places each batch by its start
    yield from sorted(linked, key=lambda batch: batch[0])


def _link_shipped(shipped: Broadcast[_Shipped], batch: tuple[int, bytes]) -> LinkedBatch:
    """A Spark task: one batch, linked as the driver's matcher would link it."""
    start, data = batch
    lookups = _Lookups.received(shipped.value)
    matcher = Matcher(_ShippedIndex(lookups), lookups.candidate_limit, lookups.model)
    records = PersonRecords(pa.ipc.open_stream(data).read_all())
    # the element holds one of the driver's batches: linked whole
    return (start, *link_batch(matcher, records))
