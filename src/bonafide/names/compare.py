"""Comparators: each part of two parsed names → a category of agreement and a detail in words.

A comparator is a small pure function returning `(category, detail)`; the model (`model.py`)
turns categories into weights. Categories, strongest first:

- given name: same (one class: Siarhei = Сергей), diminutive (Sasha ~ Aleksandr), spelled
  alike (two unknown names, same skeleton), typo, different, missing
- surname: same (stem and ending agree), transliteration (same skeleton, vowels alike), loose
  (same consonants, other vowels), typo, part (one part of a double or maiden name), different,
  missing; and whether the endings mark different sexes (Ivanov / Ivanova)
- patronymic: same (from one given name), typo, different, missing
"""

from __future__ import annotations

import re
from enum import StrEnum

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from bonafide.names.given import given_names
from bonafide.names.latin import has_cyrillic, looks_belarusian, reading, skeleton, vowel_frame
from bonafide.names.parse import (
    ParsedName,
    Surname,
    Word,
    lone_word,
    read_as_given,
    read_as_surname,
)
from bonafide.names.surname import bare, correspondence_key, plain_keys

__all__ = [
    "GivenAgreement",
    "PatronymicAgreement",
    "SurnameAgreement",
    "align_lone_words",
    "compare_given",
    "compare_patronymic",
    "compare_surname",
    "given_initial_agrees",
    "patronymic_initial_agrees",
    "sexes_conflict",
    "surname_as_written",
]


class GivenAgreement(StrEnum):
    SAME = "same"
    DIMINUTIVE = "diminutive"
    ALIKE = "alike"
    TYPO = "typo"
    INITIAL = "initial"  # an initial that the other side's given name begins with
    DIFFERENT = "different"
    MISSING = "missing"


class SurnameAgreement(StrEnum):
    SAME = "same"
    TRANSLITERATION = "transliteration"
    LOOSE = "loose"
    TYPO = "typo"
    DROP = "drop"
    SWAP = "swap"
    PART = "part"
    DIFFERENT = "different"
    MISSING = "missing"


class PatronymicAgreement(StrEnum):
    SAME = "same"
    TYPO = "typo"
    INITIAL = "initial"  # an initial that the other side's patronymic begins with
    DIFFERENT = "different"
    MISSING = "missing"


def _slip(a: str, b: str) -> str | None:
    """How two spellings one slip apart differ: "vowel" (a vowel lost or added, two letters
    swapped), "consonant" (a consonant lost or added), or None when they are not one slip apart.

    A replaced letter is not a slip here: as often as not it is another name (Statkevich /
    Stankevich, Sannikov / Sennikov); a lost consonant is as often another name too (Sheiman /
    Sheinman), so it is told apart from a lost vowel (Kalesnikava / Kalesnikva).
    """
    if min(len(a), len(b)) < 4 or OSA.distance(a, b) != 1:
        return None
    if Levenshtein.distance(a, b) == 2:
        return "vowel"  # a transposition
    if len(a) == len(b):
        return None
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    for position, (x, y) in enumerate(zip(longer, shorter + " ", strict=True)):
        if x != y:
            # A lost vowel, or the h of sh / zh / kh / ch (Latusko, Prigozin), is a slip.
            return "vowel" if longer[position] in "aeiouyh" else "consonant"
    return None


def _one_typo(a: str, b: str) -> bool:
    """Skeletons one edit apart and readings alike."""
    sa, sb = skeleton(a), skeleton(b)
    if min(len(sa), len(sb)) < 3 or OSA.distance(sa, sb) > 1:
        return False
    return JaroWinkler.similarity(vowel_frame(a), vowel_frame(b)) >= 0.88


def _forms(latin: str, classes: frozenset[int]) -> set[str]:
    """A name's reading and the readings of its class in every language (Уладзімір,
    Владимир, Vladimir), with a leading j read as y (Jurij, Юрий)."""
    forms = {latin}
    table = given_names()
    for row in classes:
        for column in ("ru", "be", "en"):
            forms.add(reading(table.rows[row][column].lower()))
    return {f"y{f[1:]}" if f.startswith("j") else f for f in forms if f}


def _initial_agrees(initial: str, latin: str, classes: frozenset[int]) -> bool:
    """Whether a name in some language of its class begins with the initial as read (Е is
    "ye": Евгения, not Анна; E is "e": Evgenia)."""
    start = _initial_sound(initial)
    return any(_initial_sound(form).startswith(start) for form in _forms(latin, classes))


def _initial_sound(text: str) -> str:
    """The start of a reading as initials spell it: j as y, and г as h (Belarusian Latin: H.
    for Галина), ch of łacinka as kh."""
    if text.startswith("j"):
        return f"y{text[1:]}"
    if text.startswith("g"):
        return f"h{text[1:]}"
    if text.startswith("kh"):
        return f"h{text[2:]}"
    return text


def given_initial_agrees(initial: str, name: ParsedName) -> bool:
    """Whether an initial (as read: "a", "ye", "yu") may abbreviate `name`'s given name."""
    if name.given is None:
        return False
    classes = name.given_match.classes if name.given_match else frozenset()
    return _initial_agrees(initial, name.given.latin, classes)


def patronymic_initial_agrees(initial: str, name: ParsedName) -> bool:
    """Whether an initial may abbreviate `name`'s patronymic (or the father's name in it)."""
    if name.patronymic is None:
        return False
    return _initial_agrees(initial, name.patronymic.latin, name.patronymic_classes)


def _initials_agree(a: str, b: str) -> bool:
    """Two initials as read: one begins the other (Ю "yu" and Y "y" may both be Юрий)."""
    return a.startswith(b) or b.startswith(a)


def compare_given(a: ParsedName, b: ParsedName) -> tuple[GivenAgreement, str]:
    if a.given is None or b.given is None:
        return _given_by_initial(a, b)
    ma, mb = a.given_match, b.given_match
    pair = f"{a.given.text} ~ {b.given.text}"
    if ma and mb:
        shared = ma.classes & mb.classes
        if shared:
            english = given_names().english[min(shared)]
            if ma.diminutive or mb.diminutive:
                return GivenAgreement.DIMINUTIVE, f"{pair}: diminutive of one name ({english})"
            if not (ma.exact and mb.exact):
                return GivenAgreement.TYPO, f"{pair}: same name ({english}), misspelt"
            return GivenAgreement.SAME, f"{pair}: same given name ({english})"
        table = given_names()
        sexes = {table.sex[row] for row in ma.classes | mb.classes}
        if len(sexes) == 1 and _same_sound(a.given.latin, b.given.latin):
            return GivenAgreement.ALIKE, f"{pair}: variants of one name ({a.given.latin})"
        return GivenAgreement.DIFFERENT, f"{pair}: different given names"
    if skeleton(a.given.latin) == skeleton(b.given.latin) and (
        JaroWinkler.similarity(vowel_frame(a.given.latin), vowel_frame(b.given.latin)) >= 0.85
    ):
        return GivenAgreement.ALIKE, f"{pair}: spelt alike ({a.given.latin} / {b.given.latin})"
    if _one_typo(a.given.latin, b.given.latin):
        return GivenAgreement.TYPO, f"{pair}: one letter apart"
    return GivenAgreement.DIFFERENT, f"{pair}: different given names"


def _given_by_initial(a: ParsedName, b: ParsedName) -> tuple[GivenAgreement, str]:
    """A given name against an initial, or two initials: weaker evidence than a name."""
    for short, full in ((a, b), (b, a)):
        if short.given is None and short.initials:
            initial = short.initials[0]
            if full.given is not None:
                classes = full.given_match.classes if full.given_match else frozenset()
                if _initial_agrees(initial, full.given.latin, classes):
                    return GivenAgreement.INITIAL, f"initial {initial} of {full.given.text}"
                return GivenAgreement.DIFFERENT, f"initial {initial} is not {full.given.text}'s"
            if full.initials:
                if _initials_agree(initial, full.initials[0]):
                    return GivenAgreement.INITIAL, f"initials {initial} and {full.initials[0]}"
                return GivenAgreement.DIFFERENT, "different initials"
    return GivenAgreement.MISSING, "given name missing on one side"


def _same_sound(a: str, b: str) -> bool:
    return skeleton(a) == skeleton(b) and vowel_frame(a) == vowel_frame(b)


def surname_as_written(word: Word) -> tuple[bool, bool, str | None]:
    """What comparing surnames reads from a surname as written, besides its reading and
    whether it looks Belarusian: whether it is Cyrillic, whether it has letters only Russian
    writes, and the word itself where typed in Latin letters (a typist's slip shows there).
    Two spellings alike in all of these compare alike with any other surname."""
    written = word.text.lower()
    return (
        has_cyrillic(word.text),
        _RUSSIAN_ONLY.search(word.text) is not None,
        written if written.isascii() and written.isalpha() else None,
    )


def _plain_keys_meet(a: Surname, b: Surname) -> bool:
    """The two surnames meet as Latin typed without diacritics, with Belarusian vowel reduction
    (`surname.plain_keys`). Not between two Russian forms in Cyrillic (и, щ, ъ on both sides):
    there no ambiguity arises, and vowel reduction would join different names (Санников /
    Сенников)."""
    cyrillic_a, cyrillic_b = has_cyrillic(a.word.text), has_cyrillic(b.word.text)
    if (
        cyrillic_a
        and cyrillic_b
        and _RUSSIAN_ONLY.search(a.word.text)
        and (_RUSSIAN_ONLY.search(b.word.text))
    ):
        return False
    keys_a = plain_keys(a.word.latin, not cyrillic_a)
    return not keys_a.isdisjoint(plain_keys(b.word.latin, not cyrillic_b))


_RUSSIAN_ONLY = re.compile(r"[ищъИЩЪ]")


def _written_slip(word: Word, other_reading: str) -> str | None:
    """A slip made in typing Latin, seen on the word as written rather than as read: the
    reading of a slip may be far from the name (Kravhcenko reads as kravhtsenko)."""
    written = word.text.lower()
    if not written.isascii() or not written.isalpha():
        return None
    return _slip(written, other_reading)


def _slip_agreement(kind: str | None) -> SurnameAgreement | None:
    if kind is None:
        return None
    return SurnameAgreement.TYPO if kind == "vowel" else SurnameAgreement.DROP


def _surname_pair(a: Surname, b: Surname) -> SurnameAgreement:
    fa, fb = a.form, b.form
    la, lb = a.word.latin, b.word.latin
    if la == lb:
        return SurnameAgreement.SAME
    if _same_sound(la, lb):
        return SurnameAgreement.TRANSLITERATION
    if correspondence_key(la) == correspondence_key(lb):
        # a regular Belarusian / Russian correspondence (data/surname_correspondences.csv)
        return SurnameAgreement.TRANSLITERATION
    if correspondence_key(bare(la)) == correspondence_key(bare(lb)):
        # Latin typed without diacritics or digraphs (Černyšov as Cernysov, Zhuravlyov as
        # Zuravlyov): each digraph made the bare letter it stands for
        return SurnameAgreement.TRANSLITERATION
    if fa.ending == fb.ending and fa.stem == fb.stem:
        return SurnameAgreement.SAME
    if _plain_keys_meet(a, b):
        return SurnameAgreement.TRANSLITERATION
    if fa.ending == fb.ending and skeleton(fa.stem) == skeleton(fb.stem):
        frame_a, frame_b = vowel_frame(fa.stem), vowel_frame(fb.stem)
        # Spellings of one name differ at most by о/а (akanne, -ko / -ka); Belarusian writes
        # unstressed vowels as heard (Кавалёў / Ковалёв, Цапкала / Цепкало).
        if frame_a.replace("o", "a") == frame_b.replace("o", "a"):
            return SurnameAgreement.TRANSLITERATION
        if looks_belarusian(a.word.text) != looks_belarusian(b.word.text):
            return SurnameAgreement.TRANSLITERATION
        return _slip_agreement(_slip(frame_a, frame_b)) or SurnameAgreement.LOOSE
    longer, shorter = (la, lb) if len(la) > len(lb) else (lb, la)
    if longer.startswith(shorter) and len(longer) - len(shorter) >= 2:
        return SurnameAgreement.DIFFERENT  # another surname on the same root (Novik / Novikov)
    slip = _slip_agreement(
        _slip(la, lb)
        or _slip(vowel_frame(la), vowel_frame(lb))
        or _written_slip(a.word, lb)
        or _written_slip(b.word, la)
    )
    if slip:
        return slip
    if _one_typo(la, lb):
        return SurnameAgreement.SWAP
    return SurnameAgreement.DIFFERENT


_ORDER = list(SurnameAgreement)


def compare_surname(a: ParsedName, b: ParsedName) -> tuple[SurnameAgreement, str]:
    if not a.surnames or not b.surnames:
        return SurnameAgreement.MISSING, "surname missing on one side"
    best = SurnameAgreement.DIFFERENT
    best_pair = (a.surnames[0], b.surnames[0])
    # A part of a double or maiden surname counts only against a single surname: two double
    # surnames that share one part are two different surnames (Ivanova-Petrova / -Sidorova).
    parts_allowed = len(a.surnames) == 1 or len(b.surnames) == 1
    for i, sa in enumerate(a.surnames):
        for j, sb in enumerate(b.surnames):
            if (i or j) and not parts_allowed:
                continue
            found = _surname_pair(sa, sb)
            if (i or j) and found not in (SurnameAgreement.DIFFERENT,):
                found = SurnameAgreement.PART
            if _ORDER.index(found) < _ORDER.index(best):
                best, best_pair = found, (sa, sb)
    sa, sb = best_pair
    pair = f"{sa.word.text} ~ {sb.word.text}"
    details = {
        SurnameAgreement.SAME: "same surname",
        SurnameAgreement.TRANSLITERATION: "same surname in another spelling",
        SurnameAgreement.LOOSE: "same consonants, other vowels",
        SurnameAgreement.TYPO: "one vowel lost or two letters swapped",
        SurnameAgreement.DROP: "one consonant lost or added",
        SurnameAgreement.SWAP: "one letter replaced",
        SurnameAgreement.PART: "one part of a double or maiden surname",
        SurnameAgreement.DIFFERENT: "different surnames",
    }
    return best, f"{pair}: {details[best]}"


def surname_sex(name: ParsedName) -> str | None:
    """The sex the first surname's ending marks (Іваноў, Ivanova), None when it marks none."""
    return name.surnames[0].form.sex if name.surnames else None


def sexes_conflict(a: ParsedName, b: ParsedName) -> bool:
    """True when the two names are of different sexes: by given name, patronymic or ending;
    or when both surnames' endings mark a sex and they differ (Ivanov Anna is not Ivanova
    Anna: a man's and a woman's surname are different names)."""
    if a.sex is not None and b.sex is not None and a.sex != b.sex:
        return True
    sa, sb = surname_sex(a), surname_sex(b)
    return sa is not None and sb is not None and sa != sb


def _patronymic_by_initial(a: ParsedName, b: ParsedName) -> tuple[PatronymicAgreement, str]:
    for short, full in ((a, b), (b, a)):
        if short.patronymic is None and short.given is None and len(short.initials) > 1:
            initial = short.initials[1]
            if full.patronymic is not None:
                if _initial_agrees(initial, full.patronymic.latin, full.patronymic_classes):
                    return PatronymicAgreement.INITIAL, (
                        f"initial {initial} of {full.patronymic.text}"
                    )
                return PatronymicAgreement.DIFFERENT, (
                    f"initial {initial} is not {full.patronymic.text}'s"
                )
            if len(full.initials) > 1 and full.given is None:
                if _initials_agree(initial, full.initials[1]):
                    return PatronymicAgreement.INITIAL, "patronymic initials agree"
                return PatronymicAgreement.DIFFERENT, "different patronymic initials"
    return PatronymicAgreement.MISSING, "patronymic missing on one side"


def compare_patronymic(a: ParsedName, b: ParsedName) -> tuple[PatronymicAgreement, str]:
    if a.patronymic is None or b.patronymic is None:
        return _patronymic_by_initial(a, b)
    pair = f"{a.patronymic.text} ~ {b.patronymic.text}"
    if a.patronymic_classes & b.patronymic_classes:
        return PatronymicAgreement.SAME, f"{pair}: same patronymic"
    if skeleton(a.patronymic.latin) == skeleton(b.patronymic.latin) or _one_typo(
        a.patronymic.latin, b.patronymic.latin
    ):
        return PatronymicAgreement.TYPO, f"{pair}: patronymics spelt alike"
    return PatronymicAgreement.DIFFERENT, f"{pair}: different patronymics"


def align_lone_words(a: ParsedName, b: ParsedName) -> tuple[ParsedName, ParsedName]:
    """Two names of one word each, compared in one role: as given names when the table knows
    both as given names (Хведар ~ Фёдор), else as surnames — never a given name against a
    surname, which would leave nothing compared."""
    word_a, word_b = lone_word(a), lone_word(b)
    if word_a is None or word_b is None or (a.given is None) == (b.given is None):
        return a, b
    given_a, given_b = read_as_given(word_a), read_as_given(word_b)
    if given_a.given_match is not None and given_b.given_match is not None:
        return given_a, given_b
    return read_as_surname(word_a), read_as_surname(word_b)
