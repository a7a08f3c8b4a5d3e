"""How genuine applicants write places and organisations in their own way.

The generator's own rules, shared with no matcher: the Belarusian national romanisation typed on
a keyboard without diacritics ("vulica Soniecnaja", "praspiekt Miru"; the łacinka habit of
`spelling.py`), and the Belarusian forms of organisations ("ТАА «Лидер»" for "ООО «Лидер»").
"""

from __future__ import annotations

from functools import cache

from bonafide.synth.spelling import romanise_plain
from bonafide.synth.tables import load_tables

__all__ = ["belarusian_form", "romanise_plain"]

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
