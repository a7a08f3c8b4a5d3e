"""A whole name as written → its parts: surname(s), given name, patronymic.

Word order varies (Surname Given Patronymic, Given Surname, SURNAME Given), so parts are told
apart by what they are, not where they stand: a patronymic by its ending and the given name it
comes from, a given name by the given-name table; what remains is the surname. A hyphenated or
double surname, and a maiden name in brackets or after née / урожд., become alternatives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bonafide.names.given import GivenMatch, given_names, looks_patronymic
from bonafide.names.latin import reading
from bonafide.names.surname import SurnameForm, surname_form

__all__ = [
    "ParsedName",
    "Surname",
    "Word",
    "WordFacts",
    "given_points",
    "lone_word",
    "parse_name",
    "read_as_given",
    "read_as_surname",
    "sex_of_patronymic",
    "stands_alone",
    "surname_alternatives",
    "swapped_roles",
    "word_facts",
]

_MAIDEN_MARKERS = re.compile(
    r"\b(?:née|nee|geb\.?|z domu|урожд\.?|урождённая|урожденная|дзявочае)\s+", re.IGNORECASE
)
_TOKEN = re.compile(r"[^\s,;()]+")


@dataclass(frozen=True)
class Word:
    text: str  # as written
    latin: str  # its reading


@dataclass(frozen=True)
class Surname:
    word: Word
    form: SurnameForm


@dataclass(frozen=True)
class ParsedName:
    text: str
    surnames: tuple[Surname, ...] = ()  # the surname first, then alternatives (parts, maiden)
    given: Word | None = None
    given_match: GivenMatch | None = None
    patronymic: Word | None = None
    patronymic_classes: frozenset[int] = field(default_factory=frozenset)
    sex: str | None = None
    initials: tuple[str, ...] = ()  # written initials (А.П.: given name, then patronymic)

    @property
    def surname(self) -> Surname | None:
        return self.surnames[0] if self.surnames else None


_BRACKETED = re.compile(r"\(([^)]*)\)")
_BRACKETS = re.compile(r"\([^)]*\)")
_INITIAL = re.compile(r"\w\.?")
# А.П., A., I.I, Yu.V. (a Latin initial may take two letters: Yu, Ya, Zh, Ch, Sh, Kh, Ts)
_INITIALS = re.compile(r"(?:[^\W\d_]{1,2}\.)+(?:[^\W\d_]{1,2})?")
_INITIAL_PART = re.compile(r"[^\W\d_]{1,2}")


def _split(text: str) -> tuple[list[str], list[str], list[str]]:
    """Main tokens, tokens of a maiden name (bracketed or after a marker), and initials."""
    maiden: list[str] = []
    if "(" in text:
        for bracketed in _BRACKETED.findall(text):
            maiden += _TOKEN.findall(_MAIDEN_MARKERS.sub("", bracketed))
        text = _BRACKETS.sub(" ", text)
    marker = _MAIDEN_MARKERS.search(text)
    if marker:
        maiden += _TOKEN.findall(text[marker.end() :])[:1]
        text = text[: marker.start()] + " " + " ".join(_TOKEN.findall(text[marker.end() :])[1:])
    tokens, initials = [], []
    for token in _TOKEN.findall(text):
        if _INITIALS.fullmatch(token) or (_INITIAL.fullmatch(token) and token.endswith(".")):
            initials += _INITIAL_PART.findall(token)
        elif not _INITIAL.fullmatch(token):
            tokens.append(token)
    return tokens, maiden, initials


@lru_cache(maxsize=200_000)
def surname_alternatives(tokens: tuple[str, ...]) -> tuple[Surname, ...]:
    """A surname's words as alternatives: the whole (double surnames joined by a hyphen), then
    each part."""
    result: list[Surname] = []
    whole = " ".join(tokens)
    parts = [p for t in tokens for p in re.split(r"[-‐–]", t) if p]
    for piece in [whole.replace(" ", "-"), *parts] if len(parts) > 1 else parts:
        latin = reading(piece)
        if latin and all(s.word.latin != latin for s in result):
            result.append(Surname(Word(piece, latin), surname_form(latin)))
    return tuple(result)


def stands_alone(token: str) -> bool:
    """True when a word, between single spaces, is read by `parse_name` as a word of its own
    whatever name it stands in: no separator, bracket, initial or maiden-name marker in it."""
    if _TOKEN.fullmatch(token) is None or _INITIAL.fullmatch(token) or _INITIALS.fullmatch(token):
        return False
    # a marker is followed by a space: at a word's end, the space after it
    return _MAIDEN_MARKERS.search(token + " ") is None


def _surnames(tokens: list[str]) -> list[Surname]:
    return list(surname_alternatives(tuple(tokens)))


@dataclass(frozen=True)
class WordFacts:
    """What parsing needs to know of one word, whatever name it stands in."""

    word: Word
    patronymic_like: bool  # ends like a patronymic
    patronymic_classes: frozenset[int]
    given: GivenMatch | None  # its given-name classes, if it is a known given name
    gendered: bool  # a gendered surname ending: -ov, -ova, -skaya …
    capitals: bool  # written in capitals, as registries write surnames


@lru_cache(maxsize=500_000)
def word_facts(token: str) -> WordFacts | None:
    """The facts of one token, None if it has no letters; cached (names repeat words)."""
    latin = reading(token)
    if not latin:
        return None
    table = given_names()
    return WordFacts(
        word=Word(token, latin),
        patronymic_like=looks_patronymic(latin),
        patronymic_classes=table.patronymic_classes(latin),
        given=table.lookup(latin),
        gendered=surname_form(latin).sex is not None,
        capitals=token.isupper() and len(token) > 1,
    )


def _lone_given(facts: WordFacts) -> bool:
    # Alina, Marina end like a woman's surname (-ina) but are far likelier given names
    return (
        facts.given is not None and (facts.given.exact or not facts.gendered) and not facts.capitals
    )


def _choose_given(
    facts: list[WordFacts], rest: list[int], patronymic_at: int | None
) -> tuple[int | None, GivenMatch | None]:
    """Which word is the given name: the likeliest by table, ending, case and position."""
    if len(rest) < 2:
        return None, None
    best: tuple[float, int, GivenMatch | None] | None = None
    for order, i in enumerate(rest):
        points, match = given_points(facts[i])
        if patronymic_at is not None and i == patronymic_at - 1:
            points += POINTS_BEFORE_PATRONYMIC
        points -= ORDER_PENALTY * order  # otherwise, reading order
        if best is None or points > best[0]:
            best = (points, i, match)
    assert best is not None
    return best[1], best[2]


POINTS_BEFORE_PATRONYMIC = 3.0  # a given name stands before its patronymic
ORDER_PENALTY = 0.01  # a point per hundred words further on: reading order breaks ties


def given_points(word: WordFacts) -> tuple[float, GivenMatch | None]:
    """How likely a word is the given name by what it is (table, ending, case), wherever it
    stands; and its given-name classes, exact or a typo away."""
    match = word.given
    points = 0.0
    if match is None:
        match = given_names().near(word.word.latin)
        points += 1.0 if match else 0.0
    elif match.exact:
        points += 2.0 if match.diminutive else 3.0  # a full name beats a diminutive
    else:
        points += 1.5
    if word.gendered:
        points -= 1.5  # a gendered surname ending: -ov, -ova, -skaya …
    if word.patronymic_like:
        points -= 1.5  # no given name ends like a patronymic; many surnames do: Якубович
    if word.capitals:
        points -= 2.0  # SURNAME written in capitals
    return points, match


def sex_of_patronymic(latin: str) -> str:
    return "f" if latin.endswith("na") else "m"


# Linking a registry parses each lookup's candidates again and again: names parsed lately are
# kept. Behind the name tables' own rows (`batch._name_rows`) a quarter of a million suffices;
# each forked worker keeps its own, so a million each held gigabytes at 10 M people.
@lru_cache(maxsize=262_144)
def parse_name(text: str) -> ParsedName:
    """The parts of one written name."""
    tokens, maiden, written_initials = _split(text)
    initials = tuple(reading(letter) for letter in written_initials if reading(letter))
    facts = [f for f in map(word_facts, tokens) if f is not None]
    if not facts:
        return ParsedName(text, initials=initials)
    words = [f.word for f in facts]

    patronymic_at = None
    classes: frozenset[int] = frozenset()
    # A patronymic comes with a given name and a surname: only names of three words have one,
    # and never first — it follows the given name whether the surname leads or ends (a surname
    # in front that ends like a patronymic, Макаревич Инна Андреефна, is the surname even when
    # the patronymic is misspelt and ends like none).
    candidates = (
        [i for i, f in enumerate(facts) if f.patronymic_like and i > 0] if len(words) > 2 else []
    )
    with_class = [i for i in candidates if facts[i].patronymic_classes]
    pool = with_class or ([i for i in candidates if i > 0] if len(words) >= 3 else [])
    if pool:
        after_given = [i for i in pool if i > 0 and facts[i - 1].given]
        patronymic_at = (after_given or pool)[-1]
        classes = facts[patronymic_at].patronymic_classes

    rest = [i for i in range(len(words)) if i != patronymic_at]
    given_at, given_match = _choose_given(facts, rest, patronymic_at)
    if len(facts) == 1 and _lone_given(facts[0]):
        # a word alone that the given-name table knows, without a surname's ending or a
        # surname's capitals, is a given name (Хведар, Jauhienija), not a surname nobody has
        given_at, given_match = 0, facts[0].given

    surname_tokens = [words[i].text for i in rest if i != given_at]
    surnames = _surnames(surname_tokens)
    for token in maiden:
        surnames += [s for s in _surnames([token]) if s not in surnames]
    table = given_names()
    sex = table.sex_of(given_match) if given_match else None
    if sex is None and patronymic_at is not None:
        sex = sex_of_patronymic(words[patronymic_at].latin)
    if sex is None and surnames:
        sex = surnames[0].form.sex
    return ParsedName(
        text=text,
        surnames=tuple(surnames),
        given=words[given_at] if given_at is not None else None,
        given_match=given_match,
        patronymic=words[patronymic_at] if patronymic_at is not None else None,
        patronymic_classes=classes,
        sex=sex,
        initials=initials,
    )


def lone_word(name: ParsedName) -> Word | None:
    """The one word of a name written as a single word (a given name or a surname alone)."""
    if name.patronymic is not None or name.initials:
        return None
    if name.given is not None and not name.surnames:
        return name.given
    if name.given is None and len(name.surnames) == 1:
        return name.surnames[0].word
    return None


@lru_cache(maxsize=100_000)
def read_as_given(word: Word) -> ParsedName:
    """A lone word read as a given name: its classes by the table, exactly or a typo away."""
    table = given_names()
    match = table.lookup(word.latin) or table.near(word.latin)
    sex = table.sex_of(match) if match else None
    return ParsedName(text=word.text, given=word, given_match=match, sex=sex)


@lru_cache(maxsize=100_000)
def read_as_surname(word: Word) -> ParsedName:
    """A lone word read as a surname."""
    surnames = surname_alternatives((word.text,))
    return ParsedName(
        text=word.text, surnames=surnames, sex=surnames[0].form.sex if surnames else None
    )


@lru_cache(maxsize=100_000)
def swapped_roles(name: ParsedName) -> ParsedName | None:
    """A name of a given name and a one-word surname that the table knows as a given name too
    (Иван Тихон, Cichan Ivan), read the other way round; None for any other name."""
    if name.patronymic is not None or name.initials or name.given is None:
        return None
    if len(name.surnames) != 1 or " " in name.surnames[0].word.text.strip():
        return None
    other = word_facts(name.surnames[0].word.text)
    if other is None or other.given is None or not other.given.exact or other.gendered:
        return None
    table = given_names()
    # surnames made of given names are men's names (Тихон, Глеб, Назар): a woman's given
    # name never stands for a surname, nor does a name of a woman read as a man's
    if name.given_match is None or table.sex_of(name.given_match) != "m":
        return None
    if table.sex_of(other.given) != "m":
        return None
    surnames = surname_alternatives((name.given.text,))
    return ParsedName(
        text=name.text,
        surnames=surnames,
        given=other.word,
        given_match=other.given,
        sex=table.sex_of(other.given) or (surnames[0].form.sex if surnames else None),
    )
