"""Backups: the data directory as one encrypted archive, and back.

An archive is a plain header — a magic line, then (length-prefixed JSON) a copy of the vault's key
slots and, when the archive has a passphrase of its own, key slots wrapping the archive's key —
followed by a sealed stream (`sealed.py`) of a tar of the data directory. Its key is either
random and wrapped by the archive's own passphrase (Argon2id), or derived from the vault's data
key, so that any of the vault's passphrases or key files opens it. The files inside are the
vault's files, still encrypted as they were: restoring gives back the same vault, opened by the
same key slots.

Take a backup when no other bonafide command is running: a store being written while it is read
would be copied half-written (the restore would then fail to open it, not trust it).
"""

from __future__ import annotations

import json
import os
import struct
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from bonafide.errors import InputError, VaultError
from bonafide.vault.crypto import KdfParams, derive, random_key
from bonafide.vault.keyslots import SLOTS_FILE, KeySlots, Passphrase, Secret
from bonafide.vault.sealed import PARTIAL_MARK, Sealer
from bonafide.vault.vault import SCRATCH_DIR, Vault, holds_data

__all__ = ["BackupReport", "read_backup", "write_backup"]

_MAGIC = b"bonafide-backup1\n"
_LENGTH = struct.Struct(">I")
_PURPOSE = "backup archive"


@dataclass(frozen=True)
class BackupReport:
    files: int
    bytes: int


def _members(data_dir: Path) -> list[Path]:
    found = []
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if relative.parts[0] == SCRATCH_DIR or PARTIAL_MARK in path.name:
            continue
        if path.is_file():
            found.append(relative)
    return found


def write_backup(
    vault: Vault, archive: Path, passphrase: Passphrase | None, kdf: KdfParams | None = None
) -> BackupReport:
    """Write `vault`'s data directory to `archive`; with `passphrase`, the archive is opened by
    it, else by the vault's own key slots."""
    if archive.exists():
        raise InputError(f"{archive} exists already", hint="give the path of a new file")
    header: dict[str, Any] = {"vault_keys": vault.slots().to_json(), "backup_slots": None}
    if passphrase is not None:
        key = random_key()
        slots, _ = KeySlots.new().with_slot(passphrase, key, kdf)
        header["backup_slots"] = slots.to_json()
    else:
        key = vault.key(_PURPOSE)
    encoded = json.dumps(header).encode("utf-8")
    files = _members(vault.data_dir)
    size = 0
    with (
        Sealer(key).writer(
            archive, _PURPOSE, _MAGIC + _LENGTH.pack(len(encoded)) + encoded
        ) as sink,
        tarfile.open(fileobj=cast(IO[bytes], sink), mode="w|") as tar,
    ):
        for relative in files:
            tar.add(vault.data_dir / relative, arcname=str(relative), recursive=False)
            size += (vault.data_dir / relative).stat().st_size
    return BackupReport(len(files), size)


def _header(archive: Path) -> tuple[dict[str, Any], int]:
    try:
        with archive.open("rb") as handle:
            if handle.read(len(_MAGIC)) != _MAGIC:
                raise InputError(
                    f"{archive} is not a bonafide backup",
                    hint="give a file made by bonafide vault backup",
                )
            (length,) = _LENGTH.unpack(handle.read(_LENGTH.size))
            header = json.loads(handle.read(length))
    except OSError as error:
        raise InputError(
            f"cannot read {archive}: {error.strerror}", hint="check the path"
        ) from None
    except (struct.error, json.JSONDecodeError, UnicodeDecodeError):
        raise InputError(
            f"{archive}: the backup's header is damaged", hint="use another copy of the backup"
        ) from None
    return header, len(_MAGIC) + _LENGTH.size + length


def _slots_of(data: dict[str, Any]) -> KeySlots:
    from bonafide.vault.keyslots import KeySlot

    return KeySlots(str(data["vault"]), tuple(KeySlot.from_json(s) for s in data["slots"]))


def read_backup(archive: Path, secret: Secret, data_dir: Path) -> BackupReport:
    """Restore `archive` into `data_dir` (new or empty), opened by the archive's passphrase or
    by a secret of the vault it was taken from."""
    if holds_data(data_dir) or (data_dir / SLOTS_FILE).exists():
        raise InputError(f"{data_dir} is not empty", hint="restore into a new or empty --data-dir")
    header, offset = _header(archive)
    if header.get("backup_slots"):
        opened = _slots_of(header["backup_slots"]).open(secret)
        key = None if opened is None else opened.data_key
    else:
        opened = _slots_of(header["vault_keys"]).open(secret)
        key = (
            None if opened is None or opened.data_key is None else derive(opened.data_key, _PURPOSE)
        )
    if key is None:
        raise VaultError(
            f"the passphrase or key file does not open the backup {archive}",
            hint="give the backup's own passphrase, or one of the vault's if it has none",
        )
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    files, size = 0, 0
    with (
        Sealer(key).stream(archive, _PURPOSE, offset) as source,
        tarfile.open(fileobj=source, mode="r|") as tar,
    ):
        for member in tar:
            tar.extract(member, data_dir, filter="data")
            files += 1
            size += member.size
    os.chmod(data_dir, 0o700)
    return BackupReport(files, size)
