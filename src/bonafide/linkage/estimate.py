"""Estimating the model from the data itself: u from random pairs, m and the prior by EM.

u: how often each level occurs between records of different people, which random pairs are
almost all. m and the prior: expectation maximisation over the candidate pairs (which hold
nearly all the true matches), with u held fixed, as Splink does; then the prior with m fixed.
"""

from __future__ import annotations

import logging

import numpy as np
import numpy.typing as npt

from bonafide.linkage.model import LinkageModel

__all__ = ["estimate_m", "estimate_prior", "estimate_u", "surely_matching"]

log = logging.getLogger(__name__)
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
_SMOOTHING = 1.0


def _frequencies(
    levels: IntArray, count: int, weights: FloatArray | None = None, smoothing: float = _SMOOTHING
) -> list[float]:
    present = levels >= 0
    w = np.ones(len(levels)) if weights is None else weights
    totals = np.bincount(levels[present], weights=w[present], minlength=count)
    smoothed = (totals + smoothing / count) / (totals.sum() + smoothing)
    return [float(x) for x in smoothed]


def estimate_u(
    names: list[str],
    level_counts: list[int],
    random_levels: IntArray,
    smoothing: float = _SMOOTHING,
) -> dict[str, list[float]]:
    """u per comparison level from the levels of random pairs. `smoothing` pairs are spread
    evenly over each comparison's levels, so that none is impossible: a level no pair reached
    (two people's personal numbers agreeing) is as rare as the pairs counted can tell, and
    its weight is set by their number."""
    return {
        name: _frequencies(random_levels[:, column], level_counts[column], smoothing=smoothing)
        for column, name in enumerate(names)
    }


def _initial_m(count: int) -> list[float]:
    # Most matches agree fully; the rest spread over the weaker levels.
    if count == 1:
        return [1.0]
    rest = 0.1 / (count - 1)
    return [0.9] + [rest] * (count - 1)


def surely_matching(candidate_levels: IntArray) -> npt.NDArray[np.bool_]:
    """Pairs that agree fully on most of the fields both records have: a seed for EM.

    EM left to itself can settle on the wrong cluster (all pairs with one surname); starting
    from pairs that agree almost everywhere, as Splink starts from deterministic rules, keeps it
    on the one that means "same person".
    """
    present = (candidate_levels >= 0).sum(axis=1)
    top = (candidate_levels == 0).sum(axis=1)
    needed = np.maximum(3, np.ceil(0.6 * present))
    seed: npt.NDArray[np.bool_] = top >= needed
    return seed


def estimate_m(
    names: list[str],
    levels: dict[str, list[str]],
    u: dict[str, list[float]],
    candidate_levels: IntArray,
    iterations: int = 25,
    seed_on: list[str] | None = None,
    score_on: list[str] | None = None,
) -> dict[str, list[float]]:
    """m per comparison level by EM over candidate pairs, with u fixed.

    `seed_on`: the comparisons whose agreement picks the seed pairs — those the session learns,
    never the ones its pairs were blocked on (namesakes all agree on names). `score_on`: the
    comparisons the E-step uses, likewise not the blocked ones.
    """
    counts = [len(levels[n]) for n in names]
    columns = [names.index(n) for n in (seed_on or names) if n in names]
    seed = surely_matching(candidate_levels[:, columns])
    if seed.sum() >= 10:
        weights = seed.astype(np.float64)
        m = {
            name: _frequencies(candidate_levels[:, column], counts[column], weights)
            for column, name in enumerate(names)
        }
        share = min(max(float(seed.mean()) / 0.8, 1e-6), 0.5)
    else:
        m = {n: _initial_m(c) for n, c in zip(names, counts, strict=True)}
        share = 0.05
    # The E-step leaves out the comparisons the pairs were blocked on: they agree by
    # construction and would make every pair in a block look like a match (Splink does the same).
    scored = [names.index(n) for n in (score_on or names) if n in names]
    scored_names = [names[i] for i in scored]
    for iteration in range(iterations):
        model = LinkageModel(
            scored_names,
            {n: levels[n] for n in scored_names},
            {n: m[n] for n in scored_names},
            {n: u[n] for n in scored_names},
            prior=min(max(share, 1e-9), 1 - 1e-9),
        )
        probability = model.score(candidate_levels[:, scored]).probability
        new_m = {
            name: _frequencies(candidate_levels[:, column], counts[column], probability)
            for column, name in enumerate(names)
        }
        new_share = float(probability.mean())
        change = max(max(abs(a - b) for a, b in zip(new_m[n], m[n], strict=True)) for n in names)
        m, share = new_m, new_share
        if change < 1e-5:
            log.info("linkage em converged iterations=%d", iteration + 1)
            break
    return m


def estimate_prior(
    model: LinkageModel, candidate_levels: IntArray, candidate_share: float
) -> float:
    """The prior with m and u fixed: EM over the single share of matches among candidates."""
    share = 0.01
    for _ in range(50):
        trial = LinkageModel(model.comparisons, model.levels, model.m, model.u, prior=share)
        new_share = float(trial.score(candidate_levels).probability.mean())
        if abs(new_share - share) < 1e-7:
            break
        share = min(max(new_share, 1e-9), 1 - 1e-9)
    return min(max(share * candidate_share, 1e-12), 0.5)
