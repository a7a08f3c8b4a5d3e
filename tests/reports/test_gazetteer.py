"""The offline gazetteer: names in any script, typos, coordinates, neighbours' border towns."""

from __future__ import annotations

import time
from importlib import resources

import pytest

from bonafide.reports.gazetteer import Gazetteer, parse_coordinates


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def _top(gazetteer: Gazetteer, text: str) -> str:
    found = gazetteer.find(text)
    assert found, text
    return found[0].name


@pytest.mark.parametrize(
    "text", ["Маладзечна", "Молодечно", "Maladziečna", "Maladziecna", "Molodechno", "Maladzieczna"]
)
def test_maladziechna_in_every_script(gazetteer: Gazetteer, text: str) -> None:
    match = gazetteer.find(text)[0]
    assert match.name == "Maladziečna"
    assert (match.be, match.ru, match.country, match.region) == (
        "Маладзечна",
        "Молодечно",
        "BY",
        "Minsk",
    )
    assert match.score >= 0.9


@pytest.mark.parametrize("text", ["Брэст", "Брест", "Brest", "Brześć", "Brzesc"])
def test_brest(gazetteer: Gazetteer, text: str) -> None:
    match = gazetteer.find(text)[0]
    assert (match.name, match.country) == ("Brest", "BY")
    assert match.how == "reading"
    assert abs(match.lat - 52.1) < 0.1
    assert abs(match.lon - 23.7) < 0.1


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bresr", "Brest"),
        ("Molodecno", "Maladziečna"),
        ("Smolemsk", "Smolensk"),
        ("Vorsha", "Orsha"),
        ("Pinks", "Pinsk"),  # two letters swapped
        ("Маладзечно", "Maladziečna"),
    ],
)
def test_typos(gazetteer: Gazetteer, text: str, name: str) -> None:
    match = gazetteer.find(text)[0]
    assert match.name == name
    assert match.score < 1.0


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Smolensk", "Smolensk", "RU"),
        ("Смоленск", "Smolensk", "RU"),
        ("Смаленск", "Smolensk", "RU"),
        ("Vilnius", "Vilnius", "LT"),
        ("Вільня", "Vilnius", "LT"),
        ("Białystok", "Białystok", "PL"),
        ("Bialystok", "Białystok", "PL"),
        ("Беласток", "Białystok", "PL"),
        ("Chernihiv", "Chernihiv", "UA"),
        ("Чернигов", "Chernihiv", "UA"),
        ("Daugavpils", "Daugavpils", "LV"),
    ],
)
def test_neighbours_border_towns(gazetteer: Gazetteer, text: str, name: str, country: str) -> None:
    match = gazetteer.find(text)[0]
    assert (match.name, match.country) == (name, country)


def test_ranked_by_closeness_then_population(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("Minsk")
    assert found[0].name == "Minsk"
    assert found[0].score > found[1].score
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("text", ["Qwertyuiop", "xyz", "", "   ", "Zzzzkrrrvv"])
def test_unknown_word_no_match(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.find(text) == []


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("53.90, 27.56", (53.90, 27.56)),
        ("53.9N 27.56E", (53.9, 27.56)),
        ("53.9 N, 27.56 E", (53.9, 27.56)),
        ("N53.9 E27.56", (53.9, 27.56)),
        ("27.56E 53.9N", (53.9, 27.56)),
        ("53,9; 27,56", (53.9, 27.56)),
        ("53.9° 27.56°", (53.9, 27.56)),
        ("-33.5, -70.6", (-33.5, -70.6)),
        ("33.5S 70.6W", (-33.5, -70.6)),
    ],
)
def test_coordinates_parsed(text: str, point: tuple[float, float]) -> None:
    assert parse_coordinates(text) == pytest.approx(point)


@pytest.mark.parametrize(
    "text",
    ["Minsk", "53.9", "53.9N 27.5N", "91.0, 27.5", "53.9, 181", "53.9N 200E", "a, b", "1,2,3,4"],
)
def test_not_coordinates(text: str) -> None:
    assert parse_coordinates(text) is None


def test_coordinates_find_the_point_and_nearest_settlement(gazetteer: Gazetteer) -> None:
    (match,) = gazetteer.find("53.90, 27.56")
    assert (match.lat, match.lon) == (53.90, 27.56)
    assert match.how == "coordinates"
    assert match.name == "Minsk"
    assert match.distance_km is not None
    assert match.distance_km < 2
    near_brest = gazetteer.find("52.1N 23.7E")[0]
    assert near_brest.name == "Brest"


def test_out_of_range_coordinates_match_nothing(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("95.0, 27.5") == []


def test_loads_fast_and_is_cached() -> None:
    Gazetteer.load.cache_clear()
    start = time.perf_counter()
    first = Gazetteer.load()
    assert time.perf_counter() - start < 1.0
    assert Gazetteer.load() is first
    assert len(first.places) > 1500
    countries = {p.country for p in first.places}
    assert countries == {"BY", "PL", "LT", "LV", "RU", "UA"}


def test_licence_file_present() -> None:
    data = resources.files("bonafide.reports").joinpath("data")
    sources = data.joinpath("SOURCES.md").read_text("utf-8")
    assert "GeoNames" in sources
    assert "CC BY 4.0" in sources
    assert "tools/gazetteer_data.py" in sources
    assert data.joinpath("gazetteer.csv").is_file()
