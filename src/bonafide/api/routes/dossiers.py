"""Dossiers through the office: entered, validated, submitted (intake); taken, verified, decided
(vetting); and ad-hoc verification of dossiers sent whole.

Need to know, on the server: an intake officer sees the dossiers they entered until submitted,
never another's; a vetting officer sees the queue of submitted codes and the dossiers they have
taken; an administrator sees codes and states, never content; nothing is ever listed by name.
Every read of a dossier or a report is in the audit log.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, Field

from bonafide.accounts import Account, Capability
from bonafide.cases.desk import CaseState, Decision, DeskCase
from bonafide.dossier.schema import dossier_schema
from bonafide.errors import InputError
from bonafide.vault.audit import AuditAction

from .. import office
from ..auth import caller, requires, state_of
from ..problems import BODY, SIGNED_IN, problem_responses

router = APIRouter(tags=["dossiers"], responses=SIGNED_IN)

Intake = Annotated[Account, Depends(requires(Capability.DOSSIER_ENTER))]
Vetting = Annotated[Account, Depends(requires(Capability.DOSSIER_VET))]
MAX_BATCH = 500  # dossiers in one verification request


def _inlined(node: Any, definitions: dict[str, Any]) -> Any:
    """`node` with every `#/$defs/…` reference replaced by its definition: inside the OpenAPI
    document such a reference would point at the document's root, not the dossier schema's."""
    if isinstance(node, dict):
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#/$defs/"):
            return _inlined(definitions[reference.removeprefix("#/$defs/")], definitions)
        return {key: _inlined(value, definitions) for key, value in node.items()}
    if isinstance(node, list):
        return [_inlined(value, definitions) for value in node]
    return node


def _schema_without_id() -> dict[str, Any]:
    """The dossier's JSON schema as a request body, self-contained: the code is the server's
    to give."""
    schema = dict(dossier_schema())
    definitions = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    schema["required"] = [r for r in schema.get("required", []) if r != "dossier_id"]
    inlined: dict[str, Any] = _inlined(schema, definitions)
    return inlined


_DOSSIER_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _schema_without_id()}},
    }
}
# what a route on one dossier can answer besides the role's refusal: no such code for the caller,
# or not in a state that allows it
ON_ONE = problem_responses(404, 409, 422)
REPORT = "A verification report (docs/formats.md): verdict, claims, evidence, match weights"
DossierBody = Annotated[dict[str, Any], Body(description="A dossier (docs/formats.md).")]


class CaseSummary(BaseModel):
    code: str
    state: CaseState
    submitted_at: str | None = None
    verdict: str | None = None
    decision: Decision | None = None


class CaseOut(CaseSummary):
    dossier: dict[str, Any] | None = Field(description="None once reduced by retention.")
    problems: list[str] = Field(default_factory=list, description="What keeps it from submission.")


class Validation(BaseModel):
    valid: bool
    problems: list[str]


class DecisionIn(BaseModel):
    decision: Decision
    reason: str = Field(min_length=1, max_length=2000)


def _summary(case: DeskCase) -> CaseSummary:
    return CaseSummary(
        code=case.code,
        state=case.state,
        submitted_at=case.submitted_at,
        verdict=case.verdict,
        decision=case.decision,
    )


def _out(case: DeskCase) -> CaseOut:
    return CaseOut(
        **_summary(case).model_dump(),
        dossier=case.dossier,
        problems=office.dossier_problems(case.dossier) if case.dossier else [],
    )


# --- intake -------------------------------------------------------------------------------


@router.post(
    "/dossiers",
    status_code=201,
    summary="Enter a dossier; the server gives it a pseudonymous code",
    openapi_extra=_DOSSIER_BODY,
    responses=BODY,
)
async def enter(request: Request, account: Intake, dossier: DossierBody) -> CaseOut:
    with state_of(request).stores() as opened:
        case = office.enter(opened, account, dossier)
    return _out(case)


@router.put(
    "/dossiers/{code}",
    summary="Replace a draft's content (its own intake officer, until submitted)",
    openapi_extra=_DOSSIER_BODY,
    responses={**BODY, **problem_responses(404)},
)
async def replace_draft(
    request: Request, code: str, account: Intake, dossier: DossierBody
) -> CaseOut:
    with state_of(request).stores() as opened:
        case = office.replace_draft(opened, account, code, dossier)
    return _out(case)


@router.post(
    "/dossiers/{code}/validate",
    summary="Check a draft against the dossier format",
    responses=problem_responses(404, 422),
)
async def validate(request: Request, code: str, account: Intake) -> Validation:
    with state_of(request).stores() as opened:
        case = office.draft(opened, account, code)
    assert case.dossier is not None
    problems = office.dossier_problems(case.dossier)
    return Validation(valid=not problems, problems=problems)


@router.post(
    "/dossiers/{code}/submit",
    summary="Submit a valid draft for vetting",
    responses=problem_responses(404, 422),
)
async def submit(request: Request, code: str, account: Intake) -> CaseSummary:
    with state_of(request).stores() as opened:
        case = office.submit(opened, account, code)
    return _summary(case)


# --- listing and reading --------------------------------------------------------------------


@router.get("/dossiers", summary="Dossiers the caller may see, by code (never by name)")
async def list_cases(
    request: Request, account: Annotated[Account, Depends(caller)]
) -> list[CaseSummary]:
    with state_of(request).stores() as opened:
        return [_summary(c) for c in office.visible_cases(opened, account)]


@router.get(
    "/dossiers/{code}",
    summary="One dossier: a draft to its intake officer, a taken one to its vetting officer",
    responses=problem_responses(404, 422),
)
async def read(
    request: Request, code: str, account: Annotated[Account, Depends(caller)]
) -> CaseOut:
    with state_of(request).stores() as opened:
        case = office.read(opened, account, code)
    return _out(case)


# --- vetting -------------------------------------------------------------------------------


@router.post(
    "/dossiers/{code}/take", summary="Take a submitted dossier for vetting", responses=ON_ONE
)
async def take(request: Request, code: str, account: Vetting) -> CaseSummary:
    with state_of(request).stores() as opened:
        return _summary(office.take(opened, account, code))


@router.post(
    "/dossiers/{code}/verify",
    summary="Verify a taken dossier; answers the report",
    response_description=REPORT,
    responses=ON_ONE,
)
async def verify(request: Request, code: str, account: Vetting) -> dict[str, Any]:
    state = state_of(request)
    with state.stores() as opened:
        return office.verify(state, opened, account, code)


@router.get(
    "/dossiers/{code}/report",
    summary="The report of a verified dossier",
    response_description=REPORT,
    responses=ON_ONE,
)
async def report(request: Request, code: str, account: Vetting) -> dict[str, Any]:
    with state_of(request).stores() as opened:
        return office.kept_report(opened, account, code).to_json()


@router.post(
    "/dossiers/{code}/decision",
    summary="Decide: accept, question at the checkpoint, or reject",
    responses={**BODY, **ON_ONE},
)
async def decide(request: Request, code: str, body: DecisionIn, account: Vetting) -> CaseSummary:
    with state_of(request).stores() as opened:
        return _summary(office.decide(opened, account, code, body.decision, body.reason))


class VerificationsIn(BaseModel):
    dossiers: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_BATCH)


@router.post(
    "/verifications",
    summary="Verify dossiers sent whole (each with its own dossier_id), up to 500 at once",
    response_description="One per dossier, in order: its report, or `problem` if it is invalid",
    responses={**BODY, **problem_responses(409)},
)
async def verify_batch(
    request: Request, body: VerificationsIn, account: Vetting
) -> list[dict[str, Any]]:
    state = state_of(request)
    with state.stores() as opened:
        verifier = state.verifier(opened)
        sources = [f"dossier {n}" for n in range(1, len(body.dossiers) + 1)]
        results = verifier.verify_many(list(body.dossiers), sources)
        answers: list[dict[str, Any]] = []
        verified: list[tuple[AuditAction, str | None, dict[str, Any]]] = []
        for result in results:
            if isinstance(result, InputError):
                answers.append({"problem": result.message})
            else:
                verified.append((AuditAction.DOSSIER_VERIFIED, result.dossier_id, {}))
                answers.append(result.to_json())
        opened.record_many(verified, account.name)
    return answers
