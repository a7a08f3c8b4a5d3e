"""A resolved store of the shared synthetic population, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bonafide.persons.resolve import resolve_registries
from bonafide.registry import RegistryStore, StoreSettings, import_registry
from bonafide.registry.mapping import load_mapping
from tests.vaults import vault_for

from ..conftest import Population

KINDS = ("identity", "residence", "education", "employment", "watchlist")
SETTINGS = StoreSettings(memory_limit="2GB", threads=2)


@pytest.fixture(scope="session")
def resolved_data_dir(population: Population, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with every registry of `population` imported and resolved."""
    data_dir = tmp_path_factory.mktemp("verify") / "data"
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        for kind in KINDS:
            mapping = load_mapping(population.registries / f"{kind}.mapping.toml")
            import_registry(store, population.registries / f"{kind}.parquet", kind, mapping)
        resolve_registries(store)
    return data_dir
