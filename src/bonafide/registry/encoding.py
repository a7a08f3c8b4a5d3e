"""Which encoding a text file that is not valid UTF-8 is in.

Registries of the region come in UTF-8 or in one of the Cyrillic single-byte encodings:
Windows-1251 above all, KOI8-R from older Unix systems, ISO-8859-5 rarely. Every byte is valid
in all three, so decoding alone cannot tell them apart, and a KOI8-R file read as Windows-1251
imports every name as garbage without a single error. ICU's detector tells them apart by how
likely the letter sequences are in each (measured on the synthetic registries: right on every
sample of 3 rows and more).

Lines are looked at from the first byte that is not UTF-8 on: a line of non-ASCII text that is
valid UTF-8 is a UTF-8 line (text in a single-byte Cyrillic encoding practically never is);
the others are in the legacy encoding. A file mostly of UTF-8 lines is read as UTF-8 and its
other lines are rejected, one by one (and the other way round).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import icu

__all__ = ["FALLBACK_ENCODING", "EncodingGuess", "guess_encoding"]

FALLBACK_ENCODING = "windows-1251"
_SAMPLE_BYTES = 4 << 20
# ICU's names of the candidates → Python's
_CYRILLIC = {"windows-1251": "windows-1251", "KOI8-R": "koi8-r", "ISO-8859-5": "iso8859-5"}


@dataclass(frozen=True)
class EncodingGuess:
    encoding: str
    note: str


def _sample_lines(path: Path, first_invalid: int) -> list[bytes]:
    with path.open("rb") as handle:
        start = max(0, first_invalid - 4096)
        handle.seek(start)
        data = handle.read(_SAMPLE_BYTES)
    lines = data.split(b"\n")
    if start:
        lines = lines[1:]  # the first is cut somewhere in the middle
    if len(data) == _SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # and so is the last
    return [line for line in lines if not line.isascii()]


def _utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _legacy(text: bytes) -> str:
    """The likeliest Cyrillic single-byte encoding of `text`; the fallback if none fits."""
    for match in icu.CharsetDetector(text).detectAll():
        name = _CYRILLIC.get(match.getName())
        if name is not None:
            return name
    return FALLBACK_ENCODING


def guess_encoding(path: Path, first_invalid: int) -> EncodingGuess:
    """The encoding to read `path` in; its first byte that is not UTF-8 is at `first_invalid`."""
    lines = _sample_lines(path, first_invalid)
    utf8 = sum(1 for line in lines if _utf8(line))
    legacy_lines = [line for line in lines if not _utf8(line)]
    if utf8 > len(legacy_lines):
        return EncodingGuess(
            "utf-8",
            f"the file is not all UTF-8 (byte {first_invalid:,}): read as UTF-8, which most of "
            "its lines are; the rows in another encoding are rejected",
        )
    encoding = _legacy(b"\n".join(legacy_lines)) if legacy_lines else FALLBACK_ENCODING
    mixed = "; its rows in UTF-8 are rejected" if utf8 else ""
    return EncodingGuess(
        encoding,
        f"the file is not valid UTF-8 (byte {first_invalid:,}); read as {encoding} (detected"
        f"{mixed}) — if the names look wrong, give the right --encoding",
    )
