"""Export to FtM and import into a fresh store: the same registries, row for row."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from bonafide.cli import app
from bonafide.datadir import DATA_DIR_ENV
from bonafide.ftm.load import import_ftm
from bonafide.registry import KINDS, Kind, RegistryStore
from bonafide.vault.access import PASSPHRASE_ENV
from tests.registry.helpers import TEST_SETTINGS
from tests.vaults import TEST_PASSPHRASE, vault_for

from .conftest import Exported, export_text

ID = re.compile(
    r"^bf-(identity|identity-passport|residence|residence-person|education|education-person|"
    r"employment|employment-person|watchlist|address|organization|person)-[0-9a-f]{32}$"
)


def _values(data_dir: Path, kind: Kind) -> Counter[tuple[object, ...]]:
    """Every record's normalised fields but its id, as a multiset."""
    fields = [f for f in KINDS[kind].field_names if f != "record_id"]
    vault = vault_for(data_dir)
    try:
        with RegistryStore.open(vault, TEST_SETTINGS, read_only=True) as store:
            rows = store.execute("test", f"SELECT {', '.join(fields)} FROM registry_{kind.value}")
    finally:
        vault.close()
    return Counter(rows)


def _import(data_dir: Path, file: Path, kind: Kind | None = None) -> dict[str, tuple[int, ...]]:
    vault = vault_for(data_dir)
    try:
        with RegistryStore.open(vault, TEST_SETTINGS) as store:
            result = import_ftm(store, file, kind)
    finally:
        vault.close()
    return {
        r.kind.value: (r.rows_read, r.rows_added, r.rows_already_present, r.rows_rejected)
        for r in result.reports
    }


def test_round_trip_keeps_every_record_and_field(exported: Exported, tmp_path: Path) -> None:
    assert exported.counts.records == exported.rows
    assert exported.counts.persons > 0
    fresh = tmp_path / "fresh"
    first = _import(fresh, exported.file)
    assert {k: v[1] for k, v in first.items()} == exported.rows
    assert all(v[3] == 0 for v in first.values())
    for kind in Kind:
        assert _values(fresh, kind) == _values(exported.data_dir, kind), kind
    again = _import(fresh, exported.file)
    assert {k: (v[1], v[2]) for k, v in again.items()} == {
        k: (0, n) for k, n in exported.rows.items()
    }


def test_one_kind_alone(exported: Exported, tmp_path: Path) -> None:
    imported = _import(tmp_path / "fresh", exported.file, Kind.EMPLOYMENT)
    assert list(imported) == ["employment"]
    assert imported["employment"][1] == exported.rows["employment"]


def test_ids_are_stable_and_free_of_personal_data(exported: Exported) -> None:
    again, _ = export_text(exported.data_dir)
    assert again == exported.text
    vault = vault_for(exported.data_dir)
    try:
        with RegistryStore.open(vault, TEST_SETTINGS, read_only=True) as store:
            keys = {k for (k,) in store.execute("t", "SELECT record_key FROM registry_identity")}
    finally:
        vault.close()
    for line in exported.text.splitlines():
        entity_id = json.loads(line)["id"]
        # a fixed word or two, then 128 bits of a keyed hash: nothing of the record in clear
        assert ID.match(entity_id), entity_id
        assert entity_id.rsplit("-", 1)[1] not in {k[:32] for k in keys}


def test_ids_differ_between_vaults(exported: Exported, tmp_path: Path) -> None:
    """The ids are keyed by the vault: another vault cannot tell which records they are."""
    other = tmp_path / "other"
    _import(other, exported.file)
    text, _ = export_text(other, persons=False)
    ours = {json.loads(line)["id"] for line in exported.text.splitlines()}
    theirs = {json.loads(line)["id"] for line in text.splitlines()}
    assert not ours & theirs


def test_cli_export_and_import(exported: Exported, tmp_path: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200", DATA_DIR_ENV: "", PASSPHRASE_ENV: TEST_PASSPHRASE})
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["export", "ftm", "--data-dir", str(exported.data_dir), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "plain text" in result.stderr
    assert os.stat(out).st_mode & 0o777 == 0o600
    assert out.read_text(encoding="utf-8") == exported.text

    to_stdout = runner.invoke(
        app, ["export", "ftm", "--data-dir", str(exported.data_dir), "--kind", "watchlist"]
    )
    assert to_stdout.exit_code == 0
    assert "plain text outside the vault" in to_stdout.stderr
    assert all(json.loads(line) for line in to_stdout.stdout.splitlines())

    fresh = tmp_path / "fresh"
    vault_for(fresh).close()
    imported = runner.invoke(
        app,
        ["registry", "import", str(out), "--format", "ftm", "--data-dir", str(fresh), "-q"],
    )
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.count("import ") == len(Kind)
