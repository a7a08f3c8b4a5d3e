from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bonafide.cli import app

runner = CliRunner()


def test_score_adds_a_column_and_keeps_the_rows(tmp_path: Path) -> None:
    file = tmp_path / "pairs.tsv"
    file.write_text(
        "id\ta\tb\n1\tСергей Иванов\tSiarhei Ivanou\n2\tAnna Ivanova\tIvan Ivanov\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["names", "score", str(file)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "id\ta\tb\tscore"
    assert float(lines[1].split("\t")[3]) > 0.9
    assert float(lines[2].split("\t")[3]) < 0.1


def test_score_reads_stdin() -> None:
    result = runner.invoke(
        app, ["names", "score", "-"], input="a\tb\nOlga Sokolova\tВольга Сакалова\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("Olga Sokolova\tВольга Сакалова\t")


def test_score_names_the_missing_column(tmp_path: Path) -> None:
    file = tmp_path / "pairs.tsv"
    file.write_text("left\tright\nx\ty\n", encoding="utf-8")
    result = runner.invoke(app, ["names", "score", str(file)])
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception)
    assert "a or b" in str(result.exception)


def test_explain_prints_each_part() -> None:
    result = runner.invoke(app, ["names", "explain", "Аляксандр Лукашэнка", "Alexander Lukashenko"])
    assert result.exit_code == 0, result.output
    assert "given" in result.output
    assert "surname" in result.output
    assert "score" in result.output
