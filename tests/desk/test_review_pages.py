"""The report reviewer's pages: the queues, an event with its reports, the forms that grade,
publish, retract, split and merge, the channel's own unlock — through the pages without a
browser, and once in Debian's chromium without JavaScript (as in Tor Browser's safer mode)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from bonafide.accounts import Role
from bonafide.api import create_app
from bonafide.desk import review_pages
from bonafide.reports.channel import Queue
from bonafide.reports.intake import parse_report
from bonafide.vault import Passphrase
from tests.reports_vaults import PHOTO_TEXT, REPORTS_PASSPHRASE, copy_reports, fill_reports
from tests.vaults import TEST_PASSPHRASE

from .conftest import (
    PASSWORD,
    Browsers,
    LiveDesk,
    Shot,
    account_name,
    expect,
    needs_chromium,
    serve,
    sign_in,
)

EVENT_LINK = re.compile(r'href="/desk/review/events/([0-9a-f]{16})"')
WORDS_KEYS = re.compile(r"\b(queue|status|category|grade|done)_[a-z_0-9]+\b")


@pytest.fixture(scope="module")
def reports_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review-pages")
    fill_reports(root / "reports", root / "stream")
    return root / "reports"


def _app(data_dir: Path, reports_dir: Path | None, unlocked: bool = True) -> Any:
    secret = Passphrase(REPORTS_PASSPHRASE) if reports_dir and unlocked else None
    app = create_app(
        data_dir, Passphrase(TEST_PASSPHRASE), reports_dir=reports_dir, reports_secret=secret
    )
    accounts = app.state.server.opened().accounts
    for role in Role:
        accounts.add(account_name(role), role, PASSWORD)
    return app


def _client(app: Any) -> TestClient:
    client = TestClient(app)
    client.get("/desk/sign-in")  # the browser's CSRF cookie
    return client


def _csrf(client: TestClient) -> str:
    return str(client.cookies.get("bf_csrf"))


def _as(client: TestClient, role: Role) -> None:
    client.post("/desk/sign-out", data={"csrf": _csrf(client)})
    answer = client.post(
        "/desk/sign-in",
        data={"name": account_name(role), "password": PASSWORD, "csrf": _csrf(client)},
    )
    assert answer.url.path == "/desk", answer.text


@pytest.fixture
def reports_dir(reports_template: Path, tmp_path: Path) -> Path:
    return copy_reports(reports_template, tmp_path / "reports")


@pytest.fixture
def app(data_dir: Path, reports_dir: Path) -> Any:
    return _app(data_dir, reports_dir)


@pytest.fixture
def reviewer(app: Any) -> Iterator[TestClient]:
    with _client(app) as client:
        _as(client, Role.REVIEWER)
        yield client


def _channel(app: Any) -> Any:
    return app.state.server.reports.channel()


def _event_with_photo(app: Any) -> str:
    channel = _channel(app)
    for queue in Queue:
        for state in channel.queue(queue, 0, 500):
            if any(view.photo for view in channel.reports_of(state.event_id)):
                return str(state.event_id)
    pytest.fail("no event holds the report with the photo")


def _two_alike(app: Any) -> tuple[str, str]:
    new = _channel(app).queue(Queue.NEW, 0, 500)
    for first in new:
        for second in new:
            if first is not second and first.category == second.category:
                return first.event_id, second.event_id
    pytest.fail("no two new events of one category")


def _post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data={"csrf": _csrf(client), **data})


# --- the queue and an event ------------------------------------------------------------------


def test_the_queue_has_a_tab_per_queue_with_its_size_and_pages(
    reviewer: TestClient, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_pages, "PAGE_SIZE", 20)
    home = reviewer.get("/desk")
    assert 'href="/desk/review"' in home.text
    page = reviewer.get("/desk/review")
    assert page.status_code == 200
    channel = _channel(app)
    for queue in Queue:
        size = channel.queue_size(queue)
        assert re.search(rf'data-testid="queue-{queue.value}"[^>]*>[^<(]+\({size:,}\)', page.text)
    new = channel.queue_size(Queue.NEW)
    assert 40 < new <= 60  # three pages
    first = EVENT_LINK.findall(page.text)
    assert len(first) == 20
    assert 'rel="next"' in page.text
    second = reviewer.get("/desk/review?queue=new&offset=40")
    assert len(EVENT_LINK.findall(second.text)) == new - 40
    assert 'rel="next"' not in second.text
    assert not set(first) & set(EVENT_LINK.findall(second.text))
    assert 'rel="prev"' in second.text
    suspect = reviewer.get("/desk/review?queue=suspect")
    assert 'class="suspect"' in suspect.text
    assert "suspect" in suspect.text
    assert not WORDS_KEYS.search(page.text + suspect.text)  # every word translated


def test_an_event_shows_its_facts_and_what_each_report_says(reviewer: TestClient, app: Any) -> None:
    event_id = _event_with_photo(app)
    page = reviewer.get(f"/desk/review/events/{event_id}")
    assert page.status_code == 200
    views = _channel(app).reports_of(event_id)
    assert page.text.count('data-testid="report"') == len(views)
    assert f"{len(views)} reports, " in page.text
    assert 'src="data:image/jpeg;base64,' in page.text  # the photo inline, from nothing outside
    assert PHOTO_TEXT in page.text
    for view in views:
        assert view.place_written in page.text
    suspect = _channel(app).queue(Queue.SUSPECT, 0, 1)[0]
    warned = reviewer.get(f"/desk/review/events/{suspect.event_id}")
    assert 'data-testid="suspect"' in warned.text
    assert f"{suspect.facts.burst_reports} of its {suspect.facts.reports} reports" in warned.text
    assert reviewer.get("/desk/review/events/0000000000000000").status_code == 404


def test_photos_beyond_the_pages_budget_are_links(
    reviewer: TestClient, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_pages, "INLINE_PHOTOS", 10)
    event_id = _event_with_photo(app)
    page = reviewer.get(f"/desk/review/events/{event_id}")
    assert "data:image/jpeg" not in page.text
    link = re.search(
        r'href="(/desk/review/events/\w+/photos/\w+)" data-testid="photo-link"', page.text
    )
    assert link is not None
    photo = reviewer.get(link.group(1))
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.content[:2] == b"\xff\xd8"
    assert reviewer.get(f"/desk/review/events/{event_id}/photos/{'0' * 32}").status_code == 404


def test_what_a_report_says_is_shown_as_text_never_as_markup(
    reviewer: TestClient, app: Any
) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    channel = _channel(app)
    facts = parse_report(
        {
            "category": "other",
            "place": f'Minsk"><b>{hostile}',
            "seen_at": "2025-03-01T10:00",
            "text": hostile,
        },
        max_age=None,
    )
    channel.take(facts, dt.datetime(2025, 3, 1, 7, tzinfo=dt.UTC))
    event = next(
        s.event_id
        for s in channel.queue(Queue.NEW, 0, 500)
        if any(v.text == hostile for v in channel.reports_of(s.event_id))
    )
    page = reviewer.get(f"/desk/review/events/{event}")
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text


def test_take_a_reports_text_choose_its_photo_publish_grade_and_retract(
    reviewer: TestClient, app: Any
) -> None:
    event_id = _event_with_photo(app)
    photo_of = next(v.report_key for v in _channel(app).reports_of(event_id) if v.photo)
    base = f"/desk/review/events/{event_id}"
    before = _channel(app).event(event_id)
    taken = _post(reviewer, f"{base}/publish", {"grade": "2", "action": f"text:{photo_of}"})
    assert taken.status_code == 200
    assert re.search(rf'<textarea[^>]*name="text"[^>]*>{PHOTO_TEXT}</textarea>', taken.text)
    assert _channel(app).event(event_id) == before  # taking a text changes nothing

    published = _post(
        reviewer, f"{base}/publish", {"grade": "2", "text": PHOTO_TEXT, "photo_of": photo_of}
    )
    assert published.url.path == base
    assert 'data-testid="done">Published.' in published.text
    assert 'data-testid="published-photo"' in published.text
    assert re.search(rf'value="{photo_of}"\s+checked', published.text)  # the photo it shows
    state = _channel(app).event(event_id)
    assert state.status.value == "published"
    assert state.published_text == PHOTO_TEXT
    assert state.published_photo is not None

    doubtful = _post(reviewer, f"{base}/publish", {"grade": "4", "text": "x"})
    assert doubtful.status_code == 422
    assert "choose 1, 2 or 3" in doubtful.text
    unchosen = _post(reviewer, f"{base}/grade", {"grade": ""})
    assert unchosen.status_code == 422

    graded = _post(reviewer, f"{base}/grade", {"grade": "5"})
    assert 'data-testid="done">Graded.' in graded.text
    assert _channel(app).event(event_id).status.value == "retracted"  # doubtful: out of the feed

    other = _two_alike(app)[0]
    retracted = _post(reviewer, f"/desk/review/events/{other}/retract", {})
    assert 'data-testid="done">Retracted.' in retracted.text
    assert _channel(app).event(other).status.value == "retracted"


def test_split_off_ticked_reports_and_merge_ticked_events(reviewer: TestClient, app: Any) -> None:
    first, second = _two_alike(app)
    sizes = [_channel(app).event(e).facts.reports for e in (first, second)]
    merged = _post(reviewer, "/desk/review/merge", {"event": [second, first]})
    numbers = sorted(_channel(app).event(e).number for e in (first, second) if _exists(app, e))
    assert len(numbers) == 1  # one left
    kept = merged.url.path.rsplit("/", 1)[1]
    assert 'data-testid="done">Merged into this event.' in merged.text
    assert _channel(app).event(kept).facts.reports == sum(sizes)

    keys = [view.report_key for view in _channel(app).reports_of(kept)]
    split = _post(reviewer, f"/desk/review/events/{kept}/split", {"report": keys[:1]})
    assert 'data-testid="done">Split off:' in split.text
    new_id = split.url.params["new"]
    assert f'href="/desk/review/events/{new_id}" data-testid="new-event"' in split.text
    assert [v.report_key for v in _channel(app).reports_of(new_id)] == keys[:1]

    none = _post(reviewer, f"/desk/review/events/{kept}/split", {})
    assert none.status_code == 422
    assert "tick the ones that are another event" in none.text
    one = _post(reviewer, "/desk/review/merge", {"event": [kept]})
    assert one.status_code == 422
    other = next(
        s
        for s in _channel(app).queue(Queue.NEW, 0, 500)
        if s.category != _channel(app).event(kept).category
    )
    mixed = _post(reviewer, "/desk/review/merge", {"event": [kept, other.event_id]})
    assert mixed.status_code == 422
    assert "of different categories" in mixed.text


def _exists(app: Any, event_id: str) -> bool:
    return _channel(app).store.event(event_id) is not None


def test_every_action_through_the_pages_is_audited_as_the_desks(
    reviewer: TestClient, app: Any
) -> None:
    event_id = _event_with_photo(app)
    reviewer.get(f"/desk/review/events/{event_id}")
    _post(reviewer, f"/desk/review/events/{event_id}/grade", {"grade": "3"})
    entries = [e for e in app.state.server.opened().audit.entries() if e.actor == "reviewer-1"]
    graded = next(e for e in entries if e.action.value == "event graded")
    assert graded.detail["via"] == "desk"
    assert graded.detail["grade"] == 3
    assert any(e.action.value == "event and its reports read" for e in entries)


# --- who may, and the channel's own vault ------------------------------------------------------


def test_other_roles_and_forms_without_the_token_are_refused(app: Any) -> None:
    event_id = _event_with_photo(app)
    with _client(app) as client:
        for role in Role:
            if role is Role.REVIEWER:
                continue
            _as(client, role)
            assert 'href="/desk/review"' not in client.get("/desk").text
            assert client.get("/desk/review").status_code == 403, role
            assert client.get(f"/desk/review/events/{event_id}").status_code == 403, role
            graded = _post(client, f"/desk/review/events/{event_id}/grade", {"grade": "1"})
            assert graded.status_code == 403, role
        _as(client, Role.REVIEWER)
        forged = client.post(f"/desk/review/events/{event_id}/grade", data={"grade": "1"})
        assert forged.status_code == 403
        assert _channel(app).event(event_id).grade is None


def test_a_locked_channel_asks_for_its_own_passphrase(data_dir: Path, reports_dir: Path) -> None:
    app = _app(data_dir, reports_dir, unlocked=False)
    with _client(app) as client:
        _as(client, Role.REVIEWER)
        assert client.get("/desk/review").url.path == "/desk/reports"
        page = client.get("/desk/reports")
        assert "It has its own passphrase" in page.text
        wrong = _post(client, "/desk/reports/unlock", {"passphrase": TEST_PASSPHRASE})
        assert wrong.status_code == 401
        assert "does not open the reports channel" in wrong.text
        unlocked = _post(client, "/desk/reports/unlock", {"passphrase": REPORTS_PASSPHRASE})
        assert unlocked.url.path == "/desk/review"
        locked = _post(client, "/desk/reports/lock", {})
        assert "The reports channel is locked." in locked.text
        assert app.state.server.reports.locked

        _as(client, Role.ADMIN)
        assert 'href="/desk/reports"' in client.get("/desk").text
        unlocked = _post(client, "/desk/reports/unlock", {"passphrase": REPORTS_PASSPHRASE})
        assert unlocked.url.path == "/desk/reports"
        assert "The reports channel is unlocked." in unlocked.text
        assert client.get("/desk/review").status_code == 403  # unlocks it, reads nothing
        _as(client, Role.INTAKE)
        assert client.get("/desk/reports").status_code == 403


def test_without_a_reports_directory_the_pages_say_so(data_dir: Path) -> None:
    app = _app(data_dir, None)
    with _client(app) as client:
        _as(client, Role.REVIEWER)
        page = client.get("/desk/review")
        assert page.status_code == 404
        assert "--reports-dir" in page.text


def test_the_belarusian_interface(reviewer: TestClient, app: Any) -> None:
    reviewer.post("/desk/language", data={"language": "be", "csrf": _csrf(reviewer)})
    page = reviewer.get("/desk/review")
    assert "Падзеі" in page.text
    assert "Новыя (" in page.text
    event = reviewer.get(f"/desk/review/events/{_event_with_photo(app)}")
    assert "Апублікаваць" in event.text
    assert not WORDS_KEYS.search(page.text + event.text)


# --- in a real browser, without JavaScript ----------------------------------------------------


@pytest.fixture
def review_desk(app: Any, data_dir: Path) -> Iterator[LiveDesk]:
    for base_url in serve(app):
        yield LiveDesk(app, base_url, data_dir)


@needs_chromium
def test_a_reviewer_publishes_in_a_browser_without_javascript(
    browser: Browser, review_desk: LiveDesk, shot: Shot
) -> None:
    people = Browsers(browser, review_desk)
    try:
        page = people.page(javascript=False)
        sign_in(page, Role.REVIEWER)
        page.get_by_role("link", name="Events").first.click()
        expect(page.get_by_test_id("queues")).to_be_visible()
        shot(page, "queue")
        page.get_by_test_id("queue-suspect").click()
        page.get_by_test_id("event-link").first.click()
        expect(page.get_by_test_id("suspect")).to_be_visible()
        shot(page, "suspect-event")

        page.goto(f"/desk/review/events/{_event_with_photo(review_desk.app)}")
        expect(page.get_by_test_id("report-photo")).to_be_visible()
        page.locator("article", has_text=PHOTO_TEXT).get_by_test_id("take-text").click()
        expect(page.locator("#publish-text")).to_have_value(PHOTO_TEXT)
        page.locator("#publish-grade").select_option("2")
        page.locator("article", has_text=PHOTO_TEXT).get_by_label("publish this photo").check()
        shot(page, "publish-form")
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_test_id("done")).to_have_text("Published.")
        expect(page.get_by_test_id("published-photo")).to_be_visible()
        shot(page, "published")
    finally:
        people.close()
