"""The public API of bonafide.registry is declared and pinned."""

from __future__ import annotations

import importlib
import pkgutil

import bonafide.registry

PUBLIC = {
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
}


def test_public_api_is_pinned() -> None:
    assert set(bonafide.registry.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(bonafide.registry, name) is not None


def test_every_module_declares_its_api() -> None:
    for info in pkgutil.iter_modules(bonafide.registry.__path__):
        module = importlib.import_module(f"bonafide.registry.{info.name}")
        exported = getattr(module, "__all__", None)
        assert exported is not None, f"{info.name} has no __all__"
        for name in exported:
            assert hasattr(module, name), f"{info.name}.__all__ names missing {name}"
