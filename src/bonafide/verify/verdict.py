"""The overall verdict and its score.

The score is the log-odds that the applicant is not who or what they claim: each contradicted
claim, each finding and each document problem adds its weight, each confirmed claim subtracts.
`inconsistent` at or above INCONSISTENT — or, whatever the score, on a watchlist hit, a
recorded death, a hidden service, a story told past the person's emigration or death, or a
decisive silence of a registry: the checkpoint must ask, however much of the story holds;
`consistent` below it when at least one claim is confirmed; else `insufficient_evidence` (an
identity that exists proves nothing about the story told with it). The weights are fixed in
this module and in the modules that make each finding, and were chosen on synthetic cohorts
the benchmark does not use (docs/verification.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from bonafide.verify.claims import Basis, ClaimResult, ClaimVerdict
from bonafide.verify.identity import DocumentCheck, IdentityResult, IdentityStatus
from bonafide.verify.signals import Signal, SignalCode
from bonafide.verify.timeline import days

__all__ = ["CONTRADICTION_WEIGHTS", "INCONSISTENT", "Overall", "Verdict", "overall"]

INCONSISTENT = 1.5  # one contradicted claim with nothing confirmed reaches it
_PRIOR = -1.0
_CONFIRMED = -1.0
CONTRADICTION_WEIGHTS = {
    Basis.AFTER_DEATH: 4.0,
    Basis.AFTER_EMIGRATION: 3.0,
    Basis.ELSEWHERE: 2.5,
    Basis.UNREGISTERED_SINCE: 2.5,  # a home left years ago, no registration anywhere since
    Basis.ENDED_EARLIER: 1.5,  # the registry's stay is years shorter than the claimed one
    Basis.OTHER_TIME: 1.0,  # the claimed place, at a clearly different time
}
_ENDED_EARLIER_MOST = 2.5
_PER_YEAR_LEFT = 0.25  # beyond the first two years the records leave out
_DOCUMENT = 2.0
_AMBIGUOUS = 1.0
# a known officer, a dead man's papers, hidden service: the checkpoint asks, whatever else holds
_ALWAYS_FLAGGED = (SignalCode.RECORDED_DEAD, SignalCode.UNCLAIMED_SERVICE)


# a life in the country told on past the person's emigration or death
_LIFE_ENDED = (Basis.AFTER_DEATH, Basis.AFTER_EMIGRATION)


def _gone_unregistered(claim: ClaimResult) -> bool:
    """A home said to be lived in now whose registration ended a year or more ago, with no
    registration anywhere since: where registration is the law, the life there has ended —
    an emigration or a death the registries did not word."""
    if claim.basis is not Basis.UNREGISTERED_SINCE or claim.claim.ends is not None:
        return False
    if not claim.covered:
        return False  # no record at the place at all: a missing link is as likely
    span = claim.claim.span
    return span is not None and (1.0 - (claim.covered or 0.0)) * days(span) >= 365


def _contradiction_weight(claim: ClaimResult) -> float:
    """A stay the registry ended early weighs by the years it leaves: a year or two is a
    memory, a decade is a cover story."""
    weight = CONTRADICTION_WEIGHTS[claim.basis]
    if claim.basis is Basis.ENDED_EARLIER and claim.claim.span is not None:
        years = (1.0 - (claim.covered or 0.0)) * days(claim.claim.span) / 365.25
        weight = min(_ENDED_EARLIER_MOST, weight + _PER_YEAR_LEFT * max(years - 2.0, 0.0))
    return weight


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
    flagged_by: list[str] = field(default_factory=list)  # codes that flag whatever the score


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
            weight = _contradiction_weight(claim)
            parts.append((weight, f"{claim.kind.value} contradicted: {claim.reason}"))
    score = _PRIOR + sum(w for w, _ in parts)
    flagged_by = list(
        dict.fromkeys(
            [s.code.value for s in signals if s.code in _ALWAYS_FLAGGED or s.facts.get("decisive")]
            + [c.basis.value for c in claims if c.basis in _LIFE_ENDED or _gone_unregistered(c)]
        )
    )
    always = bool(flagged_by)
    if score >= INCONSISTENT or always:
        verdict = Verdict.INCONSISTENT
    elif confirmed:
        verdict = Verdict.CONSISTENT
    else:
        verdict = Verdict.INSUFFICIENT_EVIDENCE
    drivers = [text for w, text in sorted(parts, key=lambda p: -abs(p[0])) if w != 0][:5]
    # clamped: thousands of confirmed claims would overflow exp
    probability = 1.0 / (1.0 + math.exp(-max(min(score, 50.0), -50.0)))
    return Overall(verdict, round(score, 3), probability, drivers, flagged_by)
