"""Linking two files, or deduplicating one: block, compare, estimate, score, assign.

The model is estimated from the files themselves (u by random sampling, m and the prior by EM),
unless a saved model is given.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bonafide.linkage.blocking import (
    KEYS_WITH_BIRTH_DATE,
    NAME_KEYS,
    Candidates,
    candidate_pairs,
)
from bonafide.linkage.comparisons import (
    COMPARISONS,
    Comparison,
    Features,
    comparison_levels,
    count_terms,
    term_frequency_adjustments,
)
from bonafide.linkage.estimate import estimate_m, estimate_prior, estimate_u
from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import PersonRecords

__all__ = [
    "ComparedPairs",
    "LinkResult",
    "compare_records",
    "comparisons_of",
    "link_records",
    "population_u",
    "score_compared",
    "train_model",
    "usable_comparisons",
]

log = logging.getLogger(__name__)
IntArray = npt.NDArray[np.int64]
LevelArray = npt.NDArray[np.int8]  # levels run from -1 to 4: a byte per level, not eight
RANDOM_PAIRS = 200_000
# u of a whole population (`population_u`): pairs of a sample of its records
POPULATION_ROWS = 200_000
POPULATION_PAIRS = 2_000_000
EM_PAIRS = 300_000  # candidate pairs EM learns from; more change the estimates little
# Candidate pairs compared and scored at a time: each comparison gathers both records' keys
# per pair (wide text arrays), and scoring holds a float per pair and comparison.
CHUNK = 500_000


@dataclass
class LinkResult:
    left_ids: list[str]
    right_ids: list[str]
    probability: npt.NDArray[np.float64]
    model: LinkageModel
    candidates: int
    # the records' features, both sides stacked (left first): what a caller needs to go on
    # with the same records (resolve indexes their blocking keys) without building them again
    features: Features | None = None


def comparisons_of(model: LinkageModel) -> tuple[Comparison, ...]:
    """The comparisons `model` scores, in their order."""
    return tuple(c for c in COMPARISONS if c.name in model.comparisons)


def usable_comparisons(records: PersonRecords) -> tuple[Comparison, ...]:
    """The comparisons whose fields are mapped and not all empty."""
    chosen = []
    for comparison in COMPARISONS:
        columns = [records.table.column(f) for f in comparison.fields]
        if all(c.null_count < len(c) for c in columns):
            chosen.append(comparison)
    return tuple(chosen)


def _random_pairs(
    rng: np.random.Generator, left_size: int, total: int, dedupe: bool, count: int
) -> tuple[IntArray, IntArray]:
    if dedupe:
        a = rng.integers(0, total, count)
        b = rng.integers(0, total, count)
        keep = a != b
        return a[keep], b[keep]
    return rng.integers(0, left_size, count), rng.integers(left_size, total, count)


def population_u(
    records: PersonRecords,
    model: LinkageModel,
    names: tuple[str, ...],
    seed: int = 0,
    rows: int = POPULATION_ROWS,
    pairs: int = POPULATION_PAIRS,
) -> dict[str, list[float]]:
    """u of `model`'s comparisons `names` from random pairs of all `records`, not only those
    it was trained on: `pairs` pairs of `rows` records drawn at random, whose features alone
    are built. Rare levels (a day and month swapped) need many pairs to be seen at all; pairs
    of a sample of records cost only their comparisons."""
    rng = np.random.default_rng(seed)
    drawn = np.sort(rng.choice(len(records), min(rows, len(records)), replace=False))
    left, right = _random_pairs(rng, 0, len(drawn), True, pairs)
    comparisons = tuple(c for c in comparisons_of(model) if c.name in names)
    # only the fields these comparisons read are built (a birth date's u needs no name parsed)
    read = {f for c in comparisons for f in c.fields} | {"record_id"}
    sample = records.table.take(pa.array(drawn))
    for at, name in enumerate(sample.column_names):
        if name not in read:
            sample = sample.set_column(
                at, name, pa.nulls(len(sample), sample.schema.field(at).type)
            )
    features = Features.build(PersonRecords(sample))
    levels = _levels(comparisons, features, left, right)
    # a level no pair reached keeps the rarity RANDOM_PAIRS can tell, as in a model trained
    # on them: else it would weigh more only because more pairs were counted
    return estimate_u(
        [c.name for c in comparisons],
        [len(c.levels) for c in comparisons],
        levels.astype(np.int64),
        smoothing=len(left) / RANDOM_PAIRS,
    )


_NAMES = frozenset({"given", "surname", "patronymic"})
_WEAK = frozenset({"sex"})  # agrees by chance half the time: no use for picking seeds
# What the blocking keys other than names agree on (birth date, documents, address parts).
_AGREED_BY_OTHER_KEYS = frozenset(
    {
        "birth_date",
        "personal_number",
        "passport_number",
        "postcode",
        "house",
        "street",
        "settlement",
    }
)


def _sample(rng: np.random.Generator, size: int) -> IntArray:
    if size <= EM_PAIRS:
        return np.arange(size)
    return np.sort(rng.choice(size, EM_PAIRS, replace=False))


def train_model(
    features: Features,
    comparisons: tuple[Comparison, ...],
    left_size: int,
    dedupe: bool,
    candidates: Candidates,
    candidate_levels: LevelArray,
    seed: int = 0,
) -> LinkageModel:
    """u from random pairs; m in two EM sessions, as Splink trains: the name comparisons' m
    from pairs found by other keys (dates, documents, addresses), the other comparisons' m from
    pairs found by names — so no comparison learns from pairs chosen because it agrees; then
    the prior with m and u fixed, over all candidates. `candidate_levels` are the candidates'."""
    total = len(features)
    names = [c.name for c in comparisons]
    levels = {c.name: list(c.levels) for c in comparisons}
    rng = np.random.default_rng(seed)
    ra, rb = _random_pairs(rng, left_size, total, dedupe, RANDOM_PAIRS)
    u = estimate_u(
        names,
        [len(c.levels) for c in comparisons],
        comparison_levels(comparisons, features, ra, rb),
    )
    m: dict[str, list[float]] = {}
    # The names session learns the birth date's m too: not from pairs a key found because
    # their birth dates or years agree (namesakes born in one year would look like matches).
    by_names = (
        candidates.by_names
        if candidates.by_keys is None
        else candidates.found_by(NAME_KEYS - KEYS_WITH_BIRTH_DATE)
    )
    sessions = ((candidates.by_others, _AGREED_BY_OTHER_KEYS), (by_names, _NAMES))
    for found_by, blocked in sessions:
        found = np.flatnonzero(found_by)
        if len(found) == 0:
            continue
        pick = found[_sample(rng, len(found))]
        session = estimate_m(
            names,
            levels,
            u,
            candidate_levels[pick].astype(np.int64),
            seed_on=[n for n in names if n not in blocked and n not in _WEAK],
            score_on=[n for n in names if n not in blocked],
        )
        for name in names:
            if name not in blocked or name not in m:
                m[name] = session[name]
    model = LinkageModel(names, levels, m, u, prior=0.5)
    all_pairs = total * (total - 1) / 2 if dedupe else left_size * (total - left_size)
    pick = _sample(rng, len(candidates))
    model.prior = estimate_prior(
        model, candidate_levels[pick].astype(np.int64), len(candidates) / all_pairs
    )
    return model


def _levels(
    comparisons: tuple[Comparison, ...], features: Features, left: IntArray, right: IntArray
) -> LevelArray:
    """`comparison_levels` of the pairs, a chunk at a time, as bytes."""
    levels = np.empty((len(left), len(comparisons)), dtype=np.int8)
    for start in range(0, len(left), CHUNK):
        end = start + CHUNK
        levels[start:end] = comparison_levels(
            comparisons, features, left[start:end], right[start:end]
        )
    return levels


def _probabilities(
    model: LinkageModel,
    comparisons: tuple[Comparison, ...],
    features: Features,
    levels: LevelArray,
    left: IntArray,
) -> npt.NDArray[np.float64]:
    """Each pair's match probability with term-frequency adjustments, a chunk at a time."""
    u_top = {name: model.u[name][0] for name in model.comparisons}
    probability = np.empty(len(left), dtype=np.float64)
    for start in range(0, len(left), CHUNK):
        end = start + CHUNK
        chunk = levels[start:end].astype(np.int64)
        adjustments = term_frequency_adjustments(
            comparisons, features, chunk, left[start:end], u_top, model.term_frequencies
        )
        probability[start:end] = model.score(chunk, adjustments).probability
    return probability


def _one_to_one(
    left: IntArray, right: IntArray, probability: npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """Greedy assignment: the most probable pairs first, each record used once."""
    keep = np.zeros(len(left), dtype=bool)
    used_left: set[int] = set()
    used_right: set[int] = set()
    for i in np.argsort(-probability, kind="stable"):
        a, b = int(left[i]), int(right[i])
        if a in used_left or b in used_right:
            continue
        keep[i] = True
        used_left.add(a)
        used_right.add(b)
    return keep


@dataclass
class ComparedPairs:
    """Records' candidate pairs and their comparison levels: all of a link that needs no model
    (`compare_records`), to be scored by one (`score_compared`)."""

    records: PersonRecords  # both sides stacked, left first
    left_size: int
    dedupe: bool
    features: Features
    comparisons: tuple[Comparison, ...]
    candidates: Candidates
    levels: LevelArray

    def for_model(self, model: LinkageModel) -> ComparedPairs:
        """These pairs with the levels of `model`'s comparisons, in its order: taken from the
        levels compared where those are the model's, else compared again."""
        wanted = comparisons_of(model)
        if wanted == self.comparisons:
            return self
        names = [c.name for c in self.comparisons]
        # given name and surname are compared as a pair (written in each other's place):
        # their levels stand alone only where both are compared on both sides
        both_names = {"given", "surname"}
        same_pair = (both_names <= set(names)) == (both_names <= {c.name for c in wanted})
        if same_pair and all(c.name in names for c in wanted):
            columns = [names.index(c.name) for c in wanted]
            return replace(self, comparisons=wanted, levels=self.levels[:, columns])
        levels = _levels(wanted, self.features, self.candidates.left, self.candidates.right)
        return replace(self, comparisons=wanted, levels=levels)


def compare_records(
    left_records: PersonRecords,
    right_records: PersonRecords | None,
    comparisons: tuple[Comparison, ...] | None = None,
    cache_names: bool = False,
) -> ComparedPairs:
    """The candidate pairs of the records (without `right_records`, of the left with
    themselves) and their levels by `comparisons` (by default those whose fields the records
    hold). `cache_names`: as `link_records`."""
    dedupe = right_records is None
    stacked = (
        left_records
        if right_records is None
        else PersonRecords(pa.concat_tables([left_records.table, right_records.table]))
    )
    left_size = len(left_records)
    # Arrow keeps what it frees for its next allocations; a batch this size holds memory
    # phase after phase (the caller's file, the features' temporaries), so it is handed back
    # between phases and the peak is what is in use.
    pool = pa.default_memory_pool()
    pool.release_unused()
    features = Features.build(stacked, cache_names)
    pool.release_unused()
    chosen = usable_comparisons(stacked) if comparisons is None else comparisons
    candidates = candidate_pairs(features, left_size, dedupe)
    pool.release_unused()
    log.info("linkage candidates=%d comparisons=%d", len(candidates), len(chosen))
    levels = _levels(chosen, features, candidates.left, candidates.right)
    return ComparedPairs(stacked, left_size, dedupe, features, chosen, candidates, levels)


def score_compared(
    compared: ComparedPairs,
    threshold: float = 0.5,
    model: LinkageModel | None = None,
    one_to_one: bool = True,
    keep_features: bool = False,
) -> LinkResult:
    """The compared pairs with probability ≥ threshold, by `model` (by default one estimated
    from them, as `link_records` does)."""
    if model is None:
        model = train_model(
            compared.features,
            compared.comparisons,
            compared.left_size,
            compared.dedupe,
            compared.candidates,
            compared.levels,
        )
        model.term_frequencies = count_terms(compared.comparisons, compared.features)
    else:
        compared = compared.for_model(model)
    left, right = compared.candidates.left, compared.candidates.right
    probability = _probabilities(
        model, compared.comparisons, compared.features, compared.levels, left
    )
    chosen = probability >= threshold
    if one_to_one and not compared.dedupe:
        chosen &= _one_to_one(left, right, np.where(chosen, probability, -1.0))
    ids = compared.records.ids
    return LinkResult(
        left_ids=[ids[i] for i in left[chosen]],
        right_ids=[ids[i] for i in right[chosen]],
        probability=probability[chosen],
        model=model,
        candidates=len(left),
        features=compared.features if keep_features else None,
    )


def link_records(
    left_records: PersonRecords,
    right_records: PersonRecords | None,
    threshold: float = 0.5,
    model: LinkageModel | None = None,
    one_to_one: bool = True,
    keep_features: bool = False,
    cache_names: bool = False,
) -> LinkResult:
    """Pairs with probability ≥ threshold. Without `right_records`, deduplicates the left.
    `keep_features`: return the records' features too (else they are freed on return).
    `cache_names`: keep the names' parses for later calls (`NameKeyTable.build`); a one-off
    batch parses each distinct name once, and the cache would only hold memory."""
    comparisons = None if model is None else comparisons_of(model)
    compared = compare_records(left_records, right_records, comparisons, cache_names)
    return score_compared(compared, threshold, model, one_to_one, keep_features)
