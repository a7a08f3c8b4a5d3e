"""Files not all in one encoding, and Cyrillic single-byte encodings told apart (issue 17):
rows in another encoding are rejected one by one, never the whole file, and a KOI8-R file is
never read as Windows-1251."""

from __future__ import annotations

from pathlib import Path

import pytest

from bonafide.registry import SourceOptions
from bonafide.registry.encoding import guess_encoding

from .test_readers import read_all

NAMES = [
    ("Литвинович", "Вероника", "Максимовна"),
    ("Ковалёв", "Иван", "Дмитриевич"),
    ("Шевченко", "Ирина", "Петровна"),
    ("Кузьмич", "Андрей", "Сергеевич"),
    ("Жукова", "Наталья", "Ивановна"),
    ("Ильин", "Юрий", "Олегович"),
    ("Щербаков", "Фёдор", "Ильич"),
    ("Яковлева", "Эльвира", "Аркадьевна"),
]
HEADER = "фамилия;имя;отчество;дата"


def _rows(count: int) -> list[str]:
    return [";".join((*NAMES[i % len(NAMES)], f"{1 + i % 28:02d}.05.1980")) for i in range(count)]


def _write(path: Path, lines: list[tuple[str, str]]) -> Path:
    """Each line in its own encoding."""
    path.write_bytes(b"".join((text + "\n").encode(encoding) for text, encoding in lines))
    return path


@pytest.mark.parametrize("encoding", ["koi8-r", "cp1251", "iso8859-5"])
def test_a_cyrillic_single_byte_encoding_is_told_apart(tmp_path: Path, encoding: str) -> None:
    lines = [HEADER, *_rows(6)]
    path = _write(tmp_path / "people.csv", [(line, encoding) for line in lines])
    info, rows, issues, _ = read_all(path)
    assert issues == []
    assert info.encoding_detected
    assert [r["фамилия"] for r in rows] == [name for name, _, _ in NAMES[:6]]
    assert any(f"read as {info.encoding}" in note for note in info.notes)


def test_koi8_r_is_never_read_as_windows_1251(tmp_path: Path) -> None:
    path = _write(tmp_path / "koi.csv", [(line, "koi8-r") for line in [HEADER, *_rows(40)]])
    assert guess_encoding(path, 0).encoding == "koi8-r"


def test_utf8_rows_in_a_windows_1251_file_are_rejected_one_by_one(tmp_path: Path) -> None:
    rows = _rows(30)
    lines = [(HEADER, "cp1251")] + [
        (row, "utf-8" if number in (7, 19) else "cp1251") for number, row in enumerate(rows, 1)
    ]
    info, read, issues, rows_read = read_all(_write(tmp_path / "mixed.csv", lines))
    assert info.encoding == "windows-1251"
    assert rows_read == 30
    assert [i.row for i in issues] == [7, 19]
    assert all("the row is UTF-8 text, unlike the rest of the file" in i.reason for i in issues)
    assert issues[0].raw == rows[6]  # the rejected row's text, read in its own encoding
    assert len(read) == 28
    assert [r["фамилия"] for r in read[:3]] == [name for name, _, _ in NAMES[:3]]


def test_windows_1251_rows_in_a_utf8_file_are_rejected_one_by_one(tmp_path: Path) -> None:
    """Even a row whose bytes Windows-1251 cannot decode (0x98) no longer refuses the file."""
    rows = _rows(30)
    lines = [(HEADER, "utf-8")] + [
        (row, "cp1251" if number in (3, 25) else "utf-8") for number, row in enumerate(rows, 1)
    ]
    info, read, issues, rows_read = read_all(_write(tmp_path / "mixed.csv", lines))
    assert info.encoding == "utf-8"
    assert rows_read == 30
    assert [i.row for i in issues] == [3, 25]
    assert all("the row is not valid UTF-8" in i.reason for i in issues)
    assert len(read) == 28
    assert any("not all UTF-8" in note for note in info.notes)


def test_a_given_legacy_encoding_rejects_utf8_rows(tmp_path: Path) -> None:
    lines = [(HEADER, "koi8-r"), (_rows(1)[0], "utf-8")] + [(r, "koi8-r") for r in _rows(3)]
    _, read, issues, _ = read_all(
        _write(tmp_path / "given.csv", lines), options=SourceOptions(encoding="koi8-r")
    )
    assert [i.row for i in issues] == [1]
    assert "UTF-8" in issues[0].reason
    assert [r["фамилия"] for r in read] == [name for name, _, _ in NAMES[:3]]


def test_utf8_lines_in_a_windows_1251_jsonl_file_are_rejected(tmp_path: Path) -> None:
    lines = [('{"surname": "Иванов"}', "cp1251")] * 5 + [('{"surname": "Петров"}', "utf-8")]
    _, read, issues, _ = read_all(_write(tmp_path / "people.jsonl", lines))
    assert [r["surname"] for r in read] == ["Иванов"] * 5
    assert [i.row for i in issues] == [6]
    assert "not valid text in the file's encoding" in issues[0].reason


@pytest.mark.parametrize(
    ("junk", "kind"),
    [
        ("\x00", "a NUL character (U+0000)"),
        ("\u202e", "a bidirectional control character (U+202E)"),
        ("\u2067", "a bidirectional control character (U+2067)"),
        ("\u200e", "a bidirectional control character (U+200E)"),
        ("\x1b", "a control character (U+001B)"),
    ],
)
def test_rows_holding_characters_that_are_not_text_are_rejected(
    tmp_path: Path, junk: str, kind: str
) -> None:
    rows = _rows(4)
    rows[2] = rows[2].replace(";", f"{junk};", 1)
    path = tmp_path / "people.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    _, read, issues, _ = read_all(path)
    assert [r["_row"] for r in read] == [1, 2, 4]
    assert [(i.row, i.column) for i in issues] == [(3, "фамилия")]
    assert issues[0].reason == f"column 'фамилия' holds {kind}, which is not text; remove it"
    assert junk not in issues[0].raw  # kept escaped in the sealed reject file
