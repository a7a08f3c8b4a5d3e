"""Each resolved person's registry records, on disk, for verifying claims without a query.

Written by `bonafide registry resolve` into the person index's generation (`files.py`): one
uncompressed Arrow file per registry kind, sorted by person id, sealed, decrypted into memory
when opened. A person's records are one binary search and a slice away, whatever the
registry's size — a DuckDB point query against a 30 M-row registry costs more than the whole
dossier's budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from bonafide.persons.files import Generation
from bonafide.registry.ddl import registry_table
from bonafide.registry.schema import Kind
from bonafide.registry.store import RegistryStore

__all__ = ["HISTORY_KINDS", "Histories", "write_histories"]

IntArray = npt.NDArray[np.int64]

# The columns verification reads from each kind, besides person_id and record_id.
_COLUMNS: dict[Kind, tuple[str, ...]] = {
    Kind.IDENTITY: (
        "surname",
        "given_name",
        "patronymic",
        "birth_date",
        "sex",
        "personal_number",
        "passport_number",
        "birth_place",
        "issued_on",
        "record_created",
        "died_on",
    ),
    Kind.RESIDENCE: (
        "region",
        "district",
        "settlement",
        "street",
        "house",
        "flat",
        "registered_from",
        "registered_to",
        "deregistration_reason",
    ),
    Kind.EDUCATION: (
        "institution",
        "institution_settlement",
        "level",
        "programme",
        "start_year",
        "graduation_year",
    ),
    Kind.EMPLOYMENT: (
        "employer",
        "employer_settlement",
        "position",
        "employed_from",
        "employed_to",
    ),
    Kind.WATCHLIST: ("surname", "given_name", "full_name", "birth_date", "organisation", "role"),
}
HISTORY_KINDS = tuple(_COLUMNS)


def _name(kind: Kind) -> str:
    return f"history-{kind.value}.arrow"


def write_histories(
    store: RegistryStore, generation: Generation, batch_rows: int = 1_000_000
) -> dict[str, int]:
    """Write every kind's linked records sorted by person; returns the rows written per kind.
    Streamed from the store into the sealed file `batch_rows` at a time: at 10 M people one
    kind's records are gigabytes."""
    written = {}
    for kind, columns in _COLUMNS.items():
        select = ", ".join(f"r.{c}" for c in columns)
        # a person's records in the order of their keys' hashes: as fixed as the keys' own
        # order, and a fixed-width key sorts faster (at 10 M people the store's sort of the
        # residence history took 30 s of processor time so, 48 s by the 32-character key)
        with store.reading(
            f"history of {kind.value}",
            f"SELECT l.person_id, r.record_id, l.probability, {select} "
            f"FROM person_links l JOIN {registry_table(kind)} r ON r.record_key = l.record_key "
            f"WHERE l.kind = '{kind.value}' ORDER BY l.person_id, hash(r.record_key)",
            batch_rows,
            # the store makes the next batch while this one is sealed: at 1 M people 8.2–8.6 s
            # for every kind, against 9.1–9.5 s one after the other
            ahead=1,
        ) as reader:
            written[kind.value] = generation.write_arrow_batches(_name(kind), reader.schema, reader)
    return written


@dataclass
class History:
    """The records of one kind, sorted by person."""

    table: pa.Table
    person_ids: IntArray

    def of(self, person_id: int) -> pa.Table:
        start, end = self._span(person_id)
        return self.table.slice(start, end - start)

    def records(self, person_id: int) -> list[dict[str, Any]]:
        """The person's records as rows. Column by column: converting a slice of the table
        row by row costs a third more, and most persons have no record of a kind at all."""
        start, end = self._span(person_id)
        if start == end:
            return []
        names = self.table.column_names
        values = [column.slice(start, end - start).to_pylist() for column in self.table.columns]
        return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]

    def _span(self, person_id: int) -> tuple[int, int]:
        return (
            int(np.searchsorted(self.person_ids, person_id, side="left")),
            int(np.searchsorted(self.person_ids, person_id, side="right")),
        )


class Histories:
    """Every kind's history, in memory."""

    def __init__(self, kinds: dict[Kind, History]) -> None:
        self.kinds = kinds

    @classmethod
    def open(cls, generation: Generation) -> Histories:
        kinds = {}
        for kind in HISTORY_KINDS:
            table = generation.read_arrow(_name(kind))
            ids = np.asarray(table.column("person_id").to_numpy(), dtype=np.int64)
            kinds[kind] = History(table, ids)
        return cls(kinds)

    def of(self, kind: Kind, person_id: int) -> pa.Table:
        return self.kinds[kind].of(person_id)

    def records(self, kind: Kind, person_id: int) -> list[dict[str, Any]]:
        return self.kinds[kind].records(person_id)
