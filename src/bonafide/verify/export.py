"""`verify --out`: the reports exported as JSON lines, in plain text, only once complete.

While a cohort runs, its reports go to a spool sealed in the vault's scratch directory: a run
that is killed leaves nothing readable behind, and the next command sweeps the spool away.
At the end the spool is copied, decrypted, to a hidden partial file beside the target, which is
renamed over it: the target is the earlier complete file or the new complete file, never a
part of one. The export itself is plain text by the operator's choice (said on stderr,
audited).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from bonafide.vault import Vault
from bonafide.vault.sealed import SealedWriter, partial_path, remove_stale_partials

__all__ = ["ResultsSpool", "exported", "rejects_path"]

_PURPOSE = "verify results spool"


def rejects_path(out: Path) -> Path:
    """Where a cohort's rejected lines go: `results.jsonl` → `results.rejects.jsonl`."""
    return out.with_name(f"{out.stem if out.suffix else out.name}.rejects.jsonl")


@contextmanager
def exported(target: Path) -> Iterator[BinaryIO]:
    """A plain-text export, readable by its owner only, written beside `target` and renamed
    over it only when complete (a partial file a killed run left is removed by the next export
    to the same place)."""
    remove_stale_partials(target)
    partial = partial_path(target)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            yield file
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


class ResultsSpool:
    """Report lines sealed in the scratch directory until the run is complete."""

    def __init__(self, vault: Vault) -> None:
        self._sealer = vault.sealer
        self._path = vault.scratch_dir / f"results-{os.urandom(4).hex()}.sealed"
        self._writer: SealedWriter | None = self._sealer.writer(self._path, _PURPOSE)
        self.lines = 0

    def write(self, line: bytes) -> None:
        assert self._writer is not None, "the spool is already published"
        self._writer.write(line)
        self.lines += 1

    def publish(self, target: Path) -> None:
        """Copy the reports, decrypted, to `target` (replacing it whole), then drop the spool."""
        assert self._writer is not None, "the spool is already published"
        self._writer.close()
        self._writer = None
        try:
            with exported(target) as file:
                for chunk in self._sealer.chunks(self._path, _PURPOSE):
                    file.write(chunk)
        finally:
            self._path.unlink(missing_ok=True)

    def discard(self) -> None:
        if self._writer is not None:
            self._writer.abort()
            self._writer = None
        self._path.unlink(missing_ok=True)
