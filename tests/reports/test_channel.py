"""The channel over its store: events as reports arrive, corroboration and floods, the
reviewer's work, reduction, two processes on one store, and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bonafide.errors import InputError
from bonafide.reports.channel import Channel, ChannelConfig, Queue
from bonafide.reports.cli import reports_app
from bonafide.reports.credibility import EventStatus, Grade
from bonafide.reports.events import adjusted_rand_index, cluster, read_jsonl, resolve
from bonafide.reports.intake import parse_report
from bonafide.reports.synth import SynthStreamConfig, write_stream
from tests.vaults import TEST_PASSPHRASE, vault_for

NOW = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)


def _report(
    place: str, minutes_ago: int, category: str = "military_vehicles", **more: Any
) -> dict[str, Any]:
    seen = (NOW - dt.timedelta(minutes=minutes_ago)).isoformat(timespec="minutes")
    return parse_report({"category": category, "place": place, "seen_at": seen, **more})


@pytest.fixture
def channel(tmp_path: Path) -> Iterator[Channel]:
    opened = Channel(vault_for(tmp_path / "reports"), ChannelConfig(auto_publish=3))
    yield opened
    opened.close()


def _only_event(channel: Channel) -> str:
    events = {event_id for _, event_id in channel.store.membership()}
    assert len(events) == 1
    return events.pop()


def test_independent_reports_along_a_road_publish_an_event(channel: Channel) -> None:
    # a convoy going north-east along the M1: Барысаў, then Крупкі, then Бобр
    channel.take(_report("Барысаў", 180, direction="NE", count=40), NOW - dt.timedelta(hours=3))
    event_id = _only_event(channel)
    assert channel.event(event_id).status is EventStatus.OPEN
    channel.take(_report("Krupki", 150, direction="NE", count=35), NOW - dt.timedelta(hours=2))
    assert channel.event(event_id).status is EventStatus.OPEN
    channel.take(_report("Бобр", 130, direction="NE"), NOW - dt.timedelta(hours=1))
    state = channel.event(event_id)
    assert state.status is EventStatus.PUBLISHED
    assert state.auto_published
    assert state.grade is None
    assert state.facts.independent == 3
    assert state.facts.count == 38
    assert state.facts.direction == "NE"
    assert state.facts.place == "Bobr"
    assert [e.event_id for e in channel.published()] == [event_id]


def test_a_convoy_going_the_other_way_is_another_event(channel: Channel) -> None:
    channel.take(_report("Барысаў", 180, direction="NE"), NOW)
    channel.take(_report("Крупкі", 150, direction="SW"), NOW)
    assert len({e for _, e in channel.store.membership()}) == 2


def test_a_flood_is_suspect_and_never_publishes_itself(channel: Channel) -> None:
    for _ in range(40):
        channel.take(_report("Лида", 30, count=120, text="СРОЧНО!"), NOW)
    event_id = _only_event(channel)
    state = channel.event(event_id)
    assert state.facts.suspect
    assert state.facts.independent == 1
    assert state.status is EventStatus.OPEN
    assert channel.queue_size(Queue.SUSPECT) == 1
    assert channel.queue_size(Queue.NEW) == 0
    assert channel.published() == []


def test_copies_from_one_place_and_hour_are_one_independent_report(channel: Channel) -> None:
    for _ in range(5):
        channel.take(_report("Орша", 20, category="checkpoint"), NOW)
    state = channel.event(_only_event(channel))
    assert state.facts.reports == 5
    assert state.facts.independent == 1
    assert state.status is EventStatus.OPEN


def test_the_reviewer_grades_publishes_and_retracts(channel: Channel) -> None:
    channel.take(_report("Гомель", 20, category="aircraft", text="два вертолёта"), NOW)
    event_id = _only_event(channel)
    with pytest.raises(InputError, match="grade"):
        channel.publish(event_id, Grade.DOUBTFUL)
    channel.grade(event_id, Grade.CANNOT_BE_JUDGED)
    assert channel.event(event_id).status is EventStatus.OPEN
    state = channel.publish(event_id, Grade.PROBABLY_TRUE, text="Two helicopters over Homiel")
    assert state.status is EventStatus.PUBLISHED
    assert state.published_text == "Two helicopters over Homiel"
    assert not state.auto_published
    state = channel.grade(event_id, Grade.IMPROBABLE)
    assert state.status is EventStatus.RETRACTED
    assert [e.status for e in channel.published()] == [EventStatus.RETRACTED]
    # a retracted event does not come back on its own, whatever arrives
    for minutes, place in ((15, "Гомель"), (10, "Homiel"), (5, "Гомель")):
        channel.take(_report(place, minutes, category="aircraft"), NOW + dt.timedelta(hours=5))
    assert channel.event(event_id).status is EventStatus.RETRACTED


def test_merge_and_split(channel: Channel) -> None:
    channel.take(_report("Брест", 60, category="checkpoint"), NOW)
    channel.take(_report("Пинск", 60, category="checkpoint"), NOW)
    first, second = (state.event_id for state in channel.queue(Queue.NEW))
    merged = channel.merge([first, second])
    assert merged.facts.reports == 2
    assert channel.queue_size(Queue.NEW) == 1
    with pytest.raises(InputError, match="event"):
        channel.event(second)
    keys = [view.report_key for view in channel.reports_of(first)]
    split = channel.split(first, keys[1:])
    assert split.facts.reports == 1
    assert channel.event(first).facts.reports == 1
    with pytest.raises(InputError, match="all of"):
        channel.split(first, keys[:1])


def test_reduction_deletes_what_was_written_and_keeps_the_event(
    channel: Channel, tmp_path: Path
) -> None:
    marker = "ОСОБАЯ-ПРИМЕТА-4471"
    channel.take(_report("Мазыр", 20, text=marker), NOW - dt.timedelta(hours=80))
    channel.take(_report("Мазыр", 25, text="свежий"), NOW)
    event_id = _only_event(channel)
    assert channel.reduce(NOW) == 1
    views = channel.reports_of(event_id)
    assert sorted(v.reduced for v in views) == [False, True]
    assert marker not in repr(channel.store.unsealed())
    assert channel.event(event_id).facts.reports == 2
    # nothing of it on disk either (sealed before, gone after: the WAL is emptied)
    for path in (tmp_path / "reports").rglob("*"):
        if path.is_file():
            assert marker.encode() not in path.read_bytes()


def test_two_processes_share_one_store(tmp_path: Path) -> None:
    intake = Channel(vault_for(tmp_path / "reports"))
    desk = Channel(vault_for(tmp_path / "reports"))
    try:
        intake.take(_report("Витебск", 50, category="rail_transport"), NOW)
        [state] = desk.queue(Queue.NEW)
        desk.grade(state.event_id, Grade.POSSIBLY_TRUE)
        # the intake's next report joins the event the desk graded, and keeps its grade
        intake.take(_report("Viciebsk", 40, category="rail_transport"), NOW)
        assert desk.event(state.event_id).facts.reports == 2
        assert desk.event(state.event_id).grade is Grade.POSSIBLY_TRUE
        desk.take(_report("Віцебск", 35, category="rail_transport"), NOW)
        assert intake.event(state.event_id).facts.reports == 3
    finally:
        intake.close()
        desk.close()


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stream")
    write_stream(SynthStreamConfig(reports=1500, seed=5), out)
    return out


def test_the_store_finds_the_events_batch_clustering_finds(stream: Path, tmp_path: Path) -> None:
    records = read_jsonl(stream / "reports.jsonl")
    channel = Channel(vault_for(tmp_path / "reports"))
    try:
        for record in records:
            facts = parse_report(record, max_age=None)
            arrived = dt.datetime.fromisoformat(facts["seen_at"]).replace(minute=0)
            channel.take(facts, arrived, source_id=record["report_id"])
        stored = {source: str(number) for source, number in channel.membership()}
        published = channel.published()
    finally:
        channel.close()
    batch = {rid: e.event_id for e in cluster(resolve(records)) for rid in e.report_ids}
    assert adjusted_rand_index(batch, stored) == 1.0
    with (stream / "truth" / "reports.csv").open(encoding="utf-8") as handle:
        genuine = {row["report_id"]: row["genuine"] == "1" for row in csv.DictReader(handle)}
    by_event: dict[str, list[str]] = {}
    for source, number in stored.items():
        by_event.setdefault(number, []).append(source)
    flood_only = {n for n, members in by_event.items() if not any(genuine[m] for m in members)}
    assert flood_only
    assert published
    numbers = {str(state.number) for state in published}
    assert not numbers & flood_only


def test_ingest_and_events_commands(stream: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "reports"
    vault_for(data_dir).close()
    bad = tmp_path / "bad.jsonl"
    lines = (stream / "reports.jsonl").read_text(encoding="utf-8").splitlines()[:50]
    nested = "[" * 5000 + "]" * 5000
    secret_place = "Тайное-Место-9912"
    bad.write_text(
        "\n".join(
            [
                *lines,
                nested,
                json.dumps({"category": "tanks", "place": secret_place, "seen_at": "2026-01-01"}),
                "not json",
            ]
        ),
        encoding="utf-8",
    )
    runner = CliRunner()
    env = {"BONAFIDE_PASSPHRASE": TEST_PASSPHRASE}
    result = runner.invoke(reports_app, ["ingest", str(bad), "--data-dir", str(data_dir)], env=env)
    assert result.exit_code == 2, result.output
    assert "50 reports taken" in result.output
    assert "line 51: not JSON" in result.output
    assert "line 52: category: not one of the categories" in result.output
    assert secret_place not in result.output
    out = tmp_path / "events.csv"
    result = runner.invoke(
        reports_app, ["events", "--data-dir", str(data_dir), "--out", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["report_id"] for row in rows] == [json.loads(line)["report_id"] for line in lines]
    result = runner.invoke(reports_app, ["reduce", "--data-dir", str(data_dir)], env=env)
    assert result.exit_code == 0, result.output
    assert "50 report(s) reduced" in result.output  # the stream's reports are weeks old
