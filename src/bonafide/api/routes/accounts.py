"""Accounts and tokens, for administrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from bonafide.accounts import Account, Capability, Role
from bonafide.vault.audit import AuditAction

from ..auth import requires, state_of
from ..problems import BODY, SIGNED_IN, ProblemError, problem_responses

router = APIRouter(tags=["accounts"], responses=SIGNED_IN)
Admin = Annotated[Account, Depends(requires(Capability.ACCOUNTS_MANAGE))]


class AccountOut(BaseModel):
    name: str
    role: Role
    created: str
    disabled: bool


class NewAccount(BaseModel):
    name: str = Field(min_length=2, max_length=64, pattern=r"^[\w.\-]+$")
    role: Role
    password: str = Field(min_length=12, max_length=1024)


class AccountChange(BaseModel):
    disabled: bool


class NewToken(BaseModel):
    token: str = Field(description="Shown once; only its digest is kept.")


class TokenOut(BaseModel):
    token_id: str
    account: str
    kind: str
    created: str
    expires: str | None
    revoked: bool


def _out(account: Account) -> AccountOut:
    return AccountOut(
        name=account.name, role=account.role, created=account.created, disabled=account.disabled
    )


def _missing() -> ProblemError:
    return ProblemError(404, "Not found", "no account of that name", kind="not-found")


@router.get("/accounts", summary="Every account")
async def list_accounts(request: Request, admin: Admin) -> list[AccountOut]:
    return [_out(a) for a in state_of(request).opened().accounts.accounts()]


@router.post(
    "/accounts",
    status_code=201,
    summary="Add an account",
    responses={**BODY, **problem_responses(409)},
)
async def add_account(request: Request, body: NewAccount, admin: Admin) -> AccountOut:
    opened = state_of(request).opened()
    if opened.accounts.get(body.name) is not None:
        raise ProblemError(409, "Conflict", "an account of that name exists", kind="account-exists")
    account = opened.accounts.add(body.name, body.role, body.password)
    opened.record(AuditAction.ACCOUNT_ADDED, admin.name, None, {"role": account.role.value})
    return _out(account)


@router.patch(
    "/accounts/{name}",
    summary="Disable or enable an account",
    responses={**BODY, **problem_responses(404)},
)
async def change_account(
    request: Request, name: str, body: AccountChange, admin: Admin
) -> AccountOut:
    opened = state_of(request).opened()
    if opened.accounts.get(name) is None:
        raise _missing()
    account = opened.accounts.set_disabled(name, body.disabled)
    opened.record(AuditAction.ACCOUNT_CHANGED, admin.name, None, {"disabled": body.disabled})
    return _out(account)


@router.delete(
    "/accounts/{name}",
    status_code=204,
    summary="Remove an account, revoke its tokens",
    responses=problem_responses(404, 422),
)
async def remove_account(request: Request, name: str, admin: Admin) -> Response:
    opened = state_of(request).opened()
    if opened.accounts.get(name) is None:
        raise _missing()
    opened.accounts.remove(name)
    opened.record(AuditAction.ACCOUNT_REMOVED, admin.name)
    return Response(status_code=204)


@router.post(
    "/accounts/{name}/tokens",
    status_code=201,
    summary="Create an API token",
    responses=problem_responses(404, 422),
)
async def create_token(request: Request, name: str, admin: Admin) -> NewToken:
    opened = state_of(request).opened()
    if opened.accounts.get(name) is None:
        raise _missing()
    token = opened.accounts.create_token(name)
    opened.record(AuditAction.TOKEN_CREATED, admin.name, None, {"token": token.split("_")[1]})
    return NewToken(token=token)


@router.get("/tokens", summary="Every token by id (never the token itself)")
async def list_tokens(request: Request, admin: Admin) -> list[TokenOut]:
    return [TokenOut(**t.to_json()) for t in state_of(request).opened().accounts.tokens()]


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    summary="Revoke a token",
    responses=problem_responses(404, 422),
)
async def revoke_token(request: Request, token_id: str, admin: Admin) -> Response:
    opened = state_of(request).opened()
    if not opened.accounts.revoke(token_id):
        raise ProblemError(404, "Not found", "no token of that id", kind="not-found")
    opened.record(AuditAction.TOKEN_REVOKED, admin.name, None, {"token": token_id})
    return Response(status_code=204)
