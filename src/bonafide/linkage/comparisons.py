"""Comparisons: for each pair of records and each field, a level of agreement (or null).

Each comparison is a small pure function of precomputed per-record keys, vectorised over pairs;
the model (`model.py`) gives each level a match weight. Levels run from the strongest
agreement to disagreement; -1 means one side lacks the field (no evidence either way).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from bonafide.linkage.coded import CodeArray, Coded, TextArray
from bonafide.linkage.frequencies import TermFrequencies
from bonafide.linkage.model import AS_FAR_AS_KNOWN
from bonafide.linkage.records import PersonRecords
from bonafide.names import NameKeyTable, reading, skeleton
from bonafide.names.batch import NameFact, part_categories
from bonafide.names.given import class_key
from bonafide.names.parse import ParsedName

__all__ = [
    "COMPARISONS",
    "Comparison",
    "Features",
    "comparison_levels",
    "count_terms",
    "full_name_sql",
    "term_frequency_adjustments",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
NULL = -1


def _alnum(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def _alnum_column(values: pa.StringArray) -> list[str]:
    """`_alnum` of each value: by Arrow where a value is ASCII (document numbers are, and a
    batch holds hundreds of thousands), by Python where upper case may change its length."""
    ascii_only = pc.string_is_ascii(values)
    converted: list[str] = pc.replace_substring_regex(
        pc.ascii_upper(values), r"[^0-9A-Z]", ""
    ).to_pylist()
    if not pc.all(ascii_only).as_py():
        for at in np.flatnonzero(~ascii_only.to_numpy(zero_copy_only=False)).tolist():
            converted[at] = _alnum(values[at].as_py())
    return converted


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


def _per_value(
    values: pa.StringArray,
    convert: Callable[[str], str],
    convert_all: Callable[[pa.StringArray], list[str]] | None = None,
) -> Coded:
    """`convert` of each value, "" where null; computed once per distinct value (a registry
    repeats its settlements, streets and houses many times over), by `convert_all` at once
    where the values are many and it is given (the same results, column-wise)."""
    if len(values) < SMALL:
        seen: dict[str | None, int] = {None: 0}
        converted = [""]
        rows = []
        for value in values.to_pylist():
            if value not in seen:
                seen[value] = len(converted)
                converted.append(convert(value))
            rows.append(seen[value])
        return Coded.of(converted, np.array(rows, dtype=np.int64))
    encoded = pc.dictionary_encode(values)
    if convert_all is not None:
        converted = [*convert_all(encoded.dictionary), ""]
    else:
        converted = [convert(v) for v in encoded.dictionary.to_pylist()] + [""]
    missing = len(converted) - 1
    return Coded.of(converted, encoded.indices.fill_null(missing).to_numpy(zero_copy_only=False))


def _blank_to_null(values: pa.StringArray) -> pa.StringArray:
    blank: pa.StringArray = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    return blank


def _full_names(records: PersonRecords) -> pa.StringArray:
    """The whole name as written, or its parts joined in registry order; "" if none."""
    if len(records) < SMALL:
        full = records.column("full_name")
        parts = zip(
            records.column("surname"),
            records.column("given_name"),
            records.column("patronymic"),
            strict=True,
        )
        joined = [f or " ".join(p for p in ps if p) for f, ps in zip(full, parts, strict=True)]
        return pa.array(joined, pa.string())
    columns = [_blank_to_null(_column(records, f)) for f in ("surname", "given_name", "patronymic")]
    named = np.zeros(len(records), dtype=bool)
    for column in columns:
        named |= column.is_valid().to_numpy(zero_copy_only=False)
    # Told to skip nulls, Arrow's join leaves out rows whose parts are all null (the result is
    # shorter): it joins the named rows only, put back in place.
    kept = pa.array(named)
    parts = pc.binary_join_element_wise(
        *(c.filter(kept) for c in columns), " ", null_handling="skip"
    )
    position = pa.array(np.cumsum(named) - 1, mask=~named)
    whole: pa.StringArray = pc.coalesce(
        _blank_to_null(_column(records, "full_name")),
        parts.take(position),
        pa.scalar("", pa.string()),
    )
    return whole


def full_name_sql(full: str, surname: str, given: str, patronymic: str) -> str:
    """SQL (DuckDB) for what `_full_names` makes of these columns: the whole name as written,
    else its parts joined in registry order; null where `_full_names` gives "". Features read
    a record's name from nothing else, so records whose name was only split differently
    compare alike (resolve looks each such name up once)."""
    parts = ", ".join(f"nullif({column}, '')" for column in (surname, given, patronymic))
    return f"coalesce(nullif({full}, ''), nullif(concat_ws(' ', {parts}), ''))"


def _phrase_skeleton(value: str | None) -> str:
    return " ".join(skeleton(reading(w)) for w in value.split()) if value else ""


def _phrase_reading(value: str | None) -> str:
    return " ".join(reading(w) for w in value.split()) if value else ""


# What the features keep of each distinct name's parse (`NameKeyTable.build`), each read from
# one part of it.
_NAME_FACTS: dict[str, NameFact] = {
    "has_given": NameFact("given", lambda p: p.given is not None),
    "has_surname": NameFact("surname", lambda p: p.surname is not None),
    "has_patronymic": NameFact("patronymic", lambda p: p.patronymic is not None),
    "given": NameFact("given", lambda p: skeleton(p.given.latin) if p.given else ""),
    "given_class": NameFact("given", lambda p: _given_class(p)),
    "surname": NameFact("surname", lambda p: skeleton(p.surname.word.latin) if p.surname else ""),
    "surname_stem": NameFact(
        "surname", lambda p: skeleton(p.surname.form.stem) if p.surname else ""
    ),
    "surname_term": NameFact("surname", lambda p: p.surname.form.stem if p.surname else ""),
}


@dataclass
class Features:
    """Per-record keys for every comparison, for the records of both sides stacked.

    Text is dictionary-coded (`Coded`): one dictionary per field for both sides, so equal
    codes are equal values across the sides."""

    names: NameKeyTable
    birth: Coded
    personal_number: Coded
    passport_number: Coded
    house: Coded
    postcode: Coded
    region: Coded
    street: Coded
    street_skeleton: Coded
    settlement: Coded
    settlement_skeleton: Coded
    sex: Coded
    has_name: dict[str, BoolArray]
    # The value each record holds for comparisons with term-frequency adjustment: a common
    # surname or a big city agreeing is weaker evidence than a rare one.
    terms: dict[str, Coded]
    name_skeletons: dict[str, Coded]  # "given": skeleton of the given name; "surname": of
    # the surname's word (for swapped names and blocking)

    # columns derived from these (`derived`), computed once
    _derived: dict[str, Coded] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.birth)

    def derived(self, name: str, make: Callable[[Features], Coded]) -> Coded:
        """A column derived from the features (a birth year, an initial), made once."""
        if name not in self._derived:
            self._derived[name] = make(self)
        return self._derived[name]

    @classmethod
    def build(cls, records: PersonRecords, cache_names: bool = True) -> Features:
        """`cache_names`: keep the names' parses for later builds (`NameKeyTable.build`)."""
        table = NameKeyTable.build(_full_names(records), _NAME_FACTS, cache_names)
        settlement = pc.coalesce(_column(records, "settlement"), _column(records, "birth_place"))
        street = _column(records, "street")
        settlement_skeleton = _per_value(settlement, _phrase_skeleton)
        rows = table.distinct_row

        def coded(fact: str) -> Coded:
            values, codes = table.facts[fact]
            return Coded.of([str(v) for v in values], codes[rows])

        def flag(fact: str) -> BoolArray:
            values, codes = table.facts[fact]
            present: BoolArray = np.array(values, dtype=bool)[codes][rows]
            return present

        features = cls(
            names=table,
            birth=_per_value(_column(records, "birth_date"), str),
            personal_number=_per_value(_column(records, "personal_number"), _alnum, _alnum_column),
            passport_number=_per_value(_column(records, "passport_number"), _alnum, _alnum_column),
            house=_per_value(_column(records, "house"), str.lower),
            postcode=_per_value(_column(records, "postcode"), _alnum, _alnum_column),
            region=_per_value(_column(records, "region"), str.lower),
            street=_per_value(street, _phrase_reading),
            street_skeleton=_per_value(street, _phrase_skeleton),
            settlement=_per_value(settlement, _phrase_reading),
            settlement_skeleton=settlement_skeleton,
            sex=_per_value(_column(records, "sex"), str.lower),
            has_name={part: flag(f"has_{part}") for part in ("given", "surname", "patronymic")},
            name_skeletons={
                part: coded(part) for part in ("given", "given_class", "surname", "surname_stem")
            },
            terms={"surname": coded("surname_term"), "settlement": settlement_skeleton},
        )
        table.facts.clear()  # kept coded in the features: the table need not hold them twice
        return features


def _given_class(parsed: ParsedName) -> str:
    """A blocking value for the given name: its class in the table (spellings and languages
    of one name agree), else its skeleton."""
    if parsed.given is None:
        return ""
    return class_key(parsed.given_match, parsed.given.latin)


def _nulls(*columns: CodeArray) -> BoolArray:
    mask = np.zeros(len(columns[0]), dtype=bool)
    for column in columns:
        mask |= column == 0
    return mask


def _one_edit_same_length(a: TextArray, b: TextArray) -> BoolArray:
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
    one: BoolArray = (count == 1) | swapped
    return one


def _edit_levels(
    column: Coded, left: IntArray, right: IntArray, thresholds: tuple[int, ...]
) -> IntArray:
    """0 exact, 1.. within each Damerau-Levenshtein threshold, last: further; -1 null."""
    a, b = column.codes[left], column.codes[right]
    null = _nulls(a, b)
    levels = np.full(len(a), len(thresholds) + 1, dtype=np.int64)
    exact = ~null & (a == b)
    levels[exact] = 0
    # Strings whose lengths differ by more than the widest threshold are further apart.
    length_a, length_b = column.lengths[a], column.lengths[b]
    near = ~null & ~exact & (np.abs(length_a - length_b) <= max(thresholds))
    if thresholds == (1,):
        # Most pairs are equal-length numbers of different people: decided without a call.
        same_length = np.flatnonzero(near & (length_a == length_b))
        if len(same_length) and column.values.dtype.itemsize:
            one = _one_edit_same_length(
                column.values[a[same_length]], column.values[b[same_length]]
            )
            levels[same_length[one]] = 1
        near &= length_a != length_b
    rest = np.flatnonzero(near)
    if len(rest):
        distance = process.cpdist(
            column.values[a[rest]].tolist(),
            column.values[b[rest]].tolist(),
            scorer=DamerauLevenshtein.distance,
            workers=_workers(len(rest)),
        )
        for n, threshold in reversed(list(enumerate(thresholds, start=1))):
            levels[rest[distance <= threshold]] = n
    levels[null] = NULL
    return levels


def _exact_levels(column: Coded, left: IntArray, right: IntArray) -> IntArray:
    a, b = column.codes[left], column.codes[right]
    return np.where(_nulls(a, b), NULL, np.where(a == b, 0, 1)).astype(np.int64)


def _digits(values: TextArray) -> npt.NDArray[np.uint32]:
    """YYYYMMDD strings as an (n × 8) matrix of code points."""
    text = np.where(values == "", "00000000", values).astype("<U8")
    text = np.char.ljust(text, 8, "0")
    return text.view(np.uint32).reshape(len(values), 8)


def _birth_levels(column: Coded, left: IntArray, right: IntArray) -> IntArray:
    """exact, day and month swapped, one digit off, same year, the same as far as the less
    precise date is known (a year, a year and month), different; -1 null."""
    a, b = column.codes[left], column.codes[right]
    null = _nulls(a, b)
    packed = _packed_dates(column.values)  # per distinct date, not per pair
    if packed is None:
        levels = _birth_levels_by_digit(_digits(column.values), a, b)
    else:
        x, y = packed[a], packed[b]
        other = x ^ y
        # a nibble per digit: one bit set in each nibble that differs
        nibbles = (other | other >> 1 | other >> 2 | other >> 3) & _NIBBLE_LOW_BITS
        differing = np.bitwise_count(nibbles)
        same_year = (x >> 16) == (y >> 16)
        swapped = same_year & (((x >> 8) & 0xFF) == (y & 0xFF)) & ((x & 0xFF) == ((y >> 8) & 0xFF))
        levels = _birth_level(differing, swapped, same_year)
    _known_in_part(column.values, a, b, levels)
    levels[null] = NULL
    return levels


def _known_in_part(values: TextArray, a: CodeArray, b: CodeArray, levels: IntArray) -> None:
    """Where one date of a pair is known only in part (fewer than eight digits: a year), the
    pair's level is whether the other agrees on the digits it has."""
    known = np.char.str_len(values)
    if not bool(((known > 0) & (known < 8)).any()):
        return  # per distinct value: most batches hold whole dates only
    shortest = np.minimum(known[a], known[b])
    partial = np.flatnonzero((shortest > 0) & (shortest < 8))
    if not len(partial):
        return
    digits = _digits(values)
    x, y = digits[a[partial]], digits[b[partial]]
    upto = np.arange(8) < shortest[partial][:, None]
    agree = ((x == y) | ~upto).all(axis=1)
    levels[partial] = np.where(agree, _AS_FAR_AS_KNOWN_LEVEL, _DIFFERENT_BIRTH)


_NIBBLE_LOW_BITS = np.uint64(0x11111111)
_NIBBLE_WEIGHTS = np.array([1 << (4 * (7 - n)) for n in range(8)], dtype=np.uint64)


def _packed_dates(values: TextArray) -> npt.NDArray[np.uint64] | None:
    """YYYYMMDD strings as eight 4-bit digits, the year's first in the highest; None where a
    value holds anything but digits. Comparing a batch's million pairs of dates digit by
    digit as (n × 8) matrices took a tenth of a second or more; two integers per pair, a
    fifth of that."""
    digits = _digits(values).astype(np.int64) - ord("0")
    if len(digits) and not bool(((digits >= 0) & (digits <= 9)).all()):
        return None
    packed: npt.NDArray[np.uint64] = (digits.astype(np.uint64) * _NIBBLE_WEIGHTS).sum(
        axis=1, dtype=np.uint64
    )
    return packed


def _birth_levels_by_digit(digits: npt.NDArray[np.uint32], a: CodeArray, b: CodeArray) -> IntArray:
    x, y = digits[a], digits[b]
    differing = (x != y).sum(axis=1)
    same_year = (x[:, :4] == y[:, :4]).all(axis=1)
    swapped = (
        same_year & (x[:, 4:6] == y[:, 6:8]).all(axis=1) & (x[:, 6:8] == y[:, 4:6]).all(axis=1)
    )
    return _birth_level(differing, swapped, same_year)


_AS_FAR_AS_KNOWN_LEVEL, _DIFFERENT_BIRTH = 4, 5


def _birth_level(
    differing: npt.NDArray[np.integer],
    swapped: npt.NDArray[np.bool_],
    same_year: npt.NDArray[np.bool_],
) -> IntArray:
    levels: IntArray = np.select(
        [differing == 0, swapped, differing == 1, same_year], [0, 1, 2, 3], default=_DIFFERENT_BIRTH
    ).astype(np.int64)
    return levels


def _distinct_pairs(a: CodeArray, b: CodeArray) -> tuple[CodeArray, CodeArray, IntArray]:
    """The distinct (a, b) code pairs, and each pair's position among them."""
    combined = a.astype(np.int64) << 32 | b.astype(np.int64)
    unique, inverse = np.unique(combined, return_inverse=True)
    return (unique >> 32).astype(np.int32), (unique & 0xFFFFFFFF).astype(np.int32), inverse


def _place_levels(reading: Coded, skeleton: Coded, left: IntArray, right: IntArray) -> IntArray:
    """same reading, same skeleton (another script or spelling), alike, different; -1 null."""
    a, b = reading.codes[left], reading.codes[right]
    null = _nulls(a, b)
    levels = np.full(len(a), 3, dtype=np.int64)
    same_reading = ~null & (a == b)
    same_skeleton = ~null & ~same_reading & (skeleton.codes[left] == skeleton.codes[right])
    # Only places that differ in reading and skeleton need the similarity, and a registry
    # names few places: each distinct pair of them is compared once.
    rest = np.flatnonzero(~null & ~same_reading & ~same_skeleton)
    if len(rest):
        first, second, inverse = _distinct_pairs(a[rest], b[rest])
        similarity = process.cpdist(
            reading.values[first].tolist(),
            reading.values[second].tolist(),
            scorer=JaroWinkler.similarity,
            workers=_workers(len(first)),
        )
        levels[rest[similarity[inverse] >= 0.88]] = 2
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
        readings: Coded = getattr(features, field)
        return _place_levels(readings, getattr(features, f"{field}_skeleton"), left, right)

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
    field = features.sex.codes[rows]
    names = features.names
    name = names.distinct_row[rows]
    named = (names.sex[name] == _FEMALE) | (names.surname_sex[name] == _FEMALE)
    women: BoolArray = (features.sex.values == "f")[field] | ((field == 0) & named)
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
        (
            "same",
            "day and month swapped",
            "one digit off",
            "same year",
            AS_FAR_AS_KNOWN,
            "different",
        ),
        lambda f, a, b: _birth_levels(f.birth, a, b),
        ("birth_date",),
    ),
    # Only one edit: the personal number encodes the birth date and region, so people born on
    # one day in one region have numbers two edits apart (sequence and check digit).
    Comparison(
        "personal_number",
        ("same", "one edit", "different"),
        lambda f, a, b: _edit_levels(f.personal_number, a, b, (1,)),
        ("personal_number",),
    ),
    Comparison(
        "passport_number",
        ("same", "one edit", "different"),
        lambda f, a, b: _edit_levels(f.passport_number, a, b, (1,)),
        ("passport_number",),
    ),
    _place("settlement"),
    _place("street"),
    Comparison(
        "house",
        ("same", "different"),
        lambda f, a, b: _exact_levels(f.house, a, b),
        ("house",),
    ),
    Comparison(
        "postcode",
        ("same", "one edit", "two edits", "different"),
        lambda f, a, b: _edit_levels(f.postcode, a, b, (1, 2)),
        ("postcode",),
    ),
    Comparison(
        "sex",
        ("same", "different"),
        lambda f, a, b: _exact_levels(f.sex, a, b),
        ("sex",),
    ),
)


def _swapped_names(features: Features, left: IntArray, right: IntArray) -> npt.NDArray[np.bool_]:
    """True where one record's given name is the other's surname and the reverse."""
    given, surname = features.name_skeletons["given"], features.name_skeletons["surname"]
    # two dictionaries: the given names' codes and the surnames' are compared as text
    given_left, surname_left = given.codes[left], surname.codes[left]
    swapped: BoolArray = (
        (given_left != 0)
        & (surname_left != 0)
        & (given.values[given_left] == surname.text(right))
        & (surname.values[surname_left] == given.text(right))
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
        c.name: TermFrequencies.count_coded(features.terms[c.name])
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
        # each distinct value's frequency looked up once
        codes, inverse = np.unique(values.codes[left[agree]], return_inverse=True)
        tf = table.frequency(values.values[codes])[inverse]
        adjustment[agree] = np.log2(u_top[comparison.name] / np.clip(tf, 1e-12, None))
        adjustments[column] = adjustment
    return adjustments
