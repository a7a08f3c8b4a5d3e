"""The Belarusian personal (identification) number, e.g. 3150585H001PB3.

Layout, 14 characters:

    position  1      sex and century of birth: 1/2 = 19th c. man/woman, 3/4 = 20th, 5/6 = 21st
    positions 2-7    birth date as DDMMYY
    position  8      region letter of first registration (A Brest, B Viciebsk, C Homiel,
                     E Minsk region, H Minsk city, K Hrodna, M Mahilioŭ)
    positions 9-11   sequence number
    positions 12-13  citizenship / status letters (PB for citizens)
    position  14     check digit

The check digit uses the ICAO 9303 scheme of machine-readable zones, which the number is
printed in: characters take values 0-9 and A=10 … Z=35, weights 7, 3, 1 repeat, sum mod 10.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "EXAMPLE_PERSONAL_NUMBER",
    "REGION_LETTERS",
    "PersonalNumber",
    "PersonalNumberProblem",
    "check_digit",
    "check_personal_number",
    "make_personal_number",
    "parse_personal_number",
]

REGION_LETTERS = frozenset("ABCEHKM")
# shown to people as the form to follow: a man born 15 May 1985, registered in Minsk (its check
# digit is right, as tests/documents checks)
EXAMPLE_PERSONAL_NUMBER = "3150585H001PB3"
_PATTERN = re.compile(r"^([1-6])(\d{2})(\d{2})(\d{2})([A-Z])(\d{3})([A-Z]{2})(\d)$")
_WEIGHTS = (7, 3, 1)
_CENTURY_BASE = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


def _char_value(char: str) -> int:
    if char.isdigit():
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise ValueError(f"character {char!r} cannot appear in a personal number")


def check_digit(first_thirteen: str) -> int:
    """The check digit of the first 13 characters of a personal number."""
    total = sum(
        _char_value(char) * _WEIGHTS[index % 3] for index, char in enumerate(first_thirteen)
    )
    return total % 10


class PersonalNumberProblem(StrEnum):
    FORMAT = "format"
    BIRTH_DATE = "birth_date"
    REGION = "region"
    CHECK_DIGIT = "check_digit"
    SEX_MISMATCH = "sex_mismatch"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"


@dataclass(frozen=True)
class PersonalNumber:
    text: str
    sex: str  # "m" or "f"
    birth_date: dt.date
    region: str
    sequence: str
    status: str


def parse_personal_number(text: str) -> PersonalNumber | None:
    """The parts of a well-formed personal number, or None when the format or date is wrong."""
    match = _PATTERN.fullmatch(text.strip().upper())
    if match is None:
        return None
    code, day, month, year, region, sequence, status, _ = match.groups()
    try:
        birth_date = dt.date(_CENTURY_BASE[int(code)] + int(year), int(month), int(day))
    except ValueError:
        return None
    sex = "m" if int(code) % 2 == 1 else "f"
    return PersonalNumber(text.strip().upper(), sex, birth_date, region, sequence, status)


def make_personal_number(
    sex: str, birth_date: dt.date, region: str, sequence: int, status: str = "PB"
) -> str:
    """A personal number with a correct check digit."""
    century = birth_date.year // 100 * 100
    code = {1800: 1, 1900: 3, 2000: 5}[century] + (1 if sex == "f" else 0)
    body = f"{code}{birth_date:%d%m}{birth_date.year % 100:02d}{region}{sequence:03d}{status}"
    return body + str(check_digit(body))


def check_personal_number(
    text: str, *, sex: str | None = None, birth_date: dt.date | None = None
) -> list[PersonalNumberProblem]:
    """Every problem with a personal number, including disagreement with a claimed sex/date."""
    normalised = text.strip().upper().replace(" ", "").replace("-", "")
    if _PATTERN.fullmatch(normalised) is None:
        return [PersonalNumberProblem.FORMAT]
    problems: list[PersonalNumberProblem] = []
    parsed = parse_personal_number(normalised)
    if parsed is None:
        problems.append(PersonalNumberProblem.BIRTH_DATE)
    if normalised[7] not in REGION_LETTERS:
        problems.append(PersonalNumberProblem.REGION)
    if check_digit(normalised[:13]) != int(normalised[13]):
        problems.append(PersonalNumberProblem.CHECK_DIGIT)
    if parsed is not None:
        if sex is not None and parsed.sex != sex:
            problems.append(PersonalNumberProblem.SEX_MISMATCH)
        if birth_date is not None and parsed.birth_date != birth_date:
            problems.append(PersonalNumberProblem.BIRTH_DATE_MISMATCH)
    return problems
