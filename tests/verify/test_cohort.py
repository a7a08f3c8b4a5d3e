"""The verifier on the population's applicant cohort, against the ground truth."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from bonafide.verify import Verifier
from tests.vaults import vault_for

from ..conftest import Population


def test_planted_applicants_are_flagged_and_genuine_ones_are_not(
    population: Population, resolved_data_dir: Path
) -> None:
    with (population.truth / "applicants.csv").open(encoding="utf-8") as f:
        kinds = {row["dossier_id"]: row["kind"] for row in csv.DictReader(f)}
    verifier = Verifier.open(vault_for(resolved_data_dir), remember=False)
    verdicts: Counter[tuple[str, str]] = Counter()
    claims: Counter[tuple[bool, str]] = Counter()
    for dossier in population.dossiers():
        report = verifier.verify(dossier)
        kind = kinds[dossier["dossier_id"]]
        verdicts[(kind == "genuine", report.verdict)] += 1
        for claim in report.claims:
            claims[(kind == "genuine", claim.verdict.value)] += 1
    genuine = sum(n for (g, _), n in verdicts.items() if g)
    planted = sum(n for (g, _), n in verdicts.items() if not g)
    assert verdicts[(True, "inconsistent")] / genuine <= 0.05
    assert verdicts[(False, "inconsistent")] / planted >= 0.95
    right = claims[(True, "confirmed")] + claims[(False, "contradicted")]
    wrong = claims[(True, "contradicted")] + claims[(False, "confirmed")]
    assert right / (right + wrong) >= 0.95
