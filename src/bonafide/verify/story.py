"""The registry's side of the story: the person's records that no claim accounts for.

Above all a job in a security, police, penal, military or prosecution service (recognised by
`bonafide.reference.security`) that the applicant leaves out — or covers by stretching the job
before it: that is the first thing a planted officer hides. A service the applicant names is
asked about too, with little weight: defectors apply as well. Years of adult life that the
story leaves out and the registry fills are shown and asked about.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bonafide.reference.security import security_service_of
from bonafide.verify.dossier import Claim, Dossier
from bonafide.verify.fit import place_fit, record_span
from bonafide.verify.kinds import KIND_SPECS, ClaimKind
from bonafide.verify.signals import Signal, SignalCode
from bonafide.verify.timeline import TOLERATED_DAYS, covered_days, days, widened
from bonafide.verify.when import Span

__all__ = ["story_signals"]

Record = dict[str, Any]
UNCLAIMED_SERVICE = 4.0
DECLARED_SERVICE = 0.5
UNCLAIMED_YEARS = 0.5
_YEARS_WORTH_ASKING = 2 * 365  # an unclaimed stretch shorter than this is a forgotten detail
_ADULT = 18
_SHOWN = 3


def _accounted(record: Record, claims: list[Claim], span: Span | None) -> bool:
    """A claim names the record's place; or, for a service, names a service of the same kind
    over the same time (ДИН МВД for Департамент исполнения наказаний: abbreviations differ)."""
    if any(place_fit(claim, record).fits for claim in claims):
        return True
    sector = (
        security_service_of(str(record.get("employer") or "")) if "employer" in record else None
    )
    return sector is not None and any(
        security_service_of(claim.place) is sector
        and (span is None or claim.span is None or widened(claim.span).overlaps(span))
        for claim in claims
    )


def _story_spans(claims: list[Claim]) -> list[Span]:
    return [widened(c.span) for c in claims if c.span is not None]


def _adult_from(dossier: Dossier) -> dt.date | None:
    born = dossier.birth_span.first if dossier.birth_span else None
    return born + dt.timedelta(days=round(_ADULT * 365.25)) if born else None


def story_signals(dossier: Dossier, records: dict[ClaimKind, list[Record]]) -> list[Signal]:
    """Findings from the person's records that the dossier does not account for."""
    signals: list[Signal] = []
    for claim in dossier.of(ClaimKind.EMPLOYMENT):
        sector = security_service_of(claim.place)
        if sector is not None:
            signals.append(
                Signal(
                    SignalCode.DECLARED_SERVICE,
                    DECLARED_SERVICE,
                    {"employer": claim.place, "sector": sector.value, "position": claim.position},
                )
            )
            break
    adult = _adult_from(dossier)
    unclaimed_service: list[Signal] = []
    unclaimed_years: list[Signal] = []
    for kind, spec in KIND_SPECS.items():
        claims = dossier.of(kind)
        told = _story_spans(claims)
        for record in records.get(kind, []):
            span = record_span(kind, record, dossier.today)
            if _accounted(record, claims, span):
                continue
            facts = {
                "kind": kind.value,
                "place": record.get(spec.place),
                "from": span.first.year if span else None,
                "to": (span.last.year if span and record.get(spec.record_to) is not None else None),
            }
            sector = (
                security_service_of(str(record.get(spec.place) or ""))
                if kind is ClaimKind.EMPLOYMENT
                else None
            )
            if sector is not None:
                facts["sector"] = sector.value
                facts["position"] = record.get("position")
                covered = covered_days(span, told) / days(span) if span is not None else 0.0
                facts["covered_by_other_claims"] = round(covered, 2)
                unclaimed_service.append(Signal(SignalCode.UNCLAIMED_SERVICE, 0.0, facts))
                continue
            if span is None or kind is ClaimKind.EDUCATION:
                continue  # a course left out is a detail; homes and jobs fill years
            adult_span = Span(max(span.first, adult), span.last) if adult else span
            if adult_span.last <= adult_span.first:
                continue
            left_out = days(adult_span) - covered_days(adult_span, told)
            if left_out >= _YEARS_WORTH_ASKING + 2 * TOLERATED_DAYS:
                facts["years"] = round(left_out / 365.25, 1)
                unclaimed_years.append(Signal(SignalCode.UNCLAIMED_YEARS, 0.0, facts))
    # one service hidden is as grave as three: weight on the first, the others shown
    for number, signal in enumerate(unclaimed_service[:_SHOWN]):
        signal.weight = UNCLAIMED_SERVICE if number == 0 else 0.5
    for number, signal in enumerate(unclaimed_years[:_SHOWN]):
        signal.weight = UNCLAIMED_YEARS if number == 0 else 0.25
    return signals + unclaimed_service[:_SHOWN] + unclaimed_years[:_SHOWN]
