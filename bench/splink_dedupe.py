"""Splink 5 deduplicating the identity registry: the peer's time, memory and accuracy.

    .venv/bin/python bench/splink_dedupe.py bench-data/dedupe-1000000 1000000 [OUT.json]

The first N rows of the population's identity registry (the rows `bench/dedupe.py` deduplicates),
with the FEBRL4-style settings and training of `splink_realtime.py` (DuckDB backend; EM capped
at its `EM_MAX_PAIRS` blocked pairs a session), then `linker.inference.predict` at probability
0.5 and every pair fetched. Prints one JSON line: seconds (training and prediction, after the
rows are read), pairs found, precision and recall against the ground truth (two records of one
person), counted as `bench/dedupe.py` counts them; into OUT.json too when given (`measure.py`,
which takes its peak, silences its output).
"""

from __future__ import annotations

import json
import sys
import time
from itertools import combinations
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splink_realtime import NEUTRAL_NAMES, trained_linker


def main(root: Path, records: int, out: Path | None) -> None:
    identity = pq.read_table(
        root / "registries" / "identity.parquet", columns=list(NEUTRAL_NAMES)
    ).slice(0, records)
    truth = pq.read_table(root / "truth" / "identity.parquet").slice(0, records)
    started = time.perf_counter()
    _, linker, _ = trained_linker(identity)
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pyarrow_table()
    seconds = time.perf_counter() - started
    record_ids = identity.column("ID_ZAPISI").to_pylist()
    found = {
        tuple(sorted((record_ids[left], record_ids[right])))
        for left, right in zip(
            predictions.column("unique_id_l").to_pylist(),
            predictions.column("unique_id_r").to_pylist(),
            strict=True,
        )
        if record_ids[left] != record_ids[right]
    }
    by_person: dict[int, set[str]] = {}
    for record, who in zip(
        truth.column("record_id").to_pylist(), truth.column("person_id").to_pylist(), strict=True
    ):
        by_person.setdefault(who, set()).add(record)
    true_pairs = {p for ids in by_person.values() for p in combinations(sorted(ids), 2)}
    hits = len(found & true_pairs)
    figures = json.dumps(
        {
            "seconds": round(seconds, 1),
            "pairs": len(found),
            "precision": round(hits / max(len(found), 1), 4),
            "recall": round(hits / max(len(true_pairs), 1), 4),
        }
    )
    print(figures)
    if out is not None:
        out.write_text(figures, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None)
