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
