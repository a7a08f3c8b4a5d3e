"""Verdict golden files: hand-written dossiers against the shared population's registries.

Each `golden/<name>.json` is a dossier (or a list of dossiers verified in order, remembering
earlier applicants); `golden/<name>.expected.json` holds the stable parts of the (last) report.
`BONAFIDE_UPDATE_GOLDEN=1` rewrites the expected files from the engine's answers (except for
the cases in KNOWN_WRONG, whose expectations are kept). See golden/README.md.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bonafide.verify import DossierReport, Verifier
from bonafide.verify.claims import ClaimKind, ClaimResult
from tests.vaults import vault_for

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("BONAFIDE_UPDATE_GOLDEN") == "1"
CASES = sorted(p.stem for p in GOLDEN.glob("*.json") if not p.name.endswith(".expected.json"))

# Cases where the engine's verdict is wrong: the expectation stays right, the test xfails.
KNOWN_WRONG: dict[str, str] = {}
_RECORD_NAME = {
    ClaimKind.RESIDENCE: "settlement",
    ClaimKind.EDUCATION: "institution",
    ClaimKind.EMPLOYMENT: "employer",
}


def _cases() -> list[Any]:
    return [
        pytest.param(
            name,
            marks=pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[name])
            if name in KNOWN_WRONG and not UPDATE
            else (),
        )
        for name in CASES
    ]


@pytest.fixture(scope="module")
def verifier(resolved_data_dir: Path) -> Iterator[Verifier]:
    opened = Verifier.open(vault_for(resolved_data_dir), remember=False)
    yield opened
    opened.close()


def _verify(
    verifier: Verifier, given: Any, resolved_data_dir: Path, tmp_path: Path
) -> DossierReport:
    if isinstance(given, dict):
        return verifier.verify(given)
    # a sequence: verified in order, each remembered, in a copy of the data directory
    data_dir = tmp_path / "data"
    shutil.copytree(resolved_data_dir, data_dir)
    remembering = Verifier.open(vault_for(data_dir), remember=True)
    try:
        reports = [remembering.verify(dossier) for dossier in given]
    finally:
        remembering.close()
    return reports[-1]


def _note(text: str) -> str:
    """A tolerated mistake's kind, without the particulars: "old street name (…)" → "old
    street name"."""
    return text.split(" (")[0]


def _reason_hint(claim: ClaimResult, previous: dict[str, Any] | None) -> str:
    """A short substring of a contradicted claim's reason: the one already chosen if it still
    fits, else the place, institution or employer of the contradicting record."""
    if previous and previous.get("reason_contains") and previous["reason_contains"] in claim.reason:
        return str(previous["reason_contains"])
    if claim.life_end is not None:  # the record of a death or emigration names no place
        return claim.reason.split(";")[0]
    if claim.records:
        return str(claim.records[-1].get(_RECORD_NAME[claim.kind]) or "registry:")
    return claim.reason[:40]


def _stable(report: DossierReport, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The parts of a report a golden file pins down."""
    earlier = {(c["kind"], c["position"]): c for c in (previous or {}).get("claims", [])}
    claims = []
    for claim in report.claims:
        entry: dict[str, Any] = {
            "kind": claim.kind.value,
            "position": claim.position,
            "verdict": claim.verdict.value,
        }
        if claim.tolerated:
            entry["tolerated"] = [_note(t) for t in claim.tolerated]
        if claim.verdict.value == "contradicted":
            entry["reason_contains"] = _reason_hint(
                claim, earlier.get((claim.kind.value, claim.position))
            )
        claims.append(entry)
    problems = {d.document: d.problems for d in report.documents if d.problems}
    return {
        "verdict": report.verdict,
        "identity": report.identity.status.value,
        "claims": claims,
        "signals": sorted(s.code for s in report.signals),
        "document_problems": problems,
        "min_questions": 1 if report.verdict == "inconsistent" else 0,
    }


def _differences(expected: dict[str, Any], report: DossierReport) -> list[str]:
    actual = _stable(report, expected)
    found = []
    for key in ("verdict", "identity", "signals", "document_problems"):
        if actual[key] != expected[key]:
            found.append(f"{key}: expected {expected[key]!r}, got {actual[key]!r}")
    if len(report.questions) < expected["min_questions"]:
        found.append(f"questions: expected ≥ {expected['min_questions']}, got none")
    claims = {(c.kind.value, c.position): c for c in report.claims}
    if len(claims) != len(expected["claims"]):
        found.append(f"claims: expected {len(expected['claims'])}, got {len(claims)}")
    for want in expected["claims"]:
        claim = claims.get((want["kind"], want["position"]))
        where = f"{want['kind']}[{want['position']}]"
        if claim is None:
            found.append(f"{where}: missing")
            continue
        if claim.verdict.value != want["verdict"]:
            found.append(
                f"{where}: expected {want['verdict']}, got {claim.verdict.value} ({claim.reason})"
            )
        tolerated = [_note(t) for t in claim.tolerated]
        if tolerated != want.get("tolerated", []):
            found.append(f"{where}: tolerated {tolerated!r}, expected {want.get('tolerated')!r}")
        if "reason_contains" in want and want["reason_contains"] not in claim.reason:
            found.append(f"{where}: reason {claim.reason!r} lacks {want['reason_contains']!r}")
    return found


def test_every_case_has_an_expectation_and_a_line_in_the_readme() -> None:
    readme = (GOLDEN / "README.md").read_text(encoding="utf-8")
    assert len(CASES) >= 12
    for name in CASES:
        assert (GOLDEN / f"{name}.expected.json").exists() or UPDATE, name
        assert f"`{name}`" in readme, f"{name} has no line in golden/README.md"


@pytest.mark.parametrize("name", _cases())
def test_golden_dossier(
    name: str, verifier: Verifier, resolved_data_dir: Path, tmp_path: Path
) -> None:
    given = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    report = _verify(verifier, given, resolved_data_dir, tmp_path)
    expected_file = GOLDEN / f"{name}.expected.json"
    previous = (
        json.loads(expected_file.read_text(encoding="utf-8")) if expected_file.exists() else None
    )
    if UPDATE and name not in KNOWN_WRONG:
        stable = _stable(report, previous)
        text = json.dumps(stable, ensure_ascii=False, indent=2) + "\n"
        expected_file.write_text(text, encoding="utf-8")
        return
    assert previous is not None, f"no {expected_file.name}: run with BONAFIDE_UPDATE_GOLDEN=1"
    differences = _differences(previous, report)
    assert not differences, f"{name}:\n  " + "\n  ".join(differences)
