"""Job titles by the organisation that has them, the era and the holder's age.

`data/positions.csv` says for each title which staff profiles have it (sectors, and for the
security services the kind of service), when it came into use or went out of it (no менеджер or
логист before the market economy; Soviet titles such as председатель колхоза before it only) and
the youngest age at which anyone holds it (no director of 22). A draw is keyed by profile, era
and age band; where a profile has no title for someone so young in that era (a 19-year-old at the
prosecutor's office), the youngest titles it has are taken.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from bonafide.synth.sampling import FloatArray, GroupedChoice, IntArray
from bonafide.synth.tables import Tables
from bonafide.synth.world import year_of

__all__ = ["ERA_STARTS", "Positions"]

# The first years of the eras a title is checked against: a title coming into use in 1993 is
# first given in the era that starts in 1996.
ERA_STARTS = np.array([1900, 1970, 1986, 1991, 1996, 2001, 2006, 2011, 2016, 2021])
_YOUNGEST = 16.0  # a worker's title with no minimum age

BoolArray = npt.NDArray[np.bool_]


class Positions:
    """Draws a title for each job from its profile, the year it began and the holder's age."""

    def __init__(self, tables: Tables, profiles: list[str], civil: list[str]) -> None:
        positions = tables.positions
        member = _members(positions.text("sectors"), profiles, civil)
        since = positions.numbers("from_year")
        until = positions.numbers("until_year")
        until = np.where(until > 0, until, np.inf)
        era_ok = (since[None, :] <= ERA_STARTS[:, None]) & (until[None, :] > ERA_STARTS[:, None])
        min_age = positions.numbers("min_age")
        self._min_age = np.where(min_age > 0, min_age, _YOUNGEST)
        self._bands = np.unique(self._min_age)
        age_ok = self._min_age[None, :] <= self._bands[:, None]
        held = member[:, None, :] & era_ok[None, :, :]  # (profile, era, title)
        if not held.any(axis=2).all():
            profile, era = np.argwhere(~held.any(axis=2))[0]
            raise ValueError(
                f"positions.csv: no title for {profiles[profile]} in {ERA_STARTS[era]}"
            )
        allowed = held[:, :, None, :] & age_ok[None, None, :, :]
        youngest = held & (self._min_age == _lowest(held, self._min_age)[:, :, None])
        empty = np.logical_not(np.any(allowed, axis=3))
        allowed |= empty[:, :, :, None] & youngest[:, :, None, :]
        profile, era, band, title = np.nonzero(allowed)
        self._shape = allowed.shape[:3]
        group = np.ravel_multi_index((profile, era, band), self._shape)
        weight = positions.numbers("weight")[title]
        self._rows = title.astype(np.int64)
        self._choice = GroupedChoice(group.astype(np.int64), weight, int(np.prod(self._shape)))

    def draw(
        self, profile: IntArray, start: IntArray, age: FloatArray, uniform: FloatArray
    ) -> IntArray:
        """A row of positions.csv for each job of `profile` begun on day `start` at `age`."""
        era = np.searchsorted(ERA_STARTS, year_of(start), side="right") - 1
        band = np.searchsorted(self._bands, age, side="right") - 1
        group = np.ravel_multi_index(
            (profile, np.maximum(era, 0), np.maximum(band, 0)), self._shape
        )
        return self._rows[self._choice.choose(group.astype(np.int64), uniform)]


def _members(listed: list[str], profiles: list[str], civil: list[str]) -> BoolArray:
    """(profile, title): the profiles each title is listed under; `any` means every civil one."""
    member = np.zeros((len(profiles), len(listed)), dtype=bool)
    index = {p: i for i, p in enumerate(profiles)}
    for row, text in enumerate(listed):
        names = set(text.split("|")) if text else {"any"}
        targets = (set(civil) if "any" in names else set()) | (names - {"any"})
        for name in targets & set(index):
            member[index[name], row] = True
    return member


def _lowest(held: BoolArray, min_age: FloatArray) -> FloatArray:
    """The lowest minimum age among the titles held in each (profile, era)."""
    lowest: FloatArray = np.where(held, min_age[None, None, :], np.inf).min(axis=2)
    return lowest
