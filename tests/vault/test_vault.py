"""An open vault: what it hands out (subkeys, sealer, scratch space) and what it sweeps away."""

from __future__ import annotations

import base64
import contextlib
import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from bonafide.cases import CaseStore
from bonafide.errors import BonafideError, VaultError
from bonafide.vault import Passphrase, Vault
from bonafide.vault.audit import AuditLog
from bonafide.vault.sealed import PARTIAL_MARK
from bonafide.vault.vault import SCRATCH_DIR, STATE_FILE, holds_data
from tests.vaults import TEST_PASSPHRASE, vault_for


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_subkeys_differ_by_purpose_and_survive_unlocking(vault: Vault, data_dir: Path) -> None:
    purposes = ["files", "audit entries", "audit chain", "case store values", "case store hashes"]
    keys = [vault.key(p) for p in purposes]
    assert len(set(keys)) == len(purposes)
    again = vault_for(data_dir)
    assert [again.key(p) for p in purposes] == keys


def test_the_sealer_writes_under_the_vault_key(vault: Vault, data_dir: Path) -> None:
    path = data_dir / "report.json"
    vault.sealer.write_json(path, {"dossier": "BF-1"}, "report")
    assert b"BF-1" not in path.read_bytes()
    assert vault_for(data_dir).sealer.read_json(path, "report") == {"dossier": "BF-1"}


def test_the_registry_store_key(vault: Vault) -> None:
    key = vault.duckdb_key()
    assert key is not None
    assert base64.b64decode(key) == vault.key("registry store")


def test_a_plain_directory_has_no_keys_to_give(tmp_path: Path) -> None:
    plain = Vault.without_encryption(tmp_path / "plain")
    assert not plain.encrypted
    assert plain.duckdb_key() is None
    assert not plain.sealer.encrypted
    plain.sealer.write(tmp_path / "plain" / "file", b"plain text", "test")
    assert (tmp_path / "plain" / "file").read_bytes() == b"plain text"
    with pytest.raises(VaultError, match="no key slots"):
        plain.add_slot(Passphrase(TEST_PASSPHRASE))
    assert not Vault.exists(tmp_path / "plain")


def test_holds_data_ignores_slots_and_scratch_space(tmp_path: Path) -> None:
    assert not holds_data(tmp_path / "absent")
    assert not holds_data(tmp_path)
    (tmp_path / SCRATCH_DIR).mkdir()
    (tmp_path / "vault.keys").write_text("{}")
    assert not holds_data(tmp_path)
    (tmp_path / "cases.sqlite").write_bytes(b"")
    assert holds_data(tmp_path)


# --- scratch space and the sweep -------------------------------------------------------------


def test_scratch_dir_is_private_per_process_and_removed_on_close(
    vault: Vault, data_dir: Path
) -> None:
    scratch = vault.scratch_dir
    assert scratch == vault.scratch_dir
    assert scratch.parent == data_dir / SCRATCH_DIR
    assert scratch.name.startswith(f"p{os.getpid()}-")
    assert stat.S_IMODE(scratch.stat().st_mode) == 0o700
    (scratch / "spill").write_bytes(b"x")
    vault.close()
    assert not scratch.exists()


def test_unlocking_sweeps_what_killed_runs_left(data_dir: Path) -> None:
    dead = dead_pid()
    scratch = data_dir / SCRATCH_DIR
    left = [
        scratch / f"p{dead}-abcdef",
        data_dir / f".cases.sqlite{PARTIAL_MARK}{dead}-01020304",
        data_dir / "persons" / f".gen-3.arrow{PARTIAL_MARK}{dead}-01020304",
        scratch / "stray-file",
    ]
    left[0].mkdir(parents=True)
    (left[0] / "spill.tmp").write_bytes(b"x")
    for path in left[1:]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    running = vault_for(data_dir)
    live = [
        running.scratch_dir,
        scratch / f"p{os.getppid()}-abcdef",
        data_dir / f".audit.sqlite{PARTIAL_MARK}{os.getppid()}-01020304",
        data_dir / "persons" / "gen-2.arrow",
    ]
    live[1].mkdir()
    live[2].write_bytes(b"x")
    live[3].write_bytes(b"x")

    swept = vault_for(data_dir)

    assert not any(path.exists() for path in left)
    assert all(path.exists() for path in live)
    assert swept.sweep() == 0
    running.close()
    swept.close()


def test_a_wrong_passphrase_sweeps_nothing(data_dir: Path) -> None:
    partial = data_dir / f".cases.sqlite{PARTIAL_MARK}{dead_pid()}-01020304"
    partial.write_bytes(b"x")
    with pytest.raises(VaultError):
        Vault.unlock(data_dir, Passphrase("not the passphrase"))
    assert partial.exists()


def test_a_closed_vault_hands_out_no_key_and_writes_no_plain_text(
    vault: Vault, data_dir: Path
) -> None:
    files_key = vault.key("files")
    vault.close()
    path = data_dir / "after-close"
    with contextlib.suppress(BonafideError):
        vault.sealer.write(path, b"BF-7Q2K written after close", "test")
    assert not path.exists() or b"BF-7Q2K" not in path.read_bytes()
    with pytest.raises(BonafideError):
        assert vault.key("files") != files_key


@pytest.mark.parametrize("name", ["audit.sqlite", "cases.sqlite"])
def test_a_deleted_store_is_noticed_not_begun_anew(data_dir: Path, name: str) -> None:
    vault = vault_for(data_dir)
    AuditLog(vault).close()
    CaseStore.open(vault).close()
    vault.close()
    (data_dir / name).unlink()
    vault = vault_for(data_dir)
    with pytest.raises(VaultError, match=f"{name} is missing: it was deleted outside bonafide"):
        AuditLog(vault) if name == "audit.sqlite" else CaseStore.open(vault)
    assert not (data_dir / name).exists()


@pytest.mark.parametrize("change", ["deleted", "damaged"])
def test_the_vault_state_must_be_there_and_whole(data_dir: Path, change: str) -> None:
    vault_for(data_dir).close()
    state = data_dir / STATE_FILE
    if change == "deleted":
        state.unlink()
    else:
        state.write_bytes(state.read_bytes()[:-1])
    with pytest.raises(
        VaultError, match=f"{STATE_FILE} is {'missing' if change == 'deleted' else 'damaged'}"
    ):
        vault_for(data_dir)


def test_concurrent_first_opens_of_a_store_do_not_call_it_missing(data_dir: Path) -> None:
    vault = vault_for(data_dir)
    errors: list[BaseException] = []

    def open_log() -> None:
        try:
            AuditLog(vault).close()
        except BaseException as error:
            errors.append(error)

    for _ in range(20):
        (data_dir / "audit.sqlite").unlink(missing_ok=True)
        vault._save_state({"stores": []})
        threads = [threading.Thread(target=open_log) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
