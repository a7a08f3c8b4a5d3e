"""The desk in a real browser, end to end: the vault unlocked after a start, a dossier entered
with Belarusian Cyrillic names and Latin addresses, taken, verified, decided, handed to the
checkpoint without a name, every step in the audit log; and each role kept off the others'
pages (403).

The intake officer's browser runs without JavaScript (the forms must work in Tor Browser's
safer mode); the others' with it (htmx loaded, as most offices will have it).
"""

from __future__ import annotations

import csv
import re
from typing import Any

import pytest
from playwright.sync_api import Page

from bonafide.accounts import Role
from bonafide.names.transliterate import Scheme, transliterate
from tests.conftest import Population

from .conftest import (
    Browsers,
    LiveDesk,
    Shot,
    account_name,
    expect,
    needs_chromium,
    sign_in,
    unlock,
)

pytestmark = needs_chromium

CODE = re.compile(r"^C-[0-9A-Z]{4}-[0-9A-Z]{4}$")
VERIFY_TIMEOUT_MS = 30_000  # the first verification opens the resolved registries
BELARUSIAN_LETTERS = set("іўІЎ")
MISTAKE = ("Hrodna", "vulica Azheshka")  # a residence the applicant never had
REASON = "The registry has another address for 2001–2002: ask at the checkpoint."


@pytest.fixture(scope="module")
def applicant(population: Population) -> dict[str, Any]:
    """A genuine applicant whose names are in Belarusian Cyrillic, with a few rows of each."""
    with (population.truth / "applicants.csv").open(encoding="utf-8") as f:
        kinds = {row["dossier_id"]: row["kind"] for row in csv.DictReader(f)}
    for dossier in population.dossiers():
        identity = dossier["identity"]
        if (
            kinds[dossier["dossier_id"]] == "genuine"
            and BELARUSIAN_LETTERS & set(identity["surname"] + identity["given_name"])
            and 2 <= len(dossier.get("residences") or []) <= 4
            and 1 <= len(dossier.get("education") or []) <= 3
            and 2 <= len(dossier.get("employment") or []) <= 4
        ):
            return dossier
    pytest.fail("no genuine applicant with Belarusian Cyrillic names in the test population")


def _latin(text: str | None) -> str:
    """A Cyrillic address as the passport's Latin letters (Орша → Orsha)."""
    return transliterate(text, Scheme.PASSPORT) if text else ""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _fill_rows(page: Page, prefix: str, rows: list[dict[str, str]]) -> None:
    """Each row typed into its fields, a row added by its button before it is typed."""
    for n, row in enumerate(rows):
        first = page.locator(f"input[name='{prefix}-{n}-{next(iter(row))}']")
        if n > 0:
            page.locator(f"button[name=action][value=add-{prefix}]").click()
        expect(first).to_be_visible()
        for name, value in row.items():
            page.locator(f"input[name='{prefix}-{n}-{name}']").fill(value)


def _row_values(dossier: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    return {
        "residence": [
            {
                "settlement": _latin(r.get("settlement")),
                "street": _latin(r.get("street")),
                "from": _text(r.get("from")),
                "to": _text(r.get("to")),
            }
            for r in dossier["residences"]
        ],
        "education": [
            {
                "institution": _text(r.get("institution")),
                "from": _text(r.get("from")),
                "to": _text(r.get("to")),
            }
            for r in dossier["education"]
        ],
        "employment": [
            {
                "employer": _text(r.get("employer")),
                "position": _text(r.get("position")),
                "from": _text(r.get("from")),
                "to": _text(r.get("to")),
            }
            for r in dossier["employment"]
        ],
    }


IDENTITY_INPUTS = (
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "birth_place",
    "personal_number",
    "passport_number",
)
NAME_FIELDS = ("surname", "given_name", "patronymic", "personal_number", "passport_number")


def _audit_row(page: Page, action: str, actor: str, code: str | None = None) -> None:
    rows = page.locator("tbody tr").filter(has_text=action).filter(has_text=actor)
    if code is not None:
        rows = rows.filter(has_text=code)
    expect(rows.first).to_be_visible()


def test_the_whole_journey(
    live_desk: LiveDesk, browsers: Browsers, shot: Shot, applicant: dict[str, Any]
) -> None:
    identity = applicant["identity"]

    # --- the administrator: the service is locked after a start; unlock, sign in -----------
    admin = browsers.page()
    admin.goto("/desk")
    expect(admin).to_have_url(re.compile(r"/desk/unlock$"))
    shot(admin, "locked-unlock-page")
    unlock(admin)
    assert not live_desk.app.state.server.locked
    shot(admin, "unlocked-sign-in")
    sign_in(admin, Role.ADMIN)
    expect(admin.get_by_text(account_name(Role.ADMIN))).to_be_visible()
    shot(admin, "admin-home")
    session = next(c for c in admin.context.cookies() if c["name"] == "bf_desk")
    assert session["httpOnly"]
    assert session["sameSite"] == "Strict"
    admin.get_by_role("button", name="Sign out").click()
    expect(admin).to_have_url(re.compile(r"/desk/sign-in$"))
    assert not [c for c in admin.context.cookies() if c["name"] == "bf_desk" and c["value"]]

    # --- intake, without JavaScript: Belarusian Cyrillic names, Latin addresses -------------
    intake = browsers.page(javascript=False)
    sign_in(intake, Role.INTAKE)
    intake.goto("/desk/intake")
    shot(intake, "intake-empty")
    for name in IDENTITY_INPUTS:
        intake.locator(f"input[name={name}]").fill(_text(identity.get(name)))
    intake.locator("select[name=sex]").select_option(identity["sex"])
    rows = _row_values(applicant)
    # one address the registry contradicts, for the checkpoint to ask about
    rows["residence"][1].update(settlement=MISTAKE[0], street=MISTAKE[1])
    for prefix, values in rows.items():
        _fill_rows(intake, prefix, values)
    shot(intake, "intake-filled")
    intake.locator("button[name=action][value=save]").click()
    expect(intake).to_have_url(re.compile(r"/desk/intake/C-[0-9A-Z]{4}-[0-9A-Z]{4}"))
    code = intake.get_by_test_id("code").inner_text().strip()
    assert CODE.match(code), code
    # kept as typed: the Cyrillic names, the Latin addresses, every row
    expect(intake.locator("input[name=surname]")).to_have_value(identity["surname"])
    expect(intake.locator("input[name=given_name]")).to_have_value(identity["given_name"])
    last = len(rows["residence"]) - 1
    expect(intake.locator(f"input[name=residence-{last}-street]")).to_have_value(
        rows["residence"][last]["street"]
    )
    jobs = rows["employment"]
    expect(intake.locator(f"input[name=employment-{len(jobs) - 1}-employer]")).to_have_value(
        jobs[-1]["employer"]
    )
    shot(intake, "intake-saved")
    intake.locator("button[name=action][value=submit]").click()
    expect(intake.get_by_test_id("code")).to_have_text(code)
    shot(intake, "intake-submitted")

    # --- vetting: take, verify, decide "question" --------------------------------------------
    vetting = browsers.page()
    sign_in(vetting, Role.VETTING)
    vetting.goto("/desk/dossiers")
    expect(vetting.locator("tbody tr").filter(has_text=code)).to_be_visible()
    shot(vetting, "vetting-queue")
    vetting.locator(f"form[action='/desk/dossiers/{code}/take'] button").click()
    expect(vetting).to_have_url(re.compile(rf"/desk/dossiers/{code}$"))
    shot(vetting, "vetting-taken")
    vetting.get_by_role("button", name="Verify").click()
    verdict = vetting.get_by_test_id("verdict")
    expect(verdict).to_be_visible(timeout=VERIFY_TIMEOUT_MS)
    assert verdict.inner_text().strip()
    expect(vetting.locator("svg[data-testid=waterfall]")).to_be_visible()
    shot(vetting, "vetting-verified")
    vetting.locator("input[name=decision][value=question]").check()
    vetting.locator("textarea[name=reason]").fill(REASON)
    vetting.get_by_role("button", name="Decide").click()
    expect(vetting.get_by_test_id("decision")).to_contain_text(REASON)
    shot(vetting, "vetting-decided")

    # --- the checkpoint: the code and the questions, no name ---------------------------------
    with live_desk.app.state.server.stores() as opened:
        kept = opened.cases.get(code)
    assert kept is not None
    assert kept.report is not None
    questions: list[str] = kept.report.get("questions", [])
    assert questions, "the contradicted address gives the checkpoint a question"
    checkpoint = browsers.page()
    sign_in(checkpoint, Role.CHECKPOINT)
    checkpoint.goto("/desk/handoff")
    arrival = checkpoint.get_by_test_id("arrival").filter(has_text=code)
    expect(arrival).to_be_visible()
    for question in questions:
        expect(arrival).to_contain_text(question)
    shot(checkpoint, "checkpoint-handoff")
    page_text = checkpoint.locator("body").inner_text()
    for name in NAME_FIELDS:
        if identity.get(name):
            assert identity[name] not in page_text, name

    # --- the auditor: every step, by whom, on which code; the chain intact -------------------
    auditor = browsers.page()
    sign_in(auditor, Role.AUDITOR)
    auditor.goto("/desk/audit")
    expect(auditor.get_by_test_id("chain")).to_have_text(re.compile("intact", re.IGNORECASE))
    intake_officer, vetting_officer = account_name(Role.INTAKE), account_name(Role.VETTING)
    _audit_row(auditor, "vault unlocked", "service")
    _audit_row(auditor, "signed in", account_name(Role.ADMIN))
    _audit_row(auditor, "dossier entered", intake_officer, code)
    _audit_row(auditor, "dossier submitted", intake_officer, code)
    _audit_row(auditor, "dossier taken for vetting", vetting_officer, code)
    _audit_row(auditor, "dossier verified", vetting_officer, code)
    _audit_row(auditor, "dossier decided", vetting_officer, code)
    _audit_row(auditor, "hand-off list read", account_name(Role.CHECKPOINT))
    shot(auditor, "audit-log")
    audit_text = auditor.locator("body").inner_text()
    assert identity["surname"] not in audit_text


def test_intake_is_checked_as_typed_with_htmx(
    live_desk: LiveDesk, browsers: Browsers, shot: Shot
) -> None:
    """With JavaScript, htmx (served by the app itself) shows a problem beside the field once
    it is typed, before any button is pressed."""
    page = browsers.page()
    page.goto("/desk")
    unlock(page)
    sign_in(page, Role.INTAKE)
    answer = page.request.get("/desk/static/vendor/htmx/htmx.min.js")
    assert answer.ok
    assert "javascript" in answer.headers["content-type"]
    page.goto("/desk/intake")
    page.wait_for_function("() => window.htmx !== undefined")
    page.locator("input[name=surname]").fill("Кавалевіч")
    page.locator("input[name=birth_date]").fill("1976-13-45")
    page.locator("input[name=birth_date]").blur()
    expect(page.locator("#birth_date-problem")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/desk/intake$"))  # no page was loaded
    expect(page.locator("input[name=surname]")).to_have_value("Кавалевіч")
    shot(page, "intake-problem-as-typed")


# A role's page opened by another role: (who, where).
FORBIDDEN = [
    (Role.CHECKPOINT, "/desk/intake"),
    (Role.INTAKE, "/desk/audit"),
    (Role.ANALYST, "/desk/dossiers"),
    (Role.AUDITOR, "/desk/handoff"),
    (Role.ADMIN, "/desk/intake"),
    (Role.VETTING, "/desk/audit"),
    (Role.CHECKPOINT, "/desk/dossiers"),
]


def test_a_role_opening_another_roles_page_gets_403(
    live_desk: LiveDesk, browsers: Browsers, shot: Shot
) -> None:
    page = browsers.page()
    page.goto("/desk")
    unlock(page)
    for role in sorted({role for role, _ in FORBIDDEN}):
        page = browsers.page()
        sign_in(page, role)
        for who, path in FORBIDDEN:
            if who is not role:
                continue
            answer = page.goto(path)
            assert answer is not None
            assert answer.status == 403, (role, path, answer.status)
            expect(page.get_by_test_id("error")).to_be_visible()
            expect(page).to_have_url(re.compile(re.escape(path) + "$"))
            shot(page, f"{role.value}-{path.rsplit('/', 1)[-1]}-403")
