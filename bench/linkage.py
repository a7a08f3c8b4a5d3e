"""Benchmark of identity linkage on FEBRL4 (issue 4): bonafide and Splink in the same run.

Four runs, as issue 4 names them: all fields; names and address only; both again with side B's
names, street and suburb in Cyrillic. F1 at match probability ≥ 0.5 against the 5,000 true
links (bonafide links one-to-one; Splink's pairs are taken as it scores them).
Targets: all fields F1 ≥ 0.999 and not below Splink; names and address ≥ 0.985; Cyrillic
side B ≥ 0.98.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow as pa

import splink_febrl4
from bonafide.linkage import link_records, load_link_mapping
from bonafide.linkage.records import from_table
from febrl4_data import febrl4, true_links

HERE = Path(__file__).resolve().parent
RUNS = (
    ("all-fields", splink_febrl4.ALL_FIELDS),
    ("names-address", splink_febrl4.NAMES_ADDRESS),
)


def bonafide_run(mapping_name: str, cyrillic: bool) -> dict[str, float]:
    started = time.perf_counter()
    left, right = febrl4(cyrillic=cyrillic)
    mapping = load_link_mapping(HERE / "febrl4" / f"{mapping_name}.toml")
    result = link_records(
        from_table(pa.Table.from_pandas(left, preserve_index=False), mapping),
        from_table(pa.Table.from_pandas(right, preserve_index=False), mapping),
    )
    found = set(zip(result.left_ids, result.right_ids, strict=True))
    truth = true_links()
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    seconds = time.perf_counter() - started
    return {"precision": precision, "recall": recall, "f1": f1, "seconds": seconds}


def main(sizes: list[int], work: Path) -> None:
    del sizes, work
    print(f"{'run':<48} {'precision':>9} {'recall':>7} {'F1':>7} {'seconds':>8}")
    for mapping_name, splink_fields in RUNS:
        for cyrillic in (False, True):
            label = f"{mapping_name}{', side B Cyrillic' if cyrillic else ''}"
            for who, result in (
                ("bonafide", bonafide_run(mapping_name, cyrillic)),
                ("Splink", splink_febrl4.run(splink_fields, cyrillic)),
            ):
                print(
                    f"{who + ', ' + label:<48} {result['precision']:>9.4f} "
                    f"{result['recall']:>7.4f} {result['f1']:>7.4f} {result['seconds']:>8.1f}",
                    flush=True,
                )
