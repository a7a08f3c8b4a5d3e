"""`bonafide reports serve`: the reports' intake on localhost, for a Tor onion service in front.

Its own data directory and vault (`bonafide vault init --data-dir D` makes one): the intake
never opens the dossiers' vault. No access log, no server header (docs/reports.md shows the
torrc that publishes it as an onion service).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from bonafide.datadir import DataDirOption, resolve_data_dir
from bonafide.vault.access import KeyFileOption, PassphraseFileOption, secret_from

from .options import (
    DEFAULT_CATEGORIES,
    AutoPublishOption,
    CategoriesOption,
    KeepHoursOption,
    channel_config,
)

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
    proof_of_work: Annotated[
        int,
        typer.Option(
            "--proof-of-work",
            min=0,
            max=28,
            help="Zero bits of SHA-256 each report must come with (0: none; 16 costs a "
            "browser about a second; the form then needs JavaScript).",
        ),
    ] = 0,
    auto_publish: AutoPublishOption = 3,
    keep_hours: KeepHoursOption = 72.0,
    categories: CategoriesOption = DEFAULT_CATEGORIES,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Serve the anonymous intake of sighting reports and the published feed on 127.0.0.1
    (put Tor in front of it).

    Example: bonafide reports serve --data-dir reports-vault --port 8080
    """
    # imported here, as `bonafide serve` does, so other commands start without the web stack
    import uvicorn

    from .server import create_reports_app

    directory = resolve_data_dir(data_dir)
    config = channel_config(auto_publish, keep_hours, categories)
    app = create_reports_app(
        directory,
        secret_from(passphrase_file, key_file),
        per_minute,
        config=config,
        proof_of_work=proof_of_work,
    )
    Console(stderr=True).print(
        f"reports intake on http://127.0.0.1:{port} (form at /, API at POST /api/reports, "
        "feed at /feed); no access log",
        highlight=False,
    )
    # localhost only: an onion service (or nothing) in front; no access log, no server header
    uvicorn.run(
        app, host="127.0.0.1", port=port, access_log=False, log_level="warning", server_header=False
    )
