"""How a command gets a key: the options, the environment, a prompt. For entry points only.

A command that touches the data directory takes `--passphrase-file` or `--key-file`; without
them it reads `BONAFIDE_PASSPHRASE` (for automation: weaker, since the environment of a process
can be read by its owner and may reach a shell history), and at a terminal it asks. Without any
of these it refuses: the vault stays locked.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bonafide.datadir import resolve_data_dir
from bonafide.errors import VaultError
from bonafide.vault.keyslots import KeyFile, Passphrase, Secret
from bonafide.vault.swap import unencrypted_swap
from bonafide.vault.vault import Vault

__all__ = [
    "PASSPHRASE_ENV",
    "KeyFileOption",
    "PassphraseFileOption",
    "new_passphrase",
    "read_passphrase_file",
    "say_plain_text",
    "secret_from",
    "unlocked",
]

PASSPHRASE_ENV = "BONAFIDE_PASSPHRASE"
MIN_PASSPHRASE = 8

PassphraseFileOption = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="Read the vault passphrase from this file (its first line). Default: "
        f"${PASSPHRASE_ENV}, else a prompt at a terminal.",
        show_default=False,
    ),
]
KeyFileOption = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        help="Unlock with this key file (made by `bonafide vault add-key-file`) instead of a "
        "passphrase.",
        show_default=False,
    ),
]


def read_passphrase_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise VaultError(
            f"cannot read the passphrase file {path}: {error.strerror}",
            hint="give a readable file whose first line is the passphrase",
        ) from None
    except UnicodeDecodeError:
        raise VaultError(
            f"the passphrase file {path} is not UTF-8 text", hint="save it as UTF-8"
        ) from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise VaultError(
            f"the passphrase file {path} is empty",
            hint="write the passphrase on its first line",
        )
    return lines[0]


def secret_from(passphrase_file: Path | None, key_file: Path | None) -> Secret:
    """The secret the options, the environment or the operator give; refuses if none."""
    if passphrase_file is not None and key_file is not None:
        raise VaultError(
            "--passphrase-file and --key-file both given",
            hint="unlock with one of them",
        )
    if key_file is not None:
        return KeyFile(key_file)
    if passphrase_file is not None:
        return Passphrase(read_passphrase_file(passphrase_file))
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return Passphrase(from_env)
    if sys.stdin.isatty():
        return Passphrase(typer.prompt("Vault passphrase", hide_input=True))
    raise VaultError(
        "the vault is locked and no passphrase or key file was given",
        hint=f"give --passphrase-file FILE or --key-file FILE, or set {PASSPHRASE_ENV}",
    )


def new_passphrase(passphrase_file: Path | None, what: str = "New passphrase") -> Passphrase:
    """A new passphrase from a file or, at a terminal, typed twice; at least 8 characters."""
    if passphrase_file is not None:
        text = read_passphrase_file(passphrase_file)
    elif sys.stdin.isatty():
        text = typer.prompt(what, hide_input=True, confirmation_prompt=True)
    else:
        raise VaultError(
            f"{what.lower()} needed and no terminal to ask at",
            hint="give it in a file (see --help for the option)",
        )
    if len(text) < MIN_PASSPHRASE:
        raise VaultError(
            f"the passphrase is {len(text)} characters long; it must have at least "
            f"{MIN_PASSPHRASE}",
            hint="choose a longer one: several unrelated words are easy to remember",
        )
    return Passphrase(text)


def say_plain_text(what: str) -> None:
    """Say on stderr that `what` leaves the vault in plain text (stdout or a file)."""
    Console(stderr=True).print(
        f"note: {what}, printed below, is plain text outside the vault (the read is in the "
        "audit log); send it only where plain text may go",
        style="yellow",
        highlight=False,
        soft_wrap=True,
    )


@contextmanager
def unlocked(
    data_dir: Path | None,
    passphrase_file: Path | None,
    key_file: Path | None,
    secret: Secret | None = None,
) -> Iterator[Vault]:
    """The vault of the data directory, open for one command (with `secret` if the command
    has it already). Temporary files of the command go to its scratch directory (inside the
    data directory); closing removes them."""
    directory = resolve_data_dir(data_dir)
    vault = Vault.unlock(directory, secret or secret_from(passphrase_file, key_file))
    for device in unencrypted_swap():
        Console(stderr=True).print(
            f"warning: swap on {device} is not encrypted: decrypted data in memory may be "
            "written there (docs/security.md#swap)",
            style="yellow",
            highlight=False,
        )
    previous = tempfile.tempdir
    tempfile.tempdir = str(vault.scratch_dir)
    try:
        yield vault
    finally:
        tempfile.tempdir = previous
        vault.close()
