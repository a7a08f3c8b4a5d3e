"""What the store holds: registries per kind, field coverage, scripts, import history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bonafide.registry.ddl import registry_table
from bonafide.registry.schema import FieldType, Kind, kind_schema
from bonafide.registry.sql import ident, literal
from bonafide.registry.store import RegistryStore

__all__ = [
    "FieldCoverage",
    "ImportRecord",
    "RegistryStats",
    "RegistrySummary",
    "list_registries",
    "registry_stats",
]

_IMPORT_COLUMNS = (
    "import_id, file_name, file_sha256, source_format, encoding, started_at, finished_at, "
    "rows_read, rows_added, rows_duplicate_in_file, rows_already_present, rows_rejected, warnings"
)


@dataclass(frozen=True)
class RegistrySummary:
    kind: Kind
    rows: int
    imports: int
    last_import_at: datetime | None  # UTC
    rows_rejected: int  # over all imports


@dataclass(frozen=True)
class FieldCoverage:
    field: str
    type: FieldType
    coverage: float  # share of rows with a non-empty normalised value
    scripts: tuple[tuple[str, float], ...]  # names: (script, share of the non-empty values)


@dataclass(frozen=True)
class ImportRecord:
    import_id: int
    file_name: str
    file_sha256: str
    source_format: str
    encoding: str | None
    started_at: datetime  # UTC
    finished_at: datetime  # UTC
    rows_read: int
    rows_added: int
    rows_duplicate_in_file: int
    rows_already_present: int
    rows_rejected: int
    warnings: int


@dataclass(frozen=True)
class RegistryStats:
    kind: Kind
    rows: int
    fields: tuple[FieldCoverage, ...]
    imports: tuple[ImportRecord, ...]


def list_registries(store: RegistryStore) -> tuple[RegistrySummary, ...]:
    """One summary per kind that has been imported, in kind order."""
    history = {
        kind: (imports, last, rejected)
        for kind, imports, last, rejected in store.execute(
            "list imports",
            "SELECT kind, count(*), max(finished_at), sum(rows_rejected) FROM imports "
            "GROUP BY kind",
        )
    }
    summaries = []
    for kind in Kind:
        if kind.value not in history:
            continue
        imports, last, rejected = history[kind.value]
        rows = store.scalar("count records", f"SELECT count(*) FROM {registry_table(kind)}")
        summaries.append(RegistrySummary(kind, rows, imports, last, int(rejected)))
    return tuple(summaries)


def registry_stats(store: RegistryStore, kind: Kind | str) -> RegistryStats:
    """Rows, coverage per field, scripts of names and the import history of one kind."""
    schema = kind_schema(kind)
    table = registry_table(schema.kind)
    counts = store.execute(
        "field coverage",
        f"SELECT count(*), {', '.join(f'count({ident(n)})' for n in schema.field_names)} "
        f"FROM {table}",
    )[0]
    rows, filled = counts[0], dict(zip(schema.field_names, counts[1:], strict=True))
    scripts = _scripts(store, table, [f.name for f in schema.fields if f.type is FieldType.NAME])
    fields = tuple(
        FieldCoverage(
            field.name,
            field.type,
            filled[field.name] / rows if rows else 0.0,
            tuple(
                (script, count / filled[field.name])
                for script, count in scripts.get(field.name, [])
            ),
        )
        for field in schema.fields
    )
    imports = tuple(
        ImportRecord(*row)
        for row in store.execute(
            "import history",
            f"SELECT {_IMPORT_COLUMNS} FROM imports WHERE kind = ? ORDER BY import_id",
            [schema.kind.value],
        )
    )
    return RegistryStats(schema.kind, rows, fields, imports)


def _scripts(
    store: RegistryStore, table: str, names: list[str]
) -> dict[str, list[tuple[str, int]]]:
    selects = " UNION ALL ".join(
        f"SELECT {literal(name)}, {ident(name + '_script')}, count(*) FROM {table} "
        f"WHERE {ident(name + '_script')} IS NOT NULL GROUP BY ALL"
        for name in names
    )
    result: dict[str, list[tuple[str, int]]] = {}
    for name, script, count in store.execute("name scripts", f"{selects} ORDER BY 1, 3 DESC, 2"):
        result.setdefault(name, []).append((script, count))
    return result
