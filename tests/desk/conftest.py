"""The desk in a real browser: the service on a free localhost port, Debian's chromium driven
by Playwright, one account per role, screenshots of every step.

The service starts locked (no secret), as after a restart: the journey unlocks it through the
desk. Playwright never downloads a browser here: it launches the system's `chromium` (installed
by `make system-deps`); without it the desk's tests are skipped.

Screenshots go to a temporary directory, or under `$BONAFIDE_ARTEFACTS` when it is set
(`BONAFIDE_ARTEFACTS=out/desk .venv/bin/pytest tests/desk`), one folder per test, one PNG per
step, numbered in order.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from bonafide.accounts import AccountStore, Role
from bonafide.api import create_app
from bonafide.vault import Passphrase, Vault
from tests.vaults import TEST_PASSPHRASE

CHROMIUM = shutil.which("chromium")
NO_CHROMIUM = "the desk's browser tests need Debian's chromium (make system-deps installs it)"
# for the desk's test modules: `pytestmark = needs_chromium`, every test skipped without it
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)

PASSWORD = "a long test password"
STEP_TIMEOUT_MS = 5_000  # each click, fill and wait for a page
NAVIGATION_TIMEOUT_MS = 10_000
ARTEFACTS_ENV = "BONAFIDE_ARTEFACTS"
_NOT_IN_A_FILE_NAME = re.compile(r"[^\w.-]+")


def account_name(role: Role) -> str:
    return f"{role.value}-1"


class LiveDesk:
    """The service running on `base_url`, over `data_dir`."""

    def __init__(self, app: FastAPI, base_url: str, data_dir: Path) -> None:
        self.app = app
        self.base_url = base_url
        self.data_dir = data_dir

    def url(self, path: str) -> str:
        return self.base_url + path


def add_accounts(data_dir: Path) -> None:
    """One account per role, written into the vault before the service starts locked."""
    vault = Vault.unlock(data_dir, Passphrase(TEST_PASSPHRASE))
    try:
        accounts = AccountStore.open(vault)
        try:
            for role in Role:
                accounts.add(account_name(role), role, PASSWORD)
        finally:
            accounts.close()
    finally:
        vault.close()


def serve(app: FastAPI) -> Iterator[str]:
    """`app` on a free localhost port, in a thread, until the generator is closed."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # the lifespan on: its shutdown locks the vault (every store closed) when the server stops
    config = uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "the service stopped while starting"
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


@pytest.fixture
def live_desk(resolved_data_dir: Path, tmp_path: Path) -> Iterator[LiveDesk]:
    """A fresh service for each test, over its own copy of the resolved store, locked."""
    data_dir = tmp_path / "data"
    shutil.copytree(resolved_data_dir, data_dir)
    add_accounts(data_dir)
    app = create_app(data_dir)  # no secret: locked
    for base_url in serve(app):
        yield LiveDesk(app, base_url, data_dir)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    args = ["--no-sandbox"] if os.geteuid() == 0 else []  # chromium's sandbox refuses root
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def artefacts_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kept = os.environ.get(ARTEFACTS_ENV)
    if kept:
        root = Path(kept)
        root.mkdir(parents=True, exist_ok=True)
        return root
    return tmp_path_factory.mktemp("desk-artefacts")


Shot = Callable[[Page, str], Path]


@pytest.fixture
def shot(artefacts_root: Path, request: pytest.FixtureRequest) -> Shot:
    """`shot(page, "step")`: a full-page screenshot, numbered in the test's own folder."""
    folder = artefacts_root / _NOT_IN_A_FILE_NAME.sub("_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    count = 0

    def take(page: Page, step: str) -> Path:
        nonlocal count
        count += 1
        path = folder / f"{count:02d}-{_NOT_IN_A_FILE_NAME.sub('-', step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


class Browsers:
    """A separate browser context (own cookies) per person at the desk."""

    def __init__(self, browser: Browser, desk: LiveDesk) -> None:
        self._browser = browser
        self._desk = desk
        self._contexts: list[BrowserContext] = []

    def page(self, javascript: bool = True) -> Page:
        """A new person's page; `javascript=False` as in Tor Browser's safer mode."""
        context = self._browser.new_context(
            base_url=self._desk.base_url,
            locale="en-GB",
            viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        self._contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self._contexts:
            context.close()


@pytest.fixture
def browsers(browser: Browser, live_desk: LiveDesk) -> Iterator[Browsers]:
    opened = Browsers(browser, live_desk)
    try:
        yield opened
    finally:
        opened.close()


def sign_in(page: Page, role: Role) -> None:
    """Sign in through the form as the role's account; lands on the desk's home."""
    page.goto("/desk/sign-in")
    expect(page).to_have_url(re.compile(r"/desk/sign-in"))
    page.locator("input[name=name]").fill(account_name(role))
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/desk/?$"))


def unlock(page: Page) -> None:
    """On the unlock page: the vault's passphrase."""
    expect(page).to_have_url(re.compile(r"/desk/unlock"))
    page.locator("input[name=passphrase]").fill(TEST_PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(page).not_to_have_url(re.compile(r"/desk/unlock"))


__all__ = [
    "PASSWORD",
    "Browsers",
    "LiveDesk",
    "Shot",
    "account_name",
    "expect",
    "needs_chromium",
    "sign_in",
    "unlock",
]
