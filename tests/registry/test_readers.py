"""Reading CSV, Parquet and JSON Lines: row numbers, malformed rows, encodings, delimiters."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonafide.errors import InputError, SourceFormatError
from bonafide.registry import SourceFormat, SourceOptions
from bonafide.registry.readers import (
    MAX_CELL_BYTES,
    ReaderIssue,
    good_row_numbers,
    read_source,
)
from bonafide.registry.sources import SourceInfo, inspect_source, sniff_delimiter


def read_all(
    path: Path, columns: tuple[str, ...] | None = None, options: SourceOptions | None = None
) -> tuple[SourceInfo, list[dict[str, Any]], list[ReaderIssue], int]:
    info = inspect_source(path, options or SourceOptions())
    rows: list[dict[str, Any]] = []
    issues: list[ReaderIssue] = []
    selected = columns or info.columns
    rows_read = 0
    for chunk in read_source(info, selected):
        table = chunk.batch.to_pylist()
        rows += [
            {"_row": r["_row"], **{name: r[f"c{i}"] for i, name in enumerate(selected)}}
            for r in table
        ]
        issues += chunk.issues
        rows_read = chunk.rows_read
    return info, rows, issues, rows_read


# Row numbers of good rows around bad ones --------------------------------------------------


def test_good_row_numbers_skip_bad_rows() -> None:
    bad = np.array([2, 3, 6], np.int64)
    assert good_row_numbers(0, 5, bad).tolist() == [1, 4, 5, 7, 8]
    assert good_row_numbers(2, 3, bad).tolist() == [5, 7, 8]


@given(st.sets(st.integers(1, 60)), st.integers(0, 60))
def test_good_row_numbers_match_counting(bad_rows: set[int], total: int) -> None:
    bad = sorted(r for r in bad_rows if r <= total)
    good = [r for r in range(1, total + 1) if r not in bad_rows]
    array = np.array(bad, np.int64)
    assert good_row_numbers(0, len(good), array).tolist() == good
    # in two batches, and with bad rows beyond the batch already known
    half = len(good) // 2
    later = np.array(sorted(bad_rows), np.int64)
    assert good_row_numbers(half, len(good) - half, later).tolist() == good[half:]


# CSV ----------------------------------------------------------------------------------------


def test_malformed_csv_rows_are_issues_with_their_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "a,b,c\n"
        "1,2,3\n"  # row 1
        "4,5\n"  # row 2: too few fields
        '6,"seven\nand more",8\n'  # row 3: a newline in a quoted value
        "9,10,11,12\n"  # row 4: too many fields
        "\n"  # blank: not a row
        "13,14,15\n"  # row 5
        '16,"17,18\n19,20,21\n'  # row 6: a quote never closed swallows nothing
        "22,23,24\n",
        encoding="utf-8",
    )
    info, rows, issues, rows_read = read_all(path)
    assert info.line_by_line  # a line holds an odd number of quotes
    assert [(r["_row"], r["a"]) for r in rows] == [
        (1, "1"),
        (3, "6"),
        (5, "13"),
        (7, "19"),
        (8, "22"),
    ]
    assert rows[1]["b"] == "seven\nand more"
    assert [(i.row, i.raw) for i in issues] == [(2, "4,5"), (4, "9,10,11,12"), (6, '16,"17,18')]
    assert issues[0].reason == "expected 3 fields, found 2"
    assert issues[1].reason == "expected 3 fields, found 4"
    assert issues[2].reason.startswith(
        "a quote opened in this row is never closed: it would swallow every row after it"
    )
    assert rows_read == 8


def test_unclosed_quote_in_the_last_field_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('a,b\n1,2\n3,"4\n5,6\n', encoding="utf-8")
    info, rows, issues, rows_read = read_all(path)
    assert [r["_row"] for r in rows] == [1, 3]
    assert [(i.row, i.raw) for i in issues] == [(2, '3,"4')]
    assert "never closed" in issues[0].reason
    assert info.odd_quotes
    assert rows_read == 3


def test_an_unclosed_quote_swallows_no_rows_of_a_long_file(tmp_path: Path) -> None:
    """One stray quote among ten thousand rows: one reject, not one reject of 9,899 rows."""
    lines = ["n,name"] + [f'{i},"Иванов {i}"' for i in range(1, 10_001)]
    lines[101] = '101,"Иванов 101'  # opened, never closed
    lines[5_001] = '5001,Иванов" 5001"'  # a quote in the middle of a value: a quote as any
    path = tmp_path / "people.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, rows, issues, rows_read = read_all(path)
    assert rows_read == 10_000
    assert [(i.row, i.raw) for i in issues] == [(101, '101,"Иванов 101')]
    assert len(rows) == 9_999
    assert all(int(r["n"]) == r["_row"] for r in rows)


def test_a_quoted_value_longer_than_a_cell_is_a_quote_never_closed(tmp_path: Path) -> None:
    """A second stray quote far below would close the first: the rows between are still read."""
    lines = ["n,name"] + [f"{i},Иванов {i}" for i in range(1, 5_001)]
    lines[10] = '10,"Иванов 10'
    lines[4_000] = '4000,Иванов 4000"'
    path = tmp_path / "people.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, rows, issues, rows_read = read_all(path)
    assert rows_read == 5_000
    assert [i.row for i in issues] == [10]
    assert "not closed within 64 KiB" in issues[0].reason
    assert len(rows) == 4_999


def test_rows_are_numbered_across_batches(tmp_path: Path) -> None:
    lines = ["n,v"]
    for i in range(1, 200_001):
        lines.append(f"{i}" if i % 50_000 == 7 else f"{i},x")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, rows, issues, rows_read = read_all(path)
    assert rows_read == 200_000
    assert [i.row for i in issues] == [7, 50_007, 100_007, 150_007]
    assert all(int(r["n"]) == r["_row"] for r in rows)


def test_windows_1251_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "cp.csv"
    path.write_bytes("фамилия;имя\nІваноў;Янка\nПетров;Пётр\n".encode("cp1251"))
    info, rows, _, _ = read_all(path)
    assert (info.encoding, info.encoding_detected) == ("windows-1251", True)
    assert any("not valid UTF-8" in note for note in info.notes)
    assert info.columns == ("фамилия", "имя")
    assert [r["фамилия"] for r in rows] == ["Іваноў", "Петров"]


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffsurname,given_name\nИванов,Иван\n".encode())
    info, rows, _, _ = read_all(path)
    assert info.encoding == "utf-8"
    assert info.columns == ("surname", "given_name")
    assert rows == [{"_row": 1, "surname": "Иванов", "given_name": "Иван"}]


def test_given_encoding_wins(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("name\nJosé\n".encode("latin-1"))
    info, rows, _, _ = read_all(path, options=SourceOptions(encoding="latin-1"))
    assert info.encoding == "iso8859-1"
    assert not info.encoding_detected
    assert rows[0]["name"] == "José"


def test_rows_not_in_the_given_encoding_are_rejected_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "cp.csv"
    path.write_bytes(b"name\nIvan\n" + "Иван\n".encode("cp1251") + b"Petr\n")
    _, rows, issues, _ = read_all(path, options=SourceOptions(encoding="utf-8"))
    assert [r["name"] for r in rows] == ["Ivan", "Petr"]
    assert [i.row for i in issues] == [2]
    assert "not valid UTF-8" in issues[0].reason
    assert "--encoding" in issues[0].reason


def test_unknown_encoding(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        inspect_source(path, SourceOptions(encoding="klingon"))


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "d.csv"
    rows = [["surname", "given_name", "address"], ["Иванов", "Иван", "г. Минск, ул. Ленина"]]
    if delimiter == ",":
        rows[1][2] = "г. Минск"
    path.write_text("\n".join(delimiter.join(r) for r in rows) + "\n", encoding="utf-8")
    info, read, issues, _ = read_all(path)
    assert info.delimiter == delimiter
    assert info.columns == ("surname", "given_name", "address")
    assert read[0]["address"] == rows[1][2]
    assert issues == []


def test_sniffing_falls_back_to_the_header() -> None:
    assert sniff_delimiter("a;b;c\n") == ";"
    assert sniff_delimiter("single\n") == ","


def test_cells_over_64_kib_reject_the_row(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    huge = "я" * (MAX_CELL_BYTES // 2 + 1)  # two bytes each
    path.write_text(f"a,b\n1,x\n2,{huge}\n3,y\n", encoding="utf-8")
    _, rows, issues, rows_read = read_all(path)
    assert [r["_row"] for r in rows] == [1, 3]
    assert len(issues) == 1
    assert issues[0].row == 2
    assert issues[0].column == "b"
    assert issues[0].reason == "column 'b' holds 65,538 bytes; a cell may hold at most 64 KiB"
    assert len(issues[0].raw) < 1000
    assert rows_read == 3


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(SourceFormatError, match="cannot tell the format") as error:
        inspect_source(path, SourceOptions())
    assert error.value.hint is not None
    assert "[source]" in error.value.hint


def test_format_from_mapping_wins_over_extension(tmp_path: Path) -> None:
    path = tmp_path / "people.dat"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    info, rows, _, _ = read_all(path, options=SourceOptions(format=SourceFormat.CSV))
    assert info.format is SourceFormat.CSV
    assert rows == [{"_row": 1, "a": "1", "b": "2"}]


def test_empty_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(SourceFormatError, match="is empty"):
        inspect_source(tmp_path / "empty.csv", SourceOptions())
    with pytest.raises(InputError, match="does not exist"):
        inspect_source(tmp_path / "none.csv", SourceOptions())


# JSON Lines ---------------------------------------------------------------------------------


def test_jsonl_bad_lines_are_issues(tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    lines = [
        json.dumps({"surname": "Иванов", "year": 2015}, ensure_ascii=False),
        "{not json",
        "",
        json.dumps([1, 2]),
        json.dumps({"surname": {"first": "x"}, "year": 1}),
        json.dumps({"surname": "Петров", "year": 2015.0, "flag": True}),
        json.dumps({"year": None}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    info, rows, issues, rows_read = read_all(path, ("surname", "year"))
    assert info.columns == ("surname", "year", "flag")
    assert rows == [
        {"_row": 1, "surname": "Иванов", "year": "2015"},
        {"_row": 6, "surname": "Петров", "year": "2015.0"},
        {"_row": 7, "surname": None, "year": None},
    ]
    assert [(i.row, i.column) for i in issues] == [(2, None), (4, None), (5, "surname")]
    assert issues[0].reason.startswith("the line is not JSON: ")
    assert issues[0].raw == "{not json"
    assert issues[1].reason == "the line holds a JSON array, not an object"
    assert issues[2].reason == "'surname' holds a JSON object; nested values are not accepted"
    assert rows_read == 6  # the blank line is not a row


def test_jsonl_in_windows_1251(tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    path.write_bytes('{"surname": "Іваноў"}\n'.encode("cp1251"))
    info, rows, _, _ = read_all(path)
    assert info.encoding == "windows-1251"
    assert rows == [{"_row": 1, "surname": "Іваноў"}]


# Parquet ------------------------------------------------------------------------------------


def test_parquet_columns_become_text(tmp_path: Path) -> None:
    path = tmp_path / "people.parquet"
    table = pa.table(
        {
            "surname": pa.array(["Иванов", None]).dictionary_encode(),
            "born": pa.array([dt.date(1990, 2, 3), None]),
            "year": pa.array([2015.0, 1999.0]),
            "n": pa.array([1, 2], pa.int32()),
            "at": pa.array([dt.datetime(2020, 1, 2, 3, 4), None]),
        }
    )
    pq.write_table(table, path, row_group_size=1)
    info, rows, issues, rows_read = read_all(path)
    assert info.format is SourceFormat.PARQUET
    assert info.encoding is None
    assert rows == [
        {
            "_row": 1,
            "surname": "Иванов",
            "born": "1990-02-03",
            "year": "2015",
            "n": "1",
            "at": "2020-01-02 03:04:00.000000",
        },
        {"_row": 2, "surname": None, "born": None, "year": "1999", "n": "2", "at": None},
    ]
    assert issues == []
    assert rows_read == 2


def test_parquet_nested_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nested.parquet"
    pq.write_table(pa.table({"names": [["a", "b"]]}), path)
    with pytest.raises(SourceFormatError, match="nested values cannot be imported"):
        read_all(path)


def test_not_parquet(tmp_path: Path) -> None:
    path = tmp_path / "fake.parquet"
    path.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="cannot be read as Parquet"):
        inspect_source(path, SourceOptions())
