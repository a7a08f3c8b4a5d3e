"""The `bonafide registry` commands, through Typer's test runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from bonafide.datadir import DATA_DIR_ENV
from bonafide.errors import MappingError, StoreError, VaultError
from bonafide.registry.cli import registry_app
from bonafide.vault.access import PASSPHRASE_ENV
from tests.vaults import TEST_PASSPHRASE, vault_for

from .helpers import csv_text

DOCS = Path(__file__).resolve().parents[2] / "docs" / "registry-import.md"

MAPPING = """
kind = "identity"
[columns]
surname = "ФАМИЛИЯ"
given_name = "ИМЯ"
birth_date = "ДАТА_РОЖДЕНИЯ"
sex = "ПОЛ"
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "200", DATA_DIR_ENV: "", PASSPHRASE_ENV: TEST_PASSPHRASE})


@pytest.fixture
def registry_file(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    rows = [
        ["ФАМИЛИЯ", "ИМЯ", "ДАТА_РОЖДЕНИЯ", "ПОЛ", "ПРИМЕЧАНИЕ"],
        ["Іваноў", "Янка", "01.02.1990", "м", ""],
        ["Иванов", "Иван", "31.02.1990", "м", ""],
        ["Smith", "John", "1985", "x", ""],
        ["Іваноў", "Янка", "01.02.1990", "м", ""],
    ]
    path.write_bytes(csv_text(rows, delimiter=";").encode("cp1251"))
    return path


@pytest.fixture
def mapping_file(tmp_path: Path) -> Path:
    path = tmp_path / "map.toml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def invoke(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(registry_app, [str(a) for a in args])


def cells(output: str, first: str) -> list[str]:
    """The cells of the first table row whose first cell is `first`."""
    for line in output.splitlines():
        parts = [part.strip() for part in line.split("│")[1:-1]]
        if parts and parts[0] == first:
            return parts
    raise AssertionError(f"no row {first!r} in:\n{output}")


def test_import_prints_summary_notes_and_first_issues(
    runner: CliRunner, registry_file: Path, mapping_file: Path, data_dir: Path
) -> None:
    result = invoke(
        runner,
        "import",
        registry_file,
        "--kind",
        "identity",
        "--mapping",
        mapping_file,
        "--data-dir",
        data_dir,
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Import 1: people.csv as identity" in out
    for label, count in [
        ("rows read", 4),
        ("added", 2),
        ("duplicate in file", 1),
        ("already present", 0),
        ("rejected", 1),
        ("warnings", 1),
    ]:
        assert cells(out, label) == [label, str(count)]
    assert "encoding windows-1251 (detected), delimiter ';'" in out
    assert "1 column(s) not mapped and ignored: 'ПРИМЕЧАНИЕ'" in out
    assert "birth_date: not a date" in out
    assert "same as row 1" in out
    assert "bonafide registry rejects 1" in out.replace("\n", "")


def test_quiet_import_prints_one_line(
    runner: CliRunner, registry_file: Path, mapping_file: Path, data_dir: Path
) -> None:
    args: list[str | Path] = [
        "import",
        registry_file,
        "--kind",
        "identity",
        "--mapping",
        mapping_file,
        "-q",
    ]
    result = invoke(runner, *args, "--data-dir", data_dir)
    assert result.exit_code == 0
    assert result.output.startswith(
        "import 1 (identity, people.csv): read 4, added 2, duplicate in file 1, "
        "already present 0, rejected 1, warnings 1; issues: bonafide registry rejects 1"
    )
    again = invoke(runner, *args, "--data-dir", data_dir)
    assert "import 2 (identity, people.csv): read 4, added 0, duplicate in file 1, " in again.output
    assert "already present 2" in again.output


def test_list_and_stats(
    runner: CliRunner, registry_file: Path, mapping_file: Path, data_dir: Path
) -> None:
    args: list[str | Path] = [
        "import",
        registry_file,
        "--kind",
        "identity",
        "--mapping",
        mapping_file,
        "-q",
    ]
    invoke(runner, *args, "--data-dir", data_dir)
    invoke(runner, *args, "--data-dir", data_dir)
    listed = invoke(runner, "list", "--data-dir", data_dir)
    assert listed.exit_code == 0
    _, rows, imports, last, rejected = cells(listed.output, "identity")
    assert (rows, imports, rejected) == ("2", "2", "2")
    assert last.startswith("20")
    stats = invoke(runner, "stats", "identity", "--data-dir", data_dir)
    assert stats.exit_code == 0, stats.output
    out = stats.output
    assert "identity: 2 rows" in out
    assert cells(out, "surname") == ["surname", "name", "100.0%", "be 50% · latn 50%"]
    assert cells(out, "sex") == ["sex", "sex", "50.0%", ""]
    assert cells(out, "birth_date") == ["birth_date", "date", "100.0%", ""]
    flat = " ".join(out.split())
    first = "read 4 · added 2 · duplicate in file 1 · already present 0 · rejected 1 · warnings 1"
    again = "read 4 · added 0 · duplicate in file 1 · already present 2 · rejected 1 · warnings 0"
    assert "1 people.csv" in flat
    assert first in flat
    assert again in flat
    assert flat.index(first) < flat.index(again)


def test_list_without_store(runner: CliRunner, data_dir: Path) -> None:
    result = invoke(runner, "list", "--data-dir", data_dir)
    assert result.exit_code == 0
    assert "No registries imported yet" in result.output
    assert not (data_dir / "registries.duckdb").exists()


def test_stats_without_store(runner: CliRunner, data_dir: Path) -> None:
    result = invoke(runner, "stats", "identity", "--data-dir", data_dir)
    assert isinstance(result.exception, StoreError)


def test_commands_without_a_vault_say_how_to_make_one(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "list", "--data-dir", tmp_path / "none")
    assert isinstance(result.exception, VaultError)
    assert "there is no vault" in str(result.exception)
    assert "bonafide vault init" in str(result.exception)
    assert not (tmp_path / "none").exists()


def test_data_dir_from_environment(registry_file: Path, mapping_file: Path, tmp_path: Path) -> None:
    vault_for(tmp_path / "env-data").close()
    runner = CliRunner(
        env={
            "COLUMNS": "200",
            DATA_DIR_ENV: str(tmp_path / "env-data"),
            PASSPHRASE_ENV: TEST_PASSPHRASE,
        }
    )
    result = invoke(
        runner, "import", registry_file, "--kind", "identity", "--mapping", mapping_file, "-q"
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env-data" / "registries.duckdb").exists()


def test_mapping_error_names_file_field_and_fix(
    runner: CliRunner, registry_file: Path, tmp_path: Path, data_dir: Path
) -> None:
    mapping = tmp_path / "wrong.toml"
    mapping.write_text(
        MAPPING.replace('birth_date = "ДАТА_РОЖДЕНИЯ"', 'birth_date = "ДАТА РОЖДЕНИЯ"'),
        encoding="utf-8",
    )
    result = invoke(
        runner,
        "import",
        registry_file,
        "--kind",
        "identity",
        "--mapping",
        mapping,
        "--data-dir",
        data_dir,
    )
    error = result.exception
    assert isinstance(error, MappingError)
    message = str(error)  # what the entry point prints
    assert f"{registry_file}: has no column 'ДАТА РОЖДЕНИЯ'" in message
    assert f"which {mapping} maps to field 'birth_date'" in message
    assert "→ did you mean 'ДАТА_РОЖДЕНИЯ'? the file's columns are: 'ФАМИЛИЯ'" in message
    assert error.exit_code == 2


def test_kind_in_mapping_must_match(
    runner: CliRunner, registry_file: Path, mapping_file: Path, data_dir: Path
) -> None:
    result = invoke(
        runner,
        "import",
        registry_file,
        "--kind",
        "residence",
        "--mapping",
        mapping_file,
        "--data-dir",
        data_dir,
    )
    assert isinstance(result.exception, MappingError)
    assert "use --kind identity" in str(result.exception)


def test_unknown_kind_lists_the_kinds(runner: CliRunner, registry_file: Path) -> None:
    result = invoke(runner, "import", registry_file, "--kind", "people")
    assert result.exit_code == 2
    assert "identity" in result.output
    assert "watchlist" in result.output


def test_bad_delimiter_option(runner: CliRunner, registry_file: Path, data_dir: Path) -> None:
    result = invoke(
        runner,
        "import",
        registry_file,
        "--kind",
        "identity",
        "--delimiter",
        ";;",
        "--data-dir",
        data_dir,
    )
    assert isinstance(result.exception, MappingError)
    assert "--delimiter: delimiter ';;' must be one character" in str(result.exception)


def test_every_command_and_option_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    group = typer.main.get_command(registry_app)
    commands = getattr(group, "commands", {})
    assert set(commands) == {"import", "list", "stats", "resolve", "rejects"}
    for name, command in commands.items():
        assert f"bonafide registry {name}" in docs, f"command {name} is not documented"
        for parameter in command.params:
            for flag in getattr(parameter, "opts", []):
                if flag.startswith("--"):
                    assert f"`{flag}" in docs, f"option {flag} of {name} is not documented"


def test_entry_point_prints_the_error_and_its_fix(
    registry_file: Path, tmp_path: Path, data_dir: Path
) -> None:
    pytest.importorskip("bonafide.cli", reason="the top-level CLI needs every domain's commands")
    mapping = tmp_path / "wrong.toml"
    mapping.write_text(MAPPING.replace('sex = "ПОЛ"', 'sex = "ПОЛЪ"'), encoding="utf-8")
    source_dir = Path(__file__).resolve().parents[2] / "src"
    path = os.pathsep.join([str(source_dir), os.environ.get("PYTHONPATH", "")])
    args = ["import", str(registry_file), "--kind", "identity", "--mapping", str(mapping)]
    result = subprocess.run(
        [sys.executable, "-m", "bonafide", "registry", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path, "COLUMNS": "300", PASSPHRASE_ENV: TEST_PASSPHRASE},
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"error: {registry_file}: has no column 'ПОЛЪ'" in result.stderr
    assert "to field 'sex'" in result.stderr
    assert "→ did you mean 'ПОЛ'?" in result.stderr
