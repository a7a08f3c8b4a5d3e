"""The one spelling of a command's output format: `--format text` (for a person, the default)
or `--format json` (for a program). Every command that can print JSON takes this option."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

__all__ = ["JsonAliasOption", "OutputFormat", "OutputFormatOption", "output_format"]


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


OutputFormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", help="text (to read) or json (for a program)."),
]

# `--json`, as some commands spelled it before `--format json`: kept working, no longer shown
JsonAliasOption = Annotated[
    bool, typer.Option("--json", hidden=True, help="Deprecated: use --format json.")
]


def output_format(chosen: OutputFormat, json_alias: bool) -> OutputFormat:
    """The format asked for, by `--format` or by the deprecated `--json`."""
    return OutputFormat.JSON if json_alias else chosen
