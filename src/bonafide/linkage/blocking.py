"""Candidate pairs: records that share at least one blocking key.

Keys survive transliteration and typos where they can: name skeletons (see bonafide.names),
birth dates, document numbers, postcode with house number, street skeleton with house number.
Pairs come from one DuckDB query that equi-joins every key, never from a scan of all pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bonafide.linkage.comparisons import Features

__all__ = ["BLOCKING_KEYS", "NAME_KEYS", "Candidates", "candidate_pairs"]

IntArray = npt.NDArray[np.int64]
ObjectArray = npt.NDArray[np.object_]
MAX_BLOCK = 300  # a key shared by more records than this on one side is too common to use


def _name_skeletons(features: Features) -> tuple[list[str | None], list[str | None]]:
    surnames = [v or None for v in features.name_skeletons["surname_stem"].tolist()]
    given = [v or None for v in features.name_skeletons["given"].tolist()]
    return surnames, given


def _join(*columns: list[str | None] | npt.NDArray[np.str_] | ObjectArray) -> ObjectArray:
    return np.array(
        [
            None if any(v is None or v == "" for v in values) else "\x1f".join(map(str, values))
            for values in zip(*columns, strict=True)
        ],
        dtype=object,
    )


def _or_none(values: npt.NDArray[np.str_]) -> ObjectArray:
    return np.array([v or None for v in values.tolist()], dtype=object)


def _names(features: Features) -> ObjectArray:
    surnames, given = _name_skeletons(features)
    return _join(surnames, given)


def _names_either_order(features: Features) -> ObjectArray:
    surnames, given = _name_skeletons(features)
    return np.array(
        [
            None if s is None or g is None else "\x1f".join(sorted((s, g)))
            for s, g in zip(surnames, given, strict=True)
        ],
        dtype=object,
    )


def _surname_and_year(features: Features) -> ObjectArray:
    surnames, _ = _name_skeletons(features)
    years = [b[:4] if b else None for b in features.birth]
    return _join(surnames, years)


def _surname_and_place(features: Features) -> ObjectArray:
    surnames, _ = _name_skeletons(features)
    return _join(surnames, features.settlement_skeleton)


def _surname(features: Features) -> ObjectArray:
    return np.array(_name_skeletons(features)[0], dtype=object)


def _given_and(
    other: Callable[[Features], npt.NDArray[np.str_]],
) -> Callable[[Features], ObjectArray]:
    return lambda f: _join(_name_skeletons(f)[1], other(f))


BLOCKING_KEYS: dict[str, Callable[[Features], ObjectArray]] = {
    "names": _names,
    "surname": _surname,
    "given_house": _given_and(lambda f: f.house),
    "given_postcode": _given_and(lambda f: f.postcode),
    "street_postcode": lambda f: _join(f.street_skeleton, f.postcode),
    "settlement_house": lambda f: _join(f.settlement_skeleton, f.house),
    "names_either_order": _names_either_order,
    "surname_birth_year": _surname_and_year,
    "surname_settlement": _surname_and_place,
    "birth_date": lambda f: _or_none(f.birth),
    "personal_number": lambda f: _or_none(f.personal_number),
    "passport_number": lambda f: _or_none(f.passport_number),
    "postcode_house": lambda f: _join(f.postcode, f.house),
    "street_house": lambda f: _join(f.street_skeleton, f.house),
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
    }
)


@dataclass
class Candidates:
    """Candidate pairs (left row, right row), sorted, each once, and which keys found them."""

    left: IntArray
    right: IntArray
    by_names: npt.NDArray[np.bool_]  # found by a key in NAME_KEYS
    by_others: npt.NDArray[np.bool_]  # found by any other key

    def __len__(self) -> int:
        return len(self.left)


def candidate_pairs(features: Features, left_size: int, dedupe: bool) -> Candidates:
    """Pairs of the stacked records that share a blocking key.

    Linking: left rows are [0, left_size), right rows the rest. Deduplicating: all rows are one
    file and each pair appears once with left < right. One DuckDB query joins every key, keeps
    each pair once and notes whether name keys, other keys or both found it.
    """
    total = len(features.birth)
    side = np.arange(total) >= left_size
    rows, rules, values = [], [], []
    name_rules = []
    for number, (name, make_key) in enumerate(BLOCKING_KEYS.items()):
        key_values = make_key(features)
        present = np.flatnonzero(np.array([v is not None for v in key_values], dtype=bool))
        rows.append(present.astype(np.int64))
        rules.append(np.full(len(present), number, dtype=np.int64))
        values.append(pa.array(key_values[present], pa.string()))
        if name in NAME_KEYS:
            name_rules.append(number)
    all_rows = np.concatenate(rows)
    table = pa.table(
        {
            "row": pa.array(all_rows),
            "rule": pa.array(np.concatenate(rules)),
            "key": pa.concat_arrays(values),
            "right_side": pa.array(side[all_rows]),
        }
    )
    condition = "l.row < r.row" if dedupe else "NOT l.right_side AND r.right_side"
    by_name = f"l.rule IN ({', '.join(map(str, name_rules))})"
    connection = duckdb.connect()
    connection.register("keyed", table)
    result = connection.execute(
        f"""
        WITH common AS (
            SELECT rule, key FROM keyed GROUP BY rule, key, right_side
            HAVING count(*) > {MAX_BLOCK}
        ),
        usable AS (
            SELECT k.* FROM keyed k ANTI JOIN common c ON k.rule = c.rule AND k.key = c.key
        )
        SELECT l.row * {total}::BIGINT + r.row AS code,
               bool_or({by_name}) AS by_names,
               bool_or(NOT ({by_name})) AS by_others
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
    )
