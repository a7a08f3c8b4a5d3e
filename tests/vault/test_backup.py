"""Backups: one encrypted archive of the data directory, restored whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bonafide.cases import CaseStore
from bonafide.errors import InputError, VaultError
from bonafide.vault import Passphrase, Vault
from bonafide.vault.audit import AuditLog
from bonafide.vault.backup import read_backup, write_backup
from tests.vaults import TEST_KDF, TEST_PASSPHRASE, vault_for

CODE = "BF-BACKUP-1"
OWN = Passphrase("the archive's own passphrase")


def _kept(vault: Vault) -> None:
    cases = CaseStore.open(vault)
    cases.keep(CODE, {"verdict": "consistent", "identity": {"surname": "Кавалёў"}})
    cases.close()


@pytest.mark.parametrize("own", [None, OWN], ids=["the vault's slots", "its own passphrase"])
def test_a_backup_restores_the_same_vault(
    vault: Vault, tmp_path: Path, own: Passphrase | None
) -> None:
    _kept(vault)
    archive = tmp_path / "backup.bfb"
    report = write_backup(vault, archive, own, TEST_KDF)
    assert report.files >= 4
    content = archive.read_bytes()
    assert "Кавалёў".encode() not in content
    assert CODE.encode() not in content
    restored = tmp_path / "restored"
    read_backup(archive, own or Passphrase(TEST_PASSPHRASE), restored)
    again = vault_for(restored)  # the vault's own passphrase opens the restored vault
    cases = CaseStore.open(again)
    kept = cases.get(CODE)
    cases.close()
    assert kept is not None
    assert kept.report == {"verdict": "consistent", "identity": {"surname": "Кавалёў"}}
    log = AuditLog(again)
    assert log.verify().intact
    log.close()


def test_a_wrong_secret_restores_nothing(vault: Vault, tmp_path: Path) -> None:
    archive = tmp_path / "backup.bfb"
    write_backup(vault, archive, OWN, TEST_KDF)
    with pytest.raises(VaultError, match="does not open the backup"):
        read_backup(archive, Passphrase(TEST_PASSPHRASE), tmp_path / "restored")
    assert not (tmp_path / "restored").exists()


@pytest.mark.parametrize("damage", ["cut short", "a byte flipped"])
def test_a_damaged_archive_restores_nothing(vault: Vault, tmp_path: Path, damage: str) -> None:
    _kept(vault)
    (vault.data_dir / "padding").write_bytes(os.urandom(3 << 20))  # several sealed chunks
    archive = tmp_path / "backup.bfb"
    write_backup(vault, archive, None)
    data = bytearray(archive.read_bytes())
    if damage == "cut short":
        del data[len(data) // 2 :]
    else:
        data[len(data) // 2] ^= 1
    archive.write_bytes(bytes(data))
    with pytest.raises(InputError, match="is damaged or cut short: nothing was restored"):
        read_backup(archive, Passphrase(TEST_PASSPHRASE), tmp_path / "restored")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.bfb", "data"]


def test_restore_refuses_a_directory_holding_data(vault: Vault, tmp_path: Path) -> None:
    archive = tmp_path / "backup.bfb"
    write_backup(vault, archive, None)
    with pytest.raises(InputError, match="is not empty"):
        read_backup(archive, Passphrase(TEST_PASSPHRASE), vault.data_dir)


def test_a_backup_never_overwrites_a_file(vault: Vault, tmp_path: Path) -> None:
    archive = tmp_path / "backup.bfb"
    archive.write_bytes(b"something else")
    with pytest.raises(InputError, match="exists already"):
        write_backup(vault, archive, None)
    assert archive.read_bytes() == b"something else"
