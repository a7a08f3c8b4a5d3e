"""The vault's own settings, sealed in `<data-dir>/settings.json`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from bonafide.vault.vault import Vault

__all__ = ["SETTINGS_FILE", "VaultSettings"]

SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class VaultSettings:
    # days after verification when a dossier is reduced to code, verdict and decision; None: off
    retention_days: int | None = None

    def with_retention(self, days: int | None) -> VaultSettings:
        return replace(self, retention_days=days)

    def save(self, vault: Vault) -> None:
        vault.sealer.write_json(vault.store_file(SETTINGS_FILE), asdict(self), SETTINGS_FILE)
        vault.store_made(SETTINGS_FILE)

    @classmethod
    def load(cls, vault: Vault) -> VaultSettings:
        """The settings; the defaults if none were ever saved (a deleted file is refused:
        deleting it must not turn retention off unnoticed)."""
        path = vault.store_file(SETTINGS_FILE)
        if not path.is_file():
            return cls()
        data = vault.sealer.read_json(path, SETTINGS_FILE)
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
