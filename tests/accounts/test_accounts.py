"""Accounts and tokens: the store keeps no name, password or token readable; the commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bonafide.accounts import AccountStore, Role, TokenKind
from bonafide.accounts import store as account_store
from bonafide.cli import app
from bonafide.datadir import DATA_DIR_ENV
from bonafide.errors import InputError
from bonafide.vault import Passphrase, Vault
from bonafide.vault.access import PASSPHRASE_ENV
from tests.vaults import TEST_PASSPHRASE

PASSWORD = "a long enough password"
REAL_PASSWORD_HASHING = account_store.PASSWORD_HASHING  # read before the tests lower it


def test_passwords_and_tokens(vault: Vault) -> None:
    store = AccountStore.open(vault)
    try:
        store.add("vera", Role.VETTING, PASSWORD)
        assert store.check_password("vera", PASSWORD) is not None
        assert store.check_password("vera", PASSWORD + "!") is None
        assert store.check_password("nobody", PASSWORD) is None
        token = store.create_token("vera")
        account = store.account_of_token(token)
        assert account is not None
        assert account.role is Role.VETTING
        assert store.account_of_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
        store.set_disabled("vera", True)
        assert store.account_of_token(token) is None
        assert store.check_password("vera", PASSWORD) is None
        store.set_disabled("vera", False)
        assert store.revoke(token.split("_")[1])
        assert store.account_of_token(token) is None
        expired = store.create_token("vera", TokenKind.SESSION, dt.timedelta(seconds=-1))
        assert store.account_of_token(expired) is None
        assert store.drop_expired_sessions() == 1
    finally:
        store.close()


def test_bad_names_short_passwords_and_taken_names_are_refused(vault: Vault) -> None:
    store = AccountStore.open(vault)
    try:
        with pytest.raises(InputError, match="account name"):
            store.add("a b", Role.ADMIN, PASSWORD)
        with pytest.raises(InputError, match="password"):
            store.add("admin", Role.ADMIN, "short")
        store.add("admin", Role.ADMIN, PASSWORD)
        with pytest.raises(InputError, match="exists"):
            store.add("admin", Role.INTAKE, PASSWORD)
    finally:
        store.close()


def test_nothing_readable_in_the_account_store(vault: Vault, data_dir: Path) -> None:
    store = AccountStore.open(vault)
    token = ""
    try:
        store.add("Святлана-Маркава", Role.INTAKE, PASSWORD)
        token = store.create_token("Святлана-Маркава")
    finally:
        store.close()
    raw = (data_dir / "accounts.sqlite").read_bytes()
    for secret in ("Святлана-Маркава", PASSWORD, token.split("_", 2)[2], "intake", "argon2"):
        assert secret.encode("utf-8") not in raw, secret


def test_the_commands_add_an_account_and_print_a_token_alone(
    data_dir: Path, tmp_path: Path
) -> None:
    runner = CliRunner(env={PASSPHRASE_ENV: TEST_PASSPHRASE, DATA_DIR_ENV: None, "COLUMNS": "200"})
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    added = runner.invoke(
        app,
        ["user", "add", "anna", "--role", "checkpoint", "--password-file", str(password_file),
         "--data-dir", str(data_dir)],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    created = runner.invoke(app, ["token", "create", "anna", "--data-dir", str(data_dir)])
    assert created.exit_code == 0
    token = created.stdout.strip()
    assert token.startswith("bft_")
    assert created.stdout == token + "\n"  # alone on stdout, for a script to take
    listed = runner.invoke(app, ["token", "list", "--data-dir", str(data_dir)])
    assert token.split("_")[1] in listed.stdout
    assert token not in listed.stdout
    users = runner.invoke(app, ["user", "list", "--data-dir", str(data_dir)])
    assert "anna" in users.stdout
    assert "checkpoint" in users.stdout
    revoked = runner.invoke(
        app, ["token", "revoke", token.split("_")[1], "--data-dir", str(data_dir)]
    )
    assert revoked.exit_code == 0
    vault = Vault.unlock(data_dir, Passphrase(TEST_PASSPHRASE))
    store = AccountStore.open(vault)
    try:
        assert store.account_of_token(token) is None
    finally:
        store.close()
        vault.close()


@pytest.mark.parametrize("group", ["user", "token"])
def test_every_account_command_and_option_is_documented(group: str) -> None:
    import typer

    from bonafide.accounts.cli import token_app, user_app

    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    commands = getattr(
        typer.main.get_command({"user": user_app, "token": token_app}[group]), "commands", {}
    )
    assert commands
    for name, command in commands.items():
        assert f"`bonafide {group} {name}" in docs, f"{group} {name} is not documented"
        for parameter in command.params:
            for flag in getattr(parameter, "opts", []):
                if flag.startswith("--"):
                    assert f"`{flag}" in docs, f"option {flag} of {group} {name} is not documented"


def test_every_option_of_serve_is_documented() -> None:
    import typer

    from bonafide.api.serve import serve_command

    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    probe = typer.Typer(add_completion=False)
    probe.command()(serve_command)
    for parameter in typer.main.get_command(probe).params:
        for flag in getattr(parameter, "opts", []):
            if flag.startswith("--"):
                assert f"`{flag}" in docs, f"option {flag} of serve is not documented"


def test_passwords_are_hashed_at_the_cost_argon2_recommends(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(account_store, "PASSWORD_HASHING", REAL_PASSWORD_HASHING)
    store = AccountStore.open(vault)
    try:
        store.add("vera", Role.VETTING, PASSWORD)
        hashed = store._hasher.hash(PASSWORD)  # what `add` kept is sealed: made the same way
        assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert store.check_password("vera", PASSWORD) is not None
    finally:
        store.close()
