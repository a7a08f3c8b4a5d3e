"""The dossier: what an applicant states. Its JSON Schema is `dossier.schema.json`."""

from bonafide.dossier.schema import dossier_schema, dossier_problems

__all__ = ["dossier_problems", "dossier_schema"]
