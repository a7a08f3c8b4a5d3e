"""The `bonafide` command as a newcomer meets it (issue 17): `--version`, an example in every
command's help whose options are the command's own, one spelling of JSON output."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.metadata import version

import click
import pytest
import typer
from typer.testing import CliRunner

from bonafide.cli import app

ROOT = typer.main.get_command(app)


def _commands(group: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    subcommands = getattr(group, "commands", None)
    if not subcommands:
        yield path
        return
    for name, command in subcommands.items():
        yield from _commands(command, (*path, name))


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = ROOT
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return command


COMMANDS = sorted(_commands(ROOT))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "200"})


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output == f"bonafide {version('bonafide')}\n"


def test_every_command_is_walked() -> None:
    assert len(COMMANDS) > 30
    assert ("registry", "resolve") in COMMANDS
    assert ("verify",) in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_shows_an_example_of_its_own_options(
    runner: CliRunner, path: tuple[str, ...]
) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    examples = re.findall(r"Example: (bonafide [^\n│]*)", result.output)
    assert examples, f"bonafide {' '.join(path)} --help shows no example"
    command = _command(path)
    options = {flag for p in command.params for flag in getattr(p, "opts", [])}
    options |= {flag for p in command.params for flag in getattr(p, "secondary_opts", [])}
    for example in examples:
        words = example.split()
        assert words[1 : 1 + len(path)] == list(path), example
        for word in words:
            if word.startswith("--"):
                assert word.split("=")[0] in options, f"{example}: {word} is not an option"


def test_groups_list_their_commands(runner: CliRunner) -> None:
    for group in {path[:1] for path in COMMANDS if len(path) > 1}:
        result = runner.invoke(app, [*group, "--help"])
        for path in COMMANDS:
            if path[:1] == group:
                assert path[1] in result.output, f"bonafide {group[0]} --help lacks {path[1]}"
    registry = runner.invoke(app, ["registry", "--help"])
    assert "resolve" in registry.output.split("Commands")[0], "the group's summary names resolve"


def test_json_output_is_spelled_one_way() -> None:
    """`--format json` everywhere; a `--json` flag only as a hidden, deprecated alias."""
    for path in COMMANDS:
        command = _command(path)
        for parameter in command.params:
            if "--json" in getattr(parameter, "opts", []):
                assert getattr(parameter, "hidden", False), f"{' '.join(path)} shows --json"
                assert "--format" in {f for p in command.params for f in getattr(p, "opts", [])}
