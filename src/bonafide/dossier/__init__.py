"""The dossier: what an applicant states. Its JSON Schema is `dossier.schema.json`."""

from bonafide.dossier.schema import dossier_problems, dossier_schema

__all__ = ["dossier_problems", "dossier_schema"]
