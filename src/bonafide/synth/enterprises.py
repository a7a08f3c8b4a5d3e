"""The small employers of Soviet times: kolkhozes, sovkhozes, plants, trusts and shops.

Before 1991 there were no private companies: a job that began then at a local employer was at a
state enterprise or a collective farm of the settlement (`data/soviet_enterprises.csv`), named
in the fashion of the time (Колхоз «Путь к коммунизму», Совхоз имени С. М. Кирова, Строительно-
монтажное управление № 4, Гастроном № 12; words from `data/soviet_words.csv`). Each local
employer (settlement, firm number) is one enterprise, the same in every chunk.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.synth.places import Places
from bonafide.synth.sampling import GroupedChoice, IntArray, stable_uniform
from bonafide.synth.tables import Table, Tables
from bonafide.synth.world import day_of_year

__all__ = ["MARKET_ECONOMY", "SovietEnterprises"]

MARKET_ECONOMY = day_of_year(1991)  # the first day private companies could employ anyone
_WHERE_RANK = {"village": 0, "town": 1, "city": 2}


class Fill(IntEnum):
    """What fills the `{}` of a name pattern."""

    NONE = 0
    WORD = 1  # «Прогресс»
    HERO = 2  # имени В. И. Ленина
    NUMBER = 3  # № 4


@dataclass(frozen=True)
class _Patterns:
    prefix: pa.Array
    suffix: pa.Array
    fill: IntArray


class SovietEnterprises:
    """Which Soviet enterprise each local employer was, its sector and its name."""

    def __init__(self, tables: Tables, places: Places) -> None:
        enterprises = tables.soviet_enterprises
        where = np.array([_WHERE_RANK[w] for w in enterprises.text("where")], dtype=np.int64)
        weight = enterprises.numbers("weight")
        self.sector = enterprises.text("sector")
        # villages have village enterprises; towns and cities their own and the smaller towns'
        groups, rows, weights = [], [], []
        for kind in range(4):
            allowed = np.flatnonzero((where == 0) if kind == 0 else (where >= 1) & (where <= kind))
            groups += [kind] * len(allowed)
            rows += allowed.tolist()
            weights += weight[allowed].tolist()
        self._rows = np.array(rows, dtype=np.int64)
        self._choice = GroupedChoice(np.array(groups, dtype=np.int64), np.array(weights), 4)
        self._kind = places.kind
        self._numbers = np.clip(places.population / 10_000, 2, 60).astype(np.int64)
        self._patterns = _patterns(enterprises.text("name"), enterprises.text("fill"))
        words = tables.soviet_words
        kinds = words.text("kind")
        self._words = _pool(words, kinds, "word")
        self._heroes = _pool(words, kinds, "hero")

    def enterprise(self, settlement: IntArray, firm: IntArray) -> IntArray:
        """The row of `soviet_enterprises.csv` of each local employer."""
        uniform = stable_uniform(settlement, firm, 11)
        return self._rows[self._choice.choose(self._kind[settlement], uniform)]

    def names(self, settlement: IntArray, firm: IntArray) -> pa.Array:
        """The name of each local employer: its pattern with a word, a hero or a number."""
        rows = self.enterprise(settlement, firm)
        row = pa.array(rows)
        fill = self._patterns.fill[rows]
        pick = stable_uniform(settlement, firm, 12)
        word = self._words[0].take(pa.array(_cumulative(self._words[1], pick)))
        hero = self._heroes[0].take(pa.array(_cumulative(self._heroes[1], pick)))
        number = pc.cast(
            pa.array(1 + (pick * self._numbers[settlement]).astype(np.int64)), pa.string()
        )
        text = pc.if_else(
            pa.array(fill == Fill.WORD),
            word,
            pc.if_else(
                pa.array(fill == Fill.HERO),
                hero,
                pc.if_else(pa.array(fill == Fill.NUMBER), number, pa.scalar("")),
            ),
        )
        return pc.binary_join_element_wise(
            self._patterns.prefix.take(row), text, self._patterns.suffix.take(row), ""
        )


def _patterns(names: list[str], fills: list[str]) -> _Patterns:
    prefix, suffix = [], []
    for name in names:
        before, _, after = name.partition("{}")
        prefix.append(before)
        suffix.append(after)
    fill = np.array([Fill[f.upper()] if f else Fill.NONE for f in fills], dtype=np.int64)
    return _Patterns(pa.array(prefix), pa.array(suffix), fill)


def _pool(words: Table, kinds: list[str], kind: str) -> tuple[pa.Array, npt.NDArray[np.float64]]:
    """The words of one kind and the cumulative shares to draw them by."""
    rows = [i for i, k in enumerate(kinds) if k == kind]
    weight = words.numbers("weight")[rows]
    cdf: npt.NDArray[np.float64] = np.cumsum(weight) / weight.sum()
    return pa.array([words.text("ru")[i] for i in rows]), cdf


def _cumulative(cdf: npt.NDArray[np.float64], uniform: npt.NDArray[np.float64]) -> IntArray:
    picks = np.searchsorted(cdf, uniform, side="right")
    return np.minimum(picks, len(cdf) - 1).astype(np.int64)
