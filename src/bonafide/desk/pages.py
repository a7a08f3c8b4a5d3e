"""The desk's pages. Every page checks, on the server: the vault unlocked, a session, the role.

Forms post back and redirect (no script needed); a form's CSRF token must match the browser's
CSRF cookie. Pages reach the stores only through the office's operations (`api/office.py`),
which check need to know and write the audit log, as the API's routes do.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates

from bonafide.accounts import Account, Capability, TokenKind, allowed
from bonafide.accounts.store import LANGUAGES
from bonafide.api import office
from bonafide.api.problems import ProblemError
from bonafide.api.state import ServerState
from bonafide.cases.desk import Decision
from bonafide.errors import VaultError
from bonafide.vault import Passphrase
from bonafide.vault.audit import AuditAction

from .charts import waterfall_svg
from .forms import ROWS, DossierForm
from .i18n import LANGUAGE_NAMES, translator
from .session import (
    account_of,
    check_csrf,
    csrf_token,
    drop_session,
    set_cookies,
    set_session,
)

__all__ = ["STATIC_DIR", "router"]

router = APIRouter(prefix="/desk", include_in_schema=False)
_TEMPLATES = Jinja2Templates(directory=str(resources.files("bonafide.desk") / "templates"))
STATIC_DIR = Path(str(resources.files("bonafide.desk") / "static"))
SESSION_HOURS = 8


def _state(request: Request) -> ServerState:
    server: ServerState = request.app.state.server
    return server


def _render(
    request: Request,
    template: str,
    account: Account | None = None,
    status: int = 200,
    **context: Any,
) -> Response:
    language = account.language if account else request.cookies.get("bf_lang", "en")
    response = _TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "t": translator(language),
            "account": account,
            "csrf": csrf_token(request),
            "language": language,
            "languages": LANGUAGE_NAMES,
            "may": {c.name.lower(): account and allowed(account.role, c) for c in Capability},
            **context,
        },
        status_code=status,
    )
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'"
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    set_cookies(request, response)
    return response


def _redirect(to: str) -> Response:
    return RedirectResponse(to, status_code=303)


def _gate(request: Request, capability: Capability | None = None) -> Account | Response:
    """The signed-in account allowed `capability`, or the page to show instead: the unlock
    page while the vault is locked, the sign-in page without a session, 403 for the role."""
    if _state(request).locked:
        return _redirect("/desk/unlock")
    account = account_of(request)
    if account is None:
        return _redirect("/desk/sign-in")
    if capability is not None and not allowed(account.role, capability):
        return _render(request, "error.html", account, 403, message="forbidden")
    return account


async def _form(request: Request) -> dict[str, str] | None:
    """The posted form, or None when its CSRF token does not match the browser's."""
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    return values if check_csrf(request, values.get("csrf")) else None


async def _posted(
    request: Request, capability: Capability
) -> tuple[Account, dict[str, str]] | Response:
    """The account allowed `capability` and its posted form (CSRF checked), or the page to
    show instead (as `_gate`, or 403 for a form without the browser's CSRF token)."""
    gate = _gate(request, capability)
    if isinstance(gate, Response):
        return gate
    form = await _form(request)
    if form is None:
        return _refused(request, gate)
    return gate, form


def _refused(request: Request, account: Account | None) -> Response:
    return _render(request, "error.html", account, 403, message="forbidden")


# --- signing in, unlocking, language ------------------------------------------------------------


@router.get("")
async def home(request: Request) -> Response:
    gate = _gate(request)
    if isinstance(gate, Response):
        return gate
    return _render(request, "home.html", gate)


@router.get("/sign-in")
async def sign_in_page(request: Request) -> Response:
    if _state(request).locked:
        return _redirect("/desk/unlock")
    return _render(request, "sign_in.html")


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await _form(request)
    if form is None:
        return _refused(request, None)
    state = _state(request)
    if state.locked:
        return _redirect("/desk/unlock")
    opened = state.opened()
    name = form.get("name", "")[:64]
    limiter = request.app.state.sign_in_limiter
    try:
        limiter.check(name)
    except ProblemError:
        return _render(request, "sign_in.html", None, 429, error="too_many")
    account = opened.accounts.check_password(name, form.get("password", ""))
    if account is None:
        limiter.failed(name)
        opened.record(AuditAction.SIGN_IN_REFUSED, None)
        return _render(request, "sign_in.html", None, 401, error="sign_in_refused")
    limiter.succeeded(name)
    token = opened.accounts.create_token(account.name, TokenKind.SESSION, _session_lifetime())
    opened.record(AuditAction.SIGNED_IN, account.name, None, {"via": "desk"})
    response = _redirect("/desk")
    set_session(request, response, token)
    return response


def _session_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=SESSION_HOURS)


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    form = await _form(request)
    account = account_of(request)
    if form is not None and account is not None:
        _state(request).opened().accounts.revoke(request.state.token)
    response = _redirect("/desk/sign-in")
    drop_session(response)
    return response


@router.get("/unlock")
async def unlock_page(request: Request) -> Response:
    if not _state(request).locked:
        return _redirect("/desk")
    return _render(request, "unlock.html")


@router.post("/unlock")
async def unlock(request: Request) -> Response:
    form = await _form(request)
    if form is None:
        return _refused(request, None)
    state = _state(request)
    if not state.locked:
        return _redirect("/desk")
    limiter = request.app.state.sign_in_limiter
    try:
        limiter.check("vault")
    except ProblemError:
        return _render(request, "unlock.html", None, 429, error="too_many")
    try:
        opened = state.unlock(Passphrase(form.get("passphrase", "")))
    except (VaultError, ProblemError):
        limiter.failed("vault")
        return _render(request, "unlock.html", None, 401, error="wrong_passphrase")
    limiter.succeeded("vault")
    opened.record(AuditAction.VAULT_UNLOCKED, None, None, {"via": "desk"})
    return _redirect("/desk/sign-in")


@router.post("/language")
async def language(request: Request) -> Response:
    form = await _form(request)
    chosen = (form or {}).get("language", "en")
    if chosen not in LANGUAGES:
        chosen = "en"
    account = account_of(request)
    if form is not None and account is not None:
        _state(request).opened().accounts.set_language(account.name, chosen)
    response = _redirect(request.headers.get("referer") or "/desk")
    response.set_cookie("bf_lang", chosen, httponly=True, samesite="strict")
    return response


# --- intake ----------------------------------------------------------------------------------


def _intake_page(
    request: Request,
    account: Account,
    form: DossierForm,
    code: str | None,
    note: str | None = None,
    status: int = 200,
) -> Response:
    problems = office.dossier_problems({"dossier_id": code or "new", **form.to_dossier()})
    return _render(
        request,
        "intake.html",
        account,
        status,
        code=code,
        identity=form.identity,
        rows=form.shown_rows(),
        row_fields={prefix: names for prefix, (_, names) in ROWS.items()},
        errors=DossierForm.place(problems),
        note=note,
    )


@router.get("/intake")
async def intake_new(request: Request) -> Response:
    gate = _gate(request, Capability.DOSSIER_ENTER)
    if isinstance(gate, Response):
        return gate
    return _render(
        request,
        "intake.html",
        gate,
        code=None,
        identity={},
        rows=DossierForm().shown_rows(),
        row_fields={prefix: names for prefix, (_, names) in ROWS.items()},
        errors={},
        note=None,
    )


@router.get("/intake/{code}")
async def intake_draft(request: Request, code: str) -> Response:
    gate = _gate(request, Capability.DOSSIER_ENTER)
    if isinstance(gate, Response):
        return gate
    with _state(request).stores() as opened:
        try:
            case = office.draft(opened, gate, code)
        except ProblemError:
            return _render(request, "error.html", gate, 404, message="not_found")
    return _intake_page(request, gate, DossierForm.from_dossier(case.dossier or {}), code)


@router.post("/intake")
@router.post("/intake/{code}")
async def intake_save(request: Request, code: str | None = None) -> Response:
    posted = await _posted(request, Capability.DOSSIER_ENTER)
    if isinstance(posted, Response):
        return posted
    gate, values = posted
    form = DossierForm.from_form(values)
    action = values.get("action", "save")
    if action.startswith(("add-", "remove-")):
        form.act(action)
        return _intake_page(request, gate, form, code)
    if action == "check":  # htmx, as the form is typed: its problems, nothing saved
        return _intake_page(request, gate, form, code)
    with _state(request).stores() as opened:
        try:
            if code is None:
                case = office.enter(opened, gate, form.to_dossier())
            else:
                case = office.replace_draft(opened, gate, code, form.to_dossier())
            if action == "submit":
                office.submit(opened, gate, case.code)
                return _render(request, "submitted.html", gate, code=case.code)
        except ProblemError as problem:
            if problem.status == 404:
                return _render(request, "error.html", gate, 404, message="not_found")
            return _intake_page(request, gate, form, case.code, None, 422)
    return _redirect(f"/desk/intake/{case.code}?saved=1")


# --- dossiers and vetting --------------------------------------------------------------------


@router.get("/dossiers")
async def dossiers(request: Request) -> Response:
    gate = _gate(request)
    if isinstance(gate, Response):
        return gate
    with _state(request).stores() as opened:
        try:
            cases = office.visible_cases(opened, gate)
        except ProblemError:
            return _refused(request, gate)
    return _render(request, "dossiers.html", gate, cases=cases)


@router.post("/dossiers/{code}/take")
async def take(request: Request, code: str) -> Response:
    gate = _gate(request, Capability.DOSSIER_VET)
    if isinstance(gate, Response):
        return gate
    if await _form(request) is None:
        return _refused(request, gate)
    with _state(request).stores() as opened:
        try:
            office.take(opened, gate, code)
        except ProblemError:
            return _render(request, "error.html", gate, 404, message="not_found")
    return _redirect(f"/desk/dossiers/{code}")


@router.get("/dossiers/{code}")
async def dossier(request: Request, code: str) -> Response:
    gate = _gate(request, Capability.DOSSIER_VET)
    if isinstance(gate, Response):
        return gate
    with _state(request).stores() as opened:
        try:
            case = office.read(opened, gate, code)
        except ProblemError:
            return _render(request, "error.html", gate, 404, message="not_found")
        kept = opened.cases.get(code)
    report = kept.report if kept else None
    chart = None
    if report and report.get("identity", {}).get("candidates"):
        top = report["identity"]["candidates"][0]
        chart = waterfall_svg(
            top.get("explanation") or {}, translator(gate.language)("match_weights")
        )
    return _render(
        request,
        "dossier.html",
        gate,
        case=case,
        report=report,
        chart=chart,
        report_json=json.dumps(report, ensure_ascii=False, indent=1) if report else None,
    )


@router.post("/dossiers/{code}/verify")
async def verify(request: Request, code: str) -> Response:
    gate = _gate(request, Capability.DOSSIER_VET)
    if isinstance(gate, Response):
        return gate
    if await _form(request) is None:
        return _refused(request, gate)
    state = _state(request)
    with state.stores() as opened:
        try:
            office.verify(state, opened, gate, code)
        except ProblemError:
            return _render(request, "error.html", gate, 409, message="not_found")
    return _redirect(f"/desk/dossiers/{code}")


@router.post("/dossiers/{code}/decision")
async def decide(request: Request, code: str) -> Response:
    posted = await _posted(request, Capability.DOSSIER_VET)
    if isinstance(posted, Response):
        return posted
    gate, form = posted
    try:
        decision = Decision(form.get("decision", ""))
    except ValueError:
        return _redirect(f"/desk/dossiers/{code}?missing=decision")
    reason = form.get("reason", "").strip()[:2000]
    if not reason:
        return _redirect(f"/desk/dossiers/{code}?missing=reason")
    with _state(request).stores() as opened:
        try:
            office.decide(opened, gate, code, decision, reason)
        except ProblemError:
            return _render(request, "error.html", gate, 409, message="not_found")
    return _redirect(f"/desk/dossiers/{code}")


# --- the checkpoint --------------------------------------------------------------------------


@router.get("/handoff")
async def handoff(request: Request) -> Response:
    gate = _gate(request, Capability.HANDOFF_READ)
    if isinstance(gate, Response):
        return gate
    with _state(request).stores() as opened:
        items = office.handoff(opened, gate)
    return _render(request, "handoff.html", gate, items=items)


# --- the audit log ---------------------------------------------------------------------------


@router.get("/audit")
async def audit(request: Request, action: str = "", actor: str = "") -> Response:
    gate = _gate(request, Capability.AUDIT_READ)
    if isinstance(gate, Response):
        return gate
    with _state(request).stores() as opened:
        log = opened.audit  # the service's one connection, under the stores' lock
        entries = [e.to_json() for e in log.entries()]
        chain = log.verify()
        opened.record(AuditAction.AUDIT_READ, gate.name, None, {"entries": len(entries)})
    shown = [
        e
        for e in entries
        if (not action or action in e["action"]) and (not actor or actor == e["actor"])
    ][-500:]
    return _render(
        request,
        "audit.html",
        gate,
        entries=list(reversed(shown)),
        chain=chain,
        actions=sorted({a.value for a in AuditAction}),
        action=action,
        actor=actor,
    )


@router.get("/audit/export")
async def audit_export(request: Request) -> Response:
    gate = _gate(request, Capability.AUDIT_READ)
    if isinstance(gate, Response):
        return gate
    with _state(request).stores() as opened:
        log = opened.audit  # the service's one connection, under the stores' lock
        lines = [json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in log.entries()]
        opened.record(AuditAction.AUDIT_EXPORTED, gate.name, None, {"entries": len(lines)})
    return StreamingResponse(
        iter(lines),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="audit.jsonl"'},
    )
