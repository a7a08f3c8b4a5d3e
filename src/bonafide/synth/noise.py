"""The errors real registries contain, at documented rates (docs/synthetic-data.md).

Typos are drawn per distinct string (a pool of variants), then picked per record, so that
millions of records cost a few thousand string edits.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bonafide.synth.sampling import IntArray

__all__ = ["NoiseRates", "Typo", "pick_typos", "typo", "with_typos"]

# Letters a hurried clerk confuses: by sound, by shape, or by neighbouring keys.
_CONFUSABLE = {
    "а": "оя",
    "о": "аё",
    "е": "иэё",
    "и": "еы",
    "ы": "иі",
    "і": "иы",
    "э": "е",
    "я": "а",
    "ш": "щ",
    "щ": "ш",
    "с": "з",
    "з": "с",
    "д": "т",
    "т": "д",
    "б": "п",
    "п": "б",
    "в": "ф",
    "г": "к",
    "к": "г",
    "ў": "в",
    "у": "ў",
    "a": "oe",
    "o": "a",
    "e": "ia",
    "i": "ye",
    "y": "i",
    "s": "z",
    "z": "s",
    "k": "h",
    "h": "kg",
    "u": "o",
}


@dataclass(frozen=True)
class NoiseRates:
    """Shares of records (or fields) that carry each kind of error."""

    name_typo: float = 0.015
    other_language_form: float = 0.03
    yo_written_as_ye: float = 0.5
    missing_patronymic: float = 0.02
    missing_birth_date: float = 0.01
    missing_optional: float = 0.03
    date_day_month_swap: float = 0.004
    date_digit_off: float = 0.004
    impossible_date: float = 0.0002
    duplicate_record: float = 0.01
    exact_duplicate_row: float = 0.0005


def typo(value: str, rnd: random.Random) -> str:
    """One plausible slip of the pen: a confused, dropped, doubled or swapped letter."""
    if len(value) < 3:
        return value + value[-1:] if value else value
    for _ in range(8):
        i = rnd.randrange(1, len(value))
        char = value[i]
        kind = rnd.random()
        if kind < 0.45 and char.lower() in _CONFUSABLE:
            repl = rnd.choice(_CONFUSABLE[char.lower()])
            repl = repl.upper() if char.isupper() else repl
            result = value[:i] + repl + value[i + 1 :]
        elif kind < 0.65 and char.isalpha():
            result = value[:i] + value[i + 1 :]
        elif kind < 0.8 and char.isalpha():
            result = value[:i] + char + value[i:]
        elif i + 1 < len(value) and value[i + 1].isalpha() and char.isalpha():
            result = value[:i] + value[i + 1] + char + value[i + 2 :]
        else:
            continue
        if result != value:
            return result
    return value[:-1]


Typo = Callable[[str, random.Random], str]


def with_typos(values: list[str], variants: int, seed: int, slip: Typo = typo) -> list[str]:
    """`values`, then `variants` typo variants of each (value i's at len + i*variants + j).

    `slip` makes one typo: by default `typo`; Latin pools pass the clerks' Latin slips
    (`spelling.clerk_typo`).
    """
    rnd = random.Random(seed)
    out = list(values)
    for value in values:
        out.extend(slip(value, rnd) if value else value for _ in range(variants))
    return out


def pick_typos(
    rng: np.random.Generator, codes: IntArray, pool_size: int, variants: int, rate: float
) -> tuple[IntArray, int]:
    """Codes with a share `rate` replaced by one of their typo variants; and how many."""
    hit = rng.random(len(codes)) < rate
    variant = pool_size + codes * variants + rng.integers(0, variants, len(codes))
    return np.where(hit, variant, codes), int(hit.sum())
