"""Given names follow the fashion of the birth decade; patronymics that of the father's."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from bonafide.synth.people import FEMALE, MALE, People, generate_people
from bonafide.synth.tables import load_tables
from bonafide.synth.world import SynthConfig, year_of

TODAY = SynthConfig(people=1, seed=0).today


@pytest.fixture(scope="module")
def people() -> People:
    rng = np.random.default_rng(17)
    return generate_people(rng, load_tables(), 0, 300_000, TODAY)


def _given(people: People, sex: int, decade: int) -> Counter[str]:
    tables = load_tables()
    names = (tables.given_male if sex == MALE else tables.given_female).text("ru")
    born = year_of(people.birth) // 10 * 10
    rows = people.given[(people.sex == sex) & (born == decade)]
    return Counter(names[r] for r in rows.tolist())


def _share(counts: Counter[str], *names: str) -> float:
    return sum(counts[n] for n in names) / sum(counts.values())


# (sex, names, birth decade, lowest share, highest share): what naming fashion in Belarus made
# rare or common in a decade (synth/data/SOURCES.md, given_name_fashion.csv)
CASES = [
    (FEMALE, ("Галина", "Людмила"), 2010, 0.0, 0.005),
    (FEMALE, ("Галина", "Людмила"), 1940, 0.10, 0.30),
    (FEMALE, ("Анастасия", "Полина"), 1940, 0.0, 0.005),
    (FEMALE, ("Анастасия", "Полина"), 2000, 0.08, 0.25),
    (FEMALE, ("Татьяна", "Елена", "Ольга", "Наталья"), 1960, 0.25, 0.50),
    (FEMALE, ("Татьяна", "Елена", "Ольга", "Наталья"), 2010, 0.0, 0.01),
    (FEMALE, ("Ева", "Алиса", "Злата", "Мия", "Аврора"), 1950, 0.0, 0.002),
    (MALE, ("Артём", "Матвей", "Тимофей", "Мирон"), 1950, 0.0, 0.005),
    (MALE, ("Артём", "Матвей", "Тимофей", "Мирон"), 2010, 0.10, 0.30),
    (MALE, ("Геннадий", "Анатолий", "Валерий"), 2010, 0.0, 0.005),
    (MALE, ("Геннадий", "Анатолий", "Валерий"), 1950, 0.08, 0.25),
]


@pytest.mark.parametrize(("sex", "names", "decade", "low", "high"), CASES)
def test_given_names_follow_the_birth_decade(
    people: People, sex: int, names: tuple[str, ...], decade: int, low: float, high: float
) -> None:
    counts = _given(people, sex, decade)
    assert sum(counts.values()) > 1_000
    assert low <= _share(counts, *names) <= high, (decade, names, _share(counts, *names))


def test_patronymics_come_from_the_fathers_generation(people: People) -> None:
    """Fathers were born about a generation earlier: Иванович and Васильевич common among
    people born in the 1950s, Матвеевич and Миронович rare among those born in the 2000s,
    Геннадьевич common among those born in the 1970s."""
    names = load_tables().given_male.text("ru")
    born = year_of(people.birth)
    pairs = zip(born.tolist(), people.father.tolist(), strict=True)
    fathers = Counter((year // 10 * 10, names[f]) for year, f in pairs)

    def share(decade: int, *wanted: str) -> float:
        total = sum(n for (d, _), n in fathers.items() if d == decade)
        return sum(fathers[(decade, w)] for w in wanted) / total

    assert share(1950, "Иван", "Василий", "Михаил", "Николай") > 0.20
    assert share(2000, "Матвей", "Мирон", "Платон") < 0.003
    assert share(1970, "Геннадий", "Анатолий") > 0.04
    assert share(2010, "Геннадий", "Анатолий") < share(1970, "Геннадий", "Анатолий") / 2


def test_fashion_table_names_are_given_names_of_that_sex() -> None:
    tables = load_tables()
    known = {"m": set(tables.given_male.text("ru")), "f": set(tables.given_female.text("ru"))}
    fashion = tables.given_name_fashion
    for sex, name in zip(fashion.text("sex"), fashion.text("ru"), strict=True):
        assert name in known[sex], (sex, name)
