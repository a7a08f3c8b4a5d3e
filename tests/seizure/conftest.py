"""A data directory made the way an office makes one — every command through the CLI — from the
shared synthetic population, for the seized-disk tests."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bonafide.cli import app
from bonafide.datadir import DATA_DIR_ENV
from bonafide.vault.access import PASSPHRASE_ENV
from tests.conftest import Population
from tests.seizure.scan import personal_values
from tests.vaults import KDF_OPTIONS, TEST_PASSPHRASE

KINDS = ("identity", "residence", "education", "employment", "watchlist")


@dataclass(frozen=True)
class Office:
    data_dir: Path
    outside: Path  # the temporary directory the commands were given: must stay empty
    values: frozenset[str]  # the population's personal values


def run(*args: str | Path) -> str:
    runner = CliRunner(env={PASSPHRASE_ENV: TEST_PASSPHRASE, DATA_DIR_ENV: "", "COLUMNS": "120"})
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.stdout


def build(population: Population, data_dir: Path, commands: Sequence[str] = ()) -> None:
    where = ("--data-dir", data_dir)
    passphrase = data_dir.parent / "passphrase"
    passphrase.write_text(TEST_PASSPHRASE, encoding="utf-8")
    run("vault", "init", *where, "--passphrase-file", passphrase, *KDF_OPTIONS)
    passphrase.unlink()
    for kind in KINDS:
        registries = population.registries
        run(
            "registry", "import", registries / f"{kind}.parquet", "--kind", kind, "--quiet",
            "--mapping", registries / f"{kind}.mapping.toml", *where,
        )  # fmt: skip
    run("registry", "resolve", *where)
    run("verify", population.root / "applicants.jsonl", "--no-progress", *where)


@pytest.fixture(scope="session")
def office(population: Population, tmp_path_factory: pytest.TempPathFactory) -> Office:
    root = tmp_path_factory.mktemp("office")
    outside = root / "system-tmp"
    outside.mkdir()
    previous = tempfile.tempdir
    tempfile.tempdir = str(outside)
    try:
        build(population, root / "data")
        first = population.dossiers()[0]["dossier_id"]
        run("cases", "show", first, "--data-dir", root / "data")
        run("registry", "rejects", "1", "--data-dir", root / "data")
        run("audit", "show", "--data-dir", root / "data")
    finally:
        tempfile.tempdir = previous
    return Office(root / "data", outside, frozenset(personal_values(population)))
