"""Term frequencies: how common each surname stem or settlement is, kept with the model.

A pair agreeing on a rare value is stronger evidence than one agreeing on a common value. The
frequencies are counted once, on the data the model was trained on, and saved with it, so that
the batch path, the real-time path and a distributed run all adjust the same pair by the same
amount. Only values seen at least twice are stored; any other value counts as seen once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bonafide.linkage.coded import Coded

__all__ = ["TermFrequencies"]

TextArray = npt.NDArray[np.str_]
FloatArray = npt.NDArray[np.float64]


@dataclass(eq=False)
class TermFrequencies:
    total: int  # records with a value
    terms: TextArray  # sorted values seen at least twice
    counts: npt.NDArray[np.int64]

    @classmethod
    def count(cls, values: TextArray) -> TermFrequencies:
        """Counted over `values`; "" means the record lacks the value."""
        present = values[values != ""]
        terms, counts = np.unique(present, return_counts=True)
        repeated = counts >= 2
        return cls(len(present), terms[repeated], counts[repeated].astype(np.int64))

    @classmethod
    def count_coded(cls, values: Coded) -> TermFrequencies:
        """`count` of a coded column: its dictionary is sorted and "" is code 0, so the
        counts per code are the counts per term, in order."""
        counts = np.bincount(values.codes, minlength=len(values.values))[1:]
        repeated = counts >= 2
        return cls(
            int(counts.sum()), values.values[1:][repeated], counts[repeated].astype(np.int64)
        )

    def frequency(self, values: TextArray) -> FloatArray:
        """The share of records holding each value (at least 1 / total)."""
        counts = np.ones(len(values), dtype=np.float64)
        if len(self.terms):
            at = np.clip(np.searchsorted(self.terms, values), 0, len(self.terms) - 1)
            found = self.terms[at] == values
            counts[found] = self.counts[at[found]]
        frequency: FloatArray = counts / max(self.total, 1)
        return frequency

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TermFrequencies)
            and self.total == other.total
            and np.array_equal(self.terms, other.terms)
            and np.array_equal(self.counts, other.counts)
        )

    __hash__ = None  # type: ignore[assignment]

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "terms": dict(zip(self.terms.tolist(), self.counts.tolist(), strict=True)),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TermFrequencies:
        terms: dict[str, int] = data["terms"]
        ordered = sorted(terms)
        return cls(
            int(data["total"]),
            np.array(ordered, dtype=str),
            np.array([terms[t] for t in ordered], dtype=np.int64),
        )
