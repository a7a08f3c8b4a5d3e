"""Comparing what an applicant wrote with what a registry holds: places, streets, houses,
institutions and employers, in any script.

Each text becomes what its words stand for (`bonafide.verify.equivalents.concepts`): the Latin
readings of its words (`bonafide.names.reading`) reduced to consonant skeletons that survive
transliteration schemes and Latin typed without diacritics, with Belarusian and English words and
phrases read as the Russian ones (дзяржаўны = государственный, secondary school = средняя
школа, СШ = средняя школа), so Гомель, Гомель and Homiel agree, and so do "vulica Soniecnaja" and
"улица Солнечная". Words that only say what kind of thing it is (улица, вуліца, г., and the legal
forms ООО, ТДА, ГУО, LLC) are dropped; a street's old name counts as its new one (the renamings
table in `bonafide.places`). A comparison returns `same`, `alike` (a typo, a spelling, words in
another order) or `different`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from bonafide.names import reading
from bonafide.verify.equivalents import Concept, concepts

__all__ = [
    "Agreement",
    "compare_house",
    "compare_organisation",
    "compare_settlement",
    "compare_street",
    "street_now_called",
]


# comparisons remembered: registries and dossiers name the same places and employers again and
# again, and a comparison reads every word of both texts
_COMPARISONS_KEPT = 200_000


class Agreement(StrEnum):
    SAME = "same"
    ALIKE = "alike"
    DIFFERENT = "different"


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_APOSTROPHES = re.compile("[’ʼ'`]")
# kinds of street, shortened or spelt in ways the dictionary does not hold, read into Latin
_STREET_KINDS = frozenset({
    "ulica", "ulitsa", "vulica", "vulitsa", "prospekt", "praspekt", "pereulok", "zavulak",
    "bulvar", "ploshchad", "plosca", "ploshcha", "trakt", "shosse", "shasha",
    "proezd", "praezd", "tupik", "ul", "vul", "pr", "per", "zav", "pl", "avenue",
    "street", "lane", "square", "mikrorajon", "prosp", "praspiekt", "pierauluk",
    "mikrarajon", "proulok", "prajezd", "pierazd", "bul", "bulv", "shos", "mkr", "mkrn",
    "st", "str", "ave", "av", "sq", "blvd", "bd", "prt",
})  # fmt: skip
# what kind of street, by the Russian word the dictionary reads it as
_KIND_WORDS = {
    "street": ("улица",),
    "avenue": ("проспект",),
    "lane": ("переулок",),
    "square": ("площадь",),
    "boulevard": ("бульвар",),
    "highway": ("тракт", "шоссе"),
    "passage": ("проезд", "тупик"),
    "district": ("микрорайон",),
}
_KIND_READINGS = {
    "street": {"ulitsa", "ulica", "vulitsa", "vulica", "ul", "vul", "street", "st", "str"},
    "avenue": {"prospekt", "praspekt", "praspiekt", "pr", "prosp", "prt", "avenue", "ave", "av"},
    "lane": {"pereulok", "zavulak", "per", "zav", "lane", "proulok", "pierauluk"},
    "square": {"ploshchad", "ploshcha", "plosca", "pl", "square", "sq"},
    "boulevard": {"bulvar", "bul", "bulv", "blvd", "bd"},
    "highway": {"trakt", "shosse", "shasha", "shos", "highway"},
    "passage": {"proezd", "praezd", "prajezd", "pierazd", "tupik"},
    "district": {"mikrorajon", "mikrarajon", "mkr", "mkrn"},
}
_KIND_OF_READING = {word: kind for kind, words in _KIND_READINGS.items() for word in words}
_SETTLEMENT_NOISE = frozenset({
    "g", "h", "gorod", "horad", "d", "dz", "derevnya", "viochka", "vyoska", "vioska", "v",
    "pos", "pas", "p", "ag", "gp", "hp", "rp", "rabochiy", "poselok", "pasiolak", "city",
    "town", "village", "agrotown", "settlement",
})  # fmt: skip
_SETTLEMENT_NOISE_WORDS = ("деревня", "поселок", "агрогородок", "городской поселок", "хутор")
_ORGANISATION_NOISE = frozenset({"g", "gorod", "h", "horad", "no", "nr"})

_Words = tuple[Concept, ...]
# letters of a key that can name a place: Минск's "mn" begins many words, "mnsk" does not
_PLACE_KEY = 3


def _tokens(text: str) -> tuple[str, ...]:
    # an apostrophe belongs inside a Belarusian word (мар’іна), not between two
    return tuple(_WORD.findall(_APOSTROPHES.sub("", text.lower())))


@cache
def _analysed(text: str) -> _Words:
    """What the words of a text stand for, legal forms and fillers left out."""
    return tuple(c for c in concepts(_tokens(text)) if c.kind == "word")


def _keys_of(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(k for w in words for c in concepts(_tokens(w)) for k in c.keys)


@cache
def _kind_keys() -> dict[str, str]:
    """A street kind's keys → the kind."""
    return {key: kind for kind, words in _KIND_WORDS.items() for key in _keys_of(words)}


@cache
def _settlement_noise_keys() -> frozenset[str]:
    return _keys_of(_SETTLEMENT_NOISE_WORDS)


def _kind(word: Concept) -> str | None:
    """The kind of street a word names, if it names one."""
    if word.reading in _KIND_OF_READING:
        return _KIND_OF_READING[word.reading]
    kinds = _kind_keys()
    return next((kinds[k] for k in sorted(word.keys) if k in kinds), None)


def _significant(
    text: str, noise: frozenset[str], noise_keys: frozenset[str] = frozenset()
) -> _Words:
    return tuple(w for w in _analysed(text) if w.reading not in noise and not (w.keys & noise_keys))


@cache
def _street_words(text: str) -> _Words:
    return tuple(w for w in _analysed(text) if w.reading not in _STREET_KINDS and _kind(w) is None)


def _shown(words: _Words) -> str:
    return " ".join(w.reading for w in words if w.reading)


def _same_words(a: _Words, b: _Words) -> bool:
    """Word by word the same thing (each pair shares a key)."""
    return len(a) == len(b) and all(x.keys & y.keys for x, y in zip(a, b, strict=True))


@cache
def _places_rows(table: str) -> tuple[dict[str, str], ...]:
    """The rows of a table of `bonafide.places` (`settlements`, `regions`)."""
    text = resources.files("bonafide.places").joinpath(f"data/{table}.csv").read_text("utf-8")
    return tuple(csv.DictReader(text.splitlines()))


@cache
def _places_named() -> dict[str, frozenset[str]]:
    """A key of a word naming a town, a district or a region (Гомель, Гомельский район,
    Гомельская вобласць: their first word) → the places it may name, in any language. Villages
    are left out: their names are often common words (Заречье, Лесная)."""
    found: dict[str, set[str]] = {}

    def add(named: set[str], *names: str) -> None:
        for name in names:
            words = _analysed(name)
            for key in words[0].keys if words else ():
                if len(key.lstrip("=")) >= _PLACE_KEY:
                    found.setdefault(key, set()).update(named)

    for row in _places_rows("settlements"):
        district = row["district_ru"]
        if row["kind"] != "village":
            # a town is its district's too: Brest and брестский (of Брестский район) are one
            add({row["id"], district}, row["ru"], row["be"], row["latin"])
        add({district}, district, row["district_be"])
    for row in _places_rows("regions"):
        add({row["code"]}, row["ru"], row["be"])
    return {key: frozenset(named) for key, named in found.items()}


def _another_place(a: _Words, b: _Words) -> bool:
    """Whether one name has a word for one place where the other has a word for another, the
    rest of them alike: Гомельский and Витебский государственный университет, the КГБ's
    department for one region and for another, school № 12 of Минск and of Гомель. A word's
    Belarusian and Russian forms name the same place (Глубокский, Глыбоцкі)."""
    a_keys = frozenset(k for w in a for k in w.keys)
    b_keys = frozenset(k for w in b for k in w.keys)
    places = _places_named()

    def named(words: _Words, others: frozenset[str]) -> list[frozenset[str]]:
        found = [frozenset(p for k in w.keys for p in places.get(k, ())) for w in words]
        return [f for f, w in zip(found, words, strict=True) if f and not w.keys & others]

    return any(x.isdisjoint(y) for x in named(a, b_keys) for y in named(b, a_keys))


def _phrase_agreement(a: _Words, b: _Words) -> Agreement:
    if not a or not b:
        return Agreement.DIFFERENT
    if _same_words(a, b):
        return Agreement.SAME  # the same name in another script, scheme or language
    if JaroWinkler.similarity(_shown(a), _shown(b)) >= 0.9 and not _another_place(a, b):
        return Agreement.ALIKE
    return Agreement.DIFFERENT


@lru_cache(maxsize=_COMPARISONS_KEPT)
def compare_settlement(claimed: str, recorded: str) -> Agreement:
    noise_keys = _settlement_noise_keys()
    return _phrase_agreement(
        _significant(claimed, _SETTLEMENT_NOISE, noise_keys),
        _significant(recorded, _SETTLEMENT_NOISE, noise_keys),
    )


_StreetKey = tuple[str, _Words]


def _street_key(street: str) -> _StreetKey:
    """(kind of street or "", the words of its name)."""
    kinds = [k for k in map(_kind, _analysed(street)) if k is not None]
    return (kinds[0] if kinds else ""), _street_words(street)


@dataclass(frozen=True)
class _Renaming:
    old: _StreetKey
    new: _StreetKey
    scope: str  # "any", or the id of the one settlement where it happened
    new_words: tuple[str, ...]  # the new name's words, read (for showing)


def _readings(words: _Words) -> tuple[str, ...]:
    return tuple(_shown(words).split())


@cache
def _renamings() -> tuple[_Renaming, ...]:
    text = (
        resources.files("bonafide.places").joinpath("data/street_renamings.csv").read_text("utf-8")
    )
    found = []
    for row in csv.DictReader(text.splitlines()):
        new = _street_key(row["new_ru"])
        words = _readings(_street_words(row["new_ru"]))
        for old in (row["old_ru"], row["old_be"]):
            found.append(_Renaming(_street_key(old), new, row["scope"], words))
        be = _street_key(row["new_be"])
        if not _same_words(be[1], new[1]):  # the new name in Belarusian is that name too
            found.append(_Renaming(be, new, row["scope"], words))
    return tuple(found)


@cache
def _renamings_by_key() -> dict[str, tuple[_Renaming, ...]]:
    """The renamings by each key of their old name's first word."""
    index: dict[str, list[_Renaming]] = {}
    for renaming in _renamings():
        if renaming.old[1]:
            for key in renaming.old[1][0].keys:
                index.setdefault(key, []).append(renaming)
    return {key: tuple(found) for key, found in index.items()}


def _renamings_named(name: _Words) -> list[_Renaming]:
    """The renamings whose old name may be `name` (sharing a key of its first word), in the
    table's order."""
    if not name:
        return []
    index = _renamings_by_key()
    found = {id(r): r for key in name[0].keys for r in index.get(key, ())}
    order = _renaming_order()
    return sorted(found.values(), key=lambda r: order[id(r)])


@cache
def _renaming_order() -> dict[int, int]:
    """Each renaming's place in the table (by identity: the renamings live as long as the
    process, cached above)."""
    return {id(r): n for n, r in enumerate(_renamings())}


@cache
def _scope_names() -> dict[str, tuple[str, ...]]:
    return {row["id"]: (row["ru"], row["be"], row["latin"]) for row in _places_rows("settlements")}


def _in_scope(scope: str, settlement: str | None) -> bool:
    """Whether a renaming applies in `settlement` (unknown: it may)."""
    if scope == "any" or settlement is None:
        return True
    names = _scope_names().get(scope, ())
    return any(compare_settlement(settlement, name) is Agreement.SAME for name in names)


def _renamed_to(
    key: _StreetKey, settlement: str | None
) -> tuple[_StreetKey, tuple[str, ...] | None]:
    """The street's key now, and the words of its new name (None if never renamed)."""
    seen = {key}
    words: tuple[str, ...] | None = None
    while True:
        kind, name = key
        step = next(
            (
                r
                for r in _renamings_named(name)
                if _same_words(r.old[1], name)
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
    return words if words is not None else _readings(_street_words(street))


@lru_cache(maxsize=_COMPARISONS_KEPT)
def compare_street(
    claimed: str, recorded: str, settlement: str | None = None
) -> tuple[Agreement, bool]:
    """The agreement, and whether it needed a renaming (an old name for the same street)."""
    direct = _phrase_agreement(_street_words(claimed), _street_words(recorded))
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


def _representatives(a: _Words, b: _Words) -> list[str]:
    """A key for each word of `a`: one it shares with `b` where there is one."""
    others = frozenset(k for w in b for k in w.keys)
    return [min(w.keys & others) if w.keys & others else w.key for w in a]


@lru_cache(maxsize=_COMPARISONS_KEPT)
def compare_organisation(claimed: str, recorded: str) -> Agreement:
    """An institution or employer: numbers (school No. 12) must agree; the words may be
    spelt, ordered, shortened or translated differently, and the legal form (ООО, ТДА, ГУО)
    says nothing of which one it is."""
    if _numbers(claimed) != _numbers(recorded):
        return Agreement.DIFFERENT
    a = _significant(claimed, _ORGANISATION_NOISE)
    b = _significant(recorded, _ORGANISATION_NOISE)
    agreement = _phrase_agreement(a, b)
    if agreement is not Agreement.DIFFERENT:
        return agreement
    if not (a and b):
        return Agreement.DIFFERENT
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    longer_keys = frozenset(k for w in longer for k in w.keys)
    if all(w.keys & longer_keys for w in shorter):
        return Agreement.ALIKE  # one name within the other (БелАЗ, ОАО «БЕЛАЗ» — управляющая …)
    a_keys = " ".join(sorted(_representatives(a, b)))
    b_keys = " ".join(sorted(_representatives(b, a)))
    if fuzz.token_sort_ratio(a_keys, b_keys) >= 90 and not _another_place(a, b):
        return Agreement.ALIKE  # the same words in another order, a letter off
    # words shared are not enough: министерство обороны is not министерство по чрезвычайным
    # ситуациям, however much of "министерство … республики беларусь" they share
    return Agreement.DIFFERENT
