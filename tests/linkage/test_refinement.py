"""A coarse blocking key whose block overflows its limit is refined, not skipped."""

from __future__ import annotations

import pytest

from bonafide.linkage import blocking
from bonafide.linkage.comparisons import Features
from bonafide.persons.match import query_records

BORN = "1985-03-14"
# One birth date held by five records on the left; on the right, the first of them with a typo
# in the surname and another given name (no name key can find it), the initials kept.
LEFT = [
    ("Иванов", "Александр"),
    ("Петров", "Сергей"),
    ("Сидоров", "Дмитрий"),
    ("Козлов", "Андрей"),
    ("Новиков", "Павел"),
]
RIGHT = ("Ивамов", "Алексей")


def _candidates() -> blocking.Candidates:
    records = query_records(
        [{"surname": s, "given_name": g, "birth_date": BORN} for s, g in (*LEFT, RIGHT)]
    )
    return blocking.candidate_pairs(Features.build(records), len(LEFT), dedupe=False)


def _keys_of_pair(candidates: blocking.Candidates, left: int) -> set[str]:
    rules = list(blocking.BLOCKING_KEYS)
    found = [i for i, row in enumerate(candidates.left.tolist()) if row == left]
    if not found:
        return set()
    assert candidates.by_keys is not None
    bits = int(candidates.by_keys[found[0]])
    return {rule for n, rule in enumerate(rules) if bits & (1 << n)}


def test_a_birth_date_within_its_limit_pairs_everyone_born_that_day() -> None:
    candidates = _candidates()
    assert sorted(candidates.left.tolist()) == [0, 1, 2, 3, 4]
    assert _keys_of_pair(candidates, 0) == {"birth_date"}
    assert _keys_of_pair(candidates, 1) == {"birth_date"}


def test_an_overflowing_birth_date_is_refined_by_the_names_initials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(blocking.BLOCK_LIMITS, "birth_date", len(LEFT) - 1)
    candidates = _candidates()
    # the namesake-by-birthday strangers are gone; the typo'd record is still found
    assert candidates.left.tolist() == [0]
    assert _keys_of_pair(candidates, 0) == {"birth_date_initials"}


def test_a_refinement_over_its_limit_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(blocking.BLOCK_LIMITS, "birth_date", 0)
    assert len(_candidates()) == 0


def test_every_refinement_names_its_coarse_key() -> None:
    records = query_records(
        [{"surname": "Иванов", "given_name": "Александр", "birth_date": BORN, "settlement": "x"}]
    )
    features = Features.build(records)
    for refinement, coarse in blocking.REFINED_FROM.items():
        refined = blocking.BLOCKING_KEYS[refinement](features)[0]
        assert refined is not None, refinement
        assert refined.startswith(blocking.BLOCKING_KEYS[coarse](features)[0] + "\x1f")
        assert list(blocking.BLOCKING_KEYS).index(coarse) < list(blocking.BLOCKING_KEYS).index(
            refinement
        )


def _reference_pairs(
    features: Features, left_size: int, dedupe: bool
) -> dict[tuple[int, int], int]:
    """Candidate pairs as the text keys define them, pair by pair: (left, right) → the bits
    of the keys that found it."""
    keys = {name: make_key(features).tolist() for name, make_key in blocking.BLOCKING_KEYS.items()}
    blocks: dict[str, dict[str, list[int]]] = {}
    for name, values in keys.items():
        blocks[name] = {}
        for row, key in enumerate(values):
            if key is not None:
                blocks[name].setdefault(key, []).append(row)
    common = {
        name: {
            key
            for key, rows in held.items()
            if max(sum(r < left_size for r in rows), sum(r >= left_size for r in rows))
            > blocking.block_limit(name)
        }
        for name, held in blocks.items()
    }
    found: dict[tuple[int, int], int] = {}
    for number, (name, held) in enumerate(blocks.items()):
        coarse = blocking.REFINED_FROM.get(name)
        for key, rows in held.items():
            if key in common[name]:
                continue
            if coarse is not None and keys[coarse][rows[0]] not in common[coarse]:
                continue
            for a in rows:
                for b in rows:
                    if (a < b) if dedupe else (a < left_size <= b):
                        found[a, b] = found.get((a, b), 0) | 1 << number
    return found


@pytest.mark.parametrize("dedupe", [True, False])
def test_candidates_are_the_pairs_the_text_keys_give(
    dedupe: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vectorised blocking on coded keys against a pair-by-pair reading of the text keys,
    with limits low enough that coarse blocks overflow and refinements stand in."""
    import pyarrow.parquet as pq

    from bonafide.linkage.records import PersonRecords
    from tests.linkage.test_scores_unchanged import SAMPLE

    for name in list(blocking.BLOCK_LIMITS):
        monkeypatch.setitem(blocking.BLOCK_LIMITS, name, 3)
    monkeypatch.setattr(blocking, "MAX_BLOCK", 6)
    monkeypatch.setattr(blocking, "PAIRS_AT_ONCE", 500)  # many ranges of records
    features = Features.build(PersonRecords(pq.read_table(SAMPLE)))
    left_size = len(features) if dedupe else 900
    candidates = blocking.candidate_pairs(features, left_size, dedupe)
    assert candidates.by_keys is not None
    found = dict(
        zip(
            zip(candidates.left.tolist(), candidates.right.tolist(), strict=True),
            candidates.by_keys.tolist(),
            strict=True,
        )
    )
    expected = _reference_pairs(features, left_size, dedupe)
    assert found == expected
    assert list(found) == sorted(found)
    assert len(found) > 1_000
    refinements = sum(
        1 << n for n, name in enumerate(blocking.BLOCKING_KEYS) if name in blocking.REFINED_FROM
    )
    assert any(bits & refinements for bits in found.values())
