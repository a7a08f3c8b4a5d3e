"""Mapping files: their format, their errors and automatic mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from bonafide.errors import MappingError
from bonafide.registry import Kind, SourceFormat, kind_schema, load_mapping, resolve_mapping
from bonafide.registry.mapping import ColumnMapping

IDENTITY = kind_schema("identity")
FILE = Path("people.csv")
COLUMNS = ("ФАМИЛИЯ", "ИМЯ", "ДАТА_РОЖДЕНИЯ", "ПОЛ", "ПРИМЕЧАНИЕ")

FULL = """
kind = "identity"
[source]
format = "csv"
encoding = "windows-1251"
delimiter = ";"
[columns]
surname = "ФАМИЛИЯ"
given_name = "ИМЯ"
birth_date = "ДАТА_РОЖДЕНИЯ"
sex = "ПОЛ"
[date_formats]
birth_date = "%d.%m.%Y"
[values.sex]
"1" = "m"
" 2 " = "f"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "map.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_mapping_is_read(tmp_path: Path) -> None:
    mapping = load_mapping(write(tmp_path, FULL))
    assert mapping.kind is Kind.IDENTITY
    assert mapping.source.format is SourceFormat.CSV
    assert mapping.source.encoding == "windows-1251"
    assert mapping.source.delimiter == ";"
    assert mapping.columns == {
        "surname": "ФАМИЛИЯ",
        "given_name": "ИМЯ",
        "birth_date": "ДАТА_РОЖДЕНИЯ",
        "sex": "ПОЛ",
    }
    assert mapping.date_formats == {"birth_date": ("%d.%m.%Y",)}
    assert mapping.values == {"sex": {"1": "m", "2": "f"}}


def test_resolved_mapping_lists_fields_sources_and_unmapped(tmp_path: Path) -> None:
    resolved = resolve_mapping(load_mapping(write(tmp_path, FULL)), IDENTITY, COLUMNS, FILE)
    assert resolved.fields == (
        ("surname", "ФАМИЛИЯ"),
        ("given_name", "ИМЯ"),
        ("birth_date", "ДАТА_РОЖДЕНИЯ"),
        ("sex", "ПОЛ"),
    )
    assert resolved.sources == ("ФАМИЛИЯ", "ИМЯ", "ДАТА_РОЖДЕНИЯ", "ПОЛ")
    assert resolved.unmapped == ("ПРИМЕЧАНИЕ",)
    assert resolved.alternatives == (("surname", "given_name", "birth_date"),)


def test_two_fields_may_come_from_one_column() -> None:
    mapping = ColumnMapping(
        columns={"full_name": "ФИО", "surname_latin": "ФИО", "birth_date": "ДР"}
    )
    resolved = resolve_mapping(mapping, IDENTITY, ("ФИО", "ДР"), FILE)
    assert resolved.sources == ("ФИО", "ДР")
    assert resolved.source_of("surname_latin") == "ФИО"
    assert resolved.alternatives == (("full_name", "birth_date"),)


def test_automatic_mapping_ignores_case_and_reports_the_rest() -> None:
    resolved = resolve_mapping(
        None, IDENTITY, ("Surname", "GIVEN_NAME", " birth_date ", "notes"), FILE
    )
    assert resolved.fields == (
        ("surname", "Surname"),
        ("given_name", "GIVEN_NAME"),
        ("birth_date", " birth_date "),
    )
    assert resolved.unmapped == ("notes",)


def test_mapping_without_columns_table_maps_automatically(tmp_path: Path) -> None:
    mapping = load_mapping(write(tmp_path, '[source]\ndelimiter = "tab"\n'))
    assert mapping.columns is None
    assert mapping.source.delimiter == "\t"
    resolved = resolve_mapping(mapping, IDENTITY, ("full_name", "birth_date"), FILE)
    assert resolved.fields == (("full_name", "full_name"), ("birth_date", "birth_date"))


def test_automatic_mapping_refuses_two_candidate_columns() -> None:
    with pytest.raises(MappingError, match="all look like field 'surname'") as error:
        resolve_mapping(None, IDENTITY, ("surname", "SURNAME", "birth_date"), FILE)
    assert error.value.hint is not None
    assert "--mapping" in error.value.hint


def test_unknown_canonical_field(tmp_path: Path) -> None:
    path = write(tmp_path, '[columns]\nsurnme = "ФАМИЛИЯ"\nbirth_date = "ДАТА_РОЖДЕНИЯ"\n')
    with pytest.raises(MappingError) as error:
        resolve_mapping(load_mapping(path), IDENTITY, COLUMNS, FILE)
    assert "[columns] names 'surnme', which is not a field of kind 'identity'" in str(error.value)
    assert str(path) in str(error.value)
    assert error.value.hint is not None
    assert "did you mean 'surname'?" in error.value.hint


def test_source_column_missing_from_file_lists_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path, '[columns]\nsurname = "Фамилия"\nbirth_date = "ДАТА_РОЖДЕНИЯ"\n')
    with pytest.raises(MappingError) as error:
        resolve_mapping(load_mapping(path), IDENTITY, COLUMNS, FILE)
    message = str(error.value)
    assert "people.csv: has no column 'Фамилия'" in message
    assert "to field 'surname'" in message
    assert error.value.hint is not None
    assert "did you mean 'ФАМИЛИЯ'?" in error.value.hint
    assert "'ФАМИЛИЯ', 'ИМЯ', 'ДАТА_РОЖДЕНИЯ', 'ПОЛ', 'ПРИМЕЧАНИЕ'" in error.value.hint


def test_required_field_without_mapping() -> None:
    mapping = ColumnMapping(columns={"surname": "ФАМИЛИЯ", "given_name": "ИМЯ"})
    with pytest.raises(MappingError) as error:
        resolve_mapping(mapping, IDENTITY, COLUMNS, FILE)
    assert "maps no column to required field(s) full_name, birth_date" in str(error.value)
    assert error.value.hint is not None
    assert (
        "needs surname, given_name and birth_date, or full_name and birth_date" in error.value.hint
    )


def test_repeated_source_column_is_ambiguous() -> None:
    mapping = ColumnMapping(columns={"full_name": "ФИО", "birth_date": "ДР"})
    with pytest.raises(MappingError, match=r"'ФИО' .* appears 2 times"):
        resolve_mapping(mapping, IDENTITY, ("ФИО", "ДР", "ФИО"), FILE)


def test_kind_must_agree(tmp_path: Path) -> None:
    mapping = load_mapping(write(tmp_path, 'kind = "residence"\n'))
    with pytest.raises(MappingError, match="is for kind 'residence'") as error:
        resolve_mapping(mapping, IDENTITY, COLUMNS, FILE)
    assert error.value.hint is not None
    assert "--kind residence" in error.value.hint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[columns\nsurname = 1", "is not valid TOML"),
        ('kind = "people"', "kind = 'people' is not a registry kind"),
        ('colums = "x"', "unknown key 'colums'"),
        ('[source]\ncharset = "utf-8"', "unknown key 'charset' in [source]"),
        ('[source]\nformat = "xlsx"', "format = 'xlsx' is not a known format"),
        ('[source]\ndelimiter = ";;"', "delimiter ';;' must be one character"),
        ("[columns]\nsurname = 3", "[columns] surname = 3 must be a string"),
        ('[date_formats]\nbirth_date = "%d.%m"', "is not a usable strptime format"),
        ('[date_formats]\nbirth_date = "%d.%m.%Y %Q"', "is not a usable strptime format"),
        ("[date_formats]\nbirth_date = []", "must be a format or a list of formats"),
        ('[values.sex]\n"1" = "male"', 'must map to "m" or "f"'),
        ('source = "csv"', "'source' must be a table"),
    ],
)
def test_malformed_mapping_files(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(MappingError) as error:
        load_mapping(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)
    assert error.value.hint
    assert "may hold are" not in error.value.hint  # words, not a template's


def test_an_unknown_key_is_answered_with_the_close_one_and_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(MappingError) as error:
        load_mapping(write(tmp_path, '[source]\nencodng = "utf-8"'))
    assert error.value.hint is not None
    assert error.value.hint.startswith("did you mean 'encoding'? the keys known in [source]: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[date_formats]\nsurname = "%Y"', "[date_formats] names 'surname', which is not a date"),
        ('[values.birth_date]\n"1" = "m"', "which is not a sex field"),
        ('[values.gender]\n"1" = "m"', "[values] names 'gender', which is not a field"),
    ],
)
def test_mapping_tables_must_name_fields_of_the_right_type(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(MappingError, match=message.replace("[", r"\[").replace("]", r"\]")):
        resolve_mapping(load_mapping(write(tmp_path, text)), IDENTITY, COLUMNS, FILE)


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="does not exist"):
        load_mapping(tmp_path / "nope.toml")


def test_date_formats_may_be_a_list(tmp_path: Path) -> None:
    mapping = load_mapping(write(tmp_path, '[date_formats]\nbirth_date = ["%d.%m.%Y", "%Y"]'))
    assert mapping.date_formats == {"birth_date": ("%d.%m.%Y", "%Y")}
