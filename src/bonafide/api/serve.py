"""`bonafide serve`: the HTTP API on localhost, locked until an administrator unlocks it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from bonafide.datadir import DataDirOption, resolve_data_dir
from bonafide.vault import Secret
from bonafide.vault.access import PASSPHRASE_ENV, KeyFileOption, PassphraseFileOption, secret_from

from .app import create_app

__all__ = ["serve_command"]


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
) -> None:
    """Serve the HTTP API. It starts locked — an administrator unlocks it with the vault
    passphrase (POST /vault/unlock) — unless a key is given as to other commands
    (--passphrase-file, --key-file or BONAFIDE_PASSPHRASE)."""
    directory = resolve_data_dir(data_dir)
    secret: Secret | None = None
    if passphrase_file is not None or key_file is not None or os.environ.get(PASSPHRASE_ENV):
        secret = secret_from(passphrase_file, key_file)
    app = create_app(directory, secret, import_dir)
    state = "unlocked" if secret is not None else "locked: POST /vault/unlock to open it"
    Console(stderr=True).print(
        f"bonafide serving {directory} on http://{host}:{port} ({state}); the desk at /desk, "
        "the API described at /openapi.json",
        highlight=False,
    )
    # no access log: it would say who asked for what and when, outside the audit log's seal
    uvicorn.run(
        app, host=host, port=port, access_log=False, log_level="warning", server_header=False
    )
