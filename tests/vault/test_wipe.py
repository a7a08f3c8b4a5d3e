"""Wiping: the key slots go first and fast, then every file; the data cannot be read again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bonafide.errors import VaultError
from bonafide.vault import Passphrase, Vault, wipe
from bonafide.vault.crypto import UndecryptableError
from bonafide.vault.keyslots import SLOTS_FILE
from tests.vaults import TEST_KDF, TEST_PASSPHRASE, vault_for


def test_after_a_wipe_nothing_opens_and_nothing_remains(vault: Vault, data_dir: Path) -> None:
    vault.sealer.write(data_dir / "report", b"report", "report")
    (data_dir / "registry").mkdir()
    (data_dir / "registry" / "store.duckdb").write_bytes(os.urandom(4096))
    (data_dir / ".hidden").write_bytes(b"x")
    vault.scratch_dir.joinpath("spill").write_bytes(b"x")

    report = wipe(data_dir)

    assert report.keys_destroyed
    assert 0 <= report.seconds_to_keys <= report.seconds_total
    assert list(data_dir.iterdir()) == []
    with pytest.raises(VaultError, match="there is no vault"):
        Vault.unlock(data_dir, Passphrase(TEST_PASSPHRASE))


def test_the_slots_are_overwritten_before_they_are_deleted(data_dir: Path, tmp_path: Path) -> None:
    """A second name for the slots file (a hard link) still holds its bytes after the wipe:
    they are random, not the slots."""
    other_name = tmp_path / "hard-link"
    os.link(data_dir / SLOTS_FILE, other_name)
    before = other_name.read_bytes()
    wipe(data_dir)
    after = other_name.read_bytes()
    assert len(after) == len(before)
    assert after != before
    assert b"bonafide-vault-keys" not in after
    assert b"argon2id" not in after


def test_a_copy_of_the_data_cannot_be_read_after_the_wipe(vault: Vault, data_dir: Path) -> None:
    vault.sealer.write(data_dir / "report", b"report", "report")
    copy = data_dir.parent / "copied-before-the-wipe"
    shutil.copy(data_dir / "report", copy)
    wipe(data_dir)
    fresh = Vault.create(data_dir, Passphrase(TEST_PASSPHRASE), TEST_KDF)
    with pytest.raises(UndecryptableError):
        fresh.sealer.read(copy, "report")


def test_keys_go_in_under_a_second_however_much_data(data_dir: Path) -> None:
    """2,000 files, 200 MB: the key slots are destroyed before any of them is touched."""
    for directory in range(20):
        folder = data_dir / "registry" / f"part-{directory:02d}"
        folder.mkdir(parents=True)
        for number in range(100):
            (folder / f"{number:03d}.parquet").write_bytes(os.urandom(100_000))

    report = wipe(data_dir)

    assert report.keys_destroyed
    assert report.seconds_to_keys < 1.0
    assert list(data_dir.iterdir()) == []


@pytest.mark.parametrize("state", ["wiped", "empty", "absent"])
def test_wipe_is_idempotent(tmp_path: Path, state: str) -> None:
    data_dir = tmp_path / "data"
    if state == "wiped":
        vault_for(data_dir).close()
        assert wipe(data_dir).keys_destroyed
    elif state == "empty":
        data_dir.mkdir()
    report = wipe(data_dir)
    assert not report.keys_destroyed
    assert not data_dir.exists() or list(data_dir.iterdir()) == []


def test_wipe_does_not_follow_links_out_of_the_directory(data_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_text("not bonafide's")
    (data_dir / "linked-dir").symlink_to(outside)
    (data_dir / "linked-file").symlink_to(outside / "keep.txt")
    wipe(data_dir)
    assert list(data_dir.iterdir()) == []
    assert (outside / "keep.txt").read_text() == "not bonafide's"
