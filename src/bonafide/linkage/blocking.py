"""Candidate pairs: records that share at least one blocking key.

Keys survive transliteration and typos where they can: name skeletons (see bonafide.names),
birth dates, document numbers, postcode with house number, street skeleton with house number.
Pairs come from one DuckDB query that equi-joins every key, never from a scan of all pairs.

A key value shared by too many records on one side is skipped: it would pair strangers by the
thousand and find no pair a finer key misses. Coarse keys (a surname, a birth date) get a
smaller limit than fine ones; in a big registry their blocks are skipped and the finer keys
(surname with given name or birth year, given name with birth date, documents) find the pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.linkage.comparisons import SMALL, Features
from bonafide.vault.duck import scratch_connection

__all__ = [
    "BLOCKING_KEYS",
    "BLOCK_LIMITS",
    "KEYS_WITH_BIRTH_DATE",
    "MAX_BLOCK",
    "NAME_KEYS",
    "Candidates",
    "block_limit",
    "candidate_pairs",
]

IntArray = npt.NDArray[np.int64]
ObjectArray = npt.NDArray[np.object_]
TextArray = npt.NDArray[np.str_]
JOIN_MEMORY = "600MB"
MAX_BLOCK = 300  # a key shared by more records than this on one side is too common to use
# Coarse keys, with the records one value may hold on one side. Measured on a 100,000-record
# registry: beyond these the coarse keys add millions of pairs and no true pair of their own.
BLOCK_LIMITS = {
    "surname": 60,
    "birth_date": 20,
    "surname_settlement": 20,
    "names": 30,
    "names_either_order": 30,
    "surname_birth_year": 30,
}


def block_limit(key: str) -> int:
    """The most records one value of `key` may hold on one side before it is skipped."""
    return BLOCK_LIMITS.get(key, MAX_BLOCK)


def _text(values: TextArray) -> pa.StringArray:
    """A feature column as Arrow strings, null where the record lacks it."""
    array = pa.array(values, pa.string())
    result: pa.StringArray = pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)
    return result


def _join(*columns: pa.StringArray) -> pa.StringArray:
    """The columns joined by a separator; null where any is null."""
    joined: pa.StringArray = pc.binary_join_element_wise(*columns, "\x1f")
    return joined


# A key is the parts of a record joined by a separator, missing where any part is ("").
Part = Callable[[Features], TextArray]


def _surname(features: Features) -> TextArray:
    return features.name_skeletons["surname_stem"]


def _given(features: Features) -> TextArray:
    """The given name's class in the given-name table where it has one (Hanna, Ганна, Анна and
    Anna are one key), else its skeleton."""
    return features.name_skeletons["given_class"]


def _given_spelling(features: Features) -> TextArray:
    # for the either-order key: a swapped record's given name is compared as a surname
    return features.name_skeletons["given"]


def _birth_year(features: Features) -> TextArray:
    year: TextArray = features.birth.astype("<U4")  # the first four characters, "" stays ""
    return year


def _field(name: str) -> Part:
    return lambda f: getattr(f, name)


_KEY_PARTS: dict[str, tuple[Part, ...]] = {
    "names": (_surname, _given),
    "surname": (_surname,),
    "given_house": (_given, _field("house")),
    "given_postcode": (_given, _field("postcode")),
    "street_postcode": (_field("street_skeleton"), _field("postcode")),
    "settlement_house": (_field("settlement_skeleton"), _field("house")),
    "names_either_order": (_surname, _given_spelling),
    "surname_birth_year": (_surname, _birth_year),
    "surname_settlement": (_surname, _field("settlement_skeleton")),
    "birth_date": (_field("birth"),),
    "personal_number": (_field("personal_number"),),
    "passport_number": (_field("passport_number"),),
    "postcode_house": (_field("postcode"), _field("house")),
    "street_house": (_field("street_skeleton"), _field("house")),
    # A married woman's new surname, or a surname typo, in a registry where one birth date is
    # shared by more people than its block limit.
    "given_birth_date": (_given, _field("birth")),
}
# Keys whose two parts are joined in sorted order (surname and given name, either way round).
_EITHER_ORDER = frozenset({"names_either_order"})
_SEPARATOR = "\x1f"


def _arrow_keys(name: str, features: Features) -> pa.StringArray:
    """The key of every record as Arrow strings, null where the record has none."""
    columns = [_text(part(features)) for part in _KEY_PARTS[name]]
    if name in _EITHER_ORDER:
        first, second = columns
        in_order = pc.less_equal(first, second)
        either: pa.StringArray = pc.if_else(in_order, _join(first, second), _join(second, first))
        return either
    return columns[0] if len(columns) == 1 else _join(*columns)


def _python_keys(name: str, features: Features) -> ObjectArray:
    """The same keys as `_arrow_keys`, value by value: faster for a few hundred records."""
    columns = [part(features).tolist() for part in _KEY_PARTS[name]]
    keys: ObjectArray = np.full(len(features.birth), None, dtype=object)
    if name in _EITHER_ORDER:
        for row, (first, second) in enumerate(zip(*columns, strict=True)):
            if first and second:
                pair = (first, second) if first <= second else (second, first)
                keys[row] = _SEPARATOR.join(pair)
        return keys
    for row, values in enumerate(zip(*columns, strict=True)):
        if all(values):
            keys[row] = _SEPARATOR.join(values)
    return keys


def _as_objects(name: str) -> Callable[[Features], ObjectArray]:
    def keys(features: Features) -> ObjectArray:
        if len(features.birth) < SMALL:
            return _python_keys(name, features)
        values: ObjectArray = _arrow_keys(name, features).to_numpy(zero_copy_only=False)
        return values

    return keys


# name → function(Features) → object array of key strings, None where the record has no key
BLOCKING_KEYS: dict[str, Callable[[Features], ObjectArray]] = {
    name: _as_objects(name) for name in _KEY_PARTS
}


NAME_KEYS = frozenset(
    {
        "names",
        "surname",
        "given_house",
        "given_postcode",
        "names_either_order",
        "surname_birth_year",
        "surname_settlement",
        "given_birth_date",
    }
)


# Keys whose pairs agree on the birth date or year by construction.
KEYS_WITH_BIRTH_DATE = frozenset({"birth_date", "surname_birth_year", "given_birth_date"})


@dataclass
class Candidates:
    """Candidate pairs (left row, right row), sorted, each once, and which keys found them."""

    left: IntArray
    right: IntArray
    by_names: npt.NDArray[np.bool_]  # found by a key in NAME_KEYS
    by_others: npt.NDArray[np.bool_]  # found by any other key
    # bit i set: found by the i-th key of BLOCKING_KEYS
    by_keys: npt.NDArray[np.int32] | None = None

    def __len__(self) -> int:
        return len(self.left)

    def found_by(self, keys: frozenset[str]) -> npt.NDArray[np.bool_]:
        """The pairs that one of `keys` found."""
        if self.by_keys is None:
            raise ValueError("these candidates do not record which keys found them")
        mask = sum(1 << n for n, name in enumerate(BLOCKING_KEYS) if name in keys)
        found: npt.NDArray[np.bool_] = (self.by_keys & mask) != 0
        return found


def _keyed(features: Features, left_size: int) -> tuple[pa.Table, list[int]]:
    """(row, rule, key, limit, right_side) for every key a record has; the name rules."""
    tables, name_rules = [], []
    for number, name in enumerate(_KEY_PARTS):
        keys = _arrow_keys(name, features)
        present = np.flatnonzero(pc.is_valid(keys).to_numpy(zero_copy_only=False))
        if len(present) == 0:
            continue
        rows = present.astype(np.int32)
        tables.append(
            pa.table(
                {
                    "row": rows,
                    "rule": np.full(len(rows), number, dtype=np.int8),
                    "key": keys.take(pa.array(rows)),
                    "limit": np.full(len(rows), block_limit(name), dtype=np.int16),
                    "right_side": rows >= left_size,
                }
            )
        )
        if name in NAME_KEYS:
            name_rules.append(number)
    if not tables:
        empty = {"row": pa.int32(), "rule": pa.int8(), "key": pa.string()}
        schema = pa.schema({**empty, "limit": pa.int16(), "right_side": pa.bool_()})
        return schema.empty_table(), name_rules
    return pa.concat_tables(tables), name_rules


def candidate_pairs(features: Features, left_size: int, dedupe: bool) -> Candidates:
    """Pairs of the stacked records that share a blocking key.

    Linking: left rows are [0, left_size), right rows the rest. Deduplicating: all rows are one
    file and each pair appears once with left < right. One DuckDB query joins every key, keeps
    each pair once and notes whether name keys, other keys or both found it.
    """
    total = len(features.birth)
    keyed, name_rules = _keyed(features, left_size)
    return _pairs_sharing_keys(keyed, name_rules, total, dedupe)


def _pairs_sharing_keys(
    keyed: pa.Table, name_rules: list[int], total: int, dedupe: bool
) -> Candidates:
    condition = "l.row < r.row" if dedupe else "NOT l.right_side AND r.right_side"
    by_name = f"l.rule IN ({', '.join(map(str, name_rules or [-1]))})"
    # a memory limit (spilling, encrypted, to the process's temporary directory beyond it):
    # unlimited, the join and its grouping took 1.2 GB at 1 M records, the peak of a whole
    # deduplication
    connection = scratch_connection(JOIN_MEMORY, threads=2)
    connection.register("keyed", keyed)
    result = connection.execute(
        f"""
        WITH common AS (
            SELECT rule, key FROM keyed GROUP BY rule, key, right_side
            HAVING count(*) > any_value("limit")
        ),
        usable AS (
            SELECT k.row, k.rule, k.key, k.right_side
            FROM keyed k ANTI JOIN common c ON k.rule = c.rule AND k.key = c.key
        )
        SELECT l.row * {total}::BIGINT + r.row AS code,
               bool_or({by_name}) AS by_names,
               bool_or(NOT ({by_name})) AS by_others,
               bit_or(1::INTEGER << l.rule) AS by_keys
        FROM usable l JOIN usable r ON l.rule = r.rule AND l.key = r.key AND {condition}
        GROUP BY code
        ORDER BY code
        """
    ).fetchnumpy()
    connection.close()
    codes = np.asarray(result["code"], dtype=np.int64)
    return Candidates(
        codes // total,
        codes % total,
        np.asarray(result["by_names"], dtype=bool),
        np.asarray(result["by_others"], dtype=bool),
        np.asarray(result["by_keys"], dtype=np.int32),
    )
