"""Records under a name their person no longer bears: a look through the person's other records.

A woman's school and university records carry her maiden name, and so do her registrations
from before her marriage. Agreeing with her identity record on given name, patronymic and
birth date only, they fall short of the evidence a lookup needs in a large population
(docs/benchmarks.md). Once some record under that name is linked to her — a registration
continued by one under her married name (`continuity.py`), or one that carried her personal
number — the registries hold the name she was known by.

So each record still without a person, of a registry that writes the surname apart and born
on a known day, is scored against the linked records of the same birth date whose surname
reads alike (the consonants of its Latin reading, `names.skeleton`, so that scripts and
schemes meet) as a lookup is scored against identity records: the link model, the prior of a
lookup, and the other record's own link probability folded in (its log2 added to the weight).
The candidate persons compete as a lookup's do; the best is linked at 0.5, as a lookup is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bonafide.errors import StoreError
from bonafide.linkage.model import LinkageModel
from bonafide.names import reading, skeleton
from bonafide.persons.fields import (
    LINK_COLUMNS,
    as_person_records,
    known_to_the_day,
    lookup_fields_sql,
    person_columns,
    select_sql,
)
from bonafide.persons.pair_weights import insert_links, linked_at_threshold, pair_weights
from bonafide.registry.ddl import registry_table
from bonafide.registry.schema import KINDS, Kind
from bonafide.registry.store import RegistryStore

__all__ = [
    "FormerNamesReport",
    "keep_value_keys",
    "link_former_names",
    "named_kinds",
    "surname_key",
]

log = logging.getLogger(__name__)
IntArray = npt.NDArray[np.int64]
_KEYS = "former_surname_keys"  # each distinct surname (as stored) and its `surname_key`
# The linked records bearing a surname none of their person's identity records bears, one
# per person and name as compared (the most probably linked): person_id, probability,
# known_kind (its kind's place in the kinds looked at), known_key, birth_date, surname_key.
_FORMER = "former_names"
# The asked records without a person, born on a known day, with a surname key: kind (its
# place in the kinds looked at), record_key, birth_date, surname_key.
_OPEN = "former_open_records"


@dataclass
class FormerNamesReport:
    """Per kind: the pairs scored and the records linked."""

    pairs: dict[str, int] = field(default_factory=dict)
    linked: dict[str, int] = field(default_factory=dict)


def named_kinds() -> list[Kind]:
    """The registries other than identity whose records write the surname apart, with a
    birth date."""
    return [
        kind
        for kind, spec in KINDS.items()
        if kind is not Kind.IDENTITY and {"surname", "birth_date"} <= set(spec.field_names)
    ]


def surname_key(surname: str) -> str:
    """What a surname is joined by: the consonants of each word's Latin reading."""
    return " ".join(skeleton(reading(word)) for word in surname.split())


def link_former_names(
    store: RegistryStore,
    model: LinkageModel,
    persons: int,
    report: FormerNamesReport,
    asked: Mapping[Kind, str] | None = None,
    workers: int = 1,
) -> None:
    """Link records without a person to the persons another of whose linked records bears
    their name (module text); `model` scores them as a lookup's records are, its prior one in
    `persons`. `asked`: per kind, an SQL condition on the registry's rows choosing the records
    to look at (a resolve's own; default all). The pairs are scored by `workers` forked
    processes."""
    kinds = [kind for kind in named_kinds() if _writes_surnames(store, kind)]
    if not kinds:
        return
    model = replace(model, prior=1.0 / max(persons, 2))
    keep_value_keys(store, _KEYS, "surname", "surname_key", surname_key, [Kind.IDENTITY, *kinds])
    try:
        _gather_open_records(store, kinds, asked or {})
        _gather_former_names(store, kinds)
        for kind in kinds:
            pairs, linked = _link_kind(store, kind, kinds, model, workers)
            report.pairs[kind.value] = pairs
            report.linked[kind.value] = linked
            log.info("resolve former names kind=%s pairs=%d linked=%d", kind.value, pairs, linked)
    finally:
        for table in (_KEYS, _OPEN, _FORMER):
            store.execute("drop a table of former names", f"DROP TABLE IF EXISTS {table}")


def _writes_surnames(store: RegistryStore, kind: Kind) -> bool:
    """Whether the registry holds a surname apart (its mapping may give the name whole)."""
    return bool(
        store.scalar(
            "check for surnames",
            f"SELECT EXISTS (SELECT 1 FROM {registry_table(kind)} WHERE surname IS NOT NULL)",
        )
    )


def keep_value_keys(
    store: RegistryStore,
    table: str,
    column: str,
    key: str,
    make: Callable[[str], str],
    kinds: list[Kind],
) -> None:
    """A temporary `table` of each distinct value of `column` in the registries of `kinds`
    and its `key` (`make` of it; Python once per distinct value, not per record), without the
    values whose key is empty."""
    values = store.arrow(
        f"read the distinct values of {column}",
        " UNION ".join(
            f"SELECT DISTINCT {column} FROM {registry_table(kind)} WHERE {column} IS NOT NULL"
            for kind in kinds
        ),
    ).column(column)
    keys = pa.table(
        {column: values, key: pa.array([make(str(v)) for v in values.to_pylist()], pa.string())}
    )
    with store.scanning("keys_found", keys):
        store.execute(
            f"keep the keys of {column}",
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM keys_found WHERE {key} <> ''",
        )


def _gather_open_records(
    store: RegistryStore, kinds: list[Kind], asked: Mapping[Kind, str]
) -> None:
    """The asked records without a person that a former name could be found for (`_OPEN`),
    a kind at a time (each kind's links are a hash table of their own: at 10 M people two at
    once exceeded the store's memory)."""
    store.execute(
        "make a table of records without a person",
        f"CREATE OR REPLACE TEMP TABLE {_OPEN} (kind TINYINT, record_key VARCHAR, "
        "birth_date DATE, surname_key VARCHAR)",
    )
    for number, kind in enumerate(kinds):
        store.execute(
            "gather records without a person",
            f"INSERT INTO {_OPEN} SELECT {number}, r.record_key, r.birth_date, k.surname_key "
            f"FROM (SELECT * FROM {registry_table(kind)} WHERE {asked.get(kind, 'TRUE')}) r "
            f"JOIN {_KEYS} k ON k.surname = r.surname "
            f"ANTI JOIN (SELECT record_key FROM person_links WHERE kind = '{kind.value}') l "
            "ON l.record_key = r.record_key "
            f"WHERE {known_to_the_day('r.birth_date')}",
        )


def _gather_former_names(store: RegistryStore, kinds: list[Kind]) -> None:
    identity = registry_table(Kind.IDENTITY)
    current = (
        f"SELECT l.person_id, k.surname_key FROM {identity} r "
        "JOIN person_links l ON l.record_key = r.record_key AND l.kind = 'identity' "
        f"JOIN {_KEYS} k ON k.surname = r.surname"
    )
    # only the linked records whose birth date and surname some record without a person
    # shares can be one's former name; chosen before the links are joined (by record keys of
    # 32 characters), at 10 M people the former names were gathered in 19 s instead of 41 s
    linked = " UNION ALL ".join(
        f"SELECT l.person_id, l.probability, CAST({number} AS TINYINT) AS known_kind, "
        "r.record_key AS known_key, r.birth_date, r.surname_key, r.name FROM ("
        f"SELECT r.record_key, r.birth_date, k.surname_key, hash({_name_columns(other)}) AS name "
        f"FROM {registry_table(other)} r JOIN {_KEYS} k ON k.surname = r.surname "
        "SEMI JOIN open_keys o "
        "ON o.birth_date = r.birth_date AND o.surname_key = k.surname_key "
        f"WHERE {known_to_the_day('r.birth_date')}) r "
        f"JOIN person_links l ON l.record_key = r.record_key AND l.kind = '{other.value}'"
        for number, other in enumerate(kinds)
    )
    store.execute(
        "gather former names",
        f"""
        CREATE OR REPLACE TEMP TABLE {_FORMER} AS
        WITH open_keys AS MATERIALIZED (SELECT DISTINCT birth_date, surname_key FROM {_OPEN})
        SELECT person_id, probability, known_kind, known_key, birth_date, surname_key
        FROM ({linked}) n
        ANTI JOIN ({current}) c ON c.person_id = n.person_id AND c.surname_key = n.surname_key
        QUALIFY row_number() OVER (
            PARTITION BY person_id, name ORDER BY probability DESC, known_key) = 1
        """,
    )


def _name_columns(kind: Kind) -> str:
    """SQL: the columns of a registry's row that its person fields are read from."""
    present = [f"r.{c}" for c in LINK_COLUMNS if c in person_columns(kind)]
    return ", ".join([*present, "r.birth_date_precision"])


def _link_kind(
    store: RegistryStore,
    kind: Kind,
    kinds: list[Kind],
    model: LinkageModel,
    workers: int,
) -> tuple[int, int]:
    """Score and link the kind's asked records without a person against the linked records
    bearing their name; (pairs scored, records linked)."""
    table = registry_table(kind)
    pairs = store.arrow(
        "find former names of records without a person",
        f"SELECT o.record_key, n.person_id, n.probability, n.known_kind, n.known_key "
        f"FROM {_OPEN} o JOIN {_FORMER} n USING (birth_date, surname_key) "
        f"WHERE o.kind = {kinds.index(kind)}",
    )
    if not pairs.num_rows:
        return 0, 0
    with store.scanning("former_pairs", pairs):
        bearing = f"{table} r SEMI JOIN former_pairs p ON p.record_key = r.record_key"
        records = store.arrow(
            "read records without a person bearing a known name",
            f"{lookup_fields_sql(kind, bearing)} ORDER BY record_key",
        )
        known_records = store.arrow(
            "read the linked records bearing their names",
            " UNION ALL ".join(
                f"SELECT CAST({number} AS TINYINT) AS known_kind, r.record_key AS known_key, "
                f"r.record_key AS record_id, {select_sql(other, LINK_COLUMNS)} "
                f"FROM {registry_table(other)} r SEMI JOIN "
                f"(SELECT * FROM former_pairs WHERE known_kind = {number}) p "
                "ON p.known_key = r.record_key"
                for number, other in enumerate(kinds)
            ),
        )
    record = _positions(records, pairs, ["record_key"], ["record_key"])
    known = _positions(
        known_records, pairs, ["known_kind", "known_key"], ["known_kind", "known_key"]
    )
    person = np.asarray(pairs.column("person_id").to_numpy(), dtype=np.int64)
    known_probability = np.asarray(pairs.column("probability").to_numpy(), dtype=np.float64)
    weight = pair_weights(
        model, as_person_records(records), as_person_records(known_records), record, known, workers
    )
    # the other record's own link is not certain: its log odds are at most its weight's
    weight += np.log2(np.clip(known_probability, 1e-9, 1.0))
    person_of_known = np.full(known_records.num_rows, -1, dtype=np.int64)
    person_of_known[known] = person
    chosen, chosen_person, probability = linked_at_threshold(
        records.num_rows, record, known, person_of_known, weight
    )
    links = pa.table(
        {
            "record_key": records.column("record_key").take(pa.array(chosen)),
            "person_id": pa.array(chosen_person, pa.int64()),
            "probability": pa.array(probability, pa.float64()),
        }
    )
    insert_links(store, kind, links, "write links of records bearing a former name")
    return pairs.num_rows, len(chosen)


def _positions(
    rows: pa.Table, pairs: pa.Table, row_columns: list[str], pair_columns: list[str]
) -> IntArray:
    """Each pair's row in `rows`, found by equal `row_columns` and `pair_columns`."""
    numbered = rows.select(row_columns).append_column(
        "position", pa.array(np.arange(rows.num_rows), pa.int64())
    )
    asked = pairs.select(pair_columns).append_column(
        "pair", pa.array(np.arange(pairs.num_rows), pa.int64())
    )
    joined = asked.join(numbered, pair_columns, row_columns).sort_by("pair")
    if joined.num_rows != pairs.num_rows:
        raise StoreError(
            f"{pairs.num_rows - joined.num_rows} records of the pairs were not read back",
            hint="report this: the registry changed while resolve read it",
        )
    return np.asarray(joined.column("position").to_numpy(), dtype=np.int64)
