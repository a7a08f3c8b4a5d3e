"""The service itself: health, and the vault — unlock with the passphrase, lock, wipe."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from bonafide.accounts import Account, Capability
from bonafide.errors import VaultError
from bonafide.vault import Passphrase, wipe
from bonafide.vault.audit import AuditAction

from ..auth import requires, state_of
from ..problems import BODY, SIGNED_IN, ProblemError, problem_responses

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: Literal["locked", "unlocked"]


class UnlockRequest(BaseModel):
    passphrase: str = Field(min_length=1, max_length=1024, description="The vault passphrase.")


class WipeRequest(BaseModel):
    confirm: Literal["wipe"] = Field(description='"wipe", to say it is meant.')


class WipeResult(BaseModel):
    keys_destroyed: bool
    seconds_to_keys: float
    seconds_total: float


@router.get("/health", summary="Whether the service runs and its vault is unlocked")
async def health(request: Request) -> Health:
    return Health(status="locked" if state_of(request).locked else "unlocked")


@router.post(
    "/vault/unlock",
    summary="Unlock the vault with its passphrase (used once, never kept or logged)",
    responses=problem_responses(401, 409, 413, 422, 429),
)
async def unlock(request: Request, body: UnlockRequest) -> Health:
    state = state_of(request)
    limiter = request.app.state.sign_in_limiter
    limiter.check("vault")
    try:
        opened = state.unlock(Passphrase(body.passphrase))
    except VaultError:
        limiter.failed("vault")
        raise ProblemError(
            401,
            "Wrong passphrase",
            "the passphrase does not open this vault",
            kind="wrong-passphrase",
        ) from None
    limiter.succeeded("vault")
    opened.record(AuditAction.VAULT_UNLOCKED, None)
    return Health(status="unlocked")


@router.post(
    "/vault/lock",
    summary="Lock the vault: every store closed, the keys dropped",
    responses=SIGNED_IN,
)
async def lock(
    request: Request,
    account: Annotated[Account, Depends(requires(Capability.VAULT_MANAGE))],
) -> Health:
    state = state_of(request)
    state.opened().record(AuditAction.VAULT_LOCKED, account.name)
    state.lock()
    return Health(status="locked")


@router.post(
    "/vault/wipe",
    summary="Destroy the vault's keys and data: nothing can be read afterwards",
    responses={**SIGNED_IN, **BODY},
)
async def wipe_vault(
    request: Request,
    body: WipeRequest,
    account: Annotated[Account, Depends(requires(Capability.VAULT_MANAGE))],
) -> WipeResult:
    state = state_of(request)
    state.lock()
    report = wipe(state.data_dir)
    return WipeResult(
        keys_destroyed=report.keys_destroyed,
        seconds_to_keys=report.seconds_to_keys,
        seconds_total=report.seconds_total,
    )
