"""Registry imports and resolving through the service, followed as server-sent events."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bonafide.accounts import Role
from bonafide.api import create_app
from bonafide.vault import Passphrase
from tests.vaults import TEST_PASSPHRASE, vault_for

from .conftest import PASSWORD


def _events(text: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        found.append((lines["event"], json.loads(lines["data"])))
    return found


def test_an_import_and_a_resolve_run_in_the_background_with_progress(
    tmp_path: Path, population: Any
) -> None:
    data_dir = tmp_path / "data"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("identity.parquet", "identity.mapping.toml"):
        shutil.copy(population.registries / name, inbox / name)
    vault_for(data_dir).close()
    app = create_app(data_dir, Passphrase(TEST_PASSPHRASE), inbox)
    accounts = app.state.server.opened().accounts
    accounts.add("analyst-1", Role.ANALYST, PASSWORD)
    analyst = {"Authorization": f"Bearer {accounts.create_token('analyst-1')}"}
    accounts.add("intake-1", Role.INTAKE, PASSWORD)
    intake = {"Authorization": f"Bearer {accounts.create_token('intake-1')}"}
    with TestClient(app) as client:
        body = {"file": "identity.parquet", "mapping": "identity.mapping.toml"}
        assert (
            client.post("/registries/identity/imports", json=body, headers=intake).status_code
            == 403
        )
        started = client.post("/registries/identity/imports", json=body, headers=analyst)
        assert started.status_code == 202, started.text
        job = started.json()["job_id"]
        events = _events(client.get(f"/jobs/{job}/events", headers=analyst).text)
        assert events[-1][0] == "done"
        assert {e for e, _ in events[:-1]} == {"progress"}
        assert events[-1][1]["rows_added"] > 0
        assert client.get(f"/jobs/{job}", headers=analyst).json()["state"] == "done"

        assert client.post("/registries/resolve", headers=intake).status_code == 403
        resolved = client.post("/registries/resolve", headers=analyst)
        events = _events(
            client.get(f"/jobs/{resolved.json()['job_id']}/events", headers=analyst).text
        )
        assert events[-1][0] == "done"
        assert events[-1][1]["persons"] > 0

        registries = client.get("/registries", headers=analyst).json()
        assert [r["kind"] for r in registries] == ["identity"]


def test_a_file_outside_the_import_directory_is_refused(tmp_path: Path, api_dir: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (tmp_path / "secret.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    app = create_app(api_dir, Passphrase(TEST_PASSPHRASE), inbox)
    accounts = app.state.server.opened().accounts
    accounts.add("analyst-1", Role.ANALYST, PASSWORD)
    analyst = {"Authorization": f"Bearer {accounts.create_token('analyst-1')}"}
    with TestClient(app) as client:
        for name in ("../secret.csv", "/etc/passwd", "missing.csv"):
            answer = client.post(
                "/registries/identity/imports", json={"file": name}, headers=analyst
            )
            assert answer.status_code == 422, name
            assert answer.json()["type"] == "/problems/invalid-input"


def test_without_an_import_directory_imports_are_off(tmp_path: Path, api_dir: Path) -> None:
    app = create_app(api_dir, Passphrase(TEST_PASSPHRASE))
    accounts = app.state.server.opened().accounts
    accounts.add("analyst-1", Role.ANALYST, PASSWORD)
    analyst = {"Authorization": f"Bearer {accounts.create_token('analyst-1')}"}
    with TestClient(app) as client:
        answer = client.post("/registries/identity/imports", json={"file": "x"}, headers=analyst)
        assert answer.status_code == 409
        assert answer.json()["type"] == "/problems/no-import-directory"
