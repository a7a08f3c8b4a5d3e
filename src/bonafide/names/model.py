"""The name-match model: a table of weights over the comparators' categories.

score = logistic(intercept + w[given category] + w[surname category] + w[patronymic category]
                 + w[sexes differ]), where a part missing on one side weighs nothing

The weights are log-odds fitted by logistic regression on the labelled dev set
(`tools/fit_name_weights.py`, stored in `data/name_weights.json`), so a score of 0.5 means even
odds on that set. Every score comes with its parts: each category, its weight and its detail.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bonafide.names.compare import (
    GivenAgreement,
    PatronymicAgreement,
    SurnameAgreement,
    align_lone_words,
    compare_given,
    compare_patronymic,
    compare_surname,
    sexes_conflict,
)
from bonafide.names.parse import ParsedName, parse_name, swapped_roles

__all__ = [
    "FEATURES",
    "NOTHING_SHARED_WEIGHT",
    "SEX_DIFFERS_WEIGHT",
    "NameMatch",
    "NameWeights",
    "PartComparison",
    "compare_names",
    "weights",
]

# A part missing on one side is no evidence either way: it has no weight, so a name with a
# part left out scores as what the parts both sides give say (and a full name that agrees
# outranks a lone surname that agrees).
FEATURES: tuple[str, ...] = (
    *(f"given.{c.value}" for c in GivenAgreement if c is not GivenAgreement.MISSING),
    *(f"surname.{c.value}" for c in SurnameAgreement if c is not SurnameAgreement.MISSING),
    *(f"patronymic.{c.value}" for c in PatronymicAgreement if c is not PatronymicAgreement.MISSING),
)
# Names of different sexes (by given name, patronymic or surname ending, on both sides) are
# different names, whatever else agrees: a hard disagreement, not a fitted one.
SEX_DIFFERS_WEIGHT = -12.0
# Two names with no part that both give (a surname alone against initials alone) share no
# evidence of being one name: as hard a disagreement as different sexes.
NOTHING_SHARED_WEIGHT = -12.0


@dataclass(frozen=True)
class NameWeights:
    intercept: float
    weights: dict[str, float]

    def of(self, feature: str) -> float:
        if feature == "sex.differs":
            return SEX_DIFFERS_WEIGHT
        if feature == "names.nothing_shared":
            return NOTHING_SHARED_WEIGHT
        return self.weights.get(feature, 0.0) if feature in FEATURES else 0.0


@cache
def weights() -> NameWeights:
    """The fitted weights shipped with the package."""
    text = resources.files("bonafide.names").joinpath("data").joinpath("name_weights.json")
    data: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return NameWeights(float(data["intercept"]), {k: float(v) for k, v in data["weights"].items()})


@dataclass(frozen=True)
class PartComparison:
    part: str  # given, surname, patronymic, sex, names (nothing shared)
    category: str
    weight: float
    detail: str


@dataclass(frozen=True)
class NameMatch:
    """How likely two written names are one person's name, and why."""

    a: str
    b: str
    score: float
    intercept: float
    parts: tuple[PartComparison, ...]

    @property
    def key(self) -> str:
        """A compact summary such as `given:same surname:transliteration patronymic:missing`."""
        return " ".join(f"{p.part}:{p.category}" for p in self.parts)

    @property
    def diminutive(self) -> bool:
        """True when the given names agree only through a diminutive: weaker evidence."""
        return any(p.part == "given" and p.category == "diminutive" for p in self.parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "score": round(self.score, 4),
            "intercept": self.intercept,
            "diminutive": self.diminutive,
            "parts": [p.__dict__ for p in self.parts],
        }

    def text(self) -> str:
        lines = [f"{self.a}  ~  {self.b}: score {self.score:.3f}"]
        lines.append(f"  {'prior':<11} {self.intercept:+6.2f}")
        for part in self.parts:
            lines.append(f"  {part.part:<11} {part.weight:+6.2f}  {part.category}: {part.detail}")
        if self.diminutive:
            lines.append("  note: the given names agree only through a diminutive")
        return "\n".join(lines)


def _logistic(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


def compare_names(a: str, b: str) -> NameMatch:
    """Compare two written names in any script; the score is calibrated on the dev set.

    A name of two given names (Иван Тихон) is read both ways round; the reading under which
    the names agree best is the one compared."""
    pa, pb = parse_name(a), parse_name(b)
    readings_a = (pa, *filter(None, [swapped_roles(pa)]))
    readings_b = (pb, *filter(None, [swapped_roles(pb)]))
    return max(
        (_compare_parsed(a, b, x, y) for x in readings_a for y in readings_b),
        key=lambda match: match.score,
    )


def _compare_parsed(a: str, b: str, parsed_a: ParsedName, parsed_b: ParsedName) -> NameMatch:
    model = weights()
    pa, pb = align_lone_words(parsed_a, parsed_b)
    given, given_detail = compare_given(pa, pb)
    surname, surname_detail = compare_surname(pa, pb)
    patronymic, patronymic_detail = compare_patronymic(pa, pb)
    parts = [
        PartComparison("given", given.value, model.of(f"given.{given.value}"), given_detail),
        PartComparison(
            "surname", surname.value, model.of(f"surname.{surname.value}"), surname_detail
        ),
        PartComparison(
            "patronymic",
            patronymic.value,
            model.of(f"patronymic.{patronymic.value}"),
            patronymic_detail,
        ),
    ]
    if (
        given is GivenAgreement.MISSING
        and surname is SurnameAgreement.MISSING
        and (patronymic is PatronymicAgreement.MISSING)
    ):
        parts.append(
            PartComparison(
                "names",
                "nothing_shared",
                model.of("names.nothing_shared"),
                "no part of the names is given on both sides",
            )
        )
    if sexes_conflict(pa, pb):
        parts.append(
            PartComparison("sex", "differs", model.of("sex.differs"), "names of different sexes")
        )
    total = model.intercept + sum(p.weight for p in parts)
    return NameMatch(a, b, _logistic(total), model.intercept, tuple(parts))
