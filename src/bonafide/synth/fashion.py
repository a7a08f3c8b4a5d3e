"""Given names by the fashion of the birth decade (`data/given_name_fashion.csv`).

Галина was given to one girl in eleven in the 1940s and to almost none in the 2010s; Анастасия
the other way round. The table gives the share of births (per 10,000 of a sex) of the names that
made the fashion of each decade; names it does not list share the rest in proportion to their
overall weight in the name table (Tatar, Jewish, Polish and other rare names, about as rare in
every decade).
"""

from __future__ import annotations

import numpy as np

from bonafide.synth.sampling import FloatArray, GroupedChoice, IntArray
from bonafide.synth.tables import Table, Tables

__all__ = ["DECADES", "NameFashion"]

DECADES = (1920, 1930, 1940, 1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020)
UNLISTED_SHARE = 0.03  # of each decade's births: the names the fashion table does not list


def decade_index(year: IntArray) -> IntArray:
    """The row of DECADES a birth year falls in (years before 1920 count as the 1920s)."""
    return np.clip((np.asarray(year, dtype=np.int64) - DECADES[0]) // 10, 0, len(DECADES) - 1)


def _shares(names: Table, fashion: Table, sex: str) -> FloatArray:
    """A (decade, name) matrix of each name's share of a decade's births of one sex."""
    listed = {
        name: [float(fashion.text(str(d))[row] or 0) for d in DECADES]
        for row, (s, name) in enumerate(zip(fashion.text("sex"), fashion.text("ru"), strict=True))
        if s == sex
    }
    shares = np.zeros((len(DECADES), len(names)))
    overall = names.numbers("weight")
    unlisted = np.array([name not in listed for name in names.text("ru")])
    for column, name in enumerate(names.text("ru")):
        if name in listed:
            shares[:, column] = listed[name]
    shares *= (1 - UNLISTED_SHARE) / shares.sum(axis=1, keepdims=True)
    if unlisted.any():
        tail = overall * unlisted
        shares += UNLISTED_SHARE * tail / tail.sum()
    return shares


class NameFashion:
    """Draws given names for people born in given years, male and female tables apart."""

    def __init__(self, tables: Tables) -> None:
        self._choices = [
            self._choice(_shares(names, tables.given_name_fashion, sex))
            for names, sex in ((tables.given_male, "m"), (tables.given_female, "f"))
        ]
        self._sizes = [len(tables.given_male), len(tables.given_female)]

    @staticmethod
    def _choice(shares: FloatArray) -> GroupedChoice:
        decades, names = shares.shape
        groups = np.repeat(np.arange(decades, dtype=np.int64), names)
        return GroupedChoice(groups, shares.ravel(), decades)

    def given(self, sex: int, birth_year: IntArray, uniform: FloatArray) -> IntArray:
        """Rows of the given-name table of `sex` (0 male, 1 female) for births in `birth_year`."""
        pair = self._choices[sex].choose(decade_index(birth_year), uniform)
        return pair % self._sizes[sex]
