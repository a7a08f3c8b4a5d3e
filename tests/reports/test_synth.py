"""The synthetic report stream: deterministic, complete truth, honest events and floods."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bonafide.cli import app
from bonafide.reports.model import Category, Direction
from bonafide.reports.synth import (
    EventKind,
    SynthReport,
    SynthStream,
    SynthStreamConfig,
    generate_stream,
    load_places,
    write_stream,
)

API_KEYS = {"category", "place", "seen_at", "count", "direction", "text", "photo"}


@pytest.fixture(scope="module")
def stream() -> SynthStream:
    return generate_stream(SynthStreamConfig(reports=5_000, seed=11))


def _by_event(stream: SynthStream) -> dict[str, list[SynthReport]]:
    groups: dict[str, list[SynthReport]] = defaultdict(list)
    for report in stream.reports:
        groups[report.event_id].append(report)
    return groups


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_stream(tmp_path: Path) -> None:
    write_stream(SynthStreamConfig(reports=1_500, seed=4), tmp_path / "a")
    write_stream(SynthStreamConfig(reports=1_500, seed=4), tmp_path / "b")
    write_stream(SynthStreamConfig(reports=1_500, seed=5), tmp_path / "c")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    a = (tmp_path / "a" / "reports.jsonl").read_bytes()
    assert a != (tmp_path / "c" / "reports.jsonl").read_bytes()


def test_files_columns_and_a_truth_row_for_every_report(tmp_path: Path) -> None:
    summary = write_stream(SynthStreamConfig(reports=2_000, seed=3), tmp_path)
    lines = (tmp_path / "reports.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == summary.reports == 2_000
    records = [json.loads(line) for line in lines]
    with (tmp_path / "truth" / "reports.csv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["report_id", "event_id", "genuine"]
        truth = list(reader)
    assert [r["report_id"] for r in records] == [t["report_id"] for t in truth]
    assert len({r["report_id"] for r in records}) == len(records)
    with (tmp_path / "truth" / "events.csv").open(encoding="utf-8") as f:
        events = {row["event_id"]: row for row in csv.DictReader(f)}
    for record, row in zip(records, truth, strict=True):
        assert set(record) - {"report_id"} <= API_KEYS
        assert {"category", "place", "seen_at"} <= set(record)
        assert record["category"] in {c.value for c in Category}
        assert record.get("direction", "unknown") in {d.value for d in Direction}
        datetime.fromisoformat(record["seen_at"])
        assert row["genuine"] in {"0", "1"}
        assert events[row["event_id"]]["genuine"] == row["genuine"]
    assert {t["genuine"] for t in truth} == {"0", "1"}


def test_places_table_is_consistent() -> None:
    places = load_places()
    assert len(places.settlements) >= 50
    assert {"M1", "M2", "M3", "M5", "M6", "M8"} <= set(places.roads)
    assert places.roads["M1"][0] == "brest"
    assert places.roads["M1"][-1] == "orsha"
    barysau = places.settlements["barysau"]
    assert (barysau.be, barysau.ru) == ("Барысаў", "Борисов")
    assert "Borisov" in barysau.spellings


def test_honest_events_are_seen_by_one_to_eight_along_their_route(stream: SynthStream) -> None:
    events = {e.event_id: e for e in stream.events}
    places = load_places()
    honest = [e for e in stream.events if e.genuine]
    assert len(honest) > 300
    groups = _by_event(stream)
    spread_in_time = spread_in_place = 0
    for event in honest:
        reports = groups[event.event_id]
        observers = {r.observer for r in reports}
        assert 1 <= len(observers) <= 8
        assert len(reports) <= 2 * len(observers)  # each observer at most once again
        for r in reports:
            assert r.settlement in event.route
            assert event.start <= r.true_time <= event.end
            assert r.sent_at > r.true_time
            seen = datetime.fromisoformat(r.report.seen_at)
            assert abs(seen - r.true_time) < timedelta(hours=2)
        if len({r.true_time for r in reports}) > 1:
            spread_in_time += 1
        if len({r.settlement for r in reports}) > 1:
            spread_in_place += 1
        if event.kind in (EventKind.CONVOY, EventKind.TRAIN):
            assert len(event.route) >= 2
            line = places.roads.get(event.road or "") or places.rails[event.road or ""]
            assert " ".join(event.route) in " ".join(line) + " " + " ".join(reversed(line))
            # later along the route, later in time
            order = sorted(reports, key=lambda r: event.route.index(r.settlement))
            times = [r.true_time for r in order]
            assert times == sorted(times)
    assert spread_in_time > len(honest) / 3
    assert spread_in_place > len(honest) / 5
    assert any(r.duplicate for r in stream.reports)
    assert set(events) == set(groups)


def test_floods_are_bursts_at_one_place(stream: SynthStream) -> None:
    groups = _by_event(stream)
    floods = [e for e in stream.events if not e.genuine]
    assert floods
    flood_reports = sum(len(groups[e.event_id]) for e in floods)
    assert 0.1 < flood_reports / len(stream.reports) < 0.3
    for event in floods:
        reports = groups[event.event_id]
        assert 20 <= len(reports) <= 200
        assert len({r.settlement for r in reports}) == 1
        assert len({r.report.place.lower() for r in reports}) == 1
        sent = [r.sent_at for r in reports]
        assert max(sent) - min(sent) <= timedelta(minutes=20)
        assert len({r.report.category for r in reports}) == 1
        counts = [r.report.count or 0 for r in reports]
        assert max(counts) - min(counts) <= 10
        texts = {(r.report.text or "").lower().rstrip("!") for r in reports}
        assert len(texts) <= 2


def test_places_are_written_in_many_ways(stream: SynthStream) -> None:
    places = [r.report.place for r in stream.reports if r.genuine]
    assert any(p.isascii() and p[0].isalpha() for p in places)
    assert any("ў" in p for p in places)  # Belarusian Cyrillic
    assert any(p[0].isdigit() and "," in p for p in places)  # coordinates
    assert any(p[:1] in "MМ" and p[1:2].isdigit() for p in places)  # a road
    known = {s for s in load_places().settlements.values() for s in s.spellings}
    assert any(p not in known and not p[0].isdigit() for p in places)  # typos


def test_command_writes_a_small_stream(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["reports", "synth", "--reports", "300", "--seed", "2", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert len((tmp_path / "reports.jsonl").read_text("utf-8").splitlines()) == 300
    assert (tmp_path / "truth" / "reports.csv").read_text("utf-8").count("\n") == 301
