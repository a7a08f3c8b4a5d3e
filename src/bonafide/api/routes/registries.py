"""Registries and their figures, for analysts; persons looked up in them."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request

from bonafide.accounts import Account, Capability
from bonafide.registry.schema import Kind
from bonafide.registry.stats import list_registries, registry_stats
from bonafide.registry.store import RegistryStore
from bonafide.vault.audit import AuditAction

from ..auth import requires, state_of
from ..problems import BODY, SIGNED_IN, ProblemError, problem_responses

router = APIRouter(tags=["registries"], responses=SIGNED_IN)
Analyst = Annotated[Account, Depends(requires(Capability.REGISTRY_READ))]
Matching = Annotated[Account, Depends(requires(Capability.PERSON_MATCH))]


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, (int, float, str)):
        return value.value
    return value


@router.get(
    "/registries",
    summary="Every registry: rows, imports, rejected rows",
    response_description="One object per registry imported: its kind, rows, imports, rejects",
    responses=problem_responses(409),
)
async def registries(request: Request, account: Analyst) -> list[dict[str, Any]]:
    with (
        state_of(request).stores() as opened,
        RegistryStore.open(opened.vault, read_only=True) as store,
    ):
        return [_jsonable(s) for s in list_registries(store)]


@router.get(
    "/registries/{kind}",
    summary="One registry: field coverage, scripts, imports",
    response_description="The registry's figures: rows, field coverage, scripts, its imports",
    responses=problem_responses(409, 422),
)
async def registry(request: Request, kind: Kind, account: Analyst) -> dict[str, Any]:
    with (
        state_of(request).stores() as opened,
        RegistryStore.open(opened.vault, read_only=True) as store,
    ):
        result: dict[str, Any] = _jsonable(registry_stats(store, kind))
        return result


@router.post(
    "/persons/match",
    summary="The persons a record most likely describes, explained",
    response_description="Candidates, best first: the person, the score, the match weights",
    responses={**BODY, **problem_responses(409)},
)
async def match(
    request: Request,
    account: Matching,
    record: Annotated[
        dict[str, Any], Body(description="Person fields, as `bonafide match` takes.")
    ],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> list[dict[str, Any]]:
    state = state_of(request)
    with state.stores() as opened:
        if not record:
            raise ProblemError(
                422, "Invalid request", "the record has no fields", kind="invalid-request"
            )
        candidates = state.verifier(opened).matcher.match(record, limit)
        opened.record(
            AuditAction.PERSONS_LOOKED_UP, account.name, None, {"candidates": len(candidates)}
        )
    return [c.to_json() for c in candidates]
