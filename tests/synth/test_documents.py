"""Passports as Belarusian rules issue them: every ten years from 14, and one issued at 64 or
older is valid until the holder is 100, so no one renews a passport at 74 or 84."""

from __future__ import annotations

import numpy as np
import pytest

from bonafide.synth.chunk import Chunk, World, generate_chunk
from bonafide.synth.world import YEAR, SynthConfig

TODAY = SynthConfig(people=1, seed=0).today


@pytest.fixture(scope="module")
def chunk() -> Chunk:
    return generate_chunk(World(), seed=8, index=0, first_id=0, size=40_000, chunks=2, today=TODAY)


def _ages(chunk: Chunk) -> np.typing.NDArray[np.float64]:
    docs = chunk.documents
    return np.asarray((docs.issued - chunk.people.birth[docs.person]) / YEAR)


def test_passports_issued_at_64_or_older_run_to_100(chunk: Chunk) -> None:
    docs = chunk.documents
    old = _ages(chunk) >= 64
    assert old.sum() > 100
    hundredth = chunk.people.birth[docs.person[old]] + 100 * YEAR
    assert (np.abs(docs.expires[old] - hundredth) <= 1).all()


def test_younger_holders_renew_every_ten_years(chunk: Chunk) -> None:
    docs = chunk.documents
    young = _ages(chunk) < 64
    assert (np.abs(docs.expires[young] - docs.issued[young] - 10 * YEAR) <= 1).all()


def test_no_one_renews_a_passport_valid_until_100(chunk: Chunk) -> None:
    ages = _ages(chunk)
    assert ages.max() < 74
    docs = chunk.documents
    current = docs.is_current
    people = chunk.people
    age_now = (np.minimum(people.end, TODAY) - people.birth) / YEAR
    elderly = current & (age_now[docs.person] >= 80)
    assert elderly.sum() > 50
    assert ((ages[elderly] >= 64) & (ages[elderly] < 74)).all()
