"""Shared fixtures: one small synthetic population, generated once per test session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2.profiles import CHEAPEST

from bonafide.accounts import store as account_store
from bonafide.persons.resolve import resolve_registries
from bonafide.registry import RegistryStore, StoreSettings, import_registry
from bonafide.registry.mapping import load_mapping
from bonafide.synth import SynthConfig, SynthSummary, synthesise
from bonafide.vault import Vault
from tests.vaults import vault_for

POPULATION_SEED = 11  # the benchmarks use other seeds
# Argon2id at its lowest cost (the library's own CHEAPEST profile): the tests add and log in
# hundreds of accounts, at 0.2 s a hash at the real cost, as the vault's tests derive keys
# cheaply (tests/vaults.py); the real cost is checked in tests/accounts/test_accounts.py


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(account_store, "PASSWORD_HASHING", CHEAPEST)
        yield


class Population:
    def __init__(self, root: Path, summary: SynthSummary, config: SynthConfig) -> None:
        self.root = root
        self.summary = summary
        self.config = config

    @property
    def registries(self) -> Path:
        return self.root / "registries"

    @property
    def truth(self) -> Path:
        return self.root / "truth"

    def dossiers(self) -> list[dict[str, Any]]:
        with (self.root / "applicants.jsonl").open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines]


@pytest.fixture(scope="session")
def population(tmp_path_factory: pytest.TempPathFactory) -> Population:
    root = tmp_path_factory.mktemp("population")
    config = SynthConfig(people=20_000, seed=POPULATION_SEED, applicants=200, chunk_size=8_000)
    return Population(root, synthesise(config, root), config)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A new data directory holding a vault (the test passphrase opens it)."""
    path = tmp_path / "data"
    vault_for(path).close()
    return path


@pytest.fixture
def vault(data_dir: Path) -> Iterator[Vault]:
    """The vault of `data_dir`, open for the test."""
    opened = vault_for(data_dir)
    yield opened
    opened.close()


REGISTRY_KINDS = ("identity", "residence", "education", "employment", "watchlist")
STORE_SETTINGS = StoreSettings(memory_limit="2GB", threads=2)


@pytest.fixture(scope="session")
def resolved_data_dir(population: Population, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with every registry of `population` imported and resolved (shared:
    a test that writes to it copies it first)."""
    data_dir = tmp_path_factory.mktemp("resolved") / "data"
    with RegistryStore.open(vault_for(data_dir), STORE_SETTINGS) as store:
        for kind in REGISTRY_KINDS:
            mapping = load_mapping(population.registries / f"{kind}.mapping.toml")
            import_registry(store, population.registries / f"{kind}.parquet", kind, mapping)
        resolve_registries(store)
    return data_dir
