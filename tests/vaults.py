"""Vaults for tests: a fixed passphrase and a cheap Argon2id, so a test unlocks in milliseconds."""

from __future__ import annotations

from pathlib import Path

from bonafide.vault import KdfParams, Passphrase, Vault

TEST_PASSPHRASE = "correct horse battery"
TEST_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)
# `bonafide vault init` options giving TEST_KDF
KDF_OPTIONS = ("--kdf-memory", "8", "--kdf-time", "1")


def vault_for(data_dir: Path) -> Vault:
    """The vault of `data_dir`, created with the test passphrase if there is none."""
    if Vault.exists(data_dir):
        return Vault.unlock(data_dir, Passphrase(TEST_PASSPHRASE))
    return Vault.create(data_dir, Passphrase(TEST_PASSPHRASE), TEST_KDF)
