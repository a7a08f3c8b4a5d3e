"""FollowTheMoney JSON Lines → rows of bonafide's registry kinds, for the importer.

An FtM file holds one entity per line: `{"id", "schema", "properties": {name: [values]}}`.
The "nested" form is read too: a property value may be an entity object instead of an id (a
link's `employee` given whole), and an entity may hold its adjacent links under a reverse
property (a Person's `employers`: Employments whose `employee` is that Person). Nested
entities are taken out and read like the others.

What becomes a registry row (docs/formats.md has the field-by-field table):

- residence: an `UnknownLink` between a `Person` and an `Address`, with its dates;
- employment: an `Employment` (employee: a `Person`, employer: an `Organization`);
- education: a `Membership` (member: a `Person`, organization: an `Organization`);
- watchlist: a `Person` with a watchlist topic (roles of power, sanctions, crime, …), or every
  standalone `Person` when the watchlist is imported on its own (`--kind watchlist`);
- identity: every other standalone `Person`.

A Person that is the subject, employee or member of a link is that link's record's person,
not a record of its own. A Person whose `referents` are all entities of the file is a merged
view of them (how bonafide writes a resolved person) and is no record either. Every row's
`record_id` is its entity's id, so importing a file again adds nothing.

The file is read twice: once to index every entity id (its line and byte offset; memory grows
with the number of entities, about 150 bytes each) and once to make the rows, fetching each
referenced entity from its line. A line that cannot be read, a link to an entity the file lacks
or to one of the wrong schema is a rejected row, with its line number and the reason; names
and values never appear in a reason.

How the importer is told what to read: an FtM file's "columns" are the canonical fields of each
kind, qualified by it — `employment:employer` — and `ftm_mapping` maps a kind's fields to its
own columns. The primary import of a file (its first kind, or the one asked for) is marked
`identity+:surname`: it also reports the lines that are no entity at all, which belong to no
kind, so that they are counted once.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from bonafide.errors import InputError, SourceFormatError
from bonafide.ftm.model import (
    DOCUMENT_SCHEMATA,
    ENTITY_PROPERTIES,
    FTM_SCHEMATA,
    ORGANIZATION_SCHEMATA,
    REVERSE_PROPERTIES,
    Entity,
    is_watchlist_topic,
)
from bonafide.registry.mapping import ColumnMapping, SourceFormat, SourceOptions
from bonafide.registry.readers import Chunk, ReaderIssue, batch_schema, truncated
from bonafide.registry.schema import KINDS, Kind

__all__ = [
    "FtmSurvey",
    "flatten",
    "ftm_columns",
    "ftm_mapping",
    "read_ftm",
    "survey",
]

_BATCH_ROWS = 65_536
_CACHE_LINES = 4_096
_PRIMARY = "+"
_SEPARATOR = ":"
# a house number ending a street line: 12, 12А, 5/2, 5 к2, 7 корп. 1
_HOUSE = re.compile(
    r"^(?P<street>.*?[^\d\s].*?)\s+(?P<house>\d\S*(?:\s+(?:к|корп|корпус|k)\.?\s*\d\S*)?)$",
    re.IGNORECASE,
)
_FLAT = re.compile(r"^(?:кв|kv|apt|flat)\.?\s*", re.IGNORECASE)
_YEAR = re.compile(r"^\d{4}")

Row = dict[str, str | None]


def ftm_columns() -> tuple[str, ...]:
    """The columns of every FtM file: each kind's fields, qualified by the kind (and again by
    the kind marked primary)."""
    return tuple(
        f"{kind.value}{mark}{_SEPARATOR}{name}"
        for kind in Kind
        for mark in ("", _PRIMARY)
        for name in KINDS[kind].field_names
    )


def ftm_mapping(kind: Kind, primary: bool) -> ColumnMapping:
    """The mapping that imports the rows of `kind` from an FtM file."""
    mark = _PRIMARY if primary else ""
    return ColumnMapping(
        kind=kind,
        source=SourceOptions(format=SourceFormat.FTM),
        columns={name: f"{kind.value}{mark}{_SEPARATOR}{name}" for name in KINDS[kind].field_names},
        origin="the FtM mapping",
    )


def _parse_columns(columns: Sequence[str]) -> tuple[Kind, bool, tuple[str, ...]]:
    prefixes = {c.split(_SEPARATOR, 1)[0] for c in columns}
    if len(prefixes) != 1 or not all(_SEPARATOR in c for c in columns):
        raise SourceFormatError(
            "an FtM file is read one registry kind at a time",
            hint="import it with: bonafide registry import FILE --format ftm [--kind KIND]",
        )
    prefix = prefixes.pop()
    primary = prefix.endswith(_PRIMARY)
    kind = Kind(prefix.removesuffix(_PRIMARY))
    return kind, primary, tuple(c.split(_SEPARATOR, 1)[1] for c in columns)


# Entities of a line ------------------------------------------------------------------------


class LineError(ValueError):
    """A line that is no FtM entity; the message is the reason, with no value in it."""


def _is_entity(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("schema"), str)


def flatten(obj: object) -> list[Entity]:
    """The entities of one line: the entity itself, then every nested one, each with its
    nested values replaced by their ids (and back-references added for reverse properties)."""
    if not isinstance(obj, dict):
        raise LineError(f"the line holds a JSON {type(obj).__name__}, not an entity object")
    found: list[Entity] = []
    _take(obj, None, found)
    return found


def _take(obj: dict[str, Any], made_id: str | None, found: list[Entity]) -> str:
    schema = obj.get("schema")
    if not isinstance(schema, str) or not schema:
        raise LineError("an entity has no schema")
    if schema not in FTM_SCHEMATA:
        raise LineError(f"schema {schema[:40]!r} is not a FollowTheMoney schema")
    entity_id = obj.get("id", made_id)
    if not isinstance(entity_id, str) or not entity_id:
        raise LineError(f"a {schema} entity has no id")
    raw = obj.get("properties", {})
    if not isinstance(raw, dict):
        raise LineError(f"the properties of a {schema} entity are not an object")
    entity: Entity = {"id": entity_id, "schema": schema, "properties": {}}
    if isinstance(obj.get("referents"), list):
        entity["referents"] = [r for r in obj["referents"] if isinstance(r, str)]
    found.append(entity)
    props: dict[str, list[str]] = entity["properties"]
    for name, values in raw.items():
        if not isinstance(values, list):
            values = [values]
        kept: list[str] = []
        for index, value in enumerate(values):
            if _is_entity(value):
                child = len(found)
                child_id = _take(value, f"{entity_id}/{name}/{index}", found)
                back = REVERSE_PROPERTIES.get(name)
                if back is not None:
                    child_props = found[child]["properties"]
                    if entity_id not in child_props.setdefault(back, []):
                        child_props[back].append(entity_id)
                else:
                    kept.append(child_id)
            elif isinstance(value, str):
                if value.strip():
                    kept.append(value.strip())
            elif isinstance(value, bool) or value is None:
                continue
            elif isinstance(value, int | float):
                kept.append(str(value))
            else:
                raise LineError(f"property {name[:40]!r} of a {schema} entity holds an object")
        if kept and name not in REVERSE_PROPERTIES:
            props.setdefault(name, []).extend(kept)
    return entity_id


def _parse_line(line: bytes) -> list[Entity]:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise LineError("the line is not valid UTF-8") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise LineError(f"the line is not JSON: {error.msg} at character {error.colno}") from None
    return flatten(value)


def _lines(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """(line number, byte offset, line) of each non-blank line."""
    offset = 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line, offset = line[3:], 3
            if line.strip():
                yield number, offset, line
            offset += len(line)


# The index ---------------------------------------------------------------------------------


@dataclass
class _Index:
    """Every entity id of a file: its schema, line and byte offset; the Persons that are part of
    a link; and a cache of lines read again."""

    path: Path
    where: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    link_parts: set[str] = field(default_factory=set)
    documents: dict[str, str] = field(default_factory=dict)  # holder → its first document
    lines: int = 0
    _cache: OrderedDict[int, list[Entity]] = field(default_factory=OrderedDict)

    @classmethod
    def build(cls, path: Path) -> _Index:
        index = cls(path)
        for number, offset, line in _lines(path):
            index.lines = number
            try:
                entities = _parse_line(line)
            except LineError:
                continue
            for entity in entities:
                index.where.setdefault(entity["id"], (entity["schema"], number, offset))
                for name in ENTITY_PROPERTIES.get(entity["schema"], ()):
                    index.link_parts.update(entity["properties"].get(name, ()))
                if entity["schema"] in DOCUMENT_SCHEMATA:
                    for holder in entity["properties"].get("holder", ()):
                        index.documents.setdefault(holder, entity["id"])
        return index

    def schema(self, entity_id: str) -> str | None:
        found = self.where.get(entity_id)
        return found[0] if found else None

    def get(self, entity_id: str) -> Entity | None:
        found = self.where.get(entity_id)
        if found is None:
            return None
        offset = found[2]
        entities = self._cache.get(offset)
        if entities is None:
            with self.path.open("rb") as handle:
                handle.seek(offset)
                entities = _parse_line(handle.readline())
            self._cache[offset] = entities
            if len(self._cache) > _CACHE_LINES:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(offset)
        return next((e for e in entities if e["id"] == entity_id), None)

    def is_merged_view(self, entity: Entity) -> bool:
        referents = entity.get("referents") or []
        return bool(referents) and all(r in self.where for r in referents)


# Classifying entities ----------------------------------------------------------------------


class _RowError(Exception):
    """A record of a kind that cannot be made into a row; the message is the reason."""


def _first(entity: Entity, name: str) -> str | None:
    values = entity["properties"].get(name) or []
    return values[0] if values else None


def _watchlisted(entity: Entity) -> bool:
    return any(is_watchlist_topic(t) for t in entity["properties"].get("topics", ()))


def _person_kind(entity: Entity, index: _Index, whole_watchlist: bool) -> Kind | None:
    if entity["id"] in index.link_parts or index.is_merged_view(entity):
        return None
    if whole_watchlist or _watchlisted(entity):
        return Kind.WATCHLIST
    return Kind.IDENTITY


def _kind_of(entity: Entity, index: _Index, whole_watchlist: bool) -> Kind | None:
    """The registry kind a (flattened) entity is a record of, if any; references are judged
    by the schema the index has for them (a missing one is judged when the row is made)."""
    schema = entity["schema"]
    if schema == "Person":
        return _person_kind(entity, index, whole_watchlist)
    if schema == "Employment":
        return Kind.EMPLOYMENT
    if schema == "UnknownLink":
        ends = [
            index.schema(v)
            for name in ("subject", "object")
            for v in entity["properties"].get(name, ())[:1]
        ]
        known = [s for s in ends if s is not None]
        if any(s not in ("Person", "Address") for s in known):
            return None  # a link between other things
        if len(known) == 2 and known[0] == known[1]:
            return None  # two persons, or two addresses: no residence
        return Kind.RESIDENCE
    if schema == "Membership":
        member = [index.schema(v) for v in entity["properties"].get("member", ())]
        if any(s is not None and s != "Person" for s in member):
            return None  # an organisation's membership: no one's education
        return Kind.EDUCATION
    return None


def _referenced(
    link: Entity, name: str, index: _Index, schemata: frozenset[str] | set[str]
) -> Entity:
    values = link["properties"].get(name) or []
    schema = link["schema"]
    if not values:
        raise _RowError(f"the {schema} has no {name}")
    found = index.get(values[0])
    if found is None:
        raise _RowError(f"the {schema}'s {name} refers to an entity that is not in the file")
    if found["schema"] not in schemata:
        raise _RowError(
            f"the {schema}'s {name} is a {found['schema']}, not a " + " or ".join(sorted(schemata))
        )
    return found


def _person_fields(person: Entity) -> Row:
    surname, given = _first(person, "lastName"), _first(person, "firstName")
    return {
        "surname": surname,
        "given_name": given,
        "patronymic": _first(person, "fatherName") or _first(person, "middleName"),
        "full_name": None if surname and given else _first(person, "name"),
        "birth_date": _first(person, "birthDate"),
        "sex": _first(person, "gender"),
        "personal_number": _first(person, "idNumber"),
    }


def _year(value: str | None) -> str | None:
    match = _YEAR.match(value or "")
    return match.group(0) if match else None


def _street_and_house(street: str | None) -> tuple[str | None, str | None]:
    if not street:
        return None, None
    match = _HOUSE.match(street)
    if not match:
        return street, None
    return match.group("street"), match.group("house")


def _row(kind: Kind, entity: Entity, index: _Index) -> Row:
    """The canonical fields of the record `entity` stands for (raises _RowError)."""
    if kind in (Kind.IDENTITY, Kind.WATCHLIST):
        row = {"record_id": entity["id"], **_person_fields(entity)}
        if kind is Kind.IDENTITY:
            row |= _identity_fields(entity, index)
        else:
            row |= {
                "organisation": _first(entity, "classification"),
                "role": _first(entity, "position"),
                "source": _first(entity, "publisher"),
            }
        return row
    if kind is Kind.RESIDENCE:
        return _residence_row(entity, index)
    if kind is Kind.EMPLOYMENT:
        person = _referenced(entity, "employee", index, {"Person"})
        employer = _referenced(entity, "employer", index, ORGANIZATION_SCHEMATA)
        return {
            "record_id": entity["id"],
            **_person_fields(person),
            "employer": _first(employer, "name"),
            "employer_settlement": _first(employer, "address"),
            "position": _first(entity, "role"),
            "employed_from": _first(entity, "startDate"),
            "employed_to": _first(entity, "endDate"),
        }
    person = _referenced(entity, "member", index, {"Person"})
    institution = _referenced(entity, "organization", index, ORGANIZATION_SCHEMATA)
    return {
        "record_id": entity["id"],
        **_person_fields(person),
        "institution": _first(institution, "name"),
        "institution_settlement": _first(institution, "address"),
        "level": _first(institution, "classification"),
        "programme": _first(entity, "role"),
        "start_year": _year(_first(entity, "startDate")),
        "graduation_year": _year(_first(entity, "endDate")),
    }


def _identity_fields(person: Entity, index: _Index) -> Row:
    row: Row = {
        "passport_number": _first(person, "passportNumber"),
        "birth_place": _first(person, "birthPlace"),
        "died_on": _first(person, "deathDate"),
        "record_created": _first(person, "createdAt"),
    }
    document_id = index.documents.get(person["id"])
    document = index.get(document_id) if document_id else None
    if document is not None:
        is_passport = document["schema"] == "Passport" or (
            (_first(document, "type") or "").lower() == "passport"
        )
        if is_passport:
            row["passport_number"] = row["passport_number"] or _first(document, "number")
        row |= {
            "issued_on": _first(document, "startDate"),
            "expires_on": _first(document, "endDate"),
            "surname_latin": _first(document, "surname"),
            "given_name_latin": _first(document, "givenName"),
        }
    return row


def _residence_row(link: Entity, index: _Index) -> Row:
    subject = _referenced(link, "subject", index, {"Person", "Address"})
    other = _referenced(link, "object", index, {"Person", "Address"})
    if subject["schema"] == other["schema"]:
        raise _RowError("the UnknownLink does not join a Person and an Address")
    person, address = (subject, other) if subject["schema"] == "Person" else (other, subject)
    street, house = _street_and_house(_first(address, "street"))
    flat = _first(address, "street2")
    return {
        "record_id": link["id"],
        **_person_fields(person),
        "region": _first(address, "state"),
        "district": _first(address, "region"),
        "settlement": _first(address, "city"),
        "street": street,
        "house": house,
        "flat": (_FLAT.sub("", flat) or None) if flat else None,
        "registered_from": _first(link, "startDate"),
        "registered_to": _first(link, "endDate"),
        "deregistration_reason": _first(link, "status"),
    }


# Surveying a file --------------------------------------------------------------------------


@dataclass(frozen=True)
class FtmSurvey:
    """What an FtM file holds: records per kind, lines that are no entity, other entities."""

    records: dict[Kind, int]
    unreadable: int
    schemata: dict[str, int]  # entities per schema, nested ones included

    def kinds(self) -> list[Kind]:
        """The kinds the file has records of, in the order they are imported."""
        return [kind for kind in Kind if self.records.get(kind)]


def survey(path: Path) -> FtmSurvey:
    """Count what `path` holds without making rows (reads it twice)."""
    _check_file(path)
    index = _Index.build(path)
    records = dict.fromkeys(Kind, 0)
    schemata: dict[str, int] = {}
    unreadable = 0
    for _, _, line in _lines(path):
        try:
            entities = _parse_line(line)
        except LineError:
            unreadable += 1
            continue
        for entity in entities:
            schemata[entity["schema"]] = schemata.get(entity["schema"], 0) + 1
            kind = _kind_of(entity, index, whole_watchlist=False)
            if kind is not None:
                records[kind] += 1
    return FtmSurvey(records, unreadable, schemata)


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file", hint="check the path")


# Reading rows for the importer ---------------------------------------------------------------


class _Batch:
    def __init__(self, width: int) -> None:
        self.cells: list[list[str | None]] = [[] for _ in range(width)]
        self.rows: list[int] = []
        self.issues: list[ReaderIssue] = []

    def __len__(self) -> int:
        return len(self.rows) + len(self.issues)

    def chunk(self, bytes_read: int, rows_read: int) -> Chunk:
        arrays = [pa.array(cells, pa.string()) for cells in self.cells]
        batch = pa.record_batch(
            [*arrays, pa.array(self.rows, pa.int64())], schema=batch_schema(len(arrays))
        )
        return Chunk(batch, tuple(self.issues), bytes_read, rows_read)


def read_ftm(path: Path, size: int, columns: Sequence[str]) -> Iterator[Chunk]:
    """The rows of one registry kind in an FtM file, `columns` (qualified field names) only.

    Row numbers are line numbers; where one line (a nested entity) holds several records of
    the kind, the records after its first are numbered on from the file's last line."""
    kind, primary, fields = _parse_columns(columns)
    index = _Index.build(path)
    whole_watchlist = primary and kind is Kind.WATCHLIST
    pending = _Batch(len(fields))
    rows_read, extra = 0, index.lines
    for number, offset, line in _lines(path):
        raw = truncated(line.decode("utf-8", errors="replace").rstrip("\r\n"))
        try:
            entities = _parse_line(line)
        except LineError as error:
            if primary:
                rows_read += 1
                pending.issues.append(ReaderIssue(number, None, str(error), raw))
            entities = []
        first = True
        for entity in entities:
            if _kind_of(entity, index, whole_watchlist) is not kind:
                continue
            row_number = number if first else (extra := extra + 1)
            first = False
            rows_read += 1
            try:
                row = _row(kind, entity, index)
            except _RowError as problem:
                pending.issues.append(ReaderIssue(row_number, None, str(problem), raw))
                continue
            for cells, name in zip(pending.cells, fields, strict=True):
                cells.append(row.get(name))
            pending.rows.append(row_number)
        if len(pending) >= _BATCH_ROWS:
            yield pending.chunk(offset + len(line), rows_read)
            pending = _Batch(len(fields))
    yield pending.chunk(size, rows_read)
