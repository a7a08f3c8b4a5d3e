"""Candidate pairs: records that share at least one blocking key.

Keys survive transliteration and typos where they can: name skeletons (see bonafide.names),
birth dates, document numbers, postcode with house number, street skeleton with house number.
Pairs come from each key's blocks expanded (vectorised), never from a scan of all pairs.

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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.linkage.coded import Coded, TextArray
from bonafide.linkage.comparisons import Features

__all__ = [
    "BLOCKING_KEYS",
    "BLOCK_LIMITS",
    "INDEX_ONLY_KEYS",
    "KEYS_WITH_BIRTH_DATE",
    "MAX_BLOCK",
    "NAME_KEYS",
    "REFINED_FROM",
    "Candidates",
    "block_limit",
    "candidate_pairs",
    "distinct_keys",
    "expand_ranges",
    "first_of_run",
]

IntArray = npt.NDArray[np.int64]
ObjectArray = npt.NDArray[np.object_]
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
    return features.derived(
        "surname_initial", lambda f: f.name_skeletons["surname_stem"].map(_first_character)
    )


def _given_initial(features: Features) -> Coded:
    # of the spelling's skeleton, not the class: a misspelt given name has no class
    return features.derived(
        "given_initial", lambda f: f.name_skeletons["given"].map(_first_character)
    )


def _year(values: TextArray) -> TextArray:
    year: TextArray = values.astype("<U4")  # the first four characters, "" stays ""
    return year


def _birth_year(features: Features) -> Coded:
    return features.derived("birth_year", lambda f: f.birth.map(_year))


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
# Keys the person index holds besides the blocking keys, never blocked on (no block of theirs
# is ever fetched as candidates): "names_birth_date" finds the identity records written alike
# a lookup (surname, given name and birth date), which resolve scores alone where they are one
# person's (`PersonIndex.rows_written_alike`).
INDEX_ONLY_KEYS: dict[str, tuple[Part, ...]] = {
    "names_birth_date": (_surname, _given, _field("birth")),
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
# Below this many records (a lookup and its candidates), text keys are joined record by record:
# NumPy's calls over the dictionaries cost more than the records.
SMALL = 200


def _parts(name: str, features: Features) -> list[Coded]:
    """The key's parts; an either-order key's first two coded in one dictionary, so that the
    smaller code is the text sorting first."""
    parts = [part(features) for part in _KEY_PARTS.get(name) or INDEX_ONLY_KEYS[name]]
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
    """Each record's key as text, None where it has none: built once per distinct key (for a
    few records, record by record)."""
    if len(features) < SMALL:
        return _python_keys(name, features)
    present, texts, held = distinct_keys(name, features)
    result: ObjectArray = np.full(len(features), None, dtype=object)
    if not len(present):
        return result
    distinct = np.empty(len(texts), dtype=object)
    distinct[:] = texts
    result[present] = distinct[held]
    return result


def distinct_keys(name: str, features: Features) -> tuple[IntArray, list[str], IntArray]:
    """The key `name` of a batch of records, as `BLOCKING_KEYS[name]` gives it (or an
    `INDEX_ONLY_KEYS` key, as it would give it), coded: the
    records holding one, the text of each distinct key once, and which of them each of those
    records holds. A caller that hashes or stores the keys does so once per distinct key."""
    keys = _integer_keys(name, features)
    present = np.flatnonzero(keys >= 0)
    if not len(present):
        return present, [], np.empty(0, dtype=np.int64)
    _, first, held = np.unique(keys[present], return_index=True, return_inverse=True)
    rows = present[first]
    columns = [part.text(rows).tolist() for part in _parts(name, features)]
    if name in _EITHER_ORDER:
        texts = []
        for first_part, second_part, *rest in zip(*columns, strict=True):
            pair = sorted((first_part, second_part))
            texts.append(_SEPARATOR.join((*pair, *rest)))
    else:
        texts = [_SEPARATOR.join(values) for values in zip(*columns, strict=True)]
    return present, texts, held.astype(np.int64, copy=False)


def _python_keys(name: str, features: Features) -> ObjectArray:
    columns = [part(features).text().tolist() for part in _KEY_PARTS[name]]
    keys: ObjectArray = np.full(len(features), None, dtype=object)
    for row, (first, *rest) in enumerate(zip(*columns, strict=True)):
        if first and all(rest):
            if name in _EITHER_ORDER and rest[0] < first:
                first, rest[0] = rest[0], first
            keys[row] = _SEPARATOR.join((first, *rest))
    return keys


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


@dataclass
class _Blocks:
    """The usable keys of every rule: entries sorted by rule, key and row, so that a block
    (records sharing a key) is a run of entries; each entry's partners are a run too."""

    rows: npt.NDArray[np.int32]  # the record of each entry
    bits: npt.NDArray[np.int32]  # its rule's bit (`Candidates.by_keys`)
    # its partners: the entries from first to end - 1 (after it in its block when
    # deduplicating, its block's right side when linking; none for a right record)
    first: npt.NDArray[np.int32]
    end: npt.NDArray[np.int32]


def _blocks(features: Features, left_size: int, dedupe: bool) -> _Blocks:
    """Every rule's keys, less those held by more records on one side than the rule's block
    limit; a refinement's only where its coarse key's block overflowed."""
    rows, bits, first, end = [], [], [], []
    # coarse rule → whether each record's key of it overflowed, while its refinements need it
    overflowed: dict[str, npt.NDArray[np.bool_]] = {}
    refined = set(REFINED_FROM.values())
    offset = 0
    for number, name in enumerate(_KEY_PARTS):
        keys = _integer_keys(name, features)
        present = np.flatnonzero(keys >= 0)
        # stable: rows stay in order within a block
        order = np.argsort(keys[present], kind="stable")
        held, record = keys[present][order], present[order]
        starts = _runs(held)
        block = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(held)]))
        right = record >= left_size
        right_count = np.bincount(block, weights=right, minlength=len(starts))
        left_count = np.bincount(block, minlength=len(starts)) - right_count
        limit = block_limit(name)
        common = ((left_count > limit) | (right_count > limit))[block]
        if name in refined:
            overflowed[name] = np.zeros(len(features), dtype=bool)
            overflowed[name][record[common]] = True
        usable = ~common
        if name in REFINED_FROM:
            usable &= overflowed[REFINED_FROM[name]][record]
        # whole blocks are usable or not: a refinement's key holds its coarse key
        record, block = record[usable], block[usable]
        starts = _runs(block)
        size = np.diff(np.r_[starts, len(block)])
        block_start = np.repeat(starts, size)
        block_end = block_start + np.repeat(size, size)
        if dedupe:
            partners = np.arange(len(record)) + 1
        else:
            lefts = np.bincount(
                np.repeat(np.arange(len(starts)), size), weights=record < left_size
            ).astype(np.int64)
            partners = np.where(record < left_size, block_start + np.repeat(lefts, size), block_end)
        rows.append(record.astype(np.int32))
        bits.append(np.full(len(record), 1 << number, dtype=np.int32))
        first.append((offset + partners).astype(np.int32))
        end.append((offset + block_end).astype(np.int32))
        offset += len(record)
    return _Blocks(
        np.concatenate(rows),
        np.concatenate(bits),
        np.concatenate(first),
        np.concatenate(end),
    )


PAIRS_AT_ONCE = 4_000_000  # pairs of keys gathered at a time (about 100 MB)


def candidate_pairs(features: Features, left_size: int, dedupe: bool) -> Candidates:
    """Pairs of the stacked records that share a blocking key.

    Linking: left rows are [0, left_size), right rows the rest. Deduplicating: all rows are one
    file and each pair appears once with left < right. Each key's block is expanded to its
    pairs (vectorised), a range of left records at a time, so that memory follows the pairs
    of one range; a pair found by several keys is kept once, with every key that found it.
    """
    total = len(features)
    blocks = _blocks(features, left_size, dedupe)
    pairs = blocks.end - blocks.first
    # ranges of left records whose entries have about PAIRS_AT_ONCE pairs
    per_record = np.bincount(blocks.rows, weights=pairs, minlength=total)
    upto = np.cumsum(per_record)
    bounds = np.searchsorted(
        upto, np.arange(PAIRS_AT_ONCE, upto[-1] if total else 0, PAIRS_AT_ONCE)
    )
    codes, found = [], []
    for low, high in zip(np.r_[0, bounds], np.r_[bounds, total], strict=True):
        entries = np.flatnonzero((blocks.rows >= low) & (blocks.rows < high) & (pairs > 0))
        count = pairs[entries]
        partner = expand_ranges(
            blocks.first[entries].astype(np.int64), blocks.end[entries].astype(np.int64)
        )
        code = np.repeat(blocks.rows[entries].astype(np.int64) * total, count)
        code += blocks.rows[partner]
        by = np.repeat(blocks.bits[entries], count)
        order = np.argsort(code, kind="stable")
        code, by = code[order], by[order]
        starts = _runs(code)
        codes.append(code[starts])
        found.append(np.bitwise_or.reduceat(by, starts) if len(code) else by)
    del blocks, pairs
    code = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
    del codes
    by_keys = np.concatenate(found) if found else np.zeros(0, dtype=np.int32)
    names = sum(1 << n for n, name in enumerate(_KEY_PARTS) if name in NAME_KEYS)
    left = code // total if total else code
    code -= left * total
    return Candidates(left, code, (by_keys & names) != 0, (by_keys & ~names) != 0, by_keys)


def first_of_run(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """True at each value that starts a run of equal values (sorted values: each distinct
    value's first)."""
    first = np.empty(len(values), dtype=bool)
    first[:1] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return first


def _runs(values: IntArray) -> IntArray:
    """Where each run of equal values starts."""
    starts: IntArray = np.flatnonzero(first_of_run(values))
    return starts


def expand_ranges(starts: IntArray, ends: IntArray) -> IntArray:
    """The positions start..end-1 of every range, concatenated."""
    lengths = ends - starts
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    expanded: IntArray = offsets + np.arange(int(lengths.sum()), dtype=np.int64)
    return expanded
