"""The Reconciliation Service API 0.2 (OpenRefine's) over the resolved persons: what a batch of
queries may hold, how a query becomes a person record for the matcher, and how the matcher's
candidates are told back.

A query names a person in `query` (the cell being reconciled) and may add property constraints
(`properties`: `[{"pid": "birthDate", "v": "1980-01-02"}, …]`) from the row's other cells. The
property ids are FollowTheMoney's (`PROPERTIES`), as yente and other screening services name
them; bonafide's own field names are accepted as aliases. Each becomes one field of the person
record `Matcher.match_many` scores — a property constrains by weighing in the same model as the
name, never by filtering. A value that cannot be used (a date that is no date, a sex that is
neither) is left out rather than failing the row or the batch: a spreadsheet's column is
messy, and the batch holds other rows. An unknown property id fails the batch (422): it is the
same mistake on every row.

Nothing in an error repeats a value that was sent: errors name the query's key and the field.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bonafide.persons.match import MatchCandidate
from bonafide.verify.identity import FOUND, PLAUSIBLE

from .problems import ProblemError

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_BATCH",
    "MAX_LIMIT",
    "MAX_TEXT",
    "PERSON_TYPE",
    "PROPERTIES",
    "Lookup",
    "batch_from_json",
    "birth_year",
    "display_name",
    "is_person_type",
    "parse_batch",
    "preview_html",
    "results",
]

MAX_BATCH = 100  # queries in one request (OpenRefine sends 10 at a time by default)
MAX_TEXT = 300  # characters in a query or a property value
MAX_KEY = 100  # characters in a query's key
DEFAULT_LIMIT = 5
MAX_LIMIT = 25
PERSON_TYPE = {"id": "Person", "name": "Person"}


@dataclass(frozen=True)
class Property:
    pid: str
    name: str
    field: str  # the person record's field
    description: str


PROPERTIES = (
    Property("lastName", "Surname", "surname", "surname, in any script"),
    Property("firstName", "Given name", "given_name", "given name, in any script"),
    Property("fatherName", "Patronymic", "patronymic", "patronymic (father's name)"),
    Property("birthDate", "Birth date", "birth_date", "YYYY-MM-DD or DD.MM.YYYY, to the day"),
    Property("birthPlace", "Place of birth", "birth_place", "settlement of birth"),
    Property("gender", "Sex", "sex", "male or female (m, f)"),
    Property("idNumber", "Personal number", "personal_number", "14-character identity number"),
    Property("passportNumber", "Passport number", "passport_number", "two letters, 7 digits"),
    Property("name", "Whole name", "full_name", "the whole name, when the query has none"),
)
_FIELD_OF: dict[str, str] = {p.pid: p.field for p in PROPERTIES}
_FIELD_OF.update({p.field: p.field for p in PROPERTIES})  # bonafide's own names too
_FIELD_OF["middleName"] = "patronymic"
_NAME_PARTS = ("surname", "given_name", "patronymic")

_SEX = {
    **dict.fromkeys(("m", "male", "man", "м", "муж", "мужской", "мужчына", "мужчина"), "m"),
    **dict.fromkeys(("f", "female", "woman", "w", "ж", "жен", "женский", "жанчына"), "f"),
}
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y%m%d", "%d/%m/%Y")
_ISO_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$")


@dataclass
class Lookup:
    """One query of a batch, read: the person record to look up, or None if it names nobody
    (no name) or asks for another type than Person."""

    key: str
    record: dict[str, str] | None
    limit: int


@dataclass
class _Problems:
    errors: list[dict[str, str]] = field(default_factory=list)

    def add(self, where: str, problem: str) -> None:
        self.errors.append({"field": where, "problem": problem})

    def raise_any(self) -> None:
        if self.errors:
            raise ProblemError(
                422,
                "Invalid request",
                f"{len(self.errors)} problem(s) in the queries; each names its field",
                kind="invalid-request",
                errors=self.errors[:50],
                hint="see /reconcile/properties for the property ids; docs/api.md",
            )


def _invalid(detail: str) -> ProblemError:
    return ProblemError(
        422,
        "Invalid request",
        detail,
        kind="invalid-request",
        hint='send queries as {"q0": {"query": "…", "properties": [{"pid": …, "v": …}]}}',
    )


def batch_from_json(text: str | bytes) -> Any:
    """A batch's JSON text, parsed; 422 if it is not JSON."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise _invalid("queries is not valid JSON") from None


def _text(value: Any) -> str | None:
    """A property value as text: the first usable one of a list, an entity's name or id."""
    if isinstance(value, list):
        for item in value:
            text = _text(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return _text(value.get("name")) or _text(value.get("id"))
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def _date(text: str) -> str | None:
    """YYYY-MM-DD, or None if it is not a date to the day (a year alone is not)."""
    moment = _ISO_MOMENT.match(text)  # OpenRefine writes its dates as 1980-01-02T00:00:00Z
    if moment:
        text = moment.group(1)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _usable(field_name: str, text: str) -> str | None:
    if field_name == "birth_date":
        return _date(text)
    if field_name == "sex":
        return _SEX.get(text.lower())
    return text


def is_person_type(kind: Any) -> bool:
    """Whether a query's `type` (absent, one id or a list) allows Person."""
    if kind is None:
        return True
    kinds = kind if isinstance(kind, list) else [kind]
    return not kinds or any(isinstance(k, str) and k.lower() == "person" for k in kinds)


def _limit(value: Any, where: str, problems: _Problems) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 1:
        problems.add(where, "must be a number of at least 1")
        return DEFAULT_LIMIT
    return min(int(value), MAX_LIMIT)


def _record(
    text: str | None, fields: dict[str, str], where: str, problems: _Problems
) -> dict[str, str] | None:
    """The person record of a query: its name from `query` and the name parts given."""
    if text is not None and len(text) > MAX_TEXT:
        problems.add(f"{where}.query", f"longer than {MAX_TEXT} characters")
        return None
    record = dict(fields)
    parts = any(part in record for part in _NAME_PARTS)
    if text:
        if not parts:
            record["full_name"] = text
        elif "surname" not in record:
            record["surname"] = text  # the reconciled column holds the surname
        elif "given_name" not in record:
            record["given_name"] = text
    if parts:
        record.pop("full_name", None)  # the matcher would read a whole name before its parts
    if not any(record.get(f) for f in ("surname", "given_name", "full_name")):
        return None  # names nobody: the matcher looks persons up by name
    return record


def _properties(value: Any, where: str, problems: _Problems) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, list):
        problems.add(where, "must be a list of {pid, v}")
        return {}
    fields: dict[str, str] = {}
    for number, item in enumerate(value):
        here = f"{where}.{number}"
        if not isinstance(item, dict) or not isinstance(item.get("pid"), str):
            problems.add(here, "must be an object with pid and v")
            continue
        field_name = _FIELD_OF.get(item["pid"])
        if field_name is None:
            problems.add(f"{here}.pid", "unknown property (see /reconcile/properties)")
            continue
        text = _text(item.get("v"))
        if text is not None and len(text) > MAX_TEXT:
            problems.add(f"{here}.v", f"longer than {MAX_TEXT} characters")
            continue
        usable = _usable(field_name, text) if text else None
        if usable and field_name not in fields:
            fields[field_name] = usable
    return fields


def parse_batch(batch: Any) -> list[Lookup]:
    """The queries of a batch (a JSON object of queries by key), or a 422/413 problem."""
    if isinstance(batch, dict) and set(batch) == {"queries"}:
        inner = batch["queries"]  # {"queries": batch} as a JSON body, or its JSON text
        if isinstance(inner, str):
            inner = batch_from_json(inner)
        if isinstance(inner, dict) and all(isinstance(v, dict) for v in inner.values()):
            batch = inner
    if not isinstance(batch, dict) or not batch:
        raise _invalid("queries must be a JSON object of at least one query, by key")
    if len(batch) > MAX_BATCH:
        raise ProblemError(
            413,
            "Batch too large",
            f"a batch may hold at most {MAX_BATCH} queries",
            kind="batch-too-large",
            limit=MAX_BATCH,
            hint="send the queries in smaller batches (OpenRefine: a smaller batch size)",
        )
    problems = _Problems()
    queries: list[Lookup] = []
    for number, (key, query) in enumerate(batch.items()):
        if len(key) > MAX_KEY:
            problems.add(f"queries.{number}", f"a key longer than {MAX_KEY} characters")
            continue
        where = f"queries.{key}"
        if not isinstance(query, dict):
            problems.add(where, "must be an object with query and/or properties")
            continue
        text = query.get("query")
        if text is not None and not isinstance(text, str):
            problems.add(f"{where}.query", "must be text")
            continue
        fields = _properties(query.get("properties"), f"{where}.properties", problems)
        limit = _limit(query.get("limit"), f"{where}.limit", problems)
        record = _record(text.strip() if text else None, fields, where, problems)
        wanted = is_person_type(query.get("type"))
        queries.append(Lookup(key, record if wanted else None, limit))
    problems.raise_any()
    return queries


def display_name(record: Mapping[str, Any]) -> str:
    """A person's name from their record (kept normalised, in lower case): surname, given
    name, patronymic, each capitalised."""
    parts = [record.get(p) for p in _NAME_PARTS]
    text = " ".join(p for p in parts if p) or str(record.get("full_name") or "")
    return text.title()


def birth_year(record: Mapping[str, Any]) -> str | None:
    born = str(record.get("birth_date") or "")
    return born[:4] if len(born) >= 4 and born[:4].isdigit() else None


def _features(candidate: MatchCandidate) -> list[dict[str, Any]]:
    """The model's evidence as features: each compared field's weight, and the total."""
    steps = candidate.explanation.get("steps", [])
    features = [
        {"id": str(step["part"]), "value": float(step["weight"])}
        for step in steps
        if step.get("part") != "prior"
    ]
    features.append({"id": "match_weight", "value": round(candidate.match_weight, 3)})
    return features


def results(candidates: Sequence[MatchCandidate], ids: Sequence[str]) -> list[dict[str, Any]]:
    """One query's result: its candidates, best first, with `match` on the first when it is
    probable (as verification calls an identity found) and no other candidate is plausible."""
    clear = bool(candidates) and candidates[0].probability >= FOUND
    clear = clear and (len(candidates) < 2 or candidates[1].probability < PLAUSIBLE)
    answer = []
    for rank, (candidate, entity_id) in enumerate(zip(candidates, ids, strict=True)):
        year = birth_year(candidate.record)
        result: dict[str, Any] = {
            "id": entity_id,
            "name": display_name(candidate.record),
            "score": round(candidate.probability * 100, 2),
            "match": rank == 0 and clear,
            "type": [PERSON_TYPE],
            "features": _features(candidate),
        }
        if year:
            result["description"] = f"born {year}"
        answer.append(result)
    return answer


def preview_html(names: Sequence[str], years: Sequence[str]) -> str:
    """The preview of a person for OpenRefine's iframe: names and birth year, escaped."""
    shown = [html.escape(n, quote=True) for n in names] or ["(no name recorded)"]
    lines = [f'<p class="name">{shown[0]}</p>']
    if len(shown) > 1:
        lines.append(f'<p class="also">also written: {", ".join(shown[1:])}</p>')
    born = ", ".join(html.escape(y, quote=True) for y in years)
    lines.append(f'<p class="born">born {born}</p>' if born else "<p>birth year unknown</p>")
    body = "\n".join(lines)
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>Person</title>'
        "<style>body{font:14px sans-serif;margin:6px}p{margin:2px 0}"
        ".name{font-weight:bold}.also,.born{color:#555}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )
