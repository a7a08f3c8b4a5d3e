"""`bonafide verify` on bad input and interruptions (issue 17): a read-only data directory, a
cohort's exit code, JSON nested too deeply, characters that are not text, messages that never
repeat a dossier's values, the results file written whole or not at all, Ctrl-C."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from bonafide.cli import app
from bonafide.datadir import DATA_DIR_ENV
from bonafide.errors import InputError, StoreError
from bonafide.vault.access import PASSPHRASE_ENV
from bonafide.verify import cohort as cohort_module
from bonafide.verify.export import rejects_path
from bonafide.verify.verifier import Verifier
from tests.vaults import TEST_PASSPHRASE

from ..conftest import Population


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "100", DATA_DIR_ENV: "", PASSPHRASE_ENV: TEST_PASSPHRASE})


def invoke(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(app, ["verify", *(str(a) for a in args)])


def _cohort(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _line(dossier: dict[str, Any]) -> str:
    return json.dumps(dossier, ensure_ascii=False)


# --- a data directory that cannot be written -------------------------------------------------


@contextlib.contextmanager
def _read_only(directory: Path) -> Iterator[Path]:
    """`directory`, not writable: by its mode for a user, by a read-only bind mount for root
    (whom modes do not stop); skipped where neither can be had."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [directory, *directory.rglob("*")]}
        for path in modes:
            path.chmod(modes[path] & ~0o222)
        try:
            yield directory
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    mounted = subprocess.run(["mount", "--bind", directory, directory], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("root cannot bind-mount here, and modes do not stop root")
    try:
        remount = ["mount", "-o", "remount,bind,ro", directory]
        if subprocess.run(remount, capture_output=True).returncode != 0:
            pytest.skip("root cannot remount read-only here")
        yield directory
    finally:
        subprocess.run(["umount", directory], capture_output=True, check=True)


@pytest.mark.parametrize("kind", ["dossier", "cohort"])
def test_a_read_only_data_directory_is_named_up_front(
    runner: CliRunner,
    population: Population,
    resolved_data_dir: Path,
    tmp_path: Path,
    kind: str,
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(resolved_data_dir, data_dir)
    dossiers = population.dossiers()[:3]
    if kind == "dossier":
        path = tmp_path / "dossier.json"
        path.write_text(_line(dossiers[0]), encoding="utf-8")
    else:
        path = _cohort(tmp_path / "cohort.jsonl", [_line(d) for d in dossiers])
    with _read_only(data_dir):
        result = invoke(runner, path, "--data-dir", data_dir, "--no-progress")
    assert isinstance(result.exception, StoreError), result.output
    message = str(result.exception)
    assert str(data_dir) in message
    assert "cannot be written" in message
    assert "--data-dir" in message  # what to do
    assert "rejected" not in result.output


# --- exit codes, JSON nested too deeply ------------------------------------------------------


def test_a_cohort_with_rejected_lines_exits_2(
    runner: CliRunner, population: Population, resolved_data_dir: Path, tmp_path: Path
) -> None:
    good = [_line(d) for d in population.dossiers()[:2]]
    path = _cohort(tmp_path / "cohort.jsonl", [good[0], "not json", good[1]])
    result = invoke(runner, path, "--data-dir", resolved_data_dir, "--no-remember")
    assert result.exit_code == InputError.exit_code, result.output
    assert "1 line(s)" in result.output
    every_line_bad = _cohort(tmp_path / "bad.jsonl", ["[]", "{}", "nope"])
    result = invoke(runner, every_line_bad, "--data-dir", resolved_data_dir, "--no-remember")
    assert result.exit_code == InputError.exit_code, result.output
    clean = _cohort(tmp_path / "clean.jsonl", good)
    result = invoke(runner, clean, "--data-dir", resolved_data_dir, "--no-remember")
    assert result.exit_code == 0, result.output


def test_a_line_nested_too_deeply_is_rejected_and_the_rest_verified(
    runner: CliRunner, population: Population, resolved_data_dir: Path, tmp_path: Path
) -> None:
    good = population.dossiers()[:2]
    deep = "[" * 100_000 + "]" * 100_000
    path = _cohort(tmp_path / "cohort.jsonl", [_line(good[0]), deep, _line(good[1])])
    out = tmp_path / "results.jsonl"
    result = invoke(runner, path, "--out", out, "--data-dir", resolved_data_dir, "--no-remember")
    assert result.exit_code == InputError.exit_code, result.output
    assert "line 2: not a dossier: its JSON is nested too deeply" in result.output
    reports = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["dossier_id"] for r in reports] == [good[0]["dossier_id"], good[1]["dossier_id"]]


def test_a_dossier_nested_too_deeply_is_an_input_error(
    runner: CliRunner, resolved_data_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"a": ' * 100_000 + "1" + "}" * 100_000, encoding="utf-8")
    result = invoke(runner, path, "--data-dir", resolved_data_dir, "--no-remember")
    assert isinstance(result.exception, InputError), result.output
    assert "nested too deeply" in str(result.exception)


# --- what a rejected line says ---------------------------------------------------------------

PERSONAL_NUMBER = "4140369A000PB5"


def _reject_messages(
    runner: CliRunner, resolved_data_dir: Path, tmp_path: Path, dossiers: list[dict[str, Any]]
) -> tuple[str, str]:
    path = _cohort(tmp_path / "cohort.jsonl", [_line(d) for d in dossiers])
    out = tmp_path / "results.jsonl"
    result = invoke(runner, path, "--out", out, "--data-dir", resolved_data_dir, "--no-remember")
    assert result.exit_code == InputError.exit_code, result.output
    return result.output, rejects_path(out).read_text(encoding="utf-8")


def test_rejects_name_the_field_and_the_problem_never_the_value(
    runner: CliRunner, population: Population, resolved_data_dir: Path, tmp_path: Path
) -> None:
    base = population.dossiers()[0]
    surname = base["identity"]["surname"]

    def changed(**identity: object) -> dict[str, Any]:
        return {**base, "identity": {**base["identity"], **identity}}

    dossiers = [
        changed(x=PERSONAL_NUMBER),
        changed(surname=None, given_name=PERSONAL_NUMBER * 40),
        changed(birth_date="2099-99-99"),
        changed(birth_date="2031-02-30"),
        {**base, "residences": [{**base["residences"][0], "from": f"{PERSONAL_NUMBER} 2015-13"}]},
        changed(sex=PERSONAL_NUMBER),
        changed(surname=f"{surname}\u202e"),
        changed(birth_date=19870407),
    ]
    printed, written = _reject_messages(runner, resolved_data_dir, tmp_path, dossiers)
    rejects = [json.loads(line) for line in written.splitlines()]
    assert [r["line"] for r in rejects] == list(range(1, len(dossiers) + 1))
    for text in (printed, written):
        assert PERSONAL_NUMBER not in text
        assert surname not in text
        assert "2099-99-99" not in text
        assert "2031-02-30" not in text
        assert "None is not" not in text
    errors = [r["error"] for r in rejects]
    assert "identity: unknown field(s) 'x'" in errors[0]
    assert "identity/surname: must be text, not null" in errors[1]
    assert "identity/given_name: is longer than 500 characters" in errors[1]
    assert "identity/birth_date: not a day of the calendar: the month is not" in errors[2]
    assert "identity/birth_date: not a day of the calendar: the month has no such day" in errors[3]
    assert "residences/0/from: is not a date" in errors[4]
    assert "identity/sex: must be one of: m, f" in errors[5]
    assert "identity/surname: holds a bidirectional control character (U+202E)" in errors[6]
    assert "identity/birth_date: a bare number; write the date as YYYY-MM-DD" in errors[7]
    assert "19870407" not in printed + written


@pytest.mark.parametrize(
    ("where", "junk", "kind"),
    [
        (("identity", "surname"), "\x00", "a NUL character"),
        (("identity", "given_name"), "\u202e", "a bidirectional control character (U+202E)"),
        (("identity", "patronymic"), "\u2066", "a bidirectional control character (U+2066)"),
        (("identity", "birth_place"), "\u200f", "a bidirectional control character (U+200F)"),
        (("residences", 0, "street"), "\u202a", "a bidirectional control character (U+202A)"),
        (("employment", 0, "employer"), "\x1b", "a control character (U+001B)"),
    ],
)
def test_characters_that_are_not_text_are_refused_naming_the_field(
    population: Population,
    resolved_data_dir: Path,
    where: tuple[str | int, ...],
    junk: str,
    kind: str,
) -> None:
    from tests.vaults import vault_for

    dossier = json.loads(json.dumps(population.dossiers()[0]))
    dossier.setdefault("employment", [{"employer": "ООО «Рога»"}])
    dossier.setdefault("residences", [{"settlement": "Минск"}])
    target: Any = dossier
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = f"{target.get(where[-1]) or 'Минск'}{junk}x"
    verifier = Verifier.open(vault_for(resolved_data_dir), remember=False)
    try:
        with pytest.raises(InputError) as error:
            verifier.verify(dossier)
    finally:
        verifier.close()
    path = "/".join(str(step) for step in where)
    assert f"{path}: holds {kind}" in error.value.message


# --- --out, and Ctrl-C -----------------------------------------------------------------------


def test_results_are_plain_text_beside_the_target_only_once_complete(
    runner: CliRunner,
    population: Population,
    resolved_data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cohort_module, "BATCH", 64)  # batches the population can fill
    dossiers = population.dossiers()[: cohort_module.BATCH + 5]
    (tmp_path / "in").mkdir()
    path = _cohort(tmp_path / "in" / "cohort.jsonl", [_line(d) for d in dossiers])
    exports = tmp_path / "exports"
    exports.mkdir()
    surnames = {d["identity"]["surname"].encode("utf-8") for d in dossiers}
    seen: list[str] = []
    flush = cohort_module._Cohort.flush

    def watching(self: Any) -> int:
        done = flush(self)
        for file in exports.iterdir():  # after each batch: what lies beside the target?
            data = file.read_bytes()
            seen.extend(file.name for s in surnames if s in data)
        return done

    monkeypatch.setattr(cohort_module._Cohort, "flush", watching)
    out = exports / "results.jsonl"
    result = invoke(runner, path, "--out", out, "--data-dir", resolved_data_dir, "--no-remember")
    assert result.exit_code == 0, result.output
    assert not seen, f"plain text beside the target while the run went on: {sorted(set(seen))}"
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(dossiers)
    assert sorted(p.name for p in exports.iterdir()) == ["results.jsonl"]


def test_ctrl_c_says_what_was_kept_and_leaves_the_earlier_results_whole(
    runner: CliRunner,
    population: Population,
    resolved_data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(resolved_data_dir, data_dir)
    monkeypatch.setattr(cohort_module, "BATCH", 64)  # batches the population can fill
    dossiers = population.dossiers()[: cohort_module.BATCH * 2]
    path = _cohort(tmp_path / "cohort.jsonl", [_line(d) for d in dossiers])
    out = tmp_path / "results.jsonl"
    out.write_text("the earlier complete results\n", encoding="utf-8")
    verify_many = Verifier.verify_many
    calls: list[int] = []

    def interrupted_on_the_second_batch(self: Verifier, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return verify_many(self, *args, **kwargs)

    monkeypatch.setattr(Verifier, "verify_many", interrupted_on_the_second_batch)
    result = invoke(runner, path, "--out", out, "--data-dir", data_dir, "--no-remember")
    assert result.exit_code == 130
    assert f"interrupted; {cohort_module.BATCH} dossier(s) verified before it" in result.stderr
    assert "kept in the vault" in result.stderr
    assert out.read_text(encoding="utf-8") == "the earlier complete results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cohort.jsonl", "data", "results.jsonl"]
    assert not list((data_dir / "tmp").rglob("results-*")), "the sealed spool is left behind"


def test_ctrl_c_on_one_dossier_says_nothing_changed(
    runner: CliRunner,
    population: Population,
    resolved_data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "dossier.json"
    path.write_text(_line(population.dossiers()[0]), encoding="utf-8")

    def interrupted(self: Verifier, *args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(Verifier, "verify_many", interrupted)
    result = invoke(runner, path, "--data-dir", resolved_data_dir, "--no-remember")
    assert result.exit_code == 130
    assert "interrupted; nothing changed" in result.stderr
