"""An identity is looked up against its first candidates, and against all the matcher scores
only where those leave it unsettled."""

from __future__ import annotations

from pathlib import Path

import pytest

from bonafide.persons.match import MatchCandidate
from bonafide.verify import Verifier, identity
from bonafide.verify.dossier import parse_dossier
from bonafide.verify.identity import CANDIDATES, identity_queries, settled
from tests.vaults import vault_for

from ..conftest import Population


def _candidate(person: int, probability: float) -> MatchCandidate:
    return MatchCandidate(person, str(person), probability, 0.0, "", {}, {})


def test_settled_means_one_person_found_and_nobody_else_plausible() -> None:
    assert settled([_candidate(1, 0.95)])
    assert settled([_candidate(1, 0.95), _candidate(2, 0.3)])
    assert not settled([])
    assert not settled([_candidate(1, 0.8)])  # probable, not found
    assert not settled([_candidate(1, 0.95), _candidate(2, 0.6)])  # a second one plausible


def test_an_unsettled_identity_is_scored_against_every_candidate(
    population: Population, resolved_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(identity, "FIRST_CANDIDATES", 1)
    from bonafide.verify import verifier as verifier_module

    monkeypatch.setattr(verifier_module, "FIRST_CANDIDATES", 1)
    verifier = Verifier.open(vault_for(resolved_data_dir), remember=False)
    try:
        asked = []
        for dossier in population.dossiers():
            parsed, _ = parse_dossier(dossier, verifier.baselines.date)
            if parsed is not None:
                asked += identity_queries(parsed.identity)
        # namesakes without a birth date: a first candidate cannot settle them
        asked += [{k: v for k, v in q.items() if k != "birth_date"} for q in asked[:40]]
        found = verifier._looked_up(asked)
        first = verifier.matcher.with_limit(1).match_many(asked, limit=CANDIDATES)
        every = verifier.matcher.match_many(asked, limit=CANDIDATES)
    finally:
        verifier.close()

    def people(candidates: list[MatchCandidate]) -> list[tuple[int, float]]:
        return [(c.person_id, c.probability) for c in candidates]

    unsettled = [i for i, candidates in enumerate(first) if not settled(candidates)]
    assert 0 < len(unsettled) < len(asked)
    assert any(people(first[i]) != people(every[i]) for i in unsettled)
    for i, candidates in enumerate(found):
        expected = every[i] if i in unsettled else first[i]
        assert people(candidates) == people(expected)
