"""The `bonafide` command: one Typer app assembled from each domain's commands.

Commands are thin: they parse options, call the library and format the result. Errors from the
library (`BonafideError`) become a message and an exit code here and nowhere else.
"""

from __future__ import annotations

import logging
import sys
from importlib.metadata import version
from typing import Annotated

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
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(asked: bool) -> None:
    if asked:
        typer.echo(f"bonafide {version('bonafide')}")
        raise typer.Exit


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Verify strangers' claims against registries; protect everyone involved.

    Example: bonafide verify dossier.json --data-dir demo-data/store
    """


app.add_typer(vault_app, name="vault")
app.add_typer(audit_app, name="audit")
app.add_typer(registry_app, name="registry")
app.add_typer(cases_app, name="cases")
app.add_typer(names_app, name="names")
app.add_typer(export_app, name="export")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(reports_app, name="reports")
# synth's and serve's examples are given where they join the command
app.command("synth", epilog="Example: bonafide synth --people 50000 --seed 7 --out demo-data")(
    synth_command
)
app.command("link")(link_command)
app.command("dedupe")(dedupe_command)
app.command("match")(match_command)
app.command("verify")(verify_command)
app.command("serve", epilog="Example: bonafide serve --data-dir demo-data/store --port 8000")(
    serve_command
)


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
