"""Fixtures for the case store's tests: a data directory with a vault the test passphrase opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bonafide.vault import Vault
from tests.vaults import vault_for


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A new data directory holding a vault (the test passphrase opens it)."""
    path = tmp_path / "data"
    vault_for(path).close()
    return path


@pytest.fixture
def vault(data_dir: Path) -> Iterator[Vault]:
    opened = vault_for(data_dir)
    yield opened
    opened.close()
