"""One chunk of the population with everything the registries are written from."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import TypeVar

import numpy as np
import pyarrow as pa

from bonafide.synth.documents import Documents, generate_documents
from bonafide.synth.education import NOT_FINISHED, Education, Institutions, generate_education
from bonafide.synth.employment import Employers, Jobs, generate_jobs
from bonafide.synth.people import People, early_deaths, generate_people
from bonafide.synth.places import Places
from bonafide.synth.residence import Residences, generate_residences
from bonafide.synth.tables import Tables, load_tables
from bonafide.synth.world import NO_DAY, DayArray, year_of

__all__ = ["Chunk", "World", "generate_chunk"]


class World:
    """The reference tables prepared for drawing; built once per run."""

    def __init__(self, tables: Tables | None = None) -> None:
        self.tables = tables or load_tables()

    @cached_property
    def places(self) -> Places:
        return Places(self.tables)

    @cached_property
    def institutions(self) -> Institutions:
        return Institutions(self.tables, self.places)

    @cached_property
    def employers(self) -> Employers:
        return Employers(self.tables, self.places)


@dataclass
class Chunk:
    index: int
    people: People
    personal_number: pa.Array
    documents: Documents
    residences: Residences
    education: Education
    jobs: Jobs


def generate_chunk(
    world: World, seed: int, index: int, first_id: int, size: int, chunks: int, today: int
) -> Chunk:
    """The people [first_id, first_id + size) and their lives; the same for the same inputs."""
    rng = np.random.default_rng([seed, index])
    people = generate_people(rng, world.tables, first_id, size, today)
    numbers, documents = generate_documents(
        rng, people, world.tables, world.places, today, index, chunks
    )
    residences = generate_residences(rng, people, world.places, today)
    education = generate_education(rng, people, residences, world.institutions, today)
    jobs = generate_jobs(rng, people, residences, education, world.employers, today)
    chunk = Chunk(index, people, numbers, documents, residences, education, jobs)
    # drawn last, from a stream of their own, and cut into lives already drawn: adding them
    # changed no one else's life
    early = early_deaths(np.random.default_rng([seed, index, 36]), people.sex, people.birth, today)
    return _died_early(chunk, early)


_Rows = TypeVar("_Rows", Residences, Education, Jobs)


def _kept(table: _Rows, keep: np.typing.NDArray[np.bool_]) -> _Rows:
    return replace(table, **{f: getattr(table, f)[keep] for f in table.__dataclass_fields__})


def _died_early(chunk: Chunk, early: DayArray) -> Chunk:
    """The chunk with working-age deaths: every record after a death cut or ended by it."""
    people = chunk.people
    dies = early < people.end
    if not dies.any():
        return chunk
    death = np.where(dies, early, people.death).astype(np.int32)
    people = replace(
        people,
        death=death,
        emigration=np.where(people.emigration < death, people.emigration, NO_DAY).astype(np.int32),
        marriage=np.where(people.marriage < death, people.marriage, NO_DAY).astype(np.int32),
        married_surname=np.where(people.marriage < death, people.married_surname, -1),
    )
    res = chunk.residences
    res_death = death[res.person]
    residences = _kept(res, res.start < res_death)
    res_death = death[residences.person]
    residences = replace(residences, stop=np.minimum(residences.stop, res_death).astype(np.int32))
    jobs = chunk.jobs
    jobs = _kept(jobs, jobs.start < death[jobs.person])
    jobs = replace(jobs, stop=np.minimum(jobs.stop, death[jobs.person]))
    edu = chunk.education
    died_year = year_of(death[edu.person])
    education = _kept(edu, edu.start_year < died_year)
    died_year = year_of(death[education.person])
    education = replace(
        education,
        graduation_year=np.where(
            education.graduation_year > died_year, NOT_FINISHED, education.graduation_year
        ),
    )
    docs = chunk.documents
    issued_alive = docs.issued < death[docs.person]
    documents = Documents(
        person=docs.person[issued_alive],
        series=[s for s, k in zip(docs.series, issued_alive, strict=True) if k],
        number=docs.number.filter(pa.array(issued_alive)),
        issued=docs.issued[issued_alive],
        expires=docs.expires[issued_alive],
        is_current=np.where(
            dies[docs.person[issued_alive]],
            _current_after_cut(docs, issued_alive),
            docs.is_current[issued_alive],
        ),
    )
    return Chunk(chunk.index, people, chunk.personal_number, documents, residences, education, jobs)


def _current_after_cut(
    docs: Documents, kept: np.typing.NDArray[np.bool_]
) -> np.typing.NDArray[np.bool_]:
    """Each person's latest passport issued before death is their current one."""
    person = docs.person[kept]
    issued = docs.issued[kept]
    current = np.zeros(len(person), dtype=bool)
    if len(person):
        order = np.lexsort((issued, person))
        last = np.append(person[order][1:] != person[order][:-1], True)
        current[order[last]] = True
    return current
