"""`bonafide user ...` and `bonafide token ...`: the accounts of the service and their tokens.

Thin commands: parse, call the account store, print. Every change is written to the audit log.
A new token is printed alone on stdout, once: only its digest is kept.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bonafide.accounts.roles import Role
from bonafide.accounts.store import MIN_PASSWORD, AccountStore
from bonafide.datadir import DataDirOption
from bonafide.errors import InputError
from bonafide.vault.access import (
    KeyFileOption,
    PassphraseFileOption,
    read_passphrase_file,
    unlocked,
)
from bonafide.vault.audit import AuditAction, record_action

__all__ = ["token_app", "user_app"]

user_app = typer.Typer(
    name="user", help="Accounts of the service: add, list, disable, remove.", no_args_is_help=True
)
token_app = typer.Typer(
    name="token", help="API tokens: create, list, revoke.", no_args_is_help=True
)

PasswordFileOption = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="Read the account's password from the first line of this file (for scripts); "
        "otherwise it is asked for twice.",
    ),
]


def _password(path: Path | None) -> str:
    if path is not None:
        return read_passphrase_file(path)
    if sys.stdin.isatty():
        text: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return text
    raise InputError(
        "a password is needed and there is no terminal to ask at",
        hint=f"give --password-file FILE (at least {MIN_PASSWORD} characters on its first line)",
    )


@user_app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="The account's name (a pseudonym).")],
    role: Annotated[Role, typer.Option("--role", help="What the account may do.")],
    password_file: PasswordFileOption = None,
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Add an account with a role; its password is kept as an Argon2id hash.

    Example: bonafide user add vera --role vetting --password-file pw --data-dir demo-data/store
    """
    password = _password(password_file)
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        with AccountStore.open(vault) as store:
            account = store.add(name, role, password)
        record_action(vault, AuditAction.ACCOUNT_ADDED, None, {"role": account.role.value})
    Console(stderr=True).print(f"Account {account.name} added with the role {account.role}.")


@user_app.command("list")
def list_command(
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Every account: name, role, when added, whether disabled.

    Example: bonafide user list --data-dir demo-data/store
    """
    with (
        unlocked(data_dir, passphrase_file, key_file) as vault,
        AccountStore.open(vault) as store,
    ):
        accounts = store.accounts()
    table = Table("account", "role", "added (UTC)", "state")
    for account in accounts:
        table.add_row(
            account.name,
            account.role.value,
            account.created,
            "disabled" if account.disabled else "active",
        )
    Console().print(table)


def _set_disabled(
    name: str, disabled: bool, data_dir: Path | None, pf: Path | None, kf: Path | None
) -> None:
    with unlocked(data_dir, pf, kf) as vault:
        with AccountStore.open(vault) as store:
            store.set_disabled(name, disabled)
        record_action(vault, AuditAction.ACCOUNT_CHANGED, None, {"disabled": disabled})
    Console(stderr=True).print(f"Account {name} {'disabled' if disabled else 'enabled'}.")


@user_app.command("disable")
def disable_command(
    name: Annotated[str, typer.Argument(help="The account's name.")],
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Disable an account: its password and tokens stop working until it is enabled.

    Example: bonafide user disable vera --data-dir demo-data/store
    """
    _set_disabled(name, True, data_dir, passphrase_file, key_file)


@user_app.command("enable")
def enable_command(
    name: Annotated[str, typer.Argument(help="The account's name.")],
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Enable a disabled account.

    Example: bonafide user enable vera --data-dir demo-data/store
    """
    _set_disabled(name, False, data_dir, passphrase_file, key_file)


@user_app.command("remove")
def remove_command(
    name: Annotated[str, typer.Argument(help="The account's name.")],
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Remove an account and revoke its tokens.

    Example: bonafide user remove vera --data-dir demo-data/store
    """
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        with AccountStore.open(vault) as store:
            store.remove(name)
        record_action(vault, AuditAction.ACCOUNT_REMOVED, None, {})
    Console(stderr=True).print(f"Account {name} removed; its tokens are revoked.")


@token_app.command("create")
def create_command(
    name: Annotated[str, typer.Argument(help="The account the token acts for.")],
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Create an API token for an account and print it alone on stdout, once (send it as
    `Authorization: Bearer …`); only its digest is kept.

    Example: bonafide token create vera --data-dir demo-data/store > vera.token
    """
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        with AccountStore.open(vault) as store:
            token = store.create_token(name)
        record_action(vault, AuditAction.TOKEN_CREATED, None, {"token": token.split("_")[1]})
    print(token)


@token_app.command("list")
def tokens_command(
    name: Annotated[str | None, typer.Argument(help="Only this account's tokens.")] = None,
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Tokens by id (never the token itself): account, kind, created, expires, revoked.

    Example: bonafide token list vera --data-dir demo-data/store
    """
    with (
        unlocked(data_dir, passphrase_file, key_file) as vault,
        AccountStore.open(vault) as store,
    ):
        tokens = store.tokens(name)
    table = Table("token id", "account", "kind", "created (UTC)", "expires", "state")
    for token in sorted(tokens, key=lambda t: t.created):
        table.add_row(
            token.token_id,
            token.account,
            token.kind.value,
            token.created,
            token.expires or "",
            "revoked" if token.revoked else "active",
        )
    Console().print(table)


@token_app.command("revoke")
def revoke_command(
    token_id: Annotated[str, typer.Argument(help="The token's id (see bonafide token list).")],
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Revoke a token: it stops working at once.

    Example: bonafide token revoke 3 --data-dir demo-data/store
    """
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        with AccountStore.open(vault) as store:
            found = store.revoke(token_id)
        if not found:
            raise InputError("token id: no such token", hint="see bonafide token list")
        record_action(vault, AuditAction.TOKEN_REVOKED, None, {"token": token_id})
    Console(stderr=True).print(f"Token {token_id} revoked.")
