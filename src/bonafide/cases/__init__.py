"""Cases: what bonafide keeps about the applicants it verified (`store.py`), sealed in the vault."""

from bonafide.cases.store import CASES_FILE, CaseStore, KeptDossier

__all__ = ["CASES_FILE", "CaseStore", "KeptDossier"]
