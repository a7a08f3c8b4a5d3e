"""The service over a copy of the shared resolved store, unlocked, with one account per role."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bonafide.accounts import Role
from bonafide.api import create_app
from bonafide.vault import Passphrase
from tests.vaults import TEST_PASSPHRASE

PASSWORD = "a long test password"


@pytest.fixture
def api_dir(resolved_data_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(resolved_data_dir, target)
    return target


class Desk:
    """A client and a token per role."""

    def __init__(self, client: TestClient, tokens: dict[Role, str]) -> None:
        self.client = client
        self.tokens = tokens

    def auth(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture
def desk(api_dir: Path) -> Iterator[Desk]:
    yield from _desk(api_dir)


@pytest.fixture(scope="module")
def shared_desk(
    resolved_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desk]:
    """One service for a whole module, for tests that only read or whose writes do not matter
    to each other (the role matrix)."""
    target = tmp_path_factory.mktemp("shared-desk") / "data"
    shutil.copytree(resolved_data_dir, target)
    yield from _desk(target)


def _desk(api_dir: Path) -> Iterator[Desk]:
    app = create_app(api_dir, Passphrase(TEST_PASSPHRASE))
    accounts = app.state.server.opened().accounts
    tokens = {}
    for role in Role:
        accounts.add(f"{role.value}-1", role, PASSWORD)
        tokens[role] = accounts.create_token(f"{role.value}-1")
    with TestClient(app) as client:
        yield Desk(client, tokens)
