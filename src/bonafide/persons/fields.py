"""The person fields resolve reads from the registries, as SQL and as person records."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from bonafide.linkage.comparisons import full_name_sql
from bonafide.linkage.records import PERSON_FIELDS, PersonRecords
from bonafide.registry.schema import KINDS, Kind

__all__ = [
    "EXACT_ROW",
    "IDENTITY_FIELDS",
    "LINK_COLUMNS",
    "LINK_FIELDS",
    "WHOLE_NAME_SQL",
    "as_person_records",
    "known_to_the_day",
    "lookup_fields_sql",
    "person_columns",
    "select_sql",
]

# A lookup's column in a batch: the index row it is written exactly as (`_mark_exact_lookups`),
# -1 for none. Only resolve's lookups have it; `link_batch` takes batches with or without it.
EXACT_ROW = "exact_row"
# Fields compared when linking another registry's records to persons. A residence address is
# not a birth place, so places are left out; the rest mean the same in every registry.
LINK_FIELDS = ("surname", "given_name", "patronymic", "full_name", "birth_date", "sex")
IDENTITY_FIELDS = (*LINK_FIELDS, "personal_number", "passport_number", "birth_place")
# The person fields another registry's records are looked up by (`person_columns`).
LINK_COLUMNS = (*LINK_FIELDS, "personal_number")
# A record's name as one text, as features read it, over `select_sql`'s columns.
WHOLE_NAME_SQL = full_name_sql("full_name", "surname", "given_name", "patronymic")


def person_columns(kind: Kind) -> list[str]:
    """The person fields a registry of `kind` has, of those resolve reads."""
    present = set(KINDS[kind].field_names)
    wanted = IDENTITY_FIELDS if kind is Kind.IDENTITY else LINK_COLUMNS
    return [f for f in wanted if f in present]


def _birth_date_sql() -> str:
    # year- or month-precise dates keep only their known digits: "1985" compares as same year
    return (
        "CASE birth_date_precision WHEN 'day' THEN strftime(birth_date, '%Y%m%d') "
        "WHEN 'month' THEN strftime(birth_date, '%Y%m') "
        "WHEN 'year' THEN strftime(birth_date, '%Y') END"
    )


def select_sql(kind: Kind, columns: tuple[str, ...] | list[str]) -> str:
    """The columns from a registry's table, the birth date as text of its precision; null where
    the registry has no such field (so registries can be read as one)."""
    present = set(person_columns(kind))
    return ", ".join(
        f"{_birth_date_sql() if c == 'birth_date' else c} AS {c}"
        if c in present
        else f"CAST(NULL AS VARCHAR) AS {c}"
        for c in columns
    )


def lookup_fields_sql(kind: Kind, source: str, keep: tuple[str, ...] = ()) -> str:
    """SQL: the records of `source` (a FROM clause whose registry rows of `kind` are aliased r)
    as a lookup reads them: record_key, record_id, the `keep` columns of r, the name as one
    text, the birth date as text of its precision, sex and personal number. The second looks
    score such records against persons as resolve's lookups are scored."""
    kept = "".join(f"{column}, " for column in keep)
    kept_from_source = "".join(f"r.{column}, " for column in keep)
    return (
        f"SELECT record_key, record_key AS record_id, {kept}{WHOLE_NAME_SQL} AS full_name, "
        f"birth_date, sex, personal_number FROM (SELECT r.record_key, {kept_from_source}"
        f"{select_sql(kind, LINK_COLUMNS)} FROM {source})"
    )


def known_to_the_day(column: str) -> str:
    """SQL: whether a date column (with its `_precision` beside it) holds a whole date."""
    return f"{column} IS NOT NULL AND {column}_precision = 'day'"


def as_person_records(table: pa.Table) -> PersonRecords:
    """The person fields as text, and a lookup's EXACT_ROW where the table has it. Identity
    records give their place of birth as the `settlement` the place comparison reads."""
    rows = table.num_rows
    if "birth_place" in table.column_names and "settlement" not in table.column_names:
        table = table.append_column("settlement", table.column("birth_place"))
    columns = {
        f: (
            pc.cast(table.column(f), pa.string())
            if f in table.column_names
            else pa.nulls(rows, pa.string())
        )
        for f in PERSON_FIELDS
    }
    if EXACT_ROW in table.column_names:
        columns[EXACT_ROW] = pc.cast(table.column(EXACT_ROW), pa.int64())
    return PersonRecords(pa.table(columns))
