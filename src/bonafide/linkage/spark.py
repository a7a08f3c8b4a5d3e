"""The batch link on Spark: the same model, blocking and comparisons, distributed by Spark.

Spark does the distribution; bonafide's own code runs inside Spark tasks. The records become a
DataFrame with a global row number and a side; each partition's blocking keys are computed by
`Features.build` and `BLOCKING_KEYS` in a `mapInArrow` task; the key join, the skipping of a key
value held on one side by more records than its key's block limit, and the de-duplication of
pairs are Spark SQL; the pairs, joined with both records' fields, are compared and scored in
`mapInArrow` tasks (`comparison_levels`, `term_frequency_adjustments` with the model's saved
term frequencies, `LinkageModel.score`). Only the pairs at or above the threshold come back to
the driver, which applies link.py's greedy one-to-one assignment. The model is given: estimation
stays on one machine (`link_records`), since EM needs only a sample of pairs.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa
from pyspark.errors import PySparkException
from pyspark.sql import DataFrame, SparkSession

from bonafide.errors import BonafideError
from bonafide.linkage.blocking import BLOCKING_KEYS, block_limit, coarse_keys, coarse_rule
from bonafide.linkage.comparisons import (
    Features,
    comparison_levels,
    term_frequency_adjustments,
)
from bonafide.linkage.link import LinkResult, _one_to_one, comparisons_of
from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import PERSON_FIELDS, PersonRecords

__all__ = ["link_on_spark", "local_spark"]

log = logging.getLogger(__name__)

KEY_SCHEMA = (
    "row long, right_side boolean, rule int, key string, block_limit int, "
    "coarse_rule int, coarse_key string"
)
SCORE_SCHEMA = "left_row long, right_row long, probability double"
ArrowTask = Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]

_QUIET_LOGS = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.shell.name = org.apache.spark.repl.Main
logger.shell.level = error
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
"""


@cache
def _spill_directory() -> Path:
    """One directory for the spills of every Spark session of this process, removed when it
    exits. The JVM outlives a session and keeps the directories its first session was given
    for every later one (it would make a removed one again), so each session cannot have its
    own."""
    made = Path(tempfile.mkdtemp(prefix="bonafide-spark-spills-"))
    atexit.register(shutil.rmtree, made, ignore_errors=True)
    return made


@contextmanager
def local_spark(shuffle_partitions: int = 4) -> Iterator[SparkSession]:
    """A local SparkSession on every core (`local[*]`), quiet, without UI, stopped on exit.

    Its Python workers run this interpreter, so they import this bonafide; its own files go to
    a temporary directory removed afterwards, its spills (encrypted) to one the process removes
    when it exits (`_spill_directory`). Without Java, a BonafideError says what to install.
    A session already active in this thread is used as it is, and left running.
    """
    active = SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    scratch = Path(tempfile.mkdtemp(prefix="bonafide-spark-"))
    (scratch / "log4j2.properties").write_text(_QUIET_LOGS, encoding="utf-8")
    builder = (
        SparkSession.builder.master("local[*]")
        .appName("bonafide")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(shuffle_partitions))
        .config("spark.local.dir", str(_spill_directory()))
        # shuffle and spill files encrypted (AES, a key per application held in memory)
        .config("spark.io.encryption.enabled", "true")
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .config(
            "spark.driver.extraJavaOptions",
            # the quick JIT and the serial collector: a short job on a few cores starts in
            # half the time, and the heavy work runs in Python tasks anyway
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC "
            f"-Dlog4j2.configurationFile=file:{scratch / 'log4j2.properties'}",
        )
    )
    # Python workers run this interpreter (SparkContext reads PYSPARK_PYTHON once, at start)
    worker_python = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    try:
        spark = builder.getOrCreate()
    except (PySparkException, OSError) as error:
        shutil.rmtree(scratch, ignore_errors=True)
        raise BonafideError(
            f"cannot start Spark: {error}",
            hint="Spark needs Java 17: run `make system-deps` (Debian's openjdk-17-jre-headless) "
            "or set JAVA_HOME to a Java 17 installation",
        ) from None
    finally:
        if worker_python is None:
            del os.environ["PYSPARK_PYTHON"]
        else:
            os.environ["PYSPARK_PYTHON"] = worker_python
    spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        spark.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def _records(batch: pa.RecordBatch, prefix: str = "") -> PersonRecords:
    return PersonRecords(
        pa.table({f: batch.column(f"{prefix}{f}").cast(pa.string()) for f in PERSON_FIELDS})
    )


def _blocking_keys(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """A Spark task: (row, side, rule, key, block limit) for each key of each record."""
    for batch in batches:
        if batch.num_rows == 0:
            continue
        features = Features.build(_records(batch))
        rows = batch.column("row").to_numpy()
        sides = batch.column("right_side").to_numpy(zero_copy_only=False)
        for number, (name, make_key) in enumerate(BLOCKING_KEYS.items()):
            values = make_key(features)
            present = np.flatnonzero(np.array([v is not None for v in values], dtype=bool))
            keys = pa.array(values[present], pa.string())
            yield pa.RecordBatch.from_pydict(
                {
                    "row": pa.array(rows[present], pa.int64()),
                    "right_side": pa.array(sides[present], pa.bool_()),
                    "rule": pa.array(np.full(len(present), number, dtype=np.int32)),
                    "key": keys,
                    "block_limit": pa.array(np.full(len(present), block_limit(name), np.int32)),
                    "coarse_rule": pa.array(np.full(len(present), coarse_rule(name), np.int32)),
                    "coarse_key": coarse_keys(name, keys),
                }
            )


def _scorer(model: LinkageModel, threshold: float) -> ArrowTask:
    """A Spark task: the pairs of each batch compared and scored; those ≥ threshold kept."""

    def score(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        comparisons = comparisons_of(model)
        u_top = {name: model.u[name][0] for name in model.comparisons}
        for batch in batches:
            pairs = batch.num_rows
            if pairs == 0:
                continue
            left_rows = batch.column("left_row").to_numpy()
            right_rows = batch.column("right_row").to_numpy()
            # each distinct record of the batch is built once, however many pairs it is in
            both = pa.concat_tables(
                [_records(batch, "l_").table, _records(batch, "r_").table]
            ).combine_chunks()
            _, first, inverse = np.unique(
                np.concatenate([left_rows, right_rows]), return_index=True, return_inverse=True
            )
            features = Features.build(PersonRecords(both.take(pa.array(first))))
            left, right = inverse[:pairs].astype(np.int64), inverse[pairs:].astype(np.int64)
            levels = comparison_levels(comparisons, features, left, right)
            adjustments = term_frequency_adjustments(
                comparisons, features, levels, left, u_top, model.term_frequencies
            )
            probability = model.score(levels, adjustments).probability
            keep = np.flatnonzero(probability >= threshold)
            yield pa.RecordBatch.from_pydict(
                {
                    "left_row": pa.array(left_rows[keep], pa.int64()),
                    "right_row": pa.array(right_rows[keep], pa.int64()),
                    "probability": pa.array(probability[keep], pa.float64()),
                }
            )

    return score


def _candidate_pairs(spark: SparkSession, keyed: DataFrame, dedupe: bool) -> DataFrame:
    """Spark SQL of what blocking.py does: a key value held by more records on one side than
    its key's block limit is skipped, its refinement used instead; each pair once."""
    condition = "l.row < r.row" if dedupe else "NOT l.right_side AND r.right_side"
    return spark.sql(
        f"""
        WITH common AS (
            SELECT DISTINCT rule, key FROM {{keyed}} GROUP BY rule, key, right_side
            HAVING count(*) > max(block_limit)
        ),
        reached AS (
            SELECT * FROM {{keyed}} WHERE coarse_rule < 0
            UNION ALL
            SELECT k.* FROM {{keyed}} k
            LEFT SEMI JOIN common c ON k.coarse_rule = c.rule AND k.coarse_key = c.key
        ),
        usable AS (
            SELECT k.* FROM reached k LEFT ANTI JOIN common c ON k.rule = c.rule AND k.key = c.key
        )
        SELECT DISTINCT l.row AS left_row, r.row AS right_row
        FROM usable l JOIN usable r ON l.rule = r.rule AND l.key = r.key AND {condition}
        """,
        keyed=keyed,
    )


def link_on_spark(
    spark: SparkSession,
    left: PersonRecords,
    right: PersonRecords | None,
    model: LinkageModel,
    threshold: float = 0.5,
    one_to_one: bool = True,
) -> LinkResult:
    """`link_records` with a given model, run on Spark; the same links. Without `right`,
    deduplicates `left`."""
    dedupe = right is None
    stacked = left if right is None else PersonRecords(pa.concat_tables([left.table, right.table]))
    total = len(stacked)
    table = stacked.table.select(list(PERSON_FIELDS)).append_column(
        "row", pa.array(np.arange(total, dtype=np.int64))
    )
    table = table.append_column("right_side", pa.array(np.arange(total) >= len(left)))
    records = spark.createDataFrame(table)
    # Checkpointed, not cached: Spark SQL over a cached DataFrame may plan the Python task again
    # for every reference to it; a local checkpoint is computed once and read thereafter (its
    # blocks go when Spark's cleaner finds the DataFrames unreferenced).
    keyed = records.mapInArrow(_blocking_keys, KEY_SCHEMA).localCheckpoint()
    pairs = _candidate_pairs(spark, keyed, dedupe).localCheckpoint()
    candidates = pairs.count()
    log.info("spark linkage candidates=%d", candidates)

    def side(name: str) -> DataFrame:  # "left" → left_row, l_surname, …
        return records.select(
            records["row"].alias(f"{name}_row"),
            *(records[f].alias(f"{name[0]}_{f}") for f in PERSON_FIELDS),
        )

    joined = pairs.join(side("left"), "left_row").join(side("right"), "right_row")
    kept = joined.mapInArrow(_scorer(model, threshold), SCORE_SCHEMA).toArrow()

    pair_left = kept.column("left_row").to_numpy()
    pair_right = kept.column("right_row").to_numpy()
    probability = kept.column("probability").to_numpy().astype(np.float64)
    order = np.lexsort((pair_right, pair_left))  # link_records' order: by left row, then right
    pair_left, pair_right, probability = pair_left[order], pair_right[order], probability[order]
    if one_to_one and not dedupe:
        chosen = _one_to_one(pair_left, pair_right, probability)
        pair_left, pair_right = pair_left[chosen], pair_right[chosen]
        probability = probability[chosen]
    ids = stacked.ids
    return LinkResult(
        left_ids=[ids[i] for i in pair_left],
        right_ids=[ids[i] for i in pair_right],
        probability=probability,
        model=model,
        candidates=candidates,
    )
