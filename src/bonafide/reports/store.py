"""The reports' store: `<data-dir>/reports.sqlite` in the reports' own vault (a compartment: it
holds nothing of the dossiers' and the dossiers' vault holds nothing of it).

A report is kept as its facts only — category, place as given, time seen, count, direction,
text, the scrubbed photo — sealed, under a random key, with the hour it arrived. There is no
column for who sent it, from where or with what, because the service never reads it.

A reporter's receipt is random and kept nowhere: a receipt found on a seized phone must not
lead to the report it acknowledges.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from bonafide.errors import StoreError
from bonafide.vault import Vault
from bonafide.vault.crypto import UndecryptableError, seal, unseal
from bonafide.vault.sqlite import open_sqlite_store

__all__ = ["REPORTS_FILE", "KeptReport", "ReportStore"]

REPORTS_FILE = "reports.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    report_key TEXT PRIMARY KEY,
    sealed BLOB NOT NULL
);
"""


@dataclass(frozen=True)
class KeptReport:
    """A report as kept: its facts, and the hour it arrived (UTC, coarsened)."""

    report_key: str
    received_hour: str
    category: str
    place: str
    seen_at: str
    count: int | None
    direction: str | None
    text: str | None
    photo: str | None  # base64 of the scrubbed JPEG

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class ReportStore:
    """An open report store; one lock around its connection (the service's threads share it)."""

    def __init__(self, vault: Vault) -> None:
        self._connection = open_sqlite_store(
            vault, REPORTS_FILE, _SCHEMA, "the report store", shared=True
        )
        self._value_key = vault.key("report store values")
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._connection.commit()
            self._connection.close()

    def keep(self, facts: dict[str, Any], received_hour: dt.datetime) -> str:
        """Keep a report's facts; returns its receipt (random, and not kept)."""
        report_key = secrets.token_hex(16)
        kept = KeptReport(
            report_key=report_key,
            received_hour=received_hour.isoformat(),
            category=str(facts["category"]),
            place=str(facts["place"]),
            seen_at=str(facts["seen_at"]),
            count=facts.get("count"),
            direction=facts.get("direction"),
            text=facts.get("text"),
            photo=facts.get("photo"),
        )
        receipt = secrets.token_urlsafe(12)
        sealed = seal(
            self._value_key, json.dumps(kept.to_json()).encode("utf-8"), report_key.encode()
        )
        with self._lock:
            self._connection.execute("INSERT INTO reports VALUES (?, ?)", (report_key, sealed))
            self._connection.commit()
        return receipt

    def reports(self) -> Iterator[KeptReport]:
        with self._lock:
            rows = self._connection.execute("SELECT report_key, sealed FROM reports").fetchall()
        for key, sealed in rows:
            try:
                data = json.loads(unseal(self._value_key, sealed, str(key).encode()))
            except UndecryptableError:
                raise StoreError(
                    "a report in the report store does not decrypt: it was changed outside "
                    "bonafide",
                    hint="restore the reports' data directory from a backup",
                ) from None
            yield KeptReport(**data)

    def count(self) -> int:
        with self._lock:
            return int(self._connection.execute("SELECT count(*) FROM reports").fetchone()[0])
