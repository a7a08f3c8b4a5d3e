"""Comparisons: for each pair of records and each field, a level of agreement (or null).

Each comparison is a small pure function of precomputed per-record keys, vectorised over pairs;
the model (`model.py`) gives each level a match weight. Levels run from the strongest
agreement to disagreement; -1 means one side lacks the field (no evidence either way).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from bonafide.linkage.frequencies import TermFrequencies
from bonafide.linkage.records import PersonRecords
from bonafide.names import NameKeyTable, reading, skeleton
from bonafide.names.batch import part_categories
from bonafide.names.parse import ParsedName

__all__ = [
    "COMPARISONS",
    "Comparison",
    "Features",
    "comparison_levels",
    "count_terms",
    "term_frequency_adjustments",
]

IntArray = npt.NDArray[np.int64]
NULL = -1


# Keys are NumPy unicode arrays, "" where a record lacks the field: comparing them is
# vectorised in C, where object arrays would call back into Python for every pair.
TextArray = npt.NDArray[np.str_]


def _keys(values: list[str]) -> TextArray:
    return np.array(values, dtype=str)


def _alnum(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def _column(records: PersonRecords, field: str) -> pa.StringArray:
    column: pa.StringArray = records.table.column(field).combine_chunks()
    return column


# Below this many values, plain Python beats Arrow's and NumPy's per-call overheads (a lookup
# builds features for one record and its ~100 candidates); both ways give the same keys.
SMALL = 2_000
# Below this many pairs, rapidfuzz compares in the calling thread: starting worker threads
# costs milliseconds, more than comparing a few thousand short strings.
_THREADED_PAIRS = 5_000


def _workers(pairs: int) -> int:
    return -1 if pairs >= _THREADED_PAIRS else 1


def _per_value(values: pa.StringArray, convert: Callable[[str], str]) -> TextArray:
    """`convert` of each value, "" where null; computed once per distinct value (a registry
    repeats its settlements, streets and houses many times over)."""
    if len(values) < SMALL:
        seen: dict[str | None, str] = {None: ""}
        for value in values.to_pylist():
            if value not in seen:
                seen[value] = convert(value)
        return _keys([seen[v] for v in values.to_pylist()])
    encoded = pc.dictionary_encode(values)
    converted = [convert(v) for v in encoded.dictionary.to_pylist()] + [""]
    missing = len(converted) - 1
    rows = encoded.indices.fill_null(missing).to_numpy(zero_copy_only=False)
    keys: TextArray = _keys(converted)[rows]
    return keys


def _full_names(records: PersonRecords) -> list[str]:
    """The whole name as written, or its parts joined in registry order; "" if none."""
    full = records.column("full_name")
    parts = zip(
        records.column("surname"),
        records.column("given_name"),
        records.column("patronymic"),
        strict=True,
    )
    # (Arrow's element-wise join, told to skip nulls, drops rows whose parts are all null.)
    return [f or " ".join(p for p in ps if p) for f, ps in zip(full, parts, strict=True)]


def _phrase_skeleton(value: str | None) -> str:
    return " ".join(skeleton(reading(w)) for w in value.split()) if value else ""


def _phrase_reading(value: str | None) -> str:
    return " ".join(reading(w) for w in value.split()) if value else ""


@dataclass
class Features:
    """Per-record keys for every comparison, for the records of both sides stacked."""

    names: NameKeyTable
    birth: TextArray
    personal_number: TextArray
    passport_number: TextArray
    house: TextArray
    postcode: TextArray
    region: TextArray
    street: TextArray
    street_skeleton: TextArray
    settlement: TextArray
    settlement_skeleton: TextArray
    sex: TextArray
    has_name: dict[str, npt.NDArray[np.bool_]]
    # The value each record holds for comparisons with term-frequency adjustment: a common
    # surname or a big city agreeing is weaker evidence than a rare one.
    terms: dict[str, TextArray]
    name_skeletons: dict[str, TextArray]  # "given": skeleton of the given name; "surname": of
    # the surname's word (for swapped names and blocking)

    @classmethod
    def build(cls, records: PersonRecords) -> Features:
        table = NameKeyTable.build(_full_names(records))
        settlement = pc.coalesce(_column(records, "settlement"), _column(records, "birth_place"))
        street = _column(records, "street")
        settlement_skeleton = _per_value(settlement, _phrase_skeleton)
        parsed = table.distinct_parsed
        return cls(
            names=table,
            birth=_per_value(_column(records, "birth_date"), str),
            personal_number=_per_value(_column(records, "personal_number"), _alnum),
            passport_number=_per_value(_column(records, "passport_number"), _alnum),
            house=_per_value(_column(records, "house"), str.lower),
            postcode=_per_value(_column(records, "postcode"), _alnum),
            region=_per_value(_column(records, "region"), str.lower),
            street=_per_value(street, _phrase_reading),
            street_skeleton=_per_value(street, _phrase_skeleton),
            settlement=_per_value(settlement, _phrase_reading),
            settlement_skeleton=settlement_skeleton,
            sex=_per_value(_column(records, "sex"), str.lower),
            has_name={
                "given": table.per_name(np.array([p.given is not None for p in parsed])),
                "surname": table.per_name(np.array([p.surname is not None for p in parsed])),
                "patronymic": table.per_name(np.array([p.patronymic is not None for p in parsed])),
            },
            name_skeletons={
                "given": table.per_name(
                    _keys([skeleton(p.given.latin) if p.given else "" for p in parsed])
                ),
                "given_class": table.per_name(_keys([_given_class(p) for p in parsed])),
                "surname": table.per_name(
                    _keys([skeleton(p.surname.word.latin) if p.surname else "" for p in parsed])
                ),
                "surname_stem": table.per_name(
                    _keys([skeleton(p.surname.form.stem) if p.surname else "" for p in parsed])
                ),
            },
            terms={
                "surname": table.per_name(
                    _keys([p.surname.form.stem if p.surname else "" for p in parsed])
                ),
                "settlement": settlement_skeleton,
            },
        )


def _given_class(parsed: ParsedName) -> str:
    """A blocking value for the given name: its class in the table (spellings and languages
    of one name agree), else its skeleton."""
    if parsed.given is None:
        return ""
    match = parsed.given_match
    if match is not None and match.classes and not match.diminutive:
        return f"#{min(match.classes)}"
    return skeleton(parsed.given.latin)


def _nulls(*columns: TextArray) -> npt.NDArray[np.bool_]:
    mask = np.zeros(len(columns[0]), dtype=bool)
    for column in columns:
        mask |= column == ""
    return mask


def _one_edit_same_length(a: TextArray, b: TextArray) -> npt.NDArray[np.bool_]:
    """Strings of equal length one Damerau-Levenshtein edit apart: one letter replaced, or
    two neighbours swapped. Vectorised on the code points, no call per pair."""
    width = a.dtype.itemsize // 4
    x = a.view(np.uint32).reshape(len(a), width)
    y = b.astype(a.dtype).view(np.uint32).reshape(len(b), width)
    differ = x != y
    count = differ.sum(axis=1)
    swapped = (
        (count == 2)
        & (differ[:, :-1] & differ[:, 1:]).any(axis=1)
        & ((x[:, :-1] == y[:, 1:]) & (x[:, 1:] == y[:, :-1]) & differ[:, :-1]).any(axis=1)
    )
    one: npt.NDArray[np.bool_] = (count == 1) | swapped
    return one


def _edit_levels(a: TextArray, b: TextArray, thresholds: tuple[int, ...]) -> IntArray:
    """0 exact, 1.. within each Damerau-Levenshtein threshold, last: further; -1 null."""
    null = _nulls(a, b)
    levels = np.full(len(a), len(thresholds) + 1, dtype=np.int64)
    exact = ~null & (a == b)
    levels[exact] = 0
    # Strings whose lengths differ by more than the widest threshold are further apart.
    length_a, length_b = np.char.str_len(a), np.char.str_len(b)
    near = ~null & ~exact & (np.abs(length_a - length_b) <= max(thresholds))
    if thresholds == (1,):
        # Most pairs are equal-length numbers of different people: decided without a call.
        same_length = np.flatnonzero(near & (length_a == length_b))
        if len(same_length) and a.dtype.itemsize:
            one = _one_edit_same_length(a[same_length], b[same_length])
            levels[same_length[one]] = 1
        near &= length_a != length_b
    rest = np.flatnonzero(near)
    if len(rest):
        distance = process.cpdist(
            a[rest].tolist(),
            b[rest].tolist(),
            scorer=DamerauLevenshtein.distance,
            workers=_workers(len(rest)),
        )
        for n, threshold in reversed(list(enumerate(thresholds, start=1))):
            levels[rest[distance <= threshold]] = n
    levels[null] = NULL
    return levels


def _exact_levels(a: TextArray, b: TextArray) -> IntArray:
    null = _nulls(a, b)
    return np.where(null, NULL, np.where(a == b, 0, 1)).astype(np.int64)


def _digits(values: TextArray) -> npt.NDArray[np.uint32]:
    """YYYYMMDD strings as an (n × 8) matrix of code points."""
    text = np.where(values == "", "00000000", values).astype("<U8")
    text = np.char.ljust(text, 8, "0")
    return text.view(np.uint32).reshape(len(values), 8)


def _birth_levels(a: TextArray, b: TextArray) -> IntArray:
    """exact, day and month swapped, one digit off, same year, different; -1 null."""
    null = _nulls(a, b)
    x, y = _digits(a), _digits(b)
    differing = (x != y).sum(axis=1)
    same_year = (x[:, :4] == y[:, :4]).all(axis=1)
    swapped = (
        same_year & (x[:, 4:6] == y[:, 6:8]).all(axis=1) & (x[:, 6:8] == y[:, 4:6]).all(axis=1)
    )
    levels = np.select(
        [differing == 0, swapped, differing == 1, same_year], [0, 1, 2, 3], default=4
    ).astype(np.int64)
    levels[null] = NULL
    return levels


def _place_levels(
    reading_a: TextArray,
    reading_b: TextArray,
    skeleton_a: TextArray,
    skeleton_b: TextArray,
) -> IntArray:
    """same reading, same skeleton (another script or spelling), alike, different; -1 null."""
    null = _nulls(reading_a, reading_b)
    levels = np.full(len(reading_a), 3, dtype=np.int64)
    same_reading = ~null & (reading_a == reading_b)
    same_skeleton = ~null & ~same_reading & (skeleton_a == skeleton_b)
    # Only places that differ in reading and skeleton need the similarity.
    rest = np.flatnonzero(~null & ~same_reading & ~same_skeleton)
    if len(rest):
        similarity = process.cpdist(
            reading_a[rest].tolist(),
            reading_b[rest].tolist(),
            scorer=JaroWinkler.similarity,
            workers=_workers(len(rest)),
        )
        levels[rest[similarity >= 0.88]] = 2
    levels[same_skeleton] = 1
    levels[same_reading] = 0
    levels[null] = NULL
    return levels


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[str, ...]
    compute: Callable[[Features, IntArray, IntArray], IntArray]
    fields: tuple[str, ...]  # the person fields it needs mapped


def _place(field: str) -> Comparison:
    """A settlement or street: its reading, and its skeleton under `<field>_skeleton`."""

    def compute(features: Features, left: IntArray, right: IntArray) -> IntArray:
        readings: TextArray = getattr(features, field)
        skeletons: TextArray = getattr(features, f"{field}_skeleton")
        return _place_levels(readings[left], readings[right], skeletons[left], skeletons[right])

    levels = ("same", "same in another spelling", "alike", "different")
    return Comparison(field, levels, compute, (field,))


def _name_part(part: str, groups: dict[str, int], labels: tuple[str, ...]) -> Comparison:
    def compute(features: Features, left: IntArray, right: IntArray) -> IntArray:
        categories, codes = part_categories(features.names, left, right, (part,))[part]
        lookup = np.array([groups.get(c, NULL) for c in categories], dtype=np.int64)
        levels = lookup[codes]
        present = features.has_name[part]
        return np.where(present[left] & present[right], levels, NULL)

    fields = {"given": ("given_name",), "surname": ("surname",), "patronymic": ("patronymic",)}
    return Comparison(part, labels, compute, fields[part])


def _women(features: Features, rows: IntArray) -> npt.NDArray[np.bool_]:
    """True where a record is a woman's: by the sex field, else by what her name marks (given
    name, patronymic, the surname's ending)."""
    field = features.sex[rows]
    named = (features.names.sex[rows] == _FEMALE) | (features.names.surname_sex[rows] == _FEMALE)
    women: npt.NDArray[np.bool_] = (field == "f") | ((field == "") & named)
    return women


_FEMALE = 2  # names.batch's code for a woman's name
_SURNAME_LEVELS = {
    "same": 0,
    "transliteration": 1,
    "typo": 2,
    "loose": 2,
    "drop": 2,
    "swap": 2,
    "part": 2,
    "different": 4,
}


def _surname() -> Comparison:
    """Surnames; two women's different surnames are a level of their own. A woman's surname
    changes at marriage, so her records before it carry another one: how often that happens
    among true matches (m) is learned like any other level, and a man's different surname keeps
    the weight of a real disagreement."""
    part = _name_part(
        "surname",
        _SURNAME_LEVELS,
        ("same", "transliteration", "typo or part", "different, two women", "different"),
    )

    def compute(features: Features, left: IntArray, right: IntArray) -> IntArray:
        levels = part.compute(features, left, right)
        differ = np.flatnonzero(levels == 4)
        if len(differ):
            both = _women(features, left[differ]) & _women(features, right[differ])
            levels[differ[both]] = 3
        return levels

    return Comparison(part.name, part.levels, compute, part.fields)


COMPARISONS: tuple[Comparison, ...] = (
    _name_part(
        "given",
        {"same": 0, "alike": 0, "diminutive": 1, "typo": 2, "different": 3},
        ("same", "diminutive", "typo", "different"),
    ),
    _surname(),
    _name_part("patronymic", {"same": 0, "typo": 1, "different": 2}, ("same", "typo", "different")),
    Comparison(
        "birth_date",
        ("same", "day and month swapped", "one digit off", "same year", "different"),
        lambda f, a, b: _birth_levels(f.birth[a], f.birth[b]),
        ("birth_date",),
    ),
    # Only one edit: the personal number encodes the birth date and region, so people born on
    # one day in one region have numbers two edits apart (sequence and check digit).
    Comparison(
        "personal_number",
        ("same", "one edit", "different"),
        lambda f, a, b: _edit_levels(f.personal_number[a], f.personal_number[b], (1,)),
        ("personal_number",),
    ),
    Comparison(
        "passport_number",
        ("same", "one edit", "different"),
        lambda f, a, b: _edit_levels(f.passport_number[a], f.passport_number[b], (1,)),
        ("passport_number",),
    ),
    _place("settlement"),
    _place("street"),
    Comparison(
        "house",
        ("same", "different"),
        lambda f, a, b: _exact_levels(f.house[a], f.house[b]),
        ("house",),
    ),
    Comparison(
        "postcode",
        ("same", "one edit", "two edits", "different"),
        lambda f, a, b: _edit_levels(f.postcode[a], f.postcode[b], (1, 2)),
        ("postcode",),
    ),
    Comparison(
        "sex",
        ("same", "different"),
        lambda f, a, b: _exact_levels(f.sex[a], f.sex[b]),
        ("sex",),
    ),
)


def _swapped_names(features: Features, left: IntArray, right: IntArray) -> npt.NDArray[np.bool_]:
    """True where one record's given name is the other's surname and the reverse."""
    given, surname = features.name_skeletons["given"], features.name_skeletons["surname"]
    swapped: npt.NDArray[np.bool_] = (
        (given[left] != "")
        & (surname[left] != "")
        & (given[left] == surname[right])
        & (surname[left] == given[right])
    )
    return swapped


def comparison_levels(
    comparisons: tuple[Comparison, ...], features: Features, left: IntArray, right: IntArray
) -> IntArray:
    """A (pairs × comparisons) matrix of levels, -1 where a side lacks the field.

    Given name and surname written in each other's place (a common clerical slip) count as the
    names agreeing in another spelling.
    """
    matrix = np.empty((len(left), len(comparisons)), dtype=np.int64)
    for column, comparison in enumerate(comparisons):
        matrix[:, column] = comparison.compute(features, left, right)
    names = [c.name for c in comparisons]
    if "given" in names and "surname" in names:
        g, s = names.index("given"), names.index("surname")
        g_last = len(comparisons[g].levels) - 1
        s_last = len(comparisons[s].levels) - 1
        both_differ = np.flatnonzero((matrix[:, g] == g_last) & (matrix[:, s] == s_last))
        if len(both_differ):
            swapped = both_differ[_swapped_names(features, left[both_differ], right[both_differ])]
            matrix[swapped, g] = 1
            matrix[swapped, s] = 1
    return matrix


def count_terms(
    comparisons: tuple[Comparison, ...], features: Features
) -> dict[str, TermFrequencies]:
    """Term frequencies of the comparisons that have terms, counted over these records."""
    return {
        c.name: TermFrequencies.count(features.terms[c.name])
        for c in comparisons
        if c.name in features.terms
    }


def term_frequency_adjustments(
    comparisons: tuple[Comparison, ...],
    features: Features,
    levels: IntArray,
    left: IntArray,
    u_top: dict[str, float],
    frequencies: dict[str, TermFrequencies],
) -> dict[int, npt.NDArray[np.float64]]:
    """Per comparison column with terms: log2(u / term frequency) where the pair agrees fully.

    The model's u for "same" is an average over all values; a pair sharing a rare surname is
    stronger evidence, a pair sharing the commonest one weaker (as in Splink).
    """
    adjustments: dict[int, npt.NDArray[np.float64]] = {}
    for column, comparison in enumerate(comparisons):
        values = features.terms.get(comparison.name)
        table = frequencies.get(comparison.name)
        if values is None or table is None or comparison.name not in u_top:
            continue
        agree = levels[:, column] == 0
        adjustment = np.zeros(len(left), dtype=np.float64)
        tf = table.frequency(values[left[agree]])
        adjustment[agree] = np.log2(u_top[comparison.name] / np.clip(tf, 1e-12, None))
        adjustments[column] = adjustment
    return adjustments
