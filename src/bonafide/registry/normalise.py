"""How each field type is normalised on import, as DuckDB SQL built by pure functions.

`field_sql` turns one canonical field and the SQL expression of its source text into layers of
computed columns (see `sql.layered_select`): the normalised value `F`, its companions
(`F_script` for names, `F_precision` for dates) and `F__problem`, which is NULL or a sentence
saying why a non-empty value could not be used. Empty text is missing, not a problem.

The expressions avoid expensive functions on the common path: NFC normalisation, whitespace
collapsing and the slower date parsers run only on values that need them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bonafide.registry.schema import Field, FieldType
from bonafide.registry.sql import Column, ident, literal

__all__ = [
    "DATE_FORMATS_TEXT",
    "MAX_YEAR",
    "MIN_YEAR",
    "SEX_VALUES",
    "FieldSql",
    "date_precision",
    "field_sql",
    "value_columns",
]

MIN_YEAR = 1900
MAX_YEAR = 2100

DATE_FORMATS_TEXT = (
    "YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY, DD-MM-YYYY, YYYYMMDD, YYYY.MM.DD, "
    "YYYY-MM-DDThh:mm[:ss], MM.YYYY, YYYY-MM or YYYY"
)

# Built-in sex values, compared with the trimmed, lower-cased text. A mapping's [values.sex]
# table adds to these and wins over them.
SEX_VALUES: Mapping[str, str] = {
    **dict.fromkeys(
        ("м", "м.", "муж", "муж.", "мужской", "мужчына", "мужчынскі", "m", "male", "man"), "m"
    ),
    **dict.fromkeys(
        ("ж", "ж.", "жен", "жен.", "женский", "жанчына", "жаночы", "f", "female", "woman"), "f"
    ),
}

# Characters whose presence means NFC might change the string (NFC quick-check "No" or "Maybe"
# in the ranges that occur in names): combining marks, a few singletons, Hangul jamo and CJK
# compatibility ideographs. Strings without them are already NFC and skip `nfc_normalize`.
_NFC_MAYBE = (
    r"[\p{M}\x{0340}\x{0341}\x{0343}\x{0344}\x{0374}\x{037E}\x{0387}\x{1F71}-\x{1FFD}"
    r"\x{2000}\x{2001}\x{2126}\x{212A}\x{212B}\x{2329}\x{232A}\x{1100}-\x{11FF}"
    r"\x{F900}-\x{FAFF}\x{2F800}-\x{2FA1D}]"
)
_SPACE_CHARS = (
    r"\t\n\v\f\r \x{A0}\x{1680}\x{2000}-\x{200B}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}"
)
# Whitespace other than single spaces: a value with none of it only needs trimming.
_IRREGULAR_SPACE = rf"[{_SPACE_CHARS.replace(' ', '')}]| {{2}}"
_SPACE_RUN = rf"[{_SPACE_CHARS}]+"
_DOCUMENT_SEPARATORS = " -\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_LATIN = r"\p{Latin}"
_CYRILLIC = r"\p{Cyrillic}"
# Letters only Belarusian uses, and the apostrophe it writes where Russian writes ъ.
_BELARUSIAN = "[іўІЎ’ʼ']"
_RUSSIAN = "[иИщЩъЪ]"
_YEAR = r"\d{4}(\.0+)?"
_EIGHT_DIGITS = r"\d{8}"
_FOUR_DIGITS = r"\d{4}"
_ISO_DATETIME = r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}.*"
_DMY = r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})"
_DMY_LOOSE = r"\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}-\d{1,2}-\d{4}"
_YMD = r"(\d{4})[.-](\d{1,2})[.-](\d{1,2})"
_YMD_LOOSE = r"\d{4}-\d{1,2}-\d{1,2}|\d{4}\.\d{1,2}\.\d{1,2}"
_MY = r"(\d{1,2})\.(\d{4})"
_MY_LOOSE = r"\d{1,2}\.\d{4}"
_YM_LOOSE = r"\d{4}-\d{1,2}"


@dataclass(frozen=True)
class FieldSql:
    """The SQL that normalises one field.

    `layers[i]` may use the source and the columns of `layers[:i]`. `stored` are the columns to
    keep; `problem` is the column with NULL or the reason a non-empty value was not usable.
    """

    name: str
    layers: tuple[tuple[Column, ...], ...]
    stored: tuple[str, ...]
    problem: str | None


def value_columns(field: Field) -> tuple[tuple[str, str], ...]:
    """The stored columns of a field with their SQL types: the value, then its companions."""
    name = field.name
    if field.type is FieldType.NAME:
        return ((name, "VARCHAR"), (f"{name}_script", "VARCHAR"))
    if field.type is FieldType.DATE:
        return ((name, "DATE"), (f"{name}_precision", "VARCHAR"))
    if field.type is FieldType.YEAR:
        return ((name, "INTEGER"),)
    return ((name, "VARCHAR"),)


def field_sql(
    field: Field,
    source: str,
    *,
    date_formats: Sequence[str] = (),
    sex_values: Mapping[str, str] | None = None,
) -> FieldSql:
    """The SQL normalising `field` from the text expression `source`.

    `date_formats` replace the accepted date formats (strptime syntax) for a date field;
    `sex_values` add value mappings (lower-case source text -> 'm' | 'f') for a sex field.
    """
    name = field.name
    text = f"{name}__t"
    if field.type in (FieldType.NAME, FieldType.TEXT):
        nfc = f"{name}__nfc"
        clean: tuple[tuple[Column, ...], ...] = (
            ((nfc, _nfc(source)),),
            ((text, _clean(ident(nfc))),),
        )
    else:
        clean = (((text, _clean(source)),),)
    typed = _TYPED[field.type](field, ident(text), tuple(date_formats), dict(sex_values or {}))
    problem = f"{name}__problem" if typed.has_problem else None
    return FieldSql(name, clean + typed.layers, typed.stored, problem)


def date_precision(strptime_format: str) -> str:
    """The precision a strptime format gives: 'day', 'month' or 'year'."""
    if any(code in strptime_format for code in ("%d", "%-d", "%j", "%-j")):
        return "day"
    if any(code in strptime_format for code in ("%m", "%-m", "%b", "%B")):
        return "month"
    return "year"


@dataclass(frozen=True)
class _Typed:
    layers: tuple[tuple[Column, ...], ...]
    stored: tuple[str, ...]
    has_problem: bool


def _nfc(source: str) -> str:
    return (
        f"CASE WHEN regexp_matches({source}, {literal(_NFC_MAYBE)}) "
        f"THEN nfc_normalize({source}) ELSE {source} END"
    )


def _clean(source: str) -> str:
    """Whitespace runs collapsed to one space, trimmed; NULL if nothing is left."""
    collapsed = (
        f"CASE WHEN regexp_matches({source}, {literal(_IRREGULAR_SPACE)}) "
        f"THEN regexp_replace({source}, {literal(_SPACE_RUN)}, ' ', 'g') ELSE {source} END"
    )
    return f"nullif(trim({collapsed}), '')"


def _name(field: Field, text: str, *_: object) -> _Typed:
    script = field.name + "_script"
    return _Typed(
        ((((field.name, f"lower({text})"), (script, _script(text))),)),
        (field.name, script),
        has_problem=False,
    )


def _script(text: str) -> str:
    """be | ru | cyrl | latn | mixed: the script of a name, from the letters it uses."""

    def has(pattern: str) -> str:
        return f"regexp_matches({text}, {literal(pattern)})"

    latin, cyrillic = has(_LATIN), has(_CYRILLIC)
    return (
        f"CASE WHEN {text} IS NULL THEN NULL"
        f" WHEN {latin} AND {cyrillic} THEN 'mixed'"
        f" WHEN {cyrillic} THEN CASE WHEN {has(_BELARUSIAN)} THEN 'be'"
        f" WHEN {has(_RUSSIAN)} THEN 'ru' ELSE 'cyrl' END"
        f" WHEN {latin} THEN 'latn'"
        " ELSE 'mixed' END"
    )


def _text(field: Field, text: str, *_: object) -> _Typed:
    return _Typed((((field.name, f"lower({text})"),),), (field.name,), has_problem=False)


def _id(field: Field, text: str, *_: object) -> _Typed:
    return _Typed((((field.name, text),),), (field.name,), has_problem=False)


def _document(field: Field, text: str, *_: object) -> _Typed:
    value = f"nullif(upper(translate({text}, {literal(_DOCUMENT_SEPARATORS)}, '')), '')"
    return _Typed((((field.name, value),),), (field.name,), has_problem=False)


def _sex(field: Field, text: str, _formats: tuple[str, ...], extra: dict[str, str]) -> _Typed:
    values = {**SEX_VALUES, **extra}
    whens = " ".join(
        f"WHEN {literal(source)} THEN {literal(code)}" for source, code in values.items()
    )
    value = f"CASE lower({text}) {whens} END"
    reason = literal(
        f"{field.name}: not a recognised sex; expected м/ж, m/f, male/female"
        f" (or add the value under [values.{field.name}] in the mapping)"
    )
    problem = f"CASE WHEN {text} IS NOT NULL AND {ident(field.name)} IS NULL THEN {reason} END"
    return _Typed(
        (((field.name, value),), ((f"{field.name}__problem", problem),)),
        (field.name,),
        has_problem=True,
    )


def _year(field: Field, text: str, *_: object) -> _Typed:
    parsed = f"{field.name}__y"
    year = ident(parsed)
    in_range = f"{year} BETWEEN {MIN_YEAR} AND {MAX_YEAR}"
    # the field and the problem, never the value (it is in the sealed reject's row)
    problem = (
        f"CASE WHEN {text} IS NULL OR {in_range} THEN NULL"
        f" WHEN {year} IS NULL THEN {literal(field.name + ': not a year; expected YYYY')}"
        f" ELSE {literal(f'{field.name}: outside {MIN_YEAR}–{MAX_YEAR}')} END"
    )
    return _Typed(
        (
            (
                (
                    parsed,
                    f"CASE WHEN regexp_full_match({text}, {literal(_YEAR)}) "
                    f"THEN CAST(left({text}, 4) AS INTEGER) END",
                ),
            ),
            (
                (field.name, f"CASE WHEN {in_range} THEN {year} END"),
                (f"{field.name}__problem", problem),
            ),
        ),
        (field.name,),
        has_problem=True,
    )


def _date(field: Field, text: str, formats: tuple[str, ...], _extra: dict[str, str]) -> _Typed:
    name = field.name
    candidate, parsed = f"{name}__c", f"{name}__d"
    date = ident(parsed)
    in_range = f"{date} BETWEEN DATE '{MIN_YEAR}-01-01' AND DATE '{MAX_YEAR}-12-31'"
    expected = " or ".join(formats) if formats else DATE_FORMATS_TEXT
    if formats:
        expected += " (as set in [date_formats] of the mapping)"
    # the field and the problem, never the value (it is in the sealed reject's row)
    problem = (
        f"CASE WHEN {text} IS NULL OR {in_range} THEN NULL"
        f" WHEN {date} IS NULL THEN {literal(f'{name}: not a date; expected {expected}')}"
        f" ELSE {literal(f'{name}: outside {MIN_YEAR}–{MAX_YEAR}')} END"
    )
    precision = (
        f"CASE WHEN {in_range} THEN CASE left({ident(candidate)}, 1)"
        " WHEN 'D' THEN 'day' WHEN 'M' THEN 'month' ELSE 'year' END END"
    )
    shape = _explicit_date_candidate(text, formats) if formats else _date_candidate(text)
    return _Typed(
        (
            ((candidate, shape),),
            ((parsed, f"TRY_CAST(substr({ident(candidate)}, 2) AS DATE)"),),
            (
                (name, f"CASE WHEN {in_range} THEN {date} END"),
                (f"{name}_precision", precision),
                (f"{name}__problem", problem),
            ),
        ),
        (name, f"{name}_precision"),
        has_problem=True,
    )


def _date_candidate(t: str) -> str:
    """An ISO date text prefixed by its precision (D, M or Y), from the accepted formats.

    Fixed-width shapes are recognised with LIKE and rearranged with substr; only unpadded or
    unusual values reach a regular expression. TRY_CAST to DATE then checks the calendar.
    """

    def part(start: int, length: int) -> str:
        return f"substr({t}, {start}, {length})"

    def ymd(year: str, month: str, day: str) -> str:
        return f"'D' || {year} || '-' || {month} || '-' || {day}"

    def matches(pattern: str) -> str:
        return f"regexp_full_match({t}, {literal(pattern)})"

    def groups(pattern: str, names: str) -> str:
        return f"regexp_extract({t}, {literal(pattern)}, {names})"

    dmy = groups(_DMY, "['d', 'm', 'y']")
    ymd_loose = groups(_YMD, "['y', 'm', 'd']")
    my = groups(_MY, "['m', 'y']")
    return (
        "CASE"
        f" WHEN {t} LIKE '____-__-__' THEN 'D' || {t}"
        f" WHEN {t} LIKE '__.__.____' OR {t} LIKE '__/__/____' OR {t} LIKE '__-__-____'"
        f" THEN {ymd(part(7, 4), part(4, 2), part(1, 2))}"
        f" WHEN {t} LIKE '____.__.__' THEN {ymd(part(1, 4), part(6, 2), part(9, 2))}"
        f" WHEN length({t}) = 8 AND {matches(_EIGHT_DIGITS)}"
        f" THEN {ymd(part(1, 4), part(5, 2), part(7, 2))}"
        f" WHEN {matches(_ISO_DATETIME)} THEN 'D' || left({t}, 10)"
        f" WHEN {matches(_DMY_LOOSE)} THEN {ymd(f'{dmy}.y', f'{dmy}.m', f'{dmy}.d')}"
        f" WHEN {matches(_YMD_LOOSE)}"
        f" THEN {ymd(f'{ymd_loose}.y', f'{ymd_loose}.m', f'{ymd_loose}.d')}"
        f" WHEN {matches(_MY_LOOSE)} THEN 'M' || {my}.y || '-' || {my}.m || '-01'"
        f" WHEN {matches(_YM_LOOSE)} THEN 'M' || {t} || '-01'"
        f" WHEN length({t}) = 4 AND {matches(_FOUR_DIGITS)} THEN 'Y' || {t} || '-01-01'"
        " END"
    )


def _explicit_date_candidate(t: str, formats: tuple[str, ...]) -> str:
    """Like `_date_candidate`, for the strptime formats a mapping gives."""
    tails = {"day": "%Y-%m-%d", "month": "%Y-%m-01", "year": "%Y-01-01"}
    parts = []
    for strptime_format in formats:
        precision = date_precision(strptime_format)
        parsed = f"try_strptime({t}, {literal(strptime_format)})"
        parts.append(
            f"{literal(precision[0].upper())} || strftime({parsed}, {literal(tails[precision])})"
        )
    return f"coalesce({', '.join(parts)})"


_TYPED: dict[FieldType, Callable[[Field, str, tuple[str, ...], dict[str, str]], _Typed]] = {
    FieldType.NAME: _name,
    FieldType.TEXT: _text,
    FieldType.ID: _id,
    FieldType.DOCUMENT: _document,
    FieldType.SEX: _sex,
    FieldType.YEAR: _year,
    FieldType.DATE: _date,
}
