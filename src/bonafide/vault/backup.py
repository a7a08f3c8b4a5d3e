"""Backups: the data directory as one encrypted archive, and back.

An archive is a plain header — a magic line, then (length-prefixed JSON) a copy of the vault's key
slots and, when the archive has a passphrase of its own, key slots wrapping the archive's key —
followed by a sealed stream (`sealed.py`) of a tar of the data directory. Its key is either
random and wrapped by the archive's own passphrase (Argon2id), or derived from the vault's data
key, so that any of the vault's passphrases or key files opens it. The files inside are the
vault's files, still encrypted as they were: restoring gives back the same vault, opened by the
same key slots.

`bonafide vault backup` holds the registry store's lock (and checkpoints it) and every SQLite
store's, so nothing is copied half-written: an import or resolve started meanwhile is refused as
"in use", a verification waits.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import struct
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from bonafide.errors import InputError, VaultError
from bonafide.vault.crypto import KdfParams, UndecryptableError, derive, random_key
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
    with _sqlite_held(vault.data_dir):
        return _write_archive(vault, archive, key, _MAGIC + _LENGTH.pack(len(encoded)) + encoded)


@contextmanager
def _sqlite_held(data_dir: Path) -> Iterator[None]:
    """Every SQLite store of the data directory locked (no writer, no reader) while it is
    copied, so that no file is copied in the middle of a transaction."""
    connections = []
    try:
        for path in sorted(data_dir.glob("*.sqlite")):
            connection = sqlite3.connect(path, isolation_level=None, timeout=60)
            connection.execute("BEGIN EXCLUSIVE")
            connections.append(connection)
        yield
    finally:
        for connection in connections:
            connection.execute("ROLLBACK")
            connection.close()


def _write_archive(vault: Vault, archive: Path, key: bytes, header: bytes) -> BackupReport:
    files = _members(vault.data_dir)
    size = 0
    with (
        Sealer(key).writer(archive, _PURPOSE, header) as sink,
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
            if not isinstance(header, dict):
                raise ValueError("not a header")
    except OSError as error:
        raise InputError(
            f"cannot read {archive}: {error.strerror}", hint="check the path"
        ) from None
    except (struct.error, ValueError):
        raise InputError(
            f"{archive}: the backup's header is damaged", hint="use another copy of the backup"
        ) from None
    return header, len(_MAGIC) + _LENGTH.size + length


def _slots_of(archive: Path, data: object) -> KeySlots:
    try:
        return KeySlots.from_json(data)
    except ValueError:
        raise InputError(
            f"{archive}: the backup's header is damaged", hint="use another copy of the backup"
        ) from None


def read_backup(archive: Path, secret: Secret, data_dir: Path) -> BackupReport:
    """Restore `archive` into `data_dir` (new or empty), opened by the archive's passphrase or
    by a secret of the vault it was taken from."""
    if holds_data(data_dir) or (data_dir / SLOTS_FILE).exists():
        raise InputError(f"{data_dir} is not empty", hint="restore into a new or empty --data-dir")
    header, offset = _header(archive)
    if header.get("backup_slots"):
        opened = _slots_of(archive, header["backup_slots"]).open(secret)
        key = None if opened is None else opened.data_key
    else:
        opened = _slots_of(archive, header.get("vault_keys")).open(secret)
        key = (
            None if opened is None or opened.data_key is None else derive(opened.data_key, _PURPOSE)
        )
    if key is None:
        raise VaultError(
            f"the passphrase or key file does not open the backup {archive}",
            hint="give the backup's own passphrase, or one of the vault's if it has none",
        )
    # unpacked beside the target and renamed into place only when whole: a damaged archive
    # leaves no half-restored directory behind
    staging = data_dir.with_name(f".{data_dir.name}.restoring-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True, mode=0o700)
    files, size = 0, 0
    try:
        with (
            Sealer(key).stream(archive, _PURPOSE, offset) as source,
            tarfile.open(fileobj=source, mode="r|") as tar,
        ):
            for member in tar:
                tar.extract(member, staging, filter="data")
                files += 1
                size += member.size
        if not (staging / SLOTS_FILE).is_file():
            raise tarfile.ReadError("no key slots in the archive")
    except (UndecryptableError, tarfile.TarError, EOFError, OSError):
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(
            f"{archive} is damaged or cut short: nothing was restored",
            hint="use another copy of the backup",
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if data_dir.exists():
        data_dir.rmdir()  # empty, checked above
    staging.rename(data_dir)
    return BackupReport(files, size)
