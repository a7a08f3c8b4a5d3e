"""Splink 5 real-time lookup against the identity registry: the peer latency figures.

    .venv/bin/python bench/splink_realtime.py PATH/identity.parquet N

Loads the first N rows of a bonafide identity registry, trains a Splink model on them once
(FEBRL4-style settings, DuckDB backend), then looks up 30 of the rows, each with one typo in
the surname, one at a time with `linker.inference.predict_between(query, registry)` — the
Splink 5 replacement for `find_matches_to_new_records`. Each call is timed on its own, warm
(one call before the timed ones is discarded), and the latencies are printed.

What a timed call covers: registering the one-row query with Splink's DuckDB connection,
`predict_between` (blocking the query against the registry, joining the registered
term-frequency tables to both sides, scoring) and fetching every scored pair. Outside the
timing, once: loading the registry into a DuckDB table, training, computing the
term-frequency tables.

Splink quirks met on the way (Splink 5.0.0, DuckDB 2.0):
- `predict_between` takes `SplinkDataFrame`s, i.e. tables registered with `db_api.register`;
  a table name may be registered only once per `DuckDBAPI`, so each query gets its own name.
- it needs term-frequency tables registered (`compute_tf_table`) for every column with
  term-frequency adjustments; hardcoded `tf_*` columns on the supplied records fail.
- a result left unfetched on Splink's connection makes the next query fail: fetch it all.
- unsampled EM (`max_pairs=None`, the default) on 1 M rows blocked on birth date takes minutes
  and > 6 GB, so EM is capped at `EM_MAX_PAIRS` blocked pairs per session.
- the registry's `ID_ZAPISI` is not unique (a person's record may repeat), so Splink's
  unique id is the row number and `ID_ZAPISI` rides along as `record_id`.
"""

from __future__ import annotations

import logging
import random
import statistics
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.splink_dataframe import SplinkDataFrame

NEUTRAL_NAMES = {
    "ID_ZAPISI": "record_id",
    "LICH_NOMER": "personal_number",
    "NOMER_PASPORTA": "passport",
    "FAMILIYA": "surname",
    "IMYA": "given_name",
    "OTCHESTVO": "patronymic",
    "DATA_ROZHDENIYA": "birth_date",
    "MESTO_ROZHDENIYA": "birth_place",
    "POL": "sex",
}
TF_COLUMNS = ("given_name", "surname", "birth_place")
QUERY_ID_OFFSET = 10**12
EM_MAX_PAIRS = 2e6  # unsampled EM on 1 M rows takes ~7 min and > 6 GB
CYRILLIC = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЫЬЭЮЯІЎ"


def neutral(table: pa.Table, first_id: int = 0) -> pa.Table:
    """Renamed columns, birth date parsed ('dd.mm.yyyy'), birth year, a row-number unique id."""
    birth = pc.cast(
        pc.strptime(table["DATA_ROZHDENIYA"], format="%d.%m.%Y", unit="s", error_is_null=True),
        pa.date32(),
    )
    columns = {"unique_id": pa.array(range(first_id, first_id + table.num_rows), pa.int64())}
    for raw, name in NEUTRAL_NAMES.items():
        columns[name] = birth if raw == "DATA_ROZHDENIYA" else table[raw].cast(pa.string())
    columns["birth_year"] = pc.year(birth)
    return pa.table(columns)


def settings() -> SettingsCreator:
    return SettingsCreator(
        unique_id_column_name="unique_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("surname", "birth_year"),
            block_on("given_name", "birth_date"),
            block_on("personal_number"),
            block_on("passport"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("patronymic", [1, 2]),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("personal_number"),
            cl.ExactMatch("passport"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
            cl.ExactMatch("sex"),
        ],
        additional_columns_to_retain=["record_id"],
    )


def trained_linker(identity: pa.Table) -> tuple[DuckDBAPI, Linker, SplinkDataFrame]:
    """Registry loaded into a DuckDB table on Splink's connection, model trained, tf tables."""
    db_api = DuckDBAPI()
    con = db_api.duckdb_con
    con.register("identity_arrow", neutral(identity))
    con.execute("CREATE TABLE identity_records AS SELECT * FROM identity_arrow")
    con.unregister("identity_arrow")
    registry = db_api.register("identity_records", table_name="identity")
    linker = Linker(registry, settings(), log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("personal_number"), block_on("passport")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in (block_on("birth_date"), block_on("surname", "given_name")):
        training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS
        )
    for column in TF_COLUMNS:
        linker.table_management.compute_tf_table(column)
    return db_api, linker, registry


def splink_lookup_latencies(
    identity: pa.Table, queries: pa.Table, max_queries: int = 30
) -> dict[str, float]:
    """Per-query latency of Splink's real-time lookup (`predict_between`) over `identity`.

    Both tables carry the registry's columns (ID_ZAPISI, LICH_NOMER, ..., POL). The model is
    trained on `identity` once, untimed; then each of the first `max_queries` queries is looked
    up on its own — registered as a one-row table, `predict_between(query, identity)`, every
    scored pair fetched — and timed. One extra call first warms up and is discarded.
    """
    db_api, linker, registry = trained_linker(identity)
    con = db_api.duckdb_con
    prepared = neutral(queries.slice(0, max_queries), first_id=QUERY_ID_OFFSET)
    if prepared.num_rows == 0:
        raise ValueError("no queries")

    def lookup(name: str, row: pa.Table) -> float:
        started = time.perf_counter()
        query = db_api.register(row, table_name=name)
        predictions = linker.inference.predict_between(query, registry, warning_mode="never")
        predictions.as_pyarrow_table()
        elapsed = time.perf_counter() - started
        predictions.drop_table_from_database_and_remove_from_cache()
        con.unregister(name)
        return elapsed * 1000.0

    lookup("query_warmup", prepared.slice(0, 1))
    latencies = sorted(lookup(f"query_{i}", prepared.slice(i, 1)) for i in range(prepared.num_rows))
    return {
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 0.99),
        "mean_ms": statistics.fmean(latencies),
        "queries": float(len(latencies)),
        "rows": float(identity.num_rows),
    }


def percentile(ordered: list[float], q: float) -> float:
    """Linear-interpolation percentile of an ascending list."""
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def typo(word: str, rng: random.Random) -> str:
    """One letter of `word` replaced by another Cyrillic letter."""
    if not word:
        return word
    at = rng.randrange(len(word))
    letter = rng.choice([c for c in CYRILLIC if c != word[at]])
    return word[:at] + letter + word[at + 1 :]


def perturbed_queries(identity: pa.Table, count: int, seed: int = 7) -> pa.Table:
    """`count` registry rows picked at random, each with one typo in the surname."""
    rng = random.Random(seed)
    picked = identity.take(sorted(rng.sample(range(identity.num_rows), count)))
    surnames = [typo(s or "", rng) for s in picked["FAMILIYA"].to_pylist()]
    at = picked.schema.get_field_index("FAMILIYA")
    return picked.set_column(at, "FAMILIYA", pa.array(surnames, pa.string()))


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: splink_realtime.py PATH/identity.parquet N")
    path, wanted = sys.argv[1], int(sys.argv[2])
    columns = list(NEUTRAL_NAMES)
    parquet = pq.ParquetFile(path)
    batches, loaded = [], 0
    for batch in parquet.iter_batches(batch_size=65_536, columns=columns):
        batches.append(batch.slice(0, wanted - loaded))
        loaded += batches[-1].num_rows
        if loaded >= wanted:
            break
    identity = pa.Table.from_batches(
        batches, schema=pa.schema([parquet.schema_arrow.field(c) for c in columns])
    )
    queries = perturbed_queries(identity, min(30, identity.num_rows))
    started = time.perf_counter()
    result = splink_lookup_latencies(identity, queries, max_queries=30)
    print(
        f"Splink {_splink_version()} predict_between, {int(result['rows']):,} rows, "
        f"{int(result['queries'])} queries: p50 {result['p50_ms']:.1f} ms, "
        f"p99 {result['p99_ms']:.1f} ms, mean {result['mean_ms']:.1f} ms "
        f"(whole run {time.perf_counter() - started:.0f} s)"
    )


def _splink_version() -> str:
    import splink

    return splink.__version__


if __name__ == "__main__":
    main()
