"""Every role against every endpoint: allowed, or 403 — checked on the server.

The expectations are written here from the product's table of roles (who sees what), apart
from the service's own table (`accounts/roles.py`), so a slip in either shows.
"""

from __future__ import annotations

from typing import Any

import pytest

from bonafide.accounts import Role

from .conftest import Desk

INT, V, A, C, R, D, U = (
    Role.INTAKE,
    Role.VETTING,
    Role.ANALYST,
    Role.CHECKPOINT,
    Role.REVIEWER,
    Role.ADMIN,
    Role.AUDITOR,
)
EVERYONE = frozenset(Role)

# (method, path, body, the roles that get past the role check)
MATRIX: list[tuple[str, str, Any, frozenset[Role]]] = [
    ("GET", "/auth/me", None, EVERYONE),
    ("GET", "/dossiers", None, frozenset({INT, V, D})),
    ("POST", "/dossiers", {"identity": {}}, frozenset({INT})),
    ("GET", "/dossiers/C-0000-0000", None, frozenset({INT, V})),
    ("PUT", "/dossiers/C-0000-0000", {"identity": {}}, frozenset({INT})),
    ("POST", "/dossiers/C-0000-0000/validate", None, frozenset({INT})),
    ("POST", "/dossiers/C-0000-0000/submit", None, frozenset({INT})),
    ("POST", "/dossiers/C-0000-0000/take", None, frozenset({V})),
    ("POST", "/dossiers/C-0000-0000/verify", None, frozenset({V})),
    ("GET", "/dossiers/C-0000-0000/report", None, frozenset({V})),
    (
        "POST",
        "/dossiers/C-0000-0000/decision",
        {"decision": "accept", "reason": "r"},
        frozenset({V}),
    ),
    ("POST", "/verifications", {"dossiers": [{"dossier_id": "X"}]}, frozenset({V})),
    ("GET", "/handoff", None, frozenset({C, V})),
    ("GET", "/registries", None, frozenset({A})),
    ("GET", "/registries/identity", None, frozenset({A})),
    ("POST", "/persons/match", {"surname": "Іваноў"}, frozenset({A, V})),
    ("GET", "/reconcile", None, frozenset({A, V})),
    ("POST", "/reconcile", {"q0": {"query": "Іваноў"}}, frozenset({A, V})),
    ("GET", "/reconcile/preview?id=bf-person-0", None, frozenset({A, V})),
    ("GET", "/reconcile/properties", None, frozenset({A, V})),
    ("GET", "/reconcile/suggest/property", None, frozenset({A, V})),
    ("POST", "/registries/identity/imports", {"file": "x.csv"}, frozenset({A})),
    ("GET", "/jobs/0000000000000000", None, frozenset({A})),
    ("GET", "/jobs/0000000000000000/events", None, frozenset({A})),
    ("GET", "/audit", None, frozenset({D, U})),
    ("GET", "/audit/verify", None, frozenset({D, U})),
    ("GET", "/audit/export", None, frozenset({D, U})),
    ("GET", "/accounts", None, frozenset({D})),
    (
        "POST",
        "/accounts",
        {"name": "new-one", "role": "intake", "password": "x" * 12},
        frozenset({D}),
    ),
    ("PATCH", "/accounts/reviewer-1", {"disabled": False}, frozenset({D})),
    ("POST", "/accounts/reviewer-1/tokens", None, frozenset({D})),
    ("GET", "/tokens", None, frozenset({D})),
    ("DELETE", "/tokens/0000000000000000", None, frozenset({D})),
    (
        "POST",
        "/match/persons",
        {"queries": {"q": {"schema": "Person", "properties": {"name": ["Іваноў Іван"]}}}},
        frozenset({A, V}),
    ),
    ("GET", "/algorithms", None, frozenset({A, V})),
    ("GET", "/entities/bf-person-00000000000000000000000000000000", None, frozenset({A, V})),
    # the reports channel (not configured on this service: the reviewer gets 404, not 403)
    ("GET", "/events?queue=suspect", None, frozenset({R})),
    ("GET", "/events/0123456789abcdef", None, frozenset({R})),
    ("GET", "/events/0123456789abcdef/reports/0123/photo", None, frozenset({R})),
    ("POST", "/events/0123456789abcdef/grade", {"grade": 2}, frozenset({R})),
    ("POST", "/events/0123456789abcdef/publish", {"grade": 2, "text": "t"}, frozenset({R})),
    ("POST", "/events/0123456789abcdef/retract", None, frozenset({R})),
    ("POST", "/events/0123456789abcdef/split", {"report_keys": ["k"]}, frozenset({R})),
    (
        "POST",
        "/events/merge",
        {"event_ids": ["0123456789abcdef", "fedcba9876543210"]},
        frozenset({R}),
    ),
    # the reports' own passphrase, which shows an administrator no report
    ("POST", "/reports/unlock", {"passphrase": "not it"}, frozenset({R, D})),
    ("POST", "/reports/lock", None, frozenset({R, D})),
]
# Endpoints left out of the matrix, each for a reason: they end the session or the vault
# (tested on their own in test_service.py), or need no account.
NOT_IN_MATRIX = {
    ("POST", "/auth/sign-out"),
    ("POST", "/vault/lock"),
    ("POST", "/vault/wipe"),
    ("DELETE", "/accounts/{name}"),
    ("POST", "/auth/sign-in"),
    ("POST", "/vault/unlock"),
    ("GET", "/health"),
    ("POST", "/registries/resolve"),  # starts a job on the shared fixture: test_imports.py
}


def test_the_matrix_covers_every_endpoint(shared_desk: Desk) -> None:
    schema = shared_desk.client.get("/openapi.json").json()
    served = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }
    in_matrix = {
        (
            method,
            path.replace("C-0000-0000", "{code}")
            .replace("reviewer-1", "{name}")
            .replace("/tokens/0000000000000000", "/tokens/{token_id}")
            .replace("/registries/identity", "/registries/{kind}")
            .replace("/jobs/0000000000000000", "/jobs/{job_id}")
            .replace("/match/persons", "/match/{dataset}")
            .replace("/entities/bf-person-" + "0" * 32, "/entities/{entity_id}")
            .replace("/events/0123456789abcdef", "/events/{event_id}")
            .replace("/reports/0123/photo", "/reports/{report_key}/photo")
            .split("?")[0],
        )
        for method, path, _, _ in MATRIX
    }
    assert served - in_matrix - NOT_IN_MATRIX == set()


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
def test_each_role_is_allowed_or_refused(
    shared_desk: Desk, method: str, path: str, body: Any, allowed: frozenset[Role]
) -> None:
    desk = shared_desk
    for role in Role:
        answer = desk.client.request(method, path, json=body, headers=desk.auth(role))
        if role in allowed:
            assert answer.status_code not in (401, 403), (role, answer.status_code, answer.text)
        else:
            assert answer.status_code == 403, (role, answer.status_code, answer.text)
            assert answer.json()["type"] == "/problems/forbidden"
