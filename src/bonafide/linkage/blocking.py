"""Candidate pairs: records that share at least one blocking key.

Keys survive transliteration and typos where they can: name skeletons (see bonafide.names),
birth dates, document numbers, postcode with house number, street skeleton with house number.
Pairs come from an equi-join in DuckDB per key, never from a scan of all pairs.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bonafide.linkage.comparisons import Features

__all__ = ["BLOCKING_KEYS", "NAME_KEYS", "candidate_pairs"]

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


def candidate_pairs(
    features: Features, left_size: int, dedupe: bool, keys: frozenset[str] | None = None
) -> tuple[IntArray, IntArray]:
    """Pairs (left row, right row) of the stacked records that share a blocking key.

    Linking: left rows are [0, left_size), right rows the rest. Deduplicating: all rows are one
    file and each pair appears once with left < right. One DuckDB query joins every key and
    keeps each pair once.
    """
    total = len(features.birth)
    side = np.arange(total) >= left_size
    rows, names, values = [], [], []
    for number, (name, make_key) in enumerate(BLOCKING_KEYS.items()):
        if keys is not None and name not in keys:
            continue
        key_values = make_key(features)
        present = np.flatnonzero(np.array([v is not None for v in key_values], dtype=bool))
        rows.append(present.astype(np.int64))
        names.append(np.full(len(present), number, dtype=np.int64))
        values.append(pa.array(key_values[present], pa.string()))
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    all_rows = np.concatenate(rows)
    table = pa.table(
        {
            "row": pa.array(all_rows),
            "rule": pa.array(np.concatenate(names)),
            "key": pa.concat_arrays([v.cast(pa.string()) for v in values]),
            "right_side": pa.array(side[all_rows]),
        }
    )
    condition = "l.row < r.row" if dedupe else "NOT l.right_side AND r.right_side"
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
        SELECT DISTINCT l.row * {total}::BIGINT + r.row AS code
        FROM usable l JOIN usable r ON l.rule = r.rule AND l.key = r.key AND {condition}
        ORDER BY code
        """
    ).fetchnumpy()
    connection.close()
    codes = np.asarray(result["code"], dtype=np.int64)
    return codes // total, codes % total
