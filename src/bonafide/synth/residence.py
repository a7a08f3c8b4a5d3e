"""Residence histories: where each person was registered, from when to when."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bonafide.synth.people import People
from bonafide.synth.places import Places
from bonafide.synth.sampling import IntArray
from bonafide.synth.world import NO_DAY, YEAR, DayArray

__all__ = ["Residences", "generate_residences", "residence_at"]


@dataclass
class Residences:
    """Registration periods, sorted by person then start; `person` indexes the chunk."""

    person: IntArray
    settlement: IntArray
    street: IntArray
    house: IntArray
    house_suffix: IntArray  # 0 none, 1 "А", 2 "Б", 3 "к2"
    flat: IntArray  # 0: no flat (a house)
    start: DayArray
    stop: DayArray  # NO_DAY: still registered

    def __len__(self) -> int:
        return len(self.person)


def generate_residences(
    rng: np.random.Generator, people: People, places: Places, today: int
) -> Residences:
    size = len(people)
    end = np.minimum(people.end, today)
    age = (end - people.birth) / YEAR
    moves = np.minimum(rng.poisson(np.clip((age - 16) / 11, 0.05, 3.2)), 5)
    count = 1 + moves
    person = np.repeat(np.arange(size, dtype=np.int64), count)
    first_of_person = np.concatenate(([0], np.cumsum(count)[:-1]))
    is_first = np.zeros(len(person), dtype=bool)
    is_first[first_of_person] = True

    birth = people.birth[person].astype(np.int64)
    person_end = end[person].astype(np.int64)
    adult_from = birth + int(17 * YEAR)
    low = np.where(person_end > adult_from + 365, adult_from, birth + 30)
    start = np.where(
        is_first,
        birth,
        low + (rng.random(len(person)) * np.maximum(person_end - low, 1)).astype(np.int64),
    )
    order = np.lexsort((start, person))
    start = start[order]
    stop = np.append(start[1:], 0)
    last_of_person = np.append(first_of_person[1:] - 1, len(person) - 1)
    still_here = people.end[person[last_of_person]] > today
    stop[last_of_person] = np.where(still_here, NO_DAY, person_end[last_of_person])

    settlement = _settlements(rng, people, places, person, is_first)
    street = places.street_of(settlement, rng.random(len(person)))
    house = places.house_number(settlement, street, rng.random(len(person)))
    suffix = np.where(rng.random(len(person)) < 0.08, rng.integers(1, 4, len(person)), 0)
    has_flat = rng.random(len(person)) < places.flat_share[settlement]
    flats = places.flat_number(settlement, street, house, rng.random(len(person)))
    flat = np.where(has_flat, flats, 0)
    keep = stop > start
    keep[first_of_person] = True
    return Residences(
        person=person[keep],
        settlement=settlement[keep],
        street=street[keep],
        house=house[keep],
        house_suffix=suffix[keep],
        flat=flat[keep],
        start=start[keep].astype(np.int32),
        stop=stop[keep].astype(np.int32),
    )


def _settlements(
    rng: np.random.Generator,
    people: People,
    places: Places,
    person: IntArray,
    is_first: np.typing.NDArray[np.bool_],
) -> IntArray:
    born_in = people.birth_settlement[person]
    draw = rng.random(len(person))
    same_region = places.in_region(places.region[born_in], rng.random(len(person)))
    anywhere = places.anywhere(rng.random(len(person)))
    moved = np.where(draw < 0.5, same_region, np.where(draw < 0.72, places.capital, anywhere))
    return np.where(is_first, born_in, moved)


def residence_at(residences: Residences, person: IntArray, days: DayArray) -> IntArray:
    """For each (person, day), the row of `residences` in force that day (or the first one)."""
    key = residences.person * (1 << 32) + residences.start.astype(np.int64)
    query = person.astype(np.int64) * (1 << 32) + days.astype(np.int64)
    row = np.searchsorted(key, query, side="right") - 1
    first = np.searchsorted(residences.person, person, side="left")
    return np.maximum(row, first)
