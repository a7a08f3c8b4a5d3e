"""The desk's pages without a browser: the whole way through, CSRF, need to know per role.
(The same journey in a real browser: tests/desk/.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bonafide.accounts import AccountStore, Role
from bonafide.api import create_app
from bonafide.vault import Passphrase, Vault
from tests.vaults import TEST_PASSPHRASE

from .conftest import PASSWORD


def _client(api_dir: Path) -> TestClient:
    vault = Vault.unlock(api_dir, Passphrase(TEST_PASSPHRASE))
    accounts = AccountStore.open(vault)
    for role in Role:
        accounts.add(f"{role.value}-1", role, PASSWORD)
    accounts.close()
    vault.close()
    client = TestClient(create_app(api_dir))  # locked: the desk asks for the passphrase
    client.get("/desk/unlock")  # the browser's CSRF cookie, as its first page gives it
    return client


def _csrf(client: TestClient) -> str:
    return str(client.cookies.get("bf_csrf"))


def _sign_in(client: TestClient, role: Role) -> None:
    client.post("/desk/sign-out", data={"csrf": _csrf(client)})
    answer = client.post(
        "/desk/sign-in",
        data={"name": f"{role.value}-1", "password": PASSWORD, "csrf": _csrf(client)},
    )
    assert answer.url.path == "/desk", answer.text


def test_the_whole_way_through_the_desk(api_dir: Path, population: Any) -> None:
    client = _client(api_dir)
    assert client.get("/desk").url.path == "/desk/unlock"
    wrong = client.post("/desk/unlock", data={"passphrase": "wrong one", "csrf": _csrf(client)})
    assert wrong.status_code == 401
    unlocked = client.post(
        "/desk/unlock", data={"passphrase": TEST_PASSPHRASE, "csrf": _csrf(client)}
    )
    assert unlocked.url.path == "/desk/sign-in"
    session_cookie = client.cookies.jar
    assert any(c.name == "bf_csrf" for c in session_cookie)

    _sign_in(client, Role.INTAKE)
    identity = population.dossiers()[0]["identity"]
    form = {
        "csrf": _csrf(client),
        "surname": identity["surname"],
        "given_name": identity["given_name"],
        "birth_date": identity["birth_date"],
        "residence-0-settlement": "Minsk",
        "residence-0-from": "2001",
        "employment-0-employer": "",  # the empty row the page shows
        "action": "add-employment",
    }
    added = client.post("/desk/intake", data=form)
    assert 'name="employment-1-employer"' in added.text  # a second row to type into
    saved = client.post("/desk/intake", data={**form, "action": "save"})
    code = saved.url.path.rsplit("/", 1)[1]
    assert re.fullmatch(r"C-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    submitted = client.post(f"/desk/intake/{code}", data={**form, "action": "submit"})
    assert code in submitted.text

    _sign_in(client, Role.VETTING)
    assert code in client.get("/desk/dossiers").text
    client.post(f"/desk/dossiers/{code}/take", data={"csrf": _csrf(client)})
    verified = client.post(f"/desk/dossiers/{code}/verify", data={"csrf": _csrf(client)})
    assert 'data-testid="verdict"' in verified.text
    assert "<svg" in verified.text
    decided = client.post(
        f"/desk/dossiers/{code}/decision",
        data={"csrf": _csrf(client), "decision": "question", "reason": "ask about the move"},
    )
    assert 'data-testid="decision"' in decided.text

    _sign_in(client, Role.CHECKPOINT)
    handoff = client.get("/desk/handoff")
    assert code in handoff.text
    assert identity["surname"] not in handoff.text
    assert "ask about the move" not in handoff.text

    _sign_in(client, Role.AUDITOR)
    audit = client.get("/desk/audit")
    for action in ("dossier entered", "dossier submitted", "dossier taken for vetting",
                   "dossier verified", "dossier decided", "hand-off list read"):  # fmt: skip
        assert action in audit.text, action
    assert 'data-testid="chain">intact' in audit.text


def test_a_role_opening_another_roles_page_gets_403(api_dir: Path) -> None:
    client = _client(api_dir)
    client.post("/desk/unlock", data={"passphrase": TEST_PASSPHRASE, "csrf": _csrf(client)})
    for role, page in (
        (Role.CHECKPOINT, "/desk/intake"),
        (Role.INTAKE, "/desk/audit"),
        (Role.ANALYST, "/desk/dossiers"),
        (Role.ADMIN, "/desk/handoff"),
        (Role.AUDITOR, "/desk/dossiers/C-0000-0000"),
    ):
        _sign_in(client, role)
        assert client.get(page).status_code == 403, (role, page)


def test_a_form_without_the_csrf_token_is_refused(api_dir: Path) -> None:
    client = _client(api_dir)
    client.get("/desk/unlock")
    refused = client.post("/desk/unlock", data={"passphrase": TEST_PASSPHRASE, "csrf": "forged"})
    assert refused.status_code == 403
    assert client.get("/health").json() == {"status": "locked"}


def test_the_session_cookie_is_httponly_and_strict(api_dir: Path) -> None:
    client = _client(api_dir)
    client.post("/desk/unlock", data={"passphrase": TEST_PASSPHRASE, "csrf": _csrf(client)})
    answer = client.post(
        "/desk/sign-in",
        data={"name": "intake-1", "password": PASSWORD, "csrf": _csrf(client)},
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"]
    assert "bf_desk=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie


def test_the_interface_speaks_belarusian_per_account(api_dir: Path) -> None:
    client = _client(api_dir)
    client.post("/desk/unlock", data={"passphrase": TEST_PASSPHRASE, "csrf": _csrf(client)})
    _sign_in(client, Role.INTAKE)
    client.post("/desk/language", data={"language": "be", "csrf": _csrf(client)})
    page = client.get("/desk/intake")
    assert "Прозвішча" in page.text
    assert 'lang="be"' in page.text
