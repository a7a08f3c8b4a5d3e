"""Choosing a lookup's candidates from its blocks (`persons.index._shared_keys` and
`_best_candidates`)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bonafide.persons.index import _best_candidates, _shared_keys


@st.composite
def _blocks(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs as `candidate_rows` gives them: sorted by query and row, each pair once, with
    what its shared keys tell together (`told`) and the rows holding its most telling key
    (`fewest`); ties are frequent, as between the rows of one block."""
    queries = draw(st.integers(1, 6))
    pairs = sorted(
        draw(
            st.sets(
                st.tuples(st.integers(0, queries - 1), st.integers(0, 80)), min_size=1, max_size=300
            )
        )
    )
    fewest = np.array([draw(st.sampled_from([1, 3, 20, 300])) for _ in pairs], dtype=np.int64)
    most = np.log2(1_000_000 / fewest)
    told = most + np.array([draw(st.sampled_from([0.0, 3.0, 5.5, 16.0])) for _ in pairs])
    query = np.array([q for q, _ in pairs], dtype=np.int64)
    row = np.array([r for _, r in pairs], dtype=np.int64)
    return query, row, told, fewest


@settings(max_examples=200, deadline=None)
@given(_blocks(), st.integers(1, 20), st.integers(0, 40))
def test_more_candidates_keep_the_fewer(
    block: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], limit: int, more: int
) -> None:
    # a lookup scored again with more candidates (resolve.link_batch) meets its first ones
    query, row, told, fewest = block
    fewer = set(zip(*_best_candidates(query, row, told, fewest, limit)[:2], strict=True))
    wider = set(zip(*_best_candidates(query, row, told, fewest, limit + more)[:2], strict=True))
    assert fewer <= wider
    for q in set(query.tolist()):
        held = int((query == q).sum())
        assert sum(1 for pq, _ in fewer if pq == q) == min(held, limit)


@settings(max_examples=100, deadline=None)
@given(_blocks(), st.integers(2, 20))
def test_the_most_telling_rows_are_kept(
    block: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], limit: int
) -> None:
    query, row, told, fewest = block
    chosen = set(zip(*_best_candidates(query, row, told, fewest, limit)[:2], strict=True))
    for q in set(query.tolist()):
        mine = np.flatnonzero(query == q)
        for measure in (told, -fewest):
            # every row telling more than the half-limit-th best is chosen
            values = np.sort(measure[mine])[::-1]
            bar = values[min(limit // 2, len(values)) - 1]
            for i in mine[measure[mine] > bar]:
                assert (q, int(row[i])) in chosen


def _reference_choice(
    query: np.ndarray, row: np.ndarray, told: np.ndarray, fewest: np.ndarray, limit: int
) -> list[tuple[int, int]]:
    """The rule of `_best_candidates` one query at a time, by sorting tuples."""
    chosen: list[tuple[int, int]] = []
    half = max(limit // 2, 1)
    for q in sorted(set(query.tolist())):
        mine = [i for i in range(len(query)) if query[i] == q]
        by_sum = sorted(mine, key=lambda i: (-told[i], row[i]))
        by_most = sorted(mine, key=lambda i: (fewest[i], -told[i], row[i]))
        kept = set(by_sum[:half]) | set(by_most[: limit - half])
        rest = [i for i in by_sum if i not in kept][: max(limit - len(kept), 0)]
        chosen += [(q, int(row[i])) for i in by_sum if i in kept or i in rest]
    return chosen


@settings(max_examples=200, deadline=None)
@given(_blocks(), st.integers(1, 20))
def test_the_choice_follows_the_rule(
    block: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], limit: int
) -> None:
    # in the order returned too: by query, then by what the keys tell together
    query, row, told, fewest = block
    queries, rows, first = _best_candidates(query, row, told, fewest, limit)
    chosen = list(zip(queries.tolist(), rows.tolist(), strict=True))
    assert chosen == _reference_choice(query, row, told, fewest, limit)
    assert first.all()


@settings(max_examples=200, deadline=None)
@given(_blocks(), st.integers(1, 20), st.integers(0, 40))
def test_one_ranking_gives_the_smaller_limits_choice_in_its_order(
    block: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], limit: int, more: int
) -> None:
    # a second look (resolve.link_batch) scores the wider choice's rows the first did not
    query, row, told, fewest = block
    queries, rows, first = _best_candidates(query, row, told, fewest, limit + more, limit)
    chosen = list(zip(queries.tolist(), rows.tolist(), strict=True))
    assert chosen == _reference_choice(query, row, told, fewest, limit + more)
    within = list(zip(queries[first].tolist(), rows[first].tolist(), strict=True))
    assert within == _reference_choice(query, row, told, fewest, limit)


@st.composite
def _fetched(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Rows fetched by the usable keys of a few queries: `held[i]` rows for key i, its query
    once per row, the rows of a key distinct (several keys may fetch one row for a query)."""
    size = draw(st.integers(1, 60))
    keys = draw(st.lists(st.tuples(st.integers(0, 5), st.integers(1, size)), max_size=25))
    queries, rows, held = [], [], []
    for query, count in keys:
        fetched = draw(st.permutations(range(size)))[:count]
        queries += [query] * count
        rows += fetched
        held.append(count)
    as_ints = [np.array(values, dtype=np.int64) for values in (queries, rows, held)]
    return as_ints[0], as_ints[1], as_ints[2], size


@settings(max_examples=200, deadline=None)
@given(_fetched())
def test_shared_keys_are_summed_per_pair(fetched: tuple[np.ndarray, ...]) -> None:
    queries, rows, held, size = fetched
    expected: dict[tuple[int, int], tuple[float, int]] = {}
    key_of_row = np.repeat(np.arange(len(held)), held)
    for q, r, k in zip(queries.tolist(), rows.tolist(), key_of_row.tolist(), strict=True):
        telling = float(np.log2(max(size, 2) / held[k]))
        told, fewest = expected.get((q, r), (0.0, size + 1))
        expected[(q, r)] = (told + telling, min(fewest, int(held[k])))
    query, row, told, fewest = _shared_keys(queries, rows, held, int(size))
    pairs = list(zip(query.tolist(), row.tolist(), strict=True))
    assert pairs == sorted(expected)
    # summed in the keys' order, as a float sum depends on it
    assert told.tolist() == [expected[p][0] for p in pairs]
    assert fewest.tolist() == [expected[p][1] for p in pairs]
