"""OpenRefine's Reconciliation Service API 0.2 at `/reconcile`, over the resolved persons.

`GET /reconcile` gives the service manifest; queries come batched, as OpenRefine sends them
(`POST` of a form with `queries=<JSON>`), as a JSON body, or as `GET /reconcile?queries=…`;
`/reconcile/preview?id=` shows a person (names and birth year, nothing more); the properties a
query may be constrained by are listed at `/reconcile/properties` and suggested at
`/reconcile/suggest/property`. How queries are read: `api/reconciliation.py`; docs/api.md.

Every route needs a token with the screening capability, like the rest of the API. OpenRefine
cannot send an Authorization header, so these routes alone also take the token as a `token`
query parameter — it then sits in URLs (OpenRefine's settings, a proxy's log; bonafide keeps no
access log): the header is to be preferred wherever a client can send it. The routes answer
cross-origin requests (`api/cors.py`); the rest of the API does not.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

import pyarrow.compute as pc
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials

from bonafide.accounts import Account, Capability
from bonafide.errors import InputError
from bonafide.vault.audit import AuditAction

from ..auth import bearer_scheme, caller, requires, state_of
from ..cors import CorsRoute, preflight
from ..person_ids import identifier_space, person_ids_of
from ..problems import PROBLEM_JSON, ProblemError, problem_responses
from ..reconciliation import (
    MAX_TEXT,
    PERSON_TYPE,
    PROPERTIES,
    Lookup,
    batch_from_json,
    birth_year,
    display_name,
    is_person_type,
    parse_batch,
    preview_html,
    results,
)

__all__ = ["router"]

router = APIRouter(tags=["reconciliation"], route_class=CorsRoute)

PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 110
_NAMES_SHOWN = 3


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problems a route answers with (`problem_responses`, and 415 for a body that is
    neither a form nor JSON)."""
    documented = problem_responses(*(s for s in statuses if s != 415))
    if 415 in statuses:
        documented[415] = {
            "description": "The body is neither a form nor JSON",
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    return documented


_COMMON = (401, 403, 409, 422, 503)
_BATCH_BODY = {
    "type": "object",
    "description": "Queries by key: {q0: {query, type, limit, properties: [{pid, v}]}, …}",
    "additionalProperties": {"type": "object"},
}
_POST_BODY = {
    "requestBody": {
        "required": True,
        "description": "The batch of queries: a form field `queries` holding its JSON, as "
        'OpenRefine sends it, or the batch as a JSON body (itself or {"queries": batch}).',
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {"queries": {"type": "string"}},
                    "required": ["queries"],
                }
            },
            "application/json": {"schema": _BATCH_BODY},
        },
    },
}

TokenParameter = Annotated[
    str | None,
    Query(
        max_length=200,
        description="The API token, for clients that cannot send an Authorization header "
        "(OpenRefine). A token in a URL ends up in settings, histories and proxy logs: send "
        "the header where the client can.",
    ),
]


def _unauthenticated() -> ProblemError:
    return ProblemError(
        401,
        "Not signed in",
        "this request needs a valid token in the Authorization header or the token parameter",
        kind="not-signed-in",
        headers={"WWW-Authenticate": 'Bearer realm="bonafide"'},
        hint="an API token: bonafide token create NAME",
    )


async def _screener(
    request: Request,
    token: TokenParameter = None,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
) -> Account:
    """The caller, by the Authorization header or else the `token` parameter, if their role
    may screen. (`_declared` declares the bearer scheme in the OpenAPI document, as `caller`
    does; the header is read by `caller`.)"""
    if request.headers.get("authorization"):
        account = await caller(request)
    else:
        opened = state_of(request).opened()  # 503 while locked, before any token is looked at
        found = opened.accounts.account_of_token(token) if token else None
        if found is None:
            raise _unauthenticated()
        request.state.token = token
        account = found
    return await requires(Capability.SCREEN)(account)


Screener = Annotated[Account, Depends(_screener)]


def _service_url(request: Request) -> str:
    return str(request.url_for("reconcile_manifest"))


def _token_in_url(request: Request) -> str:
    """`token=…` when the caller sent the token in the URL: the URLs the manifest gives must
    then carry it (OpenRefine's page loads them in the browser, without headers)."""
    token = request.query_params.get("token")
    if token and not request.headers.get("authorization"):
        return "token=" + quote(token, safe="")
    return ""


def _manifest(request: Request) -> dict[str, Any]:
    state = state_of(request)
    service = _service_url(request)
    base = str(request.base_url).rstrip("/")
    token = _token_in_url(request)
    with state.stores() as opened:
        space = identifier_space(opened.vault)
    return {
        "versions": ["0.2"],
        "name": "bonafide persons",
        "identifierSpace": space,
        "schemaSpace": "urn:bonafide:schema",
        "defaultTypes": [PERSON_TYPE],
        "view": {"url": f"{base}/entities/{{{{id}}}}"},
        "preview": {
            "url": f"{service}/preview?id={{{{id}}}}" + (f"&{token}" if token else ""),
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "suggest": {
            "property": {
                "service_url": service,
                "service_path": "/suggest/property" + (f"?{token}" if token else ""),
            }
        },
    }


def _reconcile(request: Request, account: Account, queries: list[Lookup]) -> dict[str, Any]:
    state = state_of(request)
    asked = [q for q in queries if q.record is not None]
    with state.stores() as opened:
        verifier = state.verifier(opened)
        try:
            found = verifier.matcher.match_many(
                [q.record for q in asked if q.record is not None],
                max((q.limit for q in asked), default=1),
            )
        except InputError:
            # the matcher's own checks: its message may quote a value, never sent back
            raise ProblemError(
                422, "Invalid request", "a query's fields could not be read", kind="invalid-request"
            ) from None
        ids = person_ids_of(opened.vault, verifier.matcher.index)
        answers: dict[str, Any] = {q.key: {"result": []} for q in queries}
        matched = candidates = 0
        for query, found_for in zip(asked, found, strict=True):
            chosen = found_for[: query.limit]
            result = results(chosen, [ids.id_of(c.person_id) for c in chosen])
            answers[query.key] = {"result": result}
            candidates += len(result)
            matched += sum(1 for r in result if r["match"])
        opened.record(
            AuditAction.PERSONS_SCREENED,
            account.name,
            None,
            {
                "via": "reconcile",
                "queries": len(queries),
                "candidates": candidates,
                "matched": matched,
            },
        )
    return answers


@router.get(
    "/reconcile",
    name="reconcile_manifest",
    summary="Reconciliation API 0.2: the service manifest, or a batch of queries",
    responses=_problems(*_COMMON, 413),
)
async def manifest_or_queries(
    request: Request,
    account: Screener,
    queries: Annotated[
        str | None,
        Query(description="A batch of queries as JSON; without it, the manifest."),
    ] = None,
) -> dict[str, Any]:
    if queries is None:
        return _manifest(request)
    return _reconcile(request, account, parse_batch(batch_from_json(queries)))


@router.post(
    "/reconcile",
    summary="Reconciliation API 0.2: a batch of queries (form field `queries`, or JSON)",
    responses=_problems(*_COMMON, 413, 415),
    openapi_extra=_POST_BODY,
)
async def queries_posted(request: Request, account: Screener) -> dict[str, Any]:
    body = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        try:
            form = parse_qs(body.decode("utf-8"), max_num_fields=10, strict_parsing=False)
        except (UnicodeDecodeError, ValueError):
            raise ProblemError(
                422, "Invalid request", "the form could not be read", kind="invalid-request"
            ) from None
        given = form.get("queries")
        if not given:
            raise ProblemError(
                422,
                "Invalid request",
                "the form has no field queries",
                kind="invalid-request",
                errors=[{"field": "queries", "problem": "missing"}],
            )
        batch = batch_from_json(given[0])
    elif kind == "application/json" or kind.endswith("+json"):
        batch = batch_from_json(body)
    else:
        raise ProblemError(
            415,
            "Unsupported media type",
            "send the queries as a form (application/x-www-form-urlencoded) or as JSON",
            kind="unsupported-media-type",
        )
    return _reconcile(request, account, parse_batch(batch))


@router.get(
    "/reconcile/preview",
    summary="A person's preview for OpenRefine: names and birth year",
    response_class=HTMLResponse,
    responses=_problems(*_COMMON, 404),
)
async def preview(
    request: Request,
    account: Screener,
    id: Annotated[str, Query(max_length=100, description="A person's id from a result.")],
) -> HTMLResponse:
    state = state_of(request)
    with state.stores() as opened:
        verifier = state.verifier(opened)
        index = verifier.matcher.index
        person = person_ids_of(opened.vault, index).person_of(id)
        if person is None:
            raise ProblemError(
                404,
                "Not found",
                "no person has this id (ids change when the persons are resolved anew)",
                kind="not-found",
            )
        rows = index.records.filter(pc.equal(index.records.column("person_id"), person))
        records = rows.select(["surname", "given_name", "patronymic", "full_name", "birth_date"])
        listed = records.to_pylist()
        names = Counter(display_name(r) for r in listed)
        years = Counter(y for r in listed if (y := birth_year(r)))
        opened.record(
            AuditAction.PERSONS_LOOKED_UP, account.name, None, {"via": "reconcile preview"}
        )
    shown = [n for n, _ in names.most_common() if n][:_NAMES_SHOWN]
    return HTMLResponse(
        preview_html(shown, [y for y, _ in years.most_common()]),
        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"},
    )


def _property_list(kind: str | None) -> list[dict[str, str]]:
    if not is_person_type(kind):
        return []
    return [{"id": p.pid, "name": p.name, "description": p.description} for p in PROPERTIES]


@router.get(
    "/reconcile/properties",
    summary="The properties a query may be constrained by",
    responses=_problems(*_COMMON),
)
async def properties(
    account: Screener,
    type: Annotated[str | None, Query(max_length=100)] = "Person",
) -> dict[str, Any]:
    listed = _property_list(type)
    return {"type": type, "properties": listed, "limit": len(listed)}


@router.get(
    "/reconcile/suggest/property",
    summary="Properties whose id or name starts with a prefix (OpenRefine's suggest)",
    responses=_problems(*_COMMON),
)
async def suggest_property(
    account: Screener,
    prefix: Annotated[str, Query(max_length=MAX_TEXT)] = "",
) -> dict[str, Any]:
    wanted = prefix.strip().lower()
    return {
        "result": [
            p
            for p in _property_list(None)
            if p["id"].lower().startswith(wanted)
            or any(w.startswith(wanted) for w in p["name"].lower().split())
        ]
    }


for _path in (
    "/reconcile",
    "/reconcile/preview",
    "/reconcile/properties",
    "/reconcile/suggest/property",
):
    router.add_api_route(
        _path, preflight, methods=["OPTIONS"], include_in_schema=False, name=f"preflight {_path}"
    )
