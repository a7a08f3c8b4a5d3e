"""The FastAPI application: routers, problem details, limits, no logs of who asked.

`create_app(data_dir, secret)` builds the service over a data directory; it starts locked unless
given `secret`. Uvicorn's access log is off (`serve.py`): a log of requests would say who looked
at what and when, outside the audit log's seal.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from bonafide import __version__
from bonafide.desk import ROUTERS as DESK_ROUTERS
from bonafide.desk.pages import STATIC_DIR
from bonafide.errors import InputError
from bonafide.vault import Secret

from .auth import SignInLimiter
from .compartment import check_reports_dir
from .jobs import Jobs
from .limits import BodyLimit
from .problems import install_problem_handlers
from .routes import (
    accounts,
    audit,
    dossiers,
    events,
    handoff,
    imports,
    reconcile,
    registries,
    session,
    system,
    yente,
)
from .state import ServerState

__all__ = ["MAX_BODY", "create_app"]

MAX_BODY = 20 * 1024 * 1024  # bytes in one request body: 500 dossiers fit many times over

DESCRIPTION = """bonafide's HTTP API: everything the desk does.

Authenticate with `Authorization: Bearer <token>` (an API token from `bonafide token create`, or
a session from `POST /auth/sign-in`). The service starts locked; an administrator unlocks it
with the vault passphrase (`POST /vault/unlock`). The reports channel, when the service has one,
has its own vault and passphrase (`POST /reports/unlock`); only reviewers read its events.
Errors are RFC 9457 problem details.
"""


def create_app(
    data_dir: Path,
    secret: Secret | None = None,
    import_dir: Path | None = None,
    reports_dir: Path | None = None,
    reports_secret: Secret | None = None,
) -> FastAPI:
    """The service over `data_dir`: locked unless given `secret`; registry files imported
    through it come from `import_dir` (none: imports through the service are off); the reports
    channel's own vault in `reports_dir` (none: no reports channel), locked unless given
    `reports_secret`."""
    if reports_dir is not None:
        check_reports_dir(reports_dir, data_dir)
    elif reports_secret is not None:
        raise InputError(
            "a reports secret without a reports directory", hint="give the reports' directory"
        )
    server = ServerState(data_dir, reports_dir)
    if secret is not None:
        server.unlock(secret)
    if reports_secret is not None:
        server.reports.unlock(reports_secret)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        server.lock()  # stores closed, keys dropped when the service stops

    app = FastAPI(
        title="bonafide",
        version=__version__,
        description=DESCRIPTION,
        # FastAPI's interactive pages load their scripts from a CDN: not on an offline desk
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.server = server
    app.state.sign_in_limiter = SignInLimiter()
    app.state.import_dir = import_dir
    app.state.jobs = Jobs()
    install_problem_handlers(app)

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    app.add_middleware(BodyLimit, limit=MAX_BODY)
    # the desk: its pages under /desk, its files (styles, vendored scripts) at /desk/static
    for desk_router in DESK_ROUTERS:
        app.include_router(desk_router)
    app.mount("/desk/static", StaticFiles(directory=STATIC_DIR), name="desk-static")

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/desk")

    for module in (
        system,
        session,
        accounts,
        dossiers,
        handoff,
        registries,
        imports,
        reconcile,
        yente,
        audit,
        events,
    ):
        app.include_router(module.router)
    return app
