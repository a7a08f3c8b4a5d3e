"""Reports → events on a synthetic stream: adjusted Rand index against the truth, the floods,
and time — clustered in memory (`cluster`), and taken one by one into a channel's store as
intake and `reports ingest` take them.

    python bench/run.py reports 100000

Printed: ARI of both (target ≥ 0.95), the events that publish themselves (corroborated by
enough independent reports, not dominated by a burst) and among them any made only of flood
reports (target: none — a flood reaches the feed only through a reviewer), the share of true
events seen by at least three observers that publish themselves, and reports per second.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

from bonafide.reports.channel import Channel
from bonafide.reports.events import adjusted_rand_index, cluster, read_jsonl, resolve
from bonafide.reports.intake import parse_report
from bonafide.reports.scrub import coarsen
from bonafide.reports.synth import SynthStreamConfig, write_stream

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vaults import bench_vault


def _in_memory(records: list[dict[str, str]], truth: dict[str, str], size: int) -> None:
    started = time.perf_counter()
    points = resolve(records)
    resolved = time.perf_counter()
    events = cluster(points)
    done = time.perf_counter()
    found = {rid: event.event_id for event in events for rid in event.report_ids}
    print(
        f"reports events: {size:,} reports, {len(events):,} events "
        f"({len(set(truth.values())):,} true), ARI {adjusted_rand_index(truth, found):.4f}, "
        f"suspect {sum(e.suspect for e in events):,}, "
        f"{done - started:.1f} s (resolve {resolved - started:.1f} s, "
        f"cluster {done - resolved:.1f} s)",
        flush=True,
    )


def _in_store(
    records: list[dict[str, str]], rows: list[dict[str, str]], size: int, work: Path
) -> None:
    data_dir = work / f"reports-store-{size}"
    shutil.rmtree(data_dir, ignore_errors=True)
    channel = Channel(bench_vault(data_dir))
    started = time.perf_counter()
    for record in records:
        facts = parse_report(record, max_age=None)
        arrived = coarsen(dt.datetime.fromisoformat(facts["seen_at"]), 1)
        channel.take(facts, arrived, source_id=record["report_id"])
    seconds = time.perf_counter() - started
    found = {source: str(number) for source, number in channel.membership()}
    published = {str(state.number) for state in channel.published()}
    channel.close()
    truth = {row["report_id"]: row["event_id"] for row in rows}
    genuine = {row["report_id"]: row["genuine"] == "1" for row in rows}
    members: dict[str, list[str]] = defaultdict(list)
    for report_id, number in found.items():
        members[number].append(report_id)
    flood_only = {n for n, ids in members.items() if not any(genuine[i] for i in ids)}
    observed: dict[str, set[str]] = defaultdict(set)
    for report_id, event_id in truth.items():
        if genuine[report_id]:
            observed[event_id].add(report_id)
    seen_thrice = [ids for ids in observed.values() if len(ids) >= 3]
    reached = sum(any(found[i] in published for i in ids) for ids in seen_thrice)
    print(
        f"reports in the store: {size:,} reports in {seconds:.1f} s ({size / seconds:,.0f}/s), "
        f"ARI {adjusted_rand_index(truth, found):.4f}; {len(published):,} events published "
        f"themselves, {len(published & flood_only)} of them flood-only "
        f"({len(flood_only):,} flood-only events); true events reported by ≥ 3 reports "
        f"published without a reviewer: {reached / max(len(seen_thrice), 1):.1%}",
        flush=True,
    )


def run(size: int, work: Path, seed: int = 1) -> None:
    out = work / f"reports-{size}-{seed}"
    if not (out / "reports.jsonl").exists():
        write_stream(SynthStreamConfig(reports=size, seed=seed), out)
    records = read_jsonl(out / "reports.jsonl")
    with (out / "truth" / "reports.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    truth = {row["report_id"]: row["event_id"] for row in rows}
    _in_memory(records, truth, size)
    _in_store(records, rows, size, work)


def main(sizes: list[int], work: Path) -> None:
    for size in sizes:
        run(size, work)


if __name__ == "__main__":
    main([100_000], Path("bench-data"))
