"""Word-pattern tables (security services, deregistration reasons): rows of word stems matched,
in order and side by side, against a text in any script.

A pattern is words separated by spaces; each is matched against one word of the text, both read
into a loose Latin form (`loose`) that Russian and Belarusian Cyrillic, the passport and national
Latin (with or without diacritics) and English spellings share:

- `stem*`: a word that begins with `stem`
- `word`: exactly that word (abbreviations: кгб, ровд)
- `#`: a number (ИК-15, в/ч 3214)

`find` gives the value of the most telling pattern found: one that names a department before one
that names only the body it belongs to (a row's `parent` column: ДИН МВД is the penal
department of the interior ministry), then the one of most words, then the first listed.

Fillers (of, the, по, и, №) are dropped from the text first, so patterns need not list them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bonafide.names import reading

__all__ = ["PatternTable", "loose", "words_of"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_APOSTROPHES = re.compile("[’ʼ'`ʹ]")
_LOOSE_STEPS = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"shch|sch|sh", "s"),
        (r"zh", "z"),
        (r"rz", "z"),  # рж, and the Polish rz that Latin without diacritics is taken for
        (r"tch|ch|ts|tz|c", "c"),
        (r"kh|gh|g|h", "h"),
        (r"w", "u"),
        (r"j", "y"),
        (r"[iy](?=[aeou])", ""),
        (r"y", "i"),
        (r"(.)\1+", r"\1"),
    )
)
_FILLERS = frozenset(
    {
        "of",
        "the",
        "and",
        "for",
        "in",
        "at",
        "on",
        "to",
        "by",
        "with",
        "po",
        "pa",
        "i",
        "s",
        "so",
        "z",
        "ze",
        "iz",
        "na",
        "pri",
        "pry",
        "no",
        "nr",
        "n",
    }
)


@lru_cache(maxsize=100_000)
def loose(word: str) -> str:
    """One word in the loose Latin form both patterns and texts are read into."""
    if word.isdigit():
        return word
    text = reading(word)
    for pattern, replacement in _LOOSE_STEPS:
        text = pattern.sub(replacement, text)
    return text


def words_of(text: str) -> tuple[str, ...]:
    """The loose words of a text, fillers left out."""
    words = (loose(w) for w in _WORD.findall(_APOSTROPHES.sub("", text.lower())))
    return tuple(w for w in words if w and w not in _FILLERS)


@dataclass(frozen=True)
class _Pattern:
    tokens: tuple[tuple[str, str], ...]  # ("prefix" | "exact" | "number", loose text)
    value: str
    order: int
    parent: bool

    def rank(self) -> tuple[int, int, int]:
        return (not self.parent, len(self.tokens), -self.order)


def _token_matches(token: tuple[str, str], word: str) -> bool:
    how, text = token
    if how == "number":
        return word.isdigit()
    if how == "exact":
        return word == text
    return word.startswith(text)


class PatternTable:
    """Patterns → values."""

    def __init__(self, rows: Iterable[tuple[str, str, bool]]) -> None:
        self._exact: dict[str, list[_Pattern]] = {}
        self._prefix: dict[str, list[_Pattern]] = {}
        self._numbers: list[_Pattern] = []
        self._longest_prefix = 0
        for order, (value, words, parent) in enumerate(rows):
            tokens = tuple(_token(w) for w in words.split())
            if not tokens:
                continue
            pattern = _Pattern(tokens, value, order, parent)
            how, text = tokens[0]
            if how == "number":
                self._numbers.append(pattern)
            elif how == "exact":
                self._exact.setdefault(text, []).append(pattern)
            else:
                self._prefix.setdefault(text, []).append(pattern)
                self._longest_prefix = max(self._longest_prefix, len(text))

    @classmethod
    def from_csv(cls, text: str, value: str, words: str) -> PatternTable:
        return cls(
            (row[value], row[words], row.get("parent") == "yes")
            for row in csv.DictReader(text.splitlines())
        )

    def find(self, words: tuple[str, ...]) -> str | None:
        best: _Pattern | None = None
        for i, word in enumerate(words):
            for pattern in self._starting(word):
                n = len(pattern.tokens)
                if i + n > len(words):
                    continue
                if all(_token_matches(t, words[i + j]) for j, t in enumerate(pattern.tokens)) and (
                    best is None or pattern.rank() > best.rank()
                ):
                    best = pattern
        return best.value if best is not None else None

    def find_all(self, words: tuple[str, ...]) -> set[str]:
        """The values of every pattern found."""
        found: set[str] = set()
        for i, word in enumerate(words):
            for pattern in self._starting(word):
                n = len(pattern.tokens)
                if i + n <= len(words) and all(
                    _token_matches(t, words[i + j]) for j, t in enumerate(pattern.tokens)
                ):
                    found.add(pattern.value)
        return found

    def _starting(self, word: str) -> Iterable[_Pattern]:
        yield from self._exact.get(word, ())
        for end in range(1, min(len(word), self._longest_prefix) + 1):
            yield from self._prefix.get(word[:end], ())
        if word.isdigit():
            yield from self._numbers


def _token(word: str) -> tuple[str, str]:
    if word == "#":
        return ("number", "")
    if word.endswith("*"):
        return ("prefix", loose(word[:-1]))
    return ("exact", loose(word))
