"""The persons directory: generations of files, published together with the store's commit.

`<data-dir>/persons/` holds numbered generations (`g000001/`, …), each a complete set written by
one resolve: the person index, the histories and the base rates. `CURRENT` (sealed) names the
generation readers open. A resolve writes a new generation beside the current one, records its
number in the registry store (`person_index_state`) inside the transaction that writes the
links, and only after that commit points `CURRENT` at it and removes the old one. So a resolve
killed at any moment leaves readers on a complete generation that matches the links committed
with it; `reconcile` (run by the next resolve) finishes a publish the kill interrupted and
removes generations that were never committed.
"""

from __future__ import annotations

import io
import logging
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bonafide.errors import StoreError
from bonafide.vault import Vault
from bonafide.vault.sealed import fsync_directory

__all__ = ["PERSONS_DIR", "Generation", "PersonFiles"]

log = logging.getLogger(__name__)
T = TypeVar("T")
_READ_ATTEMPTS = 3
PERSONS_DIR = "persons"
_CURRENT = "CURRENT"
_PREFIX = "g"


@dataclass(frozen=True)
class Generation:
    """One generation's directory; every file in it is read and written through the vault."""

    number: int
    directory: Path
    vault: Vault

    def path(self, name: str) -> Path:
        return self.directory / name

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def _purpose(self, name: str) -> str:
        return f"persons/{name}"

    def write_arrow(self, name: str, table: pa.Table) -> None:
        self.vault.sealer.write_arrow(self.path(name), table, self._purpose(name))

    def write_arrow_batches(
        self, name: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]
    ) -> int:
        return self.vault.sealer.write_arrow_batches(
            self.path(name), schema, batches, self._purpose(name)
        )

    def read_arrow(self, name: str) -> pa.Table:
        return self.vault.sealer.read_arrow(self.path(name), self._purpose(name))

    def write_json(self, name: str, data: object) -> None:
        self.vault.sealer.write_json(self.path(name), data, self._purpose(name))

    def read_json(self, name: str) -> object:
        return self.vault.sealer.read_json(self.path(name), self._purpose(name))

    def write_array(self, name: str, array: npt.NDArray[np.generic]) -> None:
        """A NumPy array (.npy), sealed."""
        with self.vault.sealer.writer(self.path(name), self._purpose(name)) as sink:
            np.save(sink, array)

    def read_array(self, name: str) -> npt.NDArray[np.generic]:
        """The array, decrypted into memory; its data is the decrypted buffer, not a copy."""
        data = self.vault.sealer.read(self.path(name), self._purpose(name))
        header = io.BytesIO(bytes(data[:4096]))
        version = np.lib.format.read_magic(header)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        shape, fortran, dtype = read_header(header)
        if fortran:
            raise StoreError(f"{self.path(name)}: not an array bonafide wrote")
        count = int(np.prod(shape)) if shape else 1
        array: npt.NDArray[np.generic] = np.frombuffer(
            data, dtype=dtype, count=count, offset=header.tell()
        ).reshape(shape)
        return array


class PersonFiles:
    """The generations of one data directory."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.root = vault.data_dir / PERSONS_DIR

    def _generation(self, number: int) -> Generation:
        return Generation(number, self.root / f"{_PREFIX}{number:06d}", self.vault)

    def _numbers(self) -> list[int]:
        if not self.root.is_dir():
            return []
        return sorted(
            int(p.name[1:])
            for p in self.root.iterdir()
            if p.is_dir() and p.name.startswith(_PREFIX) and p.name[1:].isdigit()
        )

    def current(self) -> Generation | None:
        """The published generation, None if there is none yet."""
        path = self.root / _CURRENT
        for _ in range(_READ_ATTEMPTS):
            if not path.is_file():
                return None
            data = self.vault.sealer.read_json(path, "persons/CURRENT")
            generation = self._generation(int(data["generation"]))
            if generation.directory.is_dir():
                return generation
            # removed by a publish between reading CURRENT and now: CURRENT names the new one
        raise StoreError(
            f"the person index generation {generation.number} named by {path} is missing",
            hint="resolve again: bonafide registry resolve --rebuild",
        )

    def read_current(self, read: Callable[[Generation], T]) -> T:
        """`read` applied to the published generation. A resolve publishing meanwhile removes
        the generation being read; its files then vanish mid-read, and the new one is read."""
        for _ in range(_READ_ATTEMPTS):
            generation = self.current()
            if generation is None:
                raise StoreError(
                    f"there is no person index in {self.vault.data_dir}",
                    hint="import the identity registry and run: bonafide registry resolve",
                )
            try:
                return read(generation)
            except FileNotFoundError:
                latest = self.current()
                if latest is not None and latest.number == generation.number:
                    raise  # not a publish: a file of the published generation is missing
                log.info("persons generation=%d replaced while read", generation.number)
        raise StoreError(
            f"the person index in {self.vault.data_dir} kept changing while it was read",
            hint="wait for the running bonafide registry resolve to finish, then try again",
        )

    def start(self) -> Generation:
        """A new, empty generation after every existing one."""
        numbers = self._numbers()
        generation = self._generation((numbers[-1] if numbers else 0) + 1)
        generation.directory.mkdir(parents=True, mode=0o700)
        return generation

    def publish(self, generation: Generation) -> None:
        """Point readers at `generation` and remove every other one. Call only once the store
        has committed it."""
        self.vault.sealer.write_json(
            self.root / _CURRENT, {"generation": generation.number}, "persons/CURRENT"
        )
        fsync_directory(self.root)
        for number in self._numbers():
            if number != generation.number:
                shutil.rmtree(self._generation(number).directory, ignore_errors=True)

    def reconcile(self, committed: int) -> None:
        """Make the files agree with the store, whose last committed generation is
        `committed` (0: none): finish a publish a kill interrupted, drop generations never
        committed. Files of no committed generation match nothing in the store: they all go,
        and the next resolve starts afresh."""
        if committed in self._numbers():
            path = self.root / _CURRENT
            published = (
                int(self.vault.sealer.read_json(path, "persons/CURRENT")["generation"])
                if path.is_file()
                else None
            )
            if published != committed:
                log.info("persons reconcile published=%d", committed)
            self.publish(self._generation(committed))  # also drops every other generation
            return
        if self.root.is_dir() and any(self.root.iterdir()):
            log.info("persons reconcile cleared committed=%d", committed)
            (self.root / _CURRENT).unlink(missing_ok=True)
            for number in self._numbers():
                shutil.rmtree(self._generation(number).directory, ignore_errors=True)
