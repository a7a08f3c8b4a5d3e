"""The SQL of one import, built by pure functions from a resolved mapping.

The steps, all inside one transaction (see `importer.py`):

1. `create_norm`: scan the source batches (registered as `SOURCE`) and normalise every field in
   one set-based pass into the temporary table `_bf_norm`, with per row: the problems found,
   whether the row is rejected (no required-field alternative complete), the alternative closest
   to complete, and `_key`, the record key.
2. `create_keys`: one row per distinct key among the kept rows, with the first row having it.
3. `create_added`: the keys not already in the registry table.
4. the issues (`_bf_issues`): reader rejects, field rejects, duplicates, warnings.
5. `insert_records` and `insert_import_issues`, then the `imports` row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bonafide.registry.ddl import registry_table
from bonafide.registry.mapping import ResolvedMapping, describe_requirement
from bonafide.registry.normalise import FieldSql, field_sql
from bonafide.registry.sql import Column, ident, layered_select, literal

__all__ = [
    "FIRST_ISSUES",
    "INSERT_IMPORT",
    "NEXT_IMPORT_ID",
    "READER_ISSUES",
    "SAME_FILE_IMPORTS",
    "SOURCE",
    "ImportPlan",
    "plan_import",
    "select_issues",
]

SOURCE = "_bf_source"  # the registered stream of source batches
READER_ISSUES = "_bf_reader_issues"  # the registered table of rows the reader rejected
_NORM, _KEYS, _ADDED, _ISSUES = "_bf_norm", "_bf_keys", "_bf_added", "_bf_issues"
_ISSUE_ORDER = '"row", severity, field'

NEXT_IMPORT_ID = "SELECT coalesce(max(import_id), 0) + 1 FROM imports"
SAME_FILE_IMPORTS = (
    "SELECT import_id FROM imports WHERE file_sha256 = ? AND kind = ? ORDER BY import_id"
)
INSERT_IMPORT = "INSERT INTO imports VALUES (" + ", ".join(["?"] * 16) + ")"
FIRST_ISSUES = (
    f'SELECT "row", field, severity, reason FROM {_ISSUES} ORDER BY {_ISSUE_ORDER} LIMIT ?'
)


@dataclass(frozen=True)
class ImportPlan:
    """The statements of one import, in the order they run."""

    create_norm: str
    create_keys: str
    create_added: str
    create_issues: str
    insert_reader_issues: str
    insert_rejects: str
    insert_duplicates: str
    insert_warnings: str
    counts: str  # staged, staged rejected, keys, added, rejected rows, warnings, duplicates
    insert_records: str  # parameter: import id
    insert_import_issues: str  # parameter: import id
    drop_temporary: tuple[str, ...]


def plan_import(resolved: ResolvedMapping) -> ImportPlan:
    """The SQL importing a file read with `resolved`."""
    fields = _field_sqls(resolved)
    raw = _raw_json(resolved.sources)
    return ImportPlan(
        create_norm=f"CREATE TEMP TABLE {_NORM} AS {_normalise_query(resolved, fields)}",
        create_keys=(
            f"CREATE TEMP TABLE {_KEYS} AS SELECT _key, min(_row) AS first_row "
            f"FROM {_NORM} WHERE NOT _rejected GROUP BY _key"
        ),
        create_added=(
            f"CREATE TEMP TABLE {_ADDED} AS SELECT k.first_row FROM {_KEYS} k WHERE NOT EXISTS "
            f"(SELECT 1 FROM {registry_table(resolved.schema.kind)} r "
            "WHERE r.record_key = k._key)"
        ),
        create_issues=(
            f'CREATE TEMP TABLE {_ISSUES} ("row" BIGINT, field VARCHAR, severity VARCHAR, '
            "reason VARCHAR, raw VARCHAR)"
        ),
        insert_reader_issues=(
            f"INSERT INTO {_ISSUES} SELECT \"row\", field, 'reject', reason, raw "
            f"FROM {READER_ISSUES}"
        ),
        insert_rejects=_insert_rejects(resolved, fields, raw),
        insert_duplicates=(
            f"INSERT INTO {_ISSUES} SELECT n._row, NULL, 'duplicate', "
            f"'same as row ' || k.first_row, {raw} FROM {_NORM} n JOIN {_KEYS} k USING (_key) "
            "WHERE NOT n._rejected AND n._row <> k.first_row"
        ),
        insert_warnings=(
            f"INSERT INTO {_ISSUES} SELECT _row, p.field, 'warning', p.reason, raw FROM "
            f"(SELECT _row, unnest(_problems) AS p, {raw} AS raw FROM {_NORM} "
            f"WHERE _problems IS NOT NULL AND _row IN (SELECT first_row FROM {_ADDED}))"
        ),
        counts=(
            f"SELECT (SELECT count(*) FROM {_NORM}), "
            f"(SELECT count(*) FROM {_NORM} WHERE _rejected), "
            f"(SELECT count(*) FROM {_KEYS}), (SELECT count(*) FROM {_ADDED}), "
            f"(SELECT count(DISTINCT \"row\") FROM {_ISSUES} WHERE severity = 'reject'), "
            f"(SELECT count(*) FROM {_ISSUES} WHERE severity = 'warning'), "
            f"(SELECT count(*) FROM {_ISSUES} WHERE severity = 'duplicate')"
        ),
        insert_records=_insert_records(resolved, fields),
        insert_import_issues=(
            f'INSERT INTO import_issues SELECT ?, "row", field, severity, reason FROM {_ISSUES}'
        ),
        drop_temporary=tuple(
            f"DROP TABLE IF EXISTS {name}" for name in (_NORM, _KEYS, _ADDED, _ISSUES)
        ),
    )


def select_issues() -> str:
    """Every issue, with the raw record, in row order (for the sealed reject file)."""
    return f'SELECT "row", field, severity, reason, raw FROM {_ISSUES} ORDER BY {_ISSUE_ORDER}'


def _source_column(resolved: ResolvedMapping, field_name: str) -> str:
    return ident(f"c{resolved.sources.index(resolved.source_of(field_name) or '')}")


def _field_sqls(resolved: ResolvedMapping) -> tuple[FieldSql, ...]:
    return tuple(
        field_sql(
            resolved.schema.field(name),
            _source_column(resolved, name),
            date_formats=resolved.date_formats.get(name, ()),
            sex_values=resolved.values.get(name),
        )
        for name, _ in resolved.fields
    )


def _normalise_query(resolved: ResolvedMapping, fields: Sequence[FieldSql]) -> str:
    depth = max(len(f.layers) for f in fields)
    layers: list[list[Column]] = [[] for _ in range(depth)]
    for field in fields:
        for index, layer in enumerate(field.layers):
            layers[index].extend(layer)
    row_layer = [
        ("_problems", _problems(fields)),
        ("_rejected", f"NOT ({_complete(resolved.alternatives)})"),
        ("_best", _closest_alternative(resolved.alternatives)),
        ("_key", _record_key(resolved)),
    ]
    sources = [ident(f"c{i}") for i in range(len(resolved.sources))]
    stored = [ident(name) for field in fields for name in field.stored]
    output = ["_row", *sources, *stored, "_problems", "_rejected", "_best", "_key"]
    return layered_select(SOURCE, [*layers, row_layer], output)


def _complete(alternatives: Sequence[Sequence[str]]) -> str:
    return " OR ".join(
        "(" + " AND ".join(f"{ident(n)} IS NOT NULL" for n in alt) + ")" for alt in alternatives
    )


def _closest_alternative(alternatives: Sequence[Sequence[str]]) -> str:
    """For a rejected row, the (1-based) alternative with the fewest missing fields."""
    missing = [
        "(" + " + ".join(f"({ident(n)} IS NULL)::INTEGER" for n in alt) + ")"
        for alt in alternatives
    ]
    if len(missing) == 1:
        return f"CASE WHEN NOT ({_complete(alternatives)}) THEN 1 END"
    fewest = f"least({', '.join(missing)})"
    whens = " ".join(f"WHEN {m} = {fewest} THEN {i}" for i, m in enumerate(missing, start=1))
    return f"CASE WHEN NOT ({_complete(alternatives)}) THEN CASE {whens} END END"


def _problems(fields: Sequence[FieldSql]) -> str:
    checked = [f for f in fields if f.problem]
    if not checked:
        return "NULL::STRUCT(field VARCHAR, reason VARCHAR)[]"
    any_problem = " OR ".join(f"{ident(f.problem or '')} IS NOT NULL" for f in checked)
    items = ", ".join(
        f"{{'field': {literal(f.name)}, 'reason': {ident(f.problem or '')}}}" for f in checked
    )
    return (
        f"CASE WHEN {any_problem} THEN list_filter([{items}], lambda p: p.reason IS NOT NULL) END"
    )


def _record_key(resolved: ResolvedMapping) -> str:
    """md5 of the kind and the original text of every canonical field, joined by \\x1f."""
    parts = [literal(resolved.schema.kind.value)]
    for name in resolved.schema.field_names:
        source = resolved.source_of(name)
        parts.append(f"coalesce({_source_column(resolved, name)}, '')" if source else "''")
    return f"md5(concat_ws(chr(31), {', '.join(parts)}))"


def _raw_json(sources: Sequence[str]) -> str:
    pairs = ", ".join(f"{literal(name)}, {ident(f'c{i}')}" for i, name in enumerate(sources))
    return f"json_object({pairs})::VARCHAR"


def _insert_rejects(resolved: ResolvedMapping, fields: Sequence[FieldSql], raw: str) -> str:
    requirement = "; each row needs " + describe_requirement(resolved.alternatives)
    problems = {f.name for f in fields if f.problem}
    selects = []
    for name in dict.fromkeys(n for alt in resolved.alternatives for n in alt):
        empty = literal(f"{name} is empty")
        reason = (
            f"coalesce((list_filter(_problems, lambda p: p.field = {literal(name)}))[1].reason, "
            f"{empty})"
            if name in problems
            else empty
        )
        alternatives = ", ".join(
            str(i) for i, alt in enumerate(resolved.alternatives, start=1) if name in alt
        )
        selects.append(
            f"SELECT _row, {literal(name)}, 'reject', {reason} || {literal(requirement)}, {raw} "
            f"FROM {_NORM} WHERE _rejected AND {ident(name)} IS NULL "
            f"AND _best IN ({alternatives})"
        )
    return f"INSERT INTO {_ISSUES} " + " UNION ALL ".join(selects)


def _insert_records(resolved: ResolvedMapping, fields: Sequence[FieldSql]) -> str:
    columns: list[str] = []
    values: list[str] = []
    for field in fields:
        value, *companions = field.stored
        columns += [value, f"{field.name}_orig", *companions]
        values += [
            ident(value),
            _source_column(resolved, field.name),
            *(ident(c) for c in companions),
        ]
    columns += ["record_key", "import_id", "source_row"]
    values += ["_key", "?", "_row"]
    return (
        f"INSERT INTO {registry_table(resolved.schema.kind)} "
        f"({', '.join(ident(c) for c in columns)}) SELECT {', '.join(values)} FROM {_NORM} "
        f"WHERE _row IN (SELECT first_row FROM {_ADDED})"
    )
