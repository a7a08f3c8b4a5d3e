"""The checkpoint's hand-off list: code, document check, flag, questions — nothing else."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from bonafide.accounts import Account, Capability
from bonafide.cases.desk import Decision

from .. import office
from ..auth import requires, state_of
from ..problems import SIGNED_IN

router = APIRouter(tags=["checkpoint"], responses=SIGNED_IN)


class HandOffOut(BaseModel):
    code: str
    decision: Decision
    flagged: bool
    documents: list[dict[str, Any]]
    questions: list[str]


@router.get("/handoff", summary="Arrivals sent on: code, document check, flag, questions")
async def handoff(
    request: Request,
    account: Annotated[Account, Depends(requires(Capability.HANDOFF_READ))],
) -> list[HandOffOut]:
    with state_of(request).stores() as opened:
        items = office.handoff(opened, account)
    return [HandOffOut(**h.to_json()) for h in items]
