from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bonafide.registry import ColumnMapping, ImportReport, RegistryStore, import_registry
from tests.vaults import vault_for

from .helpers import TEST_SETTINGS, ImportFile


@pytest.fixture
def store(data_dir: Path) -> Iterator[RegistryStore]:
    with RegistryStore.open(vault_for(data_dir), TEST_SETTINGS) as opened:
        yield opened


@pytest.fixture
def import_file(store: RegistryStore, tmp_path: Path) -> ImportFile:
    """Write `text` (or bytes) to a file named `name` and import it."""

    def run(
        name: str,
        content: str | bytes,
        kind: str = "identity",
        mapping: ColumnMapping | None = None,
        **options: object,
    ) -> ImportReport:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return import_registry(store, path, kind, mapping, **options)  # type: ignore[arg-type]

    return run
