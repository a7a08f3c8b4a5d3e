"""The desk's session cookie and CSRF protection.

The session is an account token of kind `session` (accounts/store.py: only its digest kept) in
the cookie `bf_desk` (HttpOnly, SameSite=Strict, Secure over HTTPS). Every form carries a
CSRF token equal to the cookie `bf_csrf` (double submit: a page of another site can neither
read the cookie nor, with SameSite=Strict, send it).
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response

from bonafide.accounts import Account
from bonafide.api.state import ServerState

__all__ = [
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "account_of",
    "check_csrf",
    "csrf_token",
    "drop_session",
    "set_session",
]

SESSION_COOKIE = "bf_desk"
CSRF_COOKIE = "bf_csrf"
SESSION_SECONDS = 8 * 3600


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser (made on its first page)."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token:
        token = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(24)
        request.state.new_csrf = token
    return token


def set_cookies(request: Request, response: Response) -> None:
    """Set the CSRF cookie made for this request, if one was."""
    made = getattr(request.state, "new_csrf", None)
    if made:
        response.set_cookie(
            CSRF_COOKIE, made, httponly=True, samesite="strict", secure=_secure(request)
        )


def check_csrf(request: Request, sent: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and sent and hmac.compare_digest(cookie, sent))


def account_of(request: Request) -> Account | None:
    """The signed-in account, or None (no cookie, an unknown, revoked or expired session)."""
    token = request.cookies.get(SESSION_COOKIE)
    state: ServerState = request.app.state.server
    opened = state.current
    if not token or opened is None:
        return None
    account = opened.accounts.account_of_token(token)
    if account is not None:
        request.state.token = token
    return account


def set_session(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def drop_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)
