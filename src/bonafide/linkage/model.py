"""The Fellegi–Sunter model: m and u per comparison level, the prior, and scoring with parts.

match weight = log2(prior / (1 − prior)) + Σ log2(m / u) over the comparisons with a level;
probability = 2^w / (1 + 2^w). Every score keeps its parts (a waterfall) and a match key such
as `+given+surname-birth_date`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bonafide.errors import InputError
from bonafide.linkage.frequencies import TermFrequencies

__all__ = ["AS_FAR_AS_KNOWN", "MODEL_VERSION", "LinkageModel", "Scores"]

# 4: the birth date's level "same as far as known" (a date known to the year only)
MODEL_VERSION = 4
# A level no pair of full values reaches: one value known only in part (a birth date to the
# year), agreeing as far as it goes. Its m and u are not learned but summed over the levels
# whose pairs agree that far — the training pairs rarely have such a value, and "same year" of
# two full dates, a disagreement on the day, says nothing of a date whose day nobody wrote.
AS_FAR_AS_KNOWN = "same as far as known"
_AGREEING_THAT_FAR: dict[str, tuple[str, ...]] = {
    AS_FAR_AS_KNOWN: ("same", "day and month swapped", "same year"),
}
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
# level weights by (comparison, m, u): scoring one pair at a time recomputes them otherwise
_WEIGHTS: dict[tuple[str, tuple[float, ...], tuple[float, ...]], FloatArray] = {}


def _disagrees(labels: list[str], level: int) -> bool:
    """The last level, and any other that names a disagreement ("different, two women")."""
    return level == len(labels) - 1 or labels[level].startswith("different")


@dataclass
class Scores:
    match_weight: FloatArray
    probability: FloatArray
    contributions: FloatArray  # pairs × comparisons, 0 where the level is null


@dataclass
class LinkageModel:
    comparisons: list[str]
    levels: dict[str, list[str]]
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float  # probability that two records drawn at random are one person
    # counted on the training records; every path adjusts agreeing pairs by these
    term_frequencies: dict[str, TermFrequencies] = field(default_factory=dict)
    version: int = MODEL_VERSION

    def level_weights(self, comparison: str) -> FloatArray:
        """log2(m / u) of each level of a comparison."""
        key = (comparison, tuple(self.m[comparison]), tuple(self.u[comparison]))
        cached = _WEIGHTS.get(key)
        if cached is not None:
            return cached
        m = np.asarray(self.m[comparison], dtype=np.float64)
        u = np.asarray(self.u[comparison], dtype=np.float64)
        labels = self.levels[comparison]
        for level, label in enumerate(labels):
            parts = [labels.index(p) for p in _AGREEING_THAT_FAR.get(label, ()) if p in labels]
            if parts:
                m[level], u[level] = m[parts].sum(), u[parts].sum()
        weights: FloatArray = np.log2(np.clip(m, 1e-9, None) / np.clip(u, 1e-9, None))
        _WEIGHTS[key] = weights
        return weights

    @property
    def prior_weight(self) -> float:
        return float(np.log2(self.prior / (1 - self.prior)))

    def score(self, levels: IntArray, adjustments: dict[int, FloatArray] | None = None) -> Scores:
        """Scores of pairs; `adjustments` adds term-frequency weights to some columns."""
        contributions = np.empty(levels.shape, dtype=np.float64)
        for column, comparison in enumerate(self.comparisons):
            # the last slot holds 0 for a null level (-1 indexes it)
            weights = np.append(self.level_weights(comparison), 0.0)
            contributions[:, column] = weights[levels[:, column]]
            if adjustments and column in adjustments:
                contributions[:, column] += adjustments[column]
        total = self.prior_weight + contributions.sum(axis=1)
        probability = 1.0 / (1.0 + np.exp2(-total))
        return Scores(total, probability, contributions)

    def match_key(self, levels: IntArray) -> str:
        """`+name` for agreement at the top level, `~name` for partial, `-name` for none."""
        parts = []
        for column, comparison in enumerate(self.comparisons):
            level = int(levels[column])
            if level < 0:
                continue
            sign = "+" if level == 0 else "-" if _disagrees(self.levels[comparison], level) else "~"
            parts.append(f"{sign}{comparison}")
        return "".join(parts)

    def explain(
        self, levels: IntArray, adjustments: dict[int, float] | None = None
    ) -> dict[str, Any]:
        """The waterfall of one pair: prior, each comparison's level and weight (with its
        term-frequency adjustment, where there is one), total."""
        arrays = {c: np.array([v]) for c, v in (adjustments or {}).items()}
        scores = self.score(levels.reshape(1, -1), arrays)
        steps: list[dict[str, Any]] = [{"part": "prior", "weight": round(self.prior_weight, 3)}]
        for column, comparison in enumerate(self.comparisons):
            level = int(levels[column])
            labels = self.levels[comparison]
            bucket = (
                "missing"
                if level < 0
                else "same"
                if level == 0
                else "far"
                if _disagrees(labels, level)
                else "close"
            )
            steps.append(
                {
                    "part": comparison,
                    "level": labels[level] if level >= 0 else "missing",
                    "bucket": bucket,
                    "weight": round(float(scores.contributions[0, column]), 3),
                    "term_frequency_adjustment": round(
                        float((adjustments or {}).get(column, 0.0)), 3
                    ),
                }
            )
        return {
            "steps": steps,
            "match_weight": round(float(scores.match_weight[0]), 3),
            "probability": float(scores.probability[0]),
            "match_key": self.match_key(levels),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "comparisons": self.comparisons,
            "levels": self.levels,
            "m": self.m,
            "u": self.u,
            "prior": self.prior,
            "term_frequencies": {k: v.to_json() for k, v in self.term_frequencies.items()},
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LinkageModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise InputError(f"{path}: cannot read the model: {error}") from None
        return cls.from_json(data, str(path))

    @classmethod
    def from_json(cls, data: dict[str, Any], source: str = "the model") -> LinkageModel:
        data = dict(data)
        if data.get("version") != MODEL_VERSION:
            raise InputError(
                f"{source}: model version {data.get('version')} is not {MODEL_VERSION}",
                hint="train the model again with this version of bonafide",
            )
        frequencies = data.pop("term_frequencies", {})
        return cls(
            **data,
            term_frequencies={k: TermFrequencies.from_json(v) for k, v in frequencies.items()},
        )
