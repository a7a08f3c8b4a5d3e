"""Importing files end to end: counts, rejects, warnings, duplicates, re-imports."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonafide.registry import (
    ColumnMapping,
    ImportReport,
    RegistryStore,
    SourceOptions,
    import_registry,
)
from tests.vaults import vault_for

from .helpers import TEST_SETTINGS, ImportFile, csv_text, record_count, rejects

HEADER = ["surname", "given_name", "birth_date", "sex", "issued_on", "note"]


def people(*rows: list[str]) -> str:
    return csv_text([HEADER, *rows])


def test_import_counts_and_stores_normalised_and_original_values(
    import_file: ImportFile, store: RegistryStore
) -> None:
    report = import_file(
        "people.csv",
        people(
            ["Іваноў", " Янка ", "03.02.1990", "М", "2015", "x"],
            ["Smith", "John", "1985-01", "f", "", "y"],
        ),
    )
    assert (report.rows_read, report.rows_added, report.rows_rejected) == (2, 2, 0)
    assert report.unmapped_columns == ("note",)
    assert report.reject_file is None
    rows = store.execute(
        "test",
        "SELECT surname, surname_orig, surname_script, given_name, given_name_orig, "
        "birth_date, birth_date_orig, birth_date_precision, sex, issued_on_precision, "
        "import_id, source_row FROM registry_identity ORDER BY source_row",
    )
    assert rows == [
        (
            "іваноў",
            "Іваноў",
            "be",
            "янка",
            " Янка ",
            dt.date(1990, 2, 3),
            "03.02.1990",
            "day",
            "m",
            "year",
            report.import_id,
            1,
        ),
        (
            "smith",
            "Smith",
            "latn",
            "john",
            "John",
            dt.date(1985, 1, 1),
            "1985-01",
            "month",
            "f",
            None,
            report.import_id,
            2,
        ),
    ]


def test_imports_table_records_the_import(import_file: ImportFile, store: RegistryStore) -> None:
    report = import_file("people.csv", people(["A", "B", "1990", "", "", ""], ["A"]))
    row = store.execute(
        "test",
        "SELECT import_id, kind, file_name, file_sha256, file_bytes, source_format, encoding, "
        "mapping, rows_read, rows_added, rows_duplicate_in_file, rows_already_present, "
        "rows_rejected, warnings, started_at <= finished_at FROM imports",
    )
    content = report.file.read_bytes()
    assert row == [
        (
            report.import_id,
            "identity",
            "people.csv",
            hashlib.sha256(content).hexdigest(),
            len(content),
            "csv",
            "utf-8",
            json.dumps(
                {
                    "surname": "surname",
                    "given_name": "given_name",
                    "birth_date": "birth_date",
                    "sex": "sex",
                    "issued_on": "issued_on",
                }
            ),
            2,
            1,
            0,
            0,
            1,
            0,
            True,
        ),
    ]


def test_record_key_is_md5_of_kind_and_original_values(
    import_file: ImportFile, store: RegistryStore
) -> None:
    import_file(
        "people.csv", csv_text([["surname", "birth_date", "given_name"], ["A", "1990", "B"]])
    )
    key = store.scalar("test", "SELECT record_key FROM registry_identity")
    values = {"surname": "A", "given_name": "B", "birth_date": "1990"}
    from bonafide.registry import kind_schema

    parts = ["identity", *(values.get(n, "") for n in kind_schema("identity").field_names)]
    assert key == hashlib.md5("\x1f".join(parts).encode()).hexdigest()


def test_required_fields_missing_or_unparseable_reject_the_row(import_file: ImportFile) -> None:
    report = import_file(
        "people.csv",
        people(
            ["Иванов", "Иван", "31.02.1990", "м", "", ""],
            ["Петров", "", "1990", "м", "", ""],
            ["", "", "", "", "", ""],
            ["Сидоров", "Пётр", "1990", "м", "", ""],
        ),
    )
    assert (report.rows_read, report.rows_added, report.rows_rejected) == (4, 1, 3)
    found = [(r["row"], r["field"], r["severity"]) for r in rejects(report)]
    assert found == [
        ("1", "birth_date", "reject"),
        ("2", "given_name", "reject"),
        ("3", "birth_date", "reject"),
        ("3", "given_name", "reject"),
        ("3", "surname", "reject"),
    ]
    first = rejects(report)[0]
    assert first["reason"].startswith("birth_date: not a date; expected")
    assert first["reason"].endswith("; each row needs surname, given_name and birth_date")
    assert json.loads(first["raw"]) == {
        "surname": "Иванов",
        "given_name": "Иван",
        "birth_date": "31.02.1990",
        "sex": "м",
        "issued_on": "",
    }


def test_reject_reasons_follow_the_closest_alternative(import_file: ImportFile) -> None:
    report = import_file(
        "people.csv",
        csv_text(
            [
                ["surname", "given_name", "full_name", "birth_date"],
                ["Иванов", "", "", "1990"],  # surname path is closer: given_name is missing
                ["", "", "Иванов Иван", ""],  # full_name path is closer: birth_date is missing
            ]
        ),
    )
    assert [(r["row"], r["field"]) for r in rejects(report)] == [
        ("1", "given_name"),
        ("2", "birth_date"),
    ]
    assert rejects(report)[0]["reason"] == (
        "given_name is empty; each row needs surname, given_name and birth_date, "
        "or full_name and birth_date"
    )


def test_unparseable_optional_fields_are_warnings(
    import_file: ImportFile, store: RegistryStore
) -> None:
    report = import_file("people.csv", people(["Иванов", "Иван", "1990", "x", "31.13.2015", ""]))
    assert (report.rows_added, report.rows_rejected, report.warnings) == (1, 0, 2)
    assert [(r["field"], r["severity"]) for r in rejects(report)] == [
        ("issued_on", "warning"),
        ("sex", "warning"),
    ]
    assert store.execute("test", "SELECT sex, sex_orig, issued_on FROM registry_identity") == [
        (None, "x", None)
    ]


def test_duplicate_rows_in_a_file_keep_the_first(
    import_file: ImportFile, store: RegistryStore
) -> None:
    row = ["Иванов", "Иван", "1990", "м", "", ""]
    report = import_file(
        "people.csv", people(row, ["Петров", "Пётр", "1991", "", "", ""], row, row)
    )
    assert (report.rows_read, report.rows_added, report.rows_duplicate_in_file) == (4, 2, 2)
    assert [(r["row"], r["severity"], r["reason"]) for r in rejects(report)] == [
        ("3", "duplicate", "same as row 1"),
        ("4", "duplicate", "same as row 1"),
    ]
    assert store.execute("test", "SELECT source_row FROM registry_identity ORDER BY 1") == [
        (1,),
        (2,),
    ]


def test_reimporting_the_same_file_adds_nothing(
    import_file: ImportFile, store: RegistryStore
) -> None:
    text = people(
        ["Иванов", "Иван", "1990", "м", "", ""],
        ["Иванов", "Иван", "1990", "м", "", ""],
        ["Петров", "", "1991", "", "", ""],
        ["Сидоров", "Пётр", "1992", "x", "", ""],
    )
    first = import_file("people.csv", text)
    second = import_file("people.csv", text)
    assert (first.rows_added, first.rows_already_present) == (2, 0)
    assert (second.rows_added, second.rows_already_present) == (0, 2)
    assert second.rows_duplicate_in_file == first.rows_duplicate_in_file == 1
    assert second.rows_rejected == first.rows_rejected == 1
    assert second.earlier_imports_of_file == (first.import_id,)
    assert record_count(store) == 2
    # a file holding old and new records adds only the new
    third = import_file(
        "more.csv",
        people(["Иванов", "Иван", "1990", "м", "", ""], ["Новиков", "Ян", "1993", "", "", ""]),
    )
    assert (third.rows_added, third.rows_already_present) == (1, 1)
    assert record_count(store) == 3


def test_windows_1251_semicolon_file(import_file: ImportFile, store: RegistryStore) -> None:
    text = "ФАМИЛИЯ;ИМЯ;ДАТА\nІваноў;Янка;01.02.1990\nЩукин;Олег;1980\n"
    mapping = ColumnMapping(
        columns={"surname": "ФАМИЛИЯ", "given_name": "ИМЯ", "birth_date": "ДАТА"}
    )
    report = import_file("cp.csv", text.encode("cp1251"), mapping=mapping)
    assert (report.encoding, report.encoding_detected, report.delimiter) == (
        "windows-1251",
        True,
        ";",
    )
    assert any("not valid UTF-8" in note for note in report.notes)
    assert report.rows_added == 2
    assert store.execute(
        "test", "SELECT surname, surname_script FROM registry_identity ORDER BY source_row"
    ) == [
        ("іваноў", "be"),
        ("щукин", "ru"),
    ]


def test_tab_delimited_with_option(import_file: ImportFile) -> None:
    text = "surname\tgiven_name\tbirth_date\nИванов\tИван, мл.\t1990\n"
    report = import_file("t.txt", text, source=SourceOptions(delimiter="\t"))
    assert (report.delimiter, report.rows_added) == ("\t", 1)


def test_malformed_csv_rows_are_rejected_with_raw_text(import_file: ImportFile) -> None:
    text = (
        "surname,given_name,birth_date\n"
        "Иванов,Иван,1990\n"
        "Петров,Пётр\n"
        '"Сидо\nров",Пётр,1991\n'
        "a,b,c,d\n"
        "Козлов,Ян,1992\n"
    )
    report = import_file("m.csv", text)
    assert (report.rows_read, report.rows_added, report.rows_rejected) == (5, 3, 2)
    assert [(r["row"], r["raw"]) for r in rejects(report)] == [
        ("2", "Петров,Пётр"),
        ("4", "a,b,c,d"),
    ]


def test_jsonl_import(import_file: ImportFile) -> None:
    lines = [
        {"surname": "Иванов", "given_name": "Иван", "birth_date": "1990-01-02"},
        "garbage",
        {"surname": "Петров", "given_name": "Пётр", "birth_date": 19900102},
        {"surname": ["x"], "given_name": "y", "birth_date": "1990"},
    ]
    text = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    report = import_file("p.jsonl", text)
    assert (report.rows_read, report.rows_added, report.rows_rejected) == (4, 2, 2)
    found = [(r["row"], r["field"], r["raw"]) for r in rejects(report)]
    assert found == [("2", "", "garbage"), ("4", "surname", json.dumps(lines[3]))]


def test_parquet_import(import_file: ImportFile, tmp_path: Path, store: RegistryStore) -> None:
    path = tmp_path / "p.parquet"
    pq.write_table(
        pa.table(
            {
                "surname": ["Иванов", "Петров", None],
                "given_name": ["Иван", "Пётр", "X"],
                "birth_date": [dt.date(1990, 1, 2), dt.date(1991, 3, 4), dt.date(1992, 1, 1)],
                "start_year": [2015.0, None, 1.0],
            }
        ),
        path,
    )
    report = import_registry(store, path, "identity")
    assert (report.rows_read, report.rows_added, report.rows_rejected) == (3, 2, 1)
    assert report.unmapped_columns == ("start_year",)
    assert store.execute("test", "SELECT birth_date_orig FROM registry_identity ORDER BY 1") == [
        ("1990-01-02",),
        ("1991-03-04",),
    ]


def test_huge_field_rejects_the_row(import_file: ImportFile) -> None:
    huge = "Ы" * 40_000
    report = import_file(
        "h.csv",
        people(["Иванов", "Иван", "1990", "", "", ""], ["Петров", huge, "1990", "", "", ""]),
    )
    assert (report.rows_added, report.rows_rejected) == (1, 1)
    issue = rejects(report)[0]
    assert (issue["row"], issue["field"]) == ("2", "given_name")
    assert issue["reason"] == (
        "column 'given_name' holds 80,000 bytes; a cell may hold at most 64 KiB"
    )
    assert len(issue["raw"]) < 1000


def test_sex_values_and_date_formats_from_mapping(
    import_file: ImportFile, store: RegistryStore
) -> None:
    mapping = ColumnMapping(
        columns={"full_name": "fio", "birth_date": "dob", "sex": "pol"},
        date_formats={"birth_date": ("%d %m %Y",)},
        values={"sex": {"1": "m", "2": "f"}},
    )
    report = import_file(
        "s.csv",
        csv_text(
            [["fio", "dob", "pol"], ["Иван Иванов", "02 01 1990", "1"], ["Анна", "1990", "2"]]
        ),
        mapping=mapping,
    )
    assert (report.rows_added, report.rows_rejected) == (1, 1)
    assert "expected %d %m %Y" in rejects(report)[0]["reason"]
    assert store.execute("test", "SELECT full_name, birth_date, sex FROM registry_identity") == [
        ("иван иванов", dt.date(1990, 1, 2), "m")
    ]


def test_other_kinds_import(import_file: ImportFile, store: RegistryStore) -> None:
    text = csv_text(
        [
            ["full_name", "institution", "start_year", "graduation_year"],
            ["Иван Иванов", "БГУ", "2010", "2015.0"],
            ["Анна", "", "2010", ""],
        ]
    )
    report = import_file("edu.csv", text, kind="education")
    assert (report.rows_added, report.rows_rejected) == (1, 1)
    assert store.execute(
        "test", "SELECT institution, start_year, graduation_year FROM registry_education"
    ) == [("бгу", 2010, 2015)]


def test_logs_carry_no_values(import_file: ImportFile, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="bonafide")
    import_file(
        "people.csv",
        people(
            ["Секретный", "Агент", "31.02.1990", "м", "", "MP1234567"],
            ["Секретный", "Агент", "1990", "м", "", "MP1234567"],
        ),
    )
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "import 1 of kind identity: read 2, added 1" in text
    for value in ("Секретный", "Агент", "31.02.1990", "MP1234567", "people.csv"):
        assert value not in text


# The counts invariant ----------------------------------------------------------------------

CELLS = st.sampled_from(
    [
        "Иванов",
        "Іваноў",
        "Smith",
        "",
        " ",
        "1990",
        "31.02.1990",
        "02.01.1990",
        "1990-13-01",
        "м",
        "ж",
        "x",
        "a,b",
        'say "hi"',
        "line\nbreak",
        "Ы" * 70_000,
    ]
)
ROWS = st.lists(
    st.one_of(
        st.lists(CELLS, min_size=4, max_size=4).map(lambda r: ("row", r)),
        st.sampled_from(["x,y", "a,b,c,d,e", '"unclosed,x,y,z']).map(lambda raw: ("raw", raw)),
    ),
    max_size=25,
)


def _random_file(rows: list[tuple[str, object]]) -> str:
    lines = [csv_text([["surname", "given_name", "birth_date", "sex"]])]
    for kind, value in rows:
        lines.append(csv_text([value]) if kind == "row" else f"{value}\n")  # type: ignore[list-item]
    return "".join(lines)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=ROWS, second=ROWS)
def test_counts_add_up_and_every_rejected_row_is_in_the_reject_file(
    first: list[tuple[str, object]], second: list[tuple[str, object]]
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        with RegistryStore.open(vault_for(root / "data"), TEST_SETTINGS) as store:
            for index, rows in enumerate((first, second, first)):
                path = root / f"f{index}.csv"
                path.write_text(_random_file(rows), encoding="utf-8")
                before = record_count(store)
                report = import_registry(store, path, "identity")
                _check_counts(report, store, before)


def _check_counts(report: ImportReport, store: RegistryStore, before: int) -> None:
    assert report.rows_read == (
        report.rows_added
        + report.rows_duplicate_in_file
        + report.rows_already_present
        + report.rows_rejected
    )
    assert record_count(store) == before + report.rows_added
    found = rejects(report)
    rejected_rows = {r["row"] for r in found if r["severity"] == "reject"}
    assert len(rejected_rows) == report.rows_rejected
    assert sum(r["severity"] == "duplicate" for r in found) == report.rows_duplicate_in_file
    assert sum(r["severity"] == "warning" for r in found) == report.warnings
    stored = store.execute(
        "test",
        "SELECT severity, count(*) FROM import_issues WHERE import_id = ? GROUP BY 1",
        [report.import_id],
    )
    assert sum(n for _, n in stored) == len(found)
