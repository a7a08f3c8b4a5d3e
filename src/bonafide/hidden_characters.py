"""Characters that are not text: refused in names and fields wherever bonafide reads them.

NUL and the other control codes (but tab, line feed and carriage return) end strings early in
C libraries, move the cursor or recolour a terminal; the bidirectional controls (U+202A–U+202E,
U+2066–U+2069, U+200E, U+200F, U+061C) make a name display in another order than the one it is
stored in, so two people reading the same record see different names. Neither belongs in a
name, a date or a number, and neither is a typo to be forgiven: the dossier or the row is
refused, naming the field and the kind of character, never the value.
"""

from __future__ import annotations

import re

__all__ = ["HIDDEN_CHARACTERS_RE2", "hidden_character"]

_CONTROL_RANGES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F))
_BIDI_RANGES = ((0x061C, 0x061C), (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069))


def _class(ranges: tuple[tuple[int, int], ...], escape: str) -> str:
    return "".join(
        escape.format(first) + ("-" + escape.format(last) if last > first else "")
        for first, last in ranges
    )


_RANGES = _CONTROL_RANGES + _BIDI_RANGES
_PATTERN = re.compile(f"[{_class(_RANGES, chr(92) + 'U{:08x}')}]")
# The same class for RE2 (pyarrow's regular expressions), which spells code points \x{…}.
HIDDEN_CHARACTERS_RE2 = f"[{_class(_RANGES, chr(92) + 'x{{{:04x}}}')}]"


def hidden_character(text: str) -> str | None:
    """What the first character of `text` that is not text is, in words; None if there is none."""
    found = _PATTERN.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if code == 0:
        return "a NUL character (U+0000)"
    if any(first <= code <= last for first, last in _BIDI_RANGES):
        return f"a bidirectional control character (U+{code:04X})"
    return f"a control character (U+{code:04X})"
