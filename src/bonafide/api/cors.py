"""Cross-origin access for one router's routes only (the OpenRefine reconciliation service).

OpenRefine runs in a browser on another origin than bonafide, and its page calls the
reconciliation service itself (the manifest, the suggest and preview URLs), so those routes
must answer cross-origin requests. The rest of the API stays same-origin: no CORS headers, no
preflight answered — a page elsewhere cannot read it.

`Access-Control-Allow-Origin: *` (never with credentials) is acceptable here only because every
route behind it needs a token the page must already hold: a browser sends no cookie and no
ambient credential to these routes, so a page that has no token reads nothing. `CorsRoute` adds
the headers to every answer of the router's routes, errors included (a page must be able to
read a 401 to say the token is wrong); `preflight` answers a browser's OPTIONS.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from bonafide.errors import BonafideError

from .problems import ProblemError

__all__ = ["CORS_HEADERS", "CorsRoute", "preflight"]

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "WWW-Authenticate, Retry-After",
    # a token may sit in these routes' URLs (`?token=`): a page must never pass it on
    "Referrer-Policy": "no-referrer",
}
_PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "600",
    "Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
}
# The errors the app answers with problem documents, through its own handlers.
_HANDLED = (ProblemError, RequestValidationError, StarletteHTTPException, BonafideError)

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class CorsRoute(APIRoute):
    """A route whose every answer, an error's too, carries the CORS headers."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def with_cors(request: Request) -> Response:
            try:
                response = await handler(request)
            except _HANDLED as error:
                response = await _handled(request, error)
            response.headers.update(CORS_HEADERS)
            return response

        return with_cors


async def _handled(request: Request, error: Exception) -> Response:
    """The app's own answer to `error`, from its exception handlers (most specific first)."""
    handlers = request.app.exception_handlers
    for kind in type(error).__mro__:
        handler = handlers.get(kind)
        if handler is not None and kind is not Exception:
            response: Response = await handler(request, error)
            return response
    raise error


async def preflight() -> Response:
    """A browser's preflight (OPTIONS) before a cross-origin request with a token header."""
    return Response(status_code=204, headers={**CORS_HEADERS, **_PREFLIGHT_HEADERS})
