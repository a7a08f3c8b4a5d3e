"""One claim against the registry records of the person the dossier's identity resolved to.

A claim is judged on coverage in time: what part of the claimed span the records at the claimed
place cover, what part the registry contradicts (the person registered elsewhere, gone abroad
or dead) and what part it leaves unknown.

- `confirmed`: records at the place cover the claimed time (dates a year or so off tolerated);
- `contradicted`: the claim runs on after the person emigrated or died; or the registry has
  the person elsewhere over its middle and over at least half of its time, or now; or the
  place is right but the registry's stay ended years before the claimed one (with no
  registration anywhere after it, for a home) or lies at another time altogether;
- `unverifiable`: the registry has nothing for the person over that time.

Results carry their outcome, the reason as a code (`Basis`) and the evidence as data; the
words are made at the edge (`prose.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from bonafide.verify.dossier import Claim
from bonafide.verify.fit import comparable, place_fit, record_span
from bonafide.verify.kinds import ClaimKind, spec_of
from bonafide.verify.life import Ending, LifeEnd
from bonafide.verify.signals import jsonable
from bonafide.verify.timeline import TOLERATED_DAYS, covered_days, days, widened
from bonafide.verify.when import Span

__all__ = [
    "Basis",
    "ClaimKind",
    "ClaimResult",
    "ClaimVerdict",
    "Evidence",
    "Role",
    "check_claim",
    "unverifiable",
]

Record = dict[str, Any]
CONFIRMED_SHARE = 0.8  # of the claimed days covered by records at the place
ELSEWHERE_SHARE = 0.5  # of the claimed days covered by records at other places
_SLACK = dt.timedelta(days=TOLERATED_DAYS)
_RECENT = dt.timedelta(days=30)  # a departure this recent may not have reached the story
_MOVE_REGISTERED = dt.timedelta(days=180)  # a move is registered within days; dates are loose
_SEASON = dt.timedelta(days=60)  # a stay begun this long after a departure began without one


class ClaimVerdict(StrEnum):
    CONFIRMED = "confirmed"
    CONTRADICTED = "contradicted"
    UNVERIFIABLE = "unverifiable"


class Basis(StrEnum):
    """Why a claim got its verdict."""

    COVERED = "covered"  # records at the place cover the claimed time
    PLACE_ONLY = "place_only"  # records at the place; the claim gives no dates
    AFTER_DEATH = "after_death"  # the claim runs on after the person's recorded death
    AFTER_EMIGRATION = "after_emigration"  # … after the person left the country
    ELSEWHERE = "elsewhere"  # the registry has the person elsewhere over the claimed time
    ENDED_EARLIER = "ended_earlier"  # the place is right; the registry's stay is much shorter
    UNREGISTERED_SINCE = "unregistered_since"  # … and the person registered nowhere after it
    OTHER_TIME = "other_time"  # the place is right, at a clearly different time
    NO_RECORD_FOR_TIME = "no_record_for_time"  # records of this kind, none over the time
    NO_RECORDS = "no_records"  # no record of this kind for the person at all
    IDENTITY_NOT_FOUND = "identity_not_found"  # no person, so no record can be tied to it


class Role(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    ENDS_LIFE = "ends_life"  # the record of a death or an emigration


@dataclass(frozen=True)
class Evidence:
    record: Record
    span: Span | None
    role: Role


@dataclass
class ClaimResult:
    claim: Claim
    verdict: ClaimVerdict
    basis: Basis
    probability: float  # that the claim is true
    evidence: list[Evidence] = field(default_factory=list)  # strongest last
    tolerated: list[str] = field(default_factory=list)  # honest mistakes seen
    covered: float | None = None  # share of the claimed days that records at the place cover
    life_end: LifeEnd | None = None  # the death or emigration the claim runs past

    @property
    def kind(self) -> ClaimKind:
        return self.claim.kind

    @property
    def position(self) -> int:
        return self.claim.position

    @property
    def records(self) -> list[Record]:
        return [e.record for e in self.evidence]

    @cached_property  # written once, by the process that examined the claim
    def reason(self) -> str:
        from bonafide.verify.prose import claim_reason

        return claim_reason(self)

    def to_json(self) -> dict[str, Any]:
        return dict(self._json)

    @cached_property  # written once, by the process that examined the claim, as `reason` is
    def _json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "position": self.position,
            "claim": self.claim.entry,
            "verdict": self.verdict.value,
            "basis": self.basis.value,
            "probability": round(self.probability, 4),
            "covered": None if self.covered is None else round(self.covered, 3),
            "reason": self.reason,
            "records": [_jsonable(e.record) | {"role": e.role.value} for e in self.evidence],
            "tolerated": self.tolerated,
        }


def _jsonable(record: Record) -> Record:
    """A record as a report shows it: without the link's bookkeeping."""
    return {
        k: jsonable(v)
        for k, v in record.items()
        if v is not None and k not in ("person_id", "probability")
    }


def unverifiable(claim: Claim, basis: Basis) -> ClaimResult:
    return ClaimResult(claim, ClaimVerdict.UNVERIFIABLE, basis, 0.5)


@dataclass
class _Seen:
    record: Record
    span: Span | None
    fits: bool
    notes: list[str]


def _core(claimed: Span) -> Span:
    """The claimed span without its first and last TOLERATED_DAYS (its middle day when that
    leaves nothing): a stay elsewhere that only touches the claim's ends is a remembered date
    a little off, not a contradiction."""
    if claimed.last - claimed.first > 2 * _SLACK:
        return Span(claimed.first + _SLACK, claimed.last - _SLACK)
    middle = claimed.first + (claimed.last - claimed.first) / 2
    return Span(middle, middle)


def _after_end(claim: Claim, end: LifeEnd | None, here: list[Span]) -> ClaimResult | None:
    """A claim that begins after the person's death or emigration, or runs on past it (by
    more than a year, or past one of more than a season ago when it goes on until now) where
    the records at the place (`here`) do not run on past it themselves."""
    if end is None or claim.span is None:
        return None
    if end.ending is Ending.EMIGRATED and claim.kind is ClaimKind.EDUCATION:
        return None  # a course begun at home is often finished from abroad, at a distance
    begun_after = claim.starts is not None and claim.starts.first > end.day + _SEASON
    if not begun_after:  # a stay begun in the country after the person left it, or died
        if claim.ends is None:
            # said to go on until now: past any departure but one of the last season
            if claim.span.last - end.day <= _RECENT:
                return None
        # the earliest day the stated end may mean ("until 2014": from 1 January 2014)
        elif claim.ends.first <= end.day + _SLACK:
            return None
    lag = _RECENT if claim.ends is None else _SLACK
    after = Span(min(end.day + lag, claim.span.last), claim.span.last)
    if covered_days(after, here) * 2 > days(after):
        return None  # the registry's own records at the place run on past the departure
    basis = Basis.AFTER_DEATH if end.ending is Ending.DIED else Basis.AFTER_EMIGRATION
    return ClaimResult(
        claim,
        ClaimVerdict.CONTRADICTED,
        basis,
        0.03,
        [Evidence(end.record, None, Role.ENDS_LIFE)],
        life_end=end,
    )


def _elsewhere_now(claim: Claim, claimed: Span, away: list[Span], here: list[Span]) -> bool:
    """A stay claimed to go on until now, where the registry has the person elsewhere over
    most of the last year and not at the claimed place."""
    if claim.ends is not None:
        return False
    last_year = Span(max(claimed.first, claimed.last - dt.timedelta(days=365)), claimed.last)
    return (
        covered_days(last_year, away) >= days(last_year) / 2 and covered_days(last_year, here) == 0
    )


def check_claim(
    claim: Claim, records: list[Record], today: dt.date, end: LifeEnd | None = None
) -> ClaimResult:
    """The verdict on one claim, given the person's records of its kind and what ended the
    person's life in the country."""
    seen = []
    for record in records:
        fit = place_fit(claim, record)
        seen.append(
            _Seen(record, record_span(claim.kind, record, today), fit.fits, list(fit.notes))
        )
    at_place = [s for s in seen if s.fits]
    spans = [widened(s.span) for s in at_place if s.span is not None]
    # a record left open says nothing of a departure; one closed after it speaks against it
    closed = [
        s.span
        for s in at_place
        if s.span is not None and s.record.get(spec_of(claim.kind).record_to) is not None
    ]
    after = _after_end(claim, end, closed)
    if after is not None:
        return after
    if not records:
        return unverifiable(claim, Basis.NO_RECORDS)
    claimed = claim.span
    if claimed is None:  # no dates: the place alone
        if at_place:
            return _confirmed(claim, at_place, Basis.PLACE_ONLY, None)
        return unverifiable(claim, Basis.NO_RECORD_FOR_TIME)
    covered = covered_days(claimed, spans) / days(claimed)
    uncovered = days(claimed) - covered_days(claimed, spans)
    # a stay said to go on until now must reach now: a registration that ended years ago
    # does not confirm the present, however long the past it covers
    present = claim.ends is not None or covered_days(Span(claimed.last, claimed.last), spans) > 0
    if at_place and present and (covered >= CONFIRMED_SHARE or uncovered <= TOLERATED_DAYS):
        return _confirmed(claim, at_place, Basis.COVERED, covered)
    # what the records at the place leave of the claim's middle, and who else is there
    core = _core(claimed)
    elsewhere = [
        s
        for s in seen
        if not s.fits
        and s.span is not None
        and comparable(claim, s.record)
        and s.span.overlaps(core)
        and covered_days(Span(max(core.first, s.span.first), min(core.last, s.span.last)), spans)
        < days(Span(max(core.first, s.span.first), min(core.last, s.span.last)))
    ]
    # elsewhere for a day is a job changed or a move remembered a little off; elsewhere for
    # most of the claimed time is another life
    away = [s.span for s in elsewhere if s.span is not None]
    if elsewhere and (
        covered_days(claimed, away) >= ELSEWHERE_SHARE * days(claimed)
        or _elsewhere_now(claim, claimed, away, spans)
    ):
        return ClaimResult(
            claim,
            ClaimVerdict.CONTRADICTED,
            Basis.ELSEWHERE,
            0.08,
            [Evidence(s.record, s.span, Role.CONTRADICTS) for s in elsewhere[-3:]],
            covered=covered,
        )
    if at_place:
        overlapping = covered > 0
        basis = Basis.ENDED_EARLIER if overlapping else Basis.OTHER_TIME
        if overlapping and claim.kind is ClaimKind.RESIDENCE:
            ended = max(s.span.last for s in at_place if s.span is not None)
            if not any(
                s.span is not None and s.span.last > ended + _SLACK for s in seen
            ):  # a home left, and no registration anywhere since: where has the person lived?
                basis = Basis.UNREGISTERED_SINCE
        return ClaimResult(
            claim,
            ClaimVerdict.CONTRADICTED,
            basis,
            0.2 if overlapping else 0.25,
            [Evidence(s.record, s.span, Role.CONTRADICTS) for s in at_place[-3:]],
            covered=covered,
        )
    if claim.kind is ClaimKind.RESIDENCE:
        gone = _registered_nowhere_since(claim, claimed, seen)
        if gone is not None:
            return gone
    result = unverifiable(claim, Basis.NO_RECORD_FOR_TIME)
    result.covered = 0.0
    return result


def _registered_nowhere_since(claim: Claim, claimed: Span, seen: list[_Seen]) -> ClaimResult | None:
    """A home claimed from a time when every registration of the person had ended and none
    began again: where registration is the law, a move is registered within days."""
    to = spec_of(claim.kind).record_to
    if not seen or any(s.record.get(to) is None or s.span is None for s in seen):
        return None  # a registration still open, or one without dates
    last = max(seen, key=lambda s: s.span.last if s.span is not None else dt.date.min)
    if last.span is None or claimed.first <= last.span.last + _MOVE_REGISTERED:
        return None
    return ClaimResult(
        claim,
        ClaimVerdict.CONTRADICTED,
        Basis.UNREGISTERED_SINCE,
        0.2,
        [Evidence(last.record, last.span, Role.CONTRADICTS)],
        covered=0.0,
    )


def _confirmed(
    claim: Claim, at_place: list[_Seen], basis: Basis, covered: float | None
) -> ClaimResult:
    best = max(at_place, key=lambda s: len(s.notes) == 0)
    tolerated = list(best.notes)
    claimed = claim.span
    if claimed is not None and not any(
        s.span is not None and s.span.overlaps(claimed) for s in at_place
    ):
        tolerated.append("dates about a year off")
    if claimed is not None and claimed.approximate:
        tolerated.append("approximate dates")
    return ClaimResult(
        claim,
        ClaimVerdict.CONFIRMED,
        basis,
        0.97 if not tolerated else 0.92,
        [Evidence(s.record, s.span, Role.SUPPORTS) for s in at_place[-3:]],
        tolerated,
        covered=covered,
    )
