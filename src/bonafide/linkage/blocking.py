"""Candidate pairs: records that share at least one blocking key.

Keys survive transliteration and typos where they can: name skeletons (see bonafide.names),
birth dates, document numbers, postcode with house number, street skeleton with house number.
Pairs come from one DuckDB query that equi-joins every key, never from a scan of all pairs.

A key value shared by too many records on one side would pair strangers by the thousand.
Coarse keys (a surname, a birth date) get a smaller limit than fine ones. A coarse key's block
over its limit is not simply skipped: its records are blocked by its refinement instead — the
coarse key with a further part the record has (a birth date with the initials of the names,
names with the birth year), used only where the coarse block overflowed. The surname alone has
none: its refinement by the given name's initial fetched a dozen namesakes a lookup at 200 k
people, who then crowded the true person out of the candidates scored; the surname with the
birth year is refined instead. A population ten times larger fills every birth date and
common surname past its limit; without refinements, records that differ from their identity
record (another script, a typo) kept too few usable keys and stayed without a person
(docs/benchmarks.md).
A value still over its limit after refinement is skipped; the person index counts the lookups
left with no usable key (`persons.index.BlockingCounts`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.linkage.coded import Coded, TextArray
from bonafide.linkage.comparisons import Features
from bonafide.vault.duck import scratch_connection

__all__ = [
    "BLOCKING_KEYS",
    "BLOCK_LIMITS",
    "KEYS_WITH_BIRTH_DATE",
    "MAX_BLOCK",
    "NAME_KEYS",
    "REFINED_FROM",
    "Candidates",
    "block_limit",
    "candidate_pairs",
]

log = logging.getLogger(__name__)
IntArray = npt.NDArray[np.int64]
ObjectArray = npt.NDArray[np.object_]
JOIN_MEMORY = "600MB"
JOIN_MEMORY_RETRY = "1200MB"
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
    """The most records one value of `key` may hold on one side before it is too common to
    use; a refinement's is its own where BLOCK_LIMITS names it, else its coarse key's."""
    if key in BLOCK_LIMITS:
        return BLOCK_LIMITS[key]
    return BLOCK_LIMITS.get(REFINED_FROM.get(key, key), MAX_BLOCK)


# A key is the parts of a record, missing where any part is (code 0). As text (the person
# index keeps keys as text, hashed) the parts are joined by a separator; to find pairs, the
# parts' codes are combined into one integer, equal where the text is.
Part = Callable[[Features], Coded]


def _surname(features: Features) -> Coded:
    return features.name_skeletons["surname_stem"]


def _given(features: Features) -> Coded:
    """The given name's class in the given-name table where it has one (Hanna, Ганна, Анна and
    Anna are one key), else its skeleton."""
    return features.name_skeletons["given_class"]


def _given_spelling(features: Features) -> Coded:
    # for the either-order key: a swapped record's given name is compared as a surname
    return features.name_skeletons["given"]


def _first_character(values: TextArray) -> TextArray:
    initial: TextArray = values.astype("<U1")  # "" stays ""
    return initial


def _surname_initial(features: Features) -> Coded:
    return features.name_skeletons["surname_stem"].map(_first_character)


def _given_initial(features: Features) -> Coded:
    # of the spelling's skeleton, not the class: a misspelt given name has no class
    return features.name_skeletons["given"].map(_first_character)


def _year(values: TextArray) -> TextArray:
    year: TextArray = values.astype("<U4")  # the first four characters, "" stays ""
    return year


def _birth_year(features: Features) -> Coded:
    return features.birth.map(_year)


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
    # Refinements (REFINED_FROM): a coarse key's parts and one more, used only for a value of
    # the coarse key held by more records than its limit.
    "names_birth_year": (_surname, _given, _birth_year),
    "names_either_order_birth_year": (_surname, _given_spelling, _birth_year),
    "surname_birth_year_given_initial": (_surname, _birth_year, _given_initial),
    "surname_settlement_given_initial": (_surname, _field("settlement_skeleton"), _given_initial),
    "birth_date_initials": (_field("birth"), _surname_initial, _given_initial),
}
# refinement → the coarse key it stands in for. Its key is the coarse key's followed by the
# separator and its further parts, so a refined value names its coarse value.
REFINED_FROM = {
    "names_birth_year": "names",
    "names_either_order_birth_year": "names_either_order",
    "surname_birth_year_given_initial": "surname_birth_year",
    "surname_settlement_given_initial": "surname_settlement",
    "birth_date_initials": "birth_date",
}
# Keys whose first two parts are joined in sorted order (surname and given name, either way
# round).
_EITHER_ORDER = frozenset({"names_either_order", "names_either_order_birth_year"})
_SEPARATOR = "\x1f"
_COMBINED_LIMIT = 1 << 62  # combined codes are renumbered densely before they could overflow


def _parts(name: str, features: Features) -> list[Coded]:
    """The key's parts; an either-order key's first two coded in one dictionary, so that the
    smaller code is the text sorting first."""
    parts = [part(features) for part in _KEY_PARTS[name]]
    if name in _EITHER_ORDER:
        first, second, *rest = parts
        return [*Coded.common(first, second), *rest]
    return parts


def _integer_keys(name: str, features: Features) -> IntArray:
    """Each record's key as an integer, equal where the text keys are equal; -1 where the
    record has none."""
    parts = _parts(name, features)
    codes = [part.codes.astype(np.int64) for part in parts]
    present = np.ones(len(features), dtype=bool)
    for column in codes:
        present &= column != 0
    if name in _EITHER_ORDER:
        codes[0], codes[1] = np.minimum(codes[0], codes[1]), np.maximum(codes[0], codes[1])
    key = codes[0]
    size = len(parts[0].values)
    for part, column in zip(parts[1:], codes[1:], strict=True):
        if size * len(part.values) >= _COMBINED_LIMIT:
            _, key = np.unique(key, return_inverse=True)
            size = int(key.max()) + 1
        key = key * len(part.values) + column
        size *= len(part.values)
    keys: IntArray = np.where(present, key, -1)
    return keys


def _text_keys(name: str, features: Features) -> ObjectArray:
    """Each record's key as text, None where it has none: built once per distinct key."""
    keys = _integer_keys(name, features)
    present = np.flatnonzero(keys >= 0)
    result: ObjectArray = np.full(len(keys), None, dtype=object)
    if not len(present):
        return result
    _, first, inverse = np.unique(keys[present], return_index=True, return_inverse=True)
    rows = present[first]
    columns = [part.text(rows).tolist() for part in _parts(name, features)]
    if name in _EITHER_ORDER:
        texts = []
        for first_part, second_part, *rest in zip(*columns, strict=True):
            pair = sorted((first_part, second_part))
            texts.append(_SEPARATOR.join((*pair, *rest)))
    else:
        texts = [_SEPARATOR.join(values) for values in zip(*columns, strict=True)]
    distinct = np.empty(len(texts), dtype=object)
    distinct[:] = texts
    result[present] = distinct[inverse]
    return result


def _as_text(name: str) -> Callable[[Features], ObjectArray]:
    return lambda features: _text_keys(name, features)


# name → function(Features) → object array of key strings, None where the record has no key
BLOCKING_KEYS: dict[str, Callable[[Features], ObjectArray]] = {
    name: _as_text(name) for name in _KEY_PARTS
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
        "names_birth_year",
        "names_either_order_birth_year",
        "surname_birth_year_given_initial",
        "surname_settlement_given_initial",
        # the names' initials: its pairs agree on names more than other keys' (model training
        # learns the names' m from pairs found by keys not in this set)
        "birth_date_initials",
    }
)


# Keys whose pairs agree on the birth date or year by construction.
KEYS_WITH_BIRTH_DATE = frozenset(
    {
        "birth_date",
        "surname_birth_year",
        "given_birth_date",
        "names_birth_year",
        "names_either_order_birth_year",
        "surname_birth_year_given_initial",
        "birth_date_initials",
    }
)


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


def coarse_rule(name: str) -> int:
    """The number (position in BLOCKING_KEYS) of the coarse key `name` refines; -1 if none."""
    coarse = REFINED_FROM.get(name)
    return -1 if coarse is None else list(_KEY_PARTS).index(coarse)


def coarse_keys(name: str, keys: pa.StringArray) -> pa.StringArray:
    """The coarse key each of a refinement's keys stands in for (null for a coarse key)."""
    if name not in REFINED_FROM:
        return pa.nulls(len(keys), pa.string())
    parts = pc.split_pattern(keys, _SEPARATOR)
    coarse: pa.StringArray = pc.binary_join(
        pc.list_slice(parts, 0, len(_KEY_PARTS[REFINED_FROM[name]])), _SEPARATOR
    )
    return coarse


_KEYED_SCHEMA = pa.schema(
    {
        "row": pa.int32(),
        "rule": pa.int8(),
        "key": pa.int64(),
        "coarse_key": pa.int64(),
    }
)


def _keyed(features: Features) -> tuple[pa.Table, list[int]]:
    """(row, rule, key, coarse_key) for every key a record has, the keys as integers (a
    refinement's coarse key is its coarse rule's key of the same record; null for a coarse
    key); the name rules."""
    tables, name_rules = [], []
    coarse_of: dict[str, IntArray] = {}  # coarse rule → its keys, while a refinement needs them
    refined = set(REFINED_FROM.values())
    for number, name in enumerate(_KEY_PARTS):
        keys = _integer_keys(name, features)
        if name in refined:
            coarse_of[name] = keys
        if name in NAME_KEYS:
            name_rules.append(number)
        rows = np.flatnonzero(keys >= 0).astype(np.int32)
        if len(rows) == 0:
            continue
        coarse = (
            pa.array(coarse_of[REFINED_FROM[name]][rows])
            if name in REFINED_FROM
            else pa.nulls(len(rows), pa.int64())
        )
        tables.append(
            pa.table(
                {
                    "row": rows,
                    "rule": np.full(len(rows), number, dtype=np.int8),
                    "key": keys[rows],
                    "coarse_key": coarse,
                },
                schema=_KEYED_SCHEMA,
            )
        )
    if not tables:
        return _KEYED_SCHEMA.empty_table(), name_rules
    return pa.concat_tables(tables), name_rules


def _rules() -> pa.Table:
    """Per rule its block limit and the rule it refines (-1: none)."""
    return pa.table(
        {
            "rule": pa.array(range(len(_KEY_PARTS)), pa.int8()),
            "limit": pa.array([block_limit(name) for name in _KEY_PARTS], pa.int16()),
            "coarse_rule": pa.array([coarse_rule(name) for name in _KEY_PARTS], pa.int8()),
        }
    )


def candidate_pairs(features: Features, left_size: int, dedupe: bool) -> Candidates:
    """Pairs of the stacked records that share a blocking key.

    Linking: left rows are [0, left_size), right rows the rest. Deduplicating: all rows are one
    file and each pair appears once with left < right. One DuckDB query joins every key, keeps
    each pair once and notes whether name keys, other keys or both found it.
    """
    keyed, name_rules = _keyed(features)
    return _pairs_sharing_keys(keyed, name_rules, len(features), left_size, dedupe)


def _run_within_memory(keyed: pa.Table, query: str) -> dict[str, Any]:
    """The query's result over `keyed`, within JOIN_MEMORY on two threads. DuckDB spills
    beyond its limit, but what two threads hold at once varies from run to run, and a join
    near the limit sometimes fails where it passed before: once more, then, on one thread
    with twice the memory."""
    for memory, threads in ((JOIN_MEMORY, 2), (JOIN_MEMORY_RETRY, 1)):
        connection = scratch_connection(memory, threads=threads)
        try:
            connection.register("keyed", keyed)
            connection.register("rules", _rules())
            return connection.execute(query).fetchnumpy()
        except duckdb.OutOfMemoryException:
            if threads == 1:
                raise
            log.warning("blocking join over its memory limit; again on one thread")
        finally:
            connection.close()
    raise AssertionError("unreachable")


def _pairs_sharing_keys(
    keyed: pa.Table, name_rules: list[int], total: int, left_size: int, dedupe: bool
) -> Candidates:
    condition = "l.row < r.row" if dedupe else f"l.row < {left_size} AND r.row >= {left_size}"
    by_name = f"l.rule IN ({', '.join(map(str, name_rules or [-1]))})"
    # a memory limit (spilling, encrypted, to the process's temporary directory beyond it):
    # unlimited, the join and its grouping took 1.2 GB at 1 M records, the peak of a whole
    # deduplication
    query = f"""
        WITH common AS (
            SELECT DISTINCT k.rule, k.key FROM keyed k JOIN rules USING (rule)
            GROUP BY k.rule, k.key, k.row >= {left_size}
            HAVING count(*) > any_value(rules."limit")
        ),
        reached AS (
            SELECT row, rule, key FROM keyed WHERE coarse_key IS NULL
            UNION ALL
            SELECT k.row, k.rule, k.key
            FROM (SELECT k.*, rules.coarse_rule FROM keyed k JOIN rules USING (rule)) k
            SEMI JOIN common c ON k.coarse_rule = c.rule AND k.coarse_key = c.key
        ),
        usable AS (
            SELECT k.row, k.rule, k.key
            FROM reached k ANTI JOIN common c ON k.rule = c.rule AND k.key = c.key
        )
        SELECT l.row * {total}::BIGINT + r.row AS code,
               bool_or({by_name}) AS by_names,
               bool_or(NOT ({by_name})) AS by_others,
               bit_or(1::INTEGER << l.rule) AS by_keys
        FROM usable l JOIN usable r ON l.rule = r.rule AND l.key = r.key AND {condition}
        GROUP BY code
        ORDER BY code
        """
    result = _run_within_memory(keyed, query)
    codes = np.asarray(result["code"], dtype=np.int64)
    return Candidates(
        codes // total,
        codes % total,
        np.asarray(result["by_names"], dtype=bool),
        np.asarray(result["by_others"], dtype=bool),
        np.asarray(result["by_keys"], dtype=np.int32),
    )
