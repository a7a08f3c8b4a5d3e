"""Unverifiable claims weighed by how completely the registry covers the person's cohort.

"No record" means little where a registry covers half of a birth year and much where it covers
nine people in ten: if a claimed kind of history were true, a registry covering a share `c` of
the cohort would hold it with a chance near `c`, so its silence multiplies the odds of a false
claim by up to 1 / (1 − c) for each claim when it knows none of the person's stays of that kind.
One person is no cohort (registries miss records, linkage misses links), so half that weight
is counted, a fifth when the registry knows other stays of the person, capped at 2.0 for all
kinds together: silence weighs in, it does not decide. A registry that knows none of three or
more claimed stays, when the chance of missing them all, (1 − c)^k, is at most 2 %, decides on
its own (`decisive`): a real identity with an invented working life. Silence counts only where
the registries demonstrably know the person (a claim of another kind confirmed): a person none
of whose claims is confirmed is missing links, not a life.
"""

from __future__ import annotations

import math

from bonafide.verify.claims import Basis, ClaimResult, ClaimVerdict
from bonafide.verify.kinds import KIND_SPECS
from bonafide.verify.signals import Signal, SignalCode

__all__ = ["absence_signals"]

MEANINGFUL_COVERAGE = 0.6  # below it, a registry's silence is no evidence
_PER_CLAIM = 0.5  # of the log-odds 1 / (1 − coverage): a person is no cohort
_PER_CLAIM_WITH_OTHER_RECORDS = 0.2  # the registry knows the person, not this stay
_CAP = 2.0
_TOTAL_CAP = 2.0  # all kinds together, unless decisive: silence weighs in, it does not decide
# a registry that knows none of this many claimed stays of a kind, when the chance of missing
# them all — each held with the cohort's coverage — is this small, decides on its own: the
# story was invented around a real identity
DECISIVE_CLAIMS = 3
DECISIVE_CHANCE = 0.02
_CAP_WITH_OTHER_RECORDS = 1.5


def absence_signals(claims: list[ClaimResult], coverage: dict[str, float | None]) -> list[Signal]:
    signals = []
    for kind, spec in KIND_SPECS.items():
        # silence means something only where the registries demonstrably know the person: a
        # claim of another kind confirmed (else the links are missing, not the life)
        if not any(c.kind is not kind and c.verdict is ClaimVerdict.CONFIRMED for c in claims):
            continue
        silent = [
            c
            for c in claims
            if c.kind is kind
            and c.verdict is ClaimVerdict.UNVERIFIABLE
            and c.basis in (Basis.NO_RECORDS, Basis.NO_RECORD_FOR_TIME)
        ]
        share = coverage.get(spec.registry.value)
        if not silent or share is None or share < MEANINGFUL_COVERAGE:
            continue
        odds = math.log(1.0 / (1.0 - min(share, 0.99)))
        knows_nothing = all(c.basis is Basis.NO_RECORDS for c in silent)
        per_claim, cap = (
            (_PER_CLAIM, _CAP)
            if knows_nothing
            else (_PER_CLAIM_WITH_OTHER_RECORDS, _CAP_WITH_OTHER_RECORDS)
        )
        signals.append(
            Signal(
                SignalCode.UNKNOWN_TO_REGISTRY,
                round(min(cap, len(silent) * per_claim * odds), 3),
                {
                    "kind": kind.value,
                    "registry": spec.registry.value,
                    "claims": len(silent),
                    "knows_nothing": knows_nothing,
                    "coverage": round(share, 3),
                    "decisive": knows_nothing
                    and len(silent) >= DECISIVE_CLAIMS
                    and (1.0 - share) ** len(silent) <= DECISIVE_CHANCE,
                },
                base_rate=1.0 - share,
            )
        )
    total = sum(s.weight for s in signals if not s.facts["decisive"])
    if total > _TOTAL_CAP:
        for signal in signals:
            if not signal.facts["decisive"]:
                signal.weight = round(signal.weight * _TOTAL_CAP / total, 3)
    return signals
