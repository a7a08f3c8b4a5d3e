"""The model that links other registries' records to persons, learned from those records.

The identity model's m — how often one person's two records agree at each level — is learned
from duplicates inside the identity registry. A residence, school or employer record of the same
person differs from an identity record in other ways, above all in the surname: a woman's
records from before her marriage carry her maiden name. Scored with the identity model's m,
such a record needs more evidence the larger the population (the lookup's prior is one in the
number of persons), and at a million people most of them fall below the threshold.

So resolve learns m again from a random sample of the records to link (their lookups, each
counted as often as it was drawn), with u (how often different people agree) kept from the
identity model: u describes the population, m the registries. Each
comparison's m is counted over the pairs the *other* comparisons already make near certain (a
lookup's best candidate at ≥ 0.99 without that comparison) — the classical estimate of one
field's errors from the pairs the rest identify. Plain EM over all candidate pairs does not
work here: a lookup's candidates were fetched for sharing names or a birth date, so the
non-matches among them are no random pairs and EM drifts toward them. Two rounds, the second
with the first round's m. Comparisons the lookups carry too rarely keep the identity model's m.
The model is saved with the persons (`link_model.json`, sealed) and reused by a later resolve
with too few lookups to learn from.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import PersonRecords
from bonafide.persons.files import Generation
from bonafide.persons.match import MatchedPairs, PairGroups

__all__ = [
    "LINK_MODEL_FILE",
    "learn_link_model",
    "load_link_model",
    "sample_lookups",
    "save_link_model",
]

log = logging.getLogger(__name__)
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
LINK_MODEL_FILE = "link_model.json"
SAMPLE = 100_000  # lookups whose candidate pairs the model is learned from
MIN_LOOKUPS = 1_000  # fewer: too few to learn from; the saved model is used
MIN_PAIRS = 1_000  # sure pairs a comparison must be present in to learn its m
SURE_WEIGHT = float(np.log2(99))  # probability ≥ 0.99
ROUNDS = 2
_SEED = 16


def sample_lookups(records: IntArray) -> tuple[IntArray, FloatArray]:
    """The lookups the model is learned from, given each lookup's number of records (in
    lookup order): the positions of the lookups of SAMPLE records drawn at random, and how
    many of those records each holds; none when there are too few lookups to learn from.

    Drawn by records, so that m says how the registries' records differ from their persons'
    identity records, however many records one lookup stands for (a name written whole in one
    registry and in parts in another is one lookup; drawn by lookups, the model followed such
    choices: at 1 M people, merging those lookups moved education's precision 0.9986 → 0.9980)."""
    if len(records) < MIN_LOOKUPS:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    total = int(records.sum())
    rng = np.random.default_rng(_SEED)
    drawn = rng.choice(total, size=min(SAMPLE, total), replace=False)
    lookup = np.searchsorted(np.cumsum(records), drawn, side="right")
    positions, held = np.unique(lookup, return_counts=True)
    return positions.astype(np.int64), held.astype(np.float64)


def learn_link_model(
    model: LinkageModel, sample: PersonRecords, pairs: MatchedPairs, held: FloatArray
) -> LinkageModel | None:
    """m learned from `sample` (the lookups `sample_lookups` chose, each counted `held`
    times), whose candidate `pairs` were scored by a matcher on `model`; None when there are
    none."""
    if not len(sample):
        return None
    learned = dict(model.m)
    counted: dict[str, int] = {}
    # each comparison's best pair per lookup, in each round: one grouping
    lookups = PairGroups.of(pairs.query)
    for _ in range(ROUNDS):
        scores = replace(model, m=learned).score(pairs.levels, pairs.adjustments)
        m = dict(learned)
        for column, name in enumerate(model.comparisons):
            without = scores.match_weight - scores.contributions[:, column]
            best = lookups.best(without)
            levels = pairs.levels[best, column]
            is_sure = (without[best] >= SURE_WEIGHT) & (levels >= 0)
            sure = levels[is_sure]
            counted[name] = len(sure)
            if len(sure) >= MIN_PAIRS:
                weights = held[pairs.query[best][is_sure]]
                m[name] = _shares(sure, weights, len(model.levels[name]))
        learned = m
    log.info(
        "resolve link model lookups=%d pairs=%d comparisons learned=%d",
        len(sample),
        len(pairs.query),
        sum(n >= MIN_PAIRS for n in counted.values()),
    )
    return replace(model, m=learned)


def _shares(levels: IntArray, weights: FloatArray, count: int) -> list[float]:
    """Each level's share of the weights, smoothed so that no level is impossible."""
    totals = np.bincount(levels, weights=weights, minlength=count).astype(np.float64)
    return [float(x) for x in (totals + 1.0 / count) / (totals.sum() + 1.0)]


def load_link_model(generation: Generation | None) -> LinkageModel | None:
    """The link model a resolve saved with these persons, if any."""
    if generation is None or not generation.exists(LINK_MODEL_FILE):
        return None
    return LinkageModel.from_json(generation.read_json(LINK_MODEL_FILE))  # type: ignore[arg-type]


def save_link_model(generation: Generation, model: LinkageModel) -> None:
    generation.write_json(LINK_MODEL_FILE, model.to_json())
