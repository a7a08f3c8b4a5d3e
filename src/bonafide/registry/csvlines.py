"""A CSV file read line by line before pyarrow parses it: for files the fast path cannot trust.

pyarrow's CSV reader decodes a whole file in one encoding and follows quotes wherever they lead.
Two kinds of file defeat that: a file that is not all in one encoding (a registry assembled
from several exports: one byte that is not valid in the file's encoding refuses the whole file,
and UTF-8 rows in a Windows-1251 file are silently read as garbage), and a file with a quote
left open (it swallows every row after it, to the end of the file or to the next stray quote,
into one rejected row). `CsvLines` stands between the file and pyarrow, as a stream of UTF-8:

- each record (one line, or several when a quoted value holds line breaks) is decoded in the
  file's encoding; a record that is not valid in it, or that is UTF-8 text in a file read in a
  legacy encoding, is replaced by a line pyarrow rejects (`FOREIGN_MARK` and too many fields),
  and its reason and text wait in `issues` for the reader's invalid-row handler, in order;
- quotes are followed as pyarrow follows them (a quote opens a value only at its start, `""`
  inside is a quote); a value still open after `MAX_OPEN_BYTES` or at the end of the file is a
  quote never closed: the line that opened it is rejected, and the lines after it are read as
  rows of their own.

Reading in Python is slower than pyarrow's own decoding, so `inspect_source` sends a file here
only when it needs it: not valid UTF-8, read in another encoding, or holding a line with an odd
number of quotes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import deque
from dataclasses import dataclass
from typing import Any, BinaryIO

__all__ = ["FOREIGN_MARK", "MAX_OPEN_BYTES", "CsvLines", "LineIssue", "is_utf8"]

# A Unicode noncharacter: never in text, so a line starting with it is one this module wrote.
FOREIGN_MARK = "\ufdd0"
MAX_OPEN_BYTES = 64 * 1024  # a quoted value longer than a cell may be is a quote never closed
_BLOCK = 1 << 20
_QUOTE = ord('"')


@dataclass(frozen=True)
class LineIssue:
    """A record replaced by a rejected line: why, and its text as best it can be read."""

    reason: str
    raw: str


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# A line of a block decoded as UTF-8 (bytes that are not, replaced) that holds non-ASCII text
# and no replacement: a UTF-8 line (Cyrillic single-byte text is practically never valid UTF-8)
_UTF8_LINE = re.compile(r"^[^\n\ufffd]*[^\x00-\x7f\n\ufffd][^\n\ufffd]*$", re.MULTILINE)


def _plain_records(delimiter: bytes) -> re.Pattern[bytes]:
    """Lines of values, each unquoted and free of quotes or quoted whole on one line."""
    d = re.escape(delimiter)
    # possessive quantifiers: nothing to backtrack into, about 15 ms a megabyte
    value = rb'(?:"[^"\n]*+(?:""[^"\n]*+)*+"|[^"\n' + d + rb"]*+)"
    return re.compile(rb"(?:" + value + rb"(?:" + d + value + rb")*+\n)*+")


def _quotes(line: bytes, delimiter: int) -> tuple[bool, bool]:
    """Whether a value is still quoted at the end of `line`, as pyarrow reads quotes, and
    whether a quote closed in the middle of a value (`"ab"c`: pyarrow reads `abc`)."""
    if _QUOTE not in line:
        return False, False
    position, end = 0, len(line)
    quoted, field_start, stray = False, True, False
    while position < end:
        if quoted:
            found = line.find(b'"', position)
            if found < 0:
                return True, stray
            if found + 1 < end and line[found + 1] == _QUOTE:  # "" is a quote inside
                position = found + 2
                continue
            quoted, position = False, found + 1
            stray = stray or (position < end and line[position] not in (delimiter, 10, 13))
        elif field_start and line[position] == _QUOTE:
            quoted, field_start, position = True, False, position + 1
        else:
            found = line.find(bytes([delimiter]), position)
            if found < 0:
                return False, stray
            position, field_start = found + 1, True
    return quoted, stray


class CsvLines(io.RawIOBase):
    """The records of a CSV file as UTF-8, each in the file's encoding or replaced by a line
    that pyarrow rejects (its reason in `issues`)."""

    def __init__(
        self, raw: BinaryIO, encoding: str, delimiter: str, odd_quotes: bool = True
    ) -> None:
        """`odd_quotes`: whether a line of the file holds an odd number of quotes; if none
        does, no quote can stay open past its line and blocks are not checked for one."""
        self._raw = raw
        self._encoding = codecs.lookup(encoding).name
        self._utf8 = self._encoding in ("utf-8", "utf-8-sig")
        self._delimiter = delimiter.encode("ascii")[0]
        self._plain_records = _plain_records(delimiter.encode("ascii")) if odd_quotes else None
        self._width: int | None = None  # fields in the header, once it is read
        self._tail = b""  # a line not yet ended at the end of the last block read
        self._record: list[bytes] = []  # the lines of a record whose quote is still open
        self._open_bytes = 0
        self._out = bytearray()
        self._eof = False
        self.consumed = 0  # bytes of the file read so far
        self.issues: deque[LineIssue] = deque()

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.consumed

    def readinto(self, target: Any) -> int:
        view = memoryview(target).cast("B")
        while len(self._out) < len(view) and not self._eof:
            self._read_block()
        size = min(len(view), len(self._out))
        view[:size] = self._out[:size]
        del self._out[:size]
        return size

    # --- lines and records ---------------------------------------------------------------

    def _read_block(self) -> None:
        block = self._raw.read(_BLOCK)
        if not block:
            self._eof = True
            if self._tail:
                self._line(self._tail)
                self._tail = b""
            self._end_of_file()
            return
        self.consumed += len(block)
        data = self._tail + block
        cut = data.rfind(b"\n") + 1
        body, self._tail = data[:cut], data[cut:]
        plain = self._plain(body) if self._width is not None and not self._record else None
        if plain is not None:
            self._out += plain
            return
        for line in body.split(b"\n")[:-1]:
            self._line(line + b"\n")

    def _plain(self, body: bytes) -> bytes | None:
        """`body` as UTF-8 if every line of it is a whole record in the file's encoding, its
        quotes only around whole values: then it needs no look line by line (the common case,
        and many times faster); None otherwise."""
        records = self._plain_records
        if records is not None and _QUOTE in body and records.fullmatch(body) is None:
            return None
        if self._utf8:
            return body if is_utf8(body) else None
        if _UTF8_LINE.search(body.decode("utf-8", errors="replace")):
            return None  # may hold a UTF-8 line: each line is looked at
        try:
            return body.decode(self._encoding).encode("utf-8")
        except UnicodeDecodeError:
            return None

    def _line(self, line: bytes) -> None:
        self._record.append(line)
        self._open_bytes += len(line)
        quoted, stray = _quotes(b"".join(self._record), self._delimiter)
        if quoted:
            if self._open_bytes > MAX_OPEN_BYTES:
                self._quote_never_closed(
                    f"a quote opened in this row is not closed within {MAX_OPEN_BYTES >> 10} KiB "
                    "(the most a value may hold): it would swallow the rows after it, which are "
                    "read as rows of their own; close or remove the quote"
                )
            return
        if stray and len(self._record) > 1:
            self._quote_never_closed(
                "a quote opened in this row is never closed: the next quote, in the middle of a "
                "value on a later line, would end it and swallow the lines between; those are "
                "read as rows of their own; close or remove the quote"
            )
            return
        self._emit_record()

    def _end_of_file(self) -> None:
        while self._record:
            self._quote_never_closed(
                "a quote opened in this row is never closed: it would swallow every row after "
                "it to the end of the file; those are read as rows of their own; close or "
                "remove the quote"
            )

    def _quote_never_closed(self, reason: str) -> None:
        first, rest = self._record[0], self._record[1:]
        self._record, self._open_bytes = [], 0
        self._reject(reason, first)
        for line in rest:  # read again, the stray quote taken for what it is
            self._line(line)

    def _emit_record(self) -> None:
        record, self._record, self._open_bytes = b"".join(self._record), [], 0
        if not record.strip():
            self._out += b"\n"  # a blank line: pyarrow skips it, as it would have
            return
        problem = self._foreign(record)
        if problem is not None:
            self._reject(problem, record)
            return
        text = record if self._utf8 else record.decode(self._encoding).encode("utf-8")
        if self._width is None:
            self._width = self._fields(text.decode("utf-8"))
        self._out += text

    def _foreign(self, record: bytes) -> str | None:
        """Why `record` is not text in the file's encoding; None when it is."""
        if record.isascii():
            return None
        if self._utf8:
            if is_utf8(record):
                return None
            return (
                "the row is not valid UTF-8, unlike the rest of the file: it is in another "
                "encoding; convert the file to one encoding, or import these rows on their own "
                "with --encoding"
            )
        if is_utf8(record):
            return (
                f"the row is UTF-8 text, unlike the rest of the file (read as {self._encoding}): "
                "convert the file to one encoding, or import these rows on their own with "
                "--encoding utf-8"
            )
        try:
            record.decode(self._encoding)
        except UnicodeDecodeError:
            return (
                f"the row is not valid {self._encoding} text, unlike the rest of the file: it "
                "is in another encoding; convert the file to one encoding, or give --encoding"
            )
        return None

    def _reject(self, reason: str, record: bytes) -> None:
        if self._width is None:
            raise UnicodeError(f"the header row cannot be read: {reason}")
        encoding = "utf-8" if is_utf8(record) else self._encoding
        raw = record.decode(encoding, errors="replace").rstrip("\r\n")
        self.issues.append(LineIssue(reason, raw))
        marker = FOREIGN_MARK + chr(self._delimiter) * self._width  # one field too many
        self._out += (marker + "\n").encode("utf-8")

    def _fields(self, header: str) -> int:
        return len(next(csv.reader([header.lstrip("\ufeff")], delimiter=chr(self._delimiter))))
