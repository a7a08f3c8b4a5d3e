"""Batch deduplication of a synthetic identity registry (issue 4): time, memory, accuracy.

    .venv/bin/python bench/dedupe.py 100000

Generates a population (seed 2026) until its identity registry has the asked number of records,
deduplicates the first N with `link_records(records, None)` and compares the pairs with the
ground truth (records of one person); then Splink deduplicates the same rows in the same run
(`splink_dedupe.py`, in its own process through `measure.py`). Target: 1 M records in ≤ 50 s
and ≤ 1.5 GB.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

import pyarrow.parquet as pq

from bonafide.linkage import link_records
from bonafide.linkage.records import LinkMapping, from_table
from bonafide.synth import SynthConfig, synthesise

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from foundation import measure  # noqa: E402

MAPPING = LinkMapping(
    columns={
        "record_id": "ID_ZAPISI",
        "surname": "FAMILIYA",
        "given_name": "IMYA",
        "patronymic": "OTCHESTVO",
        "birth_date": "DATA_ROZHDENIYA",
        "personal_number": "LICH_NOMER",
        "passport_number": "NOMER_PASPORTA",
        "settlement": "MESTO_ROZHDENIYA",
        "sex": "POL",
    },
    date_formats={"birth_date": "%d.%m.%Y"},
)


def main(records: int, work: Path) -> None:
    root = work / f"dedupe-{records}"
    if not (root / "registries" / "identity.parquet").exists():
        shutil.rmtree(root, ignore_errors=True)
        synthesise(SynthConfig(people=int(records * 0.9) + 1000, seed=2026), root)
    columns = sorted(set(MAPPING.columns.values()))  # what the mapping reads, as the CLI does
    table = pq.read_table(root / "registries" / "identity.parquet", columns=columns)
    table = table.slice(0, records)
    truth = pq.read_table(root / "truth" / "identity.parquet").slice(0, records)
    started = time.perf_counter()
    person_records = from_table(table, MAPPING)
    del table
    result = link_records(person_records, None)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    person = dict(
        zip(
            truth.column("record_id").to_pylist(),
            truth.column("person_id").to_pylist(),
            strict=True,
        )
    )
    found = {tuple(sorted(p)) for p in zip(result.left_ids, result.right_ids, strict=True)}
    by_person: dict[int, list[str]] = {}
    for record, who in person.items():
        by_person.setdefault(who, []).append(record)
    true_pairs = {
        tuple(sorted(p)) for ids in by_person.values() for p in combinations(sorted(set(ids)), 2)
    }
    hits = len(found & true_pairs)
    print(f"records {records:,}; candidates {result.candidates:,}; pairs found {len(found):,}")
    print(f"seconds {seconds:.1f}; peak MB {peak:,.0f}")
    print(
        f"precision {hits / max(len(found), 1):.4f}; recall {hits / max(len(true_pairs), 1):.4f} "
        f"(true pairs {len(true_pairs):,})"
    )
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "splink.json"
        run = measure(
            sys.executable, str(HERE / "splink_dedupe.py"), str(root), str(records), str(out)
        )
        splink = json.loads(out.read_text(encoding="utf-8"))
    print(
        f"Splink, the same rows: seconds {splink['seconds']:.1f} (process {run['seconds']:.1f}); "
        f"peak MB {run['peak_mb']:,.0f}; precision {splink['precision']:.4f}; "
        f"recall {splink['recall']:.4f}"
    )
    print(
        f"ratios (Splink / bonafide): time {splink['seconds'] / seconds:.1f}×, "
        f"peak {run['peak_mb'] / peak:.1f}×"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, Path("bench-data"))
