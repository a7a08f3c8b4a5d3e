"""Watchlist screening: every dossier against every watchlist entry it could be.

Linkage ties a watchlist record to a person only when its data suffice for the linkage model;
watchlists are partial (one `full_name` in Latin or Russian, a birth year or no birth date,
initials), so a listed person applying under their true story may be linked to no entry. The
screen compares the dossier's identity with the entries themselves, read from the generation's
`watchlist.arrow` (written at resolve, `bonafide.persons.watchlist`).

Candidates come from an index, never from a scan: each entry is filed under a few keys, each
key two parts of the entry that survive scripts and schemes,

- surname (the skeleton of its stem, so Ivanov = Ivanova = Іваноў; or the given-name class of
  a stem made from a given name, so Мікалаеў = Nikolaev) with the given name's class,
- given name with patronymic and birth year (a misspelt or another surname),
- surname with birth year, and surname with patronymic (a misspelt given name),
- the surname's first three consonants with the given name (a surname misspelt at its end),
- surname alone, for entries that give only initials or no given name,

and a dossier looks up the same keys of its own name (and of each former surname). Each
candidate is then compared part by part with the comparators of `bonafide.names`, and its birth
date as far as the entry knows it (day, month or year). What a hit needs:

| birth date         | name                                                                  |
| ------------------ | --------------------------------------------------------------------- |
| same day / month   | surname and given name same or alike (or the given name's initial)   |
| same year          | as above, at most one part merely alike; an initial needs the        |
|                    | patronymic's too                                                      |
| one or two slips   | (a day and/or a year off, day and month swapped) as for no date       |
| unknown            | surname and given name the same, patronymic the same where both have |
|                    | one; or one of three parts misspelt, the other two the same          |

"Alike" parts take in what the name model calls otherwise: Belarusian akanne and yakanne
(Пятрашка / Petrashko), surnames made from a given name (Мікалаеў / Nikolaev), a letter off
(Korsh / Korzh; only with a birth date), a patronymic a slip away from a form of the same
father's name. With the very day of birth, two parts the same and the third not (a maiden name
the dossier does not give; a given name of the same initial) is a weaker hit (0.6).

Never a hit: names of different sexes, a given name of another initial, a surname alone, a birth
date two slips or more away. No-date hits rest on the name alone: at 200 k people they are most
of the false hits, and their share grows with the population (see bench/watchlist.py).

A generation written before `watchlist.arrow` existed has no entries to screen:
`WatchlistScreen.open` raises a `StoreError` naming the re-resolve that writes them (screening
nothing quietly would pass every listed applicant).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from typing import Any

import pyarrow as pa
from rapidfuzz.distance import OSA, Levenshtein

from bonafide.errors import StoreError
from bonafide.names import ParsedName, parse_name, reading, skeleton, vowel_frame
from bonafide.names.compare import (
    GivenAgreement,
    PatronymicAgreement,
    SurnameAgreement,
    compare_given,
    compare_patronymic,
    compare_surname,
    given_initial_agrees,
    patronymic_initial_agrees,
)
from bonafide.names.given import given_names
from bonafide.names.latin import has_cyrillic
from bonafide.names.parse import Surname, Word, surname_alternatives
from bonafide.names.surname import Ending, plain_keys
from bonafide.persons.files import Generation
from bonafide.persons.watchlist import WATCHLIST_FILE
from bonafide.verify.texts import Agreement, compare_organisation
from bonafide.verify.when import Span, parse_when

__all__ = [
    "BirthAgreement",
    "NameAgreement",
    "WatchlistEntry",
    "WatchlistHit",
    "WatchlistScreen",
]

log = logging.getLogger(__name__)

_INITIALS = re.compile(r"^(?:\w\.){1,3}$|^\w$")
_MAX_YEARS = 3  # a dossier's birth date spanning more years than this gives no year keys


class NameAgreement(StrEnum):
    SAME = "same"  # every part the entry has is the same name, in whatever script
    ALIKE = "alike"  # a part misspelt, a diminutive, a part of a double surname
    INITIALS = "initials"  # the entry gives initials only, and they agree
    OTHER_SURNAME = "other_surname"  # given name and patronymic agree at the same service


class BirthAgreement(StrEnum):
    SAME_DAY = "same_day"
    SAME_MONTH = "same_month"
    SAME_YEAR = "same_year"
    NEAR = "near"  # one slip apart: a day or a year off, day and month swapped
    UNKNOWN = "unknown"  # the entry or the dossier has no birth date


# strength of a hit: (name agreement, birth agreement) → 0–1
_STRENGTH: dict[tuple[NameAgreement, BirthAgreement], float] = {
    (NameAgreement.SAME, BirthAgreement.SAME_DAY): 0.99,
    (NameAgreement.ALIKE, BirthAgreement.SAME_DAY): 0.92,
    (NameAgreement.INITIALS, BirthAgreement.SAME_DAY): 0.85,
    (NameAgreement.SAME, BirthAgreement.SAME_MONTH): 0.95,
    (NameAgreement.ALIKE, BirthAgreement.SAME_MONTH): 0.85,
    (NameAgreement.INITIALS, BirthAgreement.SAME_MONTH): 0.75,
    (NameAgreement.SAME, BirthAgreement.SAME_YEAR): 0.9,
    (NameAgreement.ALIKE, BirthAgreement.SAME_YEAR): 0.75,
    (NameAgreement.INITIALS, BirthAgreement.SAME_YEAR): 0.6,
    (NameAgreement.SAME, BirthAgreement.NEAR): 0.75,
    (NameAgreement.SAME, BirthAgreement.UNKNOWN): 0.7,
}
_WEAKER = 0.1  # less when a name carries a hit without a patronymic, or with a part misspelt
_OTHER_PART = 0.6  # the day of birth and two parts of the name the same, the third not
_OTHER_SURNAME = 0.85  # given name, patronymic and birth date at the service the person served


@dataclass(frozen=True)
class WatchlistEntry:
    """One watchlist record as the source gives it."""

    record_key: str
    record_id: str | None
    person_id: int | None  # the person linkage tied it to, if any
    name: str  # as written
    birth_date: dt.date | None
    birth_precision: str | None  # day, month or year
    organisation: str | None
    role: str | None
    source: str | None

    @property
    def birth_text(self) -> str | None:
        """The birth date as far as the entry knows it: 1975-03-08, 1975-03 or 1975."""
        if self.birth_date is None:
            return None
        width = {"day": 10, "month": 7}.get(self.birth_precision or "year", 4)
        return self.birth_date.isoformat()[:width]

    def to_json(self) -> dict[str, Any]:
        return {
            "record_key": self.record_key,
            "record_id": self.record_id,
            "person_id": self.person_id,
            "name": self.name,
            "birth_date": self.birth_text,
            "birth_precision": self.birth_precision,
            "organisation": self.organisation,
            "role": self.role,
            "source": self.source,
        }


@dataclass(frozen=True)
class WatchlistHit:
    """A dossier that may be a watchlist entry's person, and how far they agree."""

    entry: WatchlistEntry
    strength: float  # 0–1
    name: NameAgreement
    birth: BirthAgreement
    detail: str  # part by part, in words

    def to_json(self) -> dict[str, Any]:
        return {
            "entry": self.entry.to_json(),
            "strength": round(self.strength, 3),
            "name": self.name.value,
            "birth": self.birth.value,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class _Name:
    """A parsed name with the initials written beside it (given name's, patronymic's)."""

    parsed: ParsedName
    initials: tuple[str, ...] = ()


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _surnames(text: str) -> tuple[Surname, ...]:
    """A surname field's alternatives: the whole, then each part of a double surname."""
    return surname_alternatives(tuple(text.split()))


def _split_initials(text: str) -> tuple[str, tuple[str, ...]]:
    """A written name without its initials ("Иванов И.И.", "I. Ivanov"), and the initials."""
    words, initials = [], []
    for token in text.split():
        if _INITIALS.match(token):
            initials += [c for c in token if c != "."]
        else:
            words.append(token)
    return " ".join(words), tuple(initials)


def _from_parts(surname: str | None, given: str | None, patronymic: str | None) -> _Name:
    """A name given in fields: each field is what it says, whatever the words."""
    table = given_names()
    initials: list[str] = []
    given_word: Word | None = None
    given_match = None
    if given:
        rest, given_initials = _split_initials(given)
        initials += given_initials
        latin = reading(rest) if rest else ""
        if latin:
            given_word = Word(rest, latin)
            given_match = table.lookup(latin) or table.near(latin)
    patronymic_word: Word | None = None
    classes: frozenset[int] = frozenset()
    if patronymic:
        rest, patronymic_initials = _split_initials(patronymic)
        initials += patronymic_initials
        latin = reading(rest) if rest else ""
        if latin:
            patronymic_word, classes = Word(rest, latin), table.patronymic_classes(latin)
    surnames = _surnames(surname) if surname else ()
    sex = table.sex_of(given_match) if given_match else None
    if sex is None and patronymic_word is not None:
        sex = "f" if patronymic_word.latin.endswith("na") else "m"
    if sex is None and surnames:
        sex = surnames[0].form.sex
    parts = " ".join(p for p in (surname, given, patronymic) if p)
    parsed = ParsedName(parts, surnames, given_word, given_match, patronymic_word, classes, sex)
    return _Name(parsed, tuple(initials))


def _from_full(text: str) -> list[_Name]:
    """A name in one column, as the parser reads it and, if it reads it otherwise, in the
    registries' order (surname, given name, patronymic): a misspelt surname can pass for a
    given name (Zahharov Dmirty)."""
    words, initials = _split_initials(text)
    if not words:
        return [_Name(ParsedName(text), initials)]
    parsed = _Name(parse_name(words), initials)
    tokens = words.split()
    if len(tokens) not in (2, 3):
        return [parsed]
    ordered = _from_parts(tokens[0], tokens[1], tokens[2] if len(tokens) == 3 else None)
    ordered = _Name(replace(ordered.parsed, text=words), initials)
    same = [(n.parsed.surnames, n.parsed.given, n.parsed.patronymic) for n in (parsed, ordered)]
    if same[0] == same[1]:
        return [parsed]
    return [parsed, ordered]


def _names_of(record: dict[str, Any]) -> list[_Name]:
    """The readings of a record's name: one from name fields, one or two from a full name."""
    surname, given = _text(record.get("surname")), _text(record.get("given_name"))
    if surname or given:
        return [_from_parts(surname, given, _text(record.get("patronymic")))]
    full = _text(record.get("full_name"))
    return _from_full(full) if full else []


# --- keys ---------------------------------------------------------------------------------


def _surname_keys(surname: Surname) -> set[str]:
    """Keys of one surname: its stem's skeleton; a stem made from a given name, that name."""
    form = surname.form
    keys = {"s" + skeleton(form.stem)} if skeleton(form.stem) else set()
    # Latin typed without diacritics, Belarusian vowels (Tkacuk / Ткачук, Sauchenka / Шевченко)
    latin_script = not has_cyrillic(surname.word.text)
    keys |= {"c" + key for key in plain_keys(surname.word.latin, latin_script)}
    if form.ending in (Ending.OV, Ending.IN):  # Мікалаеў / Николаев, Ільін / Ильин
        match = given_names().lookup(form.stem)
        if match is not None and match.exact:
            keys |= {f"n{row}" for row in match.classes}
    return keys


def _given_keys(parsed: ParsedName) -> set[str]:
    if parsed.given is None:
        return set()
    if parsed.given_match is not None:
        return {f"g{row}" for row in parsed.given_match.classes}
    return {"k" + skeleton(parsed.given.latin)}


def _keys(name: _Name, years: Iterable[int]) -> Iterator[tuple[str, ...]]:
    parsed = name.parsed
    surnames = {k for s in parsed.surnames for k in _surname_keys(s)}
    given = _given_keys(parsed)
    patronymic = {f"p{row}" for row in parsed.patronymic_classes}
    years = list(years)
    given_keys = given
    for prefix in {skeleton(s.word.latin)[:3] for s in parsed.surnames}:
        for g in given_keys:  # a surname misspelt at its end (Zakharovo)
            yield ("pg", prefix, g)
    for s in surnames:
        yield ("s", s)
        for g in given:
            yield ("sg", s, g)
        for year in years:
            yield ("sy", s, str(year))
        for p in patronymic:
            yield ("sp", s, p)
    for g in given:
        for p in patronymic:
            for year in years:
                yield ("gpy", g, p, str(year))


def _entry_keys(name: _Name, years: list[int]) -> set[tuple[str, ...]]:
    """An entry is filed under every key but the surname alone, unless that is all it has."""
    keys = set(_keys(name, years))
    if name.parsed.given is not None:
        keys = {k for k in keys if k[0] != "s"}
    return keys


# --- comparing ----------------------------------------------------------------------------


def _initial(text: str) -> str:
    """A written initial or a name's first sound, as read (Е → "ye", Ю → "yu", I → "i")."""
    latin = reading(text.lower())
    return latin[:2] if latin[:1] == "y" else latin[:1]


_SURNAME_SAME = {SurnameAgreement.SAME, SurnameAgreement.TRANSLITERATION}
_SURNAME_ALIKE = {
    SurnameAgreement.LOOSE,
    SurnameAgreement.TYPO,
    SurnameAgreement.DROP,
    SurnameAgreement.SWAP,
    SurnameAgreement.PART,
}
_SURNAME_RANK = {SurnameAgreement.SAME: 2, SurnameAgreement.TRANSLITERATION: 2}


def _surname_grade(variants: list[ParsedName], entry: ParsedName) -> tuple[int, str]:
    """2 same, 1 alike, 0 different, over the dossier's surname and former surnames."""
    best, detail = 0, "different surnames"
    for position, variant in enumerate(variants):
        found, text = compare_surname(variant, entry)
        grade = 2 if found in _SURNAME_SAME else 1 if found in _SURNAME_ALIKE else 0
        if grade < 2 and _same_given_stem(variant, entry):
            grade, text = 2, "surnames made from one given name"
        if grade < 2 and _belarusian_vowels(variant, entry):
            grade, text = 2, "same surname, Belarusian and Russian vowels"
        if grade == 0 and _one_letter(variant, entry):
            grade, text = 1, _ONE_LETTER
        if grade > best:
            best, detail = grade, text + (" (a former surname)" if position else "")
    return best, detail


_ONE_LETTER = "surnames one letter apart"


def _folded(latin: str) -> str:
    return vowel_frame(latin).replace("e", "a").replace("o", "a")


def _belarusian_vowels(a: ParsedName, b: ParsedName) -> bool:
    """Surnames that differ only by akanne and yakanne (Пятрашка / Petrashko, Семянюк /
    Семенюк), which the name model takes for other vowels when no letter marks Belarusian."""
    if not a.surnames or not b.surnames:
        return False
    la, lb = a.surnames[0].word.latin, b.surnames[0].word.latin
    return skeleton(la) == skeleton(lb) and _folded(la) == _folded(lb)


def _one_letter(a: ParsedName, b: ParsedName) -> bool:
    """Surnames one letter apart (Korsh / Korzh): a typo the name model calls different."""
    if not a.surnames or not b.surnames:
        return False
    la, lb = a.surnames[0].word.latin, b.surnames[0].word.latin
    if min(len(la), len(lb)) < 4:
        return False
    return OSA.distance(la, lb) <= 1 or OSA.distance(_folded(la), _folded(lb)) <= 1


def _same_given_stem(a: ParsedName, b: ParsedName) -> bool:
    """Surnames made from one given name in two languages (Мікалаеў / Nikolaev)."""
    for sa in a.surnames:
        for sb in b.surnames:
            if sa.form.ending == sb.form.ending and sa.form.ending in (Ending.OV, Ending.IN):
                keys_a = {k for k in _surname_keys(sa) if k[0] == "n"}
                if keys_a & _surname_keys(sb):
                    return True
    return False


@dataclass(frozen=True)
class _Grades:
    surname: int  # 2 same, 1 alike, 0 different
    given: int  # 2 same, 1 alike, 0 none to compare; -1 different
    initials: bool  # the given name agreed by its initial only
    patronymic: int | None  # 2 same, 1 alike, -1 different, None: one side has none
    patronymic_initial: bool
    detail: str
    guessed: bool = False  # a part agrees only by being one letter off: not without a date

    @property
    def alike_parts(self) -> int:
        return sum(1 for g in (self.surname, self.given, self.patronymic) if g == 1)

    @property
    def agreement(self) -> NameAgreement:
        if self.initials:
            return NameAgreement.INITIALS
        if self.alike_parts == 0 and self.surname == 2 and self.given == 2:
            return NameAgreement.SAME
        return NameAgreement.ALIKE


_GIVEN_GRADE = {
    GivenAgreement.SAME: 2,
    GivenAgreement.ALIKE: 2,
    GivenAgreement.TYPO: 1,
    GivenAgreement.DIMINUTIVE: 1,
    GivenAgreement.DIFFERENT: -1,
    GivenAgreement.MISSING: 0,
}
_PATRONYMIC_GRADE = {
    PatronymicAgreement.SAME: 2,
    PatronymicAgreement.TYPO: 1,
    PatronymicAgreement.DIFFERENT: -1,
}


def _grades(dossier: list[ParsedName], entry: _Name) -> _Grades | None:
    """How the parts agree; None when the names cannot be one person's."""
    own, parsed = dossier[0], entry.parsed
    if own.sex is not None and parsed.sex is not None and own.sex != parsed.sex:
        return None
    surname, surname_detail = _surname_grade(dossier, parsed)
    given_found, given_detail = compare_given(own, parsed)
    given = _GIVEN_GRADE[given_found]
    if given < 0 and own.given is not None and parsed.given is not None:
        la, lb = own.given.latin, parsed.given.latin
        if Levenshtein.distance(la, lb) <= 1 and min(len(la), len(lb)) >= 3:
            # a typo that makes another name (Ilya / Iya): alike, if the rest agrees
            given, given_detail = 1, f"{own.given.text} ~ {parsed.given.text}: one letter apart"
    if given < 0 and not (
        own.given is not None
        and parsed.given is not None
        and given_initial_agrees(_initial(parsed.given.text), own)
    ):
        return None  # another given name, not even of the same initial
    initials = patronymic_initial = False
    written = [_initial(i) for i in entry.initials]
    if given == 0 and parsed.given is None and written:
        if not given_initial_agrees(written[0], own):
            return None
        initials, given_detail = True, f"initial {entry.initials[0]} agrees"
        if len(written) > 1 and parsed.patronymic is None:
            if not patronymic_initial_agrees(written[1], own):
                return None
            patronymic_initial = True
    patronymic_found, patronymic_detail = compare_patronymic(own, parsed)
    patronymic = _PATRONYMIC_GRADE.get(patronymic_found)
    guessed = _ONE_LETTER in surname_detail or "one letter apart" in given_detail
    if patronymic == -1 and (_patronymic_typo(own, parsed) or _patronymic_typo(parsed, own)):
        patronymic, patronymic_detail = 1, f"{patronymic_detail.split(':')[0]}: one slip apart"
    if patronymic_initial:
        patronymic_detail = f"initial {entry.initials[1]} agrees"
    detail = "; ".join(
        d
        for d in (surname_detail, given_detail, patronymic_detail)
        if "missing on one side" not in d
    )
    return _Grades(surname, given, initials, patronymic, patronymic_initial, detail, guessed)


_PATRONYMIC_FORMS = ("patronymic_m_ru", "patronymic_f_ru", "patronymic_m_be", "patronymic_f_be")


def _patronymic_typo(a: ParsedName, b: ParsedName) -> bool:
    """b's patronymic one slip from a form, in either language, of a's (Aleksadnrovich)."""
    if b.patronymic is None or not a.patronymic_classes:
        return False
    table = given_names()
    latin = b.patronymic.latin
    for row in a.patronymic_classes:
        for column in _PATRONYMIC_FORMS:
            form = table.rows[row].get(column)
            if form and OSA.distance(reading(form), latin) <= 1:
                return True
    return False


def _entry_span(date: dt.date, precision: str) -> Span:
    if precision == "day":
        return Span(date, date)
    if precision == "month":
        following = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return Span(date, following - dt.timedelta(days=1))
    return Span(dt.date(date.year, 1, 1), dt.date(date.year, 12, 31))


def _precision_of(span: Span) -> str:
    if span.first == span.last:
        return "day"
    if (span.first.year, span.first.month) == (span.last.year, span.last.month):
        return "month"
    return "year"


_BY_PRECISION = {
    "day": BirthAgreement.SAME_DAY,
    "month": BirthAgreement.SAME_MONTH,
    "year": BirthAgreement.SAME_YEAR,
}
_ORDER = ("year", "month", "day")


def _listed_span(entry: WatchlistEntry) -> Span | None:
    """The days an entry's birth date may mean, as far as the entry gives it."""
    if entry.birth_date is None:
        return None
    return _entry_span(entry.birth_date, entry.birth_precision or "year")


@dataclass(frozen=True)
class _Claimed:
    """A dossier's birth date as screened: its span and how precise it is."""

    span: Span
    precision: str

    @classmethod
    def of(cls, span: Span | None) -> _Claimed | None:
        return cls(span, _precision_of(span)) if span is not None else None


def _birth(
    entry: WatchlistEntry, listed: Span | None, claimed: _Claimed | None
) -> BirthAgreement | None:
    """How the birth dates agree as far as both go (`listed`: the entry's, `_listed_span`);
    None when they cannot be one person's."""
    if listed is None or claimed is None:
        return BirthAgreement.UNKNOWN
    precision = entry.birth_precision or "year"
    if listed.overlaps(claimed.span):
        coarser = min(precision, claimed.precision, key=_ORDER.index)
        return _BY_PRECISION[coarser]
    claimed_span = claimed.span
    if precision == "day" and claimed_span.first == claimed_span.last:
        a, b = listed.first, claimed_span.first  # a day's span: the listed day itself
        if abs((a - b).days) == 1:
            return BirthAgreement.NEAR
        if (a.month, a.day) == (b.month, b.day) and abs(a.year - b.year) == 1:
            return BirthAgreement.NEAR
        if a.year == b.year and (a.month, a.day) == (b.day, b.month):
            return BirthAgreement.NEAR
        # two slips, a year and a day off: near still, the name must carry it
        if abs(a.year - b.year) == 1 and abs(a.timetuple().tm_yday - b.timetuple().tm_yday) <= 2:
            return BirthAgreement.NEAR
        return None
    return BirthAgreement.NEAR if listed.gap_days(claimed_span) <= 366 else None


def _judge(grades: _Grades, birth: BirthAgreement, entry: _Name) -> float | None:
    """The strength of a hit, or None when the agreement is too weak for one."""
    name = grades.agreement
    patronymic = grades.patronymic
    if grades.given == 0 and not grades.initials:
        return None  # a surname alone, however rare, is not a person
    if grades.given == -1:
        # another given name of the same initial (Федо / Фёдор): only with the surname, the
        # patronymic and the very day of birth the same
        same_rest = grades.surname == 2 and patronymic == 2
        return _OTHER_PART if birth is BirthAgreement.SAME_DAY and same_rest else None
    if grades.surname == 0:
        # another surname (a maiden or married name the dossier does not give): only with the
        # given name, the patronymic and the very day of birth the same
        if birth is BirthAgreement.SAME_DAY and grades.given == 2 and patronymic == 2:
            return _OTHER_PART
        return None
    if patronymic == -1:
        # another patronymic: only with the very day of birth and the rest the same
        if not (birth is BirthAgreement.SAME_DAY and grades.surname == 2 and grades.given == 2):
            return None
        return _STRENGTH[(NameAgreement.ALIKE, birth)]
    if birth in (BirthAgreement.SAME_DAY, BirthAgreement.SAME_MONTH):
        return _STRENGTH[(name, birth)]
    if birth is BirthAgreement.SAME_YEAR:
        if grades.alike_parts > 1:
            return None
        if name is NameAgreement.INITIALS and not grades.patronymic_initial and patronymic != 2:
            return None
        return _STRENGTH[(name, birth)]
    # a birth date a slip away, or none to compare: the name must carry the hit
    if name is NameAgreement.INITIALS or grades.guessed:
        return None
    if name is NameAgreement.SAME:
        near = birth is BirthAgreement.NEAR
        if near and entry.parsed.patronymic is not None and patronymic != 2:
            return None  # a date a slip away and the patronymic not there to agree
        return _STRENGTH[(name, birth)] - (0.0 if patronymic == 2 else _WEAKER)
    if grades.alike_parts == 1 and patronymic is not None:
        # one of the three parts misspelt, the other two the same
        return _STRENGTH[(NameAgreement.SAME, birth)] - _WEAKER
    return None


# --- the screen ---------------------------------------------------------------------------


class WatchlistScreen:
    """Every watchlist entry, indexed for screening dossiers against."""

    def __init__(self, table: pa.Table) -> None:
        """From the rows of `watchlist.arrow` (`bonafide.persons.watchlist.WATCHLIST_COLUMNS`);
        a test may pass fewer columns: only a name is needed."""
        rows = table.to_pylist()
        self.entries: list[WatchlistEntry] = []
        self._names: list[list[_Name]] = []
        self._listed: list[Span | None] = []  # each entry's birth span, worked out once
        self._index: dict[tuple[str, ...], list[int]] = {}
        # organisation → birth year → dated entries; built when first asked
        self._by_organisation: dict[str, dict[int, list[int]]] | None = None
        for position, row in enumerate(rows):
            entry = _entry_of(row, position)
            names = _names_of(row)
            self.entries.append(entry)
            self._names.append(names)
            self._listed.append(_listed_span(entry))
            # a year either side: a birth date one slip away is still screened
            year = entry.birth_date.year if entry.birth_date is not None else None
            years = [year - 1, year, year + 1] if year is not None else []
            keys = {key for name in names for key in _entry_keys(name, years)}
            for key in keys:
                self._index.setdefault(key, []).append(position)
        log.info("watchlist entries=%d keys=%d", len(self.entries), len(self._index))

    @classmethod
    def open(cls, generation: Generation) -> WatchlistScreen:
        """The watchlist of a person-index generation; a `StoreError` if it was written before
        screening existed (the generation has no `watchlist.arrow`)."""
        if not generation.exists(WATCHLIST_FILE):
            log.warning("watchlist missing generation=%d", generation.number)
            raise StoreError(
                f"the person index generation {generation.number} has no watchlist to screen "
                "dossiers against (it was resolved by an older version)",
                hint="resolve again: bonafide registry resolve --rebuild",
            )
        return cls(generation.read_arrow(WATCHLIST_FILE))

    def __len__(self) -> int:
        return len(self.entries)

    def screen(self, identity: dict[str, Any]) -> list[WatchlistHit]:
        """The entries the dossier's identity may be, strongest first."""
        readings = _names_of(identity)
        if not readings:
            return []
        own = readings[0]
        variants = [own.parsed]
        for former in identity.get("former_surnames") or []:
            text = _text(former)
            if text:
                variants.append(replace(own.parsed, surnames=_surnames(text)))
        try:
            claimed = parse_when(identity.get("birth_date"))
        except ValueError:
            claimed = None
        years: list[int] = []
        if claimed is not None and claimed.last.year - claimed.first.year < _MAX_YEARS:
            years = list(range(claimed.first.year, claimed.last.year + 1))
        candidates: set[int] = set()
        for variant in variants:
            for key in _keys(_Name(variant), years):
                candidates.update(self._index.get(key, ()))
        sex = identity.get("sex")
        screened = _Claimed.of(claimed)
        hits = []
        for position in sorted(candidates):
            hit = self._compare(position, variants, screened, sex)
            if hit is not None:
                hits.append(hit)
        hits.sort(key=lambda h: -h.strength)
        return hits

    def screen_at(self, identity: dict[str, Any], organisations: list[str]) -> list[WatchlistHit]:
        """Entries at one of `organisations` (the person's employers, in the registry or in
        the story) whose given name and patronymic agree, and whose birth date agrees as far as
        it goes, whatever the surname: a woman listed under her maiden name, a man under a
        name he has changed. The service is the evidence the surname no longer gives."""
        readings = _names_of(identity)
        if not readings or not organisations:
            return []
        try:
            claimed = parse_when(identity.get("birth_date"))
        except ValueError:
            claimed = None
        if claimed is None or claimed.last.year - claimed.first.year >= _MAX_YEARS:
            return []  # without a birth date to agree, a given name at a service is anyone
        years = list(range(claimed.first.year, claimed.last.year + 1))
        sex = identity.get("sex")
        own = readings[0].parsed
        screened = _Claimed.of(claimed)
        hits = []
        for position in self._at(organisations, years):
            entry = self.entries[position]
            birth = _birth(entry, self._listed[position], screened)
            if birth not in (
                BirthAgreement.SAME_DAY,
                BirthAgreement.SAME_MONTH,
                BirthAgreement.SAME_YEAR,
            ):
                continue  # without a birth date, a given name at a large service is anyone
            for name in self._names[position]:
                if sex in ("m", "f") and name.parsed.sex not in (None, sex):
                    continue
                grades = _grades([own], name)
                # the service is evidence: given name and patronymic may be misspelt (a leak's
                # typos); with no patronymic to agree on, the very day of birth must
                if grades is None or grades.patronymic == -1 or grades.given < 1:
                    continue
                if grades.patronymic is None and birth is not BirthAgreement.SAME_DAY:
                    continue
                detail = (
                    f"{grades.detail}; born {entry.birth_text} ({birth.value.replace('_', ' ')}); "
                    f"listed at {entry.organisation}, where this person worked"
                )
                hits.append(
                    WatchlistHit(entry, _OTHER_SURNAME, NameAgreement.OTHER_SURNAME, birth, detail)
                )
                break
        return hits

    def _at(self, organisations: list[str], years: list[int]) -> list[int]:
        """The dated entries listed at one of `organisations`, born in one of `years`."""
        if self._by_organisation is None:
            self._by_organisation = {}
            for position, entry in enumerate(self.entries):
                if entry.organisation and entry.birth_date is not None:
                    by_year = self._by_organisation.setdefault(entry.organisation, {})
                    by_year.setdefault(entry.birth_date.year, []).append(position)
        found: list[int] = []
        for listed, by_year in self._by_organisation.items():
            if any(same_organisation(listed, given) for given in organisations):
                for year in years:
                    found += by_year.get(year, ())
        return found

    def _compare(
        self, position: int, variants: list[ParsedName], claimed: _Claimed | None, sex: object
    ) -> WatchlistHit | None:
        entry = self.entries[position]
        birth = _birth(entry, self._listed[position], claimed)
        if birth is None:
            return None
        best: tuple[float, _Grades] | None = None
        for name in self._names[position]:
            if sex in ("m", "f") and name.parsed.sex not in (None, sex):
                continue
            grades = _grades(variants, name)
            strength = None if grades is None else _judge(grades, birth, name)
            if grades is not None and strength is not None and (best is None or strength > best[0]):
                best = (strength, grades)
        if best is None:
            return None
        strength, grades = best
        birth_text = entry.birth_text or "no birth date"
        detail = f"{grades.detail}; born {birth_text} ({birth.value.replace('_', ' ')})"
        return WatchlistHit(entry, strength, grades.agreement, birth, detail)


@cache
def same_organisation(listed: str, named: str) -> bool:
    """Whether a watchlist entry's organisation is the one a record or claim names."""
    return compare_organisation(listed, named) is not Agreement.DIFFERENT


def _entry_of(row: dict[str, Any], position: int) -> WatchlistEntry:
    name = _text(row.get("name_as_written")) or " ".join(
        t
        for t in (
            _text(row.get("full_name")),
            _text(row.get("surname")),
            _text(row.get("given_name")),
            _text(row.get("patronymic")),
        )
        if t
    )
    birth = row.get("birth_date")
    if isinstance(birth, str):
        span = parse_when(birth)
        birth = span.first if span else None
        precision = _precision_of(span) if span else None
    else:
        precision = row.get("birth_date_precision") or ("day" if birth else None)
    person = row.get("person_id")
    return WatchlistEntry(
        record_key=str(row.get("record_key") or position),
        record_id=_text(row.get("record_id")),
        person_id=int(person) if person is not None else None,
        name=name,
        birth_date=birth if isinstance(birth, dt.date) else None,
        birth_precision=precision if isinstance(birth, dt.date) else None,
        organisation=_text(row.get("organisation")),
        role=_text(row.get("role")),
        source=_text(row.get("source")),
    )
