"""The overall verdict, its score and the questions for the checkpoint.

The score is the log-odds that the applicant is not who or what they claim: each contradicted
claim, each planted-identity signal and each document problem adds its weight, each confirmed
claim subtracts. `inconsistent` at or above INCONSISTENT — or on any watchlist hit, however
true the story: the checkpoint must question a known officer of the adversary; `consistent`
below it when at least one
claim is confirmed; else `insufficient_evidence` (an identity that exists proves nothing about
the story told with it). The weights are fixed in this
module and were chosen on a synthetic cohort the benchmark does not use (docs/verification.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from bonafide.verify.claims import ClaimKind, ClaimResult, ClaimVerdict
from bonafide.verify.identity import DocumentCheck, IdentityResult, IdentityStatus
from bonafide.verify.signals import Signal

__all__ = ["INCONSISTENT", "Overall", "Verdict", "overall", "questions"]

INCONSISTENT = 1.5  # one contradicted claim with nothing confirmed reaches it
_PRIOR = -1.0
_CONFIRMED = -1.0
_CONTRADICTED = 2.5
_WRONG_TIME = 1.0  # the claimed place, at a clearly different time
_DOCUMENT = 2.0
_AMBIGUOUS = 1.0


class Verdict(StrEnum):
    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"


@dataclass
class Overall:
    verdict: Verdict
    score: float  # log-odds of "not who or what they claim"
    probability: float  # the score as a probability
    drivers: list[str]  # what moved the score most, strongest first


def overall(
    identity: IdentityResult,
    documents: list[DocumentCheck],
    claims: list[ClaimResult],
    signals: list[Signal],
) -> Overall:
    parts: list[tuple[float, str]] = [(s.weight, s.text) for s in signals]
    for check in documents:
        parts += [(_DOCUMENT, problem) for problem in check.problems]
    if identity.status is IdentityStatus.AMBIGUOUS:
        parts.append((_AMBIGUOUS, "more than one person matches the identity"))
    confirmed = 0
    for claim in claims:
        if claim.verdict is ClaimVerdict.CONFIRMED:
            confirmed += 1
            parts.append((_CONFIRMED, f"{claim.kind.value} confirmed: {claim.reason}"))
        elif claim.verdict is ClaimVerdict.CONTRADICTED:
            weight = _CONTRADICTED if claim.probability < 0.2 else _WRONG_TIME
            parts.append((weight, f"{claim.kind.value} contradicted: {claim.reason}"))
    score = _PRIOR + sum(w for w, _ in parts)
    watchlisted = any(s.code == "watchlist" for s in signals)
    if score >= INCONSISTENT or watchlisted:
        verdict = Verdict.INCONSISTENT
    elif confirmed:
        verdict = Verdict.CONSISTENT
    else:
        verdict = Verdict.INSUFFICIENT_EVIDENCE
    drivers = [text for w, text in sorted(parts, key=lambda p: -abs(p[0])) if w != 0][:5]
    # clamped: thousands of confirmed claims would overflow exp
    probability = 1.0 / (1.0 + math.exp(-max(min(score, 50.0), -50.0)))
    return Overall(verdict, round(score, 3), probability, drivers)


def _pronoun(sex: object) -> tuple[str, str]:
    return {"m": ("he", "his"), "f": ("she", "her")}.get(str(sex), ("they", "their"))


def questions(
    sex: object,
    claims: list[ClaimResult],
    signals: list[Signal],
    documents: list[DocumentCheck],
) -> list[str]:
    """Concrete questions for the checkpoint: what to ask and what the registry says."""
    they, their = _pronoun(sex)
    asked: list[str] = []
    for claim in claims:
        if claim.verdict is not ClaimVerdict.CONTRADICTED:
            continue
        when = claim.reason.rsplit(" ", 1)[-1] if claim.reason else ""
        topic = {
            ClaimKind.RESIDENCE: f"Ask where {they} lived in {when}",
            ClaimKind.EDUCATION: f"Ask which school or college {they} attended in {when}",
            ClaimKind.EMPLOYMENT: f"Ask where {they} worked in {when}",
        }[claim.kind]
        claimed = ", ".join(
            str(claim.claim[k])
            for k in ("institution", "employer", "settlement", "street", "house")
            if claim.claim.get(k)
        )
        registry = claim.reason.removeprefix("registry: ").split(", not ")[0]
        asked.append(f"{topic}: the registry says {they} {registry}; {they} claimed {claimed}.")
    for signal in signals:
        if signal.code == "identity_not_found":
            asked.append(
                f"Check {their} passport closely and ask where it was issued: no identity record "
                "matches the name and birth date given."
            )
        elif signal.code == "recent_identity":
            asked.append(
                f"Ask for {their} earlier documents and where {they} lived before the passport "
                f"was issued: {signal.text}."
            )
        elif signal.code == "thin_history":
            asked.append(
                f"Ask detailed questions about {their} school, home street and first job: "
                f"the registries hold little about {them(they)} ({signal.text})."
            )
        elif signal.code == "watchlist":
            asked.append(f"Ask about {their} service: {signal.text}.")
        elif signal.code == "earlier_applicant":
            asked.append(f"Ask whether {they} applied before under another name: {signal.text}.")
    for check in documents:
        for problem in check.problems:
            asked.append(f"Check the {check.document.replace('_', ' ')}: {problem}.")
    return asked


def them(they: str) -> str:
    return {"he": "him", "she": "her"}.get(they, "them")
