"""Signals of a planted identity, each with the base rate that makes it meaningful.

- `identity_not_found`: no identity record matches, in a registry holding nearly every adult;
- `recent_identity`: the person's first identity record is recent, yet the claimed history goes
  back years before it (compared with how few people of that age have so recent a first record);
- `thin_history`: fewer residence, education and employment records than almost everyone born
  in the same five years;
- `watchlist`: the person is on the watchlist;
- `earlier_applicant`: an earlier dossier shares this person or a document under another name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bonafide.persons.baselines import RECENT_YEARS, Baselines, cohort_of
from bonafide.verify.earlier import EarlierMatch

__all__ = ["THIN_QUANTILE", "Signal", "history_signals"]

THIN_QUANTILE = 0.02  # a history at or below the cohort's 2nd percentile is thin


@dataclass
class Signal:
    code: str
    weight: float  # log-odds it adds to "planted"
    text: str
    base_rate: float | None = None  # how often the population shows it

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "weight": self.weight,
            "text": self.text,
            "base_rate": None if self.base_rate is None else round(self.base_rate, 5),
        }


def not_found_signal() -> Signal:
    return Signal(
        "identity_not_found",
        6.0,
        "no identity record matches this name and birth date; the identity registry holds "
        "the passports of nearly every adult",
    )


def history_signals(
    baselines: Baselines,
    birth_year: int | None,
    first_created: dt.date | None,
    claimed_since: dt.date | None,
    history_size: int,
    watchlist: list[dict[str, Any]],
) -> list[Signal]:
    signals = []
    today = baselines.date
    if (
        first_created is not None
        and birth_year is not None
        and first_created > today.replace(year=today.year - RECENT_YEARS)
        and first_created.year - birth_year >= 18
    ):
        share = baselines.recent_share(birth_year)
        since = f"; the claimed history goes back to {claimed_since.year}" if claimed_since else ""
        signals.append(
            Signal(
                "recent_identity",
                4.0 if claimed_since and claimed_since.year < first_created.year - 2 else 2.5,
                f"the first identity record was created on {first_created.isoformat()}{since}; "
                f"{share:.1%} of people born {cohort_of(birth_year)}–{cohort_of(birth_year) + 4} "
                f"have a first record this recent",
                share,
            )
        )
    if birth_year is not None:
        quantile = baselines.history_quantile(birth_year, history_size)
        if quantile <= THIN_QUANTILE:
            signals.append(
                Signal(
                    "thin_history",
                    # alone it does not flag a story the registries confirm: one person in
                    # fifty has a history this thin; with a recent identity it always flags
                    2.0,
                    f"{history_size} residence, education and employment records in all; at "
                    f"most {quantile:.0%} of people born {cohort_of(birth_year)}–"
                    f"{cohort_of(birth_year) + 4} have this few",
                    quantile,
                )
            )
    for record in watchlist[:3]:
        signals.append(
            Signal(
                "watchlist",
                5.0,
                f"on the watchlist: {record.get('role') or 'staff'}, "
                f"{record.get('organisation') or 'organisation unknown'}",
            )
        )
    return signals


def earlier_signals(matches: list[EarlierMatch]) -> list[Signal]:
    return [
        Signal(
            "earlier_applicant",
            4.0,
            f"an earlier applicant ({m.dossier_id}) shares this {m.shared} "
            f"with another {m.differs}",
        )
        for m in matches
    ]
