"""`bonafide registry import` and `resolve` interrupted or given a file that is not there
(issue 17): Ctrl-C says what it left and exits with 130; a missing file creates no store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bonafide.datadir import DATA_DIR_ENV
from bonafide.errors import InputError
from bonafide.registry import cli as registry_cli
from bonafide.registry.cli import registry_app
from bonafide.vault.access import PASSPHRASE_ENV
from tests.vaults import TEST_PASSPHRASE

from .helpers import csv_text


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "200", DATA_DIR_ENV: "", PASSPHRASE_ENV: TEST_PASSPHRASE})


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    rows = [["surname", "given_name", "birth_date"], ["Иванов", "Иван", "1990-01-02"]]
    path.write_text(csv_text(rows), encoding="utf-8")
    return path


def _press_ctrl_c(*_args: Any, **_kwargs: Any) -> Any:
    raise KeyboardInterrupt


@pytest.mark.parametrize("quiet", [True, False])
def test_ctrl_c_during_an_import_says_nothing_changed(
    runner: CliRunner,
    people: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    quiet: bool,
) -> None:
    monkeypatch.setattr(registry_cli, "import_registry", _press_ctrl_c)
    args = ["import", str(people), "--kind", "identity", "--data-dir", str(data_dir)]
    result = runner.invoke(registry_app, [*args, *(["--quiet"] if quiet else [])])
    assert result.exit_code == 130
    assert result.stderr.strip() == "interrupted; nothing changed"
    assert result.stdout == ""


def test_ctrl_c_during_resolve_says_nothing_changed(
    runner: CliRunner, people: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported = runner.invoke(
        registry_app,
        ["import", str(people), "--kind", "identity", "-q", "--data-dir", str(data_dir)],
    )
    assert imported.exit_code == 0, imported.output
    import bonafide.persons.resolve

    monkeypatch.setattr(bonafide.persons.resolve, "resolve_registries", _press_ctrl_c)
    result = runner.invoke(registry_app, ["resolve", "--data-dir", str(data_dir)])
    assert result.exit_code == 130
    assert "interrupted; nothing changed" in result.stderr


@pytest.mark.parametrize("what", ["missing", "directory"])
def test_importing_a_file_that_is_not_there_creates_no_store(
    runner: CliRunner, data_dir: Path, tmp_path: Path, what: str
) -> None:
    path = tmp_path / "nowhere.csv"
    if what == "directory":
        path.mkdir()
    before = sorted(p.name for p in data_dir.iterdir())
    result = runner.invoke(
        registry_app, ["import", str(path), "--kind", "identity", "--data-dir", str(data_dir)]
    )
    assert isinstance(result.exception, InputError)
    assert str(path) in str(result.exception)
    assert sorted(p.name for p in data_dir.iterdir()) == before
    assert not (data_dir / "registries.duckdb").exists()
