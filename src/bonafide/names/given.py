"""Given names and patronymics: equivalence classes across Belarusian, Russian and Latin.

Each row of `data/given_names.csv` is one class: its Russian, Belarusian and English forms
(Сергей = Сяргей = Sergei, Владимир = Уладзімір = Vladimir) and its diminutives (Серёжа, Сярожа).
Every form is indexed by its Latin reading and its skeleton (see `latin.py`), so any spelling in
any scheme finds its class: Siarhei, Sergey, Serhiy, Siarhiej. A patronymic is indexed by the
class of the father's name it is made from (Сяргеевіч = Сергеевич = Siarheyevich).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from bonafide.names.latin import reading, skeleton, vowel_frame

__all__ = ["GivenMatch", "GivenNames", "class_key", "given_names", "looks_patronymic"]

_PATRONYMIC = re.compile(
    r"(?:ovich|evich|avich|ievich|yevich|ovych|evych|ovitch|owicz|ewicz|ich|ych|ovic|evic|"
    r"ovna|evna|avna|auna|ouna|awna|eyevna|ievna|ichna|ishna|inichna|ivna|owna|ewna|eyewna)$"
)


def looks_patronymic(latin: str) -> bool:
    """True when a reading ends like a patronymic (Sergeevich, Siarheyeuna, Ilyinichna)."""
    return len(latin) >= 5 and _PATRONYMIC.search(latin) is not None


@dataclass(frozen=True)
class GivenMatch:
    """Where a spelling falls in the table: class rows, and whether it was a diminutive."""

    classes: frozenset[int]
    diminutive: bool
    exact: bool  # found by its reading; False when found by skeleton or a typo away


def class_key(match: GivenMatch | None, latin: str) -> str:
    """What a given name is blocked and joined by: its class in the table (Сергей, Siarhei and
    Sergei are one), else the consonants of its Latin reading. A diminutive (Sasha) keeps its
    own spelling's key: it is weaker evidence."""
    if match is not None and match.classes and not match.diminutive:
        return f"#{min(match.classes)}"
    return skeleton(latin)


@dataclass(frozen=True)
class _Entry:
    row: int
    reading: str
    diminutive: bool


class GivenNames:
    """The given-name table indexed for lookup by any spelling."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.rows = rows
        self.sex = [row["sex"] for row in rows]
        self.english = [row["en"] for row in rows]
        self._by_frame: dict[str, list[_Entry]] = {}
        self._by_skeleton: dict[str, list[_Entry]] = {}
        self._by_plain: dict[str, list[_Entry]] = {}
        self._full_readings: dict[str, list[_Entry]] = {}  # the forms that are no diminutive
        self._patronymic_frames: dict[str, set[int]] = {}
        self._patronymic_readings: dict[str, list[tuple[str, int]]] = {}
        for index, row in enumerate(rows):
            for form in (row["ru"], row["be"], row["en"]):
                self._add(index, form, diminutive=False)
            for column in ("diminutives_ru", "diminutives_be"):
                for form in filter(None, row[column].split("|")):
                    self._add(index, form, diminutive=True)
            for column in (
                "patronymic_m_ru",
                "patronymic_f_ru",
                "patronymic_m_be",
                "patronymic_f_be",
            ):
                if row.get(column):
                    latin = reading(row[column])
                    self._patronymic_frames.setdefault(vowel_frame(latin), set()).add(index)
                    self._patronymic_readings.setdefault(skeleton(latin), []).append(
                        (vowel_frame(latin), index)
                    )
        self._skeletons = list(self._by_skeleton)
        # by first letter and length: a misspelling keeps the one, and is one off the other
        self._readings = _by_initial_and_length(self._full_readings)
        self._patronymic_sounds = _by_initial_and_length(self._patronymic_frames)

    def _add(self, row: int, form: str, diminutive: bool) -> None:
        latin = reading(form)
        if not latin:
            return
        entry = _Entry(row, latin, diminutive)
        self._by_frame.setdefault(vowel_frame(latin), []).append(entry)
        self._by_skeleton.setdefault(skeleton(latin), []).append(entry)
        self._by_plain.setdefault(_plain(latin), []).append(entry)
        if not diminutive:
            self._full_readings.setdefault(latin, []).append(entry)

    @lru_cache(maxsize=100_000)  # noqa: B019 - one table per process, cached for its lifetime
    def lookup(self, latin: str) -> GivenMatch | None:
        """The classes a given-name reading belongs to, or None when it is not a known name.

        Exact: the same sound (skeleton and vowels: Fedor / Fiodor / Fyodor, Yulia / Julia,
        Hanna / Ганна). Inexact: the same skeleton and a similar reading of about the same
        length and the same ending, male or female (a misspelling: Alaksandar).
        """
        frame = vowel_frame(latin)
        entries = self._by_frame.get(frame) or [
            entry for key in _plain_variants(latin) for entry in self._by_plain.get(key, ())
        ]
        if entries:
            return _match(entries, exact=True)
        female_like = frame.endswith("a")
        # A misspelt full name keeps its first letter and its length within one; diminutives
        # are matched only exactly (Vanya is not a typo of Ivanna).
        close = [
            e
            for e in self._by_skeleton.get(skeleton(latin), [])
            if not e.diminutive
            and e.reading[:1] == latin[:1]
            and abs(len(e.reading) - len(latin)) <= 1
            and vowel_frame(e.reading).endswith("a") == female_like
            and JaroWinkler.similarity(vowel_frame(e.reading), frame) >= 0.85
        ]
        if close:
            best = max(JaroWinkler.similarity(vowel_frame(e.reading), frame) for e in close)
            chosen = [
                e for e in close if JaroWinkler.similarity(vowel_frame(e.reading), frame) == best
            ]
            return _match(chosen, exact=False)
        return None

    def near(self, latin: str) -> GivenMatch | None:
        """Classes one typo away, for unknown spellings: a name whose reading is one letter off
        (lost, added, replaced, or two swapped), else one whose skeleton is one edit off with a
        reading alike."""
        return self._near(latin)

    @lru_cache(maxsize=100_000)  # noqa: B019 - one table per process, cached for its lifetime
    def _near(self, latin: str) -> GivenMatch | None:
        # The reading first: a slip can join consonants the skeleton keeps apart, and the
        # skeleton then lands nearer another name (Констатин reads k-n-s-t-n, one edit from
        # Констанция's k-n-s-t-n-t and two from Константин's k-n-s-t-n-t-n)
        letter_off = self._letter_off(latin)
        if letter_off:
            return _match(letter_off, exact=False)
        key = skeleton(latin)
        if len(key) < 3:
            return None
        frame = vowel_frame(latin)
        found = [
            entry
            for other, _, _ in process.extract(
                key, self._skeletons, scorer=OSA.distance, score_cutoff=1, limit=None
            )
            if abs(len(other) - len(key)) <= 1
            for entry in self._by_skeleton[other]
            if not entry.diminutive
            and entry.reading[:1] == latin[:1]
            and JaroWinkler.similarity(vowel_frame(entry.reading), frame) >= 0.88
        ]
        return _match(found, exact=False) if found else None

    def _letter_off(self, latin: str) -> list[_Entry]:
        """The full names whose reading is one letter off this one, beginning as it does."""
        if len(latin) < 4:
            return []
        return [
            entry
            for other in _one_letter_off(self._readings, latin)
            for entry in self._full_readings[other]
        ]

    @lru_cache(maxsize=100_000)  # noqa: B019 - one table per process, cached for its lifetime
    def patronymic_classes(self, latin: str) -> frozenset[int]:
        """The classes of the father's name a patronymic reading is made from: by its sound,
        else by a sound one letter off (a misspelling: Игореич, Николаефич), else by its
        skeleton with a reading alike, never by consonants alone (Андреевич and Нодарович
        share them)."""
        frame = vowel_frame(latin)
        exact = self._patronymic_frames.get(frame)
        if exact:
            return frozenset(exact)
        if len(frame) >= 6:
            letter_off = frozenset(
                index
                for other in _one_letter_off(self._patronymic_sounds, frame)
                for index in self._patronymic_frames[other]
            )
            if letter_off:
                return letter_off
        return frozenset(
            index
            for other, index in self._patronymic_readings.get(skeleton(latin), ())
            if other[:1] == frame[:1] and JaroWinkler.similarity(other, frame) >= 0.85
        )

    def sex_of(self, match: GivenMatch) -> str | None:
        if len(match.classes) == 1:  # most names: one class
            (row,) = match.classes
            return self.sex[row]
        sexes = {self.sex[row] for row in match.classes}
        return sexes.pop() if len(sexes) == 1 else None


def _by_initial_and_length(words: Iterable[str]) -> dict[tuple[str, int], list[str]]:
    grouped: dict[tuple[str, int], list[str]] = {}
    for word in words:
        grouped.setdefault((word[:1], len(word)), []).append(word)
    return grouped


def _one_letter_off(grouped: dict[tuple[str, int], list[str]], word: str) -> list[str]:
    """The words of `grouped` (`_by_initial_and_length`) one letter off `word` (a letter lost,
    added or replaced, or two swapped), beginning as it does."""
    near_in_length = [
        other
        for length in (len(word) - 1, len(word), len(word) + 1)
        for other in grouped.get((word[:1], length), ())
    ]
    return [
        other
        for other, _, _ in process.extract(
            word, near_in_length, scorer=OSA.distance, score_cutoff=1, limit=None
        )
    ]


_PLAIN = (("shch", "sc"), ("ch", "c"), ("sh", "s"), ("zh", "z"), ("kh", "h"), ("ts", "c"))


@lru_cache(maxsize=100_000)
def _plain(latin: str) -> str:
    """A reading as Latin typed without diacritics writes it (Sciapan for Сцяпан, Cimafiej
    for Цімафей): one letter per sound, г and х as h, й and ы as i, е after a consonant as
    e or ie, ў as v."""
    for digraph, letter in _PLAIN:
        latin = latin.replace(digraph, letter)
    latin = latin.replace("g", "h").replace("y", "i").replace("w", "v")
    latin = re.sub(r"(?<=[aeiou])u(?=[^aeiou]|$)", "v", latin)  # ў: Miecyslau / Мечислав
    return re.sub(r"(?<=[^aeiou])ie", "e", latin)  # е after a consonant written ie


def _plain_variants(latin: str) -> tuple[str, ...]:
    """The plain keys of a typed reading: ch is ч, or х as łacinka writes it (Cichan)."""
    if "ch" not in latin:
        return (_plain(latin),)
    return (_plain(latin), _plain(latin.replace("ch", "kh")))


def _match(entries: list[_Entry], exact: bool) -> GivenMatch:
    full = [e for e in entries if not e.diminutive]
    chosen = full or entries
    return GivenMatch(frozenset(e.row for e in chosen), diminutive=not full, exact=exact)


@cache
def given_names() -> GivenNames:
    """The package's given-name table (data/given_names.csv; sources in data/SOURCES.md)."""
    text = resources.files("bonafide.names").joinpath("data").joinpath("given_names.csv")
    rows = list(csv.DictReader(text.read_text(encoding="utf-8").splitlines()))
    return GivenNames(rows)
