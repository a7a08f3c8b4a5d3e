"""How genuine applicants write places and organisations in their own way.

The generator's own rules, shared with no matcher: the Belarusian national romanisation typed on
a keyboard without diacritics ("vulica Soniecnaja", "praspiekt Miru"), and the Belarusian forms
of organisations ("ТАА «Лидер»" for "ООО «Лидер»").
"""

from __future__ import annotations

from functools import cache

from bonafide.synth.tables import load_tables

__all__ = ["belarusian_form", "romanise_plain"]

# The national romanisation of Belarusian (2007) with its diacritics dropped, as typed on a plain
# Latin keyboard: č š ž ŭ → c s z u, and the soft sign's acute accent left out.
_LETTERS = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "ж": "z",
    "з": "z",
    "і": "i",
    "и": "i",
    "й": "j",
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
    "х": "ch",
    "ц": "c",
    "ч": "c",
    "ш": "s",
    "щ": "sc",
    "ы": "y",
    "ь": "",
    "ъ": "",
    "э": "e",
    "'": "",
    "’": "",
}
# Iotated vowels: "j" + vowel at the start of a word and after a vowel, ў, an apostrophe or a
# soft sign; "i" + vowel after a consonant.
_IOTATED = {"е": "e", "ё": "o", "ю": "u", "я": "a"}
_AFTER_WHICH_J = set("аеёіиоуыэюяў'’ь")


def romanise_plain(text: str) -> str:
    """Belarusian Cyrillic in the national romanisation, typed without diacritics."""
    out: list[str] = []
    previous = ""
    for char in text:
        lower = char.lower()
        if lower in _IOTATED:
            vowel = _IOTATED[lower]
            glide = "j" if not previous.isalpha() or previous in _AFTER_WHICH_J else "i"
            latin = glide + vowel
        elif lower in _LETTERS:
            latin = _LETTERS[lower]
        else:
            latin = char
        if char != lower and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
        previous = lower
    return "".join(out)


# Forms of large organisations beyond the small-firm forms of data/company_forms.csv.
_MORE_FORMS = {"УЗ": "УАЗ", "ГУ": "ДУ", "ГП": "ДП", "СПК": "СВК", "РУП": "РУП", "СП": "СП"}


@cache
def _forms() -> dict[str, str]:
    forms = load_tables().company_forms
    return {**_MORE_FORMS, **dict(zip(forms.text("ru"), forms.text("be"), strict=True))}


def belarusian_form(employer: str) -> str:
    """`employer` with its Russian legal form (ООО, ОАО …) written in Belarusian (ТАА, ААТ …)."""
    form, space, rest = employer.partition(" ")
    belarusian = _forms().get(form)
    return f"{belarusian}{space}{rest}" if belarusian and space else employer
