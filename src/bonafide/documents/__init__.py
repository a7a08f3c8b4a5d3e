"""Belarusian identity documents: the personal number and the passport number."""

from bonafide.documents.passport import PASSPORT_PATTERN, is_passport_number
from bonafide.documents.personal_number import (
    EXAMPLE_PERSONAL_NUMBER,
    PersonalNumber,
    PersonalNumberProblem,
    check_digit,
    check_personal_number,
    make_personal_number,
    parse_personal_number,
)

__all__ = [
    "EXAMPLE_PERSONAL_NUMBER",
    "PASSPORT_PATTERN",
    "PersonalNumber",
    "PersonalNumberProblem",
    "check_digit",
    "check_personal_number",
    "is_passport_number",
    "make_personal_number",
    "parse_personal_number",
]
