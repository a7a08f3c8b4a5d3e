"""Pictures of the desk for the README, taken in Debian's chromium with Playwright.

    BONAFIDE_PASSPHRASE='demo only: not for real data' .venv/bin/python tools/desk_screenshots.py

Needs `make demo` to have run (demo-data/store, demo-data/reports). Serves the demo store on a
free localhost port, walks one applicant through intake, vetting and the checkpoint with the demo
accounts, shows the report reviewer's queue and an event, then the reports' intake form and its
published feed (served by `bonafide reports serve`), and writes docs/desk/*.png. The demo data
are synthetic: the pictures show no real person.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
from playwright.sync_api import Page, sync_playwright

from bonafide.accounts import AccountStore, Role
from bonafide.vault import Passphrase, Vault

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "demo-data" / "store"
REPORTS = ROOT / "demo-data" / "reports"
OUT = ROOT / "docs" / "desk"


def _password(role: Role) -> str:
    return f"demo {role.value} password"


def _accounts() -> None:
    vault = Vault.unlock(STORE, Passphrase(os.environ["BONAFIDE_PASSPHRASE"]))
    accounts = AccountStore.open(vault)
    try:
        for role in Role:
            if accounts.get(f"demo-{role.value}") is None:
                accounts.add(f"demo-{role.value}", role, _password(role))
    finally:
        accounts.close()
        vault.close()


def _serve(port: int, intake: bool = False) -> subprocess.Popen[bytes]:
    bonafide = str(Path(sys.executable).parent / "bonafide")
    if intake:
        command = [bonafide, "reports", "serve", "--data-dir", str(REPORTS), "--port", str(port)]
        probe = "/feed/events.json"
    else:
        command = [bonafide, "serve", "--data-dir", str(STORE), "--port", str(port),
                   "--reports-dir", str(REPORTS)]  # fmt: skip
        probe = "/health"
    # the demo's one passphrase opens both vaults (an office has two)
    environment = os.environ | {"BONAFIDE_REPORTS_PASSPHRASE": os.environ["BONAFIDE_PASSPHRASE"]}
    server = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(120):
        try:
            if httpx2.get(f"http://127.0.0.1:{port}{probe}", timeout=1).status_code == 200:
                return server
        except httpx2.HTTPError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the service did not start")


def _sign_in(page: Page, base: str, role: Role) -> None:
    page.goto(f"{base}/desk/sign-in")
    page.fill("#name", f"demo-{role.value}")
    page.fill("#password", _password(role))
    page.click("button[type=submit]:has-text('Sign in')")


def _shot(page: Page, name: str, full_page: bool = True) -> None:
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _reports(page: Page, base: str) -> None:
    """The reviewer's queue and its busiest new event."""
    _sign_in(page, base, Role.REVIEWER)
    page.goto(f"{base}/desk/review")
    _shot(page, "review-queue", full_page=False)
    page.click("table a[href*='/desk/review/events/']")
    _shot(page, "review-event", full_page=False)
    page.click("button:has-text('Sign out')")


def _intake(page: Page) -> None:
    port = _free_port()
    server = _serve(port, intake=True)
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        _shot(page, "reports-form", full_page=False)
        page.goto(f"http://127.0.0.1:{port}/feed")
        _shot(page, "reports-feed", full_page=False)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    _accounts()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    genuine = json.loads((ROOT / "demo-data" / "genuine.json").read_text(encoding="utf-8"))
    identity = genuine["identity"]
    server = _serve(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"),
                headless=True,
                args=["--no-sandbox"] if os.geteuid() == 0 else [],
            )
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(f"{base}/desk/sign-in")
            _shot(page, "sign-in")
            _sign_in(page, base, Role.INTAKE)
            page.goto(f"{base}/desk/intake")
            page.fill("#surname", identity["surname"])
            page.fill("#given_name", identity["given_name"])
            page.fill("#birth_date", "1990-02-30")  # a slip, to show a problem by its field
            residence = (genuine.get("residences") or [{}])[0]
            page.fill("#residence-0-settlement", str(residence.get("settlement", "Мінск")))
            page.fill("#residence-0-from", str(residence.get("from", "2001")))
            page.click("button[value=save]")
            _shot(page, "intake")
            page.fill("#birth_date", identity.get("birth_date", ""))
            page.click("button[value=submit]")
            code = page.inner_text("[data-testid=code]")
            page.click("button:has-text('Sign out')")
            _sign_in(page, base, Role.VETTING)
            page.goto(f"{base}/desk/dossiers")
            page.click(f"tr:has-text('{code}') button:has-text('Take')")
            page.click("button:has-text('Verify')")
            _shot(page, "verification")
            page.check("input[value=question]")
            page.fill("#reason", "ask where the applicant lived after 2010")
            page.click("button:has-text('Decide')")
            page.click("button:has-text('Sign out')")
            _sign_in(page, base, Role.CHECKPOINT)
            page.goto(f"{base}/desk/handoff")
            _shot(page, "handoff")
            page.click("button:has-text('Sign out')")
            _sign_in(page, base, Role.AUDITOR)
            page.goto(f"{base}/desk/audit")
            _shot(page, "audit", full_page=False)
            page.click("button:has-text('Sign out')")
            _sign_in(page, base, Role.ANALYST)
            page.goto(f"{base}/desk/registries")
            _shot(page, "registries")
            page.goto(f"{base}/desk/registries/model")
            _shot(page, "model", full_page=False)
            page.click("button:has-text('Sign out')")
            _sign_in(page, base, Role.ADMIN)
            page.goto(f"{base}/desk/admin")
            _shot(page, "administration", full_page=False)
            page.click("button:has-text('Sign out')")
            _reports(page, base)
            page.set_viewport_size({"width": 1100, "height": 1000})
            _intake(page)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    pictures = ", ".join(sorted(p.name for p in OUT.glob("*.png")))
    print(f"pictures in {OUT.relative_to(ROOT)}: {pictures}")


if __name__ == "__main__":
    main()
