"""The registry store as FollowTheMoney JSON Lines: every record, and the resolved persons.

Streaming: records are read a page at a time (keyset pages in import and row order), persons a
page of persons at a time, and each entity is written as soon as it is made. What is kept in
memory besides a page is the set of Address and Organization ids already written (8 bytes of
each id, so each shared entity is written once), which grows with the distinct addresses and
organisations, not with the records.

Order of the output: each registry kind's records (shared entities before the first record
naming them, then the record's Person, then its link), then the resolved persons, each a
`Person` whose `referents` are the written record entities it was resolved from. A person none
of whose records is written (`--kind` leaves them out) is not written either.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from bonafide.ftm.entities import (
    Record,
    RecordSource,
    record_entities,
    record_person_id,
    resolved_person,
)
from bonafide.ftm.ids import EntityIds
from bonafide.ftm.model import Entity
from bonafide.registry.ddl import registry_table
from bonafide.registry.schema import Kind
from bonafide.registry.sql import literal
from bonafide.registry.store import RegistryStore

__all__ = ["ExportCounts", "export_ftm"]

PAGE = 20_000
_SHARED = frozenset(("Address", "Organization"))

Progress = Callable[[str], None]


@dataclass
class ExportCounts:
    records: dict[str, int] = field(default_factory=dict)  # kind → records written
    persons: int = 0
    entities: int = 0


def export_ftm(
    store: RegistryStore,
    ids: EntityIds,
    out: TextIO,
    kinds: Sequence[Kind] = tuple(Kind),
    persons: bool = True,
    progress: Progress | None = None,
    page: int = PAGE,
) -> ExportCounts:
    """Write the records of `kinds` and (with `persons`) the resolved persons to `out`."""
    counts = ExportCounts()
    written: set[int] = set()

    def write(entity: Entity) -> None:
        if entity["schema"] in _SHARED:
            short = int(entity["id"][-16:], 16)
            if short in written:
                return
            written.add(short)
        out.write(json.dumps(entity, ensure_ascii=False, separators=(",", ":")) + "\n")
        counts.entities += 1

    for kind in kinds:
        counts.records[kind.value] = 0
        for record in _records(store, kind, page):
            source = RecordSource.of(kind.value, record, record.get("file_name"))
            for entity in record_entities(ids, record, source):
                write(entity)
            counts.records[kind.value] += 1
            if progress and counts.records[kind.value] % page == 0:
                progress(f"{kind.value}: {counts.records[kind.value]:,} records")
    if persons:
        for person in _persons(store, ids, kinds, page):
            write(person)
            counts.persons += 1
    return counts


def _rows(table: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def _records(store: RegistryStore, kind: Kind, page: int) -> Iterator[Record]:
    """A kind's records with their import's file name, a page at a time."""
    table = registry_table(kind)
    last_import, last_row = -1, -1
    while True:
        rows = _rows(
            store.arrow(
                f"read {kind.value} records for export",
                f"SELECT r.*, i.file_name FROM {table} r JOIN imports i USING (import_id) "
                "WHERE r.import_id > ? OR (r.import_id = ? AND r.source_row > ?) "
                "ORDER BY r.import_id, r.source_row LIMIT ?",
                [last_import, last_import, last_row, page],
            )
        )
        yield from rows
        if len(rows) < page:
            return
        last_import, last_row = int(rows[-1]["import_id"]), int(rows[-1]["source_row"])


def _has_links(store: RegistryStore) -> bool:
    return bool(store.scalar("any person links", "SELECT count(*) > 0 FROM person_links"))


def _persons(
    store: RegistryStore, ids: EntityIds, kinds: Sequence[Kind], page: int
) -> Iterator[Entity]:
    """The resolved persons, a page of persons at a time."""
    if not kinds or not _has_links(store):
        return
    kind_list = ", ".join(literal(k.value) for k in kinds)
    identity = registry_table(Kind.IDENTITY)
    last = -1
    while True:
        bounds = store.execute(
            "page of persons for export",
            "SELECT min(person_id), max(person_id), count(*) FROM (SELECT DISTINCT person_id "
            "FROM person_links WHERE person_id > ? ORDER BY person_id LIMIT ?)",
            [last, page],
        )[0]
        if not bounds[2]:
            return
        low, high = int(bounds[0]), int(bounds[1])
        records: dict[int, list[dict[str, Any]]] = {}
        for row in _rows(
            store.arrow(
                "identity records of persons for export",
                f"SELECT l.person_id AS _person, r.* FROM person_links l JOIN {identity} r "
                "ON r.record_key = l.record_key WHERE l.kind = 'identity' "
                "AND l.person_id BETWEEN ? AND ? ORDER BY l.person_id, r.import_id, r.source_row",
                [low, high],
            )
        ):
            records.setdefault(int(row["_person"]), []).append(row)
        referents: dict[int, list[str]] = {}
        for person_id, kind, record_key in store.execute(
            "records of persons for export",
            "SELECT person_id, kind, record_key FROM person_links WHERE person_id BETWEEN ? "
            f"AND ? AND kind IN ({kind_list}) ORDER BY person_id, kind, record_key",
            [low, high],
        ):
            referents.setdefault(int(person_id), []).append(
                record_person_id(ids, str(kind), str(record_key))
            )
        for person_id in sorted(records):
            if person_id in referents:
                yield resolved_person(ids, person_id, records[person_id], referents[person_id])
        last = high
