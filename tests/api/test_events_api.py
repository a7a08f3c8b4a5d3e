"""The report reviewer's routes: only reviewers read and change events, each action changes the
event and is audited without a word of any report, and the channel's own vault is locked,
unlocked and absent as the service says."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bonafide.accounts import Role
from bonafide.api import create_app
from bonafide.api.serve import _reports_secret
from bonafide.errors import InputError, VaultError
from bonafide.vault import Passphrase
from tests.reports_vaults import PHOTO_TEXT, REPORTS_PASSPHRASE, copy_reports, fill_reports
from tests.vaults import TEST_PASSPHRASE

from .conftest import PASSWORD, Desk

REVIEWER = Role.REVIEWER
OTHERS = [role for role in Role if role is not REVIEWER]
EVENT = "0123456789abcdef"
# every route of the channel, with a body the role check lets through to the route
REVIEW_ROUTES: list[tuple[str, str, Any]] = [
    ("GET", "/events", None),
    ("GET", f"/events/{EVENT}", None),
    ("POST", f"/events/{EVENT}/grade", {"grade": 2}),
    ("POST", f"/events/{EVENT}/publish", {"grade": 2}),
    ("POST", f"/events/{EVENT}/retract", None),
    ("POST", "/events/merge", {"event_ids": [EVENT, "fedcba9876543210"]}),
    ("POST", f"/events/{EVENT}/split", {"report_keys": ["x"]}),
]
KEY_ROUTES: list[tuple[str, str, Any]] = [
    ("POST", "/reports/unlock", {"passphrase": "not it"}),
    ("POST", "/reports/lock", None),
]
REPORT_FIELDS = {
    "report_key",
    "category",
    "seen",
    "arrived_hour",
    "count",
    "direction",
    "placed",
    "reduced",
    "place_written",
    "text",
    "has_photo",
}


@pytest.fixture(scope="module")
def reports_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reports channel of 301 synthetic reports (one with a photo), made once."""
    root = tmp_path_factory.mktemp("reports-template")
    fill_reports(root / "reports", root / "stream")
    return root / "reports"


def _service(data_dir: Path, reports_dir: Path | None, unlocked: bool = True) -> Iterator[Desk]:
    reports_secret = Passphrase(REPORTS_PASSPHRASE) if reports_dir and unlocked else None
    app = create_app(
        data_dir,
        Passphrase(TEST_PASSPHRASE),
        reports_dir=reports_dir,
        reports_secret=reports_secret,
    )
    accounts = app.state.server.opened().accounts
    tokens = {}
    for role in Role:
        accounts.add(f"{role.value}-1", role, PASSWORD)
        tokens[role] = accounts.create_token(f"{role.value}-1")
    with TestClient(app) as client:
        yield Desk(client, tokens)


@pytest.fixture
def reports_dir(reports_template: Path, tmp_path: Path) -> Path:
    return copy_reports(reports_template, tmp_path / "reports")


@pytest.fixture
def service(data_dir: Path, reports_dir: Path) -> Iterator[Desk]:
    yield from _service(data_dir, reports_dir)


def _as(desk: Desk, role: Role, method: str, path: str, body: Any = None) -> Any:
    return desk.client.request(method, path, json=body, headers=desk.auth(role))


def _ok(desk: Desk, method: str, path: str, body: Any = None) -> Any:
    answer = _as(desk, REVIEWER, method, path, body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _queue(desk: Desk, queue: str, limit: int = 500) -> dict[str, Any]:
    found: dict[str, Any] = _ok(desk, "GET", f"/events?queue={queue}&limit={limit}")
    return found


def _audit(desk: Desk) -> list[dict[str, Any]]:
    answer = _as(desk, Role.AUDITOR, "GET", "/audit?limit=1000")
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()
    return entries


def _two_alike(desk: Desk) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two new events of one category."""
    events = _queue(desk, "new")["events"]
    for first in events:
        for second in events:
            if first is not second and first["category"] == second["category"]:
                return first, second
    pytest.fail("no two new events of one category")


def _with_photo(desk: Desk) -> dict[str, Any]:
    """The event holding the report with the photo."""
    for queue in ("new", "suspect", "published"):
        for summary in _queue(desk, queue)["events"]:
            event: dict[str, Any] = _ok(desk, "GET", f"/events/{summary['event_id']}")
            if any(report["has_photo"] for report in event["reports"]):
                return event
    pytest.fail("no event holds the report with the photo")


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), REVIEW_ROUTES + KEY_ROUTES)
def test_only_a_reviewer_reads_and_changes_events(
    service: Desk, method: str, path: str, body: Any
) -> None:
    """Need to know, on the server: an intake or vetting officer, an analyst, the checkpoint,
    an administrator and an auditor are refused every event; only the unlock and lock are an
    administrator's too."""
    keyholders = {REVIEWER, Role.ADMIN} if (method, path, body) in KEY_ROUTES else {REVIEWER}
    for role in Role:
        answer = _as(service, role, method, path, body)
        if role in keyholders:
            assert answer.status_code not in (401, 403), (role, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.status_code)
            assert answer.json()["type"] == "/problems/forbidden"


# --- reading ------------------------------------------------------------------------------------


def test_the_queues_hold_every_event_once_and_page(service: Desk) -> None:
    first = _ok(service, "GET", "/events")
    assert first["queue"] == "new"
    sizes = first["sizes"]
    assert set(sizes) == {"new", "suspect", "published", "retracted"}
    assert sizes["new"] > 10
    assert sizes["suspect"] >= 1
    assert sizes["published"] >= 1
    seen: set[str] = set()
    for queue in sizes:
        page = _queue(service, queue)
        assert page["total"] == sizes[queue] == len(page["events"])
        ids = {event["event_id"] for event in page["events"]}
        assert not ids & seen  # each event in one queue
        seen |= ids
        for event in page["events"]:
            assert event["facts"]["suspect"] is (queue == "suspect") or queue in (
                "published",
                "retracted",
            )
            if queue == "published":
                assert event["status"] == "published"
                assert event["auto_published"]
                assert event["facts"]["independent"] >= 3
    reports = sum(
        event["facts"]["reports"] for queue in sizes for event in _queue(service, queue)["events"]
    )
    assert reports == 301
    whole = _queue(service, "new")["events"]
    paged = [
        event["event_id"]
        for offset in range(0, sizes["new"], 7)
        for event in _ok(service, "GET", f"/events?queue=new&offset={offset}&limit=7")["events"]
    ]
    assert paged == [event["event_id"] for event in whole]
    bad = _as(service, REVIEWER, "GET", "/events?queue=everything")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "query.queue"


def test_an_event_shows_its_reports_content_and_nothing_else(service: Desk) -> None:
    event = _with_photo(service)
    assert event["facts"]["reports"] == len(event["reports"]) >= 2
    assert set(event) == {
        "event_id",
        "number",
        "category",
        "status",
        "grade",
        "grade_words",
        "reviewed",
        "auto_published",
        "published_at",
        "updated_at",
        "facts",
        "published_text",
        "published_photo",
        "reports",
    }
    for report in event["reports"]:
        assert set(report) == REPORT_FIELDS  # what the report says; nothing of its sender
        assert report["arrived_hour"].endswith(":00+00:00")  # the hour, no finer
        assert not report["reduced"]
    photo = next(report for report in event["reports"] if report["has_photo"])
    image = _as(
        service,
        REVIEWER,
        "GET",
        f"/events/{event['event_id']}/reports/{photo['report_key']}/photo",
    )
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/jpeg"
    assert image.content[:2] == b"\xff\xd8"  # a JPEG, re-encoded
    assert photo["text"] == PHOTO_TEXT
    plain = next(report for report in event["reports"] if not report["has_photo"])
    none = _as(
        service,
        REVIEWER,
        "GET",
        f"/events/{event['event_id']}/reports/{plain['report_key']}/photo",
    )
    assert none.status_code == 404
    missing = _as(service, REVIEWER, "GET", "/events/0000000000000000")
    assert missing.status_code == 404
    assert missing.json()["type"] == "/problems/not-found"


# --- the reviewer's work ----------------------------------------------------------------------


def test_grading_publishing_and_retracting_change_the_event(service: Desk) -> None:
    event = _with_photo(service)
    event_id = event["event_id"]
    photo_of = next(report["report_key"] for report in event["reports"] if report["has_photo"])
    graded = _ok(service, "POST", f"/events/{event_id}/grade", {"grade": 2})
    assert graded["grade"] == 2
    assert graded["grade_words"] == "probably true"
    assert graded["reviewed"]

    doubtful = _as(service, REVIEWER, "POST", f"/events/{event_id}/publish", {"grade": 4})
    assert doubtful.status_code == 422
    assert doubtful.json()["errors"] == [
        {
            "field": "body.grade",
            "problem": "an event graded doubtful or worse cannot be published",
        }
    ]
    elsewhere = _two_alike(service)[0]["event_id"]
    if elsewhere == event_id:
        elsewhere = _two_alike(service)[1]["event_id"]
    wrong_photo = _as(
        service,
        REVIEWER,
        "POST",
        f"/events/{elsewhere}/publish",
        {"grade": 2, "photo_of": photo_of},
    )
    assert wrong_photo.status_code == 422
    assert wrong_photo.json()["errors"][0]["field"] == "body.photo_of"
    too_long = _as(
        service, REVIEWER, "POST", f"/events/{event_id}/publish", {"grade": 2, "text": "x" * 2001}
    )
    assert too_long.status_code == 422

    published = _ok(
        service,
        "POST",
        f"/events/{event_id}/publish",
        {"grade": 1, "text": "Convoy seen westbound", "photo_of": photo_of},
    )
    assert published["status"] == "published"
    assert published["grade"] == 1
    again = _ok(service, "GET", f"/events/{event_id}")
    assert again["published_text"] == "Convoy seen westbound"
    kept = _as(service, REVIEWER, "GET", f"/events/{event_id}/reports/{photo_of}/photo")
    assert base64.b64decode(again["published_photo"]) == kept.content
    assert event_id in {e["event_id"] for e in _queue(service, "published")["events"]}

    retracted = _ok(service, "POST", f"/events/{event_id}/retract")
    assert retracted["status"] == "retracted"
    assert event_id in {e["event_id"] for e in _queue(service, "retracted")["events"]}
    assert event_id not in {e["event_id"] for e in _queue(service, "published")["events"]}


def test_grading_a_published_event_doubtful_takes_it_out(service: Desk) -> None:
    published = _queue(service, "published")["events"][0]
    graded = _ok(service, "POST", f"/events/{published['event_id']}/grade", {"grade": 5})
    assert graded["status"] == "retracted"


def test_merging_and_splitting(service: Desk) -> None:
    first, second = _two_alike(service)
    reports = first["facts"]["reports"] + second["facts"]["reports"]
    merged = _ok(
        service, "POST", "/events/merge", {"event_ids": [first["event_id"], second["event_id"]]}
    )
    assert merged["event_id"] == first["event_id"]
    assert merged["number"] == first["number"]
    assert merged["facts"]["reports"] == reports
    gone = _as(service, REVIEWER, "GET", f"/events/{second['event_id']}")
    assert gone.status_code == 404

    other = next(e for e in _queue(service, "new")["events"] if e["category"] != first["category"])
    mixed = _as(
        service,
        REVIEWER,
        "POST",
        "/events/merge",
        {"event_ids": [first["event_id"], other["event_id"]]},
    )
    assert mixed.status_code == 422
    assert mixed.json()["errors"][0]["field"] == "body.event_ids"
    one = _as(service, REVIEWER, "POST", "/events/merge", {"event_ids": [first["event_id"]]})
    assert one.status_code == 422

    keys = [
        report["report_key"]
        for report in _ok(service, "GET", f"/events/{first['event_id']}")["reports"]
    ]
    new = _ok(service, "POST", f"/events/{first['event_id']}/split", {"report_keys": keys[:1]})
    assert new["event_id"] != first["event_id"]
    assert new["number"] > merged["number"]
    assert new["facts"]["reports"] == 1
    assert new["status"] == "open"
    left = _ok(service, "GET", f"/events/{first['event_id']}")
    assert [r["report_key"] for r in left["reports"]] == keys[1:]
    whole = _as(
        service, REVIEWER, "POST", f"/events/{first['event_id']}/split", {"report_keys": keys[1:]}
    )
    assert whole.status_code == 422
    assert whole.json()["errors"][0]["field"] == "body.report_keys"
    foreign = _as(
        service, REVIEWER, "POST", f"/events/{first['event_id']}/split", {"report_keys": ["x" * 32]}
    )
    assert foreign.status_code == 422


def test_every_action_is_audited_by_number_without_a_word_of_any_report(service: Desk) -> None:
    event = _with_photo(service)
    event_id = event["event_id"]
    photo_of = next(report["report_key"] for report in event["reports"] if report["has_photo"])
    _ok(service, "POST", f"/events/{event_id}/grade", {"grade": 3})
    _ok(
        service,
        "POST",
        f"/events/{event_id}/publish",
        {"grade": 3, "text": "Published words", "photo_of": photo_of},
    )
    _ok(service, "POST", f"/events/{event_id}/retract")
    first, second = _two_alike(service)
    _ok(service, "POST", "/events/merge", {"event_ids": [first["event_id"], second["event_id"]]})
    keys = [r["report_key"] for r in _ok(service, "GET", f"/events/{first['event_id']}")["reports"]]
    _ok(service, "POST", f"/events/{first['event_id']}/split", {"report_keys": keys[:1]})

    entries = [e for e in _audit(service) if e["actor"] == "reviewer-1"]
    actions = [e["action"] for e in entries]
    for action in (
        "event and its reports read",
        "event graded",
        "event published",
        "event retracted",
        "events merged",
        "event split",
    ):
        assert action in actions, action
    published = next(e for e in entries if e["action"] == "event published")
    assert published["detail"] == {
        "event": event["number"],
        "event_id": event_id,
        "status": "published",
        "grade": 3,
        "text": True,
        "photo": True,
    }
    merged = next(e for e in entries if e["action"] == "events merged")
    assert merged["detail"]["merged"] == [first["number"], second["number"]]
    assert all(e["dossier"] is None for e in entries)

    # nothing any report says (its place as written, its text, its photo) is in the log
    said: set[str] = {"Published words"}
    for queue in ("new", "suspect", "published", "retracted"):
        for summary in _queue(service, queue)["events"][:40]:
            for report in _ok(service, "GET", f"/events/{summary['event_id']}")["reports"]:
                said |= {report[k] for k in ("place_written", "text") if report[k]}
    log = json.dumps(_audit(service), ensure_ascii=False)
    assert not [value for value in said if value in log]


# --- the channel's own vault ------------------------------------------------------------------


def test_without_a_reports_directory_there_is_no_channel(data_dir: Path) -> None:
    for desk in _service(data_dir, None):
        for method, path, body in REVIEW_ROUTES:
            answer = _as(desk, REVIEWER, method, path, body)
            assert answer.status_code == 404, (path, answer.text)
            assert answer.json()["type"] == "/problems/reports-not-configured"
        unlock = _as(
            desk, Role.ADMIN, "POST", "/reports/unlock", {"passphrase": REPORTS_PASSPHRASE}
        )
        assert unlock.status_code == 404


def test_the_channel_unlocks_with_its_own_passphrase_only(
    data_dir: Path, reports_dir: Path
) -> None:
    for desk in _service(data_dir, reports_dir, unlocked=False):
        server = desk.client.app.state.server  # type: ignore[attr-defined]
        for method, path, body in REVIEW_ROUTES:
            answer = _as(desk, REVIEWER, method, path, body)
            assert answer.status_code == 503, (path, answer.text)
            assert answer.json()["type"] == "/problems/reports-locked"
        dossiers_passphrase = _as(
            desk, REVIEWER, "POST", "/reports/unlock", {"passphrase": TEST_PASSPHRASE}
        )
        assert dossiers_passphrase.status_code == 401
        assert dossiers_passphrase.json()["type"] == "/problems/wrong-passphrase"
        assert server.reports.locked
        assert _ok(desk, "POST", "/reports/unlock", {"passphrase": REPORTS_PASSPHRASE}) == {
            "reports": "unlocked"
        }
        assert _queue(desk, "new")["total"] > 0
        twice = _as(desk, Role.ADMIN, "POST", "/reports/unlock", {"passphrase": "anything"})
        assert twice.status_code == 409

        locked = _as(desk, Role.ADMIN, "POST", "/reports/lock")
        assert locked.status_code == 200
        assert locked.json() == {"reports": "locked"}
        assert _as(desk, REVIEWER, "GET", "/events").status_code == 503
        admin = _as(desk, Role.ADMIN, "POST", "/reports/unlock", {"passphrase": REPORTS_PASSPHRASE})
        assert admin.status_code == 200
        assert _as(desk, Role.ADMIN, "GET", "/events").status_code == 403  # unlocks, reads nothing

        # locking the service (the dossiers' vault) locks the reports too
        assert _as(desk, Role.ADMIN, "POST", "/vault/lock").status_code == 200
        assert server.reports.locked
        assert server.locked
        audit_actions = [e.action.value for e in _closed_audit(data_dir)]
    assert audit_actions.count("reports channel unlocked") == 2
    assert audit_actions.count("reports channel locked") == 1


def _closed_audit(data_dir: Path) -> list[Any]:
    from bonafide.vault import Vault
    from bonafide.vault.audit import AuditLog

    vault = Vault.unlock(data_dir, Passphrase(TEST_PASSPHRASE))
    try:
        with AuditLog(vault) as log:
            return list(log.entries())
    finally:
        vault.close()


def test_the_reports_directory_is_a_vault_of_its_own(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(VaultError, match="reports need one of their own"):
        create_app(data_dir, reports_dir=data_dir)
    with pytest.raises(VaultError, match="no vault in the reports"):
        create_app(data_dir, reports_dir=tmp_path / "empty")
    with pytest.raises(InputError):
        create_app(data_dir, reports_secret=Passphrase(REPORTS_PASSPHRASE))
    with pytest.raises(InputError, match="without --reports-dir"):
        _reports_secret(None, tmp_path / "passphrase", None)
    assert _reports_secret(None, None, None) is None
