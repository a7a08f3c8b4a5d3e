"""The public API of bonafide.vault is declared and stays put."""

from __future__ import annotations

import bonafide.vault

PUBLIC = {
    "KdfParams",
    "KeyFile",
    "Passphrase",
    "SealedWriter",
    "Sealer",
    "Secret",
    "Vault",
    "WipeReport",
    "wipe",
}


def test_public_api_is_pinned() -> None:
    assert set(bonafide.vault.__all__) == PUBLIC
    for name in PUBLIC:
        assert hasattr(bonafide.vault, name)
