"""Education histories: school, then vocational school, college or university."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from bonafide.synth.people import People
from bonafide.synth.places import Places
from bonafide.synth.residence import Residences, residence_at
from bonafide.synth.sampling import GroupedChoice, IntArray
from bonafide.synth.tables import Tables
from bonafide.synth.world import YEAR, year_of

__all__ = ["Education", "Institutions", "Level", "generate_education"]

NOT_FINISHED = -1


class Level(IntEnum):
    SCHOOL = 0
    VOCATIONAL = 1
    COLLEGE = 2
    UNIVERSITY = 3


_LEVEL_OF_KIND = {
    "vocational": Level.VOCATIONAL,
    "college": Level.COLLEGE,
    "university": Level.UNIVERSITY,
}


class Institutions:
    """Schools (numbered per settlement), colleges and universities, and their programmes."""

    def __init__(self, tables: Tables, places: Places) -> None:
        ids = {sid: i for i, sid in enumerate(places.ids)}
        self.university_settlement = np.array(
            [ids[s] for s in tables.universities.text("settlement_id")], dtype=np.int64
        )
        self.college_settlement = np.array(
            [ids[s] for s in tables.colleges.text("settlement_id")], dtype=np.int64
        )
        self.university_weight = tables.universities.numbers("weight")
        colleges = tables.colleges.text("kind")
        self.college_level = np.array([_LEVEL_OF_KIND[k] for k in colleges], dtype=np.int64)
        self._colleges = GroupedChoice(
            self.college_level, tables.colleges.numbers("weight"), len(Level)
        )
        self._universities = len(tables.universities)
        self._programmes, self._programme_rows = _programmes_taught(tables)
        # numbered schools: about one per 7,500 people (Гомель about 70, a town of 15,000 two)
        self.school_count = np.clip(np.ceil(places.population / 7500), 1, 225).astype(np.int64)

    def college(self, level: IntArray, uniform: np.typing.NDArray[np.float64]) -> IntArray:
        return self._colleges.choose(level, uniform)

    def programme(
        self, level: IntArray, institution: IntArray, uniform: np.typing.NDArray[np.float64]
    ) -> IntArray:
        """A programme of `programmes.csv` that each institution (a university row at university
        level, a college row otherwise) teaches at its level."""
        key = np.where(level == Level.UNIVERSITY, institution, self._universities + institution)
        return self._programme_rows[self._programmes.choose(key, uniform)]


@dataclass
class Education:
    """One row per course of study; `institution` is a school number for schools."""

    person: IntArray
    level: IntArray
    institution: IntArray
    settlement: IntArray
    programme: IntArray  # -1 for schools
    start_year: IntArray
    graduation_year: IntArray  # NOT_FINISHED when the course was not (yet) finished

    def __len__(self) -> int:
        return len(self.person)


def generate_education(
    rng: np.random.Generator,
    people: People,
    residences: Residences,
    institutions: Institutions,
    today: int,
) -> Education:
    this_year = int(year_of(np.array([today]))[0])
    school_start_day = people.birth + int(6.7 * YEAR)
    in_school_age = school_start_day < np.minimum(people.end, today)
    pupils = np.flatnonzero(in_school_age)
    where = residence_at(residences, pupils, school_start_day[pupils])
    school_settlement = residences.settlement[where]
    school_start = year_of(school_start_day[pupils])
    school_years = np.where(year_of(people.birth[pupils]) >= 1985, 11, 10)
    school_end = school_start + school_years
    school_number = 1 + np.floor(
        rng.random(len(pupils)) * institutions.school_count[school_settlement]
    ).astype(np.int64)

    rows = [
        _rows(
            pupils,
            np.full(len(pupils), Level.SCHOOL),
            school_number,
            school_settlement,
            np.full(len(pupils), -1),
            school_start,
            np.where(school_end <= this_year, school_end, NOT_FINISHED),
        )
    ]
    graduates = pupils[school_end <= this_year - 1]
    after = school_end[school_end <= this_year - 1]
    draw = rng.random(len(graduates))
    goes_university = draw < 0.42
    goes_college = (draw >= 0.42) & (draw < 0.64)
    goes_vocational = (draw >= 0.64) & (draw < 0.76)
    for chosen, level in (
        (goes_university, Level.UNIVERSITY),
        (goes_college, Level.COLLEGE),
        (goes_vocational, Level.VOCATIONAL),
    ):
        who = graduates[chosen]
        start = after[chosen] + (rng.random(len(who)) < 0.2)
        n = len(who)
        levels = np.full(n, int(level))
        if level is Level.UNIVERSITY:
            weights = institutions.university_weight
            institution = np.minimum(
                np.searchsorted(np.cumsum(weights) / weights.sum(), rng.random(n), side="right"),
                len(weights) - 1,
            )
            settlement = institutions.university_settlement[institution]
            duration = np.where(rng.random(n) < 0.6, 5, 4)
        else:
            institution = institutions.college(levels, rng.random(n))
            settlement = institutions.college_settlement[institution]
            duration = np.where(level is Level.COLLEGE, 3, 2) + np.zeros(n, dtype=np.int64)
        end = start + duration
        finished = (end <= this_year) & (rng.random(n) > 0.08)
        rows.append(
            _rows(
                who,
                levels,
                institution.astype(np.int64),
                settlement,
                institutions.programme(levels, institution, rng.random(n)),
                start,
                np.where(finished, end, NOT_FINISHED),
            )
        )
    education = Education(*(np.concatenate(parts) for parts in zip(*rows, strict=True)))
    order = np.lexsort((education.start_year, education.person))
    return Education(*(getattr(education, f)[order] for f in education.__dataclass_fields__))


def _programmes_taught(tables: Tables) -> tuple[GroupedChoice, IntArray]:
    """Programmes by institution: those of the institution's level in the fields it teaches
    (`teaches` in universities.csv and colleges.csv, `field` in programmes.csv)."""
    programmes = tables.programmes
    level = [_LEVEL_OF_KIND[v] for v in programmes.text("level")]
    field = programmes.text("field")
    weight = programmes.numbers("weight")
    institutions = [
        (Level.UNIVERSITY, name, teaches)
        for name, teaches in zip(
            tables.universities.text("id"), tables.universities.text("teaches"), strict=True
        )
    ] + [
        (_LEVEL_OF_KIND[kind], name, teaches)
        for kind, name, teaches in zip(
            tables.colleges.text("kind"),
            tables.colleges.text("id"),
            tables.colleges.text("teaches"),
            strict=True,
        )
    ]
    keys: list[int] = []
    rows: list[int] = []
    for key, (at, name, teaches) in enumerate(institutions):
        fields = set(teaches.split("|"))
        taught = [p for p in range(len(field)) if level[p] == at and field[p] in fields]
        empty = fields - {field[p] for p in taught}
        if empty:  # a broken reference table: a field misspelt or missing its programmes
            raise ValueError(f"institution {name}: no programme of its level in {sorted(empty)}")
        keys += [key] * len(taught)
        rows += taught
    choice = GroupedChoice(
        np.array(keys, dtype=np.int64), weight[np.array(rows)], len(institutions)
    )
    return choice, np.array(rows, dtype=np.int64)


def _rows(*columns: IntArray) -> tuple[IntArray, ...]:
    return tuple(np.asarray(c, dtype=np.int64) for c in columns)
