"""The reports' intake and the published feed: its own process, its own vault, nothing that
identifies a reporter.

`POST /api/reports` takes one report as JSON and answers a receipt; `GET /` is a form that
works without JavaScript (for Tor Browser's safest mode) and `POST /` takes it. Nothing of the
request but the report's own fields is read: no address, no user agent, no cookie but the
form's CSRF token, no account; the web server keeps no access log; the time of arrival is cut
to the hour. A burst beyond the service's rate (counted for everyone together, in one-minute
buckets: a bucket identifies nobody) answers 429. With `proof_of_work` bits, each report must
carry a solved challenge (`GET /api/challenge`; the form solves it in the browser).

`GET /feed` (the page with its map), `/feed/atom.xml` and `/feed/events.json` are the published
events. Every ten minutes (and at start) reports older than the channel's `keep_hours` are
reduced to their events' facts.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import secrets
import threading
import time
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse

from bonafide.api.limits import BodyLimit
from bonafide.errors import InputError
from bonafide.reports.channel import Channel, ChannelConfig
from bonafide.reports.intake import parse_report
from bonafide.reports.published import FeedCache
from bonafide.reports.scrub import coarsen
from bonafide.reports.work import ProofOfWork
from bonafide.vault import Secret, Vault

__all__ = ["MAX_REPORT_BODY", "RateBuckets", "create_reports_app"]

MAX_REPORT_BODY = 16 * 1024 * 1024  # a 10 MB photo in base64, and the rest
CSRF_COOKIE = "csrf"
REDUCE_EVERY_SECONDS = 600
_PROBLEM = "application/problem+json"
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
    "frame-ancestors 'none'"
)
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": _CSP,
}
_WORK_HEADERS = _HEADERS | {"Content-Security-Policy": _CSP + "; script-src 'self'"}


class RateBuckets:
    """Reports allowed per minute for everyone together: a flood is slowed, nobody counted."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._minute = -1
        self._count = 0
        self._lock = threading.Lock()

    def take(self) -> bool:
        minute = int(time.time() // 60)
        with self._lock:
            if minute != self._minute:
                self._minute, self._count = minute, 0
            if self._count >= self.per_minute:
                return False
            self._count += 1
            return True


def _problem(status: int, detail: str, hint: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "/problems/report", "title": "Report refused", "status": status}
    body["detail"] = detail
    if hint:
        body["hint"] = hint
    return JSONResponse(body, status_code=status, media_type=_PROBLEM, headers=_HEADERS)


_PAGES = jinja2.Environment(
    loader=jinja2.PackageLoader("bonafide.reports", "templates"), autoescape=True
)
_WORK_SCRIPT = resources.files("bonafide.reports").joinpath("static", "work.js").read_bytes()
_NO_WORK = (
    "this channel asks the sender's browser for a moment's work before it takes a report",
    "allow JavaScript for this page (Tor Browser: the Standard or Safer level) and send it "
    "again, or use the API (GET /api/challenge)",
)


def create_reports_app(
    data_dir: Path,
    secret: Secret,
    per_minute: int = 6_000,
    received_hours: int = 1,
    config: ChannelConfig | None = None,
    proof_of_work: int = 0,
) -> FastAPI:
    """The intake and the feed over the reports' own data directory (a vault of its own)."""
    vault = Vault.unlock(data_dir, secret)
    channel = Channel(vault, config)
    categories = channel.config.categories
    buckets = RateBuckets(per_minute)
    work = ProofOfWork(proof_of_work) if proof_of_work > 0 else None
    feed = FeedCache(channel)
    headers = _WORK_HEADERS if work else _HEADERS

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()

        def reduce_until_stopped() -> None:
            while True:
                channel.reduce()
                if stop.wait(REDUCE_EVERY_SECONDS):
                    return

        # a thread of its own, joined before the store closes: a reduction is never cut off
        reducer = threading.Thread(target=reduce_until_stopped, name="reduce", daemon=True)
        reducer.start()
        try:
            yield
        finally:
            stop.set()
            await run_in_threadpool(reducer.join)
            channel.close()

    app = FastAPI(
        title="bonafide reports", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.add_middleware(BodyLimit, limit=MAX_REPORT_BODY)
    app.state.channel = channel

    def form_page(csrf: str, message: str = "", receipt: str = "") -> str:
        page: str = _PAGES.get_template("form.html").render(
            csrf=csrf,
            message=message,
            receipt=receipt,
            categories=categories,
            work_bits=work.bits if work else 0,
            work_challenge=work.challenge() if work else "",
        )
        return page

    def keep(data: dict[str, Any]) -> str:
        if work is not None and not work.check(data.get("pow_challenge"), data.get("pow_nonce")):
            raise InputError(_NO_WORK[0], hint=_NO_WORK[1])
        facts = parse_report(data, categories=categories)
        return channel.take(facts, coarsen(_now(), received_hours))

    @app.post("/api/reports", status_code=201)
    async def api_report(request: Request) -> Response:
        if not buckets.take():
            return _problem(429, "too many reports just now: send it again in a minute")
        try:
            data = await request.json()
        except (ValueError, RecursionError):
            return _problem(422, "body: not JSON", "send the report as a JSON object")
        if not isinstance(data, dict):
            return _problem(422, "body: not a JSON object", "send the report as a JSON object")
        try:
            # in the event loop: the store takes one report at a time anyway, and a thread's
            # hop would cost a fifth of the work
            receipt = keep(data)
        except InputError as error:
            return _problem(422, error.message, error.hint)
        return JSONResponse({"receipt": receipt}, status_code=201, headers=_HEADERS)

    @app.get("/api/challenge")
    async def api_challenge() -> Response:
        if work is None:
            return _problem(
                404, "this intake asks for no proof of work", "send reports as they are"
            )
        body = {"challenge": work.challenge(), "bits": work.bits}
        return JSONResponse(body, headers=_HEADERS)

    @app.get("/work.js")
    async def work_script() -> Response:
        if work is None:
            return Response(status_code=404, headers=_HEADERS)
        return Response(_WORK_SCRIPT, media_type="text/javascript", headers=_HEADERS)

    @app.get("/")
    async def form(request: Request) -> Response:
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        response = HTMLResponse(form_page(csrf), headers=headers)
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
        return response

    @app.post("/")
    async def form_report(request: Request) -> Response:
        form = await request.form()
        csrf = request.cookies.get(CSRF_COOKIE, "")
        if not csrf or form.get("csrf") != csrf:
            return HTMLResponse(
                form_page(secrets.token_urlsafe(24), "The form expired: send it again."),
                403,
                headers=headers,
            )
        if not buckets.take():
            return HTMLResponse(
                form_page(csrf, "Too many reports just now: try again in a minute."),
                429,
                headers=headers,
            )
        data: dict[str, Any] = {
            k: v for k, v in form.items() if isinstance(v, str) and k not in ("csrf", "photo")
        }
        upload = form.get("photo")
        if upload is not None and not isinstance(upload, str):
            content = await upload.read()
            if content:
                data["photo"] = base64.b64encode(content).decode("ascii")
        try:
            receipt = await run_in_threadpool(keep, data)
        except InputError as error:
            return HTMLResponse(
                form_page(csrf, f"Not sent: {error.message}."), 422, headers=headers
            )
        return HTMLResponse(form_page(csrf, "Sent. Thank you.", receipt), 201, headers=headers)

    @app.get("/feed")
    async def feed_page() -> Response:
        rendered = await run_in_threadpool(feed.current)
        return HTMLResponse(rendered.page, headers=_HEADERS)

    @app.get("/feed/atom.xml")
    async def feed_atom() -> Response:
        rendered = await run_in_threadpool(feed.current)
        return Response(rendered.atom, media_type="application/atom+xml", headers=_HEADERS)

    @app.get("/feed/events.json")
    async def feed_json() -> Response:
        rendered = await run_in_threadpool(feed.current)
        return Response(rendered.json, media_type="application/json", headers=_HEADERS)

    return app


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
