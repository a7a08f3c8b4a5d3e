"""Every pair's levels, term-frequency adjustments and probabilities, and every blocking key, of
a fixed sample of records, as they were when features were held as text per record.

How features are held (per record, or coded per distinct value) is no part of the scoring: a
change there must leave every score as it was. The sample (records of one synthetic population
from four registries, postcodes added) and the expected results are stored in
tests/linkage/data; regenerate them only for an intended change in scoring:

    PYTHONPATH=src python -m tests.linkage.test_scores_unchanged
"""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bonafide.linkage import blocking, comparisons, link_records
from bonafide.linkage.comparisons import (
    COMPARISONS,
    Features,
    comparison_levels,
    count_terms,
    term_frequency_adjustments,
)
from bonafide.linkage.records import PERSON_FIELDS, PersonRecords
from bonafide.persons.index import record_keys

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "scores_sample.parquet"
EXPECTED = DATA / "scores_expected.npz"
KEYS = DATA / "scores_keys.json"
LEFT = 1_200  # the link: the first LEFT records against the rest
RANDOM_PAIRS = 6_000
SMALL_SAMPLE = 300  # records built on the plain-Python paths (under comparisons.SMALL)
# fixed u of full agreement: the adjustments depend on it, not on a trained model
U_TOP = {"surname": 0.004, "settlement": 0.03}


def _digest(values: list[Any]) -> str:
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()


def _pairs(records: PersonRecords) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Candidate pairs of the dedupe and random pairs: strangers reach every level too."""
    features = Features.build(records)
    candidates = blocking.candidate_pairs(features, len(records), dedupe=True)
    rng = np.random.default_rng(3)
    a = rng.integers(0, len(records), RANDOM_PAIRS)
    b = rng.integers(0, len(records), RANDOM_PAIRS)
    left = np.concatenate([candidates.left, a, np.arange(len(records))])
    right = np.concatenate([candidates.right, b, np.arange(len(records))])  # and each to itself
    return left.astype(np.int64), right.astype(np.int64)


def _results(records: PersonRecords) -> tuple[dict[str, npt.NDArray[Any]], dict[str, Any]]:
    """What the scoring gives for the sample: arrays, and digests of the blocking keys."""
    arrays: dict[str, npt.NDArray[Any]] = {}
    keys: dict[str, Any] = {}
    for name, part in (("all", records), ("small", PersonRecords(records.table[:SMALL_SAMPLE]))):
        features = Features.build(part)
        left, right = _pairs(part)
        levels = comparison_levels(COMPARISONS, features, left, right)
        frequencies = count_terms(COMPARISONS, features)
        adjustments = term_frequency_adjustments(
            COMPARISONS, features, levels, left, U_TOP, frequencies
        )
        arrays[f"{name}_left"], arrays[f"{name}_right"] = left, right
        arrays[f"{name}_levels"] = levels.astype(np.int8)
        for column, values in adjustments.items():
            arrays[f"{name}_adjustment_{COMPARISONS[column].name}"] = values
        keys[f"{name}_frequencies"] = {k: v.to_json() for k, v in frequencies.items()}
        keys[f"{name}_blocking"] = {
            rule: _digest(make_key(features).tolist())
            for rule, make_key in blocking.BLOCKING_KEYS.items()
        }
        index_keys = record_keys(features)
        keys[f"{name}_record_keys"] = _digest(index_keys.texts())
        arrays[f"{name}_record_key_rows"] = index_keys.rows
        arrays[f"{name}_record_key_coarse"] = index_keys.coarse
    link = blocking.candidate_pairs(Features.build(records), LEFT, dedupe=False)
    arrays["link_candidates"] = np.stack([link.left, link.right])
    arrays["link_found_by"] = np.stack(
        [link.by_names, link.by_others, np.asarray(link.by_keys, dtype=np.int64)]
    )
    dedupe = link_records(records, None, threshold=0.0)
    ids = {v: n for n, v in enumerate(records.ids)}
    arrays["dedupe_pairs"] = np.array(
        [[ids[a] for a in dedupe.left_ids], [ids[b] for b in dedupe.right_ids]], dtype=np.int64
    )
    arrays["dedupe_probability"] = dedupe.probability
    keys["dedupe_model"] = dedupe.model.to_json()
    right = PersonRecords(records.table[LEFT:])
    linked = link_records(PersonRecords(records.table[:LEFT]), right, threshold=0.0)
    arrays["link_probability"] = linked.probability
    keys["link_pairs"] = _digest([linked.left_ids, linked.right_ids])
    return arrays, keys


@pytest.mark.parametrize("small", [False, True])
def test_every_score_and_key_is_as_before(small: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if small:  # every size on the plain-Python paths
        monkeypatch.setattr(comparisons, "SMALL", 10**9)
        monkeypatch.setattr(blocking, "SMALL", 10**9)
    records = PersonRecords(pq.read_table(SAMPLE))
    arrays, keys = _results(records)
    with np.load(EXPECTED) as stored:
        expected = dict(stored)
    assert sorted(arrays) == sorted(expected)
    for name, values in expected.items():
        assert np.array_equal(arrays[name], values), name
    assert keys == json.loads(KEYS.read_text(encoding="utf-8"))


def _sample() -> pa.Table:
    """Records of 350 people of a small synthetic population, from four registries, with
    document numbers mistyped and names left out here and there."""
    import tempfile

    from bonafide.linkage.records import LinkMapping, from_table
    from bonafide.registry.mapping import load_mapping
    from bonafide.synth import SynthConfig, synthesise

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        synthesise(SynthConfig(people=2_500, seed=77, applicants=0), root)
        rng = np.random.default_rng(77)
        people = set(rng.choice(2_500, 350, replace=False).tolist())
        tables = []
        for kind in ("identity", "residence", "employment", "watchlist"):
            registry = load_mapping(root / "registries" / f"{kind}.mapping.toml")
            assert registry.columns is not None
            columns = {k: v for k, v in registry.columns.items() if k in PERSON_FIELDS}
            formats = {k: v[0] for k, v in registry.date_formats.items() if k in columns}
            table = pq.read_table(root / "registries" / f"{kind}.parquet")
            truth = pq.read_table(root / "truth" / f"{kind}.parquet")
            whose = truth.column("person_id").to_numpy()
            keep = np.flatnonzero([p in people or kind == "watchlist" for p in whose.tolist()])
            table = table.take(pa.array(keep))
            tables.append(from_table(table, LinkMapping(columns, formats)).table)
    sample = pa.concat_tables(tables)
    sample = sample.take(pa.array(rng.permutation(sample.num_rows)))
    # postcodes: a few per region, some one or two digits off, some missing
    codes = [f"2{n:05d}" for n in rng.integers(10_000, 10_100, 40)]
    postcode: list[str | None] = []
    for region in sample.column("region").to_pylist():
        if region is None or rng.random() < 0.2:
            postcode.append(None)
            continue
        code = list(codes[zlib.crc32(region.encode()) % 35 + int(rng.integers(0, 5))])
        for _ in range(int(rng.choice(3, p=[0.8, 0.15, 0.05]))):
            code[int(rng.integers(1, 6))] = str(rng.integers(0, 10))
        postcode.append("".join(code))
    sample = sample.set_column(
        sample.schema.get_field_index("postcode"), "postcode", pa.array(postcode, pa.string())
    )
    for field in ("personal_number", "passport_number"):
        numbers = [_mistyped(n, rng) for n in sample.column(field).to_pylist()]
        at = sample.schema.get_field_index(field)
        sample = sample.set_column(at, field, pa.array(numbers, pa.string()))
    for field in ("given_name", "surname"):
        values = [None if rng.random() < 0.03 else v for v in sample.column(field).to_pylist()]
        at = sample.schema.get_field_index(field)
        sample = sample.set_column(at, field, pa.array(values, pa.string()))
    return sample


def _mistyped(number: str | None, rng: np.random.Generator) -> str | None:
    """A document number, one in ten with a typist's slip: a character replaced, two swapped,
    one dropped or doubled."""
    if number is None or len(number) < 3 or rng.random() >= 0.1:
        return number
    at = int(rng.integers(0, len(number) - 1))
    slip = int(rng.integers(0, 4))
    if slip == 0:
        return number[:at] + str(rng.integers(0, 10)) + number[at + 1 :]
    if slip == 1:
        return number[:at] + number[at + 1] + number[at] + number[at + 2 :]
    if slip == 2:
        return number[:at] + number[at + 1 :]
    return number[:at] + number[at] + number[at:]


def _regenerate() -> None:
    DATA.mkdir(exist_ok=True)
    pq.write_table(_sample(), SAMPLE, compression="zstd")
    arrays, keys = _results(PersonRecords(pq.read_table(SAMPLE)))
    np.savez_compressed(EXPECTED, **arrays)
    KEYS.write_text(json.dumps(keys, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _regenerate()
