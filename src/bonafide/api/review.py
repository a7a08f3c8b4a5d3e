"""The report reviewer's work, for the API's routes and the desk's pages alike: each operation
calls the reports channel and writes the audit log.

The audit log is the dossiers' (the service's one log): it says which account read, graded,
published, retracted, merged or split which event (its number and id) and how — never a
report's place, time, text or photo, which stay in the reports' own vault. A reviewer sees
reports' content only: a report has no field about its sender, and nothing here adds one.

The channel's `InputError`s become problems here: an event that is not there (merged away, or
never there) answers 404; any other names the request's field it is about (422).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bonafide.accounts import Account
from bonafide.errors import InputError, VaultError
from bonafide.reports.channel import Channel, EventState, Queue, ReportView
from bonafide.reports.credibility import Grade
from bonafide.vault import Secret
from bonafide.vault.audit import AuditAction

from .auth import SignInLimiter
from .problems import ProblemError
from .state import Opened, ServerState

__all__ = [
    "ENGINE_FIELDS",
    "QueuePage",
    "grade",
    "lock",
    "merge",
    "publish",
    "queue",
    "read",
    "retract",
    "split",
    "unlock",
]

# the channel's name of a field (the start of its messages) → the request's field
ENGINE_FIELDS = {
    "grade": "grade",
    "text": "text",
    "photo": "photo_of",
    "events": "event_ids",
    "reports": "report_keys",
}
_LIMITER_NAME = "reports vault"  # failed unlocks counted apart from the dossiers' vault's


@dataclass(frozen=True)
class QueuePage:
    """One page of a queue, with the size of every queue (the desk's tabs)."""

    which: Queue
    offset: int
    limit: int
    events: list[EventState]
    sizes: dict[Queue, int]

    @property
    def total(self) -> int:
        return self.sizes[self.which]


@contextmanager
def _engine() -> Iterator[None]:
    """The channel's refusals as problems (see the module's docstring)."""
    try:
        yield
    except InputError as error:
        field, _, problem = error.message.partition(": ")
        if field == "event":
            raise ProblemError(
                404,
                "Not found",
                "no such event: merged into another, or never there",
                kind="not-found",
                hint=error.hint,
            ) from None
        name = ENGINE_FIELDS.get(field, field)
        extra: dict[str, Any] = {"hint": error.hint} if error.hint else {}
        raise ProblemError(
            422,
            "Invalid request",
            f"{name}: {problem or error.message}",
            kind="invalid-request",
            errors=[{"field": f"body.{name}", "problem": problem or error.message}],
            **extra,
        ) from None


def _record(
    opened: Opened, action: AuditAction, account: Account, detail: dict[str, Any], via: str | None
) -> None:
    opened.record(action, account.name, None, {**detail, **({"via": via} if via else {})})


def _about(state: EventState) -> dict[str, Any]:
    return {"event": state.number, "event_id": state.event_id}


def queue(channel: Channel, which: Queue, offset: int, limit: int) -> QueuePage:
    """A page of a queue. Not audited: it shows events' facts (what the feed publishes), no
    report's content."""
    return QueuePage(
        which,
        offset,
        limit,
        channel.queue(which, offset, limit),
        {each: channel.queue_size(each) for each in Queue},
    )


def read(
    opened: Opened, account: Account, channel: Channel, event_id: str, via: str | None = None
) -> tuple[EventState, list[ReportView]]:
    """An event and its reports' content (audited: the reports are read)."""
    with _engine():
        state = channel.event(event_id)
        reports = channel.reports_of(event_id)
    _record(
        opened, AuditAction.EVENT_READ, account, {**_about(state), "reports": len(reports)}, via
    )
    return state, reports


def photo(
    opened: Opened,
    account: Account,
    channel: Channel,
    event_id: str,
    report_key: str,
    via: str | None = None,
) -> bytes:
    """One report's photo (JPEG), read by itself: a flood of photos is never unsealed whole for
    one of them (audited as a read of the event)."""
    try:
        state = channel.event(event_id)
        found = channel.photo(event_id, report_key)
    except InputError:
        raise ProblemError(
            404,
            "Not found",
            "report_key: the event has no report with this key holding a photo (a reduced "
            "report keeps none)",
            kind="not-found",
        ) from None
    _record(opened, AuditAction.EVENT_READ, account, {**_about(state), "photo": True}, via)
    return base64.b64decode(found)


def _act(
    opened: Opened,
    account: Account,
    action: AuditAction,
    change: Callable[[], EventState],
    detail: dict[str, Any],
    via: str | None,
) -> EventState:
    with _engine():
        state = change()
    _record(opened, action, account, {**_about(state), "status": state.status.value, **detail}, via)
    return state


def grade(
    opened: Opened,
    account: Account,
    channel: Channel,
    event_id: str,
    given: Grade,
    via: str | None = None,
) -> EventState:
    """Grade the information (a published event graded 4–6 is retracted by the channel)."""
    return _act(
        opened,
        account,
        AuditAction.EVENT_GRADED,
        lambda: channel.grade(event_id, given),
        {"grade": int(given)},
        via,
    )


def publish(
    opened: Opened,
    account: Account,
    channel: Channel,
    event_id: str,
    given: Grade,
    text: str | None,
    photo_of: str | None,
    via: str | None = None,
) -> EventState:
    return _act(
        opened,
        account,
        AuditAction.EVENT_PUBLISHED,
        lambda: channel.publish(event_id, given, text, photo_of),
        # whether a text and a photo went out, never which
        {"grade": int(given), "text": bool(text and text.strip()), "photo": photo_of is not None},
        via,
    )


def retract(
    opened: Opened, account: Account, channel: Channel, event_id: str, via: str | None = None
) -> EventState:
    return _act(
        opened, account, AuditAction.EVENT_RETRACTED, lambda: channel.retract(event_id), {}, via
    )


def merge(
    opened: Opened,
    account: Account,
    channel: Channel,
    event_ids: list[str],
    via: str | None = None,
) -> EventState:
    """One event of several; the first keeps its number."""
    with _engine():
        numbers = [channel.event(event_id).number for event_id in dict.fromkeys(event_ids)]
    return _act(
        opened,
        account,
        AuditAction.EVENTS_MERGED,
        lambda: channel.merge(event_ids),
        {"merged": numbers},
        via,
    )


def split(
    opened: Opened,
    account: Account,
    channel: Channel,
    event_id: str,
    report_keys: list[str],
    via: str | None = None,
) -> EventState:
    """These reports of an event moved into a new event; answers the new one."""
    with _engine():
        number = channel.event(event_id).number
    return _act(
        opened,
        account,
        AuditAction.EVENT_SPLIT,
        lambda: channel.split(event_id, report_keys),
        {"from_event": number, "from_event_id": event_id, "reports": len(set(report_keys))},
        via,
    )


def unlock(
    state: ServerState,
    opened: Opened,
    account: Account,
    secret: Secret,
    limiter: SignInLimiter,
    via: str | None = None,
) -> None:
    """Open the reports' vault with its own passphrase; 401 if wrong (rate limited as the
    dossiers' vault's unlock, and counted apart from it)."""
    if not state.reports.configured:
        state.reports.channel()  # the 404 problem: no reports channel here
    limiter.check(_LIMITER_NAME)
    try:
        state.reports.unlock(secret)
    except VaultError:
        limiter.failed(_LIMITER_NAME)
        raise ProblemError(
            401,
            "Wrong passphrase",
            "the passphrase does not open the reports' vault",
            kind="wrong-passphrase",
            hint="the reports' passphrase, not the dossiers' vault's",
        ) from None
    limiter.succeeded(_LIMITER_NAME)
    _record(opened, AuditAction.REPORTS_UNLOCKED, account, {}, via)


def lock(state: ServerState, opened: Opened, account: Account, via: str | None = None) -> bool:
    """Close the channel and drop its key; whether it was open (recorded only then)."""
    if not state.reports.configured:
        state.reports.channel()  # the 404 problem
    closed = state.reports.lock()
    if closed:
        _record(opened, AuditAction.REPORTS_LOCKED, account, {}, via)
    return closed
