"""The entities bonafide writes are valid FtM: known schemata, known properties, sound values."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from bonafide.ftm.entities import RecordSource, ftm_date, record_entities, resolved_person
from bonafide.ftm.ids import EntityIds

from .conftest import Exported

# Every property of these schemata in FtM 4.11 (followthemoney/schema/*.yaml, with inheritance)
PROPERTIES: dict[str, list[str]] = {
    schema: names
    for schema, names in json.loads(
        (Path(__file__).parent / "ftm_properties.json").read_text(encoding="utf-8")
    ).items()
    if not schema.startswith("_")
}
REFERENCES = {
    "holder": {"Person"},
    "subject": {"Person"},
    "object": {"Address"},
    "employee": {"Person"},
    "employer": {"Organization"},
    "member": {"Person"},
    "organization": {"Organization"},
    "addressEntity": {"Address"},
}
DATES = {"birthDate", "deathDate", "createdAt", "startDate", "endDate"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
IDS = EntityIds(b"k" * 32)
RECORD = {
    "record_key": "abc",
    "import_id": 1,
    "source_row": 7,
    "record_id_orig": "ID1",
    "surname_orig": " Иванова ",
    "given_name_orig": "Анна",
    "patronymic_orig": "Петровна",
    "birth_date": dt.date(1990, 4, 1),
    "birth_date_precision": "month",
    "sex": "f",
    "personal_number": "4010490A000PB1",
    "passport_number": "MP1234567",
    "issued_on": dt.date(2015, 1, 2),
    "issued_on_precision": "day",
    "surname_latin_orig": "IVANOVA",
    "given_name_latin_orig": "ANNA",
}


def _check(entity: dict[str, Any], ids: dict[str, str]) -> None:
    schema = entity["schema"]
    assert schema in PROPERTIES, schema
    props = entity["properties"]
    assert isinstance(props, dict)
    for name, values in props.items():
        assert name in PROPERTIES[str(schema)], f"{schema} has no property {name}"
        assert values
        assert all(isinstance(v, str) and v for v in values)
        if name in DATES:
            assert all(DATE.match(v) for v in values), (name, values)
        if name in REFERENCES:
            assert {ids[v] for v in values} <= REFERENCES[name], name
    if schema in ("Person", "Organization"):
        assert props.get("name"), f"a {schema} needs a name"
    assert entity["datasets"]
    assert all(str(d).startswith("bonafide_") for d in entity["datasets"])


def test_every_exported_entity_is_valid(exported: Exported) -> None:
    entities = [json.loads(line) for line in exported.text.splitlines()]
    ids = {e["id"]: e["schema"] for e in entities}
    assert len(ids) == len(entities), "an entity is written twice"
    for entity in entities:
        _check(entity, ids)
        for referent in entity.get("referents", ()):
            assert referent in ids
    schemata = {e["schema"] for e in entities}
    assert schemata == {
        "Person",
        "Passport",
        "Address",
        "UnknownLink",
        "Organization",
        "Employment",
        "Membership",
    }


def test_a_person_entity() -> None:
    person, passport = record_entities(IDS, RECORD, RecordSource.of("identity", RECORD, "id.csv"))
    assert person["schema"] == "Person"
    assert person["properties"] == {
        "name": ["Иванова Анна Петровна"],
        "lastName": ["Иванова"],
        "firstName": ["Анна"],
        "fatherName": ["Петровна"],
        "birthDate": ["1990-04"],
        "gender": ["female"],
        "idNumber": ["4010490A000PB1"],
        "nationality": ["by"],
        "alias": ["ANNA IVANOVA"],
        "passportNumber": ["MP1234567"],
        "summary": ["identity registry: import 1 (id.csv), row 7"],
    }
    assert person["datasets"] == ["bonafide_identity"]
    assert passport["properties"]["holder"] == [person["id"]]
    assert passport["properties"]["startDate"] == ["2015-01-02"]
    _check(person, {})
    merged = resolved_person(IDS, 5, [RECORD, {**RECORD, "surname_orig": "Іванова"}], ["x"])
    assert merged["properties"]["lastName"] == ["Иванова", "Іванова"]
    assert merged["referents"] == ["x"]
    assert merged["datasets"] == ["bonafide_persons"]


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (dt.date(1990, 4, 1), "day", "1990-04-01"),
        (dt.date(1990, 4, 1), "month", "1990-04"),
        (dt.date(1990, 1, 1), "year", "1990"),
        (2004, None, "2004"),
        ("19870407", None, "1987-04-07"),
        ("1987-04", None, "1987-04"),
        ("about 1987", None, None),
        (None, "day", None),
    ],
)
def test_dates_keep_their_precision(value: object, precision: str, expected: str | None) -> None:
    assert ftm_date(value, precision) == expected


def test_ids_need_a_key() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        EntityIds(b"short")
    assert IDS.record("identity", "abc") == EntityIds(b"k" * 32).record("identity", "abc")
    assert IDS.record("identity", "abc") != EntityIds(b"j" * 32).record("identity", "abc")
