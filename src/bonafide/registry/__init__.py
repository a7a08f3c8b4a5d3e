"""Reference registries: canonical fields per kind, and import into an embedded DuckDB store.

Modules, each with one job:

- schema: the canonical fields of each registry kind
- mapping: which source column holds which field (TOML)
- sources: what a file is (format, encoding, delimiter, columns)
- readers: a file as Arrow batches of text, with the rows that cannot be read
- stream: those batches as one stream for DuckDB, the rejected rows spooled aside
- normalise: the SQL normalising each field type
- plan: the SQL of one import
- ddl: the store's tables and migrations
- store: the one class that runs SQL
- importer: one import, in one transaction
- stats: what the store holds
- display, cli: the `bonafide registry` commands
"""

from bonafide.registry.importer import (
    ImportIssue,
    ImportPhase,
    ImportProgress,
    ImportReport,
    ProgressCallback,
    import_registry,
)
from bonafide.registry.mapping import (
    ColumnMapping,
    ResolvedMapping,
    SourceFormat,
    SourceOptions,
    load_mapping,
    resolve_mapping,
)
from bonafide.registry.schema import KINDS, Field, FieldType, Kind, RegistryKind, kind_schema
from bonafide.registry.stats import (
    FieldCoverage,
    ImportRecord,
    RegistryStats,
    RegistrySummary,
    list_registries,
    registry_stats,
)
from bonafide.registry.store import RegistryStore, StoreSettings

__all__ = [
    "KINDS",
    "ColumnMapping",
    "Field",
    "FieldCoverage",
    "FieldType",
    "ImportIssue",
    "ImportPhase",
    "ImportProgress",
    "ImportRecord",
    "ImportReport",
    "Kind",
    "ProgressCallback",
    "RegistryKind",
    "RegistryStats",
    "RegistryStore",
    "RegistrySummary",
    "ResolvedMapping",
    "SourceFormat",
    "SourceOptions",
    "StoreSettings",
    "import_registry",
    "kind_schema",
    "list_registries",
    "load_mapping",
    "registry_stats",
    "resolve_mapping",
]
