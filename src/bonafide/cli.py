"""The `bonafide` command: one Typer app assembled from each domain's commands.

Commands are thin: they parse options, call the library and format the result. Errors from the
library (`BonafideError`) become a message and an exit code here and nowhere else.
"""

from __future__ import annotations

import logging
import sys

import typer
from rich.console import Console
from rich.markup import escape

from bonafide.accounts.cli import token_app, user_app
from bonafide.api.serve import serve_command
from bonafide.cases.cli import cases_app
from bonafide.errors import BonafideError
from bonafide.ftm.cli import export_app
from bonafide.linkage.cli import dedupe_command, link_command
from bonafide.names.cli import names_app
from bonafide.persons.match_cli import match_command
from bonafide.registry.cli import registry_app
from bonafide.reports.cli import reports_app
from bonafide.synth.cli import synth_command
from bonafide.vault.cli import audit_app, vault_app
from bonafide.verify.cli import verify_command

__all__ = ["app", "main"]

app = typer.Typer(
    name="bonafide",
    help="Verify strangers' claims against registries; protect everyone involved.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(vault_app, name="vault")
app.add_typer(audit_app, name="audit")
app.add_typer(registry_app, name="registry")
app.add_typer(cases_app, name="cases")
app.add_typer(names_app, name="names")
app.add_typer(export_app, name="export")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(reports_app, name="reports")
app.command("synth")(synth_command)
app.command("link")(link_command)
app.command("dedupe")(dedupe_command)
app.command("match")(match_command)
app.command("verify")(verify_command)
app.command("serve")(serve_command)


def main() -> None:
    """Entry point of the console script."""
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s %(message)s", stream=sys.stderr
    )
    try:
        app()
    except BonafideError as error:
        # the message may hold brackets of its own ([columns]): not markup
        Console(stderr=True).print(f"[bold red]error:[/] {escape(str(error))}", highlight=False)
        sys.exit(error.exit_code)
