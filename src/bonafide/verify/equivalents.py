"""Belarusian and Russian words that name the same thing: Чыгуначная = Железнодорожная,
дзяржаўны = государственный, каледж = колледж.

Transliteration cannot join these; translation can. The pairs come from the real names, in both
languages, of the streets, settlements, universities, colleges, employers, positions and
programmes bonafide ships (`bonafide.places` and `bonafide.synth` data, see their SOURCES.md):
where a name has as many words in both languages, its words pair up in order. Each word is kept
as its consonant skeleton; a Belarusian skeleton maps to the Russian one.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from bonafide.names import reading, skeleton

__all__ = ["canonical_word"]

_SOURCES = (
    ("bonafide.places", "data/streets.csv", "ru", "be"),
    ("bonafide.places", "data/settlements.csv", "ru", "be"),
    ("bonafide.places", "data/street_renamings.csv", "old_ru", "old_be"),
    ("bonafide.places", "data/street_renamings.csv", "new_ru", "new_be"),
    ("bonafide.synth", "data/universities.csv", "name_ru", "name_be"),
    ("bonafide.synth", "data/colleges.csv", "name_ru", "name_be"),
    ("bonafide.synth", "data/employers.csv", "name_ru", "name_be"),
    ("bonafide.synth", "data/company_forms.csv", "ru", "be"),
    ("bonafide.synth", "data/company_words.csv", "ru", "be"),
    ("bonafide.synth", "data/positions.csv", "ru", "be"),
    ("bonafide.synth", "data/programmes.csv", "ru", "be"),
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _skeletons(text: str) -> list[str]:
    return [skeleton(reading(w)) for w in _WORD.findall(text.lower())]


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for package, name, russian, belarusian in _SOURCES:
        text = resources.files(package).joinpath(name).read_text("utf-8")
        for row in csv.DictReader(text.splitlines()):
            ru, be = _skeletons(row[russian] or ""), _skeletons(row[belarusian] or "")
            if len(ru) != len(be):
                continue
            for r, b in zip(ru, be, strict=True):
                if r and b and r != b:
                    table.setdefault(b, r)
    return table


def canonical_word(word_skeleton: str) -> str:
    """The Russian skeleton for a Belarusian word's skeleton; any other word as it is."""
    return _table().get(word_skeleton, word_skeleton)
