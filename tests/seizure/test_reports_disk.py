"""The reports' data directory seized: made the way an office makes it (vault init, reports
taken in through the CLI and through the intake, reduction), no report's text, place as written
or time seen can be read from any file, and the SQLite file's plain columns hold only random
keys, states and numbers."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bonafide.cli import app
from bonafide.datadir import DATA_DIR_ENV
from bonafide.reports.server import create_reports_app
from bonafide.reports.synth import SynthStreamConfig, write_stream
from bonafide.vault import Passphrase
from bonafide.vault.access import PASSPHRASE_ENV
from tests.seizure.scan import dump_json, found_in
from tests.vaults import KDF_OPTIONS, TEST_PASSPHRASE

FRESH_TEXT = "Колонна из двенадцати БТР у элеватора, номер борта 4471"


def _run(*args: str | Path) -> None:
    runner = CliRunner(env={PASSPHRASE_ENV: TEST_PASSPHRASE, DATA_DIR_ENV: "", "COLUMNS": "120"})
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (args, result.output, result.exception)


@pytest.fixture(scope="module")
def channel_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    root = tmp_path_factory.mktemp("reports-office")
    data_dir = root / "reports"
    stream = root / "stream"
    write_stream(SynthStreamConfig(reports=600, seed=11), stream)
    passphrase = root / "passphrase"
    passphrase.write_text(TEST_PASSPHRASE, encoding="utf-8")
    _run("vault", "init", "--data-dir", data_dir, "--passphrase-file", passphrase, *KDF_OPTIONS)
    passphrase.unlink()
    # half the stream stays as sent (taken just now), half is reduced
    lines = (stream / "reports.jsonl").read_text(encoding="utf-8").splitlines()
    _run("reports", "ingest", stream / "reports.jsonl", "--data-dir", data_dir)
    client = TestClient(create_reports_app(data_dir, Passphrase(TEST_PASSPHRASE)))
    seen = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)).isoformat(timespec="minutes")
    with client:
        answer = client.post(
            "/api/reports",
            json={"category": "military_vehicles", "place": "Маладзечна", "seen_at": seen,
                  "text": FRESH_TEXT, "count": 12},
        )  # fmt: skip
        assert answer.status_code == 201
    values = {FRESH_TEXT, "номер борта"}
    for line in lines:
        record = json.loads(line)
        for key in ("text", "place"):
            if isinstance(record.get(key), str) and len(record[key]) >= 8:
                values.add(record[key])
        values.add(record["seen_at"])
    return data_dir, values


def test_no_report_can_be_read_from_any_byte(channel_dir: tuple[Path, set[str]]) -> None:
    data_dir, values = channel_dir
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "reports.sqlite" for p in files)
    hits = found_in(data_dir, values)
    assert not hits, dump_json(hits)


def test_the_store_s_plain_columns_hold_keys_states_and_numbers(
    channel_dir: tuple[Path, set[str]],
) -> None:
    data_dir, _ = channel_dir
    connection = sqlite3.connect(data_dir / "reports.sqlite")
    texts: set[str] = set()
    for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in connection.execute(f'SELECT * FROM "{table}"'):
            texts |= {v for v in row if isinstance(v, str)}
    connection.close()
    states = {"open", "published", "retracted", "events", "event numbers"}
    assert texts
    assert all(re.fullmatch(r"[0-9a-f]{16}|[0-9a-f]{32}", t) or t in states for t in texts)


def test_the_store_is_the_owner_s_only(channel_dir: tuple[Path, set[str]]) -> None:
    data_dir, _ = channel_dir
    assert (data_dir / "reports.sqlite").stat().st_mode & 0o077 == 0
