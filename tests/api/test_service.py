"""The service: locked until unlocked, problem details, limits, sign-in and tokens."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from bonafide.accounts import Role
from bonafide.api import create_app
from bonafide.api.app import MAX_BODY
from tests.vaults import TEST_PASSPHRASE

from .conftest import PASSWORD, Desk


def test_the_service_starts_locked_and_the_passphrase_unlocks_it(api_dir: Path) -> None:
    with TestClient(create_app(api_dir)) as client:
        assert client.get("/health").json() == {"status": "locked"}
        locked = client.get("/dossiers", headers={"Authorization": "Bearer x"})
        assert locked.status_code == 503
        assert locked.headers["content-type"] == "application/problem+json"
        assert locked.json()["type"] == "/problems/vault-locked"
        wrong = client.post("/vault/unlock", json={"passphrase": "not the passphrase"})
        assert wrong.status_code == 401
        assert "not the passphrase" not in wrong.text
        assert client.post("/vault/unlock", json={"passphrase": TEST_PASSPHRASE}).status_code == 200
        assert client.get("/health").json() == {"status": "unlocked"}


def test_unlocking_is_rate_limited(api_dir: Path) -> None:
    with TestClient(create_app(api_dir)) as client:
        codes = [
            client.post("/vault/unlock", json={"passphrase": f"wrong {n}"}).status_code
            for n in range(6)
        ]
        assert codes[:5] == [401] * 5
        assert codes[5] == 429
        limited = client.post("/vault/unlock", json={"passphrase": TEST_PASSPHRASE})
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) > 0


def test_an_administrator_locks_the_vault(desk: Desk) -> None:
    assert desk.client.post("/vault/lock", headers=desk.auth(Role.INTAKE)).status_code == 403
    assert desk.client.post("/vault/lock", headers=desk.auth(Role.ADMIN)).status_code == 200
    assert desk.client.get("/health").json() == {"status": "locked"}
    assert desk.client.get("/auth/me", headers=desk.auth(Role.ADMIN)).status_code == 503


def test_no_token_or_a_bad_one_is_401_with_a_challenge(desk: Desk) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer bft_0000000000000000_" + "x" * 43},
        {"Authorization": "Basic abc"},
    ):
        answer = desk.client.get("/auth/me", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert answer.json()["status"] == 401


def test_yente_clients_api_key_scheme_is_accepted(desk: Desk) -> None:
    token = desk.tokens[Role.ANALYST]
    answer = desk.client.get("/auth/me", headers={"Authorization": f"ApiKey {token}"})
    assert answer.status_code == 200
    assert answer.json()["role"] == "analyst"


def test_sign_in_gives_a_session_and_sign_out_ends_it(desk: Desk) -> None:
    signed = desk.client.post("/auth/sign-in", json={"name": "vetting-1", "password": PASSWORD})
    assert signed.status_code == 200
    headers = {"Authorization": f"Bearer {signed.json()['token']}"}
    assert desk.client.get("/auth/me", headers=headers).json()["name"] == "vetting-1"
    assert desk.client.post("/auth/sign-out", headers=headers).status_code == 200
    assert desk.client.get("/auth/me", headers=headers).status_code == 401


def test_failed_sign_ins_are_limited_per_account(desk: Desk) -> None:
    for _ in range(5):
        answer = desk.client.post("/auth/sign-in", json={"name": "intake-1", "password": "wrong!"})
        assert answer.status_code == 401
    limited = desk.client.post("/auth/sign-in", json={"name": "intake-1", "password": PASSWORD})
    assert limited.status_code == 429
    # another account is not held back by it
    other = desk.client.post("/auth/sign-in", json={"name": "analyst-1", "password": PASSWORD})
    assert other.status_code == 200


def test_a_revoked_token_and_a_disabled_account_stop_working(desk: Desk) -> None:
    admin = desk.auth(Role.ADMIN)
    token = desk.client.post("/accounts/analyst-1/tokens", headers=admin).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert desk.client.get("/auth/me", headers=headers).status_code == 200
    token_id = token.split("_")[1]
    assert desk.client.delete(f"/tokens/{token_id}", headers=admin).status_code == 204
    assert desk.client.get("/auth/me", headers=headers).status_code == 401
    patched = desk.client.patch("/accounts/intake-1", json={"disabled": True}, headers=admin)
    assert patched.json()["disabled"] is True
    assert desk.client.get("/auth/me", headers=desk.auth(Role.INTAKE)).status_code == 401


def test_tokens_are_listed_by_id_never_by_value(desk: Desk) -> None:
    listed = desk.client.get("/tokens", headers=desk.auth(Role.ADMIN))
    assert listed.status_code == 200
    for token in desk.tokens.values():
        assert token not in listed.text
        assert token.split("_")[1] in listed.text


def test_validation_errors_name_the_field_not_the_value(desk: Desk) -> None:
    answer = desk.client.post(
        "/accounts",
        json={"name": "Мікалай Статкевіч!", "role": "nobody", "password": "short"},
        headers=desk.auth(Role.ADMIN),
    )
    assert answer.status_code == 422
    body = answer.json()
    assert answer.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in body["errors"]}
    assert {"body.name", "body.role", "body.password"} <= fields
    assert "Статкевіч" not in answer.text


def test_unknown_paths_and_methods_are_problems(desk: Desk) -> None:
    missing = desk.client.get("/nowhere")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert desk.client.delete("/health").status_code == 405


def test_a_body_over_the_limit_is_refused_unread(desk: Desk) -> None:
    big = b"x" * (MAX_BODY + 1)
    answer = desk.client.post(
        "/dossiers",
        content=big,
        headers={**desk.auth(Role.INTAKE), "Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["type"] == "/problems/request-too-large"


def test_responses_are_not_cached(desk: Desk) -> None:
    answer = desk.client.get("/auth/me", headers=desk.auth(Role.VETTING))
    assert answer.headers["cache-control"] == "no-store"


def test_unlocking_an_unlocked_vault_checks_no_passphrase(desk: Desk) -> None:
    for passphrase in ("anything at all", TEST_PASSPHRASE):
        answer = desk.client.post("/vault/unlock", json={"passphrase": passphrase})
        assert answer.status_code == 409
        assert answer.json()["type"] == "/problems/already-unlocked"
