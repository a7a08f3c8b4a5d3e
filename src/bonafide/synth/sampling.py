"""Vectorised random choices: weighted, weighted within groups, and hash-stable picks."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "GroupedChoice",
    "IntArray",
    "stable_uniform",
    "weighted_choice",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _cdf(weights: FloatArray) -> FloatArray:
    cdf: FloatArray = np.cumsum(np.asarray(weights, dtype=np.float64))
    normalised: FloatArray = cdf / cdf[-1]
    return normalised


def weighted_choice(rng: np.random.Generator, weights: FloatArray, size: int) -> IntArray:
    """`size` indices drawn with probability proportional to `weights`."""
    cdf = _cdf(weights)
    picks = np.searchsorted(cdf, rng.random(size), side="right")
    return np.minimum(picks, len(weights) - 1).astype(np.int64)


class GroupedChoice:
    """Weighted choice of an item within a given group, for many draws at once.

    Items are laid out so that group g owns the interval [g, g + 1) of one cumulative axis;
    a draw for group g with uniform u is a binary search for g + u.
    """

    def __init__(self, groups: IntArray, weights: FloatArray, n_groups: int) -> None:
        order = np.lexsort((np.arange(len(groups)), groups))
        self._items = order.astype(np.int64)
        sorted_groups = groups[order]
        sorted_weights = np.asarray(weights, dtype=np.float64)[order]
        totals = np.bincount(sorted_groups, weights=sorted_weights, minlength=n_groups)
        safe_totals = np.where(totals > 0, totals, 1.0)
        within = np.cumsum(sorted_weights) - np.repeat(
            np.concatenate(([0.0], np.cumsum(totals)[:-1])),
            np.bincount(sorted_groups, minlength=n_groups),
        )
        self._axis = sorted_groups + within / safe_totals[sorted_groups]

    def choose(self, groups: IntArray, uniform: FloatArray) -> IntArray:
        """One item per draw, from the draw's group (groups without items must not be asked)."""
        positions = np.searchsorted(self._axis, groups + uniform * (1 - 1e-12), side="right")
        return self._items[np.minimum(positions, len(self._items) - 1)]


def stable_uniform(*keys: IntArray | int) -> FloatArray:
    """A uniform number in [0, 1) that depends only on the integer keys (a hash, not a stream).

    Used where the same thing must come out the same in every chunk, e.g. the streets of one
    settlement.
    """
    mixed: npt.NDArray[np.uint64] = np.asarray(np.uint64(0x9E3779B97F4A7C15))
    with np.errstate(over="ignore"):
        for key in keys:
            value = np.asarray(key, dtype=np.int64).astype(np.uint64)
            mixed = (mixed ^ (value + np.uint64(0x9E3779B97F4A7C15))) * np.uint64(
                0xBF58476D1CE4E5B9
            )
            mixed ^= mixed >> np.uint64(31)
            mixed *= np.uint64(0x94D049BB133111EB)
            mixed ^= mixed >> np.uint64(29)
    return np.asarray(mixed >> np.uint64(11), dtype=np.float64) / float(1 << 53)
