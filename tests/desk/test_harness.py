"""The harness itself: the service serves a real browser, locked until unlocked."""

from __future__ import annotations

from bonafide.accounts import Role
from tests.vaults import TEST_PASSPHRASE

from .conftest import PASSWORD, Browsers, LiveDesk, Shot, account_name, needs_chromium

pytestmark = needs_chromium


def test_the_service_starts_locked_and_serves_the_browser(
    live_desk: LiveDesk, browsers: Browsers, shot: Shot
) -> None:
    page = browsers.page()
    answer = page.goto("/health")
    assert answer is not None
    assert answer.ok
    assert answer.json() == {"status": "locked"}
    shot(page, "health")
    assert live_desk.app.state.server.locked


def test_accounts_of_every_role_are_in_the_vault(live_desk: LiveDesk, browsers: Browsers) -> None:
    # the API's own sign-in, once unlocked through the API, knows each role's account
    page = browsers.page()
    unlocked = page.request.post("/vault/unlock", data={"passphrase": TEST_PASSPHRASE})
    assert unlocked.ok, unlocked.text()
    for role in Role:
        signed_in = page.request.post(
            "/auth/sign-in", data={"name": account_name(role), "password": PASSWORD}
        )
        assert signed_in.ok, signed_in.text()
