"""`bonafide vault ...` and `bonafide audit ...`, through Typer's test runner.

The runner has no terminal and no passphrase in its environment, as a script would not. Errors
leave `app` as exceptions; `bonafide.cli.main` turns them into a message and an exit code, which
`exit_code` does here the same way (one test runs the real command to check that it does).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bonafide.cli import app
from bonafide.datadir import DATA_DIR_ENV
from bonafide.errors import BonafideError
from bonafide.vault.access import PASSPHRASE_ENV
from bonafide.vault.audit import AUDIT_FILE, AuditAction, AuditLog
from bonafide.vault.keyslots import SLOTS_FILE, KeySlots
from bonafide.vault.settings import VaultSettings
from tests.vaults import KDF_OPTIONS, TEST_PASSPHRASE, vault_for

WRONG = "not the passphrase at all"
SECOND = "a second passphrase for the vault"
DURESS = "the passphrase given under duress"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={PASSPHRASE_ENV: None, DATA_DIR_ENV: None, "COLUMNS": "200"})


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def secret_file(tmp_path: Path, passphrase: str) -> Path:
    path = tmp_path / f"passphrase-{passphrase.replace(' ', '-')}"
    path.write_text(passphrase + "\n", encoding="utf-8")
    return path


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    return secret_file(tmp_path, TEST_PASSPHRASE)


def run(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def exit_code(result: Result) -> int:
    """The exit code `bonafide.cli.main` gives."""
    if isinstance(result.exception, BonafideError):
        return result.exception.exit_code
    return result.exit_code


def message(result: Result) -> str:
    """What the operator reads: the error `main` prints, else the output."""
    if isinstance(result.exception, BonafideError):
        return str(result.exception)
    return result.output


@pytest.fixture
def initialised(runner: CliRunner, data_dir: Path, passphrase_file: Path) -> Path:
    """`bonafide vault init` run on `data_dir`."""
    result = run(
        runner, "vault", "init", "--data-dir", data_dir, "--passphrase-file", passphrase_file,
        *KDF_OPTIONS,
    )  # fmt: skip
    assert exit_code(result) == 0, message(result)
    return data_dir


def unlocking(data_dir: Path, secret: Path, option: str = "--passphrase-file") -> list[str]:
    return ["--data-dir", str(data_dir), option, str(secret)]


def audit_actions(data_dir: Path) -> list[AuditAction]:
    log = AuditLog(vault_for(data_dir))
    actions = [e.action for e in log.entries()]
    log.close()
    return actions


# --- init and status -----------------------------------------------------------------------


def test_init_then_status_lists_one_slot(runner: CliRunner, initialised: Path) -> None:
    result = run(runner, "vault", "status", "--data-dir", initialised)
    assert exit_code(result) == 0, message(result)
    (slot,) = KeySlots.load(initialised).slots
    rows = [line for line in result.output.splitlines() if "passphrase" in line]
    assert len(rows) == 1
    assert slot.slot_id in rows[0]
    assert "8 MiB, 1 passes" in rows[0]
    assert audit_actions(initialised) == [AuditAction.VAULT_CREATED]


def test_init_twice_refuses(runner: CliRunner, initialised: Path, tmp_path: Path) -> None:
    before = (initialised / SLOTS_FILE).read_bytes()
    result = run(
        runner, "vault", "init", "--data-dir", initialised,
        "--passphrase-file", secret_file(tmp_path, SECOND), *KDF_OPTIONS,
    )  # fmt: skip
    assert exit_code(result) == 4
    assert "already holds a vault" in message(result)
    assert (initialised / SLOTS_FILE).read_bytes() == before


@pytest.mark.parametrize(
    ("passphrase", "expected"),
    [("short", "at least 8"), (None, "no terminal to ask at")],
    ids=["too short", "none"],
)
def test_init_needs_a_long_enough_passphrase(
    runner: CliRunner, data_dir: Path, tmp_path: Path, passphrase: str | None, expected: str
) -> None:
    options: list[str | Path] = []
    if passphrase is not None:
        options = ["--passphrase-file", secret_file(tmp_path, passphrase)]
    result = run(runner, "vault", "init", "--data-dir", data_dir, *options, *KDF_OPTIONS)
    assert exit_code(result) == 4
    assert expected in message(result)
    assert not (data_dir / SLOTS_FILE).exists()


def test_init_refuses_a_kdf_below_the_minimum(
    runner: CliRunner, data_dir: Path, passphrase_file: Path
) -> None:
    result = run(
        runner, "vault", "init", "--data-dir", data_dir, "--passphrase-file", passphrase_file,
        "--kdf-memory", "4",
    )  # fmt: skip
    assert exit_code(result) == 2
    assert not data_dir.exists()


def test_status_without_a_vault(runner: CliRunner, data_dir: Path) -> None:
    result = run(runner, "vault", "status", "--data-dir", data_dir)
    assert exit_code(result) == 4
    assert "there is no vault" in message(result)


# --- locked ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["audit", "verify"],
        ["audit", "show"],
        ["audit", "head"],
        ["vault", "add-passphrase"],
        ["vault", "add-key-file", "KEY"],
        ["vault", "remove-slot", "0a0b0c0d"],
        ["vault", "change-passphrase"],
        ["vault", "retention"],
    ],
    ids=" ".join,
)
def test_a_locked_command_names_the_way_to_unlock(
    runner: CliRunner, initialised: Path, tmp_path: Path, command: list[str]
) -> None:
    before = sorted(p.name for p in initialised.iterdir())
    args = [str(tmp_path / "usb.key") if a == "KEY" else a for a in command]
    result = run(runner, *args, "--data-dir", initialised)
    assert exit_code(result) == 4
    assert "the vault is locked" in message(result)
    assert "--passphrase-file" in message(result)
    assert sorted(p.name for p in initialised.iterdir()) == before
    assert not (tmp_path / "usb.key").exists()


def test_the_real_command_exits_4_when_locked(initialised: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in (PASSPHRASE_ENV, DATA_DIR_ENV)}
    finished = subprocess.run(
        [sys.executable, "-m", "bonafide", "audit", "verify", "--data-dir", str(initialised)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert finished.returncode == 4
    assert "--passphrase-file" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_a_wrong_passphrase_changes_nothing(
    runner: CliRunner, initialised: Path, tmp_path: Path
) -> None:
    before = (initialised / SLOTS_FILE).read_bytes()
    result = run(runner, "audit", "head", *unlocking(initialised, secret_file(tmp_path, WRONG)))
    assert exit_code(result) == 4
    assert "does not open the vault" in message(result)
    assert (initialised / SLOTS_FILE).read_bytes() == before


def test_the_environment_unlocks(runner: CliRunner, initialised: Path) -> None:
    result = runner.invoke(
        app,
        ["audit", "head", "--data-dir", str(initialised)],
        env={PASSPHRASE_ENV: TEST_PASSPHRASE},
    )
    assert exit_code(result) == 0, message(result)


# --- wipe ----------------------------------------------------------------------------------


def test_wipe_yes_needs_no_passphrase(runner: CliRunner, initialised: Path) -> None:
    result = run(runner, "vault", "wipe", "--yes", "--data-dir", initialised)
    assert exit_code(result) == 0, message(result)
    assert "Wiped: key slots destroyed" in result.output
    assert list(initialised.iterdir()) == []


def test_wipe_without_yes_and_without_a_terminal_refuses(
    runner: CliRunner, initialised: Path
) -> None:
    before = sorted(p.name for p in initialised.iterdir())
    result = runner.invoke(app, ["vault", "wipe", "--data-dir", str(initialised)], input="WIPE\n")
    assert exit_code(result) == 2
    assert "--yes" in message(result)
    assert sorted(p.name for p in initialised.iterdir()) == before


def test_wipe_refuses_a_directory_that_is_not_a_vault(runner: CliRunner, data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / "somebody's file").write_bytes(b"x")
    result = run(runner, "vault", "wipe", "--yes", "--data-dir", data_dir)
    assert exit_code(result) == 4
    assert "is not a bonafide data directory" in message(result)
    assert [p.name for p in data_dir.iterdir()] == ["somebody's file"]


def test_wipe_of_a_vault_whose_slots_are_gone(runner: CliRunner, initialised: Path) -> None:
    (initialised / "vault.keys").unlink()
    result = run(runner, "vault", "wipe", "--yes", "--data-dir", initialised)
    assert exit_code(result) == 0
    assert "There were no key slots" in result.output
    assert list(initialised.iterdir()) == []


# --- key slots -----------------------------------------------------------------------------


def test_add_passphrase_then_unlock_with_it(
    runner: CliRunner, initialised: Path, passphrase_file: Path, tmp_path: Path
) -> None:
    second = secret_file(tmp_path, SECOND)
    result = run(
        runner, "vault", "add-passphrase", *unlocking(initialised, passphrase_file),
        "--new-passphrase-file", second, *KDF_OPTIONS,
    )  # fmt: skip
    assert exit_code(result) == 0, message(result)
    assert len(KeySlots.load(initialised).slots) == 2
    assert exit_code(run(runner, "audit", "head", *unlocking(initialised, second))) == 0
    assert audit_actions(initialised)[-1] == AuditAction.KEY_SLOT_ADDED

    again = run(
        runner, "vault", "add-passphrase", *unlocking(initialised, second),
        "--new-passphrase-file", passphrase_file, *KDF_OPTIONS,
    )  # fmt: skip
    assert exit_code(again) == 4
    assert "already opens a slot" in message(again)


def test_a_duress_passphrase_wipes_and_answers_as_a_wrong_one(
    runner: CliRunner, initialised: Path, passphrase_file: Path, tmp_path: Path
) -> None:
    added = run(
        runner, "vault", "add-passphrase", "--duress", *unlocking(initialised, passphrase_file),
        "--new-passphrase-file", secret_file(tmp_path, DURESS), *KDF_OPTIONS,
    )  # fmt: skip
    assert exit_code(added) == 0, message(added)
    status = run(runner, "vault", "status", "--data-dir", initialised)
    slot_rows = [line for line in status.output.splitlines() if "8 MiB" in line]
    assert len(slot_rows) == 2
    assert slot_rows[0].split("│")[2:] == slot_rows[1].split("│")[2:]  # kind and cost alike

    wrong = run(runner, "audit", "head", *unlocking(initialised, secret_file(tmp_path, WRONG)))
    duress = run(runner, "audit", "head", *unlocking(initialised, secret_file(tmp_path, DURESS)))

    assert (exit_code(duress), message(duress)) == (exit_code(wrong), message(wrong))
    assert [p.name for p in initialised.iterdir()] == ["vault.keys"]  # decoy slots only
    again = run(runner, "audit", "head", *unlocking(initialised, passphrase_file))
    assert (exit_code(again), message(again)) == (exit_code(wrong), message(wrong))


def test_add_key_file_then_unlock_with_it(
    runner: CliRunner, initialised: Path, passphrase_file: Path, tmp_path: Path
) -> None:
    key = tmp_path / "usb" / "bonafide.key"
    key.parent.mkdir()
    result = run(runner, "vault", "add-key-file", key, *unlocking(initialised, passphrase_file))
    assert exit_code(result) == 0, message(result)
    assert len(key.read_bytes()) == 32
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    unlocked = run(runner, "audit", "head", *unlocking(initialised, key, "--key-file"))
    assert exit_code(unlocked) == 0, message(unlocked)

    again = run(runner, "vault", "add-key-file", key, *unlocking(initialised, passphrase_file))
    assert exit_code(again) == 2
    assert "exists already" in message(again)


def test_remove_slot(
    runner: CliRunner, initialised: Path, passphrase_file: Path, tmp_path: Path
) -> None:
    second = secret_file(tmp_path, SECOND)
    run(
        runner, "vault", "add-passphrase", *unlocking(initialised, passphrase_file),
        "--new-passphrase-file", second, *KDF_OPTIONS,
    )  # fmt: skip
    first_slot, second_slot = (s.slot_id for s in KeySlots.load(initialised).slots)

    own = run(runner, "vault", "remove-slot", first_slot, *unlocking(initialised, passphrase_file))
    assert exit_code(own) == 4
    assert "the one this command was unlocked with" in message(own)

    removed = run(
        runner, "vault", "remove-slot", second_slot, *unlocking(initialised, passphrase_file)
    )
    assert exit_code(removed) == 0, message(removed)
    assert [s.slot_id for s in KeySlots.load(initialised).slots] == [first_slot]
    assert exit_code(run(runner, "audit", "head", *unlocking(initialised, second))) == 4
    assert audit_actions(initialised)[-1] == AuditAction.KEY_SLOT_REMOVED


def test_change_passphrase(
    runner: CliRunner, initialised: Path, passphrase_file: Path, tmp_path: Path
) -> None:
    second = secret_file(tmp_path, SECOND)
    result = run(
        runner, "vault", "change-passphrase", *unlocking(initialised, passphrase_file),
        "--new-passphrase-file", second, *KDF_OPTIONS,
    )  # fmt: skip
    assert exit_code(result) == 0, message(result)
    assert exit_code(run(runner, "audit", "head", *unlocking(initialised, passphrase_file))) == 4
    verified = run(runner, "audit", "verify", *unlocking(initialised, second))
    assert exit_code(verified) == 0, message(verified)
    assert "2 entries" in verified.output  # created, then changed: the log is still readable


# --- retention -----------------------------------------------------------------------------


def test_retention_is_shown_set_and_turned_off(
    runner: CliRunner, initialised: Path, passphrase_file: Path
) -> None:
    shown = run(runner, "vault", "retention", *unlocking(initialised, passphrase_file))
    assert exit_code(shown) == 0, message(shown)
    assert "retention is off" in shown.output

    set_ = run(
        runner, "vault", "retention", "--days", "30", *unlocking(initialised, passphrase_file)
    )
    assert exit_code(set_) == 0, message(set_)
    assert "reduced 30 days after verification; 0 reduced now" in set_.output
    assert VaultSettings.load(vault_for(initialised)).retention_days == 30
    assert audit_actions(initialised)[-1] == AuditAction.RETENTION_SET

    off = run(runner, "vault", "retention", "--days", "0", *unlocking(initialised, passphrase_file))
    assert exit_code(off) == 0, message(off)
    assert "retention is off" in off.output
    assert VaultSettings.load(vault_for(initialised)).retention_days is None


# --- audit ---------------------------------------------------------------------------------


def test_audit_verify_then_tampering_exits_5(
    runner: CliRunner, initialised: Path, passphrase_file: Path
) -> None:
    log = AuditLog(vault_for(initialised))
    log.record_many([(AuditAction.DOSSIER_VERIFIED, f"BF-{n}", {}) for n in range(4)])
    log.close()
    intact = run(runner, "audit", "verify", *unlocking(initialised, passphrase_file))
    assert exit_code(intact) == 0, message(intact)
    assert "Audit log intact: 5 entries, head at 5" in intact.output

    with sqlite3.connect(initialised / AUDIT_FILE) as connection:
        connection.execute("DELETE FROM entries WHERE seq = 3")
    connection.close()

    broken = run(runner, "audit", "verify", *unlocking(initialised, passphrase_file))
    assert exit_code(broken) == 5
    assert "NOT intact" in broken.output
    assert "entry 4: entry numbers skip (removed)" in broken.output


def test_audit_show_filters(runner: CliRunner, initialised: Path, passphrase_file: Path) -> None:
    log = AuditLog(vault_for(initialised), actor="desk 7")
    log.record(AuditAction.DOSSIER_VERIFIED, "BF-AAAA", {"claims": 3})
    log.record(AuditAction.DOSSIER_VERIFIED, "BF-BBBB", {"claims": 2})
    log.record(AuditAction.DOSSIER_READ, "BF-AAAA")
    log.close()

    def show(*options: str) -> list[dict[str, object]]:
        result = run(
            runner, "audit", "show", "--json", *options, *unlocking(initialised, passphrase_file)
        )
        assert exit_code(result) == 0, message(result)
        entries = [json.loads(line) for line in result.output.splitlines()]
        # every read of the log is itself written to it (after what it showed)
        return [e for e in entries if e["action"] != "audit log read"]

    by_dossier = show("--dossier", "BF-AAAA")
    assert [(e["seq"], e["action"]) for e in by_dossier] == [
        (2, "dossier verified"),
        (4, "dossier read"),
    ]
    assert all(e["dossier"] == "BF-AAAA" for e in by_dossier)
    assert by_dossier[0]["detail"] == {"claims": 3}
    assert [e["seq"] for e in show()] == [1, 2, 3, 4]
    assert [e["seq"] for e in show("--actor", "desk 7")] == [2, 3, 4]
    assert show("--dossier", "BF-CCCC") == []
    assert show("--until", "2000-01-01") == []
    assert [e["seq"] for e in show("--since", "2000-01-01T00:00")] == [1, 2, 3, 4]

    table = run(runner, "audit", "show", *unlocking(initialised, passphrase_file))
    assert exit_code(table) == 0
    assert "BF-BBBB" in table.output
    log = AuditLog(vault_for(initialised))
    reads = [e for e in log.entries() if e.action is AuditAction.AUDIT_READ]
    log.close()
    assert len(reads) == 7  # the six JSON reads and the table
    assert reads[0].detail == {"entries shown": 2}

    bad = run(
        runner, "audit", "show", "--since", "yesterday", *unlocking(initialised, passphrase_file)
    )
    assert exit_code(bad) == 2
    assert "--since: 'yesterday' is not a date" in message(bad)


def test_audit_head_prints_the_head(
    runner: CliRunner, initialised: Path, passphrase_file: Path
) -> None:
    result = run(runner, "audit", "head", *unlocking(initialised, passphrase_file))
    assert exit_code(result) == 0, message(result)
    log = AuditLog(vault_for(initialised))
    seq, link = log.head()
    log.close()
    assert result.output.strip() == f"{seq} {link}"
    assert seq == 1
