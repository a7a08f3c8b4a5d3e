"""The one spelling of a command's output format: `--format text` (for a person, the default)
or `--format json` (for a program). Every command that can print JSON takes this option."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

__all__ = ["OutputFormat", "OutputFormatOption"]


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


OutputFormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", help="text (to read) or json (for a program)."),
]
