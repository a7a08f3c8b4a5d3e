"""The vault's settings: sealed, defaulted, and tolerant of settings a later version adds."""

from __future__ import annotations

from pathlib import Path

import pytest

from bonafide.vault import Vault
from bonafide.vault.settings import SETTINGS_FILE, VaultSettings
from tests.vaults import vault_for


def test_without_a_file_retention_is_off(vault: Vault) -> None:
    assert VaultSettings.load(vault) == VaultSettings(retention_days=None)


@pytest.mark.parametrize("days", [None, 1, 30, 3650])
def test_settings_round_trip(vault: Vault, data_dir: Path, days: int | None) -> None:
    VaultSettings().with_retention(days).save(vault)
    assert VaultSettings.load(vault_for(data_dir)).retention_days == days


def test_settings_are_sealed(vault: Vault, data_dir: Path) -> None:
    VaultSettings(retention_days=4321).save(vault)
    content = (data_dir / SETTINGS_FILE).read_bytes()
    assert b"retention" not in content
    assert b"4321" not in content


def test_unknown_settings_are_ignored(vault: Vault, data_dir: Path) -> None:
    vault.sealer.write_json(
        data_dir / SETTINGS_FILE, {"retention_days": 7, "from_a_later_version": True}, SETTINGS_FILE
    )
    assert VaultSettings.load(vault) == VaultSettings(retention_days=7)


def test_with_retention_returns_a_copy() -> None:
    settings = VaultSettings()
    assert settings.with_retention(30).retention_days == 30
    assert settings.retention_days is None
