"""Retention: dossiers past the setting are reduced, and each reduction is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bonafide.cases import CaseStore
from bonafide.cases import store as store_module
from bonafide.cases.retention import apply_retention
from bonafide.cli import app
from bonafide.datadir import DATA_DIR_ENV
from bonafide.vault import Vault
from bonafide.vault.access import PASSPHRASE_ENV
from bonafide.vault.audit import AuditAction, AuditLog
from bonafide.vault.settings import VaultSettings
from tests.vaults import TEST_PASSPHRASE, vault_for

OLD = "2020-03-01T09:30:00+00:00"


def keep(vault: Vault, code: str, verified_at: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a dossier as if verified at `verified_at` (None: now)."""
    with monkeypatch.context() as patched:
        if verified_at is not None:
            patched.setattr(store_module, "_now", lambda: verified_at)
        cases = CaseStore.open(vault)
        cases.keep(code, {"verdict": "consistent", "applicant": {"name": "Anna"}}, "accepted")
        cases.close()


def reduced_codes(vault: Vault) -> dict[str, bool]:
    cases = CaseStore.open(vault)
    found = {d.code: d.reduced for d in cases.dossiers()}
    cases.close()
    return found


def test_retention_off_reduces_nothing(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    keep(vault, "BF-OLD", OLD, monkeypatch)
    assert apply_retention(vault) == 0
    VaultSettings(retention_days=0).save(vault)
    assert apply_retention(vault) == 0
    assert reduced_codes(vault) == {"BF-OLD": False}


def test_retention_reduces_old_dossiers_and_audits_each(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep(vault, "BF-OLD-1", OLD, monkeypatch)
    keep(vault, "BF-OLD-2", OLD, monkeypatch)
    keep(vault, "BF-NEW", None, monkeypatch)
    VaultSettings(retention_days=30).save(vault)

    assert apply_retention(vault) == 2

    assert reduced_codes(vault) == {"BF-OLD-1": True, "BF-OLD-2": True, "BF-NEW": False}
    log = AuditLog(vault)
    entries = list(log.entries())
    assert log.verify().intact
    log.close()
    assert sorted((e.action, e.dossier) for e in entries[1:]) == [  # after the creation
        (AuditAction.DOSSIERS_REDUCED, "BF-OLD-1"),
        (AuditAction.DOSSIERS_REDUCED, "BF-OLD-2"),
    ]
    assert all(e.detail == {"days": 30} for e in entries[1:])
    assert apply_retention(vault) == 0


def test_the_retention_command_reduces_now(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep(vault_for(data_dir), "BF-OLD", OLD, monkeypatch)
    passphrase = tmp_path / "passphrase"
    passphrase.write_text(TEST_PASSPHRASE)
    runner = CliRunner(env={PASSPHRASE_ENV: None, DATA_DIR_ENV: None, "COLUMNS": "200"})
    result = runner.invoke(
        app,
        ["vault", "retention", "--days", "90", "--data-dir", str(data_dir),
         "--passphrase-file", str(passphrase)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "reduced 90 days after verification; 1 reduced now" in result.output
    assert reduced_codes(vault_for(data_dir)) == {"BF-OLD": True}
    shown = runner.invoke(
        app, ["cases", "show", "BF-OLD", "--data-dir", str(data_dir)],
        env={PASSPHRASE_ENV: TEST_PASSPHRASE},
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert '"report": null' in shown.output
    assert "Anna" not in shown.output
