"""Person records for linkage: a file and a mapping → one column per person field, as text.

The mapping is TOML: `[columns]` maps each person field to the source column that holds it,
`[date_formats]` gives strptime formats for date fields (see bench/febrl4/*.toml).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bonafide.errors import InputError, MappingError

__all__ = [
    "PERSON_FIELDS",
    "LinkMapping",
    "PersonRecords",
    "load_link_mapping",
    "normalise_date",
    "read_records",
]

PERSON_FIELDS = (
    "record_id",
    "surname",
    "given_name",
    "patronymic",
    "full_name",
    "birth_date",
    "sex",
    "personal_number",
    "passport_number",
    "birth_place",
    "settlement",
    "street",
    "house",
    "address_2",
    "postcode",
    "region",
)


@dataclass(frozen=True)
class LinkMapping:
    columns: dict[str, str]  # person field → source column
    date_formats: dict[str, str]


def load_link_mapping(path: Path) -> LinkMapping:
    """A linkage mapping, or an error naming the file, the field and the fix."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise MappingError(f"{path}: cannot read the mapping: {error}") from None
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise MappingError(f"{path}: no [columns] table", hint="map person fields to columns")
    unknown = sorted(set(columns) - set(PERSON_FIELDS))
    if unknown:
        raise MappingError(
            f"{path}: unknown person field(s) {', '.join(unknown)}",
            hint=f"use fields among: {', '.join(PERSON_FIELDS)}",
        )
    if "record_id" not in columns:
        raise MappingError(f"{path}: record_id is not mapped", hint="map record_id to a column")
    formats = data.get("date_formats", {})
    return LinkMapping({str(k): str(v) for k, v in columns.items()}, dict(formats))


@dataclass
class PersonRecords:
    """Records as text columns named by person field; absent fields are all-null."""

    table: pa.Table

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def column(self, field: str) -> list[str | None]:
        values: list[str | None] = self.table.column(field).to_pylist()
        return values

    @property
    def ids(self) -> list[str]:
        return [str(v) for v in self.table.column("record_id").to_pylist()]


def normalise_date(text: str | None, fmt: str | None = None) -> str | None:
    """YYYYMMDD from `fmt`, or from the common formats; None if it is not a date."""
    if not text:
        return None
    for candidate in [fmt] if fmt else ["%Y-%m-%d", "%d.%m.%Y", "%Y%m%d", "%d/%m/%Y"]:
        try:
            return dt.datetime.strptime(text.strip(), candidate).strftime("%Y%m%d")
        except ValueError:
            continue
    return None


def _normalise_date(values: pa.Array, fmt: str | None) -> pa.Array:
    """`normalise_date` of every value. Arrow parses the common case; a value it reads
    differently from Python (31.02 rolled over to 03.03, 1.2.1990 unpadded) is redone by
    `normalise_date`, so the result is Python's, at Arrow's speed."""
    values = pc.utf8_trim_whitespace(values)
    done: pa.Array = pa.nulls(len(values), pa.string())
    for candidate in [fmt] if fmt else ["%Y-%m-%d", "%d.%m.%Y", "%Y%m%d", "%d/%m/%Y"]:
        parsed = pc.strptime(values, format=candidate, unit="s", error_is_null=True)
        exact = pc.equal(pc.strftime(parsed, format=candidate), values)
        done = pc.coalesce(done, pc.if_else(exact, pc.strftime(parsed, format="%Y%m%d"), None))
    doubtful = pc.and_(pc.is_null(done), pc.is_valid(values)).to_numpy(zero_copy_only=False)
    if not doubtful.any():
        return done
    result = done.to_pylist()
    texts = values.to_pylist()
    for i in doubtful.nonzero()[0]:
        result[i] = normalise_date(texts[i], fmt)
    return pa.array(result, pa.string())


def from_table(table: pa.Table, mapping: LinkMapping, source: str = "input") -> PersonRecords:
    missing = sorted(c for c in mapping.columns.values() if c not in table.column_names)
    if missing:
        raise MappingError(
            f"{source}: column(s) {', '.join(missing)} named in the mapping are not in the file "
            f"(it has: {', '.join(table.column_names)})",
            hint="correct the mapping's [columns]",
        )
    columns: dict[str, pa.Array] = {}
    for field in PERSON_FIELDS:
        source_column = mapping.columns.get(field)
        if source_column is None:
            columns[field] = pa.nulls(table.num_rows, pa.string())
            continue
        values = pc.utf8_trim_whitespace(pc.cast(table.column(source_column), pa.string()))
        values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
        if field == "birth_date":
            values = _normalise_date(values.combine_chunks(), mapping.date_formats.get(field))
        columns[field] = values
    return PersonRecords(pa.table(columns))


def read_records(path: Path, mapping: LinkMapping) -> PersonRecords:
    """Records from a CSV or Parquet file."""
    if not path.is_file():
        raise InputError(f"{path}: no such file", hint="give a CSV or Parquet file")
    if path.suffix.lower() == ".parquet":
        wanted = set(mapping.columns.values())
        names = pq.read_schema(path).names
        # only the mapped columns; all of them when one is missing, so the error lists them
        table = pq.read_table(path, columns=None if wanted - set(names) else sorted(wanted))
    else:
        options = pacsv.ConvertOptions(strings_can_be_null=True, column_types={})
        table = pacsv.read_csv(path, convert_options=options)
        table = pa.table({n: pc.cast(table.column(n), pa.string()) for n in table.column_names})
    return from_table(table, mapping, str(path))
