"""A small synthetic population, imported, resolved and exported as FtM once per module."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from bonafide.ftm.export import ExportCounts, export_ftm
from bonafide.ftm.ids import EntityIds
from bonafide.persons.resolve import resolve_registries
from bonafide.registry import Kind, RegistryStore, import_registry, load_mapping
from bonafide.synth import SynthConfig, synthesise
from tests.registry.helpers import TEST_SETTINGS
from tests.vaults import vault_for

PEOPLE = 300
SEED = 23


@dataclass(frozen=True)
class Exported:
    data_dir: Path
    file: Path
    text: str
    counts: ExportCounts
    rows: dict[str, int]  # kind → records in the source store


def export_text(data_dir: Path, **options: object) -> tuple[str, ExportCounts]:
    vault = vault_for(data_dir)
    try:
        with RegistryStore.open(vault, TEST_SETTINGS, read_only=True) as store:
            out = io.StringIO()
            counts = export_ftm(store, EntityIds.for_vault(vault), out, **options)  # type: ignore[arg-type]
    finally:
        vault.close()
    return out.getvalue(), counts


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    root = tmp_path_factory.mktemp("ftm")
    synthesise(SynthConfig(people=PEOPLE, seed=SEED), root / "population")
    registries = root / "population" / "registries"
    data_dir = root / "source"
    vault = vault_for(data_dir)
    rows = {}
    try:
        with RegistryStore.open(vault, TEST_SETTINGS) as store:
            for kind in Kind:
                mapping = load_mapping(registries / f"{kind.value}.mapping.toml")
                report = import_registry(store, registries / f"{kind.value}.parquet", kind, mapping)
                rows[kind.value] = report.rows_added
            resolve_registries(store, False, None)
    finally:
        vault.close()
    text, counts = export_text(data_dir)
    file = root / "export.ftm.jsonl"
    file.write_text(text, encoding="utf-8")
    return Exported(data_dir, file, text, counts, rows)
