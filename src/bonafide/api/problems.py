"""Errors as RFC 9457 problem details (`application/problem+json`).

Every error names the input and the field and what to do, never a value that was sent: a
validation error lists `errors` as field paths and problems, without FastAPI's echo of the
input (which could carry a name or a number into a log or a screen).

The OpenAPI document says so: every route declares the problems it can answer with
`problem_responses(...)` (or the bundles below), each as `application/problem+json` with the
`Problem` schema, which `install_problem_handlers` adds to the document's components.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from bonafide.errors import BonafideError, InputError, StoreError, VaultError

__all__ = [
    "BODY",
    "PROBLEM_JSON",
    "SIGNED_IN",
    "FieldProblem",
    "Problem",
    "ProblemError",
    "install_problem_handlers",
    "problem_response",
    "problem_responses",
]

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger("bonafide.api")


class FieldProblem(BaseModel):
    field: str = Field(description="Where in the request, e.g. `body.name` or `query.limit`.")
    problem: str = Field(description="What is wrong with it (never the value sent).")


class Problem(BaseModel):
    """A problem detail (RFC 9457): what went wrong, and what to do about it."""

    model_config = ConfigDict(extra="allow")  # RFC 9457 lets a kind of problem add members

    type: str = Field(description="The kind of problem, e.g. `/problems/not-found`.")
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="This occurrence, in words; never a value that was sent.")
    errors: list[FieldProblem] | None = Field(
        default=None, description="An invalid request's problems, one per field."
    )
    hint: str | None = Field(default=None, description="What to do about it.")
    problems: list[str] | None = Field(
        default=None, description="What keeps a dossier from submission."
    )


_MEANING = {
    401: "Not signed in: no valid token, or a wrong password or passphrase",
    403: "The caller's role may not do this",
    404: "Nothing of that name, code or id for this caller",
    409: "Not in a state that allows it (or the registries are not resolved yet)",
    413: "The request body is too large",
    415: "The body is in a media type the operation does not take",
    422: "The request is invalid; `errors` names each field",
    429: "Too many failed attempts; `Retry-After` says when to try again",
    503: "The vault is locked: an administrator unlocks it",
}
_HEADERS = {
    401: {"WWW-Authenticate": {"description": "How to authenticate", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route or router that can answer these statuses as problems."""
    return {
        status: {
            "description": _MEANING[status],
            "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}},
            **({"headers": _HEADERS[status]} if status in _HEADERS else {}),
        }
        for status in statuses
    }


SIGNED_IN = problem_responses(401, 403, 503)  # every route behind a token and the role table
BODY = problem_responses(413, 422)  # every route that reads a body (or parameters: 422)


class ProblemError(Exception):
    """An error the API answers with a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        kind: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.kind = kind or title.lower().replace(" ", "-")
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    status: int,
    title: str,
    detail: str,
    kind: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": f"/problems/{kind}", "title": title, "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field(location: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in location)


def _with_problem_schema(app: FastAPI) -> None:
    """The `Problem` schema in the document's components, where the routes' `$ref`s point."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()  # FastAPI keeps it as app.openapi_schema
        schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(schema.pop("$defs", {}))
        schemas["Problem"] = schema
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def install_problem_handlers(app: FastAPI) -> None:
    """Every error as a problem document, and the `Problem` schema in the OpenAPI document."""
    _with_problem_schema(app)

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, error: ProblemError) -> JSONResponse:
        return problem_response(
            error.status, error.title, error.detail, error.kind, error.headers, **error.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field(e.get("loc", ())), "problem": str(e.get("msg", "invalid"))}
            for e in error.errors()
        ]
        return problem_response(
            422,
            "Invalid request",
            f"{len(errors)} problem(s) in the request; each names its field",
            "invalid-request",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:
            # FastAPI's answer to a body it cannot decode (not UTF-8, say): an invalid request,
            # as a body that is not JSON at all already is
            return problem_response(
                422,
                "Invalid request",
                "1 problem(s) in the request; each names its field",
                "invalid-request",
                errors=[{"field": "body", "problem": "the body cannot be read as JSON text"}],
            )
        title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "Error")
        return problem_response(
            error.status_code,
            title,
            str(error.detail),
            title.lower().replace(" ", "-"),
            dict(error.headers or {}),
        )

    @app.exception_handler(BonafideError)
    async def _bonafide(request: Request, error: BonafideError) -> JSONResponse:
        status, title = (
            (422, "Invalid input")
            if isinstance(error, InputError)
            else (409, "Store problem")
            if isinstance(error, StoreError)
            else (503, "Vault problem")
            if isinstance(error, VaultError)
            else (500, "Error")
        )
        extra: dict[str, Any] = {"hint": error.hint} if error.hint else {}
        return problem_response(
            status, title, error.message, title.lower().replace(" ", "-"), None, **extra
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        # the type only: an exception's text may hold a value from the request
        _log.error("unexpected %s on %s %s", type(error).__name__, request.method, request.url.path)
        return problem_response(
            500,
            "Internal error",
            "the server failed on this request; it is not your input's fault",
            "internal-error",
        )
