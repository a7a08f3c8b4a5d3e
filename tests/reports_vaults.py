"""Reports channels for the reviewer's tests: a vault of their own (a passphrase of their own, not
the dossiers' test passphrase) filled from the synthetic stream, one report with a photo."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import shutil
from pathlib import Path

from PIL import Image

from bonafide.reports.channel import Channel
from bonafide.reports.intake import parse_report
from bonafide.reports.scrub import coarsen
from bonafide.reports.synth import SynthStreamConfig, write_stream
from bonafide.vault import Passphrase, Vault
from tests.vaults import TEST_KDF

REPORTS_PASSPHRASE = "reports only, not the dossiers'"
PHOTO_TEXT = "A photo of the convoy at the crossing"  # the report with the photo says this


def jpeg() -> str:
    """A small photo, as base64 (the channel re-encodes it)."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 140, 90)).save(out, format="JPEG")
    return base64.b64encode(out.getvalue()).decode("ascii")


def reports_vault(reports_dir: Path) -> Vault:
    if Vault.exists(reports_dir):
        return Vault.unlock(reports_dir, Passphrase(REPORTS_PASSPHRASE))
    return Vault.create(reports_dir, Passphrase(REPORTS_PASSPHRASE), TEST_KDF)


def fill_reports(reports_dir: Path, scratch: Path, reports: int = 300, seed: int = 3) -> None:
    """The synthetic stream's reports taken into the channel in `reports_dir`, each arriving
    10 minutes after it was seen; the first one sent again later with a photo."""
    write_stream(SynthStreamConfig(reports=reports, seed=seed), scratch)
    lines = (scratch / "reports.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    first = dict(records[0])
    first.pop("report_id")
    records.insert(1, {**first, "text": PHOTO_TEXT, "photo": jpeg()})
    vault = reports_vault(reports_dir)
    channel = Channel(vault)
    try:
        for record in records:
            facts = parse_report(record, max_age=None)
            seen = dt.datetime.fromisoformat(facts["seen_at"])
            channel.take(facts, coarsen(seen + dt.timedelta(minutes=10)))
    finally:
        channel.close()
        vault.close()


def copy_reports(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target
