"""FollowTheMoney entities from bonafide's registry records and resolved persons.

Pure functions: each takes a registry record as the store holds it — a mapping with, for each
canonical field F, `F_orig` (the text as read) and the typed `F` (dates with `F_precision`),
plus `record_key`, `import_id` and `source_row` — and returns FtM 4 entities in their JSON form:

    {"id": "bf-…", "schema": "Person", "properties": {"name": ["…"], …},
     "datasets": ["bonafide_identity"]}

What each registry kind becomes (docs/formats.md has the field-by-field table):

- identity → `Person` (`nationality` "by"), and its `Passport` (holder, number, startDate:
  issued, endDate: expires, and the passport's Latin `surname` and `givenName`);
- watchlist → `Person` with `topics` ["gov.security"], `position` (role), `classification`
  (organisation) and `publisher` (the listing's source);
- residence → the `Person` as the record names them, an `Address`, and an `UnknownLink`
  (subject: the Person, object: the Address, role "registered residence", startDate, endDate,
  status: why the registration ended). FtM has no dated residence: `Address` carries no dates,
  `Person.addressEntity` neither, and `Occupancy` is the holding of a `Position` (a post), so the
  dated link is FtM's generic `UnknownLink`, an `Interest`, and the Person also names the
  Address in `addressEntity` for consumers that read only that;
- employment → the `Person`, an `Organization` (the employer, `address`: where it is) and an
  `Employment` (employee, employer, role: the position, startDate, endDate);
- education → the `Person`, an `Organization` (the institution, `classification`: the level)
  and a `Membership` (member, organization, role: the programme, startDate, endDate: the
  years of study; no endDate when the student did not graduate).

Values keep their source: names and text as the registry wrote them (`F_orig`), dates at the
precision the registry gave (`1987`, `1987-04`, `1987-04-07`). Every entity carries
`datasets` (`bonafide_<kind>`, or `bonafide_persons` for a resolved person) and a `summary`
naming the registry, the import, its file and the row; links also carry the registry's own
record id in `recordId`. FtM's `sourceUrl` and `publisher` (a URL, an organisation) have no
offline counterpart and are not set (a watchlist record's `publisher` is its listing's source).

A resolved person (`resolved_person`) is one `Person` merging the values of its identity
records, with `referents`: the ids of the record entities it was resolved from — the form in
which OpenSanctions and yente publish merged entities.

Ids are keyed hashes (`ids.EntityIds`): stable for one vault, free of personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bonafide.ftm.ids import EntityIds
from bonafide.ftm.model import (
    PERSONS_DATASET,
    RESIDENCE_ROLE,
    WATCHLIST_TOPIC,
    Entity,
    dataset_of,
)

__all__ = [
    "COUNTRY",
    "Record",
    "RecordSource",
    "entity",
    "ftm_date",
    "person_properties",
    "record_entities",
    "record_person_id",
    "resolved_person",
]

COUNTRY = "by"  # every registry bonafide holds is Belarusian
_GENDER = {"m": "male", "f": "female"}
_FLAT = "кв."

# A registry record as the store holds it (column name → value).
Record = Mapping[str, Any]


@dataclass(frozen=True)
class RecordSource:
    """Where a record came from: its registry kind, import, file and row."""

    kind: str
    import_id: int | None = None
    file_name: str | None = None
    row: int | None = None

    @property
    def dataset(self) -> str:
        return dataset_of(self.kind)

    def summary(self) -> str:
        """`identity registry: import 3 (identity.parquet), row 94`."""
        text = f"{self.kind} registry"
        if self.import_id is not None:
            text += f": import {self.import_id}"
            if self.file_name:
                text += f" ({self.file_name})"
        if self.row is not None:
            text += f", row {self.row}"
        return text

    @classmethod
    def of(cls, kind: str, record: Record, file_name: str | None = None) -> RecordSource:
        import_id, row = record.get("import_id"), record.get("source_row")
        return cls(
            kind,
            None if import_id is None else int(import_id),
            file_name,
            None if row is None else int(row),
        )


def entity(
    entity_id: str,
    schema: str,
    properties: Mapping[str, Iterable[str | None]],
    datasets: Sequence[str],
    referents: Sequence[str] = (),
) -> Entity:
    """An entity in FtM's JSON form; empty values and empty properties are left out, repeated
    values kept once, in order."""
    props: dict[str, list[str]] = {}
    for name, values in properties.items():
        kept = list(dict.fromkeys(v for v in values if v))
        if kept:
            props[name] = kept
    result: Entity = {"id": entity_id, "schema": schema, "properties": props}
    result["datasets"] = list(datasets)
    if referents:
        result["referents"] = list(dict.fromkeys(referents))
    return result


def ftm_date(value: object, precision: str | None = "day") -> str | None:
    """An FtM date (an ISO 8601 prefix) at the precision the registry gave; `value` is a date
    (with `precision` day, month or year), a year, or text (`1987-04-07`, `19870407`, `1987`)."""
    if value is None:
        return None
    if isinstance(value, int):
        return f"{value:04d}"
    if isinstance(value, str):
        return _text_date(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def _text_date(value: str) -> str | None:
    """A date given as text: ISO (`1987-04-07`, `1987-04`, `1987`) or compact (`19870407`,
    `198704`, as the person index keeps birth dates)."""
    digits = value.strip().replace("-", "")
    if not digits.isdigit() or len(digits) not in (4, 6, 8):
        return None
    return "-".join(p for p in (digits[:4], digits[4:6], digits[6:8]) if p)


def _text(record: Record, field: str) -> str | None:
    """A field's text as the registry wrote it (whitespace collapsed), else its value."""
    value = record.get(f"{field}_orig")
    if not isinstance(value, str) or not value.strip():
        value = record.get(field)
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _date(record: Record, field: str) -> str | None:
    return ftm_date(record.get(field), record.get(f"{field}_precision"))


def _year(record: Record, field: str) -> str | None:
    value = record.get(field)
    return f"{int(value):04d}" if isinstance(value, int) else None


def _value(record: Record, field: str) -> str | None:
    value = record.get(field)
    return value if isinstance(value, str) and value else None


def _full_name(record: Record) -> str | None:
    full = _text(record, "full_name")
    if full:
        return full
    parts = [_text(record, f) for f in ("surname", "given_name", "patronymic")]
    return " ".join(p for p in parts if p) or None


def person_properties(record: Record) -> dict[str, list[str | None]]:
    """The Person properties every registry record has: names, birth date, sex, the personal
    number (FtM `idNumber`) and the country (`nationality` "by")."""
    return {
        "name": [_full_name(record)],
        "lastName": [_text(record, "surname")],
        "firstName": [_text(record, "given_name")],
        "fatherName": [_text(record, "patronymic")],
        "birthDate": [_date(record, "birth_date")],
        "gender": [_GENDER.get(record.get("sex") or "")],
        "idNumber": [_value(record, "personal_number")],
        "nationality": [COUNTRY],
    }


def _identity_properties(record: Record) -> dict[str, list[str | None]]:
    props = person_properties(record)
    latin = " ".join(
        t for t in (_text(record, "given_name_latin"), _text(record, "surname_latin")) if t
    )
    props.update(
        {
            "alias": [latin or None],
            "birthPlace": [_text(record, "birth_place")],
            "passportNumber": [_value(record, "passport_number")],
            "deathDate": [_date(record, "died_on")],
            "createdAt": [_date(record, "record_created")],
        }
    )
    return props


def _record_person(
    ids: EntityIds, record: Record, source: RecordSource, **extra: list[str | None]
) -> Entity:
    props: dict[str, list[str | None]] = {
        **person_properties(record),
        **extra,
        "summary": [source.summary()],
    }
    return entity(
        ids.record_person(source.kind, str(record["record_key"])), "Person", props, [source.dataset]
    )


def identity_entities(ids: EntityIds, record: Record, source: RecordSource) -> list[Entity]:
    """An identity record: its `Person`, then its `Passport` if it names one."""
    props: dict[str, list[str | None]] = {
        **_identity_properties(record),
        "summary": [source.summary()],
    }
    entity_id = ids.record(source.kind, str(record["record_key"]))
    person = entity(entity_id, "Person", props, [source.dataset])
    number = _value(record, "passport_number")
    if number is None:
        return [person]
    passport = entity(
        ids.passport(source.kind, str(record["record_key"])),
        "Passport",
        {
            "holder": [entity_id],
            "number": [number],
            "type": ["passport"],
            "country": [COUNTRY],
            "startDate": [_date(record, "issued_on")],
            "endDate": [_date(record, "expires_on")],
            # the passport's Latin names, apart (FtM marks these two deprecated: the holder's
            # names should be read instead, but nothing else keeps surname and given name apart)
            "surname": [_text(record, "surname_latin")],
            "givenName": [_text(record, "given_name_latin")],
            "summary": [source.summary()],
        },
        [source.dataset],
    )
    return [person, passport]


def watchlist_entities(ids: EntityIds, record: Record, source: RecordSource) -> list[Entity]:
    """A watchlist record: one `Person` with the watchlist's topic, role and organisation."""
    props: dict[str, list[str | None]] = {
        **person_properties(record),
        "topics": [WATCHLIST_TOPIC],
        "position": [_text(record, "role")],
        "classification": [_text(record, "organisation")],
        "publisher": [_text(record, "source")],
        "summary": [source.summary()],
    }
    entity_id = ids.record(source.kind, str(record["record_key"]))
    return [entity(entity_id, "Person", props, [source.dataset])]


def address_parts(record: Record) -> tuple[str, ...]:
    """The address of a residence record as written: region, district, settlement, street,
    house, flat (empty strings for the parts it lacks)."""
    fields = ("region", "district", "settlement", "street", "house", "flat")
    return tuple(_text(record, f) or "" for f in fields)


def residence_entities(ids: EntityIds, record: Record, source: RecordSource) -> list[Entity]:
    """A residence record: the `Person`, the `Address` and the dated `UnknownLink`."""
    region, district, settlement, street, house, flat = address_parts(record)
    street_line = " ".join(p for p in (street, house) if p)
    flat_line = f"{_FLAT} {flat}" if flat else ""
    address_id = ids.address(address_parts(record))
    address = entity(
        address_id,
        "Address",
        {
            "full": [
                ", ".join(p for p in (street_line, flat_line, settlement, district, region) if p)
            ],
            "street": [street_line],
            "street2": [flat_line],
            "city": [settlement],
            "region": [district],
            "state": [region],
            "country": [COUNTRY],
        },
        [source.dataset],
    )
    person = _record_person(ids, record, source, addressEntity=[address_id])
    link = entity(
        ids.record(source.kind, str(record["record_key"])),
        "UnknownLink",
        {
            "subject": [person["id"]],
            "object": [address_id],
            "role": [RESIDENCE_ROLE],
            "startDate": [_date(record, "registered_from")],
            "endDate": [_date(record, "registered_to")],
            "status": [_text(record, "deregistration_reason")],
            "recordId": [_text(record, "record_id")],
            "summary": [source.summary()],
        },
        [source.dataset],
    )
    return [address, person, link]


def _organization(
    ids: EntityIds, name: str | None, place: str | None, level: str | None, source: RecordSource
) -> Entity:
    parts = (name or "", place or "", level or "")
    return entity(
        ids.organization(parts),
        "Organization",
        {"name": [name], "address": [place], "classification": [level], "country": [COUNTRY]},
        [source.dataset],
    )


def employment_entities(ids: EntityIds, record: Record, source: RecordSource) -> list[Entity]:
    """An employment record: the `Person`, the employer (`Organization`) and the `Employment`."""
    employer = _organization(
        ids, _text(record, "employer"), _text(record, "employer_settlement"), None, source
    )
    person = _record_person(ids, record, source)
    link = entity(
        ids.record(source.kind, str(record["record_key"])),
        "Employment",
        {
            "employee": [person["id"]],
            "employer": [employer["id"]],
            "role": [_text(record, "position")],
            "startDate": [_date(record, "employed_from")],
            "endDate": [_date(record, "employed_to")],
            "recordId": [_text(record, "record_id")],
            "summary": [source.summary()],
        },
        [source.dataset],
    )
    return [employer, person, link]


def education_entities(ids: EntityIds, record: Record, source: RecordSource) -> list[Entity]:
    """An education record: the `Person`, the institution (`Organization`) and a `Membership`
    whose role is the programme and whose dates are the years of study."""
    institution = _organization(
        ids,
        _text(record, "institution"),
        _text(record, "institution_settlement"),
        _text(record, "level"),
        source,
    )
    person = _record_person(ids, record, source)
    link = entity(
        ids.record(source.kind, str(record["record_key"])),
        "Membership",
        {
            "member": [person["id"]],
            "organization": [institution["id"]],
            "role": [_text(record, "programme")],
            "startDate": [_year(record, "start_year")],
            "endDate": [_year(record, "graduation_year")],
            "recordId": [_text(record, "record_id")],
            "summary": [source.summary()],
        },
        [source.dataset],
    )
    return [institution, person, link]


_BUILDERS = {
    "identity": identity_entities,
    "residence": residence_entities,
    "education": education_entities,
    "employment": employment_entities,
    "watchlist": watchlist_entities,
}


def record_entities(ids: EntityIds, record: Record, source: RecordSource) -> list[Entity]:
    """The entities of one registry record of kind `source.kind`: shared entities (an Address,
    an Organization) first, then the Person, then the link."""
    try:
        build = _BUILDERS[source.kind]
    except KeyError:
        raise ValueError(f"unknown registry kind {source.kind!r}") from None
    return build(ids, record, source)


def record_person_id(ids: EntityIds, kind: str, record_key: str) -> str:
    """The id of the `Person` entity a record of `kind` names (its own Person for identity and
    watchlist records, the record's Person beside the link for the other kinds)."""
    if kind in ("identity", "watchlist"):
        return ids.record(kind, record_key)
    return ids.record_person(kind, record_key)


def resolved_person(
    ids: EntityIds,
    person_id: int,
    identity_records: Sequence[Record],
    referents: Sequence[str] = (),
) -> Entity:
    """A resolved person: one `Person` holding every value of its identity records (names in
    each spelling, each birth date given, documents), in the dataset `bonafide_persons`, with
    `referents` naming the record entities it was resolved from."""
    merged: dict[str, list[str | None]] = {}
    for record in identity_records:
        for name, values in _identity_properties(record).items():
            merged.setdefault(name, []).extend(values)
    count = len(identity_records)
    merged["summary"] = [f"resolved person: {count} identity record{'s' if count != 1 else ''}"]
    return entity(ids.person(person_id), "Person", merged, [PERSONS_DATASET], referents)
