"""Addresses as a country has them: house and flat numbers that fit the street and the town,
Minsk's city districts, schools numbered up to what the town holds, Belarusian rows wholly in
Belarusian."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pyarrow.parquet as pq
import pytest

from bonafide.synth.chunk import Chunk, World, generate_chunk
from bonafide.synth.education import Level
from bonafide.synth.tables import load_tables
from bonafide.synth.world import SynthConfig
from tests.conftest import Population

TODAY = SynthConfig(people=1, seed=0).today
MINSK_DISTRICTS = {  # the nine city districts, Russian and Belarusian
    "Заводской район": "Заводскі раён",
    "Ленинский район": "Ленінскі раён",
    "Московский район": "Маскоўскі раён",
    "Октябрьский район": "Кастрычніцкі раён",
    "Партизанский район": "Партызанскі раён",
    "Первомайский район": "Першамайскі раён",
    "Советский район": "Савецкі раён",
    "Фрунзенский район": "Фрунзенскі раён",
    "Центральный район": "Цэнтральны раён",
}


@pytest.fixture(scope="module")
def world() -> World:
    return World()


@pytest.fixture(scope="module")
def chunk(world: World) -> Chunk:
    return generate_chunk(world, seed=4, index=0, first_id=0, size=40_000, chunks=2, today=TODAY)


def _settlement(name: str) -> int:
    return load_tables().settlements.text("ru").index(name)


def test_no_house_number_dominates(chunk: Chunk) -> None:
    houses = Counter(chunk.residences.house.tolist())
    total = sum(houses.values())
    number, most = houses.most_common(1)[0]
    assert most / total < 0.06, (number, most / total)
    assert len(houses) > 100
    assert houses[2] / total < 0.06


def test_house_numbers_run_along_a_street(chunk: Chunk, world: World) -> None:
    """A street has as many houses as it has: the numbers of one street run up to its length,
    the same in every registration."""
    res = chunk.residences
    kind = world.places.kind[res.settlement]
    village = kind == 0
    assert res.house[village].max() <= 90
    assert res.house.max() <= 200


def test_flats_fit_the_size_of_the_town(chunk: Chunk, world: World) -> None:
    res = chunk.residences
    kind = world.places.kind[res.settlement]
    flat = res.flat
    assert (flat[kind == 0] == 0).all()  # villages: houses
    town = (kind == 1) & (flat > 0)
    assert town.sum() > 200
    assert flat[town].max() <= 80  # low-rise: two to five storeys
    city = (kind == 2) & (flat > 0)
    assert flat[city].max() <= 220
    assert np.median(flat[town]) < np.median(flat[city])
    capital = (kind == 3) & (flat > 0)
    assert flat[capital].max() > 220  # high-rise blocks of many entrances


@pytest.mark.parametrize(
    ("town", "low", "high"),
    [("Гомель", 45, 75), ("Минск", 150, 230), ("Пинск", 8, 20), ("Глубокое", 1, 5)],
)
def test_school_numbers_fit_the_size_of_the_town(
    chunk: Chunk, town: str, low: int, high: int
) -> None:
    edu = chunk.education
    here = (edu.level == Level.SCHOOL) & (edu.settlement == _settlement(town))
    assert here.sum() > 20
    assert low <= edu.institution[here].max() <= high, edu.institution[here].max()


def test_small_towns_number_a_handful_of_schools(chunk: Chunk, world: World) -> None:
    edu = chunk.education
    school = edu.level == Level.SCHOOL
    small = world.places.population[edu.settlement] < 20_000
    assert edu.institution[school & small].max() <= 5
    assert edu.institution[school & (world.places.kind[edu.settlement] == 0)].max() <= 2


def _residence(population: Population) -> list[dict[str, str | None]]:
    rows: list[dict[str, str | None]] = pq.read_table(
        population.registries / "residence.parquet"
    ).to_pylist()
    return rows


def test_minsk_addresses_name_a_city_district(population: Population) -> None:
    minsk = [r for r in _residence(population) if r["Населённый пункт"] in ("Минск", "Мінск")]
    assert len(minsk) > 1_000
    districts = Counter(r["Район"] for r in minsk)
    assert set(districts) <= set(MINSK_DISTRICTS) | set(MINSK_DISTRICTS.values())
    assert set(MINSK_DISTRICTS) <= set(districts)
    assert max(districts.values()) / len(minsk) < 0.3


def test_belarusian_rows_write_region_and_district_in_belarusian(population: Population) -> None:
    tables = load_tables()
    be_of = dict(zip(tables.settlements.text("ru"), tables.settlements.text("be"), strict=True))
    belarusian_places = {be for ru, be in be_of.items() if be != ru}
    regions_ru = set(tables.regions.text("ru")) - set(tables.regions.text("be"))
    districts_ru = set(tables.settlements.text("district_ru")) - set(
        tables.settlements.text("district_be")
    )
    districts_ru |= set(MINSK_DISTRICTS) - set(MINSK_DISTRICTS.values())
    rows = [r for r in _residence(population) if r["Населённый пункт"] in belarusian_places]
    assert len(rows) > 500
    assert not [r["Область"] for r in rows if r["Область"] in regions_ru]
    assert not [r["Район"] for r in rows if r["Район"] in districts_ru]
    assert {r["Область"] for r in rows} <= set(tables.regions.text("be"))
