"""What the service holds between requests: locked, or the open vault and its stores.

The service starts locked unless it is given a key; an administrator unlocks it with the vault's
passphrase (`POST /vault/unlock`), which is used once and forgotten. Locking closes every store
and drops the keys from the process, the reports channel's too (`compartment.py`). One lock
serialises the stores' use: the case store and the account store are SQLite connections shared
by the request threads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bonafide.accounts import AccountStore
from bonafide.cases.store import CaseStore
from bonafide.vault import Secret, Vault
from bonafide.vault.audit import AuditAction, AuditLog
from bonafide.verify.verifier import Verifier

from .compartment import ReportsCompartment
from .problems import ProblemError

__all__ = ["Opened", "ServerState"]


@dataclass
class Opened:
    """An unlocked vault and the stores the service reads and writes through it."""

    vault: Vault
    accounts: AccountStore
    cases: CaseStore
    audit: AuditLog
    verifier: Verifier | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)

    def record(
        self,
        action: AuditAction,
        actor: str | None,
        dossier: str | None = None,
        detail: dict[str, object] | None = None,
    ) -> None:
        """One audit entry, with the account that acted (None: the service itself)."""
        self.record_many([(action, dossier, dict(detail or {}))], actor)

    def record_many(
        self, entries: list[tuple[AuditAction, str | None, dict[str, Any]]], actor: str | None
    ) -> None:
        with self.lock:
            self.audit.record_many(entries, actor or "service")

    def close(self) -> None:
        with self.lock:
            if self.verifier is not None:
                self.verifier = None  # shares `cases`, closed below
            self.cases.close()
            self.accounts.close()
            self.audit.close()
            self.vault.close()


class ServerState:
    def __init__(self, data_dir: Path, reports_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self.reports = ReportsCompartment(reports_dir)  # the reports channel's own vault
        self._opened: Opened | None = None
        self._lock = threading.Lock()

    @property
    def locked(self) -> bool:
        return self._opened is None

    @property
    def current(self) -> Opened | None:
        """The open stores, or None while locked (for pages that redirect instead)."""
        return self._opened

    def unlock(self, secret: Secret) -> Opened:
        """Open the vault with `secret` (VaultError if it is wrong) and its stores."""
        with self._lock:
            if self._opened is not None:
                # not a second check of a passphrase, which would make the service an oracle
                # for guessing it while it runs
                raise ProblemError(
                    409,
                    "Already unlocked",
                    "the vault is unlocked already",
                    kind="already-unlocked",
                )
            vault = Vault.unlock(self.data_dir, secret)
            try:
                opened = Opened(
                    vault,
                    AccountStore.open(vault),
                    CaseStore.open(vault, shared=True),
                    AuditLog(vault, "service", shared=True),
                )
            except BaseException:
                vault.close()
                raise
            self._opened = opened
            return opened

    def lock(self) -> None:
        """Close every store and drop the keys, the reports channel's too."""
        with self._lock:
            opened, self._opened = self._opened, None
        self.reports.lock()
        if opened is not None:
            opened.close()

    def opened(self) -> Opened:
        """The open stores, or a 503 problem while the vault is locked."""
        opened = self._opened
        if opened is None:
            raise ProblemError(
                503,
                "Vault locked",
                "the service's vault is locked: nothing can be read or written",
                kind="vault-locked",
                hint="an administrator unlocks it: POST /vault/unlock with the vault passphrase",
            )
        return opened

    @contextmanager
    def stores(self) -> Iterator[Opened]:
        """The open stores, held under their lock for the block."""
        opened = self.opened()
        with opened.lock:
            yield opened

    def verifier(self, opened: Opened) -> Verifier:
        """The verifier over the resolved registries, opened on first use."""
        with opened.lock:
            if opened.verifier is None:
                try:
                    opened.verifier = Verifier.open(opened.vault, cases=opened.cases)
                except FileNotFoundError:
                    raise ProblemError(
                        409,
                        "Registries not resolved",
                        "verification needs the registries imported and resolved into persons",
                        kind="registries-not-resolved",
                        hint="an analyst imports the registries; then bonafide registry resolve",
                    ) from None
            return opened.verifier
