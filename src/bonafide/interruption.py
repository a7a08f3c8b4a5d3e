"""Ctrl-C at the command line: say what it left, exit with 130 (128 + SIGINT, as a shell does).

Typer ends a command interrupted by Ctrl-C with code 130 and says nothing; the operator is left
to wonder whether half an import went in. A command that changes something wraps its work in
`interruptible("what is left")` — "nothing changed" where the work is one transaction — or
raises `interrupted(...)` itself when what is left depends on how far it got.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

__all__ = ["INTERRUPTED", "interrupted", "interruptible"]

INTERRUPTED = 130


def interrupted(what_is_left: str) -> typer.Exit:
    """Say on stderr that the command was interrupted and what that left; the exit to raise."""
    Console(stderr=True).print(
        f"interrupted; {what_is_left}", style="yellow", highlight=False, markup=False
    )
    return typer.Exit(INTERRUPTED)


@contextmanager
def interruptible(what_is_left: str = "nothing changed") -> Iterator[None]:
    try:
        yield
    except KeyboardInterrupt:
        raise interrupted(what_is_left) from None
