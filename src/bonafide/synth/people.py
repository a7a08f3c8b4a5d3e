"""People: sex, birth, names, birthplace, marriage, emigration and death, as arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bonafide.synth.fashion import NameFashion
from bonafide.synth.sampling import IntArray, weighted_choice
from bonafide.synth.tables import Tables
from bonafide.synth.world import NO_DAY, YEAR, DayArray, day_of_year, year_of

__all__ = ["People", "generate_people"]

MALE, FEMALE = 0, 1
FATHER_AGE_FROM, FATHER_AGE_SPAN = 21, 15  # a father's age at the birth: 21 to 35


@dataclass
class People:
    """One chunk of people; index i of every array is one person."""

    person_id: IntArray
    sex: IntArray  # 0 male, 1 female
    birth: DayArray
    given: IntArray  # row of the given-name table of the person's sex
    father: IntArray  # row of the male given-name table: the patronymic
    surname: IntArray  # row of the surname table (birth surname)
    married_surname: IntArray  # row of the surname table after marriage, -1 when unchanged
    marriage: DayArray  # day of the surname change, NO_DAY when none
    birth_settlement: IntArray
    death: DayArray
    emigration: DayArray
    digitised: DayArray  # when the person's identity record was created in the register

    def __len__(self) -> int:
        return len(self.person_id)

    @property
    def end(self) -> DayArray:
        """The last day the person's life leaves traces in the country's registries."""
        return np.minimum(self.death, self.emigration)

    def surname_on(self, days: DayArray, index: IntArray) -> IntArray:
        """The surname row of people `index` as it was on `days`."""
        after = (days >= self.marriage[index]) & (self.married_surname[index] >= 0)
        return np.where(after, self.married_surname[index], self.surname[index])

    def subset(self, index: IntArray) -> People:
        return People(**{name: value[index] for name, value in self.__dict__.items()})


def _birth_days(
    rng: np.random.Generator, tables: Tables, size: int, today: int
) -> tuple[IntArray, DayArray]:
    pyramid = tables.age_pyramid
    year_from = pyramid.numbers("birth_year_from")
    year_to = pyramid.numbers("birth_year_to")
    weights = np.concatenate([pyramid.numbers("male_share"), pyramid.numbers("female_share")])
    band = weighted_choice(rng, weights, size)
    sex = (band >= len(year_from)).astype(np.int64)
    band %= len(year_from)
    first = np.array([day_of_year(int(y)) for y in year_from], dtype=np.int64)[band]
    last = np.array([day_of_year(int(y) + 1) for y in year_to], dtype=np.int64)[band]
    last = np.minimum(last, today - 1)
    birth = first + (rng.random(size) * np.maximum(last - first, 1)).astype(np.int64)
    return sex, birth.astype(np.int32)


# Deaths at working age (accidents, illness): a yearly hazard rising from 0.04 % at 20 to 0.36 %
# at 60 (men 1.5 times, women half of it), i.e. 12 % of men and 4 % of women die between 20 and
# 60; only deaths since 1990 are drawn, as the registries begin then.
_EARLY_HAZARD_AT_20 = 0.0004
_EARLY_HAZARD_SLOPE = 0.00008  # per year of age
_EARLY_SPAN = 40.0  # years, from 20 to 60
_EARLY_SEX_FACTOR = np.array([1.5, 0.5])


def early_deaths(rng: np.random.Generator, sex: IntArray, birth: DayArray, today: int) -> DayArray:
    """Deaths at 20-60 drawn from a linear hazard; NO_DAY for people who do not die then."""
    size = len(sex)
    c0, c1 = _EARLY_HAZARD_AT_20, _EARLY_HAZARD_SLOPE
    total = c0 * _EARLY_SPAN + c1 * _EARLY_SPAN**2 / 2
    dies = rng.random(size) < total * _EARLY_SEX_FACTOR[sex]
    u = rng.random(size)
    years = (-c0 + np.sqrt(c0 * c0 + 2 * c1 * u * total)) / c1  # inverse of the hazard's CDF
    day = birth.astype(np.int64) + ((20 + years) * YEAR).astype(np.int64)
    dies &= (day < today) & (day >= day_of_year(1990))
    return np.where(dies, day, NO_DAY).astype(np.int32)


def _events(
    rng: np.random.Generator, sex: IntArray, birth: DayArray, today: int
) -> tuple[DayArray, DayArray, DayArray]:
    size = len(sex)
    age_years = (today - birth) / YEAR
    # Deaths: people of older cohorts who died after 1990; their records remain in registries.
    dies = (age_years > 55) & (rng.random(size) < np.clip((age_years - 55) / 60, 0, 0.35))
    death_from = np.maximum(birth + int(50 * YEAR), day_of_year(1990))
    death = np.where(
        dies,
        death_from + (rng.random(size) * np.maximum(today - death_from, 1)).astype(np.int64),
        NO_DAY,
    ).astype(np.int32)
    # Emigration: adults leaving, most of them in the 2020-2022 wave.
    emigrates = (age_years > 20) & (rng.random(size) < 0.05)
    wave = rng.random(size) < 0.55
    early = np.maximum(birth + int(19 * YEAR), day_of_year(1995))
    wave_start = np.maximum(birth + int(19 * YEAR), day_of_year(2020) + 220)
    start = np.where(wave, wave_start, early)
    stop = np.where(wave, np.minimum(day_of_year(2023), today), today)
    emigration = np.where(
        emigrates & (stop > start),
        start + (rng.random(size) * np.maximum(stop - start, 1)).astype(np.int64),
        NO_DAY,
    ).astype(np.int32)
    emigration = np.where(emigration < death, emigration, NO_DAY).astype(np.int32)
    # Marriage: the day a woman's surname may change.
    marries = (sex == FEMALE) & (age_years > 21) & (rng.random(size) < 0.72)
    marriage = np.where(
        marries, birth + ((20 + rng.random(size) * 12) * YEAR).astype(np.int64), NO_DAY
    )
    marriage = np.where(marriage < np.minimum(death, emigration), marriage, NO_DAY)
    marriage = np.where(marriage < today, marriage, NO_DAY)
    return death, emigration, marriage.astype(np.int32)


def generate_people(
    rng: np.random.Generator, tables: Tables, first_id: int, size: int, today: int
) -> People:
    sex, birth = _birth_days(rng, tables, size, today)
    fashion = NameFashion(tables)
    born = year_of(birth)
    uniform = rng.random(size)
    given = np.where(
        sex == MALE, fashion.given(MALE, born, uniform), fashion.given(FEMALE, born, uniform)
    )
    # the father named in the fashion of his own birth, a generation earlier
    father_born = born - (FATHER_AGE_FROM + rng.random(size) * FATHER_AGE_SPAN).astype(np.int64)
    father = fashion.given(MALE, father_born, rng.random(size))
    surname_w = tables.surnames.numbers("weight")
    surname = weighted_choice(rng, surname_w, size)
    death, emigration, marriage = _events(rng, sex, birth, today)
    takes_name = (marriage != NO_DAY) & (rng.random(size) < 0.85)
    married_surname = np.where(takes_name, weighted_choice(rng, surname_w, size), -1)
    marriage = np.where(takes_name, marriage, NO_DAY).astype(np.int32)
    settlement_w = tables.settlements.numbers("population")
    birth_settlement = weighted_choice(rng, settlement_w, size)
    # Identity records were digitised in 2003-2008; people first registered later were
    # entered when they first got a passport at 14.
    digitised_mass = day_of_year(2003) + (rng.random(size) * 6 * YEAR).astype(np.int64)
    first_passport = birth + int(14 * YEAR) + (rng.random(size) * 120).astype(np.int64)
    digitised = np.maximum(digitised_mass, first_passport).astype(np.int32)
    return People(
        person_id=np.arange(first_id, first_id + size, dtype=np.int64),
        sex=sex,
        birth=birth,
        given=given.astype(np.int64),
        father=father,
        surname=surname,
        married_surname=married_surname.astype(np.int64),
        marriage=marriage,
        birth_settlement=birth_settlement,
        death=death,
        emigration=emigration,
        digitised=digitised,
    )
