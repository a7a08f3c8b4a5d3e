"""The office's operations on dossiers, with need to know: one place for the API's routes and
the desk's pages.

Each takes the open stores and the acting account, checks that the account may act on that
dossier (its own draft, the dossier it took), changes the case, and writes the audit entry.
A code that is not the caller's is answered as one that does not exist: codes are not to be
probed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bonafide.accounts import Account, Capability, Role, allowed
from bonafide.cases.desk import CaseState, Decision, DeskCase, HandOff, new_code
from bonafide.cases.store import KeptDossier
from bonafide.dossier import NAMES_MISSING
from bonafide.vault.audit import AuditAction
from bonafide.verify.dossier import dossier_problems_of, parse_dossier

from .problems import ProblemError
from .state import Opened, ServerState

__all__ = [
    "decide",
    "dossier_problems",
    "draft",
    "enter",
    "handoff",
    "kept_report",
    "read",
    "replace_draft",
    "submit",
    "take",
    "verify",
    "visible_cases",
]


NAMES_NEEDED = "identity/surname: a surname and a given name, or a full name, are needed"


def dossier_problems(dossier: dict[str, Any]) -> list[str]:
    """What keeps a dossier from submission, each naming its field; none when it is valid.

    A draft without its names yet is still checked for everything else (dates that are no
    days, stays that end before they begin), so an intake officer sees every problem at once."""
    today = dt.datetime.now(dt.UTC).date()
    problems = dossier_problems_of(dossier)
    names_missing = [p for p in problems if p.startswith("identity: ") and NAMES_MISSING in p]
    if names_missing:
        problems = [p for p in problems if p not in names_missing]
        if not problems:
            named = {**dossier, "identity": {**dossier.get("identity", {}), "full_name": "-"}}
            _, problems = parse_dossier(named, today)
        return [NAMES_NEEDED, *problems]
    if not problems:
        _, problems = parse_dossier(dossier, today)
    return problems


def _not_found() -> ProblemError:
    return ProblemError(404, "Not found", "no dossier of that code for you", kind="not-found")


def _conflict(detail: str) -> ProblemError:
    return ProblemError(409, "Conflict", detail, kind="wrong-state")


def _case(opened: Opened, code: str) -> DeskCase:
    case = opened.cases.get_case(code)
    if case is None:
        raise _not_found()
    return case


def _own_draft(opened: Opened, code: str, account: Account) -> DeskCase:
    case = _case(opened, code)
    if case.entered_by != account.name or case.state is not CaseState.DRAFT:
        raise _not_found()
    return case


def _own_case(opened: Opened, code: str, account: Account) -> DeskCase:
    case = _case(opened, code)
    if case.vetting_by != account.name:
        raise _not_found()
    return case


# --- intake -------------------------------------------------------------------------------


def enter(opened: Opened, account: Account, dossier: dict[str, Any]) -> DeskCase:
    """A new draft under a fresh pseudonymous code."""
    code = new_code()
    while opened.cases.get_case(code) is not None:
        code = new_code()
    case = DeskCase.entered(code, account.name, dossier)
    opened.cases.put_case(case)
    opened.record(AuditAction.DOSSIER_ENTERED, account.name, code)
    return case


def replace_draft(opened: Opened, account: Account, code: str, dossier: dict[str, Any]) -> DeskCase:
    case = _own_draft(opened, code, account).with_dossier(dossier)
    opened.cases.put_case(case)
    opened.record(AuditAction.DOSSIER_ENTERED, account.name, code)
    return case


def draft(opened: Opened, account: Account, code: str) -> DeskCase:
    """The account's own draft, for checking it (not a read of another's dossier: not
    audited)."""
    return _own_draft(opened, code, account)


def submit(opened: Opened, account: Account, code: str) -> DeskCase:
    case = _own_draft(opened, code, account)
    assert case.dossier is not None
    problems = dossier_problems(case.dossier)
    if problems:
        raise ProblemError(
            422,
            "Invalid dossier",
            f"{len(problems)} problem(s) keep the draft from submission",
            kind="invalid-dossier",
            problems=problems,
        )
    case = case.submitted()
    opened.cases.put_case(case)
    opened.record(AuditAction.DOSSIER_SUBMITTED, account.name, code)
    return case


# --- listing and reading --------------------------------------------------------------------


def visible_cases(opened: Opened, account: Account) -> list[DeskCase]:
    """The cases the account may see, oldest first: an intake officer's drafts, a vetting
    officer's queue and taken cases, an overview of codes and states for an administrator."""
    role = account.role
    if not (
        allowed(role, Capability.DOSSIER_ENTER)
        or allowed(role, Capability.DOSSIER_VET)
        or allowed(role, Capability.CASES_OVERVIEW)
    ):
        raise ProblemError(
            403, "Forbidden", f"the role {role.value} may not list dossiers", kind="forbidden"
        )
    cases = list(opened.cases.cases())
    opened.record(AuditAction.DOSSIERS_LISTED, account.name, None, {"dossiers": len(cases)})

    def visible(case: DeskCase) -> bool:
        if role is Role.INTAKE:
            return case.entered_by == account.name and case.state is CaseState.DRAFT
        if role is Role.VETTING:
            return case.state is CaseState.SUBMITTED or case.vetting_by == account.name
        return case.state is not CaseState.DRAFT

    return sorted((c for c in cases if visible(c)), key=lambda c: (c.entered_at, c.code))


def read(opened: Opened, account: Account, code: str) -> DeskCase:
    """A dossier for its intake officer (a draft) or its vetting officer; the read audited."""
    if account.role is Role.INTAKE:
        case = _own_draft(opened, code, account)
    elif account.role is Role.VETTING:
        case = _own_case(opened, code, account)
    else:
        raise ProblemError(
            403,
            "Forbidden",
            f"the role {account.role.value} may not read dossiers",
            kind="forbidden",
        )
    opened.record(AuditAction.DOSSIER_READ, account.name, code)
    return case


# --- vetting -------------------------------------------------------------------------------


def take(opened: Opened, account: Account, code: str) -> DeskCase:
    case = _case(opened, code)
    if case.state is CaseState.DRAFT:
        raise _not_found()
    if case.state is not CaseState.SUBMITTED:
        if case.vetting_by == account.name:
            return case
        raise _conflict("another vetting officer has taken this dossier")
    case = case.taken(account.name)
    opened.cases.put_case(case)
    opened.record(AuditAction.DOSSIER_TAKEN, account.name, code)
    return case


def verify(state: ServerState, opened: Opened, account: Account, code: str) -> dict[str, Any]:
    """Verify a taken dossier; its report, kept in the case store."""
    case = _own_case(opened, code, account)
    if case.state is CaseState.DECIDED:
        raise _conflict("the dossier is decided; its report stays as it was")
    if case.dossier is None:
        raise _conflict("the dossier was reduced by retention: there is nothing to verify")
    report = state.verifier(opened).verify(case.dossier, code)
    opened.cases.put_case(case.verified(report.verdict))
    opened.record(AuditAction.DOSSIER_VERIFIED, account.name, code)
    return report.to_json()


def kept_report(opened: Opened, account: Account, code: str) -> KeptDossier:
    _own_case(opened, code, account)
    kept = opened.cases.get(code)
    if kept is None:
        raise _conflict("the dossier is not verified yet")
    opened.record(AuditAction.DOSSIER_READ, account.name, code, {"what": "report"})
    return kept


def decide(
    opened: Opened, account: Account, code: str, decision: Decision, reason: str
) -> DeskCase:
    case = _own_case(opened, code, account)
    if case.state not in (CaseState.VERIFIED, CaseState.DECIDED):
        raise _conflict("verify the dossier before deciding")
    case = case.decided(decision, reason, account.name)
    opened.cases.put_case(case)
    kept = opened.cases.get(code)
    if kept is not None and kept.report is not None:
        opened.cases.keep(code, kept.report, decision.value)
        opened.cases.commit()
    opened.record(AuditAction.DOSSIER_DECIDED, account.name, code, {"decision": decision.value})
    return case


# --- the checkpoint ---------------------------------------------------------------------------


def handoff(opened: Opened, account: Account) -> list[HandOff]:
    """Arrivals sent on (accepted or to be questioned), in the order they were decided."""
    sent_on = [
        c
        for c in opened.cases.cases()
        if c.state is CaseState.DECIDED and c.decision is not Decision.REJECT
    ]
    items = []
    for case in sorted(sent_on, key=lambda c: (c.decided_at or "", c.code)):
        kept = opened.cases.get(case.code)
        items.append(HandOff.of(case, kept.report if kept else None))
    opened.record(AuditAction.HANDOFF_READ, account.name, None, {"arrivals": len(items)})
    return items
