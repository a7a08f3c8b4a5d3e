"""Stream a source file as Arrow record batches of text, with the rows it could not read.

Every format yields `Chunk`s whose batch holds the selected columns as strings, renamed `c0`,
`c1`, ... in the order asked for, plus `_row`: the 1-based number of the data row in the file
(CSV: the record after the header, blank lines not counted; JSON Lines: the line number).
Rows that cannot be read — a CSV row with the wrong number of fields or not in the file's
encoding, a quote never closed, a JSON line that is not an object, a nested JSON value, a cell
over 64 KiB, a cell holding a character that is not text (NUL, a control or bidirectional
control character: `bonafide.hidden_characters`) — come as `ReaderIssue`s, never silently lost.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bonafide.errors import SourceFormatError
from bonafide.hidden_characters import HIDDEN_CHARACTERS_RE2, hidden_character
from bonafide.registry.csvlines import FOREIGN_MARK, CsvLines, LineIssue, is_utf8
from bonafide.registry.mapping import SourceFormat
from bonafide.registry.sources import CSV_BLOCK_BYTES, SourceInfo

__all__ = [
    "MAX_CELL_BYTES",
    "MAX_RAW_CHARS",
    "Chunk",
    "ReaderIssue",
    "batch_schema",
    "good_row_numbers",
    "read_source",
]

MAX_CELL_BYTES = 64 * 1024
MAX_RAW_CHARS = 4096  # raw text kept for a rejected row
_BATCH_ROWS = 65_536
_SHOWN_CELL_CHARS = 200


@dataclass(frozen=True)
class ReaderIssue:
    """A data row that could not be read; the row is rejected."""

    row: int
    column: str | None  # the source column at fault, if one is
    reason: str
    raw: str


@dataclass(frozen=True)
class Chunk:
    batch: pa.RecordBatch
    issues: tuple[ReaderIssue, ...]
    bytes_read: int
    rows_read: int  # data rows seen so far, read or not


def batch_schema(width: int) -> pa.Schema:
    """The schema of every chunk's batch for `width` selected columns."""
    return pa.schema(
        [pa.field(f"c{i}", pa.string()) for i in range(width)] + [pa.field("_row", pa.int64())]
    )


def read_source(info: SourceInfo, columns: Sequence[str]) -> Iterator[Chunk]:
    """The rows of `info.path`, `columns` only, in chunks; cells over 64 KiB are rejected."""
    readers = {
        SourceFormat.CSV: _read_csv,
        SourceFormat.PARQUET: _read_parquet,
        SourceFormat.JSONL: _read_jsonl,
        SourceFormat.FTM: _read_ftm,
    }
    for chunk in readers[info.format](info, tuple(columns)):
        batch, huge = _without_huge_cells(chunk.batch, columns)
        batch, hidden = _without_hidden_characters(batch, columns)
        yield Chunk(batch, chunk.issues + huge + hidden, chunk.bytes_read, chunk.rows_read)


def good_row_numbers(
    first: int, count: int, bad_rows: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The row numbers of the good rows `first`+1 .. `first`+`count` (1-based among good rows).

    `bad_rows` are the sorted numbers of the rows that could not be read. Good row k is row
    k + #{j : r_j - j < k} for bad rows r_1 < r_2 < ... (j from 1).
    """
    k = np.arange(first + 1, first + count + 1, dtype=np.int64)
    shifted = bad_rows - np.arange(1, len(bad_rows) + 1, dtype=np.int64)
    result: npt.NDArray[np.int64] = k + np.searchsorted(shifted, k, side="left")
    return result


def truncated(text: str, limit: int = MAX_RAW_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def _make_batch(
    arrays: Sequence[pa.Array], rows: npt.NDArray[np.int64] | Sequence[int]
) -> pa.RecordBatch:
    return pa.record_batch([*arrays, pa.array(rows, pa.int64())], schema=batch_schema(len(arrays)))


# CSV ----------------------------------------------------------------------------------------


class _InvalidRows:
    """Collects the rows pyarrow's CSV parser cannot read, and those `CsvLines` replaced."""

    def __init__(self, replaced: deque[LineIssue]) -> None:
        self.rows: list[int] = []
        self.issues: list[ReaderIssue] = []
        self._replaced = replaced

    def __call__(self, row: Any) -> str:
        number = int(row.number) - 1  # pyarrow counts the header as row 1
        text = str(row.text)
        if text.startswith(FOREIGN_MARK) and self._replaced:
            replaced = self._replaced.popleft()
            self.rows.append(number)
            self.issues.append(ReaderIssue(number, None, replaced.reason, truncated(replaced.raw)))
            return "skip"
        reason = f"expected {row.expected_columns} fields, found {row.actual_columns}"
        if "\n" in text or "\r" in text:
            reason += "; the row runs over several lines — a quote that is never closed?"
        self.rows.append(number)
        self.issues.append(ReaderIssue(number, None, reason, truncated(text)))
        return "skip"

    def take(self) -> tuple[ReaderIssue, ...]:
        issues, self.issues = tuple(self.issues), []
        return issues


def _read_csv(info: SourceInfo, columns: tuple[str, ...]) -> Iterator[Chunk]:
    assert info.delimiter is not None
    with info.path.open("rb") as handle:
        text = info.open_csv_text(handle)
        invalid = _InvalidRows(text.issues if isinstance(text, CsvLines) else deque())
        good = 0
        reader = _open_csv(info, columns, text, invalid)
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except (pa.ArrowException, UnicodeError) as error:
                raise _csv_error(info, error, good + len(invalid.rows)) from None
            rows = good_row_numbers(good, batch.num_rows, np.array(invalid.rows, np.int64))
            good += batch.num_rows
            arrays = [batch.column(name) for name in columns]
            yield Chunk(
                _make_batch(arrays, rows), invalid.take(), text.tell(), good + len(invalid.rows)
            )
        empty = _make_batch([pa.array([], pa.string())] * len(columns), [])
        yield Chunk(empty, invalid.take(), info.size, good + len(invalid.rows))


def _open_csv(
    info: SourceInfo,
    columns: tuple[str, ...],
    handle: Any,
    invalid: _InvalidRows,
) -> Any:
    try:
        return pacsv.open_csv(
            handle,
            read_options=pacsv.ReadOptions(
                use_threads=False, block_size=CSV_BLOCK_BYTES, encoding="utf8"
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=info.delimiter, newlines_in_values=True, invalid_row_handler=invalid
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(columns),
                column_types=dict.fromkeys(columns, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, UnicodeError) as error:
        raise _csv_error(info, error, 0) from None


def _csv_error(info: SourceInfo, error: Exception, rows_so_far: int) -> SourceFormatError:
    where = f"{info.path}: after data row {rows_so_far:,}"
    text = str(error)
    if "straddl" in text:
        return SourceFormatError(
            f"{where}, a line is longer than {CSV_BLOCK_BYTES >> 20} MiB: no registry row is",
            hint=f"check the file after row {rows_so_far:,}: it may not be CSV, or its line "
            "breaks may be missing",
        )
    if isinstance(error, UnicodeDecodeError) or "UTF8" in text or "utf-8" in text.lower():
        return SourceFormatError(
            f"{where}, the text is not valid {info.encoding}: {text}",
            hint="give the file's encoding with --encoding (e.g. utf-8 or windows-1251), or "
            "leave --encoding out to detect it",
        )
    return SourceFormatError(
        f"{where}, the file cannot be read as CSV: {text}",
        hint=f"check the delimiter ({info.delimiter!r}; set it with --delimiter) and quoting",
    )


# Parquet ------------------------------------------------------------------------------------


def _read_parquet(info: SourceInfo, columns: tuple[str, ...]) -> Iterator[Chunk]:
    try:
        source = pq.ParquetFile(info.path)
        total = max(source.metadata.num_rows, 1)
        done = 0
        for batch in source.iter_batches(batch_size=_BATCH_ROWS, columns=list(columns)):
            arrays = [_as_text(info, batch.column(name), name) for name in columns]
            rows = np.arange(done + 1, done + batch.num_rows + 1, dtype=np.int64)
            done += batch.num_rows
            yield Chunk(_make_batch(arrays, rows), (), info.size * done // total, done)
    except pa.ArrowException as error:
        raise SourceFormatError(
            f"{info.path}: cannot read the Parquet data: {error}",
            hint="check that the file is complete and not damaged",
        ) from None


def _as_text(info: SourceInfo, array: pa.Array, name: str) -> pa.Array:
    if pa.types.is_nested(array.type):
        raise SourceFormatError(
            f"{info.path}: column {name!r} holds {array.type} values; nested values cannot be "
            "imported",
            hint="map a column of plain values, or flatten the file first",
        )
    try:
        return pc.cast(array, pa.string())
    except pa.ArrowException as error:
        raise SourceFormatError(
            f"{info.path}: column {name!r} ({array.type}) cannot be read as text: {error}",
            hint="map a column of text, numbers or dates",
        ) from None


# JSON Lines ---------------------------------------------------------------------------------


class _JsonlBatch:
    def __init__(self, width: int) -> None:
        self.cells: list[list[str | None]] = [[] for _ in range(width)]
        self.rows: list[int] = []
        self.issues: list[ReaderIssue] = []

    def add(self, row: int, values: Sequence[str | None]) -> None:
        for cells, value in zip(self.cells, values, strict=True):
            cells.append(value)
        self.rows.append(row)

    def chunk(self, bytes_read: int, rows_read: int) -> Chunk:
        arrays = [pa.array(cells, pa.string()) for cells in self.cells]
        return Chunk(_make_batch(arrays, self.rows), tuple(self.issues), bytes_read, rows_read)


def _read_jsonl(info: SourceInfo, columns: tuple[str, ...]) -> Iterator[Chunk]:
    assert info.encoding is not None
    pending = _JsonlBatch(len(columns))
    bytes_read = rows_read = 0
    with info.path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            bytes_read += len(line)
            text = _decode_line(line, info.encoding, number)
            if text is None or text.strip():
                rows_read += 1
                _parse_line(pending, number, text, line, columns)
            if len(pending.rows) + len(pending.issues) >= _BATCH_ROWS:
                yield pending.chunk(bytes_read, rows_read)
                pending = _JsonlBatch(len(columns))
    yield pending.chunk(info.size, rows_read)


def _decode_line(line: bytes, encoding: str, number: int) -> str | None:
    """The line's text; None if it is not in the file's encoding (a UTF-8 line in a file read
    in a single-byte encoding decodes, as garbage, and is not in it either)."""
    if not line.isascii() and encoding not in ("utf-8", "utf-8-sig") and is_utf8(line):
        return None
    try:
        text = line.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text.lstrip("\ufeff") if number == 1 else text


def _parse_line(
    pending: _JsonlBatch, number: int, text: str | None, line: bytes, columns: tuple[str, ...]
) -> None:
    raw = truncated(text.rstrip("\r\n") if text is not None else repr(line.rstrip(b"\r\n")))

    def reject(reason: str, column: str | None = None) -> None:
        pending.issues.append(ReaderIssue(number, column, reason, raw))

    if text is None:
        return reject(
            "the line is not valid text in the file's encoding: it is in another one; convert "
            "the file to one encoding, or give --encoding"
        )
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return reject(f"the line is not JSON: {error.msg} at character {error.colno}")
    if not isinstance(value, dict):
        return reject(f"the line holds a JSON {_json_type(value)}, not an object")
    cells: list[str | None] = []
    for column in columns:
        cell = value.get(column)
        if isinstance(cell, dict | list):
            return reject(
                f"{column!r} holds a JSON {_json_type(cell)}; nested values are not accepted",
                column,
            )
        cells.append(_scalar_text(cell))
    pending.add(number, cells)
    return None


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "boolean" if isinstance(value, bool) else "number"


def _scalar_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# FollowTheMoney -------------------------------------------------------------------------------


def _read_ftm(info: SourceInfo, columns: tuple[str, ...]) -> Iterator[Chunk]:
    from bonafide.ftm.read import read_ftm  # it builds on this module's chunks

    return read_ftm(info.path, info.size, columns)


# Cells over 64 KiB -------------------------------------------------------------------------


def _shortened(value: str | None) -> str | None:
    if value is None or len(value) <= _SHOWN_CELL_CHARS:
        return value
    return f"{value[:_SHOWN_CELL_CHARS]}… ({len(value):,} characters)"


def _without_huge_cells(
    batch: pa.RecordBatch, columns: Sequence[str]
) -> tuple[pa.RecordBatch, tuple[ReaderIssue, ...]]:
    """The batch without rows holding a cell over MAX_CELL_BYTES, and those rows as issues."""
    width = len(columns)
    if batch.num_rows == 0 or width == 0:
        return batch, ()
    over = [
        pc.fill_null(pc.greater(pc.binary_length(batch.column(i)), MAX_CELL_BYTES), False)
        for i in range(width)
    ]
    mask = over[0]
    for column_mask in over[1:]:
        mask = pc.or_(mask, column_mask)
    if not pc.any(mask).as_py():
        return batch, ()
    issues = []
    for index in np.flatnonzero(np.asarray(mask)):
        values = {name: batch.column(i)[index].as_py() for i, name in enumerate(columns)}
        column = next(name for i, name in enumerate(columns) if over[i][index].as_py())
        size = len(values[column].encode("utf-8"))
        shown = {name: _shortened(value) for name, value in values.items()}
        issues.append(
            ReaderIssue(
                int(batch.column(width)[index].as_py()),
                column,
                f"column {column!r} holds {size:,} bytes; a cell may hold at most 64 KiB",
                truncated(json.dumps(shown, ensure_ascii=False)),
            )
        )
    return batch.filter(pc.invert(mask)), tuple(issues)


# Characters that are not text ---------------------------------------------------------------


def _without_hidden_characters(
    batch: pa.RecordBatch, columns: Sequence[str]
) -> tuple[pa.RecordBatch, tuple[ReaderIssue, ...]]:
    """The batch without rows holding NUL, a control or a bidirectional control character in
    a mapped column, and those rows as issues naming the column and the kind of character."""
    width = len(columns)
    if batch.num_rows == 0 or width == 0:
        return batch, ()
    found = [
        pc.fill_null(pc.match_substring_regex(batch.column(i), HIDDEN_CHARACTERS_RE2), False)
        for i in range(width)
    ]
    mask = found[0]
    for column_mask in found[1:]:
        mask = pc.or_(mask, column_mask)
    if not pc.any(mask).as_py():
        return batch, ()
    issues = []
    for index in np.flatnonzero(np.asarray(mask)):
        values = {name: batch.column(i)[index].as_py() for i, name in enumerate(columns)}
        column = next(name for i, name in enumerate(columns) if found[i][index].as_py())
        what = hidden_character(values[column]) or "a character that is not text"
        issues.append(
            ReaderIssue(
                int(batch.column(width)[index].as_py()),
                column,
                f"column {column!r} holds {what}, which is not text; remove it",
                truncated(json.dumps(values, ensure_ascii=True)),
            )
        )
    return batch.filter(pc.invert(mask)), tuple(issues)
