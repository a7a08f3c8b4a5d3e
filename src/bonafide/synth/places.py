"""The settlements and streets of the synthetic country, ready for vectorised draws."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from bonafide.synth.sampling import FloatArray, GroupedChoice, IntArray, stable_uniform
from bonafide.synth.tables import Tables
from bonafide.synth.world import DayArray, day_of_year

BoolArray = npt.NDArray[np.bool_]

__all__ = ["Places"]

_KIND_RANK = {"village": 0, "town": 1, "city": 2, "capital": 3}
_STREET_WHERE_RANK = {"any": 0, "town": 1, "city": 2}
_FLAT_SHARE = np.array([0.0, 0.45, 0.8, 0.92])
_RENAMED_SHARE = 0.35  # of settlements where a country-wide renaming took place
# Houses on a street and flats in a block, log-uniform between these bounds by settlement kind
# (village, town, city, capital): villages of one-family houses on short streets, towns of two-
# to five-storey blocks, cities of five- to nine-storey ones, Minsk's blocks up to 25 storeys.
_STREET_HOUSES = np.array([[6, 80], [8, 120], [10, 160], [10, 190]])
_BLOCK_FLATS = np.array([[1, 1], [8, 80], [12, 216], [20, 450]])
_KEY = 1 << 20  # settlement * _KEY + street identifies a street of a settlement


class Places:
    """Settlements (with region and kind) and the streets each settlement has."""

    def __init__(self, tables: Tables) -> None:
        settlements = tables.settlements
        region_codes = tables.regions.text("code")
        self.region = np.array(
            [region_codes.index(code) for code in settlements.text("region_code")], dtype=np.int64
        )
        self.kind = np.array([_KIND_RANK[k] for k in settlements.text("kind")], dtype=np.int64)
        self.population = settlements.numbers("population")
        self.ids = settlements.text("id")
        self.capital = int(np.flatnonzero(self.kind == _KIND_RANK["capital"])[0])
        self.flat_share = _FLAT_SHARE[self.kind]
        self._regional = GroupedChoice(self.region, self.population, len(region_codes))
        self._cdf = np.cumsum(self.population) / self.population.sum()
        self.street_count = np.clip(self.population / 180, 3, 700).astype(np.int64)
        self._street_pools = self._streets_by_kind(tables)
        self._renamings(tables)
        self._city_districts(tables)

    def _streets_by_kind(self, tables: Tables) -> list[tuple[IntArray, FloatArray]]:
        where = np.array(
            [_STREET_WHERE_RANK.get(w, 0) for w in tables.streets.text("where")], dtype=np.int64
        )
        weight = tables.streets.numbers("weight")
        pools = []
        for kind_rank in range(4):
            allowed = np.flatnonzero(where <= min(kind_rank, 2))
            cdf = np.cumsum(weight[allowed])
            pools.append((allowed.astype(np.int64), cdf / cdf[-1]))
        return pools

    def _city_districts(self, tables: Tables) -> None:
        """The city districts of Minsk, the regional centres and Бобруйск, by population."""
        ids = {sid: i for i, sid in enumerate(self.ids)}
        districts = tables.city_districts
        settlement = np.array([ids[s] for s in districts.text("settlement_id")], dtype=np.int64)
        self.has_districts = np.zeros(len(self.ids), dtype=bool)
        self.has_districts[settlement] = True
        self._districts = GroupedChoice(settlement, districts.numbers("population"), len(self.ids))

    def _renamings(self, tables: Tables) -> None:
        """Country-wide renamings by new street name; local ones by (settlement, street)."""
        street_index = {name: i for i, name in reversed(list(enumerate(tables.streets.text("ru"))))}
        settlement_index = {sid: i for i, sid in enumerate(self.ids)}
        self.renaming_of_street = np.full(len(street_index), -1, dtype=np.int64)
        local: dict[int, int] = {}
        rows = zip(tables.renamings.text("new_ru"), tables.renamings.text("scope"), strict=True)
        for row, (new, scope) in enumerate(rows):
            street = street_index.get(new)
            if street is None:
                continue
            if scope == "any":
                if self.renaming_of_street[street] < 0:
                    self.renaming_of_street[street] = row
            elif scope in settlement_index:
                local.setdefault(settlement_index[scope] * _KEY + street, row)
        self._local_keys = np.array(sorted(local), dtype=np.int64)
        self._local_rows = np.array([local[k] for k in sorted(local)], dtype=np.int64)
        self._renamed_day = np.array(
            [day_of_year(int(y)) for y in tables.renamings.text("year")], dtype=np.int64
        )

    def in_region(self, region: IntArray, uniform: FloatArray) -> IntArray:
        return self._regional.choose(region, uniform)

    def anywhere(self, uniform: FloatArray) -> IntArray:
        picks = np.searchsorted(self._cdf, uniform, side="right")
        return np.minimum(picks, len(self._cdf) - 1).astype(np.int64)

    def street_of(self, settlement: IntArray, uniform: FloatArray) -> IntArray:
        """A street of each settlement; a settlement's k-th street is the same in every run."""
        k = np.floor(uniform * self.street_count[settlement]).astype(np.int64)
        stable = stable_uniform(settlement, k)
        street = np.zeros(len(settlement), dtype=np.int64)
        for kind_rank, (allowed, cdf) in enumerate(self._street_pools):
            here = self.kind[settlement] == kind_rank
            picks = np.minimum(np.searchsorted(cdf, stable[here], side="right"), len(cdf) - 1)
            street[here] = allowed[picks]
        return street

    def house_number(self, settlement: IntArray, street: IntArray, uniform: FloatArray) -> IntArray:
        """A house of each street: numbers run from 1 to the street's length, which is the same
        for a street in every run."""
        houses = _log_uniform(
            _STREET_HOUSES, self.kind[settlement], stable_uniform(settlement, street, 31)
        )
        return 1 + np.floor(uniform * houses).astype(np.int64)

    def flat_number(
        self, settlement: IntArray, street: IntArray, house: IntArray, uniform: FloatArray
    ) -> IntArray:
        """A flat of each building, numbered up to the building's size (fixed per building)."""
        kind = self.kind[settlement]
        flats = _log_uniform(_BLOCK_FLATS, kind, stable_uniform(settlement, street, house, 32))
        return 1 + np.floor(uniform * flats).astype(np.int64)

    def city_district(self, settlement: IntArray, street: IntArray) -> IntArray:
        """The row of `city_districts.csv` each street lies in, -1 where the settlement has none;
        a street lies in the same district in every run."""
        row = np.full(len(settlement), -1, dtype=np.int64)
        here = self.has_districts[settlement]
        if here.any():
            uniform = stable_uniform(settlement[here], street[here], 33)
            row[here] = self._districts.choose(settlement[here], uniform)
        return row

    def renaming(self, settlement: IntArray, street: IntArray) -> IntArray:
        """The renaming row that gave `street` its name in `settlement`, or -1."""
        generic = self.renaming_of_street[street]
        applies = (generic >= 0) & (stable_uniform(settlement, generic, 77) < _RENAMED_SHARE)
        row = np.where(applies, generic, -1)
        if len(self._local_keys):
            key = settlement * _KEY + street
            at = np.minimum(np.searchsorted(self._local_keys, key), len(self._local_keys) - 1)
            local = self._local_keys[at] == key
            row = np.where(local, self._local_rows[at], row)
        return row

    def had_old_name(self, settlement: IntArray, street: IntArray, day: DayArray) -> BoolArray:
        """True where the street of `settlement` still had its old name on `day`."""
        row = self.renaming(settlement, street)
        return (row >= 0) & (day < self._renamed_day[np.maximum(row, 0)])


def _log_uniform(bounds: IntArray, kind: IntArray, uniform: FloatArray) -> IntArray:
    """Whole numbers in [low, high) of each kind's bounds, small ones more often."""
    low, high = bounds[kind, 0], bounds[kind, 1]
    values: IntArray = np.maximum(np.floor(low * (high / low) ** uniform), 1).astype(np.int64)
    return values
