"""Every command and option of `bonafide vault`, `audit` and `cases` is in docs/security.md."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from bonafide.cases.cli import cases_app
from bonafide.vault.cli import audit_app, vault_app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"


@pytest.mark.parametrize(
    ("group", "app"), [("vault", vault_app), ("audit", audit_app), ("cases", cases_app)]
)
def test_every_command_and_option_is_documented(group: str, app: typer.Typer) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    commands = getattr(typer.main.get_command(app), "commands", {})
    assert commands
    for name, command in commands.items():
        assert f"`bonafide {group} {name}" in docs, f"{group} {name} is not documented"
        for parameter in command.params:
            for flag in getattr(parameter, "opts", []):
                if flag.startswith("--"):
                    assert f"`{flag}" in docs, f"option {flag} of {group} {name} is not documented"
