"""Where bonafide keeps its state: the data directory.

Only entry points (the CLI, the service) call `resolve_data_dir`; the library takes paths.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["DATA_DIR_ENV", "DEFAULT_DATA_DIR", "DataDirOption", "resolve_data_dir"]

DATA_DIR_ENV = "BONAFIDE_DATA"
DEFAULT_DATA_DIR = Path(".bonafide")

# The option every command that touches the data directory takes.
DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Data directory: the vault holding the store, persons, cases and audit log "
        "(default: $BONAFIDE_DATA, else ./.bonafide).",
        show_default=False,
    ),
]


def resolve_data_dir(option: Path | None) -> Path:
    """The data directory: the option if given, else $BONAFIDE_DATA, else ./.bonafide."""
    if option is not None:
        return option
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env)
    return DEFAULT_DATA_DIR
