"""Belarusian, Russian and English words that name the same thing: Чыгуначная = Железнодорожная,
дзяржаўны = государственный, каледж = колледж = college, ТДА = ОДО.

Transliteration cannot join these; translation can. The pairs come from the general dictionary
in `bonafide.reference` (`data/words.csv`: the words institutions, employers, positions,
programmes and addresses are made of, and the legal forms) and from the real names, in both
languages, of the streets and settlements in `bonafide.places`: where a name has as many words
in both languages, its words pair up in order. Nothing is read from the synthetic population's
vocabulary (`bonafide.synth`).

Two levels:

- `canonical_word(skeleton)`: a Belarusian word's consonant skeleton → the Russian one's.
- `concepts(words)`: the words of a text → what each stands for, phrases (средняя школа, СШ,
  secondary school; общество с ограниченной ответственностью) read as one, with the legal forms
  and fillers marked. A concept is a set of keys: two words mean the same when their sets meet.
  Keys survive Latin typed without diacritics (c for č and ц, s for š, z for ž, u for ŭ) and a
  genitive ending (Лидского = Лидский).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from bonafide.names import reading, skeleton
from bonafide.reference.words import Entry, entries

__all__ = ["Concept", "canonical_word", "concepts", "fold", "word_keys"]

_PLACE_SOURCES = (
    ("data/streets.csv", "ru", "be"),
    ("data/settlements.csv", "ru", "be"),
    ("data/street_renamings.csv", "old_ru", "old_be"),
    ("data/street_renamings.csv", "new_ru", "new_be"),
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_APOSTROPHES = re.compile("[’ʼ'`ʹ]")
# Latin typed without diacritics: č → c, š → s, ž → z (ц, т and ч; с and ш; з and ж merge)
_FOLD = str.maketrans({"S": "s", "Z": "s", "C": "t"})
# a genitive adjective ending (Лидского, Лідскага) that the skeleton would keep as a consonant
_GENITIVE = re.compile(r"(?:o|e|a|ia|ya)g[oa]$")
_LONE_C = re.compile(r"c(?![hz])")
_REPEATED = re.compile(r"([ts])\1+")  # the letters the fold merges ч, ц, ш, ж into
_U_AFTER_VOWEL = re.compile(r"([aeiouy])u")
_VOWELS_ONLY = re.compile(r"[^aeiou]")


def _skeletons(text: str) -> list[str]:
    return [skeleton(reading(w)) for w in _WORD.findall(_APOSTROPHES.sub("", text.lower()))]


def _pairs() -> list[tuple[str, str]]:
    """(Russian, Belarusian) names from the places data and the dictionary."""
    found: list[tuple[str, str]] = []
    for name, russian, belarusian in _PLACE_SOURCES:
        text = resources.files("bonafide.places").joinpath(name).read_text("utf-8")
        rows = csv.DictReader(text.splitlines())
        found.extend((row[russian] or "", row[belarusian] or "") for row in rows)
    for entry in entries():
        found.extend((entry.name, be) for be in entry.belarusian if not _is_abbreviation(be))
    return found


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for ru_text, be_text in _pairs():
        ru, be = _skeletons(ru_text), _skeletons(be_text)
        if len(ru) != len(be):
            continue
        for r, b in zip(ru, be, strict=True):
            if r and b and r != b:
                table.setdefault(b, r)
    return table


def canonical_word(word_skeleton: str) -> str:
    """The Russian skeleton for a Belarusian word's skeleton; any other word as it is."""
    return _table().get(word_skeleton, word_skeleton)


def fold(word_skeleton: str) -> str:
    """A skeleton with ч, ц and т; ш and с; ж and з merged, as Latin without diacritics does."""
    return word_skeleton.translate(_FOLD)


@cache
def _folded_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for belarusian, russian in _table().items():
        table.setdefault(_squeezed(fold(belarusian)), _squeezed(fold(russian)))
    return table


def _ascii_variants(latin: str) -> set[str]:
    """A reading and the ways it is typed without diacritics (ЧУП: chup, cup)."""
    bare = latin.replace("shch", "s").replace("sh", "s").replace("zh", "z").replace("ch", "c")
    return {latin, bare, bare.replace("ts", "c"), latin.replace("w", "u"), bare.replace("w", "u")}


def _with_stem(key: str) -> tuple[str, ...]:
    """A key, and for an adjective made of a place name (Гомельский, Брестский) the key of the
    place (Gomel, Brest), which English names use instead."""
    if key.endswith("sk") and len(key) >= 4 and not key.startswith("="):
        return (key, key[:-2])
    return (key,)


@lru_cache(maxsize=200_000)
def word_keys(word: str) -> tuple[str, ...]:
    """The keys of one word (lower case, no apostrophes): "=" and its reading (for English
    words and abbreviations), then its folded skeletons, Belarusian mapped to Russian."""
    if word.isdigit():
        return (word,)
    latin = reading(word)
    keys = ["=" + latin]
    variants = [latin]
    if _GENITIVE.search(latin) and len(latin) >= 6:
        variants.append(_GENITIVE.sub("", latin))
    if word.isascii():
        # the national romanisation typed without diacritics, read letter for letter: the
        # reading's German and Polish guesses (z as ts, rz) do not apply to it
        plain = word.replace("j", "y")
        variants.append(plain)
        if "ch" in plain:
            variants.append(plain.replace("ch", "kh"))  # the national romanisation's ch is х
        if _U_AFTER_VOWEL.search(plain):
            variants.append(_U_AFTER_VOWEL.sub(r"\1w", plain))  # u for ŭ after a vowel
        if _LONE_C.search(word):
            variants.append(reading(_LONE_C.sub("ts", word)))  # c for č or ц
            variants.append(_LONE_C.sub("ts", plain))
            variants.append(_LONE_C.sub("ch", plain))  # c for č (Micurynskaja: Мічурынская)
            if "sc" in plain:  # šč typed as sc (Kalodziscy: Калодзішчы)
                variants.append(_LONE_C.sub("ts", plain.replace("sc", "shch")))
    if "ў" in word:
        variants.append(reading(word.replace("ў", "у")))  # ŭ typed as u
    table = _folded_table()
    if word.isascii() and "j" in word and _LONE_C.search(word):
        # j and a lone c: the national romanisation for certain, where c is never k
        # (Micurynskaja read as mikurynskaya would meet микрорайон)
        variants = [v for v in variants if not _LONE_C.search(v)]
    for variant in variants:
        key = _squeezed(fold(skeleton(variant)))
        if len(key) <= 1:  # a word of vowels (Іўе, Iuje): its vowels are all there is
            key = "~" + _VOWELS_ONLY.sub("", variant.replace("w", "u"))
        for found in (*_with_stem(key), *_with_stem(table.get(key, key))):
            if found and found != "~" and found not in keys:
                keys.append(found)
    return tuple(keys)


def _squeezed(key: str) -> str:
    """A key without a consonant repeated in a row: ч and ц fold into one letter (Речица,
    Recyca: rtt and rt are one key)."""
    return _REPEATED.sub(r"\1", key)


@dataclass(frozen=True)
class Concept:
    """What one word or phrase of a text stands for."""

    reading: str  # the Latin reading of the words it was read from ("" for a phrase's later parts)
    keys: frozenset[str]
    kind: str  # "word", "form" (ООО, ГУО) or "filler" (№, of, имени)

    @property
    def key(self) -> str:
        """One key to show and sort by: a skeleton where there is one."""
        skeletons = [k for k in self.keys if not k.startswith("=")]
        return min(skeletons) if skeletons else min(self.keys, default="")


@dataclass(frozen=True)
class _Phrase:
    keys: tuple[frozenset[str], ...]  # each word's possible keys
    concepts: tuple[str, ...]
    kind: str
    plain: tuple[str, ...]  # each word's skeleton, not folded (to prefer a match with diacritics)


def _is_abbreviation(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and (form.isupper() or "/" in form)


def _form_keys(form: str, english: bool) -> tuple[frozenset[str], ...]:
    words = _TOKEN.findall(_APOSTROPHES.sub("", form.lower()))
    exact = english or _is_abbreviation(form)
    found = []
    for word in words:
        if word.isdigit():
            found.append(frozenset({word}))
            continue
        latin = reading(word)
        if exact or len(word) <= 3 or not fold(skeleton(latin)):
            found.append(frozenset("=" + v for v in _ascii_variants(latin)))
        else:
            key = fold(skeleton(latin))
            found.append(frozenset({key, _folded_table().get(key, key)}))
    return tuple(found)


def _plain(word: str) -> str:
    return word if word.isdigit() else skeleton(reading(word))


def _concept_keys(entry: Entry) -> tuple[str, ...]:
    return tuple(
        w if w.isdigit() else (fold(skeleton(reading(w))) or "=" + reading(w))
        for w in _TOKEN.findall(_APOSTROPHES.sub("", entry.name.lower()))
    )


@cache
def _phrases() -> dict[str, list[_Phrase]]:
    """Phrases by any key of their first word, longest first."""
    by_first: dict[str, list[_Phrase]] = {}
    for entry in entries():
        concept = _concept_keys(entry) if entry.kind == "word" else ()
        forms = [(f, False) for f in (*entry.russian, *entry.belarusian)]
        forms += [(f, True) for f in entry.english]
        if len(concept) > 1 and any(len(_TOKEN.findall(f)) == 1 for f, _ in forms):
            # one thing, whatever the number of words (железная дорога = чыгунка = railway)
            concept = (" ".join(concept),)
        for form, english in forms:
            keys = _form_keys(form, english)
            if not keys:
                continue
            plain = tuple(_plain(w) for w in _TOKEN.findall(_APOSTROPHES.sub("", form.lower())))
            phrase = _Phrase(keys, concept, entry.kind, plain)
            for key in keys[0]:
                by_first.setdefault(key, []).append(phrase)
    for phrases in by_first.values():
        phrases.sort(key=lambda p: -len(p.keys))
    return by_first


@lru_cache(maxsize=200_000)
def _matching_keys(word: str) -> tuple[str, ...]:
    """The keys a word is looked up in the dictionary by. A Latin word with a lone c is the
    national romanisation (c is ц or č), so the English reading of c as k, which would meet
    other words' skeletons (vulica as vialiki), is not used."""
    keys = word_keys(word)
    if not (word.isascii() and _LONE_C.search(word)):
        return keys
    english = {
        _squeezed(fold(skeleton(reading(word)))),
        _squeezed(fold(skeleton(word.replace("j", "y")))),
    }
    return tuple(k for k in keys if k not in english or k.startswith("="))


def _match(words: tuple[str, ...], start: int) -> list[_Phrase]:
    """The longest phrases of the dictionary that begin at `start` (several if ambiguous).
    A word read exactly (an English word, an abbreviation) is looked up before its skeleton,
    so that "state" is not taken for a Slavic word with the same consonants."""
    keys = _matching_keys(words[start])
    exact = [k for k in keys if k.startswith("=")]
    for group in (exact, [k for k in keys if not k.startswith("=")]):
        found = _longest(words, start, group)
        if found:
            return found
    return []


def _longest(words: tuple[str, ...], start: int, first_keys: list[str]) -> list[_Phrase]:
    found: list[_Phrase] = []
    phrases = _phrases()
    for key in first_keys:
        for phrase in phrases.get(key, ()):
            n = len(phrase.keys)
            if found and n < len(found[0].keys):
                break
            if start + n > len(words):
                continue
            if n == 1 and abs(len(_plain(words[start])) - len(phrase.plain[0])) > 1:
                continue  # one skeleton squeezed into another's (микрорайон, Мічурынская)
            if all(phrase.keys[j] & set(word_keys(words[start + j])) for j in range(1, n)):
                if found and n > len(found[0].keys):
                    found = []
                found.append(phrase)
    # чыгунка is not техник, though without diacritics (cyhunka) it could be
    plain = tuple(_plain(w) for w in words[start : start + len(found[0].keys)]) if found else ()
    exact = [p for p in found if p.plain == plain]
    return exact or found


@lru_cache(maxsize=100_000)
def concepts(words: tuple[str, ...]) -> tuple[Concept, ...]:
    """What the words of a text (lower case, no apostrophes) stand for, in order."""
    result: list[Concept] = []
    i = 0
    while i < len(words):
        found = _match(words, i)
        if not found:
            word = words[i]
            shown = word if word.isdigit() else reading(word)
            result.append(Concept(shown, frozenset(word_keys(word)), "word"))
            i += 1
            continue
        n = len(found[0].keys)
        shown = " ".join(reading(w) for w in words[i : i + n])
        kinds = {p.kind for p in found}
        kind = "word" if "word" in kinds else min(kinds)
        named = [p.concepts for p in found if p.kind == "word"]
        if kind != "word" or not named:
            result.append(Concept(shown, frozenset(), kind))
        else:
            length = min(len(c) for c in named)
            for j in range(length):
                keys = frozenset(k for c in named if len(c) == length for k in _with_stem(c[j]))
                if n == 1 and length == 1:
                    # the word keeps its own keys too: a dictionary word met through one of
                    # its readings (село in Zaslauje read the German way) must not hide it
                    keys |= frozenset(word_keys(words[i]))
                result.append(Concept(shown if j == 0 else "", keys, "word"))
        i += n
    return tuple(result)
