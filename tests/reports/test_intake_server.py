"""The intake's service beyond anonymity: the feed follows the reports at once, the proof of
work, the settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient

from bonafide.reports.channel import ChannelConfig
from bonafide.reports.server import create_reports_app
from bonafide.reports.work import solve
from bonafide.vault import Passphrase
from tests.vaults import TEST_PASSPHRASE, vault_for


def _client(tmp_path: Path, **options: object) -> TestClient:
    data_dir = tmp_path / "reports"
    vault_for(data_dir).close()
    app = create_reports_app(data_dir, Passphrase(TEST_PASSPHRASE), **options)  # type: ignore[arg-type]
    return TestClient(app)


def _seen(minutes_ago: int) -> str:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago)
    return moment.isoformat(timespec="minutes")


def test_an_event_is_in_the_feed_at_its_confirming_report(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        places = ("Барысаў", "Krupki", "Бобр")  # independent: three places along the M1
        for number, place in enumerate(places):
            sent = client.post(
                "/api/reports",
                json={"category": "military_vehicles", "place": place,
                      "seen_at": _seen(90 - 25 * number), "direction": "NE", "count": 30},
            )  # fmt: skip
            assert sent.status_code == 201, sent.text
            events = client.get("/feed/events.json").json()["events"]
            assert len(events) == (1 if number == 2 else 0)
        [event] = events
        assert event["independent"] == 3
        assert event["grade"] is None
        assert event["text"] is None
        page = client.get("/feed")
        assert page.status_code == 200
        assert "Bobr" in page.text
        assert "img-src data:" in page.headers["content-security-policy"]
        atom = client.get("/feed/atom.xml")
        assert atom.headers["content-type"].startswith("application/atom+xml")
        assert "<entry>" in atom.text


def test_proof_of_work_is_asked_for_and_spent_once(tmp_path: Path) -> None:
    with _client(tmp_path, proof_of_work=8) as client:
        report = {"category": "aircraft", "place": "Лида", "seen_at": _seen(10)}
        refused = client.post("/api/reports", json=report)
        assert refused.status_code == 422
        assert "moment's work" in refused.json()["detail"]
        challenge = client.get("/api/challenge").json()
        assert challenge["bits"] == 8
        nonce = solve(challenge["challenge"], 8)
        solved = report | {"pow_challenge": challenge["challenge"], "pow_nonce": nonce}
        assert client.post("/api/reports", json=solved).status_code == 201
        assert client.post("/api/reports", json=solved).status_code == 422  # spent
        wrong = report | {"pow_challenge": challenge["challenge"] + "0", "pow_nonce": nonce}
        assert client.post("/api/reports", json=wrong).status_code == 422
        form = client.get("/")
        assert 'src="/work.js"' in form.text
        assert "script-src 'self'" in form.headers["content-security-policy"]
        assert client.get("/work.js").status_code == 200


def test_without_proof_of_work_there_is_no_script(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        assert "<script" not in client.get("/").text
        assert client.get("/work.js").status_code == 404
        assert client.get("/api/challenge").status_code == 404


def test_configured_categories(tmp_path: Path) -> None:
    config = ChannelConfig(categories=("drones", "other"))
    with _client(tmp_path, config=config) as client:
        assert 'value="drones"' in client.get("/").text
        ok = client.post(
            "/api/reports", json={"category": "drones", "place": "Гродно", "seen_at": _seen(5)}
        )
        assert ok.status_code == 201
        refused = client.post(
            "/api/reports", json={"category": "aircraft", "place": "Гродно", "seen_at": _seen(5)}
        )
        assert refused.status_code == 422
        assert refused.json()["detail"] == "category: not one of the categories"
