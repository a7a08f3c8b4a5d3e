"""Who is asking, and may they: tokens on every request, capabilities by role, sign-in limits.

A request carries `Authorization: Bearer <token>` (an API token or a session from signing in);
`ApiKey <token>` is accepted too, as yente's clients send it. The role table
(`accounts/roles.py`) is checked here for every endpoint; the endpoints then narrow by need to
know (a draft's own intake officer, a case's own vetting officer).

The OpenAPI document declares the bearer scheme (`HTTPBearer`, which never refuses a request
itself: the header is read here, so that `ApiKey` works too).

Sign-in is rate limited in memory, by account name and overall, without keeping any address:
the service stores nothing that says where a request came from.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bonafide.accounts import Account, Capability, allowed

from .problems import ProblemError
from .state import ServerState

__all__ = ["Caller", "SignInLimiter", "bearer_scheme", "caller", "requires", "state_of"]


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("bearer", "apikey") and value.strip():
        return value.strip()
    return None


_UNAUTHENTICATED = ProblemError(
    401,
    "Not signed in",
    "this request needs a valid token in the Authorization header",
    kind="not-signed-in",
    headers={"WWW-Authenticate": 'Bearer realm="bonafide"'},
    hint="sign in (POST /auth/sign-in) or use an API token (bonafide token create)",
)


bearer_scheme = HTTPBearer(
    scheme_name="bearer",
    description="An API token (`bonafide token create`) or a session (`POST /auth/sign-in`), "
    "as `Authorization: Bearer <token>`; `ApiKey <token>` is accepted too.",
    auto_error=False,
)
# declares the scheme in the OpenAPI document of every route behind `caller`; its value is not
# used, as the header is read below (where `ApiKey` is accepted too)
Declared = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


async def caller(request: Request, _declared: Declared = None) -> Account:
    """The account a request acts for; 401 without a valid token, 503 while locked."""
    state = state_of(request)
    opened = state.opened()
    token = _token(request)
    if token is None:
        raise _UNAUTHENTICATED
    account = opened.accounts.account_of_token(token)
    if account is None:
        raise _UNAUTHENTICATED
    request.state.token = token
    return account


Caller = Annotated[Account, Depends(caller)]


def requires(capability: Capability) -> Callable[..., Coroutine[Any, Any, Account]]:
    """A dependency giving the caller if their role has `capability`, else a 403 problem."""

    async def dependency(account: Caller) -> Account:
        if not allowed(account.role, capability):
            raise ProblemError(
                403,
                "Forbidden",
                f"the role {account.role.value} may not {capability.value}",
                kind="forbidden",
            )
        return account

    dependency.__name__ = f"requires_{capability.name.lower()}"
    return dependency


class SignInLimiter:
    """Failed sign-ins (and unlocks) allowed per account name and overall, in a sliding window;
    beyond them, 429 with Retry-After until the window has moved on."""

    def __init__(self, per_name: int = 5, overall: int = 30, window: float = 300.0) -> None:
        self.per_name = per_name
        self.overall = overall
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._lock = threading.Lock()

    def _prune(self, times: deque[float], now: float) -> None:
        while times and times[0] <= now - self.window:
            times.popleft()

    def check(self, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._prune(self._all, now)
            mine = self._failures.get(name, deque())
            self._prune(mine, now)
            blocked = [
                t
                for t, limit in ((mine, self.per_name), (self._all, self.overall))
                if len(t) >= limit
            ]
        if blocked:
            wait = max(1, int(max(t[0] for t in blocked) + self.window - now) + 1)
            raise ProblemError(
                429,
                "Too many attempts",
                "too many failed attempts: wait before trying again",
                kind="too-many-attempts",
                headers={"Retry-After": str(wait)},
            )

    def failed(self, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._failures.setdefault(name, deque()).append(now)
            self._all.append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)
