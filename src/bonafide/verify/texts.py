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
from dataclasses import dataclass
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


# street kinds, read into Latin → one class, so улица, вуліца and ул. are one kind
_KIND_CLASSES = {
    "street": {"ulitsa", "ulica", "vulitsa", "vulica", "ul", "vul", "street"},
    "avenue": {"prospekt", "praspekt", "pr", "avenue"},
    "lane": {"pereulok", "zavulak", "per", "zav", "lane", "proulok", "pierauluk"},
    "square": {"ploshchad", "ploshcha", "plosca", "pl", "square"},
    "boulevard": {"bulvar"},
    "highway": {"trakt", "shosse", "shasha", "highway"},
    "passage": {"proezd", "praezd", "prajezd", "pierazd", "tupik"},
}
_KIND_OF = {word: kind for kind, words in _KIND_CLASSES.items() for word in words}


def _street_key(street: str) -> tuple[str, tuple[str, ...]]:
    """(kind of street or "", the canonical words of its name)."""
    words = _words(street)
    kinds = [_KIND_OF[w] for w in words if w in _KIND_OF]
    return (kinds[0] if kinds else ""), _canonical(
        tuple(w for w in words if w not in _STREET_KINDS)
    )


@dataclass(frozen=True)
class _Renaming:
    old: tuple[str, tuple[str, ...]]
    new: tuple[str, tuple[str, ...]]
    scope: str  # "any", or the id of the one settlement where it happened
    new_words: tuple[str, ...]  # the new name's words, read (for showing)


@cache
def _renamings() -> tuple[_Renaming, ...]:
    text = (
        resources.files("bonafide.places").joinpath("data/street_renamings.csv").read_text("utf-8")
    )
    found = []
    for row in csv.DictReader(text.splitlines()):
        new = _street_key(row["new_ru"])
        words = _significant(row["new_ru"], _STREET_KINDS)
        for old in (row["old_ru"], row["old_be"]):
            found.append(_Renaming(_street_key(old), new, row["scope"], words))
        if _street_key(row["new_be"]) != new:  # the new name in Belarusian is that name too
            found.append(_Renaming(_street_key(row["new_be"]), new, row["scope"], words))
    return tuple(found)


@cache
def _scope_names() -> dict[str, tuple[str, ...]]:
    text = resources.files("bonafide.places").joinpath("data/settlements.csv").read_text("utf-8")
    return {
        row["id"]: (row["ru"], row["be"], row["latin"]) for row in csv.DictReader(text.splitlines())
    }


def _in_scope(scope: str, settlement: str | None) -> bool:
    """Whether a renaming applies in `settlement` (unknown: it may)."""
    if scope == "any" or settlement is None:
        return True
    names = _scope_names().get(scope, ())
    return any(compare_settlement(settlement, name) is Agreement.SAME for name in names)


def _renamed_to(
    key: tuple[str, tuple[str, ...]], settlement: str | None
) -> tuple[tuple[str, tuple[str, ...]], tuple[str, ...] | None]:
    """The street's key now, and the words of its new name (None if never renamed)."""
    seen = {key}
    words: tuple[str, ...] | None = None
    while True:
        kind, name = key
        step = next(
            (
                r
                for r in _renamings()
                if r.old[1] == name
                and (not kind or not r.old[0] or r.old[0] == kind)
                and _in_scope(r.scope, settlement)
            ),
            None,
        )
        if step is None or step.new in seen:
            return key, words
        seen.add(step.new)
        key, words = step.new, step.new_words


def street_now_called(street: str, settlement: str | None = None) -> tuple[str, ...]:
    """The words of the name a street has now, following renamings (in `settlement`, where
    a renaming happened in one town only)."""
    _, words = _renamed_to(_street_key(street), settlement)
    return words if words is not None else _significant(street, _STREET_KINDS)


def compare_street(
    claimed: str, recorded: str, settlement: str | None = None
) -> tuple[Agreement, bool]:
    """The agreement, and whether it needed a renaming (an old name for the same street)."""
    direct = _phrase_agreement(
        _significant(claimed, _STREET_KINDS), _significant(recorded, _STREET_KINDS)
    )
    if direct is not Agreement.DIFFERENT:
        return direct, False
    claimed_key, recorded_key = _street_key(claimed), _street_key(recorded)
    claimed_now, _ = _renamed_to(claimed_key, settlement)
    recorded_now, _ = _renamed_to(recorded_key, settlement)
    if (claimed_now, recorded_now) == (claimed_key, recorded_key):
        return Agreement.DIFFERENT, False  # neither was renamed
    if claimed_now[0] and recorded_now[0] and claimed_now[0] != recorded_now[0]:
        return Agreement.DIFFERENT, False  # a square is not a street of the same name
    renamed = _phrase_agreement(claimed_now[1], recorded_now[1])
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
