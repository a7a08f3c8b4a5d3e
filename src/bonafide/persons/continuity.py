"""Periods that continue one another: a second look at records left without a person.

A residence registration ends the day the next one begins, and a job often the day the next
one starts. A woman's records from before her marriage carry her maiden name: agreeing with
her identity record on given name, patronymic and birth date only, they fall short of the
evidence a lookup needs in a large population (its prior is one in the number of persons;
docs/benchmarks.md). The registry itself holds more evidence: her registration under her
maiden name ends the day (or the day before) her first one under her married name begins,
and that one is linked. A stranger's records touch hers so only by chance.

So once the links are written, each record of a kind with periods that is still without a
person, born on a day, is scored again against every person with a linked record of the same
registry and birth date whose period continues it (begins the day the record's ends or the
day after, or ends the day it begins or the day before): the lookup's own score, plus the
continuation's evidence log2(m / u), as one more comparison of the Fellegi–Sunter model:

- m, how often one person's period is continued by another of theirs: learned from the
  registry's sure links, each time the pass runs;
- u, how often it is by someone else: the linked periods touching the record's (beginning
  or ending on those days), over the number of persons.

A record continued by several persons' records has them compete, as a lookup's candidates do;
the best is linked at 0.5, as a lookup is. Records linked so continue others in turn (a maiden name
held over several addresses), so the pass repeats until it links nothing new, ROUNDS at most.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import PersonRecords
from bonafide.persons.fields import (
    as_person_records,
    known_to_the_day,
    lookup_fields_sql,
)
from bonafide.persons.pair_weights import (
    identity_records,
    insert_links,
    linked_at_threshold,
    pair_weights,
    with_identity_records,
)
from bonafide.registry.ddl import registry_table
from bonafide.registry.schema import KINDS, Kind
from bonafide.registry.store import RegistryStore

__all__ = ["CONTINUED_KINDS", "ContinuityReport", "Periods", "link_continuations"]

log = logging.getLogger(__name__)
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
SURE = 0.9  # links m is learned from
ROUNDS = 4
# How many days after a period ends the one continuing it may begin: the same day where the
# registry writes the last day as the next one's first, the day after where it writes the
# last day held.
GAP_DAYS = 1
MIN_LEARNED = 1_000  # sure periods m is learned from; with fewer there is no pass
SHARE_SAMPLE = 200_000  # about as many sure periods m is learned from, of whole persons


@dataclass(frozen=True)
class Periods:
    """A registry's period: the fields its first and last days are in."""

    kind: Kind
    start: str
    stop: str


CONTINUED_KINDS = (
    Periods(Kind.RESIDENCE, "registered_from", "registered_to"),
    Periods(Kind.EMPLOYMENT, "employed_from", "employed_to"),
)


@dataclass
class ContinuityReport:
    """Per kind: the share of sure links continued (m), pairs scored, records linked."""

    continued_share: dict[str, float] = field(default_factory=dict)
    pairs: dict[str, int] = field(default_factory=dict)
    linked_by_round: dict[str, list[int]] = field(default_factory=dict)

    @property
    def linked(self) -> dict[str, int]:
        return {kind: sum(rounds) for kind, rounds in self.linked_by_round.items()}


def link_continuations(
    store: RegistryStore,
    model: LinkageModel,
    persons: int,
    report: ContinuityReport,
    asked: Mapping[Kind, str] | None = None,
    workers: int = 1,
) -> None:
    """Link the records of CONTINUED_KINDS without a person to the persons whose linked periods
    continue theirs, where that makes them probable (module text); `model` scores the
    records as a lookup's are, its prior one in `persons`. `asked`: per kind, an SQL condition
    on the registry's rows choosing the records to look at (a resolve's own; default all)."""
    model = replace(model, prior=1.0 / max(persons, 2))
    for periods in CONTINUED_KINDS:
        fields = set(KINDS[periods.kind].field_names)
        if periods.start not in fields or periods.stop not in fields:
            continue
        kind = periods.kind.value
        _gather_periods(store, periods, (asked or {}).get(periods.kind, "TRUE"))
        try:
            share = _continued_share(store)
            if share is None:
                continue
            report.continued_share[kind] = share
            seen = _Seen()
            for round_number in range(1, ROUNDS + 1):
                pairs, linked = _one_round(
                    store, periods.kind, round_number, model, persons, share, seen, workers
                )
                report.pairs[kind] = report.pairs.get(kind, 0) + pairs
                report.linked_by_round.setdefault(kind, []).append(linked)
                if not linked:
                    break
        finally:
            for temporary in (_PERIODS, _OPEN, _DAYS):
                store.execute("drop a table of periods", f"DROP TABLE IF EXISTS {temporary}")
        log.info(
            "resolve continuity kind=%s share=%.3f pairs=%d linked=%d rounds=%d",
            kind,
            share,
            report.pairs.get(kind, 0),
            sum(report.linked_by_round.get(kind, [])),
            len(report.linked_by_round.get(kind, [])),
        )


# The kind's records born on a known day whose periods begin on one: `person_id` (null
# without a person), `linked_round` (0: by the resolve's lookups; null without a person),
# `birth_date`, `first_day`, `last_day`; `record_key` and `asked` for those without a person.
_PERIODS = "continuity_periods"
# The asked records' fields, as a lookup reads them: `period` (its row in `_PERIODS`),
# `record_key`, `record_id` and the LINK_COLUMNS of a lookup.
_OPEN = "continuity_open_records"
# How many linked periods begin (`starts`) and end (`ends`) on each `day`.
_DAYS = "continuity_days"


def _gather_periods(store: RegistryStore, periods: Periods, asked: str) -> None:
    """The kind's periods, read once (`_PERIODS`), the asked records' fields (`_OPEN`), and
    the linked periods' days (`_DAYS`)."""
    kind, table = periods.kind.value, registry_table(periods.kind)
    store.execute(
        "gather periods",
        f"""
        CREATE OR REPLACE TEMP TABLE {_PERIODS} AS
        SELECT CASE WHEN l.person_id IS NULL THEN r.record_key END AS record_key,
            l.person_id IS NULL AND ({asked}) AS asked, l.person_id, l.probability,
            CASE WHEN l.person_id IS NOT NULL THEN 0 END AS linked_round, r.birth_date,
            r.{periods.start} AS first_day,
            CASE WHEN {known_to_the_day("r." + periods.stop)} THEN r.{periods.stop} END AS last_day
        FROM {table} r
        LEFT JOIN (SELECT record_key, person_id, probability FROM person_links
            WHERE kind = '{kind}') l ON l.record_key = r.record_key
        WHERE {known_to_the_day("r.birth_date")} AND {known_to_the_day("r." + periods.start)}
        """,
    )
    # read once, not by each round: at 10 M people reading the registry again took half of a
    # round's query (5 s of processor time for the residence registry)
    store.execute(
        "gather the fields of records without a person",
        f"""
        CREATE OR REPLACE TEMP TABLE {_OPEN} AS
        SELECT p.period, r.* FROM ({lookup_fields_sql(periods.kind, f"{table} r")}) r
        JOIN (SELECT rowid AS period, record_key FROM {_PERIODS} WHERE asked) p
            ON p.record_key = r.record_key
        """,
    )
    store.execute(
        "count linked periods by day",
        f"""
        CREATE OR REPLACE TEMP TABLE {_DAYS} AS
        SELECT day, sum(starts) AS starts, sum(ends) AS ends FROM (
            SELECT first_day AS day, 1 AS starts, 0 AS ends FROM {_PERIODS}
                WHERE person_id IS NOT NULL
            UNION ALL
            SELECT last_day, 0, 1 FROM {_PERIODS}
                WHERE person_id IS NOT NULL AND last_day IS NOT NULL
        ) GROUP BY day
        """,
    )


def _continued_share(store: RegistryStore) -> float | None:
    """m: of the sure links' periods (of a sample of persons), the share continued by another
    of the same person's linked periods of the same birth date, at either end; None with too
    few to learn it."""
    sure = int(
        store.scalar(
            "count sure periods", f"SELECT count(*) FROM {_PERIODS} WHERE probability >= {SURE}"
        )
    )
    if sure < MIN_LEARNED:
        return None
    # every period of a sample of persons: each one's others are all there
    buckets = max(1, sure // SHARE_SAMPLE)
    sampled = (
        f"(SELECT rowid AS period, * FROM {_PERIODS} "
        f"WHERE person_id IS NOT NULL AND hash(person_id) % {buckets} = 0)"
    )
    row = store.execute(
        "learn how often periods continue one another",
        f"""
        WITH sure AS (SELECT * FROM {sampled} WHERE probability >= {SURE}),
        continued AS (
            SELECT DISTINCT o.period FROM ({_ends_sql("sure")}) o
            JOIN sure s USING (period)
            JOIN ({_days_sql(sampled)}) k ON k.birth_date = o.birth_date AND k.day = o.day
                AND k.side = o.side AND k.person_id = s.person_id AND k.period <> o.period
        )
        SELECT (SELECT count(*) FROM sure), (SELECT count(*) FROM continued)
        """,
    )[0]
    records, continued = int(row[0]), int(row[1])
    if records < MIN_LEARNED or not continued:
        return None
    return continued / records


@dataclass
class _Seen:
    """What a kind's rounds have found so far: every pair of a record without a person and a
    person whose linked period continues it (a later round's pairs are those of the earlier
    rounds and those of the periods the last one linked: the records' other linked periods
    were there before), and the identity records of every person among them (a later round's
    persons were an earlier round's)."""

    pairs: pa.Table = field(
        default_factory=lambda: pa.table(
            {"period": pa.array([], pa.int64()), "person_id": pa.array([], pa.int64())}
        )
    )
    identities: PersonRecords | None = None
    identity_person: IntArray = field(default_factory=lambda: np.empty(0, np.int64))
    # the persons whose identity records are read, sorted: a later round finds its persons
    # there by a search, where a set difference sorted every identity record's person again
    # (at 10 M people 2–3 s a round, finding none new)
    read_persons: IntArray = field(default_factory=lambda: np.empty(0, np.int64))

    def add_pairs(self, period: IntArray, person: IntArray) -> None:
        found = pa.table({"period": pa.array(period), "person_id": pa.array(person)})
        self.pairs = pa.concat_tables([self.pairs, found])

    def identity_records(
        self, store: RegistryStore, persons: IntArray
    ) -> tuple[PersonRecords, IntArray]:
        """The identity records of `persons` among others, and each one's person."""
        new = _not_among(persons, self.read_persons)
        if len(new) or self.identities is None:
            records, person = identity_records(store, new)
            self.read_persons = np.union1d(self.read_persons, new)
            if self.identities is not None:
                records = PersonRecords(pa.concat_tables([self.identities.table, records.table]))
                person = np.concatenate([self.identity_person, person])
            self.identities, self.identity_person = records, person
        return self.identities, self.identity_person


def _not_among(values: IntArray, sorted_values: IntArray) -> IntArray:
    """The values not among `sorted_values` (sorted)."""
    if not len(sorted_values):
        return values
    at = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    absent: IntArray = values[sorted_values[at] != values]
    return absent


@dataclass
class _Candidates:
    """Records without a person and the persons whose periods continue theirs."""

    records: pa.Table  # record_key and the lookup's fields, one row per record
    record: IntArray  # per pair: the record's row
    period: IntArray  # per pair: the record's period (its row in `_PERIODS`)
    person: IntArray  # per pair: the person
    touching: IntArray  # per pair: linked periods touching the record's, anyone's


def _one_round(
    store: RegistryStore,
    kind: Kind,
    round_number: int,
    model: LinkageModel,
    persons: int,
    share: float,
    seen: _Seen,
    workers: int,
) -> tuple[int, int]:
    """Score and link the asked records a period linked in the last round continues;
    (pairs scored, records linked)."""
    candidates = _candidates(store, kind, round_number - 1, seen.pairs)
    if candidates is None:
        return 0, 0
    seen.add_pairs(candidates.period, candidates.person)
    identities, identity_person = seen.identity_records(store, np.unique(candidates.person))
    pair, identity_row = with_identity_records(candidates.person, identity_person)
    records = as_person_records(candidates.records)
    query = candidates.record[pair]
    weight = pair_weights(model, records, identities, query, identity_row, workers)
    u = np.maximum(candidates.touching[pair], 1) / max(persons, 2)
    weight += np.log2(share / np.minimum(u, 1.0))
    linked, person, probability = linked_at_threshold(
        len(records), query, identity_row, identity_person, weight
    )
    table = pa.table(
        {
            "record_key": candidates.records.column("record_key").take(pa.array(linked)),
            "period": candidates.records.column("period").take(pa.array(linked)),
            "person_id": pa.array(person, pa.int64()),
            "probability": pa.array(probability, pa.float64()),
        }
    )
    insert_links(store, kind, table.drop_columns(["period"]), "write links of continued periods")
    with store.scanning("continued_links", table):
        store.execute(
            "mark the periods linked",
            f"UPDATE {_PERIODS} p SET person_id = c.person_id, probability = c.probability, "
            f"linked_round = {round_number}, asked = false, record_key = NULL "
            "FROM continued_links c WHERE p.rowid = c.period",
        )
    return len(candidates.person), len(linked)


def _ends_sql(source: str) -> str:
    """SQL: each period of `source` under the keys of the periods that may continue it (side
    1: beginning on the day it ends, or up to GAP_DAYS after) or that it may continue (side 2:
    ending on the day it begins, or up to GAP_DAYS before): (period, birth_date, day, side)."""
    parts = []
    for gap in range(GAP_DAYS + 1):
        parts.append(
            f"SELECT period, birth_date, last_day + {gap} AS day, 1 AS side FROM {source} "
            "WHERE last_day IS NOT NULL"
        )
        parts.append(f"SELECT period, birth_date, first_day - {gap}, 2 FROM {source}")
    return " UNION ALL ".join(parts)


def _days_sql(source: str) -> str:
    """SQL: each period of `source` under the keys `_ends_sql` finds it by: its first day on
    side 1, its last on side 2, with its person: (period, person_id, birth_date, day, side)."""
    return (
        f"SELECT period, person_id, birth_date, first_day AS day, 1 AS side FROM {source} "
        f"UNION ALL SELECT period, person_id, birth_date, last_day, 2 FROM {source} "
        "WHERE last_day IS NOT NULL"
    )


def _candidates(
    store: RegistryStore, kind: Kind, last_round: int, seen_pairs: pa.Table
) -> _Candidates | None:
    """The asked records without a person that a period linked in `last_round` continues,
    with each person whose linked period of the same birth date continues theirs
    (`GAP_DAYS`): after the first round, those of the periods linked in the last one and those
    of the earlier rounds (`seen_pairs`: at 10 M people each round's scan of every linked
    period took a third of its query)."""
    open_periods = f"(SELECT rowid AS period, * FROM {_PERIODS} WHERE asked)"
    if last_round == 0:
        touched = open_periods  # every link is new
        continuing = f"(SELECT rowid AS period, * FROM {_PERIODS} WHERE person_id IS NOT NULL)"
        earlier = ""
    else:
        continuing = (
            f"(SELECT rowid AS period, * FROM {_PERIODS} WHERE linked_round = {last_round})"
        )
        touched = (
            f"(SELECT * FROM {open_periods} SEMI JOIN ("
            f"SELECT o.period FROM ({_ends_sql(open_periods)}) o "
            f"JOIN ({_days_sql(continuing)}) k USING (birth_date, day, side)) t USING (period))"
        )
        earlier = (
            "UNION SELECT s.period, s.person_id FROM seen_pairs s SEMI JOIN touched t "
            "USING (period)"
        )
    with store.scanning("seen_pairs", seen_pairs):
        pairs = store.arrow(
            "find periods continued by linked ones",
            f"""
        WITH touched AS ({touched}),
        ends AS ({_ends_sql("touched")}),
        pairs AS (
            SELECT DISTINCT o.period, k.person_id FROM ends o
            JOIN ({_days_sql(continuing)}) k USING (birth_date, day, side) {earlier}
        ),
        counted AS (
            SELECT o.period, sum(CASE o.side WHEN 1 THEN d.starts ELSE d.ends END) AS touching
            FROM ends o JOIN {_DAYS} d ON d.day = o.day
            WHERE o.period IN (SELECT period FROM pairs) GROUP BY o.period
        ),
        fields AS (SELECT * FROM {_OPEN} SEMI JOIN pairs p USING (period))
        SELECT p.person_id, c.touching, f.*
        FROM pairs p JOIN counted c USING (period) JOIN fields f USING (period)
        ORDER BY p.period, p.person_id
        """,
        )
    if not pairs.num_rows:
        return None
    period = np.asarray(pairs.column("period").to_numpy(), dtype=np.int64)
    _, first, record = np.unique(period, return_index=True, return_inverse=True)
    return _Candidates(
        records=pairs.take(pa.array(first)),
        record=record.astype(np.int64),
        period=period,
        person=np.asarray(pairs.column("person_id").to_numpy(), dtype=np.int64),
        touching=np.asarray(pairs.column("touching").to_numpy(), dtype=np.int64),
    )
