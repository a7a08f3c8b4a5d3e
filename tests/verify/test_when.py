"""Dates as applicants state them: every documented form, "about", ranges, and the errors."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonafide.verify.when import Span, parse_when, period

D = dt.date


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2015-06-01", D(2015, 6, 1), D(2015, 6, 1)),
        ("2015-06", D(2015, 6, 1), D(2015, 6, 30)),
        ("2015-12", D(2015, 12, 1), D(2015, 12, 31)),
        ("2016-02", D(2016, 2, 1), D(2016, 2, 29)),  # a leap year
        ("2015-02", D(2015, 2, 1), D(2015, 2, 28)),
        ("2015", D(2015, 1, 1), D(2015, 12, 31)),
        ("01.06.2015", D(2015, 6, 1), D(2015, 6, 1)),
        ("29.02.2016", D(2016, 2, 29), D(2016, 2, 29)),
        ("2012–2016", D(2012, 1, 1), D(2016, 12, 31)),  # en dash
        ("2012-2016", D(2012, 1, 1), D(2016, 12, 31)),  # hyphen
        ("2012 – 2016", D(2012, 1, 1), D(2016, 12, 31)),
        ("2015–2015", D(2015, 1, 1), D(2015, 12, 31)),
        ("  2015 ", D(2015, 1, 1), D(2015, 12, 31)),
        (2015, D(2015, 1, 1), D(2015, 12, 31)),  # the schema allows an integer year
    ],
)
def test_every_precision(text: object, first: dt.date, last: dt.date) -> None:
    span = parse_when(text)
    assert span is not None
    assert (span.first, span.last) == (first, last)
    assert not span.approximate


@pytest.mark.parametrize("prefix", ["about ", "c. ", "~"])
def test_about_widens_by_a_year_each_way(prefix: str) -> None:
    span = parse_when(f"{prefix}2015")
    assert span is not None
    assert (span.first, span.last) == (D(2014, 1, 1), D(2016, 12, 31))
    assert span.approximate
    assert span.text == f"{prefix}2015"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("about 2015-06", D(2014, 6, 1), D(2016, 6, 30)),
        ("about 2015-06-15", D(2014, 6, 15), D(2016, 6, 15)),
        ("about 2016-02", D(2015, 2, 1), D(2017, 2, 28)),  # 29 February has no next year
        ("about 2012–2016", D(2011, 1, 1), D(2017, 12, 31)),
        ("about 0001", D(1, 1, 1), D(2, 12, 31)),  # no year 0
    ],
)
def test_about_at_other_precisions(text: str, first: dt.date, last: dt.date) -> None:
    span = parse_when(text)
    assert span is not None
    assert span.approximate
    assert (span.first, span.last) == (first, last)


@pytest.mark.parametrize("empty", [None, ""])
def test_nothing_is_no_date(empty: object) -> None:
    assert parse_when(empty) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("yesterday", "is not a date"),
        ("2015/06/01", "is not a date"),
        ("15.6.2015", "is not a date"),
        ("2015-6", "is not a date"),
        ("about", "is not a date"),
        ("about2015", "is not a date"),
        ("circa 2015", "is not a date"),
        ("-2015", "is not a date"),
        ("12015", "is not a date"),
        ("2016–2012", "ends before it starts"),
        ("2016-2012", "ends before it starts"),
        ("2015-02-30", "not a day of the calendar"),
        ("2015-13", "not a day of the calendar"),
        ("2015-00-10", "not a day of the calendar"),
        ("31.02.2015", "not a day of the calendar"),
        ("0000", "not a day of the calendar"),
        ("about 9999", "not a day of the calendar"),
    ],
)
def test_errors_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_when(text)


def test_an_error_does_not_echo_a_long_text() -> None:
    with pytest.raises(ValueError, match="is not a date") as error:
        parse_when("x" * 10_000)
    assert len(str(error.value)) < 200


@given(
    year=st.integers(1, 9998),
    month=st.integers(1, 12),
    form=st.sampled_from(["y", "ym", "about y", "about ym"]),
)
def test_a_stated_date_is_a_span_that_holds_itself(year: int, month: int, form: str) -> None:
    text = form.replace("ym", f"{year:04d}-{month:02d}").replace("y", f"{year:04d}")
    span = parse_when(text)
    assert span is not None
    assert span.first <= D(year, month if "m" in form else 1, 1) <= span.last
    assert span.approximate == form.startswith("about")


@given(text=st.text(max_size=50))
def test_any_text_is_a_span_none_or_a_value_error(text: str) -> None:
    try:
        span = parse_when(text)
    except ValueError:
        return
    assert span is None or span.first <= span.last


# --- periods: from … to ----------------------------------------------------------------------

TODAY = D(2026, 11, 1)


def test_a_period_runs_from_the_start_of_from_to_the_end_of_to() -> None:
    span = period("2012-09", "2016", TODAY)
    assert span is not None
    assert (span.first, span.last) == (D(2012, 9, 1), D(2016, 12, 31))
    assert span.text == "2012-09–2016"
    assert not span.approximate


def test_an_open_period_is_ongoing_until_today() -> None:
    span = period("2016-09", None, TODAY)
    assert span is not None
    assert (span.first, span.last) == (D(2016, 9, 1), TODAY)
    assert span.text == "2016-09–now"


def test_a_period_with_only_an_end() -> None:
    span = period(None, "2010", TODAY)
    assert span is not None
    assert (span.first, span.last) == (D(2010, 1, 1), D(2010, 12, 31))


def test_no_dates_no_period() -> None:
    assert period(None, None, TODAY) is None
    assert period("", "", TODAY) is None


def test_an_approximate_end_makes_the_period_approximate() -> None:
    span = period("2005", "about 2021", TODAY)
    assert span is not None
    assert span.approximate
    assert span.last == D(2022, 12, 31)


@pytest.mark.parametrize(
    ("start", "end"),
    [("2016", "2012"), ("2016-05-02", "2016-05-01"), ("2030", None)],  # 2030: after today
)
def test_a_period_ending_before_it_starts_is_an_error(start: str, end: str | None) -> None:
    with pytest.raises(ValueError, match="before it starts"):
        period(start, end, TODAY)


def test_a_period_with_a_bad_date_is_an_error() -> None:
    with pytest.raises(ValueError, match="is not a date"):
        period("2012", "soon", TODAY)


# --- spans ---------------------------------------------------------------------------------


def test_overlaps_and_gaps() -> None:
    a = Span(D(2010, 1, 1), D(2012, 12, 31))
    b = Span(D(2013, 6, 1), D(2015, 1, 1))
    assert not a.overlaps(b)
    assert a.gap_days(b) == b.gap_days(a) == 152
    assert b.overlaps(Span(D(2013, 1, 1), D(2013, 6, 1)))  # one day shared is an overlap
    touching = Span(D(2012, 12, 31), D(2013, 1, 1))
    assert a.overlaps(touching)
    assert a.gap_days(touching) == 0
