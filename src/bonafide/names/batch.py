"""Scoring many name pairs at once on keys computed once per name.

A name's score against another is a sum of part weights, and each part's category depends only
on that part of the two names. So each distinct name is parsed once into part keys (given name,
surname(s), patronymic, sex); for a batch of pairs, each distinct pair of part keys is compared
once with the very comparators `compare_names` uses, and the weights are gathered with NumPy.
Registries repeat names heavily, so the comparisons are few and the gathering is vectorised;
both paths give the same score for the same pair (a test checks this).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bonafide.names.columns import (
    PARTS,
    SEX_CODE,
    NameColumn,
    WordRoles,
    forget_words,
    given_key,
    parse_column,
    patronymic_key,
    surname_key,
)
from bonafide.names.compare import (
    GivenAgreement,
    PatronymicAgreement,
    SurnameAgreement,
    compare_given,
    compare_patronymic,
    compare_surname,
    surname_sex,
)
from bonafide.names.kept import Kept
from bonafide.names.latin import has_cyrillic, skeleton, vowel_frame
from bonafide.names.model import compare_names, weights
from bonafide.names.parse import ParsedName, Surname, lone_word, parse_name, swapped_roles
from bonafide.names.surname import bare, correspondence_key, plain_keys

__all__ = [
    "NameKeyTable",
    "part_categories",
    "release_name_caches",
    "score_pairs",
    "sexes_differ",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _lone_role(
    name: ParsedName, swapped: Callable[[ParsedName], ParsedName | None] = swapped_roles
) -> int:
    """1 for a lone given name, 2 for a lone surname, 3 for two given names (read both ways
    round by `compare_names`), else 0."""
    if swapped(name) is not None:
        return 3
    if lone_word(name) is None:
        return 0
    return 1 if name.given is not None else 2


class NameFact(NamedTuple):
    """A value a caller keeps of each distinct name (`NameKeyTable.build`), read from one part
    of its parse only: a name parsed column-wise has it from the word in that role (a name
    holding only that part, `WordRoles`), a name parsed one by one from its whole parse, and
    both must give one value (a test compares the two tables)."""

    part: str  # given, surname or patronymic
    read: Callable[[ParsedName], object]


@dataclass
class NameKeyTable:
    """Names parsed once each (a registry repeats them), with integer keys for each part.

    Held per distinct name, in order of first appearance (`distinct_row` gives each row's):
    the part keys, the sexes, the names' text. A name's parse is kept only where it is the
    first holding a part key (the comparators need one parse per key), so memory follows the
    distinct part keys, not the names or the rows."""

    distinct_row: npt.NDArray[np.int32]  # per row: its distinct name
    distinct_names: pa.StringArray
    # per distinct name
    given: IntArray
    surname: IntArray
    patronymic: IntArray
    sex: npt.NDArray[np.int8]
    surname_sex: npt.NDArray[np.int8]  # the sex the first surname's ending marks (0: none)
    lone_role: npt.NDArray[np.int8]  # one word: 1 given name, 2 surname; 3 two given names
    # per distinct key of each part: the parse of the first name holding it
    _given_parsed: list[ParsedName]
    _surname_parsed: list[ParsedName]
    _patronymic_parsed: list[ParsedName]
    # per part: the part keys as met, and each distinct key's place among them (the key
    # itself names a pair of parts across tables, for the comparators' answers kept)
    _part_keys: dict[str, tuple[list[object], IntArray]] = field(default_factory=dict)
    # a caller's facts (`build`): the distinct values, and per distinct name its value's index
    facts: dict[str, tuple[list[object], IntArray]] = field(default_factory=dict)
    # part → (sorted pair codes, their categories): each distinct pair of parts is compared
    # once per table
    _cache: dict[str, tuple[IntArray, IntArray]] = field(default_factory=dict)
    _surname_keys: _SurnameKeys | None = None
    _class_keys: dict[str, _ClassKeys] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        names: Sequence[str] | pa.StringArray,
        facts: Mapping[str, NameFact] | None = None,
        cache: bool = True,
    ) -> NameKeyTable:
        """`facts`: values a caller wants of each distinct name's parse, kept coded (the
        parses themselves are not kept). `cache`: keep the parses in the process's caches
        for later tables; a one-off batch has no later tables, and a million names' parses
        would hold half a gigabyte.

        Names of two or three plain words are parsed column-wise from their words
        (`columns.parse_column`); the others one by one (`parse_name`), as before."""
        column = names if isinstance(names, pa.StringArray) else pa.array(list(names), pa.string())
        encoded = pc.dictionary_encode(column.fill_null(""))
        distinct: pa.StringArray = encoded.dictionary
        parse = parse_name if cache else parse_name.__wrapped__
        wanted = tuple((facts or {}).items())
        coding = _Coding(len(distinct), len(wanted))
        if len(distinct) >= _COLUMN_WISE_AT_LEAST:
            plain = parse_column(distinct)
            coding.add_words(plain, wanted)
            coding.add_names(distinct, np.flatnonzero(~plain.parsed), wanted, cache)
            codes, parsed_of, kept, met = coding.by_first_appearance(
                distinct, plain, parse, wanted, cache
            )
        else:
            coding.add_names(distinct, np.arange(len(distinct)), wanted, cache)
            codes, parsed_of, kept, met = coding.as_met(wanted)
        return cls(
            encoded.indices.to_numpy().astype(np.int32),
            distinct,
            codes["given"],
            codes["surname"],
            codes["patronymic"],
            coding.sex,
            coding.surname_sex,
            coding.lone_role,
            parsed_of["given"],
            parsed_of["surname"],
            parsed_of["patronymic"],
            facts=kept,
            _part_keys={
                part: (list(index), ids)
                for part, index, ids in zip(PARTS, coding.part_index, met, strict=True)
            },
        )

    def name(self, row: int) -> str:
        """The name of a row, as given."""
        text: str = self.distinct_names[int(self.distinct_row[row])].as_py()
        return text

    def __len__(self) -> int:
        return len(self.distinct_row)


_PARSE_SLICE = 10_000  # distinct names turned into Python strings at a time
# Below this many distinct names a table parses them one by one: a desk lookup's hundred
# names are mostly new, and the first name holding each part key is parsed whole anyway (for
# the comparators), so parsing column-wise too would do their work twice.
_COLUMN_WISE_AT_LEAST = 2_000


def _first_appearance(ids: IntArray) -> tuple[IntArray, IntArray]:
    """Codes for ids numbered in order of first appearance, and where each code first appears.

    The ids are numbered as met, so they span little more than their count: each one's first
    place is found in a table as long as that span, not by sorting them (a seventh of the time
    at 10 M people). Ids spread wider are sorted into that table."""
    count = len(ids)
    if not count:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    shifted = ids - int(ids.min())
    span = int(shifted.max()) + 1
    if span > 4 * count + 1024:  # sparse: a table that long would cost more than the sort
        _, first, slots = np.unique(ids, return_index=True, return_inverse=True)
        shifted, span = slots.reshape(-1), len(first)
    else:
        first = np.full(span, count, dtype=np.int64)
        np.minimum.at(first, shifted, np.arange(count, dtype=np.int64))
    present = np.flatnonzero(first < count)
    order = present[np.argsort(first[present], kind="stable")]
    rank = np.empty(span, dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes: IntArray = rank[shifted]
    return codes, first[order]


# per part its codes, per part the parse of the first name holding each key, per fact its
# values and codes, per part each code's key id (its place in the order the keys were met)
_Numbered = tuple[
    dict[str, IntArray],
    dict[str, list[ParsedName]],
    dict[str, tuple[list[object], IntArray]],
    list[IntArray],
]


class _Coding:
    """A table's part keys and facts as ids per distinct name, gathered from the words of the
    names parsed column-wise and from the rows of the others; ids are numbered as met (each
    dict holds its values in the order of their ids)."""

    def __init__(self, names: int, facts: int) -> None:
        self.part_ids = [np.full(names, -1, dtype=np.int64) for _ in PARTS]
        self.fact_ids = [np.full(names, -1, dtype=np.int64) for _ in range(facts)]
        self.part_index: list[dict[object, int]] = [{} for _ in PARTS]
        self.fact_index: list[dict[object, int]] = [{} for _ in range(facts)]
        # per part: the parse of the first name parsed one by one that holds each key id
        self.first_parse: list[dict[int, ParsedName]] = [{} for _ in PARTS]
        self.sex = np.zeros(names, dtype=np.int8)
        self.surname_sex = np.zeros(names, dtype=np.int8)
        self.lone_role = np.zeros(names, dtype=np.int8)

    def add_words(self, plain: NameColumn, wanted: tuple[tuple[str, NameFact], ...]) -> None:
        """The ids of the names parsed column-wise, from their words' roles."""
        at = np.flatnonzero(plain.parsed)
        for number, part in enumerate(PARTS):
            index = self.part_index[number]
            word_ids = np.array(
                [index.setdefault(w.keys[number], len(index)) for w in plain.words] + [-1],
                dtype=np.int64,
            )
            # a word index of -1 (no word in that role) takes the key of a part left empty
            word_ids[-1] = index.setdefault(None, len(index))
            self.part_ids[number][at] = word_ids[getattr(plain, part)[at]]
        kept = _word_facts.setdefault(wanted, Kept(_ROWS_KEPT))

        def facts_of(word: WordRoles, _: str) -> tuple[object, ...]:
            return tuple(fact.read(word.as_part(fact.part)) for _, fact in wanted)

        absent = tuple(fact.read(ParsedName("")) for _, fact in wanted)
        word_values = [
            kept.get(w.text, partial(facts_of, w)) if w.plain else absent for w in plain.words
        ]
        for number, (_, fact) in enumerate(wanted):
            index = self.fact_index[number]
            word_ids = np.array(
                [index.setdefault(v[number], len(index)) for v in [*word_values, absent]],
                dtype=np.int64,
            )
            self.fact_ids[number][at] = word_ids[getattr(plain, fact.part)[at]]

    def as_met(self, wanted: tuple[tuple[str, NameFact], ...]) -> _Numbered:
        """Codes, first parses and facts where every name was parsed one by one, in order:
        the ids were numbered as first met."""
        return (
            dict(zip(PARTS, self.part_ids, strict=True)),
            {
                part: list(first.values())
                for part, first in zip(PARTS, self.first_parse, strict=True)
            },
            {
                name: (list(index), ids)
                for (name, _), index, ids in zip(
                    wanted, self.fact_index, self.fact_ids, strict=True
                )
            },
            [np.arange(len(index), dtype=np.int64) for index in self.part_index],
        )

    def by_first_appearance(
        self,
        distinct: pa.StringArray,
        plain: NameColumn,
        parse: Callable[[str], ParsedName],
        wanted: tuple[tuple[str, NameFact], ...],
        keep: bool,
    ) -> _Numbered:
        """Codes numbered by the names' order, the parse of the first name holding each part
        key (or, where `keep`, one kept holding a surname key), and each fact's values in
        order with its codes."""
        self.sex[plain.parsed] = plain.sex[plain.parsed]
        self.surname_sex[plain.parsed] = plain.surname_sex[plain.parsed]
        self.lone_role[plain.parsed] = plain.lone_role[plain.parsed]
        codes: dict[str, IntArray] = {}
        parsed_of: dict[str, list[ParsedName]] = {}
        met: list[IntArray] = []
        for number, part in enumerate(PARTS):
            codes[part], firsts = _first_appearance(self.part_ids[number])
            ids = self.part_ids[number][firsts]
            met.append(ids)
            # per code: the name first holding it, its key id, whether it was parsed column-wise
            at = zip(firsts.tolist(), ids.tolist(), plain.parsed[firsts].tolist(), strict=True)
            first_parse = self.first_parse[number]
            if part == "surname" and keep:
                # a surname key is all that reads the parse (`columns.surname_key`): a parse
                # holding it, kept from an earlier table, stands for the first name holding it
                # here (the names a batch looks up are new, their surnames mostly not)
                keys = list(self.part_index[number])
                parsed_of[part] = [
                    _surname_parses.get(keys[key], partial(_surnames_at, parse, distinct, p))
                    if column_wise
                    else first_parse[key]
                    for p, key, column_wise in at
                ]
                continue
            # the texts taken at once: an Arrow scalar per name costs four times as much
            texts = distinct.take(pa.array(firsts)).to_pylist()
            parsed_of[part] = [
                parse(texts[n]) if column_wise else first_parse[key]
                for n, (_, key, column_wise) in enumerate(at)
            ]
        kept: dict[str, tuple[list[object], IntArray]] = {}
        for number, (name, _) in enumerate(wanted):
            fact_codes, firsts = _first_appearance(self.fact_ids[number])
            values = list(self.fact_index[number])
            kept[name] = ([values[i] for i in self.fact_ids[number][firsts].tolist()], fact_codes)
        return codes, parsed_of, kept, met

    def add_names(
        self,
        distinct: pa.StringArray,
        positions: IntArray,
        wanted: tuple[tuple[str, NameFact], ...],
        cache: bool,
    ) -> None:
        """The ids of the names parsed one by one (`parse_name`)."""
        parse = parse_name if cache else parse_name.__wrapped__
        # a row asks only whether a name reads both ways round: uncached (hashing a parse
        # for the cache costs more than the answer), the row itself is kept
        swapped = swapped_roles.__wrapped__
        # a name's row is the same in every table: kept, a batch meeting the names of the
        # last (its queries again, its candidates' neighbours) does no work for them
        kept = _name_rows.setdefault(wanted, Kept(_ROWS_KEPT))

        def row_of(text: str) -> _NameRow:
            return _name_row(parse(text), swapped, wanted)

        # a slice at a time: when nothing is kept, only a slice's parses are alive at once (the
        # first parse of each part key is kept)
        for start in range(0, len(positions), _PARSE_SLICE):
            where = positions[start : start + _PARSE_SLICE]
            texts = distinct.take(pa.array(where)).to_pylist()
            rows = [kept.get(text, row_of) if cache else row_of(text) for text in texts]
            for number, part in enumerate(PARTS):
                index, first = self.part_index[number], self.first_parse[number]
                ids = [index.setdefault(getattr(row, part), len(index)) for row in rows]
                self.part_ids[number][where] = ids
                for key_id, row in zip(ids, rows, strict=True):
                    if key_id not in first:
                        first[key_id] = row.parsed
            for number, index in enumerate(self.fact_index):
                ids = [index.setdefault(row.facts[number], len(index)) for row in rows]
                self.fact_ids[number][where] = ids
            self.sex[where] = [row.sex for row in rows]
            self.surname_sex[where] = [row.surname_sex for row in rows]
            self.lone_role[where] = [row.lone_role for row in rows]


def _surnames_at(
    parse: Callable[[str], ParsedName], names: pa.StringArray, at: int, _: object
) -> ParsedName:
    """The surnames of a name's parse, alone: all the table reads of a surname key's parse
    (its comparisons, `_SurnameKeys`), without the rest of the parse kept alive."""
    return ParsedName("", surnames=parse(names[at].as_py()).surnames)


# the surnames of a parse per surname key met lately (`by_first_appearance`)
_surname_parses: Kept[object, ParsedName] = Kept(100_000)

# facts of the words met, per set of facts asked for
_word_facts: dict[tuple[tuple[str, NameFact], ...], Kept[str, tuple[object, ...]]] = {}


class _NameRow(NamedTuple):
    """What a table holds of one distinct name."""

    parsed: ParsedName
    given: object  # the part keys (`_given_key`, the surnames' readings, `_patronymic_key`)
    surname: object
    patronymic: object
    sex: int
    surname_sex: int  # the sex its surname's ending marks
    lone_role: int  # `_lone_role`
    facts: tuple[object, ...]  # a caller's facts, in the order asked


# rows kept per set of facts asked for (a run of batches in birth-date order meets the same
# names close together)
_name_rows: dict[tuple[tuple[str, NameFact], ...], Kept[str, _NameRow]] = {}
_ROWS_KEPT = 400_000


def _name_row(
    p: ParsedName,
    swapped: Callable[[ParsedName], ParsedName | None],
    facts: tuple[tuple[str, NameFact], ...],
) -> _NameRow:
    return _NameRow(
        p,
        given_key(p),
        surname_key(p),
        patronymic_key(p),
        SEX_CODE[p.sex],
        SEX_CODE[surname_sex(p)],
        _lone_role(p, swapped),
        # read from the whole parse: a fact reads only its part (`NameFact`), as it reads it
        # from a word's part for names parsed column-wise
        tuple(fact.read(p) for _, fact in facts),
    )


def release_name_caches() -> None:
    """Forget the names parsed so far (hundreds of megabytes when full): for a long run that
    has finished with names and goes on to other work."""
    parse_name.cache_clear()
    _name_rows.clear()
    _compared.clear()
    _surname_rows.clear()
    _surname_parses.clear()
    _word_facts.clear()
    forget_words()


# part → (pair of part keys → its category's index): what the comparators answered, kept
# across tables; at 1 M people three in four of the surname pairs a batch compared had been
# compared by the batches before
_compared: dict[str, Kept[tuple[object, object], int]] = {}
_COMPARED_KEPT = 200_000

_DENSE_LIMIT = 1 << 24  # part-key pairs held in a dense table below this many cells


def _unique_pairs(combined: IntArray, cells: int) -> tuple[IntArray, IntArray]:
    """The distinct pair codes and, for each pair, the index of its code among them."""
    if cells <= _DENSE_LIMIT:
        seen = np.zeros(cells, dtype=bool)
        seen[combined] = True
        unique = np.flatnonzero(seen)
        lookup = np.empty(cells, dtype=np.int64)
        lookup[unique] = np.arange(len(unique))
        return unique.astype(np.int64), lookup[combined]
    unique, inverse = np.unique(combined, return_inverse=True)
    return unique, inverse


_PARTS: tuple[
    tuple[str, list[str], Callable[[ParsedName, ParsedName], tuple[object, str]]], ...
] = (
    ("given", [c.value for c in GivenAgreement], compare_given),
    ("surname", [c.value for c in SurnameAgreement], compare_surname),
    ("patronymic", [c.value for c in PatronymicAgreement], compare_patronymic),
)


class _SurnameRow(NamedTuple):
    """What `_SurnameKeys` holds of one surname: a function of its reading, its text and its
    stem alone, so kept across tables (a batch meets the surnames of the batches before)."""

    # `_SurnameKeys.codes`' five, before interning: the reading and its skeleton first
    keys: tuple[str, str, str, str, str]
    frame: str
    plain: list[str]  # its plain keys, sorted
    written: str


def _surname_row(surname: Surname) -> _SurnameRow:
    latin = surname.word.latin
    skeletal = skeleton(latin)
    return _SurnameRow(
        (
            latin,
            skeletal,
            skeleton(surname.form.stem),
            # the correspondence keys: equal keys make the comparator's transliteration
            f"~{correspondence_key(latin)}" if latin else "",
            f"_{correspondence_key(bare(latin))}" if latin else "",
        ),
        vowel_frame(latin),
        sorted(plain_keys(latin, not has_cyrillic(surname.word.text))),
        _typed(surname.word.text),
    )


_surname_rows: Kept[tuple[str, str, str], _SurnameRow] = Kept(100_000)


@dataclass
class _SurnameSlot:
    """One part of each distinct surname key of a table (its first, second, ...): what
    decides cheaply that two surnames differ. A key without this part holds -1 and "", never
    read (`_surnames_clearly_differ` reads a part only where both keys have it)."""

    # as object arrays, gathered for many pairs at once
    latin: npt.NDArray[np.object_]
    frame: npt.NDArray[np.object_]  # vowel frame of the reading
    skeleton: npt.NDArray[np.object_]
    # (keys × 5): reading, skeleton, skeleton of the stem, correspondence keys (as read and
    # bare), interned (one interning for every part, so codes compare across parts)
    codes: npt.NDArray[np.int64]
    # (keys × most keys of a word): the keys of Latin typed without diacritics
    # (`surname.plain_keys`; a word has one or several, repeated to fill the row), any of
    # which meeting makes the comparator's transliteration
    plain: npt.NDArray[np.int64]
    written: npt.NDArray[np.object_]  # the word as typed, when Latin letters (a slip shows)

    @classmethod
    def of(
        cls,
        keys: int,
        rows: dict[int, _SurnameRow],
        interned: dict[str, int],
        plain_interned: dict[str, int],
        width: int,
    ) -> _SurnameSlot:
        """The slot of `keys` keys from the rows of those that have this part (the others'
        are never read: -1 and "")."""
        held = np.fromiter(rows, dtype=np.int64, count=len(rows))
        codes = np.full((keys, 5), -1, dtype=np.int64)
        codes[held] = np.array(
            [[interned.setdefault(x, len(interned)) for x in row.keys] for row in rows.values()],
            dtype=np.int64,
        ).reshape(len(rows), 5)
        plain = np.full((keys, width), -1, dtype=np.int64)
        plain[held] = np.array(
            [
                [
                    plain_interned.setdefault(k, len(plain_interned))
                    for k in (row.plain * width)[:width]
                ]
                for row in rows.values()
            ],
            dtype=np.int64,
        ).reshape(len(rows), width)

        def texts(read: Callable[[_SurnameRow], str]) -> npt.NDArray[np.object_]:
            array = np.full(keys, "", dtype=object)
            array[held] = _objects([read(row) for row in rows.values()])
            return array

        return cls(
            texts(lambda row: row.keys[0]),
            texts(lambda row: row.frame),
            texts(lambda row: row.keys[1]),
            codes,
            plain,
            texts(lambda row: row.written),
        )


@dataclass
class _SurnameKeys:
    """Per distinct surname key of a table: how many surnames it holds (a double surname is
    itself and its two parts; a maiden name another), and each one's `_SurnameSlot`."""

    count: npt.NDArray[np.int64]
    slots: list[_SurnameSlot]

    @classmethod
    def of(cls, table: NameKeyTable) -> _SurnameKeys:
        if table._surname_keys is None:
            surnames = [p.surnames for p in table._surname_parsed]
            count = np.array([len(s) for s in surnames], dtype=np.int64)
            # a part beyond the first only where there is one: few surnames are double
            rows = [
                {
                    at: _surname_rows.get(
                        (s[slot].word.latin, s[slot].word.text, s[slot].form.stem),
                        partial(_row_of_first, s[slot]),
                    )
                    for at, s in enumerate(surnames)
                    if len(s) > slot
                }
                for slot in range(int(count.max(initial=1)))
            ]
            interned: dict[str, int] = {}
            plain_interned: dict[str, int] = {}
            width = max((len(row.plain) for slot in rows for row in slot.values()), default=1)
            table._surname_keys = cls(
                count,
                [
                    _SurnameSlot.of(len(surnames), slot, interned, plain_interned, width)
                    for slot in rows
                ],
            )
        return table._surname_keys


def _row_of_first(surname: Surname, _: tuple[str, str, str]) -> _SurnameRow:
    return _surname_row(surname)


def _objects(texts: list[str]) -> npt.NDArray[np.object_]:
    array = np.empty(len(texts), dtype=object)
    array[:] = texts
    return array


def _typed(text: str) -> str:
    written = text.lower()
    return written if written.isascii() and written.isalpha() else ""


def _surnames_clearly_differ(table: NameKeyTable, a: IntArray, b: IntArray) -> BoolArray:
    """True where the surnames of keys a and b are surely "different" by `compare_surname`:
    every pair of their surnames the comparator reads (the first two; each part of a double
    or maiden surname against a single one) surely "different" (`_surnames_differ`). False
    says nothing (the comparator decides).

    A third of the pairs a resolve's batch left to the comparator paired a double surname
    with a single one, and came out "different"."""
    keys = _SurnameKeys.of(table)
    count_a, count_b = keys.count[a], keys.count[b]
    differ: BoolArray = (count_a > 0) & (count_b > 0)
    parts_read = (count_a == 1) | (count_b == 1)
    for i, left in enumerate(keys.slots):
        for j, right in enumerate(keys.slots):
            read = differ & (count_a > i) & (count_b > j)
            if i or j:
                read &= parts_read
            rows = np.flatnonzero(read)
            if len(rows):
                differ[rows] = _surnames_differ(left, right, a[rows], b[rows])
    return differ


def _surnames_differ(
    left: _SurnameSlot, right: _SurnameSlot, a: IntArray, b: IntArray
) -> BoolArray:
    """True where surname a of `left` and b of `right` are surely "different" by the
    comparator (`compare._surname_pair`): other readings, skeletons, stem skeletons,
    correspondence and plain keys, and readings, vowel frames, skeletons and typed words each
    more than one edit apart — every other outcome needs one of these alike."""
    pa, pb = left.plain[a], right.plain[b]
    plain_meet = (pa[:, :, None] == pb[:, None, :]).any(axis=(1, 2))
    differ: BoolArray = (left.codes[a] != right.codes[b]).all(axis=1) & ~plain_meet
    rows = np.flatnonzero(differ)
    for left_strings, right_strings in (
        (left.latin, right.latin),
        (left.frame, right.frame),
        (left.skeleton, right.skeleton),
        (left.written, right.latin),
        (left.latin, right.written),
    ):
        if not len(rows):
            break
        distance = process.cpdist(
            left_strings[a[rows]],
            right_strings[b[rows]],
            scorer=OSA.distance,
            workers=-1 if len(rows) >= 5_000 else 1,
        )
        differ[rows[distance <= 1]] = False
        rows = rows[distance > 1]
    return differ


@dataclass
class _ClassKeys:
    """Per distinct given name or patronymic of a table: what decides cheaply that two differ."""

    present: npt.NDArray[np.bool_]
    classes: npt.NDArray[np.int64]  # its one class; -1 none, -2 several
    skeleton: list[str]
    skeleton_code: npt.NDArray[np.int64]

    @classmethod
    def of(cls, table: NameKeyTable, part: str) -> _ClassKeys:
        if part not in table._class_keys:
            parsed: list[ParsedName] = getattr(table, f"_{part}_parsed")
            words = [p.given if part == "given" else p.patronymic for p in parsed]
            sets = [
                (p.given_match.classes if p.given_match else frozenset())
                if part == "given"
                else p.patronymic_classes
                for p in parsed
            ]
            skeletons = [skeleton(w.latin) if w else "" for w in words]
            interned: dict[str, int] = {}
            table._class_keys[part] = cls(
                np.array([w is not None for w in words], dtype=bool),
                np.array(
                    [-1 if not c else min(c) if len(c) == 1 else -2 for c in sets], dtype=np.int64
                ),
                skeletons,
                np.array([interned.setdefault(x, len(interned)) for x in skeletons], np.int64),
            )
        return table._class_keys[part]


def _classes_clearly_differ(table: NameKeyTable, part: str, a: IntArray, b: IntArray) -> BoolArray:
    """True where given names (or patronymics) a and b are surely "different" by their
    comparator: both present, no class in common, skeletons more than one edit apart — every
    other outcome needs a shared class or skeletons alike. False says nothing."""
    keys = _ClassKeys.of(table, part)
    ca, cb = keys.classes[a], keys.classes[b]
    disjoint = (ca == -1) | (cb == -1) | ((ca >= 0) & (cb >= 0) & (ca != cb))
    differ: BoolArray = (
        keys.present[a]
        & keys.present[b]
        & disjoint
        & (keys.skeleton_code[a] != keys.skeleton_code[b])
    )
    rows = np.flatnonzero(differ)
    if len(rows):
        left = [keys.skeleton[i] for i in a[rows].tolist()]
        right = [keys.skeleton[i] for i in b[rows].tolist()]
        workers = -1 if len(rows) >= 5_000 else 1
        distance = process.cpdist(left, right, scorer=OSA.distance, workers=workers)
        differ[rows[distance <= 1]] = False
    return differ


def _part_codes(
    table: NameKeyTable,
    part: str,
    categories: list[str],
    compare: Callable[[ParsedName, ParsedName], tuple[object, str]],
    left: IntArray,
    right: IntArray,
) -> IntArray:
    """For each pair, the index in `categories` of how the two names' `part` compare."""
    keys: IntArray = getattr(table, part)
    parsed: list[ParsedName] = getattr(table, f"_{part}_parsed")
    width = len(parsed)
    rows = table.distinct_row
    unique, inverse = _unique_pairs(keys[rows[left]] * width + keys[rows[right]], width * width)
    empty = np.zeros(0, dtype=np.int64)
    known, known_categories = table._cache.get(part, (empty, empty))
    codes = np.empty(len(unique), dtype=np.int64)
    found = np.zeros(len(unique), dtype=bool)
    if len(known):
        at = np.minimum(np.searchsorted(known, unique), len(known) - 1)
        found = known[at] == unique
        codes[found] = known_categories[at[found]]
    new = np.flatnonzero(~found)
    a, b = np.divmod(unique[new], width)
    different = (
        _surnames_clearly_differ(table, a, b)
        if part == "surname"
        else _classes_clearly_differ(table, part, a, b)
    )
    codes[new[different]] = categories.index("different")
    new, a, b = new[~different], a[~different], b[~different]
    if len(new):
        # a pair of keys met in an earlier table was answered there (a key is all its part's
        # comparator reads: `columns.surname_key`)
        met, key_of = table._part_keys[part]
        answers = _compared.setdefault(part, Kept(_COMPARED_KEPT))

        def answer(x: int, y: int, _pair: tuple[object, object]) -> int:
            category, _ = compare(parsed[x], parsed[y])
            return categories.index(str(category))

        first, second = key_of[a].tolist(), key_of[b].tolist()
        pairs = zip(new.tolist(), a.tolist(), b.tolist(), first, second, strict=True)
        for n, x, y, i, j in pairs:
            codes[n] = answers.get((met[i], met[j]), partial(answer, x, y))
    merged = np.concatenate([known, unique[~found]])
    order = np.argsort(merged, kind="stable")
    table._cache[part] = (merged[order], np.concatenate([known_categories, codes[~found]])[order])
    result: IntArray = codes[inverse]
    return result


def part_categories(
    table: NameKeyTable,
    left: Sequence[int] | IntArray,
    right: Sequence[int] | IntArray,
    parts: Sequence[str] = ("given", "surname", "patronymic"),
) -> dict[str, tuple[list[str], IntArray]]:
    """Per part (given, surname, patronymic, or those in `parts`): the category names and each
    pair's category."""
    a = np.asarray(left, dtype=np.int64)
    b = np.asarray(right, dtype=np.int64)
    return {
        part: (categories, _part_codes(table, part, categories, compare, a, b))
        for part, categories, compare in _PARTS
        if part in parts
    }


def sexes_differ(table: NameKeyTable, left: IntArray, right: IntArray) -> npt.NDArray[np.bool_]:
    a, b = table.distinct_row[left], table.distinct_row[right]
    sa, sb = table.sex[a], table.sex[b]
    ma, mb = table.surname_sex[a], table.surname_sex[b]
    differs: npt.NDArray[np.bool_] = ((sa > 0) & (sb > 0) & (sa != sb)) | (
        (ma > 0) & (mb > 0) & (ma != mb)
    )
    return differs


def score_pairs(
    table: NameKeyTable, left: Sequence[int] | IntArray, right: Sequence[int] | IntArray
) -> FloatArray:
    """Scores of the pairs (table[left[i]], table[right[i]]), as compare_names gives them."""
    model = weights()
    a = np.asarray(left, dtype=np.int64)
    b = np.asarray(right, dtype=np.int64)
    total = np.full(len(a), model.intercept, dtype=np.float64)
    nothing_shared = np.ones(len(a), dtype=bool)
    for part, (categories, codes) in part_categories(table, a, b).items():
        lookup = np.array([model.of(f"{part}.{c}") for c in categories])
        total += lookup[codes]
        nothing_shared &= codes == categories.index("missing")
    total += np.where(sexes_differ(table, a, b), model.of("sex.differs"), 0.0)
    total += np.where(nothing_shared, model.of("names.nothing_shared"), 0.0)
    scores: FloatArray = 1.0 / (1.0 + np.exp(-total))
    # a lone given name against a lone surname is compared in one role (`align_lone_words`),
    # a name of two given names both ways round: rare in registries, so those pairs take
    # the one-pair path
    ra, rb = table.lone_role[table.distinct_row[a]], table.lone_role[table.distinct_row[b]]
    one_by_one = ((ra > 0) & (rb > 0) & (ra != rb)) | (ra == 3) | (rb == 3)
    for row in np.flatnonzero(one_by_one).tolist():
        scores[row] = compare_names(table.name(int(a[row])), table.name(int(b[row]))).score
    return scores
