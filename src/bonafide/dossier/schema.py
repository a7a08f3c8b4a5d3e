"""Validation of dossiers against the published JSON Schema."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, ValidationError

__all__ = ["NAMES_MISSING", "dossier_problems", "dossier_schema"]

# what `dossier_problems` says of an identity with neither a surname and a given name nor a
# full name (the desk checks a draft's other fields before its names are typed)
NAMES_MISSING = "a surname and a given name, or a full name, are needed"


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
def _fast_check() -> Callable[[object], bool]:
    """Whether a dossier is valid, by jsonschema-rs (compiled Rust: 5 µs a dossier where
    fastjsonschema's generated Python took 140, and jsonschema ten times that; a batch of
    dossiers is verified at hundreds a second). Formats are checked, as the slow path's
    parse of the dossier does."""
    check: Callable[[object], bool] = jsonschema_rs.validator_for(
        dossier_schema(), validate_formats=True
    ).is_valid
    return check


def dossier_problems(dossier: object) -> list[str]:
    """Every way `dossier` breaks the schema, each naming the field and saying in plain words
    what is wrong, never repeating the value: empty when it is valid."""
    if _fast_check()(dossier):
        return []
    # list every problem, from jsonschema's errors
    problems = []
    for error in sorted(_validator().iter_errors(dossier), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{where}: {_in_words(error)}")
    return list(dict.fromkeys(problems))  # one missing field is one error per field missing


_TYPES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "object": "an object ({…})",
    "array": "a list ([…])",
    "boolean": "true or false",
    "null": "null",
}
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")  # a key shown back: a field name, not a value
_WHEN = "a date: 2015-06-01, 2015-06, 2015, about 2015, 2012–2016 or 01.06.2015"


def _type_of(value: object) -> str:
    if isinstance(value, bool):
        return _TYPES["boolean"]
    if isinstance(value, int):
        return _TYPES["integer"]
    names = {str: "string", float: "number", dict: "object", list: "array", type(None): "null"}
    return _TYPES[names.get(type(value), "string")]


def _keys(keys: list[object]) -> str:
    shown = [repr(k) for k in keys if isinstance(k, str) and _KEY.fullmatch(k)]
    hidden = len(keys) - len(shown)
    return ", ".join(shown + ([f"{hidden} whose name is not a field name"] if hidden else []))


def _in_words(error: ValidationError) -> str:
    """jsonschema's error as a person reads it: what is wrong and what is expected."""
    expected: Any = error.validator_value
    instance: Any = error.instance
    schema: Any = error.schema if isinstance(error.schema, dict) else {}
    if "about" in str(schema.get("pattern", "")) and error.validator in ("type", "pattern"):
        return f"is not a date (write {_WHEN})"
    match error.validator:
        case "type":
            wanted = expected if isinstance(expected, list) else [expected]
            return f"must be {' or '.join(_TYPES[t] for t in wanted)}, not {_type_of(instance)}"
        case "required":
            missing = [p for p in expected if p not in instance]
            return f"{', '.join(missing)} missing: it is required here"
        case "additionalProperties":
            extra = [k for k in instance if k not in schema.get("properties", {})]
            allowed = ", ".join(sorted(schema.get("properties", {})))
            return f"unknown field(s) {_keys(extra)}; the fields here are: {allowed}"
        case "enum":
            return f"must be one of: {', '.join(str(v) for v in expected)}"
        case "minLength":
            return "is empty"
        case "maxLength":
            return f"is longer than {expected:,} characters"
        case "maxItems":
            return f"holds more than {expected:,} entries"
        case "pattern":
            return "may hold only the letters A–Z and a–z, digits and _ . : -"
        case "anyOf" if error.absolute_path and error.absolute_path[-1] == "identity":
            return NAMES_MISSING
        case "format":
            return "is not a day of the calendar (write it as YYYY-MM-DD)"
    return f"does not fit the dossier format (docs/formats.md#the-dossier): {error.validator}"
