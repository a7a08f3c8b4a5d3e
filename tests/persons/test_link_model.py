"""How records of other registries are scored against persons: a woman's changed surname,
candidates competing for one record, and the link model's sample, lookups drawn by the
records they stand for."""

from __future__ import annotations

import numpy as np

from bonafide.linkage.comparisons import COMPARISONS, Features, comparison_levels
from bonafide.linkage.model import LinkageModel
from bonafide.persons import link_model
from bonafide.persons.link_model import MIN_LOOKUPS, SAMPLE, sample_lookups
from bonafide.persons.match import MatchedPairs, PairGroups, query_records


def _surname_levels(pairs: list[tuple[dict[str, str], dict[str, str]]]) -> list[str]:
    records = query_records([r for pair in pairs for r in pair])
    features = Features.build(records)
    surname = next(c for c in COMPARISONS if c.name == "surname")
    left = np.arange(0, 2 * len(pairs), 2)
    levels = comparison_levels((surname,), features, left, left + 1)[:, 0]
    return [surname.levels[level] for level in levels]


def test_two_womens_different_surnames_are_a_level_of_their_own() -> None:
    woman = {"surname": "Ткачук", "given_name": "Кацярына", "patronymic": "Мікалаеўна"}
    married = {"surname": "Романчук", "given_name": "Екатерина", "patronymic": "Николаевна"}
    man = {"surname": "Ткачук", "given_name": "Андрэй", "patronymic": "Мікалаевіч"}
    other_man = {"surname": "Романчук", "given_name": "Андрей", "patronymic": "Николаевич"}
    # sex told by the field alone: surnames that mark none, no given name
    by_field = {"surname": "Шевчук", "sex": "f"}
    by_field_too = {"surname": "Мельник", "sex": "f"}
    assert _surname_levels(
        [
            (woman, married),
            (man, other_man),
            (by_field, by_field_too),
            ({**by_field, "sex": "m"}, {**by_field_too, "sex": "m"}),
            (woman, {**married, "surname": "Ткачук"}),
        ]
    ) == ["different, two women", "different", "different, two women", "different", "same"]


def test_a_womans_changed_surname_scores_as_a_disagreement() -> None:
    model = LinkageModel(
        ["surname"],
        {"surname": list(next(c for c in COMPARISONS if c.name == "surname").levels)},
        {"surname": [0.7, 0.1, 0.05, 0.14, 0.01]},
        {"surname": [0.01, 0.01, 0.01, 0.3, 0.67]},
        prior=0.5,
    )
    explained = model.explain(np.array([3]))
    assert explained["match_key"] == "-surname"
    assert explained["steps"][1]["bucket"] == "far"


def _pairs(query: list[int], person: list[int], weight: list[float]) -> MatchedPairs:
    w = np.array(weight)
    return MatchedPairs(
        query=np.array(query),
        row=np.arange(len(query)),
        person_id=np.array(person),
        probability=1 / (1 + np.exp2(-w)),
        match_weight=w,
        levels=np.zeros((len(query), 1), dtype=np.int64),
        adjustments={},
    )


def test_candidates_compete_for_a_record() -> None:
    pairs = _pairs(
        # query 0: one person stands out (two of its rows); query 1: a lone weak candidate;
        # query 2: two namesakes born on one day fit equally well; query 3: no candidate
        [0, 0, 0, 1, 2, 2],
        [5, 5, 6, 7, 8, 9],
        [10.0, 9.0, 2.0, -3.0, 8.0, 8.0],
    )
    rows, probability = pairs.most_probable_person(4)
    assert rows.tolist() == [0, 3, 4, -1]
    assert probability[0] == np.exp2(10) / (1 + np.exp2(10) + np.exp2(2))
    assert abs(probability[1] - 1 / (1 + np.exp2(3))) < 1e-12  # alone: its own probability
    assert probability[2] < 0.5  # shared: neither is chosen
    assert probability[3] == 0.0


def test_a_persons_many_rows_do_not_outvote_another_person() -> None:
    # one person with three equally good rows against another with one: each row is a record
    # of the same person, not more evidence
    pairs = _pairs([0, 0, 0, 0], [1, 1, 1, 2], [6.0, 6.0, 6.0, 6.0])
    _, probability = pairs.most_probable_person(1)
    assert probability[0] < 0.5


def test_lookups_are_drawn_by_their_records() -> None:
    # one lookup stands for as many records as all the others together
    others = 3 * SAMPLE
    records = np.ones(others + 1, dtype=np.int64)
    records[7] = others
    positions, held = sample_lookups(records)
    assert held.sum() == SAMPLE
    assert np.all(np.diff(positions) > 0)  # in lookup order, each once
    assert abs(held[positions == 7][0] / SAMPLE - 0.5) < 0.01
    assert set(held[positions != 7].tolist()) == {1.0}
    again = sample_lookups(records)  # seeded: a resolve draws the same sample each run
    assert np.array_equal(again[0], positions)
    assert np.array_equal(again[1], held)


def test_every_record_is_drawn_where_there_are_fewer_than_the_sample() -> None:
    records = np.array([1, 3, 2] * MIN_LOOKUPS, dtype=np.int64)
    positions, held = sample_lookups(records)
    assert positions.tolist() == list(range(len(records)))
    assert held.tolist() == records.tolist()


def test_too_few_lookups_teach_nothing() -> None:
    positions, held = sample_lookups(np.full(MIN_LOOKUPS - 1, 5, dtype=np.int64))
    assert len(positions) == 0
    assert len(held) == 0


def test_shares_are_weighted_by_the_records() -> None:
    shares = link_model._shares(np.array([0, 1, 1]), np.array([8.0, 1.0, 1.0]), 3)
    assert shares[0] > 0.75 > shares[1] > shares[2] > 0
    assert abs(sum(shares) - 1) < 1e-12


def test_each_lookups_best_pair_is_its_highest_weighted_and_its_first_where_they_tie() -> None:
    rng = np.random.default_rng(7)
    query = rng.integers(0, 50, size=2_000)
    lookups = PairGroups.of(query)
    for _ in range(3):
        weight = np.round(rng.normal(size=len(query)), 1)  # rounded: many ties
        expected = [
            int(np.flatnonzero(query == q)[np.argmax(weight[query == q])]) for q in np.unique(query)
        ]
        assert lookups.best(weight).tolist() == expected
    assert len(PairGroups.of(np.empty(0, np.int64)).best(np.empty(0))) == 0
