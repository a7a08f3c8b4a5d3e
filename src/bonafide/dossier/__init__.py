"""The dossier: what an applicant states. Its JSON Schema is `dossier.schema.json`."""

from bonafide.dossier.schema import NAMES_MISSING, dossier_problems, dossier_schema

__all__ = ["NAMES_MISSING", "dossier_problems", "dossier_schema"]
