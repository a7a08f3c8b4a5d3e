"""`bonafide cases ...`: the dossiers the vault keeps. Every read is written to the audit log."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bonafide.cases.retention import apply_retention
from bonafide.cases.store import CaseStore
from bonafide.datadir import DataDirOption
from bonafide.errors import InputError
from bonafide.vault.access import (
    KeyFileOption,
    PassphraseFileOption,
    say_plain_text,
    unlocked,
)
from bonafide.vault.audit import AuditAction, record_action

__all__ = ["cases_app"]

cases_app = typer.Typer(
    name="cases",
    help="The verified dossiers kept in the vault: list them by code, show one.",
    no_args_is_help=True,
)


@cases_app.command("list")
def list_command(
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Every kept dossier: code, when verified, verdict, decision — no names.

    Example: bonafide cases list --data-dir demo-data/store
    """
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        apply_retention(vault)
        cases = CaseStore.open(vault)
        kept = sorted(cases.dossiers(), key=lambda d: (d.verified_at, d.code))
        cases.close()
        record_action(vault, AuditAction.DOSSIERS_LISTED, None, {"dossiers": len(kept)})
    table = Table("code", "verified (UTC)", "verdict", "decision", "kept")
    for dossier in kept:
        table.add_row(
            dossier.code,
            dossier.verified_at,
            dossier.verdict,
            dossier.decision or "",
            "code and verdict only" if dossier.reduced else "whole report",
        )
    Console().print(table)


@cases_app.command("show")
def show_command(
    code: Annotated[str, typer.Argument(help="The dossier's code.")],
    data_dir: DataDirOption = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """One kept dossier's report, as JSON (the read is audited).

    Example: bonafide cases show D000003 --data-dir demo-data/store
    """
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        apply_retention(vault)
        cases = CaseStore.open(vault)
        dossier = cases.get(code)
        cases.close()
        if dossier is None:
            raise InputError(
                f"no dossier with the code {code!r} is kept in {vault.data_dir}",
                hint="list the codes: bonafide cases list",
            )
        record_action(vault, AuditAction.DOSSIER_READ, code)
    say_plain_text("the report")
    typer.echo(json.dumps(dossier.to_json(), ensure_ascii=False, indent=2))
