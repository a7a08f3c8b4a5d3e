"""The reports channel as the service holds it: a compartment of its own.

The reports have their own data directory and vault, with their own passphrase (docs/reports.md):
the dossiers' vault opens nothing of them, and theirs nothing of the dossiers. `bonafide serve
--reports-dir R` names the directory; without a reports secret at the start the channel stays
locked until a reviewer or an administrator unlocks it with the reports' passphrase, used once
and forgotten. Locking the service (the dossiers' vault) locks the channel too.
"""

from __future__ import annotations

import threading
from pathlib import Path

from bonafide.errors import VaultError
from bonafide.reports.channel import Channel
from bonafide.vault import Secret, Vault

from .problems import ProblemError

__all__ = ["ReportsCompartment", "check_reports_dir"]


def check_reports_dir(reports_dir: Path, data_dir: Path) -> None:
    """Refuse a reports directory that is the dossiers' own or holds no vault (VaultError,
    before the service starts)."""
    if reports_dir.resolve() == data_dir.resolve():
        raise VaultError(
            "--reports-dir is the dossiers' data directory: the reports need one of their own",
            hint="make one: bonafide vault init --data-dir REPORTS_DIR (with its own passphrase)",
        )
    if not Vault.exists(reports_dir):
        raise VaultError(
            f"there is no vault in the reports' directory {reports_dir}",
            hint=f"make one: bonafide vault init --data-dir {reports_dir}",
        )


class ReportsCompartment:
    """The reports' directory (None: the service has no reports channel) and, while unlocked,
    its vault and the channel over it."""

    def __init__(self, reports_dir: Path | None) -> None:
        self.reports_dir = reports_dir
        self._open: tuple[Vault, Channel] | None = None
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        return self.reports_dir is not None

    @property
    def locked(self) -> bool:
        return self._open is None

    def unlock(self, secret: Secret) -> Channel:
        """Open the reports' vault with `secret` (VaultError if it is wrong) and the channel."""
        directory = self._directory()
        with self._lock:
            if self._open is not None:
                # as the dossiers' vault: a second check would make the service an oracle
                raise ProblemError(
                    409,
                    "Already unlocked",
                    "the reports channel is unlocked already",
                    kind="reports-already-unlocked",
                )
            vault = Vault.unlock(directory, secret)
            try:
                channel = Channel(vault)
            except BaseException:
                vault.close()
                raise
            self._open = (vault, channel)
            return channel

    def lock(self) -> bool:
        """Close the channel and drop its key; whether it was open."""
        with self._lock:
            opened, self._open = self._open, None
        if opened is None:
            return False
        vault, channel = opened
        try:
            channel.close()
        finally:
            vault.close()
        return True

    def channel(self) -> Channel:
        """The open channel, or the problem to answer: 404 without a reports directory, 503
        while locked."""
        self._directory()
        opened = self._open
        if opened is None:
            raise ProblemError(
                503,
                "Reports locked",
                "the reports channel is locked: no event or report can be read or changed",
                kind="reports-locked",
                hint="a reviewer or an administrator unlocks it with the reports' passphrase: "
                "POST /reports/unlock",
            )
        return opened[1]

    def _directory(self) -> Path:
        if self.reports_dir is None:
            raise ProblemError(
                404,
                "Reports not configured",
                "this service has no reports channel",
                kind="reports-not-configured",
                hint="start it with --reports-dir DIR (the reports' own vault)",
            )
        return self.reports_dir
