"""The reference tables the generator draws from: names, places, institutions, employers.

The tables are data files shipped inside the package (see each `data/SOURCES.md`); this module
only reads them into arrays, once per process.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Table", "Tables", "load_tables"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Table:
    """A CSV table held column by column: text columns as lists, numbers as arrays."""

    columns: dict[str, list[str]]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def text(self, name: str) -> list[str]:
        return self.columns[name]

    def numbers(self, name: str) -> FloatArray:
        return np.array([float(v) if v else 0.0 for v in self.columns[name]], dtype=np.float64)

    def where(self, name: str, predicate: Any) -> Table:
        keep = [i for i, v in enumerate(self.columns[name]) if predicate(v)]
        return Table({k: [col[i] for i in keep] for k, col in self.columns.items()})


def _read(package: str, name: str) -> Table:
    text = resources.files(package).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    columns: dict[str, list[str]] = {field: [] for field in reader.fieldnames or ()}
    for row in reader:
        for field in columns:
            columns[field].append((row.get(field) or "").strip())
    return Table(columns)


@dataclass(frozen=True)
class Tables:
    given_male: Table
    given_female: Table
    given_name_fashion: Table
    surnames: Table
    regions: Table
    settlements: Table
    streets: Table
    renamings: Table
    city_districts: Table
    universities: Table
    colleges: Table
    employers: Table
    positions: Table
    programmes: Table
    company_words: Table
    company_forms: Table
    soviet_enterprises: Table
    soviet_words: Table
    age_pyramid: Table


@cache
def load_tables() -> Tables:
    given = _read("bonafide.names", "given_names.csv")
    return Tables(
        given_male=given.where("sex", lambda v: v == "m"),
        given_female=given.where("sex", lambda v: v == "f"),
        given_name_fashion=_read("bonafide.synth", "given_name_fashion.csv"),
        surnames=_read("bonafide.names", "surnames.csv"),
        regions=_read("bonafide.places", "regions.csv"),
        settlements=_read("bonafide.places", "settlements.csv"),
        streets=_read("bonafide.places", "streets.csv"),
        renamings=_read("bonafide.places", "street_renamings.csv"),
        city_districts=_read("bonafide.synth", "city_districts.csv"),
        universities=_read("bonafide.synth", "universities.csv"),
        colleges=_read("bonafide.synth", "colleges.csv"),
        employers=_read("bonafide.synth", "employers.csv"),
        positions=_read("bonafide.synth", "positions.csv"),
        programmes=_read("bonafide.synth", "programmes.csv"),
        company_words=_read("bonafide.synth", "company_words.csv"),
        company_forms=_read("bonafide.synth", "company_forms.csv"),
        soviet_enterprises=_read("bonafide.synth", "soviet_enterprises.csv"),
        soviet_words=_read("bonafide.synth", "soviet_words.csv"),
        age_pyramid=_read("bonafide.synth", "age_pyramid.csv"),
    )
