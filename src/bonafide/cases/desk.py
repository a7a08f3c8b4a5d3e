"""A dossier's way through the office: entered by an intake officer, submitted, taken by a
vetting officer, verified, decided — and what the checkpoint is told.

Only the pseudonymous code travels in the open; the dossier itself, who entered and who vetted
it, and the reason for a decision are sealed in the case store (`store.py`). Once the retention
time has passed the dossier and the reason are dropped (`reduced`); the code, the state and the
decision stay.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

__all__ = ["CaseState", "Decision", "DeskCase", "HandOff", "new_code"]

# Crockford's base32 without I, L, O, U: read aloud and typed at a checkpoint without confusion
_CODE_LETTERS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code() -> str:
    """A fresh pseudonymous code, e.g. `C-7KQ2-M9XD`: random, saying nothing of the person."""
    letters = "".join(secrets.choice(_CODE_LETTERS) for _ in range(8))
    return f"C-{letters[:4]}-{letters[4:]}"


class CaseState(StrEnum):
    DRAFT = "draft"  # being entered; only its intake officer sees it
    SUBMITTED = "submitted"  # waiting for a vetting officer
    TAKEN = "taken"  # a vetting officer has it
    VERIFIED = "verified"  # verified, not decided yet
    DECIDED = "decided"


class Decision(StrEnum):
    ACCEPT = "accept"
    QUESTION = "question"  # sent on, to be questioned at the checkpoint
    REJECT = "reject"


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0).isoformat()


@dataclass(frozen=True)
class DeskCase:
    code: str
    state: CaseState
    entered_by: str
    entered_at: str
    dossier: dict[str, Any] | None  # None once reduced
    submitted_at: str | None = None
    vetting_by: str | None = None
    verdict: str | None = None
    decision: Decision | None = None
    reason: str | None = None
    decided_by: str | None = None
    decided_at: str | None = None

    @classmethod
    def entered(cls, code: str, by: str, dossier: dict[str, Any]) -> DeskCase:
        return cls(code, CaseState.DRAFT, by, _now(), {**dossier, "dossier_id": code})

    def with_dossier(self, dossier: dict[str, Any]) -> DeskCase:
        return replace(self, dossier={**dossier, "dossier_id": self.code})

    def submitted(self) -> DeskCase:
        return replace(self, state=CaseState.SUBMITTED, submitted_at=_now())

    def taken(self, by: str) -> DeskCase:
        return replace(self, state=CaseState.TAKEN, vetting_by=by)

    def verified(self, verdict: str) -> DeskCase:
        return replace(self, state=CaseState.VERIFIED, verdict=verdict)

    def decided(self, decision: Decision, reason: str, by: str) -> DeskCase:
        return replace(
            self,
            state=CaseState.DECIDED,
            decision=decision,
            reason=reason,
            decided_by=by,
            decided_at=_now(),
        )

    def reduced(self) -> DeskCase:
        return replace(self, dossier=None, reason=None)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state.value
        data["decision"] = self.decision.value if self.decision else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DeskCase:
        values = dict(data)
        values["state"] = CaseState(values["state"])
        values["decision"] = Decision(values["decision"]) if values.get("decision") else None
        return cls(**values)


@dataclass(frozen=True)
class HandOff:
    """What the checkpoint is told of one arrival: nothing but what questioning needs."""

    code: str
    decision: Decision
    flagged: bool
    documents: list[dict[str, Any]]
    questions: list[str]

    @classmethod
    def of(cls, case: DeskCase, report: dict[str, Any] | None) -> HandOff:
        assert case.decision is not None
        report = report or {}
        return cls(
            code=case.code,
            decision=case.decision,
            flagged=case.decision is Decision.QUESTION or report.get("verdict") == "inconsistent",
            # which document, and what is wrong with it: never the number itself
            documents=[
                {"document": d.get("document"), "problems": list(d.get("problems") or [])}
                for d in report.get("documents", [])
            ],
            questions=list(report.get("questions", [])),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "decision": self.decision.value,
            "flagged": self.flagged,
            "documents": self.documents,
            "questions": self.questions,
        }
