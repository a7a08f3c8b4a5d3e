"""Each query's most probable person among its scored candidates
(`persons.match.MatchedPairs.most_probable_person`)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bonafide.persons.match import MatchedPairs


@st.composite
def _scored(draw: st.DrawFn) -> tuple[MatchedPairs, int]:
    """Pairs grouped by query as scoring gives them, several rows of one person, weights
    tying often (a person's records alike, namesakes alike)."""
    queries = draw(st.integers(1, 8))
    count = draw(st.integers(1, 120))
    query = np.sort(
        np.array(
            draw(st.lists(st.integers(0, queries - 1), min_size=count, max_size=count)),
            dtype=np.int64,
        )
    )
    person = np.array(
        draw(st.lists(st.integers(0, 6), min_size=count, max_size=count)), dtype=np.int64
    )
    weight = np.array(
        draw(
            st.lists(
                st.sampled_from([-40.0, -3.5, 0.0, 2.25, 9.0, 21.0]), min_size=count, max_size=count
            )
        )
    )
    row = np.arange(count, dtype=np.int64) * 7 % 101
    pairs = MatchedPairs(
        query=query,
        row=row,
        person_id=person,
        probability=np.zeros(count),
        match_weight=weight,
        levels=np.zeros((count, 0), np.int64),
        adjustments={},
    )
    return pairs, queries


def _by_definition(pairs: MatchedPairs, queries: int) -> tuple[list[int], list[float]]:
    rows, probabilities = [], []
    for q in range(queries):
        mine = [i for i in range(len(pairs.query)) if pairs.query[i] == q]
        if not mine:
            rows.append(-1)
            probabilities.append(0.0)
            continue
        # each person's best row (the first where rows tie), the persons in order of id
        best: dict[int, int] = {}
        for i in mine:
            p = int(pairs.person_id[i])
            if p not in best or pairs.match_weight[i] > pairs.match_weight[best[p]]:
                best[p] = i
        chosen = [best[p] for p in sorted(best)]
        weights = [float(pairs.match_weight[i]) for i in chosen]
        top = max(weights)
        winner = chosen[weights.index(top)]
        shift = max(top, 0.0)
        total = 2.0**-shift + sum(2.0 ** (w - shift) for w in weights)
        rows.append(int(pairs.row[winner]))
        probabilities.append(2.0 ** (top - shift) / total)
    return rows, probabilities


@settings(max_examples=200, deadline=None)
@given(_scored())
def test_the_most_probable_person_by_definition(scored: tuple[MatchedPairs, int]) -> None:
    pairs, queries = scored
    rows, probability = pairs.most_probable_person(queries)
    expected_rows, expected_probability = _by_definition(pairs, queries)
    assert rows.tolist() == expected_rows
    np.testing.assert_allclose(probability, expected_probability, rtol=1e-12)


def test_huge_person_numbers_are_grouped_too() -> None:
    # a query and a person that make no one integer together are sorted as two
    big = np.iinfo(np.int64).max // 2
    pairs = MatchedPairs(
        query=np.array([0, 0, 1, 1, 1], np.int64),
        row=np.array([10, 11, 12, 13, 14], np.int64),
        person_id=np.array([big, 3, big, big, 3], np.int64),
        probability=np.zeros(5),
        match_weight=np.array([5.0, 1.0, 2.0, 8.0, 8.0]),
        levels=np.zeros((5, 0), np.int64),
        adjustments={},
    )
    rows, probability = pairs.most_probable_person(3)
    assert rows.tolist() == [10, 14, -1]
    assert probability[2] == 0.0
    assert 0.45 < probability[1] < 0.5  # two persons tie at the top: neither stands out


def test_a_weight_that_is_no_number_does_not_hide_its_person() -> None:
    pairs = MatchedPairs(
        query=np.array([0, 0, 0], np.int64),
        row=np.array([20, 21, 22], np.int64),
        person_id=np.array([1, 1, 2], np.int64),
        probability=np.zeros(3),
        match_weight=np.array([np.nan, 3.0, 2.0]),
        levels=np.zeros((3, 0), np.int64),
        adjustments={},
    )
    rows, _ = pairs.most_probable_person(1)
    assert rows.tolist() == [21]
