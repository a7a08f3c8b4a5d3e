"""The case store: reports read back, nothing readable in its files, reduction that forgets."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bonafide.cases import CASES_FILE, CaseStore, KeptDossier
from bonafide.errors import StoreError
from bonafide.vault import Vault
from tests.vaults import vault_for

CODE = "BF-7Q2K-9XZ4"
OTHER = "BF-3MPL-0DKW"
NAME = "Ціханоўская Святлана Георгіеўна"
DOCUMENT = "MP4471902"


def report(code: str = CODE, verdict: str = "consistent", padding: int = 0) -> dict[str, Any]:
    return {
        "dossier_id": code,
        "verdict": verdict,
        "applicant": {"name": NAME, "birth_date": "1982-09-11", "document": DOCUMENT},
        "claims": [{"kind": "identity", "outcome": "confirmed", "note": "x" * padding}],
    }


@pytest.fixture
def store(vault: Vault) -> Iterator[CaseStore]:
    opened = CaseStore.open(vault)
    yield opened
    opened.close()


def file_bytes(data_dir: Path) -> bytes:
    """Every file of the case store: the database, and its journal if there is one."""
    return b"".join(p.read_bytes() for p in sorted(data_dir.glob(f"{CASES_FILE}*")))


def applicant_keys(store: CaseStore) -> list[tuple[str, bytes]]:
    return [
        ("person", store.hash("person:P-000123")),
        ("document", store.hash(f"document:{DOCUMENT}")),
        ("name", store.hash(f"name:{NAME}|1982-09-11")),
    ]


def sealed_row(data_dir: Path, store: CaseStore, code: str) -> bytes:
    with sqlite3.connect(data_dir / CASES_FILE) as connection:
        row = connection.execute(
            "SELECT sealed FROM dossiers WHERE dossier_key = ?", (store.dossier_key(code),)
        ).fetchone()
    connection.close()
    sealed: bytes = row[0]
    return sealed


def set_sealed(data_dir: Path, store: CaseStore, code: str, value: object) -> None:
    with sqlite3.connect(data_dir / CASES_FILE) as connection:
        connection.execute(
            "UPDATE dossiers SET sealed = ? WHERE dossier_key = ?",
            (value, store.dossier_key(code)),
        )
    connection.close()


# --- keeping and reading -------------------------------------------------------------------


def test_keep_and_get(store: CaseStore, vault: Vault) -> None:
    before = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    store.keep(CODE, report(), decision="accepted")
    store.commit()
    kept = CaseStore.open(vault_for(vault.data_dir)).get(CODE)
    assert kept is not None
    assert (kept.code, kept.verdict, kept.decision, kept.reduced) == (
        CODE,
        "consistent",
        "accepted",
        False,
    )
    assert kept.report == report()
    verified = dt.datetime.fromisoformat(kept.verified_at)
    assert verified.utcoffset() == dt.timedelta(0)
    assert (verified.second, verified.microsecond) == (0, 0)
    assert before <= verified <= dt.datetime.now(dt.UTC)
    assert store.get(OTHER) is None


def test_keep_replaces_a_dossier_of_the_same_code(store: CaseStore) -> None:
    store.keep(CODE, report(verdict="inconsistent"))
    store.keep(CODE, report(verdict="consistent"), decision="accepted")
    store.keep(OTHER, report(OTHER))
    assert store.count() == 2
    kept = store.get(CODE)
    assert kept is not None
    assert (kept.verdict, kept.decision) == ("consistent", "accepted")
    assert sorted(d.code for d in store.dossiers()) == sorted([CODE, OTHER])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    code=st.text(min_size=1, max_size=40),
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
        max_leaves=12,
    ),
)
@example(code="BF-LARGE", value={"beyond 64 bits": [2**70, -(2**64)], "text": "Аляксандр"})
def test_any_report_round_trips(store: CaseStore, code: str, value: object) -> None:
    store.keep(code, {"verdict": "consistent", "value": value})
    kept = store.get(code)
    assert kept is not None
    assert kept.code == code
    assert kept.report == {"verdict": "consistent", "value": value}


def test_kept_dossier_to_json() -> None:
    kept = KeptDossier(CODE, "2025-01-01T10:00:00+00:00", "consistent", None, True, None)
    assert kept.to_json() == {
        "dossier_id": CODE,
        "verified_at": "2025-01-01T10:00:00+00:00",
        "verdict": "consistent",
        "decision": None,
        "reduced": True,
        "report": None,
    }


def test_applicant_keys_find_other_dossiers(store: CaseStore) -> None:
    keys = applicant_keys(store)
    store.replace_keys(CODE, keys)
    store.replace_keys(OTHER, keys[:1])
    person = keys[0][1]
    assert store.dossiers_with([person], CODE) == {person: [store.dossier_key(OTHER)]}
    assert store.dossiers_with([person], OTHER) == {person: [store.dossier_key(CODE)]}
    held_by_code_only = keys[1][1]
    assert store.dossiers_with([person, held_by_code_only], OTHER) == {
        person: [store.dossier_key(CODE)],
        held_by_code_only: [store.dossier_key(CODE)],
    }
    assert store.dossiers_with([], OTHER) == {}
    assert sorted(store.keys_of(store.dossier_key(CODE))) == sorted(keys)
    store.replace_keys(CODE, keys[1:])
    assert store.dossiers_with([person], OTHER) == {}
    store.keep(OTHER, report(OTHER))
    assert store.code_of(store.dossier_key(OTHER)) == OTHER
    assert store.code_of(store.dossier_key("BF-NONE")) is None


# --- what the files hold -------------------------------------------------------------------


def test_codes_and_reports_never_reach_the_files(
    store: CaseStore, vault: Vault, data_dir: Path
) -> None:
    for n in range(30):
        store.keep(f"{CODE}-{n}", report(f"{CODE}-{n}", padding=n * 100), decision="rejected")
        store.replace_keys(f"{CODE}-{n}", applicant_keys(store))
    store.commit()
    store.keep(CODE, report(padding=5000))  # uncommitted: the journal holds the pages it changes
    assert (data_dir / f"{CASES_FILE}-journal").exists()
    secrets = [CODE, "7Q2K", NAME, NAME.split()[0], DOCUMENT, "1982-09-11", "consistent",
               "rejected", "identity", "P-000123"]  # fmt: skip
    for content in (file_bytes(data_dir), (data_dir / CASES_FILE).read_bytes()):
        for secret in secrets:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert secret.encode(encoding) not in content, secret
    store.commit()
    assert CODE.encode() not in file_bytes(data_dir)
    assert stat.S_IMODE((data_dir / CASES_FILE).stat().st_mode) == 0o600


# --- reduction -----------------------------------------------------------------------------


def test_reduce_older_than_keeps_code_verdict_and_decision(store: CaseStore) -> None:
    store.keep(CODE, report(), decision="accepted")
    store.replace_keys(CODE, applicant_keys(store))
    store.keep(OTHER, report(OTHER, verdict="inconsistent"))
    store.replace_keys(OTHER, applicant_keys(store)[:1])
    store.commit()
    now = dt.datetime.now(dt.UTC)

    assert store.reduce_older_than(30, now=now) == []
    assert sorted(store.reduce_older_than(30, now=now + dt.timedelta(days=31))) == sorted(
        [CODE, OTHER]
    )

    kept = store.get(CODE)
    assert kept is not None
    assert (kept.code, kept.verdict, kept.decision, kept.reduced, kept.report) == (
        CODE,
        "consistent",
        "accepted",
        True,
        None,
    )
    other = store.get(OTHER)
    assert other is not None
    assert (other.verdict, other.reduced, other.report) == ("inconsistent", True, None)
    assert store.keys_of(store.dossier_key(CODE)) == []
    assert store.dossiers_with([applicant_keys(store)[0][1]], "BF-NONE") == {}
    assert store.reduce_older_than(30, now=now + dt.timedelta(days=400)) == []  # once only
    assert store.count() == 2


def test_only_dossiers_past_the_time_are_reduced(store: CaseStore) -> None:
    store.keep(CODE, report())
    store.commit()
    verified = dt.datetime.fromisoformat(store.get(CODE).verified_at)  # type: ignore[union-attr]
    assert store.reduce_older_than(10, now=verified + dt.timedelta(days=10)) == []
    assert store.reduce_older_than(10, now=verified + dt.timedelta(days=10, minutes=1)) == [CODE]


def test_reduced_content_is_gone_from_the_file(
    store: CaseStore, vault: Vault, data_dir: Path
) -> None:
    store.keep(CODE, report(padding=20_000))  # beyond one page: overflow pages too
    store.replace_keys(CODE, applicant_keys(store))
    store.keep(OTHER, report(OTHER, padding=300))
    store.replace_keys(OTHER, applicant_keys(store)[:1])
    store.commit()
    sealed = {code: sealed_row(data_dir, store, code) for code in (CODE, OTHER)}
    hashes = [key_hash for _, key_hash in applicant_keys(store)]
    before = file_bytes(data_dir)
    pieces = [s[n : n + 32] for s in sealed.values() for n in (12, len(s) // 2, len(s) - 32)]
    assert all(piece in before for piece in pieces)
    assert all(key_hash in before for key_hash in hashes)

    store.reduce_older_than(1, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))

    after = file_bytes(data_dir)
    for piece in pieces:
        assert piece not in after
    for key_hash in hashes:
        assert key_hash not in after
    assert len(after) < len(before)


# --- edited outside bonafide ---------------------------------------------------------------


def test_an_edited_row_raises_store_error(store: CaseStore, data_dir: Path) -> None:
    store.keep(CODE, report())
    store.keep(OTHER, report(OTHER))
    store.commit()
    sealed = bytearray(sealed_row(data_dir, store, CODE))
    sealed[len(sealed) // 2] ^= 1
    set_sealed(data_dir, store, CODE, bytes(sealed))
    with pytest.raises(StoreError, match="changed outside bonafide"):
        store.get(CODE)
    with pytest.raises(StoreError):
        list(store.dossiers())
    with pytest.raises(StoreError):
        store.reduce_older_than(0, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    assert store.get(OTHER) is not None


def test_a_row_moved_to_another_code_raises_store_error(store: CaseStore, data_dir: Path) -> None:
    store.keep(CODE, report())
    store.keep(OTHER, report(OTHER))
    store.commit()
    set_sealed(data_dir, store, CODE, sealed_row(data_dir, store, OTHER))
    with pytest.raises(StoreError):
        store.get(CODE)


def test_a_row_of_another_vault_raises_store_error(
    store: CaseStore, data_dir: Path, tmp_path: Path
) -> None:
    other = CaseStore.open(vault_for(tmp_path / "other"))
    other.keep(CODE, report(verdict="inconsistent"))
    other.close()
    store.keep(CODE, report())
    store.commit()
    set_sealed(data_dir, store, CODE, sealed_row(tmp_path / "other", other, CODE))
    with pytest.raises(StoreError):
        store.get(CODE)


@pytest.mark.parametrize("value", ["edited", 5], ids=["text", "number"])
def test_a_value_of_another_type_raises_store_error(
    store: CaseStore, data_dir: Path, value: object
) -> None:
    store.keep(CODE, report())
    store.commit()
    set_sealed(data_dir, store, CODE, value)
    with pytest.raises(StoreError):
        store.get(CODE)


def test_an_unopenable_file_raises_store_error(vault: Vault, data_dir: Path) -> None:
    (data_dir / CASES_FILE).write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the case store"):
        CaseStore.open(vault)
