"""Validation of dossiers against the published JSON Schema."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

__all__ = ["dossier_problems", "dossier_schema"]


@cache
def dossier_schema() -> dict[str, Any]:
    """The dossier JSON Schema (draft 2020-12) shipped with the package."""
    text = resources.files("bonafide.dossier").joinpath("dossier.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(dossier_schema())


def dossier_problems(dossier: object) -> list[str]:
    """Every way `dossier` breaks the schema, each naming the field: empty when it is valid."""
    problems = []
    for error in sorted(_validator().iter_errors(dossier), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{where}: {error.message[:200]}")
    return problems
