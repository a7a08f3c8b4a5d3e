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

__all__ = ["Scheme", "cyrillic_rules", "transliterate"]

# Cyrillic (Belarusian and Russian) to Latin as ICU rules. Iotated vowels are ya/yu/yo/ye at
# the start of a word, after a vowel or a soft sign, and ia/iu/io/e after a consonant. The
# letters that differ between the passport form and bonafide's readings (`names.latin`) are
# filled in by `cyrillic_rules`: г, й, ў, and the passport's final -ый / -ий as y.
_CYRILLIC_TEMPLATE = r"""
:: NFC ;
:: Lower ;
$V = [aeiouy] ;
$S = [ь’ʼ\'ъ] ;
$B = [^[:L:]] ;
<ENDINGS>
дз > dz ; дж > dzh ;
$V { я > ya ; $S я > ya ; $B { я > ya ; ^ { я > ya ; я > ia ;
$V { ю > yu ; $S ю > yu ; $B { ю > yu ; ^ { ю > yu ; ю > iu ;
$V { ё > yo ; $S ё > yo ; $B { ё > yo ; ^ { ё > yo ; ё > io ;
$V { е > ye ; $S е > ye ; $B { е > ye ; ^ { е > ye ; е > e ;
а > a ; б > b ; в > v ; г > <G> ; ґ > g ; д > d ; ж > zh ; з > z ; і > i ; и > i ; й > <J> ;
к > k ; л > l ; м > m ; н > n ; о > o ; п > p ; р > r ; с > s ; т > t ; у > u ; ў > <W> ;
ф > f ; х > kh ; ц > ts ; ч > ch ; ш > sh ; щ > shch ; ы > y ; э > e ;
ь > ; ъ > ; ’ > ; ʼ > ; \' > ;
"""
_ADJECTIVE_ENDINGS = "ый } $B > y ; ый $ > y ; ий } $B > y ; ий $ > y ;"


def cyrillic_rules(g: str, short_i: str, short_u: str, adjective_endings: bool) -> str:
    """The ICU rules for Cyrillic → Latin with г, й and ў written as given."""
    rules = _CYRILLIC_TEMPLATE.replace("<G>", g).replace("<J>", short_i).replace("<W>", short_u)
    return rules.replace("<ENDINGS>", _ADJECTIVE_ENDINGS if adjective_endings else "")


class Scheme(StrEnum):
    PASSPORT = "passport"
    BGN_RU = "bgn_ru"
    BGN_BE = "bgn_be"
    ISO9 = "iso9"


@cache
def _transliterator(scheme: Scheme) -> icu.Transliterator:
    if scheme is Scheme.PASSPORT:
        rules = cyrillic_rules(g="h", short_i="i", short_u="u", adjective_endings=True)
        return icu.Transliterator.createFromRules(
            "bonafide-be-passport", rules, icu.UTransDirection.FORWARD
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
