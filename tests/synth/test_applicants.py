from __future__ import annotations

import csv

import pyarrow.parquet as pq

from bonafide.dossier import dossier_problems
from tests.conftest import Population


def _truth(population: Population) -> dict[str, tuple[str, int]]:
    with (population.truth / "applicants.csv").open(encoding="utf-8") as f:
        return {r["dossier_id"]: (r["kind"], int(r["person_id"])) for r in csv.DictReader(f)}


def test_cohort_has_every_kind_in_its_share(population: Population) -> None:
    kinds = [kind for kind, _ in _truth(population).values()]
    assert len(kinds) == population.config.applicants
    shares = {k: kinds.count(k) / len(kinds) for k in set(kinds)}
    for kind, share in population.config.cohort_mix:
        assert abs(shares[kind] - share) < 0.02, kind


def test_every_dossier_follows_the_schema(population: Population) -> None:
    for dossier in population.dossiers():
        assert dossier_problems(dossier) == [], dossier["dossier_id"]


def test_genuine_applicants_are_real_and_fabricated_ones_are_not(population: Population) -> None:
    truth = _truth(population)
    people = {
        r["person_id"]: r for r in pq.read_table(population.truth / "people.parquet").to_pylist()
    }
    registered = set(
        pq.read_table(population.registries / "identity.parquet").column("LICH_NOMER").to_pylist()
    )
    for dossier in population.dossiers():
        kind, person = truth[dossier["dossier_id"]]
        number = dossier["identity"]["personal_number"]
        if kind in ("genuine", "borrowed"):
            assert people[person]["personal_number"] == number
        if kind == "fabricated":
            assert number not in registered
            assert person not in people


def test_genuine_histories_are_mostly_told(population: Population) -> None:
    truth = _truth(population)
    told = [
        len(d["residences"]) + len(d["education"])
        for d in population.dossiers()
        if truth[d["dossier_id"]][0] == "genuine"
    ]
    assert sum(n > 0 for n in told) / len(told) > 0.95
