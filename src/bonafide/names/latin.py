"""Any spelling of a name → one Latin reading → a phonetic skeleton that survives schemes.

Three steps, each a pure function of one word:

1. `reading`: the word in plain lower-case Latin as an English-language source would spell it.
   Cyrillic (Belarusian or Russian) goes through one ICU rule set; Latin spellings are undone
   scheme by scheme: diacritics (ISO 9, national romanisation, łacinka), Polish digraphs
   (sz, cz, rz, w) and the Polish / łacinka use of `c` for ц and `ch` for х.
2. `skeleton`: consonants only, after merging what the schemes and the two languages spell
   differently: г/h/g/х, ц/ts/c, ч/ch/cz, ш/sh/sz, щ/shch, ж/zh/ž, дз/d, ць/ть before a soft
   vowel (Belarusian цеканне), ў/u/v at a syllable's end (Kavaliou = Kovalev), doubled letters.
   Vowels are dropped: akanne (Aliaksandr / Aleksandr) and the e/ie/ye spellings vanish.
3. `vowel_frame`: the merged reading with vowels folded (е, и, ы, ё → i), which keeps apart
   names the skeleton merges (Belov / Bulov, Olya / Alla).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import icu

from bonafide.names.transliterate import cyrillic_rules

__all__ = ["has_cyrillic", "looks_belarusian", "reading", "skeleton", "vowel_frame"]

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# rz alone is as often р + з (Arzamasava, Marzec): Polish only in a word of Polish ending
_POLISH_MARKS = re.compile(
    r"[łżśćńóęąŭčšžźľ]|sz|cz|rz.*(?:ski|ska|cki|cka|wicz|icz|ek|ak)$|ow(?:ski|ska|sky)$|wicz$"
)
# A `c` that is not part of ch / cz is the Polish and łacinka ц (Cichanoŭskaja, Białacki) in a
# Slavic surname; in other names (Coffey, Lucas) it is the English k.
_LONE_C = re.compile(r"c(?![hz])")
_SLAVIC_ENDING = re.compile(
    r"(?:ski|ska|sky|cki|cka|skaja|skaya|wicz|wich|vich|vic|owa|ova|ewa|eva|uk|ak|ek|ik|ko|ka|"
    r"ina|in|ov|ou|ev|eu|ec|yk|na|ja|ia|ij|yj)$"
)
# Polish letters: a word with any of them is read by the Polish rules, which map them first.
_POLISH_LETTERS = {"ł": "l", "ż": "zh", "ś": "s", "ć": "ts", "ń": "n"}
_LATIN_LETTERS = {
    "ŭ": "w",
    "č": "ch",
    "š": "sh",
    "ž": "zh",
    "ź": "z",
    "ß": "ss",
    "đ": "d",
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ë": "yo",
    "ĕ": "e",
    "ǐ": "i",
    "â": "ya",
    "û": "yu",
    "ʹ": "",
    "ʺ": "",
    "'": "",
    "’": "",
    "ʼ": "",
    "`": "",
}


@cache
def _cyrillic_to_latin() -> icu.Transliterator:
    # Readings keep г as g (Russian Grigory, Belarusian Ryhor both become g via the skeleton's
    # g/h merge), й as y and ў as w, which the skeleton treats as a syllable-closing v.
    rules = cyrillic_rules(g="g", short_i="y", short_u="w", adjective_endings=False)
    return icu.Transliterator.createFromRules(
        "bonafide-name-reading", rules, icu.UTransDirection.FORWARD
    )


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def _undo_polish(word: str) -> str:
    """Polish and łacinka conventions in English terms: ch = х, cz = ч, sz = ш, rz = ж, c = ц."""
    word = word.replace("ch", "kh").replace("sz", "sh").replace("cz", "ch")
    # rz is ж; rzh is English р + ж (Korzh, from Корж), not a Polish rz before an h
    word = re.sub(r"rz(?!h)", "zh", word)
    return re.sub(r"c(?!h)", "ts", word)


# Signs of a German spelling: tsch, sch, w for в, w and j together (Tichanowskaja), a final
# -ow(a) in a word that never writes ц as ts (Kusnezow). A final -ow beside ts is BGN's
# Belarusian ў (Kuznyatsow), and j alone the national romanisation's й (Zujeva).
_GERMAN = re.compile(r"\x00|\x01|^w|[aeiou]w[aeiou]|w.*j|j.*w|^(?!.*ts).*[oe]wa?$")


# ou then, after a consonant and a vowel, ch or j (Loukachenko, but not Halouchanka, where the
# ou is Belarusian ў before ч); a final mute e; ï; gue.
_FRENCH = re.compile(r"ï|gue|gui|^iou|ou[^aeiouy][aeiouy].*(?:ch|j)|ou.*[^aeiouy]e$|ine$")


def _undo_french(word: str) -> str:
    """French conventions: ou = у, ch = ш, j = ж, gu = г, a final mute e (Poutine, Prigojine)."""
    word = word.replace("ï", "i").replace("gue", "ge").replace("gui", "gi")
    word = word.replace("tch", "\0").replace("ch", "sh").replace("\0", "ch")
    word = word.replace("j", "zh").replace("ou", "u")
    return re.sub(r"(?<=[^aeiouy])e$", "", word)


def _undo_german(word: str) -> str:
    """German conventions (tsch and sch already set aside): ch = х, z = ц, w = в, j = й."""
    word = word.replace("ch", "kh")
    word = re.sub(r"(?<![dts])z(?!h)", "ts", word)
    return word.replace("w", "v").replace("j", "y")


@lru_cache(maxsize=200_000)
def reading(word: str) -> str:
    """One lower-case Latin reading of a word in any script and scheme."""
    word = unicodedata.normalize("NFC", word.strip().lower())
    if has_cyrillic(word):
        latin: str = _cyrillic_to_latin().transliterate(word)
        return re.sub(r"[^a-z]", "", latin)
    # German tsch = ч and sch = ш never occur in Polish or English spellings: set them aside.
    word = word.replace("tsch", "\x00").replace("sch", "\x01")
    if _POLISH_MARKS.search(word) or (_LONE_C.search(word) and _SLAVIC_ENDING.search(word)):
        word = "".join(_POLISH_LETTERS.get(char, char) for char in word)
        word = _undo_polish(word).replace("w", "v")
    elif _FRENCH.search(word):
        word = _undo_french(word)
    elif _GERMAN.search(word):
        word = _undo_german(word)
    word = word.replace("\x00", "ch").replace("\x01", "sh")
    word = "".join(_LATIN_LETTERS.get(char, char) for char in word)
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    # English and general conventions: w (BGN's ў) = в, j = й, x = кс.
    plain = plain.replace("w", "v").replace("j", "y").replace("x", "ks")
    return re.sub(r"[^a-z]", "", plain)


_SKELETON_STEPS: tuple[tuple[str, str], ...] = (
    (r"tch", "ch"),
    (r"shch|sch|shtsh", "S"),
    (r"zh|zs", "Z"),
    (r"sh", "S"),
    (r"ch", "C"),
    (r"kh|gh|h|g", "G"),
    (r"dz", "d"),  # дзеканне, and дз for д (Дзмітрый / Дмитрий)
    (r"ts|tz", "t"),  # цеканне (Ціханоўская / Тихановская); ц and т merge
    (r"x", "ks"),
    (r"z", "s"),  # з and с: voicing is the commonest slip across schemes (Kusnezow)
    (r"ck|q|c", "k"),
    (r"ph", "f"),
    (r"th", "t"),
    (r"w", "v"),
    (r"j", "y"),
    # ў: a v, or a u after a vowel, that closes a syllable is one sound, kept as w
    # (Kavaliou = Kovalev = kvlw, Tsikhanouskaya = Tikhanovskaya), distinct from no v (Makei).
    (r"v(?![aeiouy])", "w"),
    (r"(?<=[aeo])u(?![aeiouy])", "w"),
    (r"^u(?![aeiouy])", "w"),  # Уладзімір / Владимир: initial у before a consonant
)
_COMPILED_STEPS = tuple((re.compile(p), r) for p, r in _SKELETON_STEPS)


def _merged(latin: str) -> str:
    word = latin
    for pattern, replacement in _COMPILED_STEPS:
        word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=200_000)
def skeleton(latin: str) -> str:
    """Consonants of a reading after merging what schemes and languages spell differently."""
    consonants = re.sub(r"[aeiouy]", "", _merged(latin))
    return re.sub(r"(.)\1+", r"\1", consonants)


@lru_cache(maxsize=200_000)
def vowel_frame(latin: str) -> str:
    """The merged reading with its vowels folded: я → ia, ю → iu, ё and е → e, и and ы → i.

    ё is often written е, so both fold to e; doubled letters collapse (Natallia / Natalia).
    """
    word = _merged(latin)
    # я and ю keep their i whatever the scheme writes (ya, ia, ja): Витя is not Вита, Яна
    # is not Анна
    word = re.sub(r"[iy]a", "ia", word)
    word = re.sub(r"[iy]u", "iu", word)
    word = re.sub(r"[iy]o", "e", word)  # ё, often written е
    word = re.sub(r"[iy]e", "e", word)
    word = re.sub(r"y", "i", word)
    return re.sub(r"(.)\1+", r"\1", word)


_BELARUSIAN_CYRILLIC = re.compile(r"[іўІЎ’ʼ]|(?<=[бвгджзклмнпрстфхцчш])[эЭ]|дз|ДЗ|Дз")
_BELARUSIAN_LATIN = re.compile(r"[bcdfghklmnprstvz](?:ia|iu)|[aeo]u(?:$|[^aeiouy])|^ya[u]|ŭ|ł")


@lru_cache(maxsize=200_000)  # a registry repeats its surnames; linking asks again per batch
def looks_belarusian(text: str) -> bool:
    """True when a word is written in a Belarusian form (Сяргей, Siarhei, Kavaliou, Łukašenka).

    Belarusian spells unstressed vowels as they sound (akanne: Кавалёў, Цапкала), so vowel
    differences against such a form are expected, not evidence of another name.
    """
    if has_cyrillic(text):
        return _BELARUSIAN_CYRILLIC.search(text) is not None
    return _BELARUSIAN_LATIN.search(text.lower()) is not None
