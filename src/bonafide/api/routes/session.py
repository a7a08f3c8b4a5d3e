"""Signing in and out, and who the caller is."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from bonafide.accounts import ALLOWED, Account, TokenKind
from bonafide.vault.audit import AuditAction

from ..auth import caller, state_of
from ..problems import ProblemError, problem_responses

router = APIRouter(prefix="/auth", tags=["accounts"])

SESSION_LIFETIME = dt.timedelta(hours=8)  # one working day at the desk


class SignIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class Session(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>`.")
    expires_in: int = Field(description="Seconds until the session ends.")
    role: str


class Me(BaseModel):
    name: str
    role: str
    may: list[str] = Field(description="What the role may do.")


@router.post(
    "/sign-in",
    summary="Sign in with a name and password; answers a session token",
    responses=problem_responses(401, 413, 422, 429, 503),
)
async def sign_in(request: Request, body: SignIn) -> Session:
    state = state_of(request)
    opened = state.opened()
    limiter = request.app.state.sign_in_limiter
    limiter.check(body.name)
    account = opened.accounts.check_password(body.name, body.password)
    if account is None:
        limiter.failed(body.name)
        opened.record(AuditAction.SIGN_IN_REFUSED, None)
        raise ProblemError(
            401,
            "Sign-in refused",
            "the name or the password is wrong, or the account is disabled",
            kind="sign-in-refused",
        )
    limiter.succeeded(body.name)
    token = opened.accounts.create_token(account.name, TokenKind.SESSION, SESSION_LIFETIME)
    opened.record(AuditAction.SIGNED_IN, account.name)
    return Session(
        token=token, expires_in=int(SESSION_LIFETIME.total_seconds()), role=account.role.value
    )


@router.post(
    "/sign-out",
    summary="End the session (revoke the token this request carries)",
    responses=problem_responses(401, 503),
)
async def sign_out(request: Request, account: Annotated[Account, Depends(caller)]) -> Me:
    state_of(request).opened().accounts.revoke(request.state.token)
    return _me(account)


@router.get(
    "/me",
    summary="The caller's account, role and what the role may do",
    responses=problem_responses(401, 503),
)
async def me(account: Annotated[Account, Depends(caller)]) -> Me:
    return _me(account)


def _me(account: Account) -> Me:
    may = sorted(c.value for c, roles in ALLOWED.items() if account.role in roles)
    return Me(name=account.name, role=account.role.value, may=may)
