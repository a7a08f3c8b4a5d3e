"""The fixed facts of the synthetic world: today's date, day arithmetic, the settings of a run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = [
    "COHORT_MIX",
    "EPOCH",
    "NO_DAY",
    "YEAR",
    "DayArray",
    "SynthConfig",
    "day_of",
    "day_of_year",
    "days_to_dates",
    "year_of",
]

EPOCH = dt.date(1970, 1, 1)
NO_DAY = np.int32(2**31 - 1)  # "never": not dead, not emigrated, not married
YEAR = 365.2425
DayArray = npt.NDArray[np.int32]


def day_of(date: dt.date) -> int:
    """Days since 1970-01-01."""
    return (date - EPOCH).days


def day_of_year(year: int) -> int:
    """Days since 1970-01-01 of 1 January of `year`."""
    return day_of(dt.date(year, 1, 1))


def days_to_dates(days: npt.NDArray[np.integer]) -> npt.NDArray[np.datetime64]:
    return np.asarray(days, dtype="int64").astype("datetime64[D]")


def year_of(days: npt.NDArray[np.integer]) -> npt.NDArray[np.int64]:
    return days_to_dates(days).astype("datetime64[Y]").astype(np.int64) + 1970


COHORT_MIX: tuple[tuple[str, float], ...] = (
    ("genuine", 0.60),
    ("fabricated", 0.06),
    ("borrowed", 0.05),
    ("thin", 0.05),
    ("exile_identity", 0.04),
    ("dead_identity", 0.04),
    ("hidden_service", 0.04),
    ("stretched_cover", 0.04),
    ("invented_career", 0.03),
    ("watchlisted", 0.03),
    ("repeat", 0.02),
)


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. Same config and seed: the same files, byte for byte."""

    people: int
    seed: int
    applicants: int = 0
    file_format: str = "parquet"
    as_of: dt.date = dt.date(2026, 11, 1)
    chunk_size: int = 250_000
    # Share of each applicant kind in a cohort (see applicants.py); genuine takes the rest.
    cohort_mix: tuple[tuple[str, float], ...] = field(default=COHORT_MIX)

    @property
    def today(self) -> int:
        return day_of(self.as_of)
