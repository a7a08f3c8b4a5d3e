"""`bonafide reports serve`: the reports' intake on localhost, for a Tor onion service in front.

Its own data directory and vault (`bonafide vault init --data-dir D` makes one): the intake
never opens the dossiers' vault. No access log, no server header (docs/reports.md shows the
torrc that publishes it as an onion service).
"""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from bonafide.datadir import DataDirOption, resolve_data_dir
from bonafide.vault.access import KeyFileOption, PassphraseFileOption, secret_from

from .server import create_reports_app

__all__ = ["serve_command"]


def serve_command(
    data_dir: DataDirOption = None,
    port: Annotated[int, typer.Option("--port", help="TCP port on 127.0.0.1.", min=1)] = 8080,
    per_minute: Annotated[
        int,
        typer.Option(
            "--per-minute", help="Reports taken per minute, from everyone together.", min=1
        ),
    ] = 6_000,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Serve the anonymous intake of sighting reports on 127.0.0.1 (put Tor in front of it)."""
    directory = resolve_data_dir(data_dir)
    app = create_reports_app(directory, secret_from(passphrase_file, key_file), per_minute)
    Console(stderr=True).print(
        f"reports intake on http://127.0.0.1:{port} (form at /, API at POST /api/reports); "
        "no access log",
        highlight=False,
    )
    # localhost only: an onion service (or nothing) in front; no access log, no server header
    uvicorn.run(
        app, host="127.0.0.1", port=port, access_log=False, log_level="warning", server_header=False
    )
