"""How clerks and journalists really spell Belarusian and Russian names in Latin letters.

This is the generator's own description of the world, written from the conventions themselves
and shared with no matcher: a matcher that reads records with the generator's own rules makes
every figure flatter than the world.

Spelling habits (`Habit`), each a plain table of letters:

- **Belarusian passport Latin** (`BELARUSIAN_PASSPORT`), read from the Belarusian form, as
  printed in Belarusian passports: г → h, ў → u, х → kh, ц → ts, ч → ch, ш → sh, ж → zh, й → i,
  ь and the apostrophe dropped; я ю ё → ia iu io after a consonant, ya yu yo at the start of a
  word and after a vowel (but ы), ў, ь or apostrophe; е → e after a consonant, ye otherwise
  ("Аляксандр Лукашэнка" → "Aliaksandr Lukashenka", "Сяргей" → "Siarhei", "Ціханоўская" →
  "Tsikhanouskaya", "Марыя Калеснікава" → "Maryia Kalesnikava", "Пётр" → "Piotr").
- **Russian passport Latin since 2014** (`RUSSIAN_PASSPORT_2014`), read from the Russian form,
  ICAO Doc 9303 style: й → i, ё → e, х → kh, ц → ts, щ → shch, ы → y, ъ → ie, я → ia, ю → iu,
  е → e everywhere ("Евгений Журавлёв" → "Evgenii Zhuravlev", "Юлия" → "Iuliia").
- **Older Russian passport Latin** (`RUSSIAN_PASSPORT_OLD`), the tables of the 1990s and 2000s:
  й → y, я → ya, ю → yu, е → ye at the start of a word and after a vowel, ё → yo (o after ж ч ш
  щ), -ий → -iy, -ый → -yy, ь and ъ dropped ("Евгений Журавлёв" → "Yevgeniy Zhuravlyov").
- **English press** (`ENGLISH_PRESS`), BGN-like without diacritics, from the Russian form:
  е → ye at the start of a word and after a vowel or a soft or hard sign, ё → yo (e after ж ч
  ш щ: Gorbachev), й → i but -ий and -ый → -y, a final -ия → -ia, Алекс- → Alex- ("Евгений
  Журавлёв" → "Yevgeny Zhuravlyov", "Сергей" → "Sergei", "Высоцкий" → "Vysotsky", "Юлия" →
  "Yulia").
- **Łacinka typed plain** (`LACINKA_PLAIN`), the Belarusian national romanisation (2007) typed
  on a keyboard without diacritics: č š ž ŭ ć ś ź ń ĺ → c s z u c s z n l, х → ch, ц → c,
  й → j, я ю е ё → ja ju je jo at the start of a word and after a vowel, ia iu ie io after a
  consonant ("Лукашэнка" → "Lukasenka", "Ціханоўская" → "Cichanouskaja").

How often each habit writes a name (estimates of the world, by where the Latin is written):

=========================  ==========  ===========
habit                      `PASSPORT`  `ENGLISH`
=========================  ==========  ===========
Belarusian passport        78 %        25 %
Russian passport, 2014      5 %        10 %
Russian passport, older    17 %        15 %
English press               —          40 %
Łacinka typed plain         —          10 %
=========================  ==========  ===========

`PASSPORT` is the Latin of Belarusian passports (and of applicants who copy their passport):
since the 2000s it is read from the Belarusian form, but passports issued earlier, and clerks
who read the Russian form, keep Russian-based spellings. `ENGLISH` is the Latin of watchlists,
sanctions lists and the press, which mostly write the Russian form in English habits but often
copy a passport, or the łacinka of Belarusian-language media. Each distinct name gets one habit,
drawn from these shares by (seed, index) (`habit_for`), so a population holds a mix of habits.

Clerks' Latin typos (`Slip`), shares among the typo variants of a Latin name (how many records
carry a typo is `NoiseRates.name_typo`): an h dropped from zh kh sh ch (Zuravlyov, Sevchenko)
35 %; a letter dropped from a long name (six letters or more) 20 %; a letter doubled in a long
name 15 %; two neighbouring letters swapped 30 %. The first letter is kept (it is the one a
clerk checks); a slip that a name does not allow is drawn again among those it allows.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "ENGLISH",
    "PASSPORT",
    "SLIPS",
    "Habit",
    "Slip",
    "clerk_slip",
    "clerk_typo",
    "habit_for",
    "romanise_plain",
    "spell",
    "spell_all",
]


class Habit(StrEnum):
    """A way of writing a Cyrillic name in Latin letters."""

    BELARUSIAN_PASSPORT = "belarusian_passport"
    RUSSIAN_PASSPORT_2014 = "russian_passport_2014"
    RUSSIAN_PASSPORT_OLD = "russian_passport_old"
    ENGLISH_PRESS = "english_press"
    LACINKA_PLAIN = "lacinka_plain"


# Habits that read the Belarusian form of a name; the others read the Russian form.
_READS_BELARUSIAN = frozenset({Habit.BELARUSIAN_PASSPORT, Habit.LACINKA_PLAIN})

PASSPORT: Mapping[Habit, float] = {
    Habit.BELARUSIAN_PASSPORT: 0.78,
    Habit.RUSSIAN_PASSPORT_2014: 0.05,
    Habit.RUSSIAN_PASSPORT_OLD: 0.17,
}
ENGLISH: Mapping[Habit, float] = {
    Habit.BELARUSIAN_PASSPORT: 0.25,
    Habit.RUSSIAN_PASSPORT_2014: 0.10,
    Habit.RUSSIAN_PASSPORT_OLD: 0.15,
    Habit.ENGLISH_PRESS: 0.40,
    Habit.LACINKA_PLAIN: 0.10,
}

# Letters after which an iotated vowel keeps its glide (a "y" or "j"): vowels, ў, the signs and
# the apostrophe. At the start of a word it keeps it too.
_VOWELS = frozenset("аеёиіоуыэюяў")
_SEPARATE_AFTER = _VOWELS | frozenset("ьъ'’ʼ")
_SIBILANTS = frozenset("жчшщ")


@dataclass(frozen=True)
class _Table:
    """One habit's letters.

    `letters` maps a lower-case Cyrillic letter to Latin. `iotated` maps a vowel to its Latin
    (after a consonant, at the start of a word or after `_SEPARATE_AFTER`); `after_sibilant`
    overrides it after ж ч ш щ. `endings` rewrite a word's last letters; `beginnings` its first.
    `glide_after` are the letters after which an iotated vowel keeps its glide.
    """

    letters: Mapping[str, str]
    iotated: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    glide_after: frozenset[str] = _SEPARATE_AFTER
    after_sibilant: Mapping[str, str] = field(default_factory=dict)
    endings: Mapping[str, str] = field(default_factory=dict)
    beginnings: Mapping[str, str] = field(default_factory=dict)


# Letters every habit writes alike.
_COMMON = {
    "а": "a",
    "б": "b",
    "в": "v",
    "д": "d",
    "з": "z",
    "и": "i",
    "і": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "u",
    "ф": "f",
    "ы": "y",
    "ь": "",
    "ъ": "",
    "э": "e",
    "'": "",
    "’": "",
    "ʼ": "",
}
_DIGRAPHS = {"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"}

_TABLES: dict[Habit, _Table] = {
    Habit.BELARUSIAN_PASSPORT: _Table(
        letters={**_COMMON, **_DIGRAPHS, "г": "h", "ґ": "g", "й": "i"},
        iotated={"я": ("ia", "ya"), "ю": ("iu", "yu"), "ё": ("io", "yo"), "е": ("e", "ye")},
        glide_after=_SEPARATE_AFTER - {"ы"},  # Maryia, not Maryya
    ),
    Habit.RUSSIAN_PASSPORT_2014: _Table(
        letters={
            **_COMMON,
            **_DIGRAPHS,
            "г": "g",
            "й": "i",
            "ъ": "ie",
            "е": "e",
            "ё": "e",
            "я": "ia",
            "ю": "iu",
        },
    ),
    Habit.RUSSIAN_PASSPORT_OLD: _Table(
        letters={**_COMMON, **_DIGRAPHS, "г": "g", "й": "y"},
        iotated={"я": ("ya", "ya"), "ю": ("yu", "yu"), "ё": ("yo", "yo"), "е": ("e", "ye")},
        after_sibilant={"ё": "o"},
        endings={"ий": "iy", "ый": "yy"},
    ),
    Habit.ENGLISH_PRESS: _Table(
        letters={**_COMMON, **_DIGRAPHS, "г": "g", "й": "i"},
        iotated={"я": ("ya", "ya"), "ю": ("yu", "yu"), "ё": ("yo", "yo"), "е": ("e", "ye")},
        after_sibilant={"ё": "e"},
        endings={"ий": "y", "ый": "y", "ия": "ia"},
        beginnings={"алекс": "alex"},
    ),
    Habit.LACINKA_PLAIN: _Table(
        letters={
            **_COMMON,
            "г": "h",
            "ґ": "g",
            "ж": "z",
            "й": "j",
            "х": "ch",
            "ц": "c",
            "ч": "c",
            "ш": "s",
            "щ": "sc",
        },
        iotated={"я": ("ia", "ja"), "ю": ("iu", "ju"), "ё": ("io", "jo"), "е": ("ie", "je")},
    ),
}


def _cased(latin: str, cyrillic: str, upper_word: bool) -> str:
    if not latin or cyrillic == cyrillic.lower():
        return latin
    return latin.upper() if upper_word else latin[0].upper() + latin[1:]


def _word(word: str, table: _Table) -> str:
    """One word (letters only, any case) in `table`'s Latin."""
    lower = word.lower()
    upper_word = len(word) > 1 and word == word.upper()
    out: list[str] = []
    i = 0
    for start, latin in table.beginnings.items():
        if lower.startswith(start):
            out.append(_cased(latin, word[: len(start)], upper_word))
            i = len(start)
            break
    end = len(lower)
    tail = ""
    for ending, latin in table.endings.items():
        if lower.endswith(ending) and len(lower) > len(ending) + 1 and end - len(ending) >= i:
            end -= len(ending)
            tail = _cased(latin, word[end : end + 1], upper_word)
            break
    while i < end:
        char = lower[i]
        previous = lower[i - 1] if i else ""
        if char in table.iotated:
            soft, separate = table.iotated[char]
            if previous in _SIBILANTS and char in table.after_sibilant:
                latin = table.after_sibilant[char]
            else:
                latin = separate if not previous or previous in table.glide_after else soft
        else:
            latin = table.letters.get(char, char)
        out.append(_cased(latin, word[i], upper_word))
        i += 1
    return "".join(out) + tail


def _is_letter(char: str) -> bool:
    return char.isalpha() or char in "'’ʼ"


def spell(habit: Habit, *, ru: str, be: str) -> str:
    """A name in `habit`'s Latin, from its Russian form `ru` or Belarusian form `be`."""
    text = be if habit in _READS_BELARUSIAN else ru
    table = _TABLES[habit]
    out: list[str] = []
    word: list[str] = []
    for char in text + " ":
        if _is_letter(char):
            word.append(char)
            continue
        if word:
            out.append(_word("".join(word), table))
            word = []
        out.append(char)
    return "".join(out)[:-1]


def romanise_plain(text: str) -> str:
    """Belarusian Cyrillic in the national romanisation, typed without diacritics."""
    return spell(Habit.LACINKA_PLAIN, ru=text, be=text)


def habit_for(seed: int, index: int, mix: Mapping[Habit, float]) -> Habit:
    """The habit that writes value `index` of a pool seeded `seed`, drawn from `mix`."""
    digest = hashlib.blake2b(f"{seed}:{index}".encode(), digest_size=8).digest()
    draw = int.from_bytes(digest, "big") / 2**64 * sum(mix.values())
    habits = list(mix)
    for habit in habits:
        draw -= mix[habit]
        if draw < 0:
            return habit
    return habits[-1]


def spell_all(
    ru: Sequence[str], be: Sequence[str], mix: Mapping[Habit, float], seed: int
) -> list[str]:
    """Each name (Russian and Belarusian forms side by side) in its own habit from `mix`."""
    return [
        spell(habit_for(seed, i, mix), ru=r, be=b)
        for i, (r, b) in enumerate(zip(ru, be, strict=True))
    ]


class Slip(StrEnum):
    """A clerk's typo in a Latin name."""

    DROPPED_H = "dropped_h"
    DROPPED_LETTER = "dropped_letter"
    DOUBLED_LETTER = "doubled_letter"
    SWAPPED_LETTERS = "swapped_letters"


SLIPS: Mapping[Slip, float] = {
    Slip.DROPPED_H: 0.35,
    Slip.DROPPED_LETTER: 0.20,
    Slip.DOUBLED_LETTER: 0.15,
    Slip.SWAPPED_LETTERS: 0.30,
}
_LONG = 6  # letters in a name long enough to lose or double one unnoticed


def _places(value: str, slip: Slip) -> list[int]:
    """Where `slip` can happen in `value` (never at its first letter)."""
    letters = [i for i in range(1, len(value)) if value[i].isalpha()]
    if slip is Slip.DROPPED_H:
        return [i for i in letters if value[i] in "hH" and value[i - 1].lower() in "zksc"]
    if slip is Slip.SWAPPED_LETTERS:
        return [
            i
            for i in letters
            if i + 1 < len(value) and value[i + 1].isalpha() and value[i] != value[i + 1]
        ]
    return letters if sum(c.isalpha() for c in value) >= _LONG else []


def clerk_slip(value: str, rnd: random.Random) -> tuple[Slip | None, str]:
    """One clerk's typo in the Latin name `value`, drawn from `SLIPS`; and which it was."""
    possible = {slip: _places(value, slip) for slip in SLIPS}
    allowed = [slip for slip in SLIPS if possible[slip]]
    if not allowed:
        return None, value + value[-1:]
    slip = rnd.choices(allowed, weights=[SLIPS[s] for s in allowed])[0]
    i = rnd.choice(possible[slip])
    if slip in (Slip.DROPPED_H, Slip.DROPPED_LETTER):
        return slip, value[:i] + value[i + 1 :]
    if slip is Slip.DOUBLED_LETTER:
        return slip, value[:i] + value[i] + value[i:]
    return slip, value[:i] + value[i + 1] + value[i] + value[i + 2 :]


def clerk_typo(value: str, rnd: random.Random) -> str:
    """`value` with one clerk's typo (see `clerk_slip`)."""
    return clerk_slip(value, rnd)[1]
