"""Where bonafide keeps its state: the data directory.

Only entry points (the CLI, the service) call `resolve_data_dir`; the library takes paths.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from bonafide.errors import StoreError

__all__ = [
    "DATA_DIR_ENV",
    "DEFAULT_DATA_DIR",
    "DataDirOption",
    "require_writable",
    "resolve_data_dir",
]

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


def _why_not_writable(path: Path) -> str | None:
    if os.access(path, os.W_OK | (os.X_OK if path.is_dir() else 0)):
        return None
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "its file system is mounted read-only"
    except OSError:
        pass
    return "this user may not write to it"


def require_writable(data_dir: Path, files: tuple[str, ...], why: str) -> None:
    """Refuse up front, naming the path and what to do, when the data directory or one of its
    `files` that exist cannot be written: `why` says what the command writes there."""
    for path in (data_dir, *(data_dir / name for name in files)):
        if not path.exists():
            continue
        reason = _why_not_writable(path)
        if reason is not None:
            raise StoreError(
                f"{path} cannot be written: {reason}; {why}",
                hint=f"remount {data_dir} read-write or give this user write access to it, or "
                "copy the data directory to a writable disk and give that with --data-dir",
            )
