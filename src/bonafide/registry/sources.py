"""What a source file is: its format, size, checksum, encoding, delimiter and columns.

`inspect_source` reads the whole file once (1 MiB at a time) to take its SHA-256, check whether
it is valid UTF-8 and whether a line holds an odd number of quotes; then it reads just enough to
learn the columns. Text that is not valid UTF-8 is read in the encoding `guess_encoding` finds
(Windows-1251, KOI8-R or ISO-8859-5; UTF-8 if most lines are) unless an encoding is given. A
CSV file that is not all UTF-8, or has a line with an odd number of quotes (a value with line
breaks, or a quote never closed), is read line by line (`bonafide.registry.csvlines`).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bonafide.errors import InputError, SourceFormatError
from bonafide.registry.csvlines import CsvLines
from bonafide.registry.encoding import guess_encoding
from bonafide.registry.mapping import SourceFormat, SourceOptions

__all__ = [
    "CSV_BLOCK_BYTES",
    "SourceInfo",
    "inspect_source",
    "sniff_delimiter",
]

CSV_BLOCK_BYTES = 16 << 20  # a CSV row (with its embedded newlines) must fit in one block
_SCAN_CHUNK = 1 << 20
_SNIFF_BYTES = 64 << 10
_KEY_SAMPLE_LINES = 10_000
_DELIMITERS = ",;\t|"
_EXTENSIONS = {
    ".csv": SourceFormat.CSV,
    ".tsv": SourceFormat.CSV,
    ".txt": SourceFormat.CSV,
    ".parquet": SourceFormat.PARQUET,
    ".pq": SourceFormat.PARQUET,
    ".jsonl": SourceFormat.JSONL,
    ".ndjson": SourceFormat.JSONL,
}

ScanProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class SourceInfo:
    path: Path
    format: SourceFormat
    size: int
    sha256: str
    columns: tuple[str, ...]
    encoding: str | None  # None for parquet
    encoding_detected: bool
    delimiter: str | None  # csv only
    odd_quotes: bool  # csv: a line with an odd number of quotes (a value with line breaks?)
    notes: tuple[str, ...]
    all_utf8: bool = True  # every byte of the file is valid UTF-8

    @property
    def line_by_line(self) -> bool:
        """Whether a CSV file must be read through `CsvLines` (see the module's docstring)."""
        assert self.encoding is not None
        utf8 = codecs.lookup(self.encoding).name in ("utf-8", "utf-8-sig")
        return not (utf8 and self.all_utf8) or self.odd_quotes

    def open_csv_text(self, handle: BinaryIO) -> BinaryIO | CsvLines:
        """The file's text as UTF-8 for pyarrow: the file itself, or read line by line."""
        assert self.encoding is not None
        assert self.delimiter is not None
        if not self.line_by_line:
            return handle
        return CsvLines(handle, self.encoding, self.delimiter, self.odd_quotes)


@dataclass(frozen=True)
class _Scan:
    size: int
    sha256: str
    utf8: bool
    first_invalid: int | None
    odd_quote_line: bool


def inspect_source(
    path: Path, options: SourceOptions, progress: ScanProgress | None = None
) -> SourceInfo:
    """Everything about `path` that reading it needs, checked."""
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file", hint="check the path")
    fmt = options.format or _format_from_name(path)
    scan = _scan(path, progress)
    if scan.size == 0:
        raise SourceFormatError(f"{path} is empty", hint="export the registry again")
    if fmt is SourceFormat.FTM:
        from bonafide.ftm.read import ftm_columns  # the FtM reader builds on the registry's

        return SourceInfo(
            path, fmt, scan.size, scan.sha256, ftm_columns(), "utf-8", False, None, False, ()
        )
    if fmt is SourceFormat.PARQUET:
        return SourceInfo(
            path, fmt, scan.size, scan.sha256, _parquet_columns(path), None, False, None, False, ()
        )
    encoding, detected, notes = _encoding(path, scan, options.encoding)
    delimiter = None
    if fmt is SourceFormat.CSV:
        delimiter = options.delimiter or sniff_delimiter(_sample(path, encoding))
    info = SourceInfo(
        path=path,
        format=fmt,
        size=scan.size,
        sha256=scan.sha256,
        columns=(),
        encoding=encoding,
        encoding_detected=detected,
        delimiter=delimiter,
        odd_quotes=scan.odd_quote_line,
        notes=notes,
        all_utf8=scan.utf8,
    )
    columns = _csv_columns(info) if fmt is SourceFormat.CSV else _jsonl_columns(info)
    return replace(info, columns=columns)


def sniff_delimiter(sample: str) -> str:
    """The delimiter of CSV text: csv.Sniffer's choice among , ; tab |, else the most common."""
    sample = sample[: sample.rfind("\n") + 1] or sample
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _format_from_name(path: Path) -> SourceFormat:
    try:
        return _EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise SourceFormatError(
            f"{path}: cannot tell the format from the extension {path.suffix!r}",
            hint='name the file .csv, .parquet or .jsonl, or set format = "csv" (or "parquet", '
            '"jsonl") under [source] in a mapping file',
        ) from None


def _scan(path: Path, progress: ScanProgress | None) -> _Scan:
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    size, first_invalid, odd_quote_line, tail = 0, None, False, b""
    total = path.stat().st_size
    with path.open("rb") as handle:
        while chunk := handle.read(_SCAN_CHUNK):
            digest.update(chunk)
            if not odd_quote_line and b'"' in chunk + tail:
                lines = (tail + chunk).split(b"\n")
                tail = lines.pop()
                odd_quote_line = any(line.count(b'"') % 2 for line in lines)
            elif not odd_quote_line:
                tail = chunk[chunk.rfind(b"\n") + 1 :] if b"\n" in chunk else tail + chunk
            if first_invalid is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    first_invalid = size + error.start
            size += len(chunk)
            if progress:
                progress(size, total)
    odd_quote_line = odd_quote_line or bool(tail.count(b'"') % 2)
    if first_invalid is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            first_invalid = size
    return _Scan(size, digest.hexdigest(), first_invalid is None, first_invalid, odd_quote_line)


def _encoding(path: Path, scan: _Scan, declared: str | None) -> tuple[str, bool, tuple[str, ...]]:
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            raise InputError(
                f"unknown encoding {declared!r} for {path}",
                hint="use a Python codec name such as utf-8, windows-1251 or koi8-r",
            ) from None
        return name, False, ()
    if scan.first_invalid is None:
        return "utf-8", True, ()
    guess = guess_encoding(path, scan.first_invalid)
    return guess.encoding, True, (guess.note,)


def _sample(path: Path, encoding: str) -> str:
    with path.open("rb") as handle:
        data = handle.read(_SNIFF_BYTES)
    return data.decode(encoding, errors="ignore").lstrip("\ufeff")


def _csv_columns(info: SourceInfo) -> tuple[str, ...]:
    assert info.delimiter is not None
    with info.path.open("rb") as handle:
        try:
            reader = pacsv.open_csv(
                info.open_csv_text(handle),
                read_options=pacsv.ReadOptions(
                    use_threads=False, block_size=CSV_BLOCK_BYTES, encoding="utf8"
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=info.delimiter,
                    newlines_in_values=True,
                    invalid_row_handler=lambda _row: "skip",
                ),
            )
        except (pa.ArrowException, UnicodeError) as error:
            raise SourceFormatError(
                f"{info.path}: cannot read the CSV header: {error}",
                hint="check that the file is CSV with a header row; set --delimiter and "
                "--encoding if the guesses (delimiter "
                f"{info.delimiter!r}, encoding {info.encoding}) are wrong",
            ) from None
        names = tuple(reader.schema.names)
        reader.close()
    return names


def _jsonl_columns(info: SourceInfo) -> tuple[str, ...]:
    """The keys of the first objects in a JSON Lines file, in the order first seen."""
    assert info.encoding is not None
    keys: dict[str, None] = {}
    with info.path.open("rb") as handle:
        for count, line in enumerate(handle):
            if count >= _KEY_SAMPLE_LINES:
                break
            try:
                value = json.loads(line.decode(info.encoding).lstrip("\ufeff"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            if isinstance(value, dict):
                keys.update(dict.fromkeys(value))
    return tuple(keys)


def _parquet_columns(path: Path) -> tuple[str, ...]:
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as error:
        raise SourceFormatError(
            f"{path} cannot be read as Parquet: {error}",
            hint="check the file, or set format under [source] in the mapping if it is not Parquet",
        ) from None
    return tuple(schema.names)
