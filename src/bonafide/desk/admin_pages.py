"""The administrator's pages: accounts and roles, tokens, key slots, retention, lock and wipe.

Every change is written to the audit log as the API's routes write it (`api/routes/accounts.py`,
`api/routes/system.py`) and as `bonafide vault retention` does. Locking and wiping each take a
second, deliberate step: wiping asks for a phrase typed exactly and a ticked box, so it cannot
be clicked through by accident. Key slots are listed (never key material); adding and removing
them stays on the command line, where the new passphrase is typed on the machine itself.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bonafide.accounts import Account, Capability, Role
from bonafide.errors import BonafideError
from bonafide.vault import wipe
from bonafide.vault.audit import AuditAction
from bonafide.vault.settings import VaultSettings

from .pages import _form, _gate, _posted, _redirect, _refused, _render, _state
from .session import drop_session

__all__ = ["router"]

router = APIRouter(prefix="/desk", include_in_schema=False)
TOKENS_SHOWN = 200  # newest tokens listed


def _vault_id(request: Request) -> str:
    with _state(request).stores() as opened:
        return opened.vault.slots().vault_id


def wipe_phrase(vault_id: str) -> str:
    """The phrase an administrator types to wipe this vault: it names the vault, so a phrase
    remembered from another machine or a test does not do."""
    return f"wipe {vault_id[:8]}"


# --- accounts and tokens ---------------------------------------------------------------------


def _accounts_page(
    request: Request,
    admin: Account,
    status: int = 200,
    error: str | None = None,
    entered: dict[str, str] | None = None,
    done: str | None = None,
) -> Response:
    opened = _state(request).opened()
    tokens = sorted(opened.accounts.tokens(), key=lambda t: t.created, reverse=True)
    return _render(
        request,
        "admin.html",
        admin,
        status,
        accounts=opened.accounts.accounts(),
        tokens=tokens[:TOKENS_SHOWN],
        tokens_total=len(tokens),
        roles=[r.value for r in Role],
        error=error,
        entered=entered or {},
        done=done or request.query_params.get("done"),
    )


@router.get("/admin")
async def admin_home(request: Request) -> Response:
    gate = _gate(request, Capability.ACCOUNTS_MANAGE)
    if isinstance(gate, Response):
        return gate
    return _accounts_page(request, gate)


@router.post("/admin/accounts")
async def add_account(request: Request) -> Response:
    posted = await _posted(request, Capability.ACCOUNTS_MANAGE)
    if isinstance(posted, Response):
        return posted
    gate, form = posted
    name = form.get("name", "").strip()[:64]
    kept = {"name": name, "role": form.get("role", "")}  # never the password
    try:
        role = Role(form.get("role", ""))
    except ValueError:
        return _accounts_page(request, gate, 422, "role: choose one of the roles", kept)
    opened = _state(request).opened()
    try:
        account = opened.accounts.add(name, role, form.get("password", ""))
    except BonafideError as error:  # names the field: the name, or the password's length
        return _accounts_page(request, gate, 422, error.message, kept)
    opened.record(
        AuditAction.ACCOUNT_ADDED, gate.name, None, {"role": account.role.value, "via": "desk"}
    )
    return _redirect("/desk/admin?done=added")


@router.post("/admin/accounts/{name}/disabled")
async def set_disabled(request: Request, name: str) -> Response:
    posted = await _posted(request, Capability.ACCOUNTS_MANAGE)
    if isinstance(posted, Response):
        return posted
    gate, form = posted
    opened = _state(request).opened()
    if opened.accounts.get(name) is None:
        return _render(request, "error.html", gate, 404, message="not_found")
    disabled = form.get("disabled") == "1"
    if disabled and name == gate.name:
        return _accounts_page(request, gate, 409, "account: you cannot disable your own account")
    opened.accounts.set_disabled(name, disabled)
    opened.record(
        AuditAction.ACCOUNT_CHANGED, gate.name, None, {"disabled": disabled, "via": "desk"}
    )
    return _redirect("/desk/admin?done=" + ("disabled" if disabled else "enabled"))


@router.post("/admin/accounts/{name}/remove")
async def remove_account(request: Request, name: str) -> Response:
    posted = await _posted(request, Capability.ACCOUNTS_MANAGE)
    if isinstance(posted, Response):
        return posted
    gate, form = posted
    opened = _state(request).opened()
    if opened.accounts.get(name) is None:
        return _render(request, "error.html", gate, 404, message="not_found")
    if name == gate.name:
        return _accounts_page(request, gate, 409, "account: you cannot remove your own account")
    if form.get("confirm") != "yes":
        return _accounts_page(
            request, gate, 422, "confirm: tick the box beside Remove to remove an account"
        )
    opened.accounts.remove(name)
    opened.record(AuditAction.ACCOUNT_REMOVED, gate.name, None, {"via": "desk"})
    return _redirect("/desk/admin?done=removed")


@router.post("/admin/tokens/{token_id}/revoke")
async def revoke_token(request: Request, token_id: str) -> Response:
    gate = _gate(request, Capability.ACCOUNTS_MANAGE)
    if isinstance(gate, Response):
        return gate
    if await _form(request) is None:
        return _refused(request, gate)
    opened = _state(request).opened()
    if not opened.accounts.revoke(token_id[:64]):
        return _render(request, "error.html", gate, 404, message="not_found")
    opened.record(AuditAction.TOKEN_REVOKED, gate.name, None, {"token": token_id, "via": "desk"})
    return _redirect("/desk/admin?done=revoked")


# --- the vault: key slots, retention ---------------------------------------------------------


def _slot_dates(entries: list[dict[str, Any]]) -> dict[str, str]:
    """When each key slot was added, as the audit log tells (the slot file keeps no dates)."""
    dates: dict[str, str] = {}
    for entry in entries:
        slot = entry.get("detail", {}).get("slot")
        if (
            entry["action"]
            in (AuditAction.KEY_SLOT_ADDED.value, AuditAction.PASSPHRASE_CHANGED.value)
            and slot
        ):
            dates[str(slot)] = entry["at"]
    return dates


def _vault_page(
    request: Request,
    admin: Account,
    status: int = 200,
    error: str | None = None,
    done: str | None = None,
) -> Response:
    with _state(request).stores() as opened:
        slots = opened.vault.slots()
        log = opened.audit  # the service's one connection, under the stores' lock
        entries = [e.to_json() for e in log.entries()]
        settings = VaultSettings.load(opened.vault)
        opened_with = opened.vault.slot_id
    created = _slot_dates(entries)
    first = next((e["at"] for e in entries if e["action"] == AuditAction.VAULT_CREATED.value), None)
    shown = [
        {
            "slot_id": slot.slot_id,
            "kind": slot.kind.value,
            "cost": (
                f"Argon2id {slot.kdf.memory_kib // 1024} MiB, {slot.kdf.time_cost} × "
                f"{slot.kdf.parallelism}"
                if slot.kdf
                else ""
            ),
            # the first slot is made with the vault; later ones are in the log by id
            "created": created.get(slot.slot_id) or (first if index == 0 else None),
            "this_one": slot.slot_id == opened_with,
        }
        for index, slot in enumerate(slots.slots)
    ]
    return _render(
        request,
        "admin_vault.html",
        admin,
        status,
        vault_id=slots.vault_id,
        slots=shown,
        retention_days=settings.retention_days,
        error=error,
        done=done or request.query_params.get("done"),
    )


@router.get("/admin/vault")
async def vault_page(request: Request) -> Response:
    gate = _gate(request, Capability.VAULT_MANAGE)
    if isinstance(gate, Response):
        return gate
    return _vault_page(request, gate)


@router.post("/admin/retention")
async def set_retention(request: Request) -> Response:
    posted = await _posted(request, Capability.VAULT_MANAGE)
    if isinstance(posted, Response):
        return posted
    gate, form = posted
    text = form.get("days", "").strip()
    if not text.isdigit() or len(text) > 5:
        return _vault_page(request, gate, 422, "days: a whole number of days, 0 to turn it off")
    days = int(text)
    with _state(request).stores() as opened:
        VaultSettings.load(opened.vault).with_retention(days or None).save(opened.vault)
        opened.record(AuditAction.RETENTION_SET, gate.name, None, {"days": days, "via": "desk"})
        # applied now, as `bonafide vault retention` does, through the service's own stores
        reduced = opened.cases.reduce_older_than(days) if days else []
        if reduced:
            opened.record_many(
                [(AuditAction.DOSSIERS_REDUCED, code, {"days": days}) for code in reduced], None
            )
    return _redirect(f"/desk/admin/vault?done=retention&reduced={len(reduced)}")


# --- lock and wipe ---------------------------------------------------------------------------


@router.get("/admin/lock")
async def lock_page(request: Request) -> Response:
    gate = _gate(request, Capability.VAULT_MANAGE)
    if isinstance(gate, Response):
        return gate
    return _render(request, "admin_lock.html", gate, error=None, running=_running(request))


def _running(request: Request) -> Any:
    return request.app.state.jobs.running()


@router.post("/admin/lock")
async def lock(request: Request) -> Response:
    posted = await _posted(request, Capability.VAULT_MANAGE)
    if isinstance(posted, Response):
        return posted
    gate, form = posted
    running = _running(request)
    if running is not None or form.get("understood") != "yes":
        error = "job_running_lock" if running is not None else "lock_unconfirmed"
        return _render(request, "admin_lock.html", gate, 422, error=error, running=running)
    state = _state(request)
    state.opened().record(AuditAction.VAULT_LOCKED, gate.name, None, {"via": "desk"})
    state.lock()
    response = _redirect("/desk/unlock")
    drop_session(response)
    return response


@router.get("/admin/wipe")
async def wipe_page(request: Request) -> Response:
    gate = _gate(request, Capability.VAULT_MANAGE)
    if isinstance(gate, Response):
        return gate
    phrase = wipe_phrase(_vault_id(request))
    return _render(request, "admin_wipe.html", gate, phrase=phrase, errors=[])


@router.post("/admin/wipe")
async def wipe_vault(request: Request) -> Response:
    posted = await _posted(request, Capability.VAULT_MANAGE)
    if isinstance(posted, Response):
        return posted
    gate, form = posted
    phrase = wipe_phrase(_vault_id(request))
    errors = []
    if not hmac.compare_digest(form.get("phrase", "").encode(), phrase.encode()):
        errors.append("phrase")
    if form.get("understood") != "yes":
        errors.append("understood")
    if errors:
        return _render(request, "admin_wipe.html", gate, 422, phrase=phrase, errors=errors)
    state = _state(request)
    state.lock()  # every store closed, the keys dropped from the process
    report = wipe(state.data_dir)
    response = _render(
        request,
        "admin_wiped.html",
        None,
        keys_destroyed=report.keys_destroyed,
        ms_to_keys=round(report.seconds_to_keys * 1000, 1),
        seconds_total=round(report.seconds_total, 2),
    )
    drop_session(response)
    return response
