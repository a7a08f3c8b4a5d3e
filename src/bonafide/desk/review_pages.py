"""The report reviewer's pages: the queues of events, an event with its reports, and the forms
that grade, publish, retract, split and merge; the reports channel's own unlock and lock.

A reviewer sees what reports say — never who sent them, which the channel does not know. The
pages go through the same operations as the API (`api/review.py`), which write the audit log.
Forms work without script: a report's controls (take its text, choose its photo, tick it to
split it off) sit beside the report and belong to their form by the `form` attribute.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bonafide.accounts import Account, Capability, allowed
from bonafide.api import review
from bonafide.api.problems import ProblemError
from bonafide.errors import InputError
from bonafide.reports.channel import Channel, EventState, Queue, ReportView
from bonafide.reports.credibility import Grade
from bonafide.vault import Passphrase

from .pages import _gate, _redirect, _refused, _render, _state
from .session import check_csrf

__all__ = ["router"]

router = APIRouter(prefix="/desk", include_in_schema=False)
PAGE_SIZE = 50  # events on one page of a queue
# photos inlined in one event page, in base64 characters: a flood that sends a photo with every
# copy must not make the page too large to open; the photos beyond are links
INLINE_PHOTOS = 8_000_000
_VIA = "desk"
_DONE = {"graded", "published", "retracted", "merged", "split", "locked"}


def _when(value: str | dt.datetime | None) -> str:
    """A moment as the pages show it: UTC, to the minute."""
    if value is None:
        return ""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _span(first: str | None, last: str | None) -> str:
    """From the first to the last time seen, the day said once when it is one day."""
    if first is None or last is None or first == last:
        return _when(first)
    start, end = _when(first), _when(last)
    if start[:10] == end[:10]:
        return f"{start.removesuffix(' UTC')}–{end[11:]}"
    return f"{start} – {end}"


def _channel(request: Request, account: Account) -> Channel | Response:
    """The open channel, or the page instead: not configured (404), or the unlock page."""
    try:
        return _state(request).reports.channel()
    except ProblemError as problem:
        if problem.status == 404:
            return _render(request, "error.html", account, 404, message="reports_not_configured")
        return _redirect("/desk/reports")


async def _posted(
    request: Request, capability: Capability
) -> tuple[Account, dict[str, str], dict[str, list[str]]] | Response:
    """As `pages._posted`, keeping every value of a field ticked more than once."""
    gate = _gate(request, capability)
    if isinstance(gate, Response):
        return gate
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    if not check_csrf(request, values.get("csrf")):
        return _refused(request, gate)
    lists = {k: [str(v) for v in form.getlist(k) if isinstance(v, str)] for k in form}
    return gate, values, lists


def _which(text: str | None) -> Queue:
    return Queue(text) if text in {q.value for q in Queue} else Queue.NEW


def _done_shown(request: Request) -> str | None:
    """What the redirect says was done, if it is one of the things done here."""
    done = request.query_params.get("done")
    return done if done in _DONE else None


def _new_shown(request: Request) -> str | None:
    """The event a split made, to link to (an id: letters and digits)."""
    new = request.query_params.get("new", "")
    return new if new.isalnum() and len(new) <= 64 else None


def _grade(text: str) -> Grade | None:
    try:
        return Grade(int(text))
    except ValueError:
        return None


# --- the queue -------------------------------------------------------------------------------


def _queue_page(
    request: Request,
    account: Account,
    channel: Channel,
    which: Queue,
    offset: int,
    status: int = 200,
    error: str | None = None,
) -> Response:
    page = review.queue(channel, which, offset, PAGE_SIZE)
    return _render(
        request,
        "review_queue.html",
        account,
        status,
        page=page,
        queues=list(Queue),
        error=error,
        done=_done_shown(request),
        when=_when,
        span=_span,
    )


def _offset(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 9 else 0


def _reviewing(request: Request) -> tuple[Account, Channel] | Response:
    """The signed-in reviewer and the open channel, or the page that says why not."""
    gate = _gate(request, Capability.REPORTS_REVIEW)
    if isinstance(gate, Response):
        return gate
    channel = _channel(request, gate)
    if isinstance(channel, Response):
        return channel
    return gate, channel


@router.get("/review")
async def queue_page(request: Request, queue: str = "new", offset: str = "0") -> Response:
    opened = _reviewing(request)
    if isinstance(opened, Response):
        return opened
    gate, channel = opened
    return _queue_page(request, gate, channel, _which(queue), _offset(offset))


@router.post("/review/merge")
async def merge(request: Request) -> Response:
    posted = await _event_form(request)
    if isinstance(posted, Response):
        return posted
    gate, channel, values, lists = posted
    which = _which(values.get("queue"))
    chosen = _by_number(channel, [event_id[:64] for event_id in lists.get("event", [])])
    offset = _offset(values.get("offset"))
    if len(chosen) < 2:
        return _queue_page(request, gate, channel, which, offset, 422, "merge_two")
    try:
        merged = review.merge(_state(request).opened(), gate, channel, chosen, _VIA)
    except ProblemError as problem:
        return _queue_page(request, gate, channel, which, offset, problem.status, problem.detail)
    return _redirect(f"/desk/review/events/{merged.event_id}?done=merged")


def _by_number(channel: Channel, event_ids: list[str]) -> list[str]:
    """The ticked events, the lowest number first (it keeps its number in the merge)."""
    numbered = []
    for event_id in dict.fromkeys(event_ids):
        try:
            numbered.append((channel.event(event_id).number, event_id))
        except InputError:  # gone meanwhile: the merge refuses it by name
            numbered.append((0, event_id))
    return [event_id for _, event_id in sorted(numbered)]


# --- an event --------------------------------------------------------------------------------


def _event_page(
    request: Request,
    account: Account,
    channel: Channel,
    event_id: str,
    status: int = 200,
    error: str | None = None,
    publish: dict[str, str] | None = None,
) -> Response:
    try:
        state, views = review.read(_state(request).opened(), account, channel, event_id, _VIA)
    except ProblemError:
        return _render(request, "error.html", account, 404, message="not_found")
    return _render(
        request,
        "review_event.html",
        account,
        status,
        event=state,
        reports=views,
        with_photo=[view for view in views if view.photo],
        inline=_inlined(views),
        grades=list(Grade),
        believed=[grade for grade in Grade if grade.believed],
        publish=publish or _publish_defaults(state, views),
        error=error,
        done=_done_shown(request),
        new=_new_shown(request),
        when=_when,
        span=_span,
    )


def _inlined(views: list[ReportView]) -> set[str]:
    """The reports whose photos the page shows inline, the earliest first, within the budget."""
    inline: set[str] = set()
    budget = INLINE_PHOTOS
    for view in views:
        if view.photo and len(view.photo) <= budget:
            inline.add(view.report_key)
            budget -= len(view.photo)
    return inline


def _publish_defaults(state: EventState, views: list[ReportView]) -> dict[str, str]:
    """The publish form as it opens: the event's grade if believed, its published text and
    the report whose photo it shows, if any; never a report's text unless the reviewer takes
    it."""
    grade = state.grade if state.grade is not None and state.grade.believed else None
    shown = state.published_photo
    return {
        "grade": str(int(grade)) if grade else "",
        "text": state.published_text or "",
        "photo_of": next((v.report_key for v in views if shown and v.photo == shown), ""),
    }


@router.get("/review/events/{event_id}")
async def event_page(request: Request, event_id: str) -> Response:
    opened = _reviewing(request)
    if isinstance(opened, Response):
        return opened
    gate, channel = opened
    return _event_page(request, gate, channel, event_id[:64])


@router.get("/review/events/{event_id}/photos/{report_key}")
async def photo(request: Request, event_id: str, report_key: str) -> Response:
    """One report's photo by itself (the ones not inlined in the event's page)."""
    opened = _reviewing(request)
    if isinstance(opened, Response):
        return opened
    gate, channel = opened
    try:
        image = review.photo(
            _state(request).opened(), gate, channel, event_id[:64], report_key[:64], _VIA
        )
    except ProblemError:
        return _render(request, "error.html", gate, 404, message="not_found")
    return Response(
        image,
        media_type="image/jpeg",
        headers={"Content-Security-Policy": "default-src 'none'", "Referrer-Policy": "no-referrer"},
    )


async def _event_form(
    request: Request,
) -> tuple[Account, Channel, dict[str, str], dict[str, list[str]]] | Response:
    posted = await _posted(request, Capability.REPORTS_REVIEW)
    if isinstance(posted, Response):
        return posted
    gate, values, lists = posted
    channel = _channel(request, gate)
    if isinstance(channel, Response):
        return channel
    return gate, channel, values, lists


def _done(event_id: str, what: str) -> Response:
    return _redirect(f"/desk/review/events/{event_id}?done={what}")


@router.post("/review/events/{event_id}/grade")
async def grade(request: Request, event_id: str) -> Response:
    posted = await _event_form(request)
    if isinstance(posted, Response):
        return posted
    gate, channel, values, _ = posted
    given = _grade(values.get("grade", ""))
    if given is None:
        return _event_page(request, gate, channel, event_id[:64], 422, "choose_grade")
    try:
        review.grade(_state(request).opened(), gate, channel, event_id[:64], given, _VIA)
    except ProblemError as problem:
        return _refusal(request, gate, channel, event_id, problem)
    return _done(event_id, "graded")


def _refusal(
    request: Request,
    account: Account,
    channel: Channel,
    event_id: str,
    problem: ProblemError,
    publish: dict[str, str] | None = None,
) -> Response:
    """The event page with the channel's refusal, or the 404 page if the event is gone."""
    if problem.status == 404:
        return _render(request, "error.html", account, 404, message="not_found")
    return _event_page(
        request, account, channel, event_id[:64], problem.status, problem.detail, publish
    )


@router.post("/review/events/{event_id}/publish")
async def publish(request: Request, event_id: str) -> Response:
    posted = await _event_form(request)
    if isinstance(posted, Response):
        return posted
    gate, channel, values, _ = posted
    event_id = event_id[:64]
    form = {
        "grade": values.get("grade", ""),
        "text": values.get("text", ""),
        "photo_of": values.get("photo_of", "")[:64],
    }
    action = values.get("action", "publish")
    if action.startswith("text:"):  # a report's text taken into the form, nothing published
        taken = _report_text(channel, event_id, action.removeprefix("text:"))
        return _event_page(request, gate, channel, event_id, publish={**form, "text": taken})
    given = _grade(form["grade"])
    if given is None or not given.believed:
        return _event_page(request, gate, channel, event_id, 422, "choose_believed", form)
    try:
        review.publish(
            _state(request).opened(),
            gate,
            channel,
            event_id,
            given,
            form["text"].strip() or None,
            form["photo_of"] or None,
            _VIA,
        )
    except ProblemError as problem:
        return _refusal(request, gate, channel, event_id, problem, form)
    return _done(event_id, "published")


def _report_text(channel: Channel, event_id: str, report_key: str) -> str:
    """The text of one of the event's reports ("" if it has none, or is not the event's)."""
    views: list[ReportView] = channel.reports_of(event_id)
    return next((view.text or "" for view in views if view.report_key == report_key), "")


@router.post("/review/events/{event_id}/retract")
async def retract(request: Request, event_id: str) -> Response:
    posted = await _event_form(request)
    if isinstance(posted, Response):
        return posted
    gate, channel, _, _ = posted
    try:
        review.retract(_state(request).opened(), gate, channel, event_id[:64], _VIA)
    except ProblemError as problem:
        return _refusal(request, gate, channel, event_id, problem)
    return _done(event_id, "retracted")


@router.post("/review/events/{event_id}/split")
async def split(request: Request, event_id: str) -> Response:
    posted = await _event_form(request)
    if isinstance(posted, Response):
        return posted
    gate, channel, _, lists = posted
    chosen = [key[:64] for key in lists.get("report", [])]
    if not chosen:
        return _event_page(request, gate, channel, event_id[:64], 422, "split_none")
    try:
        new = review.split(_state(request).opened(), gate, channel, event_id[:64], chosen, _VIA)
    except ProblemError as problem:
        return _refusal(request, gate, channel, event_id, problem)
    return _redirect(f"/desk/review/events/{event_id}?done=split&new={new.event_id}")


# --- the channel's own vault -----------------------------------------------------------------


def _vault_page(
    request: Request, account: Account, status: int = 200, error: str | None = None
) -> Response:
    reports = _state(request).reports
    return _render(
        request,
        "review_vault.html",
        account,
        status,
        configured=reports.configured,
        locked=reports.locked,
        error=error,
        done=_done_shown(request),
    )


@router.get("/reports")
async def vault_page(request: Request) -> Response:
    gate = _gate(request, Capability.REPORTS_UNLOCK)
    if isinstance(gate, Response):
        return gate
    return _vault_page(request, gate, 200 if _state(request).reports.configured else 404)


@router.post("/reports/unlock")
async def unlock(request: Request) -> Response:
    posted = await _posted(request, Capability.REPORTS_UNLOCK)
    if isinstance(posted, Response):
        return posted
    gate, values, _ = posted
    state = _state(request)
    limiter = request.app.state.sign_in_limiter
    secret = Passphrase(values.get("passphrase", "")[:1024])
    try:
        review.unlock(state, state.opened(), gate, secret, limiter, _VIA)
    except ProblemError as problem:
        error = {401: "wrong_reports_passphrase", 429: "too_many"}.get(problem.status)
        if problem.status == 409:  # unlocked meanwhile, by someone else
            return _redirect("/desk/reports")
        return _vault_page(request, gate, problem.status, error or "reports_not_configured")
    return _redirect(
        "/desk/review" if allowed(gate.role, Capability.REPORTS_REVIEW) else "/desk/reports"
    )


@router.post("/reports/lock")
async def lock(request: Request) -> Response:
    posted = await _posted(request, Capability.REPORTS_UNLOCK)
    if isinstance(posted, Response):
        return posted
    gate, _, _ = posted
    state = _state(request)
    try:
        review.lock(state, state.opened(), gate, _VIA)
    except ProblemError:
        return _vault_page(request, gate, 404)
    return _redirect("/desk/reports?done=locked")
