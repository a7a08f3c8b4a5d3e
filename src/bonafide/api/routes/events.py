"""The reports channel for its reviewers: the queues of events, an event with its reports'
content, grading, publishing, retracting, merging and splitting; unlocking and locking the
channel's own vault.

Only a reviewer reads or changes events; a reviewer or an administrator may unlock the channel
with the reports' passphrase (which shows them nothing) or lock it. What a reviewer sees of a
report is what it says — category, time seen, hour of arrival, count, direction, place as
written, text, photo — because a report holds nothing else. Every read and change of an event
is in the audit log (`api/review.py`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from bonafide.accounts import Account, Capability
from bonafide.reports.channel import EventState, Queue, ReportView
from bonafide.reports.credibility import EventFacts, EventStatus, Grade
from bonafide.reports.intake import MAX_TEXT
from bonafide.vault import Passphrase

from .. import review
from ..auth import requires, state_of
from ..problems import BODY, SIGNED_IN, problem_responses

router = APIRouter(tags=["reports"], responses=SIGNED_IN)

Reviewer = Annotated[Account, Depends(requires(Capability.REPORTS_REVIEW))]
Keyholder = Annotated[Account, Depends(requires(Capability.REPORTS_UNLOCK))]
EventId = Annotated[str, Path(min_length=1, max_length=64, description="An event's id.")]
ReportKey = Annotated[str, Path(min_length=1, max_length=64, description="A report's key.")]
MAX_IDS = 500  # events in one merge, reports in one split

# a route over the channel: no reports channel here (404), or it is locked (503)
CHANNEL = {
    **problem_responses(404, 503),
    503: {
        **problem_responses(503)[503],
        "description": "The vault or the reports channel is locked",
    },
}
ON_EVENT = {**CHANNEL, **problem_responses(422)}  # 404: no such event, too


class FactsOut(BaseModel):
    """What an event's reports say together, and how far they corroborate each other."""

    reports: int = Field(description="Reports in the event.")
    independent: int = Field(description="Distinct (place, half hour of arrival) among them.")
    burst_reports: int = Field(description="Reports that arrived in bursts of alike reports.")
    suspect: bool = Field(description="Most of its reports are one burst: a possible flood.")
    placed: bool = Field(description="Its place resolved in the gazetteer.")
    lat: float | None = None
    lon: float | None = None
    place: str = Field(description="The latest report's place (or the distance to the nearest).")
    place_be: str
    place_ru: str
    first_seen: str | None = Field(description="UTC, to the minute.")
    last_seen: str | None = None
    count: int | None = Field(description="The median count reported.")
    direction: str | None = Field(description="The direction most reports give.")

    @staticmethod
    def of(facts: EventFacts) -> FactsOut:
        return FactsOut(**facts.to_json())


class EventSummary(BaseModel):
    event_id: str
    number: int = Field(description="The event's number, for people.")
    category: str
    status: EventStatus
    grade: Grade | None = Field(description="The reviewer's grade of the information (1–6).")
    grade_words: str | None = Field(description="The grade in words.")
    reviewed: bool
    auto_published: bool = Field(description="Published without a reviewer, by corroboration.")
    published_at: str | None
    updated_at: str
    facts: FactsOut

    @staticmethod
    def of(state: EventState) -> EventSummary:
        return EventSummary(
            event_id=state.event_id,
            number=state.number,
            category=state.category,
            status=state.status,
            grade=state.grade,
            grade_words=state.grade.words if state.grade is not None else None,
            reviewed=state.reviewed,
            auto_published=state.auto_published,
            published_at=state.published_at,
            updated_at=state.updated_at,
            facts=FactsOut.of(state.facts),
        )


class QueueOut(BaseModel):
    queue: Queue
    offset: int
    limit: int
    total: int = Field(description="Events in this queue.")
    sizes: dict[Queue, int] = Field(description="Events in each queue.")
    events: list[EventSummary]


class ReportOut(BaseModel):
    """One report's content; after reduction (72 h by default) only its facts remain."""

    report_key: str = Field(description="The report's random key in the channel.")
    category: str
    seen: str = Field(description="When it was seen, UTC.")
    arrived_hour: str = Field(description="The hour it arrived, UTC.")
    count: int | None
    direction: str | None
    placed: bool
    reduced: bool = Field(description="Its place as written, text and photo deleted.")
    place_written: str | None
    text: str | None
    has_photo: bool = Field(
        description="It came with a photo (re-encoded): GET /events/{event_id}/reports/"
        "{report_key}/photo. Photos are fetched one by one so that a flood of photos cannot "
        "make an event unreadable."
    )

    @staticmethod
    def of(view: ReportView) -> ReportOut:
        return ReportOut(
            report_key=view.report_key,
            category=view.category,
            seen=view.seen.isoformat(timespec="minutes"),
            arrived_hour=view.arrived_hour.isoformat(timespec="minutes"),
            count=view.count,
            direction=view.direction,
            placed=view.placed,
            reduced=view.reduced,
            place_written=view.place_written,
            text=view.text,
            has_photo=view.photo is not None,
        )


class EventOut(EventSummary):
    published_text: str | None
    published_photo: str | None = Field(description="The published photo, as base64.")
    reports: list[ReportOut] = Field(description="Its reports, the earliest seen first.")


class GradeIn(BaseModel):
    grade: Grade = Field(description="Admiralty grade of the information, 1 (confirmed) to 6.")


class PublishIn(BaseModel):
    grade: Grade = Field(description="1, 2 or 3: a doubtful event is not published.")
    text: str | None = Field(default=None, max_length=MAX_TEXT, description="What the feed says.")
    photo_of: str | None = Field(
        default=None, max_length=64, description="The report whose photo the feed shows."
    )


class MergeIn(BaseModel):
    event_ids: list[Annotated[str, Field(max_length=64)]] = Field(
        min_length=2, max_length=MAX_IDS, description="The first keeps its number."
    )


class SplitIn(BaseModel):
    report_keys: list[Annotated[str, Field(max_length=64)]] = Field(
        min_length=1, max_length=MAX_IDS, description="Reports of the event to make a new one."
    )


class ReportsUnlockIn(BaseModel):
    passphrase: str = Field(
        min_length=1, max_length=1024, description="The reports' vault passphrase."
    )


class ReportsState(BaseModel):
    reports: Literal["locked", "unlocked"]


def _out(state: EventState, views: list[ReportView]) -> EventOut:
    return EventOut(
        **EventSummary.of(state).model_dump(),
        published_text=state.published_text,
        published_photo=state.published_photo,
        reports=[ReportOut.of(view) for view in views],
    )


@router.get(
    "/events",
    summary="A queue of events: new, suspect (mostly one burst), published or retracted",
    responses={**CHANNEL, **problem_responses(422)},
)
async def events(
    request: Request,
    account: Reviewer,
    queue: Queue = Queue.NEW,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> QueueOut:
    page = review.queue(state_of(request).reports.channel(), queue, offset, limit)
    return QueueOut(
        queue=page.which,
        offset=offset,
        limit=limit,
        total=page.total,
        sizes=page.sizes,
        events=[EventSummary.of(state) for state in page.events],
    )


@router.get(
    "/events/{event_id}",
    summary="An event and its reports' content (nothing about who sent them: nothing is kept)",
    responses=ON_EVENT,
)
async def event(request: Request, event_id: EventId, account: Reviewer) -> EventOut:
    state = state_of(request)
    channel = state.reports.channel()
    found, views = review.read(state.opened(), account, channel, event_id)
    return _out(found, views)


@router.get(
    "/events/{event_id}/reports/{report_key}/photo",
    summary="One report's photo (JPEG, re-encoded without its metadata)",
    responses={**ON_EVENT, 200: {"content": {"image/jpeg": {}}}},
    response_class=Response,
)
async def report_photo(
    request: Request, event_id: EventId, report_key: ReportKey, account: Reviewer
) -> Response:
    state = state_of(request)
    image = review.photo(state.opened(), account, state.reports.channel(), event_id, report_key)
    return Response(
        image,
        media_type="image/jpeg",
        headers={"Content-Security-Policy": "default-src 'none'", "Cache-Control": "no-store"},
    )


@router.post(
    "/events/merge",
    summary="Merge events of one category into the first",
    responses={**ON_EVENT, **BODY},
)
async def merge(request: Request, body: MergeIn, account: Reviewer) -> EventSummary:
    state = state_of(request)
    merged = review.merge(state.opened(), account, state.reports.channel(), body.event_ids)
    return EventSummary.of(merged)


@router.post(
    "/events/{event_id}/grade",
    summary="Grade the information, 1–6 (a published event graded 4–6 is retracted)",
    responses={**ON_EVENT, **BODY},
)
async def grade(
    request: Request, event_id: EventId, body: GradeIn, account: Reviewer
) -> EventSummary:
    state = state_of(request)
    graded = review.grade(state.opened(), account, state.reports.channel(), event_id, body.grade)
    return EventSummary.of(graded)


@router.post(
    "/events/{event_id}/publish",
    summary="Publish an event under a grade of 1–3, with a text and a report's photo",
    responses={**ON_EVENT, **BODY},
)
async def publish(
    request: Request, event_id: EventId, body: PublishIn, account: Reviewer
) -> EventSummary:
    state = state_of(request)
    published = review.publish(
        state.opened(),
        account,
        state.reports.channel(),
        event_id,
        body.grade,
        body.text,
        body.photo_of,
    )
    return EventSummary.of(published)


@router.post(
    "/events/{event_id}/retract",
    summary="Withdraw an event from the feed, or dismiss one never published",
    responses=ON_EVENT,
)
async def retract(request: Request, event_id: EventId, account: Reviewer) -> EventSummary:
    state = state_of(request)
    retracted = review.retract(state.opened(), account, state.reports.channel(), event_id)
    return EventSummary.of(retracted)


@router.post(
    "/events/{event_id}/split",
    summary="Move some of an event's reports into a new event; answers the new one",
    responses={**ON_EVENT, **BODY},
)
async def split(
    request: Request, event_id: EventId, body: SplitIn, account: Reviewer
) -> EventSummary:
    state = state_of(request)
    new = review.split(state.opened(), account, state.reports.channel(), event_id, body.report_keys)
    return EventSummary.of(new)


@router.post(
    "/reports/unlock",
    summary="Unlock the reports channel with the reports' passphrase (used once, never kept)",
    responses={**problem_responses(401, 404, 409, 429), **BODY},
)
async def unlock_reports(
    request: Request, body: ReportsUnlockIn, account: Keyholder
) -> ReportsState:
    state = state_of(request)
    limiter = request.app.state.sign_in_limiter
    review.unlock(state, state.opened(), account, Passphrase(body.passphrase), limiter)
    return ReportsState(reports="unlocked")


@router.post(
    "/reports/lock",
    summary="Lock the reports channel: its store closed, its key dropped",
    responses=problem_responses(404),
)
async def lock_reports(request: Request, account: Keyholder) -> ReportsState:
    state = state_of(request)
    review.lock(state, state.opened(), account)
    return ReportsState(reports="locked")
