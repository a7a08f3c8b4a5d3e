"""Dictionary-coded text: codes equal where texts are, code 0 missing, codes sorted as texts."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bonafide.linkage.coded import Coded
from bonafide.linkage.comparisons import COMPARISONS, _alnum, _alnum_column, _birth_levels
from bonafide.linkage.model import AS_FAR_AS_KNOWN

ALPHABET = ["a", "b", "é", "я", "Я", "Ё", "z", "0", "ß", "\U0001f600", ""]


def _texts(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 3))) for _ in range(count)]


def test_a_few_values_and_many_are_coded_alike() -> None:
    """A lookup's few values are coded in Python, a registry's by NumPy: the same dictionary,
    sorted by code point, "" first, each value once; each record's text as given."""
    rng = random.Random(1)
    for count in (0, 1, 5, 63, 64, 500):
        texts = _texts(rng, count)
        rows = np.array([rng.randrange(count) for _ in range(50)] if count else [], np.int64)
        coded = Coded.of(texts, rows)
        assert coded.values.tolist() == sorted({"", *texts})
        assert coded.text().tolist() == [texts[r] for r in rows.tolist()]
        assert ((coded.codes == 0) == (coded.text() == "")).all()


def test_derived_and_common_columns_keep_the_codes_meaning() -> None:
    rng = random.Random(2)
    first = Coded.of(_texts(rng, 300), np.arange(300))
    second = Coded.of(_texts(rng, 300), np.arange(300))
    initial = first.map(lambda values: values.astype("<U1"))
    assert initial.text().tolist() == [t[:1] for t in first.text().tolist()]
    assert ((initial.codes == 0) == (initial.text() == "")).all()
    a, b = Coded.common(first, second)
    assert a.text().tolist() == first.text().tolist()
    assert b.text().tolist() == second.text().tolist()
    # one dictionary: codes compare across the columns as the texts do
    assert ((a.codes == b.codes) == (a.text() == b.text())).all()
    assert ((a.codes < b.codes) == (a.text() < b.text())).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), max_size=40))
@example(["ab-12 3", "Straße 5", "ıi", "№ 12", "ﬀ1", "MP1234567", ""])
def test_document_numbers_are_reduced_alike_by_arrow_and_by_python(values: list[str]) -> None:
    """Upper case and only letters A–Z and digits: Arrow for ASCII values, Python for the
    rest (ß becomes SS, ﬀ FF), one result for both."""
    assert _alnum_column(pa.array(values, pa.string())) == [_alnum(v) for v in values]


def _birth_level_of(x: str, y: str) -> int:
    """The birth-date comparison's levels, one pair of YYYYMMDD texts at a time."""
    if not x or not y:
        return -1
    known = min(len(x), len(y))
    if known < 8:  # one known to the year (or month) only: as far as it goes, or different
        return 4 if x[:known] == y[:known] else 5
    x, y = x.ljust(8, "0"), y.ljust(8, "0")
    differing = sum(p != q for p, q in zip(x, y, strict=True))
    same_year = x[:4] == y[:4]
    if differing == 0:
        return 0
    if same_year and x[4:6] == y[6:8] and x[6:8] == y[4:6]:
        return 1
    if differing == 1:
        return 2
    return 3 if same_year else 5


_DATE_DIGITS = st.text(alphabet="0123456789", min_size=0, max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(_DATE_DIGITS, st.sampled_from(["19850314", "19851403", "1985"])), max_size=40
    ),
    st.booleans(),
    st.randoms(use_true_random=False),
)
@example(["19850314", "19851403", "19850315", "1985", "19860314", ""], False, random.Random(0))
def test_birth_dates_compare_digit_by_digit_whether_packed_or_not(
    dates: list[str], other_characters: bool, rng: random.Random
) -> None:
    """Dates of digits are compared packed into integers, any others digit by digit: both as
    the levels say (exact, day and month swapped, one digit off, same year, the same as far as
    a date known in part goes, different)."""
    if other_characters:
        dates = [*dates, "1985-3", "19８5"]  # a full-width digit is no digit
    if not dates:
        return
    rows = np.arange(len(dates))
    column = Coded.of(dates, rows)
    left = np.array([rng.randrange(len(dates)) for _ in range(60)], dtype=np.int64)
    right = np.array([rng.randrange(len(dates)) for _ in range(60)], dtype=np.int64)
    levels = _birth_levels(column, left, right)
    expected = [_birth_level_of(dates[a], dates[b]) for a, b in zip(left, right, strict=True)]
    assert levels.tolist() == expected


@pytest.mark.parametrize(
    ("text", "other", "level"),
    [
        ("1985", "19850314", AS_FAR_AS_KNOWN),
        ("198503", "19850314", AS_FAR_AS_KNOWN),
        ("1985", "1985", AS_FAR_AS_KNOWN),
        ("1985", "19860314", "different"),
        ("198504", "19850314", "different"),
        ("19850314", "19850315", "one digit off"),
    ],
)
def test_dates_known_in_part_compare_on_the_digits_they_have(
    text: str, other: str, level: str
) -> None:
    labels = next(c.levels for c in COMPARISONS if c.name == "birth_date")
    column = Coded.of([text, other], np.arange(2))
    found = _birth_levels(column, np.array([0], np.int64), np.array([1], np.int64))
    assert labels[int(found[0])] == level
