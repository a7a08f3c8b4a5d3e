"""Validation of dossiers against the published JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
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


@cache
def _fast_check() -> Callable[[object], object]:
    """The schema compiled to Python by fastjsonschema (about ten times faster than
    jsonschema, which matters at hundreds of dossiers a second). It knows draft-07, which
    every keyword the schema uses belongs to."""
    schema = dict(dossier_schema(), **{"$schema": "http://json-schema.org/draft-07/schema#"})
    check: Callable[[object], object] = fastjsonschema.compile(schema)
    return check


def dossier_problems(dossier: object) -> list[str]:
    """Every way `dossier` breaks the schema, each naming the field: empty when it is valid."""
    try:
        _fast_check()(dossier)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # list every problem, with jsonschema's fuller messages
    problems = []
    for error in sorted(_validator().iter_errors(dossier), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{where}: {error.message[:200]}")
    return problems
