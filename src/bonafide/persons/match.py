"""The real-time path: person records against the person index, best candidates first.

Candidates come only from the index's blocking keys (never a scan), at most `candidate_limit`
per record, those sharing the most keys first. Each candidate is scored with the batch path's
own functions (`Features`, `comparison_levels`, term-frequency adjustments, `LinkageModel`), so
both paths give a pair the same probability. The prior is that of a lookup: the record denotes
at most one of the index's persons, so 1 / persons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bonafide.errors import InputError
from bonafide.linkage.blocking import first_of_run
from bonafide.linkage.comparisons import (
    Features,
    comparison_levels,
    term_frequency_adjustments,
)
from bonafide.linkage.link import comparisons_of
from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import PERSON_FIELDS, PersonRecords, normalise_date
from bonafide.persons.index import (
    BlockingCounts,
    CandidateRows,
    PersonIndex,
    RecordKeys,
    record_keys,
)
from bonafide.vault import Vault

__all__ = [
    "CANDIDATE_LIMIT",
    "MatchCandidate",
    "MatchedPairs",
    "Matcher",
    "PairGroups",
    "query_records",
    "score_record_pairs",
    "weighed_pairs",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
CANDIDATE_LIMIT = 100  # records scored per query
QUERY_FIELDS = tuple(f for f in PERSON_FIELDS if f != "record_id")


@dataclass
class MatchCandidate:
    person_id: int
    record_id: str  # the identity record's key in the registry store
    probability: float
    match_weight: float
    match_key: str
    explanation: dict[str, Any]  # the waterfall: prior, each field, total
    record: dict[str, str | None]  # the candidate's person fields

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "record_id": self.record_id,
            "probability": self.probability,
            "match_weight": self.match_weight,
            "match_key": self.match_key,
            "explanation": self.explanation,
            "record": self.record,
        }


@dataclass(frozen=True)
class PairGroups:
    """Pairs grouped once by an integer key (a query; a query and a person), in a stable sort:
    each group's best pair is then a maximum per group, where a sort of the weights too took
    a third of the time (and 2 s of a 1 M resolve's link model, which asks for 26 weightings
    of one grouping)."""

    order: IntArray  # the pairs by group, each group's in their order
    group: IntArray  # per pair in that order: its group's place among the groups
    starts: IntArray  # where each group's pairs start in that order

    @classmethod
    def of(cls, keys: IntArray) -> PairGroups:
        order = np.argsort(keys, kind="stable")
        first = first_of_run(keys[order])
        return cls(order, np.cumsum(first) - 1, np.flatnonzero(first))

    def best(self, weight: FloatArray) -> IntArray:
        """The position of each group's highest-weighted pair, in order of the groups' keys:
        its first where pairs tie (no weight may be NaN)."""
        if not len(self.order):
            return self.order
        weights = weight[self.order]
        top = np.maximum.reduceat(weights, self.starts)
        at_top = np.flatnonzero(weights == top[self.group])
        # the first pair at its group's top: in the stable order, the first of them
        best: IntArray = self.order[at_top[first_of_run(self.group[at_top])]]
        return best


@dataclass
class MatchedPairs:
    """Every scored (query, index row) pair of a batch of queries."""

    query: IntArray  # position of the query record
    row: IntArray  # row in the person index
    person_id: IntArray
    probability: FloatArray
    match_weight: FloatArray
    levels: IntArray  # pairs × comparisons
    adjustments: dict[int, FloatArray]  # comparison column → term-frequency adjustment

    @classmethod
    def joined(cls, parts: Sequence[tuple[int, MatchedPairs]]) -> MatchedPairs:
        """The pairs of runs of queries scored apart, as if scored together: each part with
        the position of its first query. A part without a term-frequency adjustment that
        another has adjusts nothing there."""
        scored = [(start, part) for start, part in parts if len(part.query)]
        if not scored:
            return parts[0][1]  # no pairs, in the shape a matcher gives them
        parts = scored
        columns = sorted({c for _, part in parts for c in part.adjustments})
        return cls(
            query=np.concatenate([part.query + start for start, part in parts]),
            row=np.concatenate([part.row for _, part in parts]),
            person_id=np.concatenate([part.person_id for _, part in parts]),
            probability=np.concatenate([part.probability for _, part in parts]),
            match_weight=np.concatenate([part.match_weight for _, part in parts]),
            levels=np.concatenate([part.levels for _, part in parts]),
            adjustments={
                c: np.concatenate(
                    [part.adjustments.get(c, np.zeros(len(part.query))) for _, part in parts]
                )
                for c in columns
            },
        )

    def take(self, positions: IntArray, query: IntArray | None = None) -> MatchedPairs:
        """The pairs at these positions, in their order; numbered `query` if given."""
        return MatchedPairs(
            query=self.query[positions] if query is None else query,
            row=self.row[positions],
            person_id=self.person_id[positions],
            probability=self.probability[positions],
            match_weight=self.match_weight[positions],
            levels=self.levels[positions],
            adjustments={c: a[positions] for c, a in self.adjustments.items()},
        )

    def _best_row_per_person(self) -> IntArray:
        """Each (query, candidate person)'s best row, in order of query and person: its
        highest match weight, the first such pair where rows tie.

        Grouped by one integer per (query, person) in a stable sort, then each group's best
        taken, instead of sorting the weights too: at 1 M people a third of the time."""
        persons = int(self.person_id.max()) + 1
        if (
            int(self.person_id.min()) < 0
            or int(self.query.min()) < 0
            or int(self.query.max()) >= np.iinfo(np.int64).max // persons
            or bool(np.isnan(self.match_weight).any())  # a group's top is no weight
        ):
            order = np.lexsort((-self.match_weight, self.person_id, self.query))
            query, person = self.query[order], self.person_id[order]
            first = np.ones(len(order), dtype=bool)
            first[1:] = (query[1:] != query[:-1]) | (person[1:] != person[:-1])
            picked: IntArray = order[first]
            return picked
        return PairGroups.of(self.query * persons + self.person_id).best(self.match_weight)

    def most_probable_person(self, queries: int) -> tuple[IntArray, FloatArray]:
        """Each query's most probable index row (-1 where it had no candidate) and the
        probability that the query denotes that row's person rather than any other candidate
        or none.

        A record denotes one person at most: the candidates compete. Each candidate person's
        odds (its best row's, prior included) over one plus the sum of every candidate person's
        odds — where one candidate stands out this is its own probability; two persons that
        fit equally well (namesakes born on one day) share it, and neither is chosen."""
        rows = np.full(queries, -1, dtype=np.int64)
        probability = np.zeros(queries, dtype=np.float64)
        if not len(self.query):
            return rows, probability
        best = self._best_row_per_person()
        query, weight = self.query[best], self.match_weight[best]
        top = np.full(queries, -np.inf)
        np.maximum.at(top, query, weight)
        shift = np.maximum(top, 0.0)  # 2^(w - shift) stays finite
        odds = np.exp2(weight - shift[query])
        total = np.exp2(-shift) + np.bincount(query, weights=odds, minlength=queries)
        winner = best[weight == top[query]]
        winner = winner[np.unique(self.query[winner], return_index=True)[1]]
        chosen = self.query[winner]
        rows[chosen] = self.row[winner]
        probability[chosen] = np.exp2(self.match_weight[winner] - shift[chosen]) / total[chosen]
        return rows, probability


def _text(value: object, source: str, number: int, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise InputError(
            f"{source}, record {number}: field {field} is not text",
            hint='give every field as a string, e.g. "birth_date": "1985-03-14"',
        )
    text = str(value).strip()
    if field == "birth_date" and text:
        date = normalise_date(text)
        if date is None:
            raise InputError(
                f"{source}, record {number}: birth_date {text[:40]!r} is not a date",
                hint="write it as YYYY-MM-DD (or DD.MM.YYYY)",
            )
        return date
    return text or None


def query_records(records: Sequence[Mapping[str, Any]], source: str = "query") -> PersonRecords:
    """Person records from JSON-like objects keyed by person field; errors name the field.

    Normalised as `records.from_table` normalises a file, value by value: a lookup holds one
    record, and per-column Arrow calls would cost more than the lookup itself."""
    columns: dict[str, list[str | None]] = {f: [] for f in PERSON_FIELDS}
    for number, record in enumerate(records, start=1):
        unknown = sorted(set(record) - set(PERSON_FIELDS))
        if unknown:
            raise InputError(
                f"{source}, record {number}: unknown field(s) {', '.join(unknown)}",
                hint=f"use fields among: {', '.join(QUERY_FIELDS)}",
            )
        for field in PERSON_FIELDS:
            columns[field].append(_text(record.get(field), source, number, field))
        if not any(columns[f][-1] for f in ("surname", "given_name", "full_name")):
            raise InputError(
                f"{source}, record {number}: no name",
                hint="give surname and given_name, or full_name",
            )
        if columns["record_id"][-1] is None:
            columns["record_id"][-1] = str(number)
    return PersonRecords(pa.table({f: pa.array(v, pa.string()) for f, v in columns.items()}))


def weighed_pairs(
    query: IntArray, rows: IntArray, person_ids: IntArray, match_weight: FloatArray
) -> MatchedPairs:
    """Pairs known by their match weights alone (no levels kept): enough to choose each
    query's most probable person."""
    return MatchedPairs(
        query=query,
        row=rows,
        person_id=person_ids,
        probability=1.0 / (1.0 + np.exp2(-match_weight)),
        match_weight=match_weight,
        levels=np.empty((len(query), 0), np.int64),
        adjustments={},
    )


def score_record_pairs(
    model: LinkageModel,
    records: PersonRecords,
    candidates: PersonRecords,
    query: IntArray,
    candidate: IntArray,
    rows: IntArray,
    person_ids: IntArray,
) -> MatchedPairs:
    """The pairs (`records[query]`, `candidates[candidate]`) scored by `model`, given as the
    index `rows` of persons `person_ids` (a pair's score is its own, whatever else is scored
    with it)."""
    comparisons = comparisons_of(model)
    stacked = PersonRecords(pa.concat_tables([records.table, candidates.table]))
    features = Features.build(stacked)
    right = len(records) + candidate
    levels = comparison_levels(comparisons, features, query, right)
    u_top = {name: model.u[name][0] for name in model.comparisons}
    adjustments = term_frequency_adjustments(
        comparisons, features, levels, query, u_top, model.term_frequencies
    )
    scores = model.score(levels, adjustments)
    return MatchedPairs(
        query=query,
        row=rows,
        person_id=person_ids,
        probability=scores.probability,
        match_weight=scores.match_weight,
        levels=levels,
        adjustments=adjustments,
    )


class Matcher:
    """Looks person records up in an open person index."""

    def __init__(
        self,
        index: PersonIndex,
        candidate_limit: int = CANDIDATE_LIMIT,
        model: LinkageModel | None = None,
    ) -> None:
        """`model`: scores instead of the index's own (resolve's link model, `link_model.py`)."""
        self.index = index
        self.candidate_limit = candidate_limit
        self.model: LinkageModel = replace(
            model or index.model, prior=1.0 / max(index.meta.persons, 2)
        )
        self.comparisons = comparisons_of(self.model)

    def with_limit(self, candidate_limit: int) -> Matcher:
        """This matcher scoring `candidate_limit` candidates per record."""
        return Matcher(self.index, candidate_limit, self.model)

    @classmethod
    def open(cls, vault: Vault, candidate_limit: int = CANDIDATE_LIMIT) -> Matcher:
        return cls(PersonIndex.open(vault), candidate_limit)

    def candidate_pairs(
        self, features: Features, counts: BlockingCounts | None = None
    ) -> tuple[IntArray, IntArray]:
        """(query, index row) pairs from the index's keys, at most candidate_limit per query;
        what the keys did added to `counts` if given."""
        found = self._candidates(record_keys(features), len(features), self.candidate_limit, counts)
        return found.query, found.row

    def _candidates(
        self,
        keys: RecordKeys,
        queries: int,
        limit: int,
        counts: BlockingCounts | None = None,
        first_limit: int | None = None,
    ) -> CandidateRows:
        return self.index.candidate_rows(
            self.index.hashes_of(keys.keys), keys, limit, counts, queries, first_limit
        )

    def score_looking_wider(
        self,
        records: PersonRecords,
        wider_limit: int,
        counts: BlockingCounts | None = None,
        keys: RecordKeys | None = None,
    ) -> tuple[MatchedPairs, CandidateRows]:
        """Every query's first candidates scored, as `score` scores them, and the candidates
        a wider look would take (`wider_limit` per query; `first` marks those scored, which
        are the scored pairs in their order): a second look at some queries then needs
        neither their keys nor their blocks again (`score_pairs`). `keys`: the records'
        blocking keys, where the caller has them."""
        if not len(records):
            nothing = np.empty(0, np.int64)
            return self._no_pairs(), CandidateRows(nothing, nothing, np.zeros(0, dtype=bool))
        found = self._candidates(
            keys or record_keys(Features.build(records)),
            len(records),
            max(wider_limit, self.candidate_limit),
            counts,
            self.candidate_limit,
        )
        return self.score_pairs(records, found.query[found.first], found.row[found.first]), found

    def score(self, records: PersonRecords, counts: BlockingCounts | None = None) -> MatchedPairs:
        """Every candidate pair of every query record, scored; what the blocking keys did added
        to `counts` if given."""
        if not len(records):
            return self._no_pairs()
        query, rows = self.candidate_pairs(Features.build(records), counts)
        return self.score_pairs(records, query, rows)

    def score_pairs(self, records: PersonRecords, query: IntArray, rows: IntArray) -> MatchedPairs:
        """These (query, index row) pairs of the records, scored: a pair's score is its own,
        whatever else is scored with it."""
        if not len(rows):
            return self._no_pairs()
        unique_rows, position = np.unique(rows, return_inverse=True)
        candidates = self.index.person_records(unique_rows)
        return score_record_pairs(
            self.model,
            records,
            candidates,
            query,
            position.astype(np.int64),
            rows,
            self.index.person_ids(rows),
        )

    def _no_pairs(self) -> MatchedPairs:
        nothing = np.empty(0, np.int64)
        return MatchedPairs(
            query=nothing,
            row=nothing,
            person_id=nothing,
            probability=np.empty(0, np.float64),
            match_weight=np.empty(0, np.float64),
            levels=np.empty((0, len(self.comparisons)), np.int64),
            adjustments={},
        )

    def match(self, record: Mapping[str, Any], limit: int = 5) -> list[MatchCandidate]:
        """The best candidate persons for one record, most probable first, explained."""
        return self.match_many([record], limit)[0]

    def match_many(
        self, records: Sequence[Mapping[str, Any]], limit: int = 5
    ) -> list[list[MatchCandidate]]:
        """`match` for many records at once: one scoring pass over all their candidates."""
        if not records:
            return []
        pairs = self.score(query_records(records))
        # each query's pairs, most probable first; one per person (a person's best record)
        order = np.lexsort((-pairs.probability, pairs.query))
        chosen: list[list[int]] = [[] for _ in records]
        seen: list[set[int]] = [set() for _ in records]
        for i in order.tolist():
            query, person = int(pairs.query[i]), int(pairs.person_id[i])
            if person not in seen[query] and len(chosen[query]) < limit:
                seen[query].add(person)
                chosen[query].append(i)
        flat = [i for best in chosen for i in best]
        rows = iter(self.index.person_records(pairs.row[flat]).table.to_pylist())
        return [[self._candidate(pairs, i, next(rows)) for i in best] for best in chosen]

    def _candidate(self, pairs: MatchedPairs, i: int, fields: dict[str, Any]) -> MatchCandidate:
        adjustments = {c: float(a[i]) for c, a in pairs.adjustments.items()}
        explanation = self.model.explain(pairs.levels[i], adjustments)
        return MatchCandidate(
            person_id=int(pairs.person_id[i]),
            record_id=str(fields.pop("record_id")),
            probability=float(pairs.probability[i]),
            match_weight=float(pairs.match_weight[i]),
            match_key=explanation["match_key"],
            explanation=explanation,
            record={k: v for k, v in fields.items() if v is not None},
        )
