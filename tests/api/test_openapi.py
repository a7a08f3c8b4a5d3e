"""The live API against its own OpenAPI document: schemathesis' property-based requests, per role.

Every operation is sent generated requests, valid and invalid, with the token of each of several
roles; every answer must be no server error, a status the operation documents, in a content type
it documents, with a body its schema allows. The destructive operations (lock, wipe, removing an
account, signing out) and resolving (a long background rewrite of the store) are not fuzzed —
a wipe would destroy the store under the test — but must be documented all the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.types import ASGIApp, Receive, Scope, Send

from bonafide.accounts import Role
from bonafide.api import create_app
from bonafide.api.problems import PROBLEM_JSON
from bonafide.vault import Passphrase
from tests.reports_vaults import REPORTS_PASSPHRASE, fill_reports
from tests.vaults import TEST_PASSPHRASE, vault_for

from .conftest import PASSWORD, Desk

NOT_FUZZED = {
    ("POST", "/vault/lock"): "locks the service under the test",
    ("POST", "/vault/wipe"): "destroys the store under the test",
    ("DELETE", "/accounts/{name}"): "could remove the accounts the test signs in with",
    ("POST", "/auth/sign-out"): "revokes the token the test sends",
    ("POST", "/registries/resolve"): "rewrites the persons in the background, for minutes",
}
# Operations of routers still being written that do not document their problems or their
# security scheme yet: expected to fail until they declare `responses=` (problem_responses in
# bonafide.api.problems) and, behind a token, the bearer scheme (bonafide.api.auth).
PENDING: dict[tuple[str, str], str] = {}  # (method, path) → why it does not conform yet
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = (Role.ADMIN, Role.INTAKE, Role.VETTING, Role.ANALYST, Role.CHECKPOINT)
MAX_EXAMPLES = 10  # per operation and role: bounded, and derandomised so that it cannot flake
PROBLEMS = ("401", "403", "404", "409", "413", "415", "422", "429", "503")
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _document() -> dict[str, Any]:
    """The OpenAPI document, at collection, of an app that is never started (its data
    directory is never opened)."""
    document: dict[str, Any] = create_app(Path("never-opened")).openapi()
    return document


def _operations() -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, operations in _document()["paths"].items()
        for method in operations
    ]


def _param(method: str, path: str) -> Any:
    reason = PENDING.get((method, path))
    marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
    return pytest.param(method, path, marks=marks, id=f"{method} {path}")


OPERATIONS = _operations()
PUBLIC = {("GET", "/health"), ("POST", "/vault/unlock"), ("POST", "/auth/sign-in")}
FUZZED = [
    pytest.param(role, *_param(m, p).values, marks=_param(m, p).marks, id=f"{m} {p}-{role}")
    for m, p in OPERATIONS
    if (m, p) not in NOT_FUZZED
    for role in ROLES
    if (m, p) not in PUBLIC or role is ROLES[0]  # a token changes nothing there: one role
]


def _without_lifespan(app: ASGIApp) -> ASGIApp:
    """The app's HTTP side only: schemathesis would run the app's lifespan until the process
    ends, and its shutdown locks the vault; the fixture's own client runs it instead."""

    async def http_only(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise RuntimeError("no lifespan here")  # before any message: "not supported"
        await app(scope, receive, send)

    return http_only


@pytest.fixture(scope="module")
def api_schema(shared_desk: Desk) -> Any:
    return schemathesis.openapi.from_asgi(
        "/openapi.json", _without_lifespan(shared_desk.client.app)
    )


# schemathesis' own pytest integration (`schemathesis.pytest.from_fixture`) fails on this
# pytest's node ids, so the operations are parametrised here and run through Hypothesis directly.
@pytest.mark.parametrize(("role", "method", "path"), FUZZED)
def test_the_live_api_answers_as_its_openapi_says(
    api_schema: Any, shared_desk: Desk, role: Role, method: str, path: str
) -> None:
    operation = api_schema[path][method]
    headers = shared_desk.auth(role)
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    answers_as_documented()


# The reports channel's operations, fuzzed again as a reviewer over a service that has a channel
# (the service above has none: its reviewer would only be told so)
REVIEW_OPERATIONS = [(m, p) for m, p in OPERATIONS if p.startswith(("/events", "/reports/"))]


@pytest.fixture(scope="module")
def reviewed_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    root = tmp_path_factory.mktemp("reviewed-desk")
    vault_for(root / "data").close()
    fill_reports(root / "reports", root / "stream")
    app = create_app(
        root / "data",
        Passphrase(TEST_PASSPHRASE),
        reports_dir=root / "reports",
        reports_secret=Passphrase(REPORTS_PASSPHRASE),
    )
    accounts = app.state.server.opened().accounts
    accounts.add("reviewer-1", Role.REVIEWER, PASSWORD)
    with TestClient(app) as client:
        yield Desk(client, {Role.REVIEWER: accounts.create_token("reviewer-1")})


@pytest.mark.parametrize(("method", "path"), [_param(m, p) for m, p in REVIEW_OPERATIONS])
def test_the_reports_channel_answers_a_reviewer_as_its_openapi_says(
    reviewed_desk: Desk, method: str, path: str
) -> None:
    reports = reviewed_desk.client.app.state.server.reports  # type: ignore[attr-defined]
    if reports.locked:  # a fuzzed lock before this one
        reports.unlock(Passphrase(REPORTS_PASSPHRASE))
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", _without_lifespan(reviewed_desk.client.app)
    )
    operation = schema[path][method]
    headers = reviewed_desk.auth(Role.REVIEWER)
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=MAX_EXAMPLES * 2,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    answers_as_documented()


def _signed_out(operation: Any, refused: bool) -> None:
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    @settings(
        max_examples=3,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case: Any) -> None:
        if refused:
            case.headers = {**(case.headers or {}), "Authorization": "Bearer not-a-token"}
        response = case.call_and_validate(checks=CHECKS)
        if refused:
            assert response.status_code in (401, 422)

    answers_as_documented()


def test_without_a_token_every_operation_answers_as_documented(api_schema: Any) -> None:
    """Signed out, every operation (the ones not fuzzed too: they refuse) is refused as
    documented, or, the public ones, answers."""
    for method, path in OPERATIONS:
        if (method, path) not in PENDING:
            _signed_out(api_schema[path][method], refused=(method, path) in NOT_FUZZED)


@pytest.mark.parametrize(("method", "path"), [_param(m, p) for m, p in sorted(NOT_FUZZED)])
def test_the_operations_not_fuzzed_are_documented(method: str, path: str) -> None:
    operation = _document()["paths"][path][method.lower()]
    assert operation["summary"]
    assert operation["security"] == [{"bearer": []}]
    responses = operation["responses"]
    success = [status for status in responses if status.startswith("2")]
    assert success, f"{method} {path} documents no success"
    assert {"401", "503"} <= set(responses)
    if path != "/auth/sign-out":
        assert "403" in responses


def test_every_operation_has_a_summary_and_documents_its_problems() -> None:
    document = _document()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), f"{where} has no summary"
            if (method.upper(), path) in PENDING:
                continue
            for status, response in operation["responses"].items():
                assert response.get("description"), f"{where} {status}: no description"
                if status.startswith(("4", "5")):
                    content = response.get("content", {})
                    assert list(content) == [PROBLEM_JSON], f"{where} {status}: {list(content)}"
                    schema = content[PROBLEM_JSON]["schema"]
                    assert schema == PROBLEM_REF or schema.get("type") == "object", where
                    assert status in PROBLEMS, f"{where}: {status}"
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in operation["responses"], f"{where}: 422 undocumented"
            if operation.get("requestBody"):
                assert "413" in operation["responses"], f"{where}: 413 undocumented"
            if operation.get("security"):
                assert {"401", "503"} <= set(operation["responses"]), where
    schemas = document["components"]["schemas"]
    problem = schemas["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert {"errors", "hint", "problems"} <= set(problem["properties"])


def test_the_document_declares_the_bearer_scheme_for_the_routes_behind_a_token() -> None:
    document = _document()
    scheme = document["components"]["securitySchemes"]["bearer"]
    assert scheme["type"] == "http"
    assert scheme["scheme"].lower() == "bearer"
    secured = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = (method.upper(), path)
            if where in PUBLIC:
                assert "security" not in operation, where
            elif "security" in operation:
                secured += 1
                assert operation["security"] == [{"bearer": []}], where
                assert "401" in operation["responses"] or where in PENDING, where
            else:  # a 401 is answered only to a request without a valid token
                assert "401" not in operation["responses"] or where in PENDING, where
    assert secured > 20


def test_openapi_json_is_served_and_the_api_key_scheme_still_works(shared_desk: Desk) -> None:
    served = shared_desk.client.get("/openapi.json")
    assert served.status_code == 200
    assert "bearer" in served.json()["components"]["securitySchemes"]
    token = shared_desk.tokens[Role.AUDITOR]
    for scheme in ("Bearer", "ApiKey", "bearer"):
        me = shared_desk.client.get("/auth/me", headers={"Authorization": f"{scheme} {token}"})
        assert me.status_code == 200, scheme


def test_a_body_that_is_not_text_is_an_invalid_request(shared_desk: Desk) -> None:
    """Found by the fuzzing: FastAPI answered 400, undocumented, to a body that is not UTF-8."""
    answer = shared_desk.client.post(
        "/auth/sign-in", content=b"\xff\xfe\x00name", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert answer.json()["errors"] == [
        {"field": "body", "problem": "the body cannot be read as JSON text"}
    ]
