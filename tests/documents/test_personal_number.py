from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bonafide.documents.personal_number
from bonafide.documents import (
    EXAMPLE_PERSONAL_NUMBER,
    PersonalNumberProblem,
    check_digit,
    check_personal_number,
    is_passport_number,
    make_personal_number,
    parse_personal_number,
)

REGIONS = st.sampled_from("ABCEHKM")
BIRTH = st.dates(dt.date(1900, 1, 1), dt.date(2026, 12, 31))


@given(st.sampled_from("mf"), BIRTH, REGIONS, st.integers(0, 999))
def test_made_numbers_check_out_and_parse_back(
    sex: str, birth: dt.date, region: str, sequence: int
) -> None:
    number = make_personal_number(sex, birth, region, sequence)
    assert len(number) == 14
    assert check_personal_number(number, sex=sex, birth_date=birth) == []
    parsed = parse_personal_number(number)
    assert parsed is not None
    assert (parsed.sex, parsed.birth_date, parsed.region) == (sex, birth, region)


@given(BIRTH, REGIONS, st.integers(0, 999), st.data())
def test_any_single_digit_change_is_caught(
    birth: dt.date, region: str, sequence: int, data: st.DataObject
) -> None:
    number = make_personal_number("m", birth, region, sequence)
    digit_positions = [i for i, c in enumerate(number) if c.isdigit()]
    position = data.draw(st.sampled_from(digit_positions))
    new_digit = data.draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    changed = number[:position] + new_digit + number[position + 1 :]
    assert check_personal_number(changed) != []


def test_known_check_digit() -> None:
    # 7-3-1 weights over 3 1 5 0 5 8 5 H(17) 0 0 1 P(25) B(11)
    assert (
        check_digit("3150585H001PB")
        == (21 + 3 + 5 + 0 + 15 + 8 + 35 + 51 + 0 + 0 + 3 + 25 + 77) % 10
    )


@pytest.mark.parametrize(
    ("text", "sex", "birth", "problem"),
    [
        ("3150585H001P", None, None, PersonalNumberProblem.FORMAT),
        ("3310285H001PB0", None, None, PersonalNumberProblem.BIRTH_DATE),
        ("3150585H001PB0", None, None, PersonalNumberProblem.CHECK_DIGIT),
        (
            make_personal_number("m", dt.date(1985, 5, 15), "H", 1),
            "f",
            None,
            PersonalNumberProblem.SEX_MISMATCH,
        ),
        (
            make_personal_number("m", dt.date(1985, 5, 15), "H", 1),
            None,
            dt.date(1985, 5, 16),
            PersonalNumberProblem.BIRTH_DATE_MISMATCH,
        ),
        (
            make_personal_number("m", dt.date(1985, 5, 15), "Z", 1),
            None,
            None,
            PersonalNumberProblem.REGION,
        ),
    ],
)
def test_problems_are_named(
    text: str, sex: str | None, birth: dt.date | None, problem: PersonalNumberProblem
) -> None:
    assert problem in check_personal_number(text, sex=sex, birth_date=birth)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("MP1234567", True),
        ("KH0000001", True),
        ("MP123456", False),
        ("M11234567", False),
        ("mp1234567", False),
    ],
)
def test_passport_format(text: str, ok: bool) -> None:
    assert is_passport_number(text) is ok


def test_the_example_shown_to_people_passes_bonafides_own_checks() -> None:
    """The form an error message asks for must not fail bonafide's own check digit (issue 17)."""
    assert check_personal_number(EXAMPLE_PERSONAL_NUMBER) == []
    body = EXAMPLE_PERSONAL_NUMBER[:13]
    assert int(EXAMPLE_PERSONAL_NUMBER[13]) == check_digit(body)
    assert make_personal_number("m", dt.date(1985, 5, 15), "H", 1) == EXAMPLE_PERSONAL_NUMBER
    docstring = bonafide.documents.personal_number.__doc__ or ""
    shown = docstring.split("e.g. ", 1)[1].split(".", 1)[0]
    assert check_personal_number(shown) == []


def test_the_format_problem_names_a_valid_example() -> None:
    from bonafide.verify.identity import check_documents

    checks = check_documents({"personal_number": "4140369A000"}, [])
    words = " ".join(str(c) for c in checks)
    assert EXAMPLE_PERSONAL_NUMBER in words, words
