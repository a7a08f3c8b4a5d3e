"""Choosing a lookup's candidates from its blocks (`persons.index._best_candidates`)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bonafide.persons.index import _best_candidates


@st.composite
def _blocks(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs as `candidate_rows` gives them: sorted by query and row, each pair once, with
    what its shared keys tell together (`told`) and the most its single keys tell (`most`);
    ties are frequent, as between the rows of one block."""
    queries = draw(st.integers(1, 6))
    pairs = sorted(
        draw(
            st.sets(
                st.tuples(st.integers(0, queries - 1), st.integers(0, 80)), min_size=1, max_size=300
            )
        )
    )
    most = np.array([draw(st.sampled_from([3.0, 5.5, 8.0, 12.0])) for _ in pairs])
    told = most + np.array([draw(st.sampled_from([0.0, 3.0, 5.5, 16.0])) for _ in pairs])
    query = np.array([q for q, _ in pairs], dtype=np.int64)
    row = np.array([r for _, r in pairs], dtype=np.int64)
    return query, row, told, most


@settings(max_examples=200, deadline=None)
@given(_blocks(), st.integers(1, 20), st.integers(0, 40))
def test_more_candidates_keep_the_fewer(
    block: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], limit: int, more: int
) -> None:
    # a lookup scored again with more candidates (resolve.link_batch) meets its first ones
    query, row, told, most = block
    fewer = set(zip(*_best_candidates(query, row, told, most, limit), strict=True))
    wider = set(zip(*_best_candidates(query, row, told, most, limit + more), strict=True))
    assert fewer <= wider
    for q in set(query.tolist()):
        held = int((query == q).sum())
        assert sum(1 for pq, _ in fewer if pq == q) == min(held, limit)


@settings(max_examples=100, deadline=None)
@given(_blocks(), st.integers(2, 20))
def test_the_most_telling_rows_are_kept(
    block: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], limit: int
) -> None:
    query, row, told, most = block
    chosen = set(zip(*_best_candidates(query, row, told, most, limit), strict=True))
    for q in set(query.tolist()):
        mine = np.flatnonzero(query == q)
        for measure in (told, most):
            # every row telling more than the half-limit-th best is chosen
            values = np.sort(measure[mine])[::-1]
            bar = values[min(limit // 2, len(values)) - 1]
            for i in mine[measure[mine] > bar]:
                assert (q, int(row[i])) in chosen
