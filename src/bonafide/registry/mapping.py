"""Column mappings: which source column holds which canonical field.

A mapping is a TOML file (see docs/registry-import.md):

    kind = "identity"               # optional; must agree with --kind
    [source]                        # optional: format, encoding, delimiter
    [columns]                       # canonical field = source column
    [date_formats]                  # date field = strptime format, or a list of them
    [values.sex]                    # source value = "m" | "f"

`load_mapping` reads and checks the file on its own; `resolve_mapping` checks it against a
registry kind and a file's columns. Without a [columns] table, columns named like canonical
fields (ignoring case) map automatically.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from bonafide.errors import MappingError
from bonafide.registry.schema import FieldType, Kind, RegistryKind

__all__ = [
    "ColumnMapping",
    "ResolvedMapping",
    "SourceFormat",
    "SourceOptions",
    "load_mapping",
    "resolve_mapping",
]

_TOP_KEYS = {"kind", "source", "columns", "date_formats", "values"}
_SOURCE_KEYS = {"format", "encoding", "delimiter"}
# strptime directives DuckDB understands.
_DIRECTIVE = re.compile(r"%(-?[aAwdbBmyYHIpMSfzZjUWcxX%])")


class SourceFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    JSONL = "jsonl"
    FTM = "ftm"  # FollowTheMoney entities, one per line (bonafide.ftm.read)


@dataclass(frozen=True)
class SourceOptions:
    """How to read a source file; None means detect."""

    format: SourceFormat | None = None
    encoding: str | None = None
    delimiter: str | None = None

    def overridden_by(self, other: SourceOptions) -> SourceOptions:
        """These options, with every option `other` sets taking its place."""
        return SourceOptions(
            format=other.format or self.format,
            encoding=other.encoding or self.encoding,
            delimiter=other.delimiter or self.delimiter,
        )


@dataclass(frozen=True)
class ColumnMapping:
    """A mapping as written, before it is checked against a kind and a file."""

    kind: Kind | None = None
    source: SourceOptions = SourceOptions()
    # canonical field -> source column; None: map columns named like fields automatically
    columns: Mapping[str, str] | None = None
    date_formats: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # field -> {lower-case source value -> canonical value}
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    origin: str = "the mapping"


@dataclass(frozen=True)
class ResolvedMapping:
    """A mapping checked against a registry kind and the columns of one file."""

    schema: RegistryKind
    # (canonical field, source column), in canonical field order
    fields: tuple[tuple[str, str], ...]
    # the source columns to read, each once, in file order
    sources: tuple[str, ...]
    # file columns no field uses
    unmapped: tuple[str, ...]
    # the required-field alternatives whose fields are all mapped
    alternatives: tuple[tuple[str, ...], ...]
    date_formats: Mapping[str, tuple[str, ...]]
    values: Mapping[str, Mapping[str, str]]

    def source_of(self, field_name: str) -> str | None:
        """The source column of a canonical field, or None if it is not mapped."""
        return dict(self.fields).get(field_name)


def load_mapping(path: Path) -> ColumnMapping:
    """Read a TOML mapping file and check its structure."""
    origin = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(
            f"mapping file {origin} does not exist", hint="check the --mapping path"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError(
            f"mapping file {origin} cannot be read: {error}",
            hint="the mapping must be a readable UTF-8 TOML file",
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise MappingError(
            f"mapping file {origin} is not valid TOML: {error}",
            hint="fix the TOML syntax at the line given (strings need quotes)",
        ) from None
    return parse_mapping(data, origin)


def parse_mapping(data: Mapping[str, Any], origin: str) -> ColumnMapping:
    """A mapping from parsed TOML data; `origin` names it in messages."""
    _no_unknown_keys(data, _TOP_KEYS, origin, "")
    kind = _kind(data.get("kind"), origin)
    source = _source(_table(data, "source", origin), origin)
    columns_table = data.get("columns")
    columns = None if columns_table is None else _strings(columns_table, origin, "columns")
    date_formats = {
        name: _date_formats(value, origin, name)
        for name, value in _table(data, "date_formats", origin).items()
    }
    values = {
        name: _value_map(table, origin, name)
        for name, table in _table(data, "values", origin).items()
    }
    return ColumnMapping(kind, source, columns, date_formats, values, origin)


def resolve_mapping(
    mapping: ColumnMapping | None,
    schema: RegistryKind,
    file_columns: Sequence[str],
    file: Path,
) -> ResolvedMapping:
    """Check `mapping` (or the automatic one) against a kind and a file's columns."""
    mapping = mapping or ColumnMapping(origin="the automatic mapping")
    if mapping.kind is not None and mapping.kind != schema.kind:
        raise MappingError(
            f"{mapping.origin} is for kind {mapping.kind.value!r}, "
            f"but the import is for kind {schema.kind.value!r}",
            hint=f"use --kind {mapping.kind.value}, or change `kind` in {mapping.origin}",
        )
    if mapping.columns is None:
        mapping = replace(mapping, columns=_auto_columns(schema, file_columns, file))
    assert mapping.columns is not None
    _check_field_names(mapping, schema)
    for field_name, column in mapping.columns.items():
        _check_column(field_name, column, file_columns, file, mapping.origin)
    order = {name: index for index, name in enumerate(schema.field_names)}
    fields = tuple(sorted(mapping.columns.items(), key=lambda item: order[item[0]]))
    used = {column for _, column in fields}
    alternatives = tuple(alt for alt in schema.required if all(n in mapping.columns for n in alt))
    if not alternatives:
        raise MappingError(
            f"{file}: {mapping.origin} maps no column to "
            f"{_missing_required(schema, mapping.columns)}",
            hint=f"a row of kind {schema.kind.value!r} needs "
            f"{describe_requirement(schema.required)}; map those fields in [columns] of a "
            "mapping file (--mapping MAP.toml); the file's columns are: "
            + (", ".join(repr(c) for c in file_columns) or "(none)"),
        )
    return ResolvedMapping(
        schema=schema,
        fields=fields,
        sources=tuple(dict.fromkeys(c for c in file_columns if c in used)),
        unmapped=tuple(c for c in file_columns if c not in used),
        alternatives=alternatives,
        date_formats=dict(mapping.date_formats),
        values=dict(mapping.values),
    )


def describe_requirement(alternatives: Sequence[Sequence[str]]) -> str:
    """'surname, given_name and birth_date, or full_name and birth_date'."""

    def conjoin(names: Sequence[str]) -> str:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    return ", or ".join(conjoin(alt) for alt in alternatives)


def _auto_columns(schema: RegistryKind, file_columns: Sequence[str], file: Path) -> dict[str, str]:
    columns: dict[str, str] = {}
    for name in schema.field_names:
        matches = [c for c in file_columns if c.strip().lower() == name]
        if len(matches) > 1:
            raise MappingError(
                f"{file}: columns {', '.join(map(repr, matches))} all look like field {name!r}",
                hint="say which one to use in [columns] of a mapping file (--mapping MAP.toml)",
            )
        if matches:
            columns[name] = matches[0]
    return columns


def _check_field_names(mapping: ColumnMapping, schema: RegistryKind) -> None:
    assert mapping.columns is not None
    known = schema.field_names
    for table, names in (
        ("columns", mapping.columns),
        ("date_formats", mapping.date_formats),
        ("values", mapping.values),
    ):
        for name in names:
            if name not in known:
                raise MappingError(
                    f"{mapping.origin}: [{table}] names {name!r}, which is not a field "
                    f"of kind {schema.kind.value!r}",
                    hint=_suggest(name, known) + f"the fields are: {', '.join(known)}",
                )
    for name in mapping.date_formats:
        if schema.field(name).type is not FieldType.DATE:
            raise MappingError(
                f"{mapping.origin}: [date_formats] names {name!r}, which is not a date field",
                hint="remove it; only date fields take date formats",
            )
    for name in mapping.values:
        if schema.field(name).type is not FieldType.SEX:
            raise MappingError(
                f"{mapping.origin}: [values.{name}] maps values of {name!r}, which is not a "
                "sex field",
                hint="value mappings are for sex fields only; remove the table",
            )


def _check_column(
    field_name: str, column: str, file_columns: Sequence[str], file: Path, origin: str
) -> None:
    count = list(file_columns).count(column)
    if count == 1:
        return
    if count > 1:
        raise MappingError(
            f"{file}: column {column!r} (for field {field_name!r}) appears {count} times",
            hint="rename the repeated columns in the file so each name is unique",
        )
    listed = ", ".join(repr(c) for c in file_columns) or "(none)"
    raise MappingError(
        f"{file}: has no column {column!r}, which {origin} maps to field {field_name!r}",
        hint=_suggest(column, file_columns) + f"the file's columns are: {listed}",
    )


def _missing_required(schema: RegistryKind, columns: Mapping[str, str]) -> str:
    required = {name for alt in schema.required for name in alt}
    missing = [n for n in schema.field_names if n in required and n not in columns]
    return "required field(s) " + ", ".join(missing)


def _suggest(name: str, candidates: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    folded = [c for c in candidates if c.strip().lower() == name.strip().lower()]
    best = folded or close
    return f"did you mean {best[0]!r}? " if best else ""


def _no_unknown_keys(data: Mapping[str, Any], known: set[str], origin: str, table: str) -> None:
    for key in data:
        if key not in known:
            where = f"in [{table}]" if table else "at the top of the mapping"
            raise MappingError(
                f"{origin}: unknown key {key!r} {where}",
                hint=f"{_suggest(key, sorted(known))}the keys known {where}: "
                f"{', '.join(sorted(known))}",
            )


def _kind(value: object, origin: str) -> Kind | None:
    if value is None:
        return None
    try:
        return Kind(str(value))
    except ValueError:
        raise MappingError(
            f"{origin}: kind = {value!r} is not a registry kind",
            hint=f"use one of: {', '.join(k.value for k in Kind)}",
        ) from None


def _table(data: Mapping[str, Any], key: str, origin: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise MappingError(
            f"{origin}: {key!r} must be a table", hint=f"write it as a [{key}] section"
        )
    return value


def _strings(table: object, origin: str, name: str) -> dict[str, str]:
    if not isinstance(table, dict):
        raise MappingError(f"{origin}: {name!r} must be a table", hint=f"write [{name}]")
    for key, value in table.items():
        if not isinstance(value, str):
            raise MappingError(
                f"{origin}: [{name}] {key} = {value!r} must be a string",
                hint='put the source column name in quotes: surname = "ФАМИЛИЯ"',
            )
    return dict(table)


def _source(table: Mapping[str, Any], origin: str) -> SourceOptions:
    _no_unknown_keys(table, _SOURCE_KEYS, origin, "source")
    raw = _strings(dict(table), origin, "source")
    fmt = raw.get("format")
    if fmt is not None and fmt not in {f.value for f in SourceFormat}:
        raise MappingError(
            f"{origin}: [source] format = {fmt!r} is not a known format",
            hint=f"use one of: {', '.join(f.value for f in SourceFormat)}",
        )
    return SourceOptions(
        format=SourceFormat(fmt) if fmt else None,
        encoding=raw.get("encoding"),
        delimiter=check_delimiter(raw["delimiter"], origin) if "delimiter" in raw else None,
    )


def check_delimiter(delimiter: str, origin: str) -> str:
    """A one-character delimiter; 'tab' and '\\t' mean a tab."""
    if delimiter in ("tab", "\\t"):
        return "\t"
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise MappingError(
            f"{origin}: delimiter {delimiter!r} must be one character other than a quote or "
            "a line break",
            hint="use for example ',', ';', '|' or 'tab'",
        )
    return delimiter


def _date_formats(value: object, origin: str, name: str) -> tuple[str, ...]:
    formats = (value,) if isinstance(value, str) else value
    if not isinstance(formats, list | tuple) or not formats:
        raise MappingError(
            f"{origin}: [date_formats] {name} must be a format or a list of formats",
            hint='for example birth_date = "%d.%m.%Y"',
        )
    for fmt in formats:
        if not isinstance(fmt, str) or not _valid_date_format(fmt):
            raise MappingError(
                f"{origin}: [date_formats] {name} = {fmt!r} is not a usable strptime format",
                hint="a format needs %Y (or %y) and may use %d %m %b %B %j and separators, "
                'e.g. "%d.%m.%Y"',
            )
    return tuple(formats)


def _valid_date_format(fmt: str) -> bool:
    if "%Y" not in fmt and "%y" not in fmt:
        return False
    return "%" not in _DIRECTIVE.sub("", fmt)


def _value_map(table: object, origin: str, name: str) -> dict[str, str]:
    values = _strings(table, origin, f"values.{name}")
    for source, code in values.items():
        if code not in ("m", "f"):
            raise MappingError(
                f'{origin}: [values.{name}] "{source}" = {code!r} must map to "m" or "f"',
                hint='for example "1" = "m"',
            )
    return {" ".join(source.split()).lower(): code for source, code in values.items()}
