"""The audit log: read, verify the chain, export — for administrators and auditors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from bonafide.accounts import Account, Capability
from bonafide.vault.audit import AuditAction

from ..auth import requires, state_of
from ..problems import SIGNED_IN, problem_responses

router = APIRouter(prefix="/audit", tags=["audit"], responses=SIGNED_IN)
Auditor = Annotated[Account, Depends(requires(Capability.AUDIT_READ))]


class ChainOut(BaseModel):
    intact: bool
    entries: int
    head_seq: int
    problems: list[dict[str, Any]]


@router.get(
    "",
    summary="Audit entries after a sequence number, oldest first",
    response_description="Audit entries: seq, time, action, actor, dossier code, detail, hashes",
    responses=problem_responses(422),
)
async def entries(
    request: Request,
    account: Auditor,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    with state_of(request).stores() as opened:
        log = opened.audit  # the service's one connection, under the stores' lock
        found = []
        for entry in log.entries():
            if entry.seq > after:
                found.append(entry.to_json())
            if len(found) >= limit:
                break
        opened.record(AuditAction.AUDIT_READ, account.name, None, {"entries": len(found)})
    return found


@router.get("/verify", summary="Check the hash chain from the first entry to the head")
async def verify(request: Request, account: Auditor) -> ChainOut:
    with state_of(request).stores() as opened:
        check = opened.audit.verify()
    return ChainOut(
        intact=check.intact,
        entries=check.entries,
        head_seq=check.head_seq,
        problems=[{"seq": seq, "problem": str(problem)} for seq, problem in check.problems],
    )


@router.get(
    "/export",
    summary="Every entry as JSON lines",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
async def export(request: Request, account: Auditor) -> StreamingResponse:
    with state_of(request).stores() as opened:
        log = opened.audit  # the service's one connection, under the stores' lock
        lines = [json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in log.entries()]
        opened.record(AuditAction.AUDIT_EXPORTED, account.name, None, {"entries": len(lines)})

    def stream() -> Iterator[str]:
        yield from lines

    return StreamingResponse(stream(), media_type="application/x-ndjson")
