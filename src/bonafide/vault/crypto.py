"""The primitives the vault is made of, all from `cryptography` and `argon2-cffi`.

- keys are 32 random bytes (`random_key`); every purpose gets its own subkey of the vault's data
  key through HKDF-SHA256 (`derive`), so no two uses ever share a key;
- a passphrase becomes a key-encryption key through Argon2id (`stretch`, parameters in
  `KdfParams`, stored with each key slot);
- small values are sealed with AES-256-GCM under a fresh random nonce (`seal`, `unseal`), bound to
  what they are by associated data;
- values that must be found again without being readable are keyed hashes (`keyed_hash`,
  HMAC-SHA256): meaningless without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "KEY_BYTES",
    "NONCE_BYTES",
    "SALT_BYTES",
    "KdfParams",
    "UndecryptableError",
    "derive",
    "keyed_hash",
    "random_key",
    "seal",
    "stretch",
    "unseal",
]

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16


class UndecryptableError(Exception):
    """Ciphertext that this key cannot open: a wrong key, or bytes changed since sealing."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id's cost: 128 MiB of memory and three passes over it, a fraction of a second on
    the 2-core machines bonafide is measured on (docs/security.md); each unlock pays it once
    per slot it tries."""

    time_cost: int = 3
    memory_kib: int = 128 * 1024
    parallelism: int = 2

    def to_json(self) -> dict[str, int]:
        return {
            "time_cost": self.time_cost,
            "memory_kib": self.memory_kib,
            "parallelism": self.parallelism,
        }


def random_key() -> bytes:
    return os.urandom(KEY_BYTES)


def derive(key: bytes, purpose: str, salt: bytes | None = None) -> bytes:
    """The subkey of `key` for `purpose` (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=SHA256(), length=KEY_BYTES, salt=salt, info=purpose.encode())
    return hkdf.derive(key)


def stretch(passphrase: bytes, salt: bytes, params: KdfParams) -> bytes:
    """A key from a passphrase (Argon2id)."""
    return hash_secret_raw(
        passphrase,
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """nonce ‖ AES-256-GCM(plaintext), bound to `aad`."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError):
        raise UndecryptableError from None


def keyed_hash(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()
