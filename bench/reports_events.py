"""Reports → events on a synthetic stream: adjusted Rand index against the truth, and time."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from bonafide.reports.events import adjusted_rand_index, cluster, read_jsonl, resolve
from bonafide.reports.synth import SynthStreamConfig, write_stream


def run(size: int, work: Path, seed: int = 1) -> None:
    out = work / f"reports-{size}-{seed}"
    if not (out / "reports.jsonl").exists():
        write_stream(SynthStreamConfig(reports=size, seed=seed), out)
    records = read_jsonl(out / "reports.jsonl")
    started = time.perf_counter()
    points = resolve(records)
    resolved = time.perf_counter()
    events = cluster(points)
    done = time.perf_counter()
    with (out / "truth" / "reports.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    truth = {row["report_id"]: row["event_id"] for row in rows}
    found = {rid: event.event_id for event in events for rid in event.report_ids}
    print(
        f"reports events: {size:,} reports, {len(events):,} events "
        f"({len(set(truth.values())):,} true), ARI {adjusted_rand_index(truth, found):.4f}, "
        f"suspect {sum(e.suspect for e in events):,}, "
        f"{done - started:.1f} s (resolve {resolved - started:.1f} s, "
        f"cluster {done - resolved:.1f} s)",
        flush=True,
    )


def main(sizes: list[int], work: Path) -> None:
    for size in sizes:
        run(size, work)


if __name__ == "__main__":
    main([100_000], Path("bench-data"))
