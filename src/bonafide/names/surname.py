"""Surnames: the stem, the family of ending, and the sex the ending marks.

Russian and Belarusian surnames change their ending with sex (Иванов / Иванова, Іваноў /
Іванова, Тихановский / Тихановская, Ціханоўскі / Ціханоўская) and spell the same ending
differently across languages and schemes (-ov, -ou, -aŭ, -ow; -skiy, -sky, -ski, -skij;
-skaya, -skaia, -skaja, -ska). Others never change (Лукашенко, Новик, Шевчук). Comparing
(stem, ending family) makes Ivanov = Ivanova = Ivanou, while Novik ≠ Novikov and
Ivanov ≠ Ivanenko.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources

__all__ = ["Ending", "SurnameForm", "bare", "correspondence_key", "plain_keys", "surname_form"]


class Ending(StrEnum):
    OV = "ov"  # -ов/-ев/-ёв, Belarusian -оў/-аў/-ёў, female -ова/-ева/-ава
    IN = "in"  # -ин/-ын, female -ина/-ына
    SKY = "sky"  # -ский/-цкий/-скі, female -ская/-цкая
    ADJ = "adj"  # other adjectival -ой/-ый/-ий, female -ая
    NONE = "none"  # invariant: -енко, -ич, -ук, -ик, -ец, -ка …


@dataclass(frozen=True)
class SurnameForm:
    stem: str
    ending: Ending
    sex: str | None  # "m", "f", or None when the ending is the same for both


# Patterns on the Latin reading (see latin.reading); the first that matches wins.
_RULES: tuple[tuple[re.Pattern[str], Ending, str | None], ...] = tuple(
    (re.compile(pattern), ending, sex)
    for pattern, ending, sex in (
        (r"^(.{2,}?)(?:ts|t|)(?:skaya|skaia|skaja|skaja|ska)$", Ending.SKY, "f"),
        (r"^(.{2,}?)(?:ts|t|)(?:skiy|skii|skij|skyy|skyi|sky|ski|skoy|skoi)$", Ending.SKY, "m"),
        (r"^(.{2,}?)(?:ova|eva|yova|iova|ava|iava)$", Ending.OV, "f"),
        # -aŭ read with ŭ as v (Sakalaŭ): -av, -iav
        (
            r"^(.{2,}?)(?:ov|ev|yov|iov|ow|ou|ew|eu|aw|au|av|iaw|iau|iav|off|eff)$",
            Ending.OV,
            "m",
        ),
        (r"^(.{2,}?)(?:ina|yna)$", Ending.IN, "f"),
        (r"^(.{2,}?)(?:in|yn)$", Ending.IN, "m"),
        (r"^(.{2,}?)(?:aya|aia|aja)$", Ending.ADJ, "f"),
        (r"^(.{2,}?)(?:oy|oi|iy|yy|ii|ij|yi|y)$", Ending.ADJ, "m"),
    )
)


@lru_cache(maxsize=200_000)
def surname_form(reading: str) -> SurnameForm:
    """The stem, ending family and marked sex of a surname's Latin reading."""
    for pattern, ending, sex in _RULES:
        match = pattern.match(reading)
        if match:
            return SurnameForm(match.group(1), ending, sex)
    return SurnameForm(reading, Ending.NONE, None)


@cache
def _correspondence_rows() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """Regular Belarusian ↔ Russian differences in surnames, as data with their sources
    (`data/surname_correspondences.csv`): a rewrite of a Latin reading towards one key, or an
    alternative reading beside it (where the difference is not regular both ways)."""
    text = resources.files("bonafide.names").joinpath("data/surname_correspondences.csv")
    rows = csv.DictReader(text.read_text(encoding="utf-8").splitlines())
    return tuple((re.compile(row["pattern"]), row["replacement"], row["mode"]) for row in rows)


def _correspondences() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((p, r) for p, r, mode in _correspondence_rows() if mode == "rewrite")


def _alternatives() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((p, r) for p, r, mode in _correspondence_rows() if mode == "alternative")


@lru_cache(maxsize=200_000)
def correspondence_key(reading: str) -> str:
    """One key for a surname's Belarusian and Russian forms in any script: the regular
    correspondences rewritten (Навуменка → Науменка, Ярмоленка → Ермоленка), unstressed о and
    а (akanne: -енка / -енко) made one, the ending family kept."""
    form = surname_form(reading)
    stem = form.stem
    for pattern, replacement in _correspondences():
        stem = pattern.sub(replacement, stem)
    return f"{stem.replace('o', 'a')}|{form.ending.value}"


_BARE = (
    ("shch", "sc"),  # щ, Belarusian шч: šč, sc
    ("sch", "sc"),
    ("ch", "c"),
    ("sh", "s"),
    ("zh", "z"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("yo", "io"),
    ("ya", "ia"),
    ("yu", "iu"),
    ("ye", "ie"),
)


@lru_cache(maxsize=200_000)
def bare(latin: str) -> str:
    """A reading as Latin typed without diacritics writes it: one letter per sound."""
    for digraph, letter in _BARE:
        latin = latin.replace(digraph, letter)
    return latin


# е after the hard ш, ж, ч, ц, р is Belarusian э, written а when unstressed (Шаўчэнка /
# Sauchanka / Шевченко, Марчанка / Марченко); seen while the digraph still shows the consonant
_HARD_E = re.compile(r"(?:(?<=sh)|(?<=zh)|(?<=ch)|(?<=ts)|(?<=r))e")

_PLAIN_HARD_E = re.compile(r"(?<=[cr])e")  # the same after a plain c (č or ц) and r

_PLAIN_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"(.)\1", r"\1"),  # doubled letters
        (r"g", "h"),  # Belarusian г is h: Hrysyn / Грышин
        (r"y", "i"),  # ы and и: Čyhir / Чигирь
        (r"w", "v"),
        (r"(?<=[aeiou])u(?=[^aeiou]|$)", "v"),  # ў after a vowel: Kryuko / Кривко
        (r"(?<=[^aeiou])i$", ""),  # the soft sign before -ou, -iou (Žuraŭlioŭ / Журавлёв)
        (r"t(?=[ie])", "c"),  # цеканне: ц for т before soft vowels (Ціхан / Тихон)
        (r"(?<=[^aeiou])i[aeo]", "e"),  # яканне: я, е, ё after a consonant (Navumienka)
        (r"o", "a"),  # аканне
    )
)


@lru_cache(maxsize=200_000)
def plain_keys(reading: str, latin_script: bool) -> frozenset[str]:
    """Keys under which a surname's Belarusian and Russian forms in any script meet when Latin
    is typed without diacritics: the regular correspondences, then one letter per sound (c
    for ц and ч, s for с and ш, z for з and ж), then Belarusian vowel reduction folded. A
    word typed in Latin may read ch as х (łacinka: Chalip, Zacharava) and -ska as -шка
    (Muraska), so it may have several keys."""
    form = surname_form(reading)
    readings = [(form.stem, form.ending)]
    if latin_script and reading.endswith("ska") and form.ending is Ending.SKY:
        readings.append((reading, Ending.NONE))  # -шка typed plain (Muraska), not -ская
    for pattern, replacement in _alternatives():
        readings += [
            (pattern.sub(replacement, stem), ending)
            for stem, ending in readings
            if pattern.search(stem)
        ]
    if latin_script:
        readings += [
            (stem.replace("ch", "kh"), ending) for stem, ending in readings if "ch" in stem
        ]
    keys = set()
    for stem, ending in readings:
        for pattern, replacement in _correspondences():
            stem = pattern.sub(replacement, stem)
        # е after a hard consonant is э, written а only when unstressed (Шаўчэнка but
        # Марчанка): both spellings are keys
        for variant in {stem, _HARD_E.sub("a", stem)}:
            variant = bare(variant)
            for pattern, replacement in _PLAIN_STEPS:
                variant = pattern.sub(replacement, variant)
            keys.add(f"{variant}|{ending.value}")
            keys.add(f"{_PLAIN_HARD_E.sub('a', variant)}|{ending.value}")
    return frozenset(keys)
