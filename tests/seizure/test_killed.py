"""SIGKILL at any moment of import, resolve and verify: no committed dossier lost, no plain-text
residue, nothing half-written trusted — and the next run of the same command succeeds.

Each command is timed once on a clean copy; the kills are spread evenly over that span
(50 kills in all)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bonafide.cases import CaseStore
from bonafide.persons.files import PersonFiles
from bonafide.persons.resolve import committed_generation
from bonafide.registry import RegistryStore
from bonafide.synth import SynthConfig, synthesise
from bonafide.vault.access import PASSPHRASE_ENV
from bonafide.vault.audit import AuditAction, AuditLog
from bonafide.verify import DossierReport, Verifier
from tests.conftest import Population
from tests.seizure.conftest import build, run
from tests.seizure.scan import dump_json, found_in, personal_values
from tests.vaults import TEST_PASSPHRASE, vault_for

ROUNDS = {"import": 17, "resolve": 17, "verify": 16}


@dataclass(frozen=True)
class Stage:
    data_dir: Path  # the state before the command
    command: tuple[str, ...]
    seconds: float  # how long the command took from a clean copy
    values: frozenset[str]
    residences: int  # records of the residence registry once imported
    verdicts: dict[str, str]  # dossier → verdict, from a clean run


def _command(population: Population, step: str, data_dir: Path) -> tuple[str, ...]:
    where = ("--data-dir", str(data_dir))
    if step == "import":
        registries = population.registries
        return (
            "registry", "import", str(registries / "residence.parquet"), "--kind", "residence",
            "--mapping", str(registries / "residence.mapping.toml"), "--quiet", *where,
        )  # fmt: skip
    if step == "resolve":
        return ("registry", "resolve", *where)
    return ("verify", str(population.root / "applicants.jsonl"), "--no-progress", *where)


def _environment() -> dict[str, str]:
    return {**os.environ, PASSPHRASE_ENV: TEST_PASSPHRASE, "COLUMNS": "120"}


def _spawn(command: tuple[str, ...]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bonafide", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_environment(),
    )


def _run(command: tuple[str, ...]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bonafide", *command],
        capture_output=True,
        env=_environment(),
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> Population:
    root = tmp_path_factory.mktemp("small-population")
    config = SynthConfig(people=2_000, seed=23, applicants=80, chunk_size=2_000)
    return Population(root, synthesise(config, root), config)


@pytest.fixture(scope="session")
def stages(small: Population, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Stage]:
    """The data directory before each command, and each command's duration."""
    root = tmp_path_factory.mktemp("kill-stages")
    values = frozenset(personal_values(small))
    full = root / "full"
    full.mkdir()
    build(small, full / "data")
    before_import = root / "before-import"
    before_import.mkdir()
    vault_for(before_import / "data").close()
    registries = small.registries
    run(
        "registry", "import", registries / "identity.parquet", "--kind", "identity",
        "--mapping", registries / "identity.mapping.toml", "--data-dir", before_import / "data",
    )  # fmt: skip
    before_resolve = root / "before-resolve"
    shutil.copytree(full, before_resolve)
    shutil.rmtree(before_resolve / "data" / "persons")
    vault = vault_for(before_resolve / "data")
    with RegistryStore.open(vault) as store:
        store.execute("test", "DELETE FROM person_links")
        store.execute("test", "UPDATE person_index_state SET generation = 0")
        residences = int(store.scalar("test", "SELECT count(*) FROM registry_residence"))
    vault.close()
    found = {}
    for step, base in (
        ("import", before_import),
        ("resolve", before_resolve),
        ("verify", full),
    ):
        trial = root / f"timing-{step}"
        shutil.copytree(base, trial)
        command = _command(small, step, trial / "data")
        started = time.perf_counter()
        _run(command)
        seconds = time.perf_counter() - started
        command = _command(small, step, Path("DATA"))
        verdicts = _verdicts(trial / "data", small) if step == "resolve" else {}
        if step == "resolve":  # a reference worth comparing with: both verdicts occur
            assert {"consistent", "inconsistent"} <= set(verdicts.values())
        found[step] = Stage(base / "data", command, seconds, values, residences, verdicts)
    return found


def _verdicts(data_dir: Path, small: Population) -> dict[str, str]:
    """Each applicant's verdict, verified through the library on `data_dir`."""
    vault = vault_for(data_dir)
    verifier = Verifier.open(vault, remember=False)
    reports = verifier.verify_many(list(small.dossiers()))
    verifier.close()
    vault.close()
    return {r.dossier_id: r.verdict for r in reports if isinstance(r, DossierReport)}


def _check_after_kill(step: str, data_dir: Path, stage: Stage) -> None:
    hits = found_in(data_dir, set(stage.values))
    assert not hits, dump_json(hits)
    vault = vault_for(data_dir)
    audit = AuditLog(vault)
    assert audit.verify().intact
    audited = {e.dossier for e in audit.entries() if e.action is AuditAction.DOSSIER_VERIFIED}
    audit.close()
    if step == "verify":
        cases = CaseStore.open(vault)
        kept = list(cases.dossiers())  # every kept dossier decrypts whole
        assert all(k.report is not None for k in kept)
        # a dossier is audited after its batch is committed: none the log knows is lost
        assert audited <= {k.code for k in kept}
        cases.close()
    vault.close()


def _check_after_rerun(step: str, data_dir: Path, stage: Stage, small: Population) -> None:
    vault = vault_for(data_dir)
    with RegistryStore.open(vault, read_only=True) as store:
        residences = store.scalar("test", "SELECT count(*) FROM registry_residence")
        committed = committed_generation(store) if step != "import" else 0
    # an import killed after its commit is not repeated by the rerun: its rows are present
    assert residences == stage.residences
    if step != "import":
        current = PersonFiles(vault).current()
        assert current is not None
        assert current.number == committed
    if step == "resolve":  # the persons a killed resolve left give the verdicts a clean one does
        vault.close()
        assert _verdicts(data_dir, small) == stage.verdicts
        vault = vault_for(data_dir)
    if step == "verify":
        cases = CaseStore.open(vault)
        assert cases.count() == len(small.dossiers())
        cases.close()
    vault.close()  # removes this test's own scratch directory
    assert list((data_dir / "tmp").rglob("*")) == []  # the killed run's scratch was swept


CASES = [(step, n) for step, rounds in ROUNDS.items() for n in range(rounds)]


@pytest.mark.slow
@pytest.mark.parametrize(("step", "round_number"), CASES)
def test_sigkill(
    step: str,
    round_number: int,
    stages: dict[str, Stage],
    small: Population,
    tmp_path: Path,
) -> None:
    stage = stages[step]
    copy = tmp_path / "data"
    shutil.copytree(stage.data_dir, copy)
    command = tuple(str(copy) if part == "DATA" else part for part in stage.command)
    # spread over the run, after the interpreter has started (about 0.3 s of every run)
    delay = 0.3 + (stage.seconds - 0.3) * (round_number + 0.5) / ROUNDS[step]
    child = _spawn(command)
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    _check_after_kill(step, copy, stage)
    _run(command)
    _check_after_rerun(step, copy, stage, small)
