"""Retention: dossiers reduced to code, verdict and decision once their time has passed.

Applied by `bonafide vault retention` and at the start of every verification, so a dossier is
never kept whole much longer than the setting says.
"""

from __future__ import annotations

from bonafide.cases.store import CaseStore
from bonafide.vault import Vault
from bonafide.vault.audit import AuditAction, AuditLog
from bonafide.vault.settings import VaultSettings

__all__ = ["apply_retention"]


def apply_retention(vault: Vault) -> int:
    """Reduce every dossier past the retention time; returns how many were reduced."""
    days = VaultSettings.load(vault).retention_days
    if not days:
        return 0
    cases = CaseStore.open(vault)
    try:
        reduced = cases.reduce_older_than(days)
    finally:
        cases.close()
    if reduced:
        audit = AuditLog(vault)
        try:
            audit.record_many(
                [(AuditAction.DOSSIERS_REDUCED, code, {"days": days}) for code in reduced]
            )
        finally:
            audit.close()
    return len(reduced)
