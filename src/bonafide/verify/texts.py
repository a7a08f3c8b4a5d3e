"""Comparing what an applicant wrote with what a registry holds: places, streets, houses,
institutions and employers, in any script.

Each text becomes the Latin readings of its words (`bonafide.names.reading`), so Гомель, Гомель
and Homiel agree; words that only say what kind of thing it is (улица, вуліца, ООО, г.) are
dropped; a street's old name counts as its new one (the renamings table in
`bonafide.places`). A comparison returns `same`, `alike` (a typo or a spelling) or `different`.
"""

from __future__ import annotations

import csv
import re
from enum import StrEnum
from functools import cache
from importlib import resources

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from bonafide.names import reading, skeleton
from bonafide.verify.equivalents import canonical_word

__all__ = [
    "Agreement",
    "compare_house",
    "compare_organisation",
    "compare_settlement",
    "compare_street",
    "street_now_called",
]


class Agreement(StrEnum):
    SAME = "same"
    ALIKE = "alike"
    DIFFERENT = "different"


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_APOSTROPHES = re.compile("[’ʼ'`]")
# kinds of street, settlement and organisation in Russian and Belarusian, read into Latin
_STREET_KINDS = {
    "ulica", "ulitsa", "vulica", "vulitsa", "prospekt", "praspekt", "pereulok", "zavulak",
    "bulvar", "ploshchad", "plosca", "ploshcha", "trakt", "shosse", "shasha",
    "proezd", "praezd", "tupik", "ul", "vul", "pr", "per", "zav", "pl", "avenue",
    "street", "lane", "square", "mikrorajon",
    "mikrarajon", "proulok", "prajezd", "pierazd", "pierauluk",
}  # fmt: skip
_ORGANISATION_FORMS = {
    "ooo", "oao", "zao", "ao", "uo", "up", "chup", "ruP".lower(), "kup", "ip", "taa", "aat",
    "zat", "pup", "chtup", "gu", "du", "gup", "rup", "obshchestvo", "s", "ogranichennoj",
    "otvetstvennostyu", "g", "gorod", "h", "horad",
}  # fmt: skip


@cache
def _words(text: str) -> tuple[str, ...]:
    # an apostrophe belongs inside a Belarusian word (мар’іна), not between two
    joined = _APOSTROPHES.sub("", text.lower())
    return tuple(w if w.isdigit() else reading(w) for w in _WORD.findall(joined))


def _significant(text: str, noise: set[str]) -> tuple[str, ...]:
    return tuple(w for w in _words(text) if w not in noise)


def _phrase_agreement(a: tuple[str, ...], b: tuple[str, ...]) -> Agreement:
    if not a or not b:
        return Agreement.DIFFERENT
    if a == b:
        return Agreement.SAME
    if _canonical(a) == _canonical(b):
        return Agreement.SAME  # the same name in another script, scheme or language
    if JaroWinkler.similarity(" ".join(a), " ".join(b)) >= 0.9:
        return Agreement.ALIKE
    return Agreement.DIFFERENT


@cache
def _canonical(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(canonical_word(skeleton(w)) if not w.isdigit() else w for w in words)


def compare_settlement(claimed: str, recorded: str) -> Agreement:
    noise = {"g", "h", "gorod", "horad", "d", "dz", "derevnya", "viochka", "pos", "pas"}
    return _phrase_agreement(_significant(claimed, noise), _significant(recorded, noise))


@cache
def _renamings() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Old street name (its words, read) → the name it has now (following chains)."""
    text = (
        resources.files("bonafide.places").joinpath("data/street_renamings.csv").read_text("utf-8")
    )
    step: dict[tuple[str, ...], tuple[str, ...]] = {}
    for row in csv.DictReader(text.splitlines()):
        new = _significant(row["new_ru"], _STREET_KINDS)
        for old in (row["old_ru"], row["old_be"]):
            step[_significant(old, _STREET_KINDS)] = new
        step.setdefault(_significant(row["new_be"], _STREET_KINDS), new)
    final = {}
    for old in step:
        name, seen = old, set()
        while name in step and name not in seen:
            seen.add(name)
            name = step[name]
        final[old] = name
    return final


def street_now_called(street: str) -> tuple[str, ...]:
    words = _significant(street, _STREET_KINDS)
    return _renamed().get(_canonical(words), words)


@cache
def _renamed() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The renamings keyed by the old name's canonical words."""
    return {_canonical(old): new for old, new in _renamings().items()}


def compare_street(claimed: str, recorded: str) -> tuple[Agreement, bool]:
    """The agreement, and whether it needed a renaming (an old name for the same street)."""
    direct = _phrase_agreement(
        _significant(claimed, _STREET_KINDS), _significant(recorded, _STREET_KINDS)
    )
    if direct is not Agreement.DIFFERENT:
        return direct, False
    renamed = _phrase_agreement(street_now_called(claimed), street_now_called(recorded))
    return renamed, renamed is not Agreement.DIFFERENT


def _house(text: str) -> str:
    """12А, 12a and 12 а are one house: letters read into Latin, spaces and dashes dropped."""
    return "".join(reading(c) if c.isalpha() else c for c in text.lower() if c.isalnum())


def compare_house(claimed: str, recorded: str) -> Agreement:
    a, b = _house(claimed), _house(recorded)
    return Agreement.SAME if a and a == b else Agreement.DIFFERENT


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def compare_organisation(claimed: str, recorded: str) -> Agreement:
    """An institution or employer: numbers (school No. 12) must agree; the words may be
    spelt, ordered or shortened differently."""
    if _numbers(claimed) != _numbers(recorded):
        return Agreement.DIFFERENT
    a = _significant(claimed, _ORGANISATION_FORMS)
    b = _significant(recorded, _ORGANISATION_FORMS)
    agreement = _phrase_agreement(a, b)
    if agreement is not Agreement.DIFFERENT:
        return agreement
    a_skeletons = " ".join(sorted(_canonical(a)))
    b_skeletons = " ".join(sorted(_canonical(b)))
    if fuzz.token_set_ratio(a_skeletons, b_skeletons) >= 90:
        return Agreement.ALIKE
    return Agreement.DIFFERENT
