"""Errors as RFC 9457 problem details (`application/problem+json`).

Every error names the input and the field and what to do, never a value that was sent: a
validation error lists `errors` as field paths and problems, without FastAPI's echo of the
input (which could carry a name or a number into a log or a screen).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bonafide.errors import BonafideError, InputError, StoreError, VaultError

__all__ = ["PROBLEM_JSON", "ProblemError", "install_problem_handlers", "problem_response"]

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger("bonafide.api")


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


def install_problem_handlers(app: FastAPI) -> None:
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
