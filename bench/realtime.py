"""Real-time identity lookup (issue 4): bonafide's person index against Splink's predict_between.

    .venv/bin/python bench/run.py realtime 1000000 10000000

For each size (people): a population from population.py (seed 2027), resolved (time and peak
memory, in a fresh process; from 5 M people only the identity registry), then look up 300
identity records rewritten the way an applicant states them — passport Latin names (Cyrillic
with one typo where the record has no Latin form), ISO birth date, birth place, no document
numbers — one at a time through `Matcher.match`, warm (the index in memory once opened, as a
running desk keeps it, and the first 30 lookups untimed). Prints p50, p99
and the share whose best candidate is the record's own person. Splink's `predict_between` on the
same registry rows (bench/splink_realtime.py) gives the ratio, at up to SPLINK_ROWS rows:
training Splink on more does not fit this machine's time budget (see docs/benchmarks.md).
Target: p99 ≤ 20 ms against a 10 M-person store.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bonafide.persons.match import Matcher
from bonafide.registry import RegistryStore

HERE = Path(__file__).resolve().parent
QUERIES = 300
WARMUP = 30
SPLINK_ROWS = 1_000_000
IDENTITY_ONLY_FROM = 5_000_000

sys.path.insert(0, str(HERE))
from population import ALL_KINDS, SEED, prepare  # noqa: E402
from splink_realtime import percentile, perturbed_queries, splink_lookup_latencies  # noqa: E402
from vaults import bench_vault  # noqa: E402


def _typo(word: str, rng: random.Random) -> str:
    at = rng.randrange(len(word))
    return word[:at] + rng.choice("абвгдеклмнопрст") + word[at + 1 :]


def applicant_queries(identity: pa.Table, count: int) -> list[dict[str, str]]:
    rng = random.Random(SEED)
    rows = identity.take(sorted(rng.sample(range(identity.num_rows), count))).to_pylist()
    queries = []
    for r in rows:
        latin = bool(r["FAMILIYA_LAT"] and r["IMYA_LAT"])
        born = r["DATA_ROZHDENIYA"]
        day, month, year = born.split(".") if born else ("", "", "")
        queries.append(
            {
                "record_id": r["ID_ZAPISI"],
                "surname": r["FAMILIYA_LAT"] if latin else _typo(r["FAMILIYA"] or "x", rng),
                "given_name": r["IMYA_LAT"] if latin else r["IMYA"],
                "birth_date": f"{year}-{month}-{day}" if born else "",
                "birth_place": r["MESTO_ROZHDENIYA"],
                "sex": r["POL"],
            }
        )
    return queries


def own_person(store: Path, record_ids: list[str]) -> dict[str, set[int]]:
    """record id → the persons its records were resolved into (a record id may repeat)."""
    ids = pa.table({"record_id": record_ids})
    with (
        RegistryStore.open(bench_vault(store), read_only=True) as opened,
        opened.scanning("wanted", ids),
    ):
        rows = opened.execute(
            "bench own person",
            "SELECT r.record_id, l.person_id FROM registry_identity r "
            "JOIN person_links l ON l.record_key = r.record_key AND l.kind = 'identity' "
            "WHERE r.record_id IN (SELECT record_id FROM wanted)",
        )
    found: dict[str, set[int]] = {}
    for record, person in rows:
        found.setdefault(record, set()).add(int(person))
    return found


def lookups(store: Path, queries: list[dict[str, str]]) -> dict[str, float]:
    matcher = Matcher.open(bench_vault(store))
    expected = own_person(store, [q["record_id"] for q in queries])
    latencies, hits, known = [], 0, 0
    for number, query in enumerate(queries):
        fields = {k: v for k, v in query.items() if k != "record_id" and v}
        started = time.perf_counter()
        candidates = matcher.match(fields, limit=3)
        elapsed = (time.perf_counter() - started) * 1000
        if number < WARMUP:
            continue
        latencies.append(elapsed)
        own = expected.get(query["record_id"])  # None: the record was rejected at import
        if own is not None:
            known += 1
            hits += bool(candidates) and candidates[0].person_id in own
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": latencies[-1],
        "found": hits / max(known, 1),
    }


def main(sizes: list[int], work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    for people in sizes or [1_000_000]:
        # resolving every registry of 10 M people does not fit this machine's time (see
        # docs/benchmarks.md); the lookup reads only the person index, which identity makes
        kinds = ALL_KINDS if people < IDENTITY_ONLY_FROM else ("identity",)
        root, store, resolved = prepare(people, work, kinds)
        identity = pq.read_table(root / "registries" / "identity.parquet")
        print(
            f"people {people:,}: identity records {identity.num_rows:,}; resolve "
            f"{resolved['seconds']:.1f} s, peak {resolved['peak_mb']:,.0f} MB",
            flush=True,
        )
        ours = lookups(store, applicant_queries(identity, QUERIES))
        print(
            f"  bonafide match: p50 {ours['p50_ms']:.1f} ms, p99 {ours['p99_ms']:.1f} ms, "
            f"max {ours['max_ms']:.1f} ms; own person first {ours['found']:.3f} "
            f"({QUERIES - WARMUP} lookups)",
            flush=True,
        )
        rows = identity.slice(0, min(identity.num_rows, SPLINK_ROWS))
        peer = splink_lookup_latencies(rows, perturbed_queries(rows, 31), max_queries=30)
        print(
            f"  Splink predict_between on {rows.num_rows:,} rows: p50 {peer['p50_ms']:.0f} ms, "
            f"p99 {peer['p99_ms']:.0f} ms; ratio of p99s {peer['p99_ms'] / ours['p99_ms']:.0f}×",
            flush=True,
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]], Path("bench-data"))
