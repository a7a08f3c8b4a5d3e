"""The verifier on the population's applicant cohort, against the ground truth: every kind of
applicant the generator makes, the attacks of a competent adversary among them."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

from bonafide.verify import DossierReport, Verifier
from bonafide.verify.dossier import dossier_problems_of, parse_dossier
from tests.vaults import vault_for

from ..conftest import Population

# kinds whose every claim is true (genuine) or false (someone else's story)
WHOLLY_TRUE_OR_FALSE = ("genuine", "fabricated", "borrowed", "thin")
NOT_PLANTED = ("genuine", "repeat")  # a repeat is of whatever kind its first dossier was


def test_every_kind_of_applicant_is_judged_as_it_should_be(
    population: Population, resolved_data_dir: Path, tmp_path: Path
) -> None:
    with (population.truth / "applicants.csv").open(encoding="utf-8") as f:
        kinds = {row["dossier_id"]: row["kind"] for row in csv.DictReader(f)}
    data_dir = tmp_path / "data"  # remembering writes the case store: a copy
    shutil.copytree(resolved_data_dir, data_dir)
    verifier = Verifier.open(vault_for(data_dir), remember=True)
    reports: dict[str, DossierReport] = {}
    try:
        for dossier in population.dossiers():
            reports[dossier["dossier_id"]] = verifier.verify(dossier)
    finally:
        verifier.close()
    flagged: Counter[str] = Counter()
    count: Counter[str] = Counter()
    claims: Counter[tuple[bool, str]] = Counter()
    for code, report in reports.items():
        kind = kinds[code]
        count[kind] += 1
        flagged[kind] += report.verdict == "inconsistent"
        if kind in WHOLLY_TRUE_OR_FALSE:
            for claim in report.claims:
                claims[(kind == "genuine", claim.verdict.value)] += 1
    shares = {kind: flagged[kind] / count[kind] for kind in count}
    assert shares["genuine"] <= 0.05, shares
    planted = [k for k in count if k not in NOT_PLANTED]
    assert len(planted) >= 9, count
    for kind in planted:
        assert shares[kind] >= 0.75, (kind, shares)
    all_planted = sum(flagged[k] for k in planted) / sum(count[k] for k in planted)
    assert all_planted >= 0.95, shares

    def showing(kind: str, signal: str) -> float:
        of_kind = [r for c, r in reports.items() if kinds[c] == kind]
        return sum(any(s.code == signal for s in r.signals) for r in of_kind) / len(of_kind)

    # a woman listed under her maiden name who does not give it is not found yet
    # (docs/verification.md, known gaps)
    assert showing("watchlisted", "watchlist") >= 0.8
    # the same name written in another script may read as another name: an earlier applicant
    assert all(
        any(s.code in ("repeat_applicant", "earlier_applicant") for s in r.signals)
        for c, r in reports.items()
        if kinds[c] == "repeat"
    )
    assert showing("hidden_service", "unclaimed_service") >= 0.9
    right = claims[(True, "confirmed")] + claims[(False, "contradicted")]
    wrong = claims[(True, "contradicted")] + claims[(False, "confirmed")]
    assert right / (right + wrong) >= 0.95


def test_every_synthetic_dossier_is_well_formed(population: Population) -> None:
    """Honest mistakes stay mistakes a desk would take down: no stay ending before it begins,
    none beginning after the day the dossier was taken."""
    for dossier in population.dossiers():
        assert dossier_problems_of(dossier) == [], dossier["dossier_id"]
        parsed, problems = parse_dossier(dossier, dt.date(2026, 11, 1))
        assert parsed is not None, (dossier["dossier_id"], problems)
