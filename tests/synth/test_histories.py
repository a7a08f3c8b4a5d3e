"""Invariants of the generated lives, checked on the generator's own arrays."""

from __future__ import annotations

import numpy as np
import pytest

from bonafide.synth.chunk import Chunk, World, generate_chunk
from bonafide.synth.education import NOT_FINISHED, Level
from bonafide.synth.people import FEMALE
from bonafide.synth.world import NO_DAY, YEAR, SynthConfig, year_of

TODAY = SynthConfig(people=1, seed=0).today


@pytest.fixture(scope="module")
def chunk() -> Chunk:
    return generate_chunk(World(), seed=3, index=0, first_id=0, size=30_000, chunks=2, today=TODAY)


def test_people_are_born_before_today_and_die_after_birth(chunk: Chunk) -> None:
    people = chunk.people
    assert (people.birth < TODAY).all()
    dead = people.death != NO_DAY
    assert (people.death[dead] > people.birth[dead]).all()
    gone = people.emigration != NO_DAY
    assert (people.emigration[gone] > people.birth[gone] + 18 * YEAR).all()


def test_age_pyramid_is_plausible(chunk: Chunk) -> None:
    age = (TODAY - chunk.people.birth) / YEAR
    assert 35 < np.median(age) < 48
    assert 0.4 < (chunk.people.sex == FEMALE).mean() < 0.6


def test_only_women_change_surname_and_only_after_marriage(chunk: Chunk) -> None:
    people = chunk.people
    changed = people.married_surname >= 0
    assert (people.sex[changed] == FEMALE).all()
    assert (people.marriage[changed] > people.birth[changed] + 18 * YEAR).all()
    assert 0.3 < changed[people.sex == FEMALE].mean() < 0.8


def test_residences_are_contiguous_and_inside_a_life(chunk: Chunk) -> None:
    res = chunk.residences
    people = chunk.people
    assert (np.diff(res.person) >= 0).all()
    same_person = res.person[1:] == res.person[:-1]
    # each registration ends when the next one starts
    assert (res.stop[:-1][same_person] == res.start[1:][same_person]).all()
    assert (res.start >= people.birth[res.person]).all()
    ended = res.stop != NO_DAY
    assert (res.stop[ended] > res.start[ended]).all()
    current = ~ended
    assert (people.end[res.person[current]] > TODAY).all()
    assert set(np.unique(res.person)) == set(range(len(people)))


def test_school_then_higher_education_at_plausible_ages(chunk: Chunk) -> None:
    edu = chunk.education
    born = year_of(chunk.people.birth[edu.person])
    school = edu.level == Level.SCHOOL
    assert ((edu.start_year[school] - born[school]) >= 5).all()
    assert ((edu.start_year[school] - born[school]) <= 8).all()
    higher = ~school
    assert ((edu.start_year[higher] - born[higher]) >= 15).all()
    done = edu.graduation_year != NOT_FINISHED
    assert (edu.graduation_year[done] > edu.start_year[done]).all()


def test_jobs_start_after_sixteen_and_end_after_they_start(chunk: Chunk) -> None:
    jobs = chunk.jobs
    people = chunk.people
    assert ((jobs.start - people.birth[jobs.person]) > 16 * YEAR).all()
    ended = jobs.stop != NO_DAY
    assert (jobs.stop[ended] > jobs.start[ended]).all()
    assert (jobs.start < np.minimum(people.end[jobs.person], TODAY)).all()
    # gaps and overlaps both occur
    same = jobs.person[1:] == jobs.person[:-1]
    gap = jobs.start[1:][same] - jobs.stop[:-1][same]
    assert (gap > 0).any()
    assert (gap < 0).any()


def test_documents_belong_to_people_of_fourteen_and_over(chunk: Chunk) -> None:
    docs = chunk.documents
    days_old = docs.issued - chunk.people.birth[docs.person]
    assert (days_old >= int(14 * YEAR)).all()
    numbers = docs.number.to_pylist()
    assert len(set(numbers)) == len(numbers)
    personal = chunk.personal_number.to_pylist()
    assert len(set(personal)) == len(personal)


def test_some_die_at_working_age_and_their_registration_ends_then(chunk: Chunk) -> None:
    people = chunk.people
    dead = people.death != NO_DAY
    age_at_death = (people.death - people.birth) / YEAR
    working = dead & (age_at_death >= 20) & (age_at_death < 60)
    adults = (TODAY - people.birth) / YEAR >= 40
    assert 0.01 < working[adults].mean() < 0.12
    res = chunk.residences
    last = np.append(res.person[1:] != res.person[:-1], True)
    died = (working & (people.emigration == NO_DAY))[res.person[last]]
    assert (res.stop[last][died] == people.death[res.person[last]][died]).all()
