"""Events from reports: clustering against the synthetic stream's truth, floods, the command."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bonafide.reports.cli import reports_app
from bonafide.reports.events import (
    Event,
    adjusted_rand_index,
    cluster,
    read_jsonl,
    resolve,
)
from bonafide.reports.synth import SynthStreamConfig, write_stream


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stream")
    write_stream(SynthStreamConfig(reports=2000, seed=3), out)
    return out


@pytest.fixture(scope="module")
def found(stream: Path) -> list[Event]:
    return cluster(resolve(read_jsonl(stream / "reports.jsonl")))


def _truth(stream: Path) -> list[dict[str, str]]:
    with (stream / "truth" / "reports.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_adjusted_rand_index() -> None:
    same = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert adjusted_rand_index(same, {"a": "x", "b": "x", "c": "y", "d": "y"}) == 1.0
    assert adjusted_rand_index(same, {"a": "x", "b": "y", "c": "x", "d": "y"}) < 0


def test_events_match_the_truth(stream: Path, found: list[Event]) -> None:
    truth = {row["report_id"]: row["event_id"] for row in _truth(stream)}
    labels = {rid: event.event_id for event in found for rid in event.report_ids}
    assert set(labels) == set(truth)
    assert adjusted_rand_index(truth, labels) >= 0.95


def test_floods_are_suspect_and_honest_events_corroborated(
    stream: Path, found: list[Event]
) -> None:
    genuine = {row["report_id"]: row["genuine"] == "1" for row in _truth(stream)}
    floods = [e for e in found if len(e.report_ids) >= 20 and not genuine[e.report_ids[0]]]
    assert floods
    assert all(e.suspect and e.independent <= 2 for e in floods)
    honest = [e for e in found if all(genuine[r] for r in e.report_ids)]
    assert not any(e.suspect for e in honest)
    several = [e for e in honest if len(e.report_ids) >= 3]
    assert sum(e.independent >= 2 for e in several) >= 0.8 * len(several)


def test_road_and_coordinates_resolve() -> None:
    records = [
        {
            "report_id": "1",
            "category": "checkpoint",
            "place": "M1 near Барысаў",
            "seen_at": "2026-12-01T10:00",
        },
        {
            "report_id": "2",
            "category": "checkpoint",
            "place": "Борисов",
            "seen_at": "2026-12-01T10:20",
        },
        {
            "report_id": "3",
            "category": "checkpoint",
            "place": "54.23, 28.50",
            "seen_at": "2026-12-01T10:40",
        },
        {
            "report_id": "4",
            "category": "checkpoint",
            "place": "Qwxzzt",
            "seen_at": "2026-12-01T10:40",
        },
        {
            "report_id": "5",
            "category": "aircraft",
            "place": "Борисов",
            "seen_at": "2026-12-01T10:20",
        },
    ]
    events = cluster(resolve(records))
    assert sorted(sorted(e.report_ids) for e in events) == [["1", "2", "3"], ["4"], ["5"]]


def test_events_command(stream: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(
        reports_app, ["events", str(stream / "reports.jsonl"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "suspect" in result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2000
    assert set(rows[0]) == {"report_id", "event_id"}
