"""One chunk of the population with everything the registries are written from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa

from bonafide.synth.documents import Documents, generate_documents
from bonafide.synth.education import Education, Institutions, generate_education
from bonafide.synth.employment import Employers, Jobs, generate_jobs
from bonafide.synth.people import People, generate_people
from bonafide.synth.places import Places
from bonafide.synth.residence import Residences, generate_residences
from bonafide.synth.tables import Tables, load_tables

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
    return Chunk(index, people, numbers, documents, residences, education, jobs)
