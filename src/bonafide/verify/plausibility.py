"""The plausibility of the life told: claims against the birth date and against each other.

Nothing begins before birth; school from about six, vocational school and college from about
fourteen, university from about sixteen, work from fourteen; two full-time jobs in different
towns do not run side by side for years. Each impossibility is a finding and a question. Every
test is lenient by the tolerance for honest mistakes: the latest day a stated start may mean
against the earliest day the birth date may mean, with a year to spare.
"""

from __future__ import annotations

import datetime as dt
from itertools import combinations

from bonafide.verify.dossier import Claim, Dossier
from bonafide.verify.kinds import ClaimKind
from bonafide.verify.signals import Signal, SignalCode
from bonafide.verify.texts import Agreement, compare_settlement
from bonafide.verify.timeline import TOLERATED_DAYS
from bonafide.verify.when import Span

__all__ = ["MINIMUM_AGES", "plausibility_signals"]

BEFORE_BIRTH = 3.0
TOO_YOUNG = 2.0
OVERLAPPING_JOBS = 1.0
# the youngest age, in years, at which each beginning is plausible (one year below the usual)
MINIMUM_AGES = {
    "school": 5,
    "vocational": 13,
    "college": 13,
    "university": 15,
    "education": 5,  # a course of unknown level
    ClaimKind.EMPLOYMENT.value: 14,
}
_OVERLAP_DAYS = 365
_SHOWN = 3


def _age(born: dt.date, day: dt.date) -> float:
    return (day - born).days / 365.25


def _minimum_age(claim: Claim) -> tuple[str, int] | None:
    if claim.kind is ClaimKind.RESIDENCE:
        return None
    if claim.kind is ClaimKind.EDUCATION:
        level = claim.level or "education"
        return level, MINIMUM_AGES[level]
    return ClaimKind.EMPLOYMENT.value, MINIMUM_AGES[ClaimKind.EMPLOYMENT.value]


def _facts(claim: Claim) -> dict[str, object]:
    return {
        "kind": claim.kind.value,
        "position": claim.position,
        "place": claim.place,
        "from": claim.starts.text or claim.starts.first.year if claim.starts else None,
    }


def _against_birth(claim: Claim, birth: Span) -> Signal | None:
    if claim.starts is None:
        return None
    latest_start = claim.starts.last
    if latest_start < birth.first - dt.timedelta(days=TOLERATED_DAYS):
        facts = _facts(claim) | {"born": birth.first.year}
        return Signal(SignalCode.BEFORE_BIRTH, BEFORE_BIRTH, facts)
    minimum = _minimum_age(claim)
    if minimum is None:
        return None
    what, years = minimum
    age = _age(birth.first, latest_start)
    if 0 <= age < years:
        facts = _facts(claim) | {"what": what, "age": int(age), "youngest": years + 1}
        return Signal(SignalCode.TOO_YOUNG, TOO_YOUNG, facts)
    return None


def _overlapping_jobs(jobs: list[Claim]) -> list[Signal]:
    found = []
    for a, b in combinations(jobs, 2):
        if a.span is None or b.span is None or not (a.settlement and b.settlement):
            continue
        first, last = max(a.span.first, b.span.first), min(a.span.last, b.span.last)
        if (last - first).days < _OVERLAP_DAYS + 2 * TOLERATED_DAYS:
            continue
        if compare_settlement(a.settlement, b.settlement) is not Agreement.DIFFERENT:
            continue
        found.append(
            Signal(
                SignalCode.OVERLAPPING_JOBS,
                OVERLAPPING_JOBS,
                {
                    "first": {"place": a.place, "settlement": a.settlement},
                    "second": {"place": b.place, "settlement": b.settlement},
                    "from": first.year,
                    "to": last.year,
                },
            )
        )
    return found


def plausibility_signals(dossier: Dossier) -> list[Signal]:
    signals: list[Signal] = []
    if dossier.birth_span is not None:
        for claim in dossier.claims:
            signal = _against_birth(claim, dossier.birth_span)
            if signal is not None:
                signals.append(signal)
    signals = signals[:_SHOWN]
    signals += _overlapping_jobs(dossier.of(ClaimKind.EMPLOYMENT))[:_SHOWN]
    return signals
