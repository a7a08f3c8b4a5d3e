"""The normalisation SQL, run in DuckDB on single values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import duckdb
import pytest

from bonafide.registry.normalise import field_sql
from bonafide.registry.schema import Field, FieldType
from bonafide.registry.sql import ident, layered_select


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    yield connection
    connection.close()


def normalise(
    con: duckdb.DuckDBPyConnection,
    type_: FieldType,
    value: str | None,
    *,
    date_formats: Sequence[str] = (),
    sex_values: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The stored columns and the problem for one value of a field `x`."""
    sql = field_sql(Field("x", type_, ""), '"v"', date_formats=date_formats, sex_values=sex_values)
    names = [*sql.stored, *([sql.problem] if sql.problem else [])]
    query = layered_select("(SELECT ?::VARCHAR AS v)", sql.layers, [ident(n) for n in names])
    row = con.execute(query, [value]).fetchone()
    assert row is not None
    result = dict(zip(names, row, strict=True))
    return {("problem" if k == "x__problem" else k): v for k, v in result.items()}


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("1990-02-03", dt.date(1990, 2, 3), "day"),
        ("03.02.1990", dt.date(1990, 2, 3), "day"),
        ("03/02/1990", dt.date(1990, 2, 3), "day"),
        ("03-02-1990", dt.date(1990, 2, 3), "day"),
        ("19900203", dt.date(1990, 2, 3), "day"),
        ("1990.02.03", dt.date(1990, 2, 3), "day"),
        ("1990-02-03T10:20:30", dt.date(1990, 2, 3), "day"),
        ("1990-02-03 10:20", dt.date(1990, 2, 3), "day"),
        ("1990-02-03 00:00:00.000000", dt.date(1990, 2, 3), "day"),
        ("3.2.1990", dt.date(1990, 2, 3), "day"),
        ("3/2/1990", dt.date(1990, 2, 3), "day"),
        ("1990-2-3", dt.date(1990, 2, 3), "day"),
        ("  03.02.1990 ", dt.date(1990, 2, 3), "day"),
        ("02.1990", dt.date(1990, 2, 1), "month"),
        ("2.1990", dt.date(1990, 2, 1), "month"),
        ("1990-02", dt.date(1990, 2, 1), "month"),
        ("1990", dt.date(1990, 1, 1), "year"),
        ("29.02.2000", dt.date(2000, 2, 29), "day"),
    ],
)
def test_accepted_dates(
    con: duckdb.DuckDBPyConnection, text: str, date: dt.date, precision: str
) -> None:
    assert normalise(con, FieldType.DATE, text) == {
        "x": date,
        "x_precision": precision,
        "problem": None,
    }


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("31.02.1990", "not a date; expected YYYY-MM-DD, DD.MM.YYYY"),
        ("29.02.1900", "not a date"),
        ("1990-13-01", "not a date"),
        ("13.1990", "not a date"),
        ("00.00.0000", "not a date"),
        ("03.02.90", "not a date"),
        ("вчера", "not a date"),
        ("1990-02-03x", "not a date"),
        ("01.01.1899", "outside 1900–2100"),
        ("2101", "outside 1900–2100"),
    ],
)
def test_rejected_dates(con: duckdb.DuckDBPyConnection, text: str, complaint: str) -> None:
    result = normalise(con, FieldType.DATE, text)
    assert result["x"] is None
    assert result["x_precision"] is None
    assert result["problem"].startswith(f"x: {complaint}")
    assert text.strip() not in result["problem"]  # the field and the problem, not the value


@pytest.mark.parametrize("text", [None, "", "   ", "\t"])
def test_empty_date_is_missing_not_a_problem(
    con: duckdb.DuckDBPyConnection, text: str | None
) -> None:
    assert normalise(con, FieldType.DATE, text) == {
        "x": None,
        "x_precision": None,
        "problem": None,
    }


@pytest.mark.parametrize(
    ("formats", "text", "date", "precision"),
    [
        (["%d %m %Y"], "03 02 1990", dt.date(1990, 2, 3), "day"),
        (["%d %m %Y", "%Y"], "1990", dt.date(1990, 1, 1), "year"),
        (["%m/%Y"], "02/1990", dt.date(1990, 2, 1), "month"),
        (["%d %B %Y"], "03 February 1990", dt.date(1990, 2, 3), "day"),
    ],
)
def test_explicit_date_formats(
    con: duckdb.DuckDBPyConnection,
    formats: list[str],
    text: str,
    date: dt.date,
    precision: str,
) -> None:
    result = normalise(con, FieldType.DATE, text, date_formats=formats)
    assert (result["x"], result["x_precision"], result["problem"]) == (date, precision, None)


def test_explicit_date_formats_replace_the_defaults(con: duckdb.DuckDBPyConnection) -> None:
    result = normalise(con, FieldType.DATE, "1990-02-03", date_formats=["%d.%m.%Y"])
    assert result["x"] is None
    assert "expected %d.%m.%Y (as set in [date_formats]" in result["problem"]


@pytest.mark.parametrize(
    ("text", "year", "complaint"),
    [
        ("2015", 2015, None),
        ("2015.0", 2015, None),
        (" 1999 ", 1999, None),
        ("15", None, "x: not a year; expected YYYY"),
        ("1899", None, "x: outside 1900–2100"),
        ("2015.5", None, "x: not a year"),
        ("две тысячи", None, "x: not a year"),
        ("", None, None),
    ],
)
def test_years(
    con: duckdb.DuckDBPyConnection, text: str, year: int | None, complaint: str | None
) -> None:
    result = normalise(con, FieldType.YEAR, text)
    assert result["x"] == year
    if complaint is None:
        assert result["problem"] is None
    else:
        assert complaint in result["problem"]


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("м", "m"),
        ("М", "m"),
        ("муж", "m"),
        ("Мужской", "m"),
        ("m", "m"),
        ("M", "m"),
        ("male", "m"),
        ("ж", "f"),
        ("Ж", "f"),
        ("жен", "f"),
        ("женский", "f"),
        ("f", "f"),
        ("F", "f"),
        ("Female", "f"),
        (" ж ", "f"),
        ("мужчынскі", "m"),
        ("жаночы", "f"),
    ],
)
def test_sex_values(con: duckdb.DuckDBPyConnection, text: str, sex: str) -> None:
    assert normalise(con, FieldType.SEX, text) == {"x": sex, "problem": None}


@pytest.mark.parametrize("text", ["1", "2", "x", "мж"])
def test_unknown_sex_values_are_problems(con: duckdb.DuckDBPyConnection, text: str) -> None:
    result = normalise(con, FieldType.SEX, text)
    assert result["x"] is None
    assert result["problem"].startswith("x: not a recognised sex")
    assert f"'{text}'" not in result["problem"]
    assert "[values.x]" in result["problem"]


def test_sex_value_mapping_adds_values(con: duckdb.DuckDBPyConnection) -> None:
    extra = {"1": "m", "2": "f", "ж": "m"}
    assert normalise(con, FieldType.SEX, "1", sex_values=extra)["x"] == "m"
    assert normalise(con, FieldType.SEX, "2", sex_values=extra)["x"] == "f"
    assert normalise(con, FieldType.SEX, "Ж", sex_values=extra)["x"] == "m"  # mapping wins
    assert normalise(con, FieldType.SEX, "М", sex_values=extra)["x"] == "m"  # built-ins stay


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Іваноў", "be"),
        ("Шчарбакоў", "be"),
        ("Вераб'ёў", "be"),
        ("Вераб’ёў", "be"),
        ("Иванов", "ru"),
        ("Щукин", "ru"),
        ("Подъячев", "ru"),
        ("Пётр", "cyrl"),
        ("Янка", "cyrl"),
        ("Smith", "latn"),
        ("O'Brien", "latn"),
        ("Łukaszenka", "latn"),
        ("Мiхаiл", "mixed"),  # Latin i in a Cyrillic name
        ("Ivan Иванов", "mixed"),
        ("123", "mixed"),
    ],
)
def test_name_scripts(con: duckdb.DuckDBPyConnection, text: str, script: str) -> None:
    assert normalise(con, FieldType.NAME, text)["x_script"] == script


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("  ИВАНОВ  ", "иванов"),
        ("Анна\t\tМария", "анна мария"),
        ("Анна\u00a0 Мария", "анна мария"),
        ("Анна\nМария", "анна мария"),
        ("И\u0306ван", "йван"),  # decomposed й becomes one character
        ("Е\u0308лкин", "ёлкин"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_names_are_nfc_trimmed_collapsed_lower(
    con: duckdb.DuckDBPyConnection, text: str | None, value: str | None
) -> None:
    result = normalise(con, FieldType.NAME, text)
    assert result["x"] == value
    if value is not None:
        assert len(result["x"]) == len(value)


def test_empty_name_has_no_script(con: duckdb.DuckDBPyConnection) -> None:
    assert normalise(con, FieldType.NAME, " ")["x_script"] is None


def test_text_is_normalised_like_names_without_script(con: duckdb.DuckDBPyConnection) -> None:
    assert normalise(con, FieldType.TEXT, " г.  Минск ") == {"x": "г. минск"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("mp 1234567", "MP1234567"),
        ("МР-123-45-67", "МР1234567"),
        ("3100190A001PB1", "3100190A001PB1"),
        ("ab\u20141234567", "AB1234567"),
        (" - ", None),
    ],
)
def test_documents_upper_without_spaces_and_dashes(
    con: duckdb.DuckDBPyConnection, text: str, value: str | None
) -> None:
    assert normalise(con, FieldType.DOCUMENT, text) == {"x": value}


def test_ids_are_trimmed_only(con: duckdb.DuckDBPyConnection) -> None:
    assert normalise(con, FieldType.ID, "  Ab-12 ") == {"x": "Ab-12"}


def test_reasons_never_repeat_the_value(con: duckdb.DuckDBPyConnection) -> None:
    problem = normalise(con, FieldType.DATE, "q" * 500)["problem"]
    assert problem.startswith("x: not a date")
    assert "qq" not in problem
