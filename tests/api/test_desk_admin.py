"""The desk's registry pages (analyst) and administration pages (admin), without a browser."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bonafide.accounts import Role
from bonafide.api import create_app
from bonafide.api.jobs import Job
from bonafide.vault import Passphrase, Vault
from bonafide.vault.audit import AuditLog
from bonafide.vault.settings import VaultSettings
from tests.vaults import TEST_PASSPHRASE

from .conftest import PASSWORD

REGISTRY_PAGES = (
    "/desk/registries",
    "/desk/registries/identity",
    "/desk/registries/model",
    "/desk/registries/import",
    "/desk/registries/identity/imports/1/rejects",
)
ADMIN_PAGES = ("/desk/admin", "/desk/admin/vault", "/desk/admin/lock", "/desk/admin/wipe")


def _client(api_dir: Path, import_dir: Path | None = None) -> TestClient:
    app = create_app(api_dir, Passphrase(TEST_PASSPHRASE), import_dir)
    accounts = app.state.server.opened().accounts
    for role in Role:
        accounts.add(f"{role.value}-1", role, PASSWORD)
    client = TestClient(app)
    client.get("/desk/sign-in")  # the browser's CSRF cookie
    return client


def _csrf(client: TestClient) -> str:
    return str(client.cookies.get("bf_csrf"))


def _sign_in(client: TestClient, name: str, password: str = PASSWORD) -> int:
    client.post("/desk/sign-out", data={"csrf": _csrf(client)})
    answer = client.post(
        "/desk/sign-in", data={"name": name, "password": password, "csrf": _csrf(client)}
    )
    return answer.status_code if answer.url.path != "/desk" else 0


def _as(client: TestClient, role: Role) -> None:
    assert _sign_in(client, f"{role.value}-1") == 0


def _audited(api_dir: Path) -> list[str]:
    vault = Vault.unlock(api_dir, Passphrase(TEST_PASSPHRASE))
    try:
        with AuditLog(vault) as log:
            return [e.action.value for e in log.entries()]
    finally:
        vault.close()


def _follow(client: TestClient, job_page: str) -> str:
    """The job page once the job has ended (the page refreshes itself while it runs)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page = client.get(job_page)
        assert page.status_code == 200, page.text
        if 'data-testid="job-state">running' not in page.text:
            return page.text
        assert '<meta http-equiv="refresh" content="1">' in page.text
        time.sleep(0.2)
    raise AssertionError("the job did not end")


# --- registries ------------------------------------------------------------------------------


def test_the_analyst_sees_the_registries_their_stats_and_the_model(api_dir: Path) -> None:
    client = _client(api_dir)
    _as(client, Role.ANALYST)
    home = client.get("/desk")
    assert 'href="/desk/registries"' in home.text
    listing = client.get("/desk/registries")
    assert listing.status_code == 200
    for kind in ("identity", "residence", "education", "employment", "watchlist"):
        assert f'href="/desk/registries/{kind}"' in listing.text, kind
    stats = client.get("/desk/registries/identity")
    assert stats.status_code == 200
    assert 'data-testid="fields"' in stats.text
    assert "birth_date" in stats.text
    assert re.search(r"(be|ru|cyrl|latn|mixed) \d+\.\d %", stats.text)  # scripts of names
    assert 'data-testid="imports"' in stats.text
    model = client.get("/desk/registries/model")
    assert model.status_code == 200
    persons = re.search(r'data-testid="persons">([\d,]+)<', model.text)
    assert persons
    assert int(persons.group(1).replace(",", "")) > 0
    assert 'data-testid="comparisons"' in model.text
    assert "surname" in model.text
    assert "without_person" not in model.text  # every word translated
    assert client.get("/desk/registries/nonsense").status_code == 404
    assert "imports-off" in client.get("/desk/registries/import").text  # no import directory


def test_the_analyst_imports_follows_the_job_reads_the_rejects_and_resolves(
    api_dir: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "people.csv").write_text(
        "surname,given_name,birth_date,sex\n"
        "Ціханоўская,Алена,1981-05-12,f\n"
        "Rejectedsurname,Ivan,31.02.1990,m\n",
        encoding="utf-8",
    )
    client = _client(api_dir, inbox)
    _as(client, Role.ANALYST)
    page = client.get("/desk/registries/import")
    assert 'value="people.csv"' in page.text
    assert "import directory" in page.text  # files are placed there, not uploaded

    refused = client.post(
        "/desk/registries/import",
        data={"csrf": _csrf(client), "file": "../secret.csv", "kind": "identity"},
    )
    assert refused.status_code == 422
    assert "file: no such file in the import directory" in refused.text

    started = client.post(
        "/desk/registries/import",
        data={"csrf": _csrf(client), "file": "people.csv", "kind": "identity", "mapping": ""},
    )
    assert started.url.path.startswith("/desk/jobs/")
    done = _follow(client, started.url.path)
    assert 'data-testid="job-state">done' in done
    assert '<meta http-equiv="refresh"' not in done
    link = re.search(r'href="(/desk/registries/identity/imports/(\d+)/rejects)"', done)
    assert link, done

    rejects = client.get(link.group(1))
    assert rejects.status_code == 200
    assert "Rejectedsurname" in rejects.text  # the analyst's own data, shown to the analyst
    assert "birth_date" in rejects.text
    assert rejects.headers["cache-control"] == "no-store"
    stats = client.get("/desk/registries/identity")
    assert f"/imports/{link.group(2)}/rejects" in stats.text

    resolve = client.post("/desk/registries/resolve", data={"csrf": _csrf(client)})
    assert resolve.url.path.startswith("/desk/jobs/")
    resolved = _follow(client, resolve.url.path)
    assert 'data-testid="job-state">done' in resolved, resolved

    _as(client, Role.VETTING)
    assert client.get(started.url.path).status_code == 403
    assert client.get(link.group(1)).status_code == 403
    client.close()
    audited = _audited(api_dir)
    for action in ("registry imported", "import rejects read", "registries resolved"):
        assert action in audited, action


def test_other_roles_get_403_on_registry_and_administration_pages(api_dir: Path) -> None:
    client = _client(api_dir)
    for role in Role:
        _as(client, role)
        if role is not Role.ANALYST:
            for page in REGISTRY_PAGES:
                assert client.get(page).status_code == 403, (role, page)
            assert (
                client.post("/desk/registries/resolve", data={"csrf": _csrf(client)}).status_code
                == 403
            )
            assert 'href="/desk/registries"' not in client.get("/desk").text
        if role is not Role.ADMIN:
            for page in ADMIN_PAGES:
                assert client.get(page).status_code == 403, (role, page)
            wipe = client.post(
                "/desk/admin/wipe",
                data={"csrf": _csrf(client), "phrase": "x", "understood": "yes"},
            )
            assert wipe.status_code == 403
    assert Vault.exists(api_dir)


# --- administration --------------------------------------------------------------------------


def test_the_admin_manages_accounts_tokens_and_retention(api_dir: Path) -> None:
    client = _client(api_dir)
    accounts = client.app.state.server.opened().accounts  # type: ignore[attr-defined]
    _as(client, Role.ADMIN)
    page = client.get("/desk/admin")
    assert page.status_code == 200
    assert "intake-1" in page.text

    short = client.post(
        "/desk/admin/accounts",
        data={"csrf": _csrf(client), "name": "clerk-2", "role": "intake", "password": "short pw"},
    )
    assert short.status_code == 422
    assert "password:" in short.text
    assert "short pw" not in short.text
    added = client.post(
        "/desk/admin/accounts",
        data={"csrf": _csrf(client), "name": "clerk-2", "role": "intake", "password": PASSWORD},
    )
    assert added.status_code == 200
    assert 'data-testid="done"' in added.text
    assert _sign_in(client, "clerk-2") == 0
    assert client.get("/desk/intake").status_code == 200
    assert client.get("/desk/admin").status_code == 403

    _as(client, Role.ADMIN)
    client.post(
        "/desk/admin/accounts/clerk-2/disabled", data={"csrf": _csrf(client), "disabled": "1"}
    )
    assert accounts.get("clerk-2").disabled
    assert _sign_in(client, "clerk-2") == 401

    _as(client, Role.ADMIN)
    own = client.post(
        "/desk/admin/accounts/admin-1/disabled", data={"csrf": _csrf(client), "disabled": "1"}
    )
    assert own.status_code == 409
    assert not accounts.get("admin-1").disabled

    token = accounts.create_token("intake-1")
    token_id = token.split("_")[1]
    assert token_id in client.get("/desk/admin").text
    client.post(f"/desk/admin/tokens/{token_id}/revoke", data={"csrf": _csrf(client)})
    assert accounts.account_of_token(token) is None

    unticked = client.post("/desk/admin/accounts/clerk-2/remove", data={"csrf": _csrf(client)})
    assert unticked.status_code == 422
    assert accounts.get("clerk-2") is not None
    client.post(
        "/desk/admin/accounts/clerk-2/remove", data={"csrf": _csrf(client), "confirm": "yes"}
    )
    assert accounts.get("clerk-2") is None

    vault_page = client.get("/desk/admin/vault")
    assert 'data-testid="slots"' in vault_page.text
    assert "wrapped" not in vault_page.text
    assert "salt" not in vault_page.text
    bad = client.post("/desk/admin/retention", data={"csrf": _csrf(client), "days": "soon"})
    assert bad.status_code == 422
    assert "days:" in bad.text
    saved = client.post("/desk/admin/retention", data={"csrf": _csrf(client), "days": "30"})
    assert 'data-testid="retention">' in saved.text
    assert "30" in saved.text
    vault = client.app.state.server.opened().vault  # type: ignore[attr-defined]
    assert VaultSettings.load(vault).retention_days == 30
    client.close()
    audited = _audited(api_dir)
    for action in (
        "account added",
        "account changed",
        "token revoked",
        "account removed",
        "retention set",
    ):
        assert action in audited, action


def test_a_running_job_page_refreshes_itself_and_locking_waits_for_it(api_dir: Path) -> None:
    client = _client(api_dir)
    jobs = client.app.state.jobs  # type: ignore[attr-defined]
    release = threading.Event()

    def work(job: Job) -> dict[str, Any]:
        job.emit("progress", {"phase": "reading", "bytes_done": 40, "bytes_total": 100,
                              "rows_read": 7})  # fmt: skip
        release.wait(30)
        return {"persons": 1, "identity_records": 1, "linked": {}, "unlinked": {}}

    job = jobs.start("resolve", work, lambda error: {"title": "x", "detail": "y"})
    try:
        _as(client, Role.ANALYST)
        page = client.get(f"/desk/jobs/{job.job_id}")
        assert '<meta http-equiv="refresh" content="1">' in page.text
        assert 'value="40"' in page.text
        assert "/desk/jobs/" + job.job_id in client.get("/desk/registries").text
        busy = client.post("/desk/registries/resolve", data={"csrf": _csrf(client)})
        assert busy.status_code == 409
        _as(client, Role.ADMIN)
        waits = client.post("/desk/admin/lock", data={"csrf": _csrf(client), "understood": "yes"})
        assert waits.status_code == 422
        assert client.get("/health").json() == {"status": "unlocked"}
    finally:
        release.set()
    _as(client, Role.ANALYST)
    assert "refresh" not in _follow(client, f"/desk/jobs/{job.job_id}").split("<body>")[0]
    assert client.get("/desk/jobs/0000").status_code == 404


def test_locking_takes_a_second_step(api_dir: Path) -> None:
    client = _client(api_dir)
    _as(client, Role.ADMIN)
    assert client.get("/desk/admin/lock").status_code == 200
    unconfirmed = client.post("/desk/admin/lock", data={"csrf": _csrf(client)})
    assert unconfirmed.status_code == 422
    assert client.get("/health").json() == {"status": "unlocked"}
    locked = client.post("/desk/admin/lock", data={"csrf": _csrf(client), "understood": "yes"})
    assert locked.url.path == "/desk/unlock"
    assert client.get("/health").json() == {"status": "locked"}


def test_wiping_needs_the_exact_phrase_and_the_box_ticked(api_dir: Path) -> None:
    client = _client(api_dir)
    _as(client, Role.ADMIN)
    page = client.get("/desk/admin/wipe")
    found = re.search(r'data-testid="phrase">([^<]+)<', page.text)
    assert found
    phrase = found.group(1)
    assert phrase.startswith("wipe ")
    for form in (
        {"understood": "yes"},
        {"phrase": phrase.upper(), "understood": "yes"},
        {"phrase": phrase + " ", "understood": "yes"},
        {"phrase": phrase},
    ):
        refused = client.post("/desk/admin/wipe", data={"csrf": _csrf(client), **form})
        assert refused.status_code == 422, form
        assert Vault.exists(api_dir)
        assert client.get("/health").json() == {"status": "unlocked"}
    forged = client.post(
        "/desk/admin/wipe", data={"csrf": "forged", "phrase": phrase, "understood": "yes"}
    )
    assert forged.status_code == 403
    assert Vault.exists(api_dir)

    wiped = client.post(
        "/desk/admin/wipe", data={"csrf": _csrf(client), "phrase": phrase, "understood": "yes"}
    )
    assert wiped.status_code == 200
    assert 'data-testid="wiped"' in wiped.text
    assert not Vault.exists(api_dir)
    assert client.get("/health").json() == {"status": "locked"}
    assert client.cookies.get("bf_desk") is None  # the session ended
    assert client.get("/desk").url.path == "/desk/unlock"
