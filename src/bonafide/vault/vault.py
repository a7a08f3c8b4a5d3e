"""The vault: the one door to a data directory.

`Vault.unlock(data_dir, secret)` opens the data key from a key slot (`keyslots.py`); every other
package reads and writes the data directory through what an open vault hands out — subkeys per
purpose (`key`), sealed files (`sealer`), the registry store's key (`duckdb_key`) and a scratch
directory for the process (`scratch_dir`, whose spill files are encrypted too). Without a vault
nothing can be read, so nothing can be read by accident.

A wrong passphrase changes nothing. A duress passphrase wipes the vault and then answers exactly
as a wrong one does. A data directory whose key slots are gone never becomes a new, empty vault:
`create` refuses a directory that holds data, `unlock` says the slots are missing.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

from bonafide.errors import VaultError
from bonafide.vault.crypto import KdfParams, UndecryptableError, derive, random_key
from bonafide.vault.keyslots import SLOTS_FILE, KeySlots, Opened, Secret, wipe_slots
from bonafide.vault.sealed import Sealer, process_alive, remove_partials

__all__ = ["SCRATCH_DIR", "STATE_FILE", "Vault", "WipeReport", "holds_data", "wipe"]

log = logging.getLogger(__name__)
SCRATCH_DIR = "tmp"
# sealed: which stores the vault holds, so that one deleted is missed, never made anew
STATE_FILE = "vault.state"
_WRONG = "the passphrase or key file does not open the vault in {data_dir}"
_WRONG_HINT = "check it and try again; nothing was changed"


def holds_data(data_dir: Path) -> bool:
    """Whether `data_dir` holds anything besides the key slots (and empty scratch space)."""
    if not data_dir.is_dir():
        return False
    return any(p.name not in (SLOTS_FILE, SCRATCH_DIR) for p in data_dir.iterdir())


class Vault:
    """An unlocked data directory. Holds the data key in memory only."""

    def __init__(self, data_dir: Path, data_key: bytes | None, slot_id: str | None) -> None:
        self.data_dir = data_dir
        self._data_key = data_key
        self.slot_id = slot_id  # the slot that opened it: who, in the audit log
        self._scratch: Path | None = None
        self._closed = False

    # --- opening ----------------------------------------------------------------------------

    @staticmethod
    def exists(data_dir: Path) -> bool:
        return (data_dir / SLOTS_FILE).is_file()

    @classmethod
    def create(cls, data_dir: Path, secret: Secret, kdf: KdfParams | None = None) -> Vault:
        """A new vault with one slot opened by `secret`."""
        if cls.exists(data_dir):
            raise VaultError(
                f"{data_dir} already holds a vault",
                hint="unlock it, or add a slot: bonafide vault add-passphrase",
            )
        if holds_data(data_dir):
            raise VaultError(
                f"{data_dir} holds data but no key slots: it is not a new directory",
                hint="give an empty or new --data-dir; bonafide never makes a new vault over "
                "data it could not decrypt",
            )
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise VaultError(
                f"cannot create the data directory {data_dir}: {error.strerror}",
                hint="choose a writable --data-dir",
            ) from None
        data_dir.chmod(0o700)
        data_key = random_key()
        slots, slot_id = KeySlots.new().with_slot(secret, data_key, kdf)
        slots.save(data_dir)
        vault = cls(data_dir, data_key, slot_id)
        vault._save_state({"stores": []})
        from bonafide.vault.audit import AuditAction, AuditLog  # the log refers to the vault

        log = AuditLog(vault)  # the log begins with the vault: an empty one was emptied
        log.record(AuditAction.VAULT_CREATED)
        log.close()
        return vault

    @classmethod
    def unlock(cls, data_dir: Path, secret: Secret) -> Vault:
        """The vault of `data_dir`, opened by `secret`."""
        slots = cls._slots(data_dir)
        opened = cls._open_slots(data_dir, secret, slots)
        if opened.duress:
            _destroy(data_dir)
            _decoy(data_dir, slots)
            log.info("vault unlock refused")  # the same line as a wrong passphrase
            raise VaultError(_WRONG.format(data_dir=data_dir), hint=_WRONG_HINT)
        vault = cls(data_dir, opened.data_key, opened.slot_id)
        vault._load_state()
        vault.sweep()
        return vault

    @classmethod
    def without_encryption(cls, data_dir: Path) -> Vault:
        """A data directory kept in plain text: for the benchmarks that measure what the vault
        costs, never reachable from a command."""
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(data_dir, None, None)

    @staticmethod
    def _slots(data_dir: Path) -> KeySlots:
        try:
            return KeySlots.load(data_dir)
        except FileNotFoundError:
            if holds_data(data_dir):
                raise VaultError(
                    f"the key slots file {data_dir / SLOTS_FILE} is missing: the data in "
                    f"{data_dir} cannot be decrypted",
                    hint="restore the data directory from a backup; if the vault was wiped, "
                    "its data is gone for good",
                ) from None
            raise VaultError(
                f"there is no vault in {data_dir}",
                hint=f"create one: bonafide vault init --data-dir {data_dir}",
            ) from None

    @classmethod
    def _open_slots(cls, data_dir: Path, secret: Secret, slots: KeySlots) -> Opened:
        opened = slots.open(secret)
        if opened is None:
            log.info("vault unlock refused")
            raise VaultError(_WRONG.format(data_dir=data_dir), hint=_WRONG_HINT)
        return opened

    # --- what an open vault hands out -----------------------------------------------------

    @property
    def encrypted(self) -> bool:
        return self._data_key is not None

    def _check_open(self) -> None:
        if self._closed:
            raise VaultError(
                f"the vault of {self.data_dir} was closed",
                hint="this is a bug in bonafide: a closed vault was used; please report it",
            )

    def key(self, purpose: str) -> bytes:
        """The subkey for `purpose` (a fixed string naming one use)."""
        self._check_open()
        if self._data_key is None:
            return derive(b"\x00" * 32, purpose)  # plain benchmark directories only
        return derive(self._data_key, purpose)

    @property
    def sealer(self) -> Sealer:
        self._check_open()
        return Sealer(self.key("files") if self.encrypted else None)

    def duckdb_key(self) -> str | None:
        """The registry store's encryption key, as DuckDB takes it; None when plain."""
        self._check_open()
        if not self.encrypted:
            return None
        return base64.b64encode(self.key("registry store")).decode("ascii")

    @property
    def scratch_dir(self) -> Path:
        """This process's directory for temporary and spill files, inside the data directory;
        removed when the process ends normally, by the next sweep otherwise."""
        self._check_open()
        if self._scratch is None:
            scratch = self.data_dir / SCRATCH_DIR / f"p{os.getpid()}-{os.urandom(3).hex()}"
            scratch.mkdir(parents=True, mode=0o700)
            self._scratch = scratch
        return self._scratch

    # --- which stores exist -----------------------------------------------------------------

    def _save_state(self, state: dict[str, list[str]]) -> None:
        self.sealer.write_json(self.data_dir / STATE_FILE, state, STATE_FILE)

    def _load_state(self) -> dict[str, list[str]]:
        path = self.data_dir / STATE_FILE
        if not self.encrypted and not path.exists():
            return {"stores": []}
        try:
            state: dict[str, list[str]] = self.sealer.read_json(path, STATE_FILE)
        except FileNotFoundError:
            raise VaultError(
                f"{path} is missing: the data directory was changed outside bonafide",
                hint="restore the data directory from a backup (bonafide vault restore)",
            ) from None
        except (UndecryptableError, ValueError):
            raise VaultError(
                f"{path} is damaged: the data directory was changed outside bonafide",
                hint="restore the data directory from a backup (bonafide vault restore)",
            ) from None
        return state

    def store_file(self, name: str) -> Path:
        """The path of the store `name` (a file in the data directory), refusing one that the
        vault made before and that is now missing: a deleted audit log or case store must be
        noticed, not silently begun anew. Call `store_made` once the store exists."""
        path = self.data_dir / name
        if name in self._load_state()["stores"] and not path.exists():
            raise VaultError(
                f"{path} is missing: it was deleted outside bonafide",
                hint="restore the data directory from a backup (bonafide vault restore); "
                "bonafide does not begin it anew",
            )
        return path

    def store_made(self, name: str) -> None:
        """Record that the store `name` exists (from now on, its loss is noticed)."""
        state = self._load_state()
        if name not in state["stores"]:
            state["stores"] = sorted({*state["stores"], name})
            self._save_state(state)

    # --- key slots --------------------------------------------------------------------------

    def slots(self) -> KeySlots:
        return self._slots(self.data_dir)

    def add_slot(self, secret: Secret, kdf: KdfParams | None = None, duress: bool = False) -> str:
        """A new slot opened by `secret` (a duress slot when `duress`); its id."""
        self._check_open()
        if self._data_key is None:
            raise VaultError("a plain data directory has no key slots")
        slots = self.slots()
        if slots.open(secret) is not None:
            raise VaultError(
                "that passphrase or key file already opens a slot of this vault",
                hint="choose another one",
            )
        slots, slot_id = slots.with_slot(secret, None if duress else self._data_key, kdf)
        slots.save(self.data_dir)
        return slot_id

    def remove_slot(self, slot_id: str) -> None:
        """Remove a slot. The slot this vault was opened with stays, so some slot always opens
        the data (a duress slot cannot be told from others, so counting slots would not do)."""
        if slot_id == self.slot_id:
            raise VaultError(
                f"key slot {slot_id} is the one this command was unlocked with",
                hint="unlock with another passphrase or key file to remove this one",
            )
        self.slots().without_slot(slot_id).save(self.data_dir)

    def change_secret(self, old: Secret, new: Secret, kdf: KdfParams | None = None) -> str:
        """Rewrap the data key for `new` in place of the slot `old` opens; nothing else is
        re-encrypted. Returns the new slot's id."""
        self._check_open()
        slots = self.slots()
        opened = slots.open(old)
        if opened is None or opened.duress:
            raise VaultError(_WRONG.format(data_dir=self.data_dir), hint=_WRONG_HINT)
        if slots.open(new) is not None:
            raise VaultError(
                "the new passphrase already opens a slot of this vault",
                hint="choose another one",
            )
        slots, slot_id = slots.without_slot(opened.slot_id).with_slot(new, self._data_key, kdf)
        slots.save(self.data_dir)
        if opened.slot_id == self.slot_id:
            self.slot_id = slot_id
        return slot_id

    # --- housekeeping -----------------------------------------------------------------------

    def sweep(self) -> int:
        """Remove what killed runs left: partial files and scratch directories of processes
        that are gone. Returns how many were removed."""
        removed = remove_partials(self.data_dir)
        scratch = self.data_dir / SCRATCH_DIR
        if scratch.is_dir():
            for path in scratch.iterdir():
                pid = path.name[1:].split("-", 1)[0]
                if path.name.startswith("p") and pid.isdigit() and process_alive(int(pid)):
                    continue
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed += 1
        if removed:
            log.info("vault sweep removed=%d", removed)
        return removed

    def close(self) -> None:
        """Remove this process's scratch directory and forget the key; a closed vault refuses
        every further use."""
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
        self._data_key = None
        self._closed = True


def _decoy(data_dir: Path, slots: KeySlots) -> None:
    """After a duress wipe: key slots that nothing opens, looking like the ones destroyed (the
    vault's id, each slot's id, kind and cost kept; salts and wrapped keys random), so that
    every later attempt answers as a wrong passphrase does and `vault status` shows no change."""
    decoys = tuple(
        replace(slot, salt=os.urandom(len(slot.salt)), wrapped=os.urandom(len(slot.wrapped)))
        for slot in slots.slots
    )
    replace(slots, slots=decoys).save(data_dir)


@dataclass(frozen=True)
class WipeReport:
    keys_destroyed: bool
    seconds_to_keys: float  # until no key slot is left: the data is undecryptable from here
    seconds_total: float


def wipe(data_dir: Path) -> WipeReport:
    """Destroy the key slots (the data can never be decrypted again), then remove the rest.
    Refuses a directory that is not a vault's: a mistyped --data-dir must not empty it."""
    if (
        data_dir.is_dir()
        and any(data_dir.iterdir())
        and not ((data_dir / SLOTS_FILE).exists() or (data_dir / STATE_FILE).exists())
    ):
        raise VaultError(
            f"{data_dir} is not a bonafide data directory (it has neither {SLOTS_FILE} nor "
            f"{STATE_FILE}): nothing was wiped",
            hint="check --data-dir and $BONAFIDE_DATA",
        )
    report = _destroy(data_dir)
    log.info("vault wiped")
    return report


def _destroy(data_dir: Path) -> WipeReport:
    started = time.perf_counter()
    destroyed = wipe_slots(data_dir)
    keys_done = time.perf_counter() - started
    if data_dir.is_dir():
        for path in data_dir.iterdir():
            with contextlib.suppress(OSError):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink()
    return WipeReport(destroyed, keys_done, time.perf_counter() - started)
