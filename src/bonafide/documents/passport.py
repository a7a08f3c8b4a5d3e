"""The Belarusian passport number: a two-letter series and seven digits (MP1234567)."""

from __future__ import annotations

import re

__all__ = ["PASSPORT_PATTERN", "is_passport_number"]

PASSPORT_PATTERN = re.compile(r"^[A-Z]{2}[0-9]{7}$")


def is_passport_number(text: str) -> bool:
    """True when `text` (already upper-cased, without spaces) has the passport format."""
    return PASSPORT_PATTERN.fullmatch(text) is not None
