"""Nothing that can identify a reporter, anywhere: reports sent with distinctive headers,
addresses, cookies and photo metadata; then every stored byte (sealed and unsealed) and every
log line is searched for them."""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from bonafide.reports.server import create_reports_app
from bonafide.vault import Passphrase
from tests.vaults import TEST_PASSPHRASE, vault_for

SECRETS = (
    "UA-Reporter-Phone-7731",
    "203.0.113.77",
    "198.51.100.23",
    "tracker-cookie-5521",
    "SN-CAMERA-99812",
    "reporter@example.org",
)


def _photo() -> str:
    image = Image.new("RGB", (40, 30), (10, 120, 10))
    exif = Image.Exif()
    exif[0xA431] = SECRETS[4]  # the camera's serial number
    exif[0x8825] = {1: "N", 2: (53.0, 54.0, 1.0), 3: "E", 4: (27.0, 33.0, 2.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return base64.b64encode(out.getvalue()).decode("ascii")


def _seen() -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).isoformat(timespec="minutes")


@pytest.fixture
def intake(tmp_path: Path) -> tuple[TestClient, Path]:
    data_dir = tmp_path / "reports"
    vault_for(data_dir).close()
    app = create_reports_app(data_dir, Passphrase(TEST_PASSPHRASE))
    return TestClient(app, client=(SECRETS[1], 50123)), data_dir


HEADERS = {
    "User-Agent": SECRETS[0],
    "X-Forwarded-For": SECRETS[2],
    "X-Real-IP": SECRETS[2],
    "Cookie": f"session={SECRETS[3]}",
    "From": SECRETS[5],
}


def test_nothing_of_the_sender_is_stored_or_logged(
    intake: tuple[TestClient, Path], caplog: pytest.LogCaptureFixture
) -> None:
    client, data_dir = intake
    caplog.set_level(logging.DEBUG)
    answer = client.post(
        "/api/reports",
        json={
            "category": "military_vehicles",
            "place": "Барысаў",
            "seen_at": _seen(),
            "count": 12,
            "direction": "E",
            "text": "колона на трасе M1",
            "photo": _photo(),
        },
        headers=HEADERS,
    )
    assert answer.status_code == 201, answer.text
    assert set(answer.json()) == {"receipt"}
    assert "set-cookie" not in answer.headers
    form_page = client.get("/", headers=HEADERS)
    client.post(
        "/",
        data={"csrf": form_page.cookies.get("csrf") or "", "category": "aircraft",
              "place": "Мінск", "seen_at": _seen()},
        headers={k: v for k, v in HEADERS.items() if k != "Cookie"},
    )  # fmt: skip
    stored = client.app.state.channel.store.unsealed()  # type: ignore[attr-defined]
    assert len(stored["reports"]) == len(stored["points"]) == 2
    # every byte on disk: the vault's files, sealed
    everything = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    # every stored value, unsealed
    unsealed = repr(stored).encode()
    photo = base64.b64decode(next(r["photo"] for r in stored["reports"] if r["photo"]))
    logs = "\n".join(r.getMessage() for r in caplog.records).encode()
    for secret in SECRETS:
        for where, blob in (
            ("disk", everything),
            ("store", unsealed),
            ("photo", photo),
            ("log", logs),
        ):
            assert secret.encode() not in blob, (secret, where)
    assert not Image.open(io.BytesIO(photo)).getexif()


def test_the_time_of_arrival_is_kept_to_the_hour(intake: tuple[TestClient, Path]) -> None:
    client, _ = intake
    client.post(
        "/api/reports",
        json={"category": "aircraft", "place": "Гомель", "seen_at": _seen()},
    )
    stored = client.app.state.channel.store.unsealed()  # type: ignore[attr-defined]
    [point] = stored["points"]
    assert "arrived" not in repr(stored["reports"])
    assert "received" not in repr(stored["reports"])
    received = dt.datetime.fromisoformat(point["arrived"])
    assert (received.minute, received.second, received.microsecond) == (0, 0, 0)


def test_the_form_sets_only_its_csrf_cookie_and_works_without_script(
    intake: tuple[TestClient, Path],
) -> None:
    client, _ = intake
    page = client.get("/")
    assert "<script" not in page.text
    cookies = page.headers.get_list("set-cookie")
    assert len(cookies) == 1
    assert cookies[0].startswith("csrf=")
    forged = client.post(
        "/",
        data={"csrf": "forged", "category": "aircraft", "place": "Мінск", "seen_at": _seen()},
    )
    assert forged.status_code == 403


@pytest.mark.parametrize(
    ("report", "field"),
    [
        ({"place": "Мінск", "seen_at": "2026-12-04T10:00"}, "category"),
        ({"category": "tanks", "place": "Мінск", "seen_at": "2026-12-04T10:00"}, "category"),
        ({"category": "aircraft", "seen_at": "2026-12-04T10:00"}, "place"),
        ({"category": "aircraft", "place": "Мінск", "seen_at": "yesterday"}, "seen_at"),
        ({"category": "aircraft", "place": "Мінск", "seen_at": "2999-01-01T00:00"}, "seen_at"),
        ({"category": "aircraft", "place": "Мінск", "seen_at": "__now__", "count": -3}, "count"),
        ({"category": "aircraft", "place": "Мінск", "seen_at": "__now__", "photo": "%%"}, "photo"),
    ],
)
def test_a_bad_report_is_refused_by_its_field(
    intake: tuple[TestClient, Path], report: dict[str, object], field: str
) -> None:
    client, _ = intake
    if report.get("seen_at") == "__now__":
        report = {**report, "seen_at": _seen()}
    answer = client.post("/api/reports", json=report)
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(f"{field}: ")


def test_a_burst_beyond_the_rate_is_slowed_for_everyone(tmp_path: Path) -> None:
    data_dir = tmp_path / "reports"
    vault_for(data_dir).close()
    client = TestClient(create_reports_app(data_dir, Passphrase(TEST_PASSPHRASE), per_minute=3))
    report = {"category": "aircraft", "place": "Гомель", "seen_at": _seen()}
    codes = [client.post("/api/reports", json=report).status_code for _ in range(5)]
    assert codes[:3] == [201, 201, 201]
    assert 429 in codes[3:]
