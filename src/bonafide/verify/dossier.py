"""A dossier as verification reads it: parsed once, its dates already spans, its problems named.

The JSON Schema (`bonafide.dossier`) says what a dossier may look like; `parse_dossier` adds what
the schema cannot say (a day that does not exist, a stay that ends before it begins, a birth date
after the day the dossier was taken) and turns every date into the span of days it may mean. A
dossier with any problem is refused whole, each problem naming its field: one policy for every
malformed input, never a claim quietly judged on a date that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bonafide.dossier import dossier_problems
from bonafide.hidden_characters import hidden_character
from bonafide.verify.kinds import KIND_SPECS, ClaimKind, spec_of
from bonafide.verify.when import Span, parse_when, period

__all__ = ["Claim", "Dossier", "dossier_problems_of", "parse_dossier"]

Json = dict[str, Any]


@dataclass(frozen=True)
class Claim:
    """One residence, course or job as the applicant stated it."""

    kind: ClaimKind
    position: int  # index in the dossier's list of that kind
    entry: Json  # as given, to show back
    span: Span | None  # the days the stay may cover (None: no dates given)
    starts: Span | None  # what the stated start may mean, on its own
    ends: Span | None = None  # what the stated end may mean, on its own (None: still so)

    @property
    def place(self) -> str:
        return str(self.entry[spec_of(self.kind).place])

    @property
    def settlement(self) -> str | None:
        value = self.entry.get("settlement")
        return str(value) if value else None

    @property
    def level(self) -> str | None:
        value = self.entry.get("level")
        return str(value) if value else None


@dataclass(frozen=True)
class Dossier:
    dossier_id: str
    today: dt.date  # the day it was taken (or the registries' date): "now" for open stays
    identity: Json
    born: dt.date | None  # the birth date, when given to the day
    birth_span: Span | None  # what the stated birth date may mean, at any precision
    claims: tuple[Claim, ...]

    @property
    def sex(self) -> str | None:
        value = self.identity.get("sex")
        return str(value) if value else None

    @property
    def birth_year(self) -> int | None:
        if self.birth_span is None or self.birth_span.first.year != self.birth_span.last.year:
            return None
        return self.birth_span.first.year

    def of(self, kind: ClaimKind) -> list[Claim]:
        return [c for c in self.claims if c.kind is kind]

    @property
    def earliest_claim(self) -> dt.date | None:
        starts = [c.span.first for c in self.claims if c.span is not None]
        return min(starts) if starts else None


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _hidden_characters(value: object, where: str) -> list[str]:
    """Every text of `value` holding a character that is not text, by its path."""
    if hidden_character("\n".join(_texts(value))) is None:  # one search; a line feed is text
        return []
    return _hidden_characters_at(value, where)


def _hidden_characters_at(value: object, where: str) -> list[str]:
    if isinstance(value, str):
        found = hidden_character(value)
        return [f"{where}: holds {found}, which is not text; remove it"] if found else []
    if isinstance(value, dict):
        return [
            p for key, item in value.items() for p in _hidden_characters_at(item, f"{where}/{key}")
        ]
    if isinstance(value, list):
        return [
            p for i, item in enumerate(value) for p in _hidden_characters_at(item, f"{where}/{i}")
        ]
    return []


def _beyond_schema(dossier: Json) -> list[str]:
    problems = []
    submitted = dossier.get("submitted")
    if submitted is not None:
        try:
            dt.date.fromisoformat(str(submitted))
        except ValueError:
            problems.append("submitted: not a day of the calendar (write it as YYYY-MM-DD)")
    identity = dossier.get("identity") or {}
    names = [identity.get(f) for f in ("surname", "given_name", "full_name")]
    if not any(isinstance(n, str) and n.strip() for n in names):
        problems.append("identity/surname: the name is blank")
    for key, value in dossier.items():
        problems += _hidden_characters(value, key)
    return problems


def dossier_problems_of(dossier: object) -> list[str]:
    """What the schema finds wrong, or else what it cannot see: empty when well-formed."""
    problems = dossier_problems(dossier)
    if problems:
        return problems
    assert isinstance(dossier, dict)
    return _beyond_schema(dossier)


def _birth(identity: Json, today: dt.date, problems: list[str]) -> Span | None:
    value = identity.get("birth_date")
    if isinstance(value, int):
        problems.append("identity/birth_date: a bare number; write the date as YYYY-MM-DD")
        return None
    try:
        span = parse_when(value)
    except ValueError as error:
        problems.append(f"identity/birth_date: {error}")
        return None
    if span is not None and span.first > today:
        problems.append(
            f"identity/birth_date: after the day the dossier was taken ({today.isoformat()})"
        )
        return None
    return span


def _claim(
    kind: ClaimKind, position: int, entry: Json, today: dt.date, problems: list[str]
) -> Claim:
    where = f"{spec_of(kind).dossier_key}/{position}"
    starts = span = ends = None
    try:
        starts = parse_when(entry.get("from"))
    except ValueError as error:
        problems.append(f"{where}/from: {error}")
    try:
        ends = parse_when(entry.get("to"))
    except ValueError as error:
        problems.append(f"{where}/to: {error}")
    else:
        if starts is not None and entry.get("to") in (None, "") and starts.first > today:
            problems.append(
                f"{where}/from: after the day the dossier was taken ({today.isoformat()})"
            )
            return Claim(kind, position, entry, None, starts)
        try:
            span = period(entry.get("from"), entry.get("to"), today)
        except ValueError as error:
            if starts is not None:  # the start's own problem is already named
                problems.append(f"{where}: {error}")
    return Claim(kind, position, entry, span, starts, ends)


def parse_dossier(dossier: Json, registry_date: dt.date) -> tuple[Dossier | None, list[str]]:
    """The dossier read for verification, or None and every problem found, each naming its
    field. `dossier` has passed `dossier_problems_of`; `registry_date` is "now" when the dossier
    does not say when it was taken."""
    problems: list[str] = []
    submitted = dossier.get("submitted")
    today = dt.date.fromisoformat(str(submitted)) if submitted else registry_date
    identity: Json = dossier["identity"]
    birth = _birth(identity, today, problems)
    claims = []
    for kind, spec in KIND_SPECS.items():
        for position, entry in enumerate(dossier.get(spec.dossier_key) or []):
            claims.append(_claim(kind, position, entry, today, problems))
    if problems:
        return None, problems
    born = birth.first if birth is not None and birth.first == birth.last else None
    return (
        Dossier(str(dossier["dossier_id"]), today, identity, born, birth, tuple(claims)),
        [],
    )
