"""`bonafide serve`: the HTTP API on localhost, locked until an administrator unlocks it; with
`--reports-dir`, the reports channel's reviewer pages and routes over the reports' own vault,
locked until its own passphrase is given."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bonafide.datadir import DataDirOption, resolve_data_dir
from bonafide.errors import InputError
from bonafide.vault import Passphrase, Secret
from bonafide.vault.access import PASSPHRASE_ENV, KeyFileOption, PassphraseFileOption, secret_from

__all__ = ["REPORTS_PASSPHRASE_ENV", "serve_command"]

REPORTS_PASSPHRASE_ENV = "BONAFIDE_REPORTS_PASSPHRASE"


def _reports_secret(
    reports_dir: Path | None, passphrase_file: Path | None, key_file: Path | None
) -> Secret | None:
    """The reports' vault's own secret, if given (never the dossiers' vault's)."""
    given = passphrase_file is not None or key_file is not None
    if reports_dir is None:
        if given:
            raise InputError(
                "--reports-passphrase-file or --reports-key-file given without --reports-dir",
                hint="give --reports-dir DIR, the reports' own data directory",
            )
        return None
    if given:
        return secret_from(passphrase_file, key_file)
    from_env = os.environ.get(REPORTS_PASSPHRASE_ENV)
    return Passphrase(from_env) if from_env else None


def serve_command(
    data_dir: DataDirOption = None,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. The default, 127.0.0.1, serves this machine only; "
            "put a TLS reverse proxy in front to serve others (docs/api.md).",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8000,
    import_dir: Annotated[
        Path | None,
        typer.Option(
            "--import-dir",
            help="Directory whose registry files analysts may import through the service "
            "(none: imports through the service are off).",
            exists=True,
            file_okay=False,
        ),
    ] = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
    reports_dir: Annotated[
        Path | None,
        typer.Option(
            "--reports-dir",
            help="The reports channel's own data directory (its own vault, `bonafide vault "
            "init --data-dir`): reviewers work on its events at /desk/review (none: no reports "
            "channel).",
            file_okay=False,
        ),
    ] = None,
    reports_passphrase_file: Annotated[
        Path | None,
        typer.Option(
            "--reports-passphrase-file",
            help="Read the reports' vault passphrase from this file (its first line). Default: "
            f"${REPORTS_PASSPHRASE_ENV}, else the channel starts locked (a reviewer unlocks it).",
            show_default=False,
        ),
    ] = None,
    reports_key_file: Annotated[
        Path | None,
        typer.Option(
            "--reports-key-file",
            help="Unlock the reports' vault with this key file instead of a passphrase.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the HTTP API. It starts locked — an administrator unlocks it with the vault
    passphrase (POST /vault/unlock) — unless a key is given as to other commands
    (--passphrase-file, --key-file or BONAFIDE_PASSPHRASE). The reports channel
    (--reports-dir) has its own passphrase and starts locked unless given it."""
    # the web stack is imported by this command alone: every other command starts without
    # paying for it (1.3 s of the CLI's 1.7 s of imports)
    import uvicorn

    from .app import create_app

    directory = resolve_data_dir(data_dir)
    secret: Secret | None = None
    if passphrase_file is not None or key_file is not None or os.environ.get(PASSPHRASE_ENV):
        secret = secret_from(passphrase_file, key_file)
    reports_secret = _reports_secret(reports_dir, reports_passphrase_file, reports_key_file)
    app = create_app(directory, secret, import_dir, reports_dir, reports_secret)
    state = "unlocked" if secret is not None else "locked: POST /vault/unlock to open it"
    if reports_dir is not None:
        state += "; reports channel " + (
            "unlocked" if reports_secret is not None else "locked: POST /reports/unlock"
        )
    Console(stderr=True).print(
        f"bonafide serving {directory} on http://{host}:{port} ({state}); the desk at /desk, "
        "the API described at /openapi.json",
        highlight=False,
    )
    # no access log: it would say who asked for what and when, outside the audit log's seal
    uvicorn.run(
        app, host=host, port=port, access_log=False, log_level="warning", server_header=False
    )
