"""Claim verification: a dossier against the resolved registries (docs/verification.md)."""

from bonafide.verify.verifier import DossierReport, Verifier

__all__ = ["DossierReport", "Verifier"]
