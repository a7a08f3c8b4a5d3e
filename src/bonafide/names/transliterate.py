"""Cyrillic → Latin transliteration schemes, built on ICU transforms.

`passport` is the ASCII form printed in Belarusian passports (Aliaksandr Lukashenka, Siarhei,
Tsikhanouskaya), written here as ICU rules because ICU has no such transform. `bgn_ru` and
`bgn_be` are ICU's BGN/PCGN transforms folded to ASCII (Aleksandr Lukashenko), the spelling
English-language sources usually use. `iso9` is ICU's ISO 9 transform with its diacritics.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

import icu

__all__ = ["Scheme", "transliterate"]

_PASSPORT_RULES = r"""
:: NFC ;
:: Lower ;
$V = [aeiouy] ;
$S = [ь’ʼ'ъ] ;
$B = [^[:L:]] ;
ый } $B > y ; ый $ > y ; ий } $B > y ; ий $ > y ;
дз > dz ; дж > dzh ;
$V { я > ya ; $S я > ya ; $B { я > ya ; ^ { я > ya ; я > ia ;
$V { ю > yu ; $S ю > yu ; $B { ю > yu ; ^ { ю > yu ; ю > iu ;
$V { ё > yo ; $S ё > yo ; $B { ё > yo ; ^ { ё > yo ; ё > io ;
$V { е > ye ; $S е > ye ; $B { е > ye ; ^ { е > ye ; е > e ;
а > a ; б > b ; в > v ; г > h ; ґ > g ; д > d ; ж > zh ; з > z ; і > i ; и > i ; й > i ;
к > k ; л > l ; м > m ; н > n ; о > o ; п > p ; р > r ; с > s ; т > t ; у > u ; ў > u ;
ф > f ; х > kh ; ц > ts ; ч > ch ; ш > sh ; щ > shch ; ы > y ; э > e ;
ь > ; ъ > ; ’ > ; ʼ > ;
"""


class Scheme(StrEnum):
    PASSPORT = "passport"
    BGN_RU = "bgn_ru"
    BGN_BE = "bgn_be"
    ISO9 = "iso9"


@cache
def _transliterator(scheme: Scheme) -> icu.Transliterator:
    if scheme is Scheme.PASSPORT:
        return icu.Transliterator.createFromRules(
            "bonafide-be-passport", _PASSPORT_RULES, icu.UTransDirection.FORWARD
        )
    ids = {
        Scheme.BGN_RU: "Russian-Latin/BGN; Latin-ASCII; [ʹʺ'’·] Remove",
        Scheme.BGN_BE: "Belarusian-Latin/BGN; Latin-ASCII; [ʹʺ'’·] Remove",
        Scheme.ISO9: "Cyrillic-Latin",
    }
    return icu.Transliterator.createInstance(ids[scheme])


def transliterate(text: str, scheme: Scheme) -> str:
    """`text` in Latin letters by `scheme`, each word capitalised as names are."""
    latin: str = _transliterator(scheme).transliterate(text)
    if scheme is Scheme.PASSPORT:
        return " ".join("-".join(p.capitalize() for p in w.split("-")) for w in latin.split(" "))
    return latin
