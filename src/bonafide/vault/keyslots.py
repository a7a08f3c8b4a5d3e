"""Key slots: the vault's one data key, wrapped once per way of opening it.

`<data-dir>/vault.keys` (JSON) holds the vault's id and its slots. Each slot wraps the data key
with AES-256-GCM under a key-encryption key: Argon2id of an operator's passphrase (with the
slot's own salt and cost), or HKDF of a key file's 32 random bytes (kept on removable media).
Nothing in the file is secret without a passphrase or key file; the passphrase, the key file's
bytes and the data key are never written anywhere.

What a slot opens is itself sealed, so every slot looks alike: a duress slot opens a marker
instead of the data key, and nobody reading the file can tell it from the others.

Changing a passphrase rewraps the same data key: nothing else is re-encrypted. Destroying this
file (`wipe_slots`) makes every other file of the data directory undecryptable.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from bonafide.errors import VaultError
from bonafide.vault.crypto import (
    KEY_BYTES,
    SALT_BYTES,
    KdfParams,
    UndecryptableError,
    derive,
    random_key,
    seal,
    stretch,
    unseal,
)
from bonafide.vault.sealed import fsync_directory, partial_path

__all__ = [
    "SLOTS_FILE",
    "KeyFile",
    "KeySlot",
    "KeySlots",
    "Opened",
    "Passphrase",
    "Secret",
    "SlotKind",
    "wipe_slots",
]

SLOTS_FILE = "vault.keys"
_FORMAT = "bonafide-vault-keys"
_VERSION = 1
_DATA_KEY = b"\x01"
_DURESS = b"\x02"


class SlotKind(StrEnum):
    PASSPHRASE = "passphrase"
    KEY_FILE = "key-file"


@dataclass(frozen=True)
class Passphrase:
    text: str

    def __repr__(self) -> str:  # never in a traceback or a log
        return "Passphrase(…)"


@dataclass(frozen=True)
class KeyFile:
    path: Path


Secret = Passphrase | KeyFile


@dataclass(frozen=True)
class KeySlot:
    slot_id: str
    kind: SlotKind
    salt: bytes
    wrapped: bytes
    kdf: KdfParams | None  # None for a key file

    def to_json(self) -> dict[str, Any]:
        return {
            "slot": self.slot_id,
            "kind": self.kind.value,
            "salt": _b64(self.salt),
            "wrapped": _b64(self.wrapped),
            "kdf": None if self.kdf is None else {"argon2id": self.kdf.to_json()},
        }

    @classmethod
    def from_json(cls, data: object) -> KeySlot:
        """A slot from its JSON form; ValueError if it is not one."""
        if not isinstance(data, dict):
            raise ValueError("a key slot is not an object")
        kdf = data.get("kdf")
        salt = base64.b64decode(data["salt"], validate=True)
        if len(salt) != SALT_BYTES:
            raise ValueError("a key slot's salt has the wrong length")
        params = None
        if kdf is not None:
            if not isinstance(kdf, dict) or not isinstance(kdf.get("argon2id"), dict):
                raise ValueError("a key slot's cost is not an object")
            params = KdfParams(**{k: int(v) for k, v in kdf["argon2id"].items()})
            if params.time_cost < 1 or params.memory_kib < 8 * params.parallelism:
                raise ValueError("a key slot's cost is out of range")
            if not (1 <= params.parallelism <= 64 and params.time_cost <= 64):
                raise ValueError("a key slot's cost is out of range")
            if params.memory_kib > 16 * 1024 * 1024:  # 16 GiB: more is a tampered file
                raise ValueError("a key slot's cost is out of range")
        return cls(
            slot_id=str(data["slot"]),
            kind=SlotKind(data["kind"]),
            salt=salt,
            wrapped=base64.b64decode(data["wrapped"], validate=True),
            kdf=params,
        )


@dataclass(frozen=True)
class Opened:
    """What a secret opened: the data key, or (a duress slot) nothing to give away."""

    data_key: bytes | None = field(repr=False)
    slot_id: str

    @property
    def duress(self) -> bool:
        return self.data_key is None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _key_file_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise VaultError(
            f"cannot read the key file {path}: {error.strerror}",
            hint="insert the medium that holds it, or unlock with a passphrase",
        ) from None
    if len(data) != KEY_BYTES:
        raise VaultError(
            f"{path} is not a bonafide key file (it holds {len(data)} bytes, a key file "
            f"{KEY_BYTES})",
            hint="give the key file made by `bonafide vault add-key-file`",
        )
    return data


def _wrapping_key(secret: Secret, kind: SlotKind, salt: bytes, kdf: KdfParams | None) -> bytes:
    if isinstance(secret, Passphrase):
        if kind is not SlotKind.PASSPHRASE or kdf is None:
            raise UndecryptableError
        return stretch(secret.text.encode("utf-8"), salt, kdf)
    if kind is not SlotKind.KEY_FILE:
        raise UndecryptableError
    return derive(_key_file_bytes(secret.path), "key file slot", salt)


@dataclass(frozen=True)
class KeySlots:
    vault_id: str
    slots: tuple[KeySlot, ...]

    # --- making slots ---------------------------------------------------------------------

    @classmethod
    def new(cls) -> KeySlots:
        return cls(os.urandom(8).hex(), ())

    def _aad(self, slot_id: str) -> bytes:
        return f"{_FORMAT}:{self.vault_id}:{slot_id}".encode()

    def with_slot(
        self, secret: Secret, data_key: bytes | None, kdf: KdfParams | None = None
    ) -> tuple[KeySlots, str]:
        """A copy with one more slot opened by `secret`, wrapping `data_key` (None: a duress
        slot); returns it and the new slot's id."""
        kind = SlotKind.PASSPHRASE if isinstance(secret, Passphrase) else SlotKind.KEY_FILE
        params = (kdf or KdfParams()) if kind is SlotKind.PASSPHRASE else None
        salt = os.urandom(SALT_BYTES)
        slot_id = os.urandom(4).hex()
        payload = _DATA_KEY + data_key if data_key is not None else _DURESS + random_key()
        wrapped = seal(_wrapping_key(secret, kind, salt, params), payload, self._aad(slot_id))
        slot = KeySlot(slot_id, kind, salt, wrapped, params)
        return replace(self, slots=(*self.slots, slot)), slot_id

    def without_slot(self, slot_id: str) -> KeySlots:
        kept = tuple(s for s in self.slots if s.slot_id != slot_id)
        if len(kept) == len(self.slots):
            raise VaultError(
                f"the vault has no key slot {slot_id!r}",
                hint="list the slots: bonafide vault status",
            )
        return replace(self, slots=kept)

    # --- opening ----------------------------------------------------------------------------

    def open(self, secret: Secret) -> Opened | None:
        """What `secret` opens, trying every slot of its kind; None if it opens none."""
        if isinstance(secret, KeyFile):
            _key_file_bytes(secret.path)  # a file that cannot be a key file is named as such
        for slot in self.slots:
            try:
                key = _wrapping_key(secret, slot.kind, slot.salt, slot.kdf)
                payload = unseal(key, slot.wrapped, self._aad(slot.slot_id))
            except UndecryptableError:
                continue
            if payload[:1] == _DATA_KEY:
                return Opened(payload[1:], slot.slot_id)
            return Opened(None, slot.slot_id)
        return None

    # --- the file ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "version": _VERSION,
            "vault": self.vault_id,
            "slots": [s.to_json() for s in self.slots],
        }

    def save(self, data_dir: Path) -> None:
        """Write the slots file (write, flush, rename: never half-written)."""
        path = data_dir / SLOTS_FILE
        partial = partial_path(path)
        with open(partial, "x", encoding="utf-8") as handle:
            os.chmod(partial, 0o600)
            json.dump(self.to_json(), handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
        fsync_directory(data_dir)

    @classmethod
    def from_json(cls, data: object) -> KeySlots:
        """Key slots from their JSON form (`to_json`); ValueError if it is not one."""
        try:
            if not isinstance(data, dict) or not isinstance(data.get("slots"), list):
                raise ValueError("not a key slots file")
            if data.get("format") != _FORMAT or data.get("version") != _VERSION:
                raise ValueError("not a key slots file of this version")
            return cls(str(data["vault"]), tuple(KeySlot.from_json(s) for s in data["slots"]))
        except (KeyError, TypeError, binascii.Error) as error:
            raise ValueError("not a key slots file") from error

    @classmethod
    def load(cls, data_dir: Path) -> KeySlots:
        path = data_dir / SLOTS_FILE
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise
        except (OSError, ValueError):
            raise VaultError(
                f"the key slots file {path} is damaged: the vault cannot be opened",
                hint="restore the data directory from a backup (bonafide vault restore); "
                "bonafide never starts a new vault over an existing one",
            ) from None


def wipe_slots(data_dir: Path) -> bool:
    """Overwrite the slots file with random bytes, flush it and delete it; False if absent.

    On flash storage an overwrite may land elsewhere; what stays behind are slots wrapped by
    Argon2id of a passphrase, no easier to open than the live file was (docs/security.md)."""
    path = data_dir / SLOTS_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return False
    try:
        size = os.fstat(descriptor).st_size
        os.write(descriptor, os.urandom(max(size, 1)))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    path.unlink()
    fsync_directory(data_dir)
    return True
