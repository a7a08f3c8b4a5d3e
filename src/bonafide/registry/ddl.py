"""The store's tables, created by named, versioned migrations.

A registry table per kind holds, for each canonical field F: `F` (normalised, typed), `F_orig`
(the text as read), `F_script` for names and `F_precision` for dates; then `record_key`,
`import_id` and `source_row`. `imports` logs each import and its counts; `import_issues` holds
every reject, warning and duplicate. A schema change is a new `Migration` appended to
`MIGRATIONS`, never an edit to an applied one.
"""

from __future__ import annotations

from dataclasses import dataclass

from bonafide.registry.normalise import value_columns
from bonafide.registry.schema import KINDS, Kind, RegistryKind
from bonafide.registry.sql import ident

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION_TABLE",
    "Migration",
    "registry_columns",
    "registry_table",
]

SCHEMA_VERSION_TABLE = "schema_version"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def registry_table(kind: Kind) -> str:
    """The table holding the records of a registry kind."""
    return f"registry_{kind.value}"


def registry_columns(schema: RegistryKind) -> tuple[tuple[str, str], ...]:
    """The columns of a kind's registry table with their SQL types, in table order."""
    columns: list[tuple[str, str]] = []
    for field in schema.fields:
        value, *companions = value_columns(field)
        columns += [value, (f"{field.name}_orig", "VARCHAR"), *companions]
    return (
        *columns,
        ("record_key", "VARCHAR"),
        ("import_id", "INTEGER"),
        ("source_row", "BIGINT"),
    )


def create_schema_version() -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {SCHEMA_VERSION_TABLE} (version INTEGER PRIMARY KEY, "
        "name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )


def _create_registry(schema: RegistryKind) -> str:
    columns = ", ".join(f"{ident(name)} {kind}" for name, kind in registry_columns(schema))
    return f"CREATE TABLE {registry_table(schema.kind)} ({columns})"


_CREATE_IMPORTS = """
CREATE TABLE imports (
    import_id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    file_bytes BIGINT NOT NULL,
    source_format VARCHAR NOT NULL,
    encoding VARCHAR,
    mapping VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_added BIGINT NOT NULL,
    rows_duplicate_in_file BIGINT NOT NULL,
    rows_already_present BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    warnings BIGINT NOT NULL
)"""

_CREATE_IMPORT_ISSUES = """
CREATE TABLE import_issues (
    import_id INTEGER NOT NULL,
    "row" BIGINT NOT NULL,
    field VARCHAR,
    severity VARCHAR NOT NULL CHECK (severity IN ('reject', 'warning', 'duplicate')),
    reason VARCHAR NOT NULL
)"""

# Which resolved person each registry record denotes (written by `bonafide registry resolve`).
_CREATE_PERSON_LINKS = """
CREATE TABLE person_links (
    kind VARCHAR NOT NULL,
    record_key VARCHAR NOT NULL,
    person_id BIGINT NOT NULL,
    probability DOUBLE NOT NULL
)"""

# The persons generation (bonafide.persons.files) committed with the links: files and links are
# published together, so a resolve killed between them is never half-trusted.
_CREATE_PERSON_INDEX_STATE = (
    "CREATE TABLE person_index_state (generation BIGINT NOT NULL)",
    "INSERT INTO person_index_state VALUES (0)",
)


def _add_fields(kind: Kind, *names: str) -> tuple[str, ...]:
    """Columns for fields added to a kind after its table was first created (a store created
    since already has them)."""
    schema = KINDS[kind]
    statements = []
    for name in names:
        value, *companions = value_columns(schema.field(name))
        for column, sql_type in (value, (f"{name}_orig", "VARCHAR"), *companions):
            statements.append(
                f"ALTER TABLE {registry_table(kind)} ADD COLUMN IF NOT EXISTS "
                f"{ident(column)} {sql_type}"
            )
    return tuple(statements)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "create_imports_issues_and_registries",
        (
            _CREATE_IMPORTS,
            _CREATE_IMPORT_ISSUES,
            *(_create_registry(schema) for schema in KINDS.values()),
        ),
    ),
    Migration(2, "create_person_links", (_CREATE_PERSON_LINKS,)),
    Migration(3, "create_person_index_state", _CREATE_PERSON_INDEX_STATE),
    Migration(
        4,
        "add_death_and_deregistration_reason",
        (
            *_add_fields(Kind.IDENTITY, "died_on"),
            *_add_fields(Kind.RESIDENCE, "deregistration_reason"),
        ),
    ),
)
