"""Personal numbers and passports for a chunk of people, vectorised.

Numbers are unique across the population: the personal number's sequence is the person's rank
among people of the same birth day and region, offset by the chunk; the passport number is a
fixed permutation of the document's serial within its series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.synth.people import People
from bonafide.synth.places import Places
from bonafide.synth.sampling import IntArray
from bonafide.synth.tables import Tables
from bonafide.synth.world import YEAR, DayArray, days_to_dates, year_of

__all__ = ["Documents", "digits", "generate_documents", "personal_numbers"]

_WEIGHTS = np.array([7, 3, 1] * 5)[:13]
_SERIAL_SPACE = 10_000_000
_SERIAL_STEP = 3_367_001  # coprime with 10**7: serial → number is a bijection
LIFELONG_FROM = 64  # a passport issued at this age or older is valid until the holder is 100


def digits(values: IntArray, width: int) -> pa.Array:
    return pc.utf8_lpad(pc.cast(pa.array(values, pa.int64()), pa.string()), width, "0")


def _letter_value(letters: list[str]) -> IntArray:
    return np.array([ord(letter) - ord("A") + 10 for letter in letters], dtype=np.int64)


def personal_numbers(
    sex: IntArray, birth: DayArray, region_letter: list[str], sequence: IntArray
) -> pa.Array:
    dates = days_to_dates(birth)
    year = year_of(birth)
    month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    code = np.select([year < 1900, year < 2000], [1, 3], 5) + sex
    yy = year % 100
    chars = np.stack(
        [
            code,
            day // 10,
            day % 10,
            month // 10,
            month % 10,
            yy // 10,
            yy % 10,
            _letter_value(region_letter),
            sequence // 100 % 10,
            sequence // 10 % 10,
            sequence % 10,
            np.full(len(sex), ord("P") - ord("A") + 10),
            np.full(len(sex), ord("B") - ord("A") + 10),
        ]
    )
    check = (chars * _WEIGHTS[:, None]).sum(axis=0) % 10
    return pc.binary_join_element_wise(
        digits(code, 1),
        digits(day, 2),
        digits(month, 2),
        digits(yy, 2),
        pa.array(region_letter),
        digits(sequence, 3),
        "PB",
        digits(check, 1),
        "",
    )


@dataclass
class Documents:
    """Passports: one row per document, `person` indexes the chunk; current ones last."""

    person: IntArray
    series: list[str]
    number: pa.Array
    issued: DayArray
    expires: DayArray
    is_current: np.typing.NDArray[np.bool_]

    def current_of(self, people: int) -> IntArray:
        """For each of the chunk's `people`, the row of their current document, or -1."""
        rows = np.full(people, -1, dtype=np.int64)
        current = np.flatnonzero(self.is_current)
        rows[self.person[current]] = current
        return rows


def _sequences(people: People, region: IntArray, chunk_index: int, chunks: int) -> IntArray:
    order = np.lexsort((people.person_id, region, people.birth))
    key = people.birth.astype(np.int64)[order] * 16 + region[order]
    new_group = np.concatenate(([True], key[1:] != key[:-1]))
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(key)), 0))
    rank = np.empty(len(key), dtype=np.int64)
    rank[order] = np.arange(len(key)) - group_start
    slots = max(1000 // max(chunks, 1), 1)
    return (chunk_index * slots + rank) % 1000


def generate_documents(
    rng: np.random.Generator,
    people: People,
    tables: Tables,
    places: Places,
    today: int,
    chunk_index: int,
    chunks: int,
) -> tuple[pa.Array, Documents]:
    region = places.region[people.birth_settlement]
    letters = tables.regions.text("personal_number_letter")
    series_of_region = tables.regions.text("passport_series")
    sequence = _sequences(people, region, chunk_index, chunks)
    numbers = personal_numbers(people.sex, people.birth, [letters[r] for r in region], sequence)

    first = people.birth + int(14 * YEAR) + (rng.random(len(people)) * 200).astype(np.int64)
    last_day = np.minimum(people.end, today)
    renewals = np.floor(np.maximum(last_day - first, 0) / (10 * YEAR)).astype(np.int64)
    # the passport issued at 64 or older is the last one: it is valid until 100
    last_renewal = np.ceil((LIFELONG_FROM * YEAR - (first - people.birth)) / (10 * YEAR))
    renewals = np.minimum(renewals, last_renewal.astype(np.int64))
    has_document = first < last_day
    current = first + (renewals * 10 * YEAR).astype(np.int64)
    # A new passport after marriage when the surname changed.
    after_marriage = (people.married_surname >= 0) & (people.marriage > current)
    after_marriage &= people.marriage < last_day
    current = np.where(after_marriage, people.marriage + 20, current)
    previous = current - int(10 * YEAR)
    has_previous = has_document & (previous >= first) & (rng.random(len(people)) < 0.35)

    who = np.concatenate([np.flatnonzero(has_previous), np.flatnonzero(has_document)])
    issued = np.concatenate([previous[has_previous], current[has_document]]).astype(np.int32)
    is_current = np.concatenate(
        [np.zeros(int(has_previous.sum()), bool), np.ones(int(has_document.sum()), bool)]
    )
    doc_region = region[who]
    series = [series_of_region[r] for r in doc_region]
    serial = _document_serials(doc_region, int(people.person_id[0]) if len(people) else 0)
    number = pc.binary_join_element_wise(
        pa.array(series), digits(serial * _SERIAL_STEP % _SERIAL_SPACE, 7), ""
    )
    documents = Documents(
        person=who.astype(np.int64),
        series=series,
        number=number,
        issued=issued,
        expires=_expiry(issued, people.birth[who]),
        is_current=is_current,
    )
    return numbers, documents


def _expiry(issued: DayArray, birth: DayArray) -> DayArray:
    """Ten years after issue; a passport issued at 64 or older runs until the 100th birthday."""
    lifelong = issued - birth >= LIFELONG_FROM * YEAR
    ten_years = issued + int(10 * YEAR)
    hundredth = birth + int(100 * YEAR)
    return np.where(lifelong, hundredth, ten_years).astype(np.int32)


def _document_serials(region: IntArray, first_person: int) -> IntArray:
    """Serials within each series; chunks hold consecutive person ids, so they never overlap."""
    order = np.argsort(region, kind="stable")
    sorted_region = region[order]
    start = np.searchsorted(sorted_region, sorted_region, side="left")
    rank = np.empty(len(region), dtype=np.int64)
    rank[order] = np.arange(len(region)) - start
    return first_person + rank
