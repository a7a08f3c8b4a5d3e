"""Scoring many name pairs at once on keys computed once per name.

A name's score against another is a sum of part weights, and each part's category depends only
on that part of the two names. So each distinct name is parsed once into part keys (given name,
surname(s), patronymic, sex); for a batch of pairs, each distinct pair of part keys is compared
once with the very comparators `compare_names` uses, and the weights are gathered with NumPy.
Registries repeat names heavily, so the comparisons are few and the gathering is vectorised;
both paths give the same score for the same pair (a test checks this).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from bonafide.names.compare import compare_given, compare_patronymic, compare_surname
from bonafide.names.latin import looks_belarusian
from bonafide.names.model import weights
from bonafide.names.parse import ParsedName, parse_name

__all__ = ["NameKeyTable", "score_pairs"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
_SEX_CODE = {None: 0, "m": 1, "f": 2}


def _codes(values: list[object]) -> tuple[IntArray, list[int]]:
    """Integer codes for values, and for each code the first position holding it."""
    index: dict[object, int] = {}
    first: list[int] = []
    codes = np.empty(len(values), dtype=np.int64)
    for position, value in enumerate(values):
        code = index.get(value)
        if code is None:
            code = index[value] = len(first)
            first.append(position)
        codes[position] = code
    return codes, first


@dataclass
class NameKeyTable:
    """Names parsed once, with integer keys for each part."""

    names: list[str]
    parsed: list[ParsedName]
    given: IntArray
    surname: IntArray
    patronymic: IntArray
    sex: IntArray
    _given_first: list[int]
    _surname_first: list[int]
    _patronymic_first: list[int]
    # part → pair code → weight: each distinct pair of parts is compared once per table
    _cache: dict[str, dict[int, float]] = field(default_factory=dict)

    @classmethod
    def build(cls, names: Sequence[str]) -> NameKeyTable:
        parsed = [parse_name(name) for name in names]
        given, given_first = _codes([p.given.latin if p.given else None for p in parsed])
        surname, surname_first = _codes(
            [
                tuple((s.word.latin, looks_belarusian(s.word.text)) for s in p.surnames)
                for p in parsed
            ]
        )
        patronymic, patronymic_first = _codes(
            [p.patronymic.latin if p.patronymic else None for p in parsed]
        )
        sex = np.array([_SEX_CODE[p.sex] for p in parsed], dtype=np.int64)
        return cls(
            list(names),
            parsed,
            given,
            surname,
            patronymic,
            sex,
            given_first,
            surname_first,
            patronymic_first,
        )

    def __len__(self) -> int:
        return len(self.names)


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


def _part_weights(
    table: NameKeyTable,
    keys: IntArray,
    first: list[int],
    left: IntArray,
    right: IntArray,
    compare: Callable[[ParsedName, ParsedName], tuple[object, str]],
    part: str,
) -> FloatArray:
    model = weights()
    width = len(first)
    combined = keys[left] * width + keys[right]
    unique, inverse = _unique_pairs(combined, width * width)
    cache = table._cache.setdefault(part, {})
    unique_weights = np.empty(len(unique), dtype=np.float64)
    for n, code in enumerate(unique.tolist()):
        weight = cache.get(code)
        if weight is None:
            a, b = divmod(code, width)
            category, _ = compare(table.parsed[first[a]], table.parsed[first[b]])
            weight = cache[code] = model.of(f"{part}.{category}")
        unique_weights[n] = weight
    result: FloatArray = unique_weights[inverse]
    return result


def score_pairs(
    table: NameKeyTable, left: Sequence[int] | IntArray, right: Sequence[int] | IntArray
) -> FloatArray:
    """Scores of the pairs (table[left[i]], table[right[i]]), as compare_names gives them."""
    model = weights()
    a = np.asarray(left, dtype=np.int64)
    b = np.asarray(right, dtype=np.int64)
    total = np.full(len(a), model.intercept, dtype=np.float64)
    total += _part_weights(table, table.given, table._given_first, a, b, compare_given, "given")
    total += _part_weights(
        table, table.surname, table._surname_first, a, b, compare_surname, "surname"
    )
    total += _part_weights(
        table, table.patronymic, table._patronymic_first, a, b, compare_patronymic, "patronymic"
    )
    sa, sb = table.sex[a], table.sex[b]
    differs = (sa > 0) & (sb > 0) & (sa != sb)
    total += np.where(differs, model.of("sex.differs"), 0.0)
    scores: FloatArray = 1.0 / (1.0 + np.exp(-total))
    return scores
