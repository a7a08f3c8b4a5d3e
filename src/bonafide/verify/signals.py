"""Findings about the dossier as a whole, each a code with its weight, its facts and, where
the population makes it meaningful, its base rate. Words are made at the edge (`prose.py`).

Planted identity:
- `identity_not_found`: no identity record matches, in a registry holding nearly every adult;
- `recent_identity`: the first identity record is recent, the claimed history goes back years;
- `thin_history`: fewer records than almost everyone born in the same five years;
- `recorded_dead`: the registries record this person's death;
- `watchlist`: the dossier is someone on the watchlist (linked, or the whole name and birth date
  agree, or the listed service is in the person's work);
- `possible_watchlist`: the dossier may be someone on the watchlist (a name alone, initials):
  a question, not a flag, since at millions of people namesakes are many;
- `earlier_applicant`: an earlier dossier shares this person or a document under another name;
- `repeat_applicant`: an earlier dossier under the same name.
The registry's side of the story (`story.py`):
- `unclaimed_service`: the registry has the person in a security, police, penal, military or
  prosecution service that the story leaves out;
- `declared_service`: the story itself names such a service;
- `unclaimed_years`: years of adult life the story leaves out and the registry fills.
The plausibility of the life (`plausibility.py`): `before_birth`, `too_young`,
`overlapping_jobs`. Unverifiable claims weighed by coverage: `unknown_to_registry`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bonafide.persons.baselines import RECENT_YEARS, Baselines, cohort_of

__all__ = [
    "THIN_QUANTILE",
    "Signal",
    "SignalCode",
    "history_signals",
    "jsonable",
    "not_found_signal",
]

THIN_QUANTILE = 0.02  # a history at or below the cohort's 2nd percentile is thin


class SignalCode(StrEnum):
    IDENTITY_NOT_FOUND = "identity_not_found"
    RECENT_IDENTITY = "recent_identity"
    THIN_HISTORY = "thin_history"
    RECORDED_DEAD = "recorded_dead"
    WATCHLIST = "watchlist"
    POSSIBLE_WATCHLIST = "possible_watchlist"
    EARLIER_APPLICANT = "earlier_applicant"
    REPEAT_APPLICANT = "repeat_applicant"
    UNCLAIMED_SERVICE = "unclaimed_service"
    DECLARED_SERVICE = "declared_service"
    UNCLAIMED_YEARS = "unclaimed_years"
    BEFORE_BIRTH = "before_birth"
    TOO_YOUNG = "too_young"
    OVERLAPPING_JOBS = "overlapping_jobs"
    UNKNOWN_TO_REGISTRY = "unknown_to_registry"


@dataclass
class Signal:
    code: SignalCode
    weight: float  # log-odds it adds to "not who or what they claim"
    facts: dict[str, Any] = field(default_factory=dict)  # what the words are made from
    base_rate: float | None = None  # how often the population shows it

    @property
    def text(self) -> str:
        from bonafide.verify.prose import signal_text

        return signal_text(self)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "weight": self.weight,
            "text": self.text,
            "facts": {k: jsonable(v) for k, v in self.facts.items()},
            "base_rate": None if self.base_rate is None else round(self.base_rate, 5),
        }


def jsonable(value: object) -> object:
    """Facts as JSON holds them: days as ISO text, nothing for what is None."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def not_found_signal() -> Signal:
    return Signal(SignalCode.IDENTITY_NOT_FOUND, 6.0)


def history_signals(
    baselines: Baselines,
    birth_year: int | None,
    first_created: dt.date | None,
    claimed_since: dt.date | None,
    history_size: int,
) -> list[Signal]:
    signals = []
    today = baselines.date
    if (
        first_created is not None
        and birth_year is not None
        and first_created > today - dt.timedelta(days=round(RECENT_YEARS * 365.25))
        and first_created.year - birth_year >= 18
    ):
        share = baselines.recent_share(birth_year)
        signals.append(
            Signal(
                SignalCode.RECENT_IDENTITY,
                4.0 if claimed_since and claimed_since.year < first_created.year - 2 else 2.5,
                {
                    "first_created": first_created,
                    "claimed_since": claimed_since.year if claimed_since else None,
                    "cohort": cohort_of(birth_year),
                },
                share,
            )
        )
    if birth_year is not None:
        quantile = baselines.history_quantile(birth_year, history_size)
        if quantile <= THIN_QUANTILE:
            signals.append(
                Signal(
                    SignalCode.THIN_HISTORY,
                    # alone it does not flag a story the registries confirm: one person in
                    # fifty has a history this thin; with a recent identity it always flags
                    2.0,
                    {"records": history_size, "cohort": cohort_of(birth_year)},
                    quantile,
                )
            )
    return signals
