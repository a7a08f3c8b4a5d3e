"""The published feed's offline map: Belarus and its neighbours in a frame, projected to SVG.

    >>> from bonafide.reports.basemap import Basemap
    >>> basemap = Basemap.load()
    >>> projection = basemap.projection(800)
    >>> x, y = projection.point(53.90, 27.57)  # Minsk
    >>> 0 < x < 800 and 0 < y < projection.height
    True

The outlines (`data/basemap.json`, see `data/SOURCES.md`) are Natural Earth's 1:10m countries
(public domain), clipped to the frame and simplified by `tools/basemap_data.py`; the labelled
cities are Minsk and the regional centres. Nothing is fetched: no tiles, no fonts, no scripts.

The projection is equirectangular with the longitude scaled by the cosine of the frame's middle
latitude: across Belarus (51–56°N) a kilometre east–west and a kilometre north–south differ on
the page by under 8 %, which is less than a mark's own size.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Basemap", "City", "Country", "Projection", "Ring"]

_DATA = "basemap.json"

Ring = tuple[tuple[float, float], ...]  # (lon, lat) pairs, closed


@dataclass(frozen=True)
class Country:
    """A country's land inside the frame: `iso` ISO 3166-1 alpha-2; `label_lat`/`label_lon` a
    point inside it where its name can stand."""

    iso: str
    name: str
    label_lat: float
    label_lon: float
    rings: tuple[Ring, ...]


@dataclass(frozen=True)
class City:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Projection:
    """Degrees → SVG user units: x grows east from the frame's west edge, y south from its
    north edge; `width` × `height` is the frame."""

    west: float
    north: float
    x_scale: float
    y_scale: float
    width: float
    height: float

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        return (lon - self.west) * self.x_scale, (self.north - lat) * self.y_scale

    def path(self, rings: Sequence[Ring]) -> str:
        """An SVG path's `d` of closed rings (the even-odd rule makes holes of inner rings)."""
        parts = []
        for ring in rings:
            points = (self.point(lat, lon) for lon, lat in ring)
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
        return "".join(parts)


@dataclass(frozen=True)
class Basemap:
    """The frame (degrees), the countries in it (Belarus last, `focus`) and the cities to label."""

    west: float
    south: float
    east: float
    north: float
    countries: tuple[Country, ...]
    cities: tuple[City, ...]
    source: str
    focus: str = "BY"

    @staticmethod
    @cache
    def load() -> Basemap:
        text = resources.files("bonafide.reports").joinpath("data", _DATA).read_text("utf-8")
        data = json.loads(text)
        west, south, east, north = (float(v) for v in data["frame"])
        countries = tuple(
            Country(
                iso=c["iso"],
                name=c["name"],
                label_lat=float(c["label"][1]),
                label_lon=float(c["label"][0]),
                rings=tuple(tuple((float(x), float(y)) for x, y in r) for r in c["rings"]),
            )
            for c in data["countries"]
        )
        cities = tuple(City(c["name"], float(c["lat"]), float(c["lon"])) for c in data["cities"])
        return Basemap(west, south, east, north, countries, cities, data["source"])

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    def projection(self, width: float) -> Projection:
        squeeze = math.cos(math.radians((self.south + self.north) / 2))
        y_scale = width / ((self.east - self.west) * squeeze)
        height = (self.north - self.south) * y_scale
        return Projection(self.west, self.north, y_scale * squeeze, y_scale, width, height)

    def bounds(self, iso: str) -> tuple[float, float, float, float]:
        """(south, west, north, east) of a country's land in the frame."""
        country = next((c for c in self.countries if c.iso == iso), None)
        if country is None:
            raise KeyError(f"{iso}: no such country on the map ({_DATA})")
        lons = [lon for ring in country.rings for lon, _ in ring]
        lats = [lat for ring in country.rings for _, lat in ring]
        return min(lats), min(lons), max(lats), max(lons)
