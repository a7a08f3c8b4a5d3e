"""The audit log: entries read back, no plaintext on disk, and every edit of the file detected."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bonafide.errors import StoreError
from bonafide.vault import Vault
from bonafide.vault.audit import AUDIT_FILE, AuditAction, AuditLog, ChainCheck, ChainProblem
from tests.vaults import vault_for

CODE = "BF-7Q2K-9XZ4"
ENTRIES = 6


@pytest.fixture
def audit(vault: Vault) -> Iterator[AuditLog]:
    log = AuditLog(vault)
    yield log
    log.close()


def fill(audit: AuditLog, count: int = ENTRIES) -> None:
    """Entries until the log holds `count`: a vault's log begins with its creation (entry 1)."""
    for n in range(2, count + 1):
        audit.record(AuditAction.DOSSIER_VERIFIED, f"{CODE}-{n}", {"claims": n})


Rows = dict[int, tuple[bytes, bytes]]


def rows(data_dir: Path) -> Rows:
    """The entries as stored: sequence number → (sealed entry, link)."""
    with sqlite3.connect(data_dir / AUDIT_FILE) as connection:
        found = connection.execute("SELECT seq, sealed, link FROM entries").fetchall()
    connection.close()
    return {seq: (sealed, link) for seq, sealed, link in found}


def head_blob(data_dir: Path) -> bytes:
    with sqlite3.connect(data_dir / AUDIT_FILE) as connection:
        sealed: bytes = connection.execute("SELECT sealed FROM head").fetchone()[0]
    connection.close()
    return sealed


def tamper(data_dir: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Change the log as someone with the file but not the key could: plain SQL."""
    connection = sqlite3.connect(data_dir / AUDIT_FILE)
    with connection:
        for sql, parameters in statements:
            connection.execute(sql, parameters)
    connection.close()


def flipped(blob: bytes, position: int = 20) -> bytes:
    changed = bytearray(blob)
    changed[position] ^= 1
    return bytes(changed)


# --- appending and reading back ------------------------------------------------------------


def test_entries_read_back(vault: Vault, audit: AuditLog) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=5)
    audit.record(AuditAction.DOSSIER_VERIFIED, CODE, {"claims": 7, "kind": "identity"})
    audit.record_many(
        [
            (AuditAction.DOSSIER_READ, CODE, {}),
            (AuditAction.RETENTION_SET, None, {"days": 30}),
        ]
    )
    audit.record_many([])
    entries = list(audit.entries())
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert [e.action for e in entries] == [
        AuditAction.VAULT_CREATED,
        AuditAction.DOSSIER_VERIFIED,
        AuditAction.DOSSIER_READ,
        AuditAction.RETENTION_SET,
    ]
    assert [e.dossier for e in entries] == [None, CODE, CODE, None]
    assert entries[1].detail == {"claims": 7, "kind": "identity"}
    assert entries[0].detail == {}
    assert {e.actor for e in entries} == {f"key slot {vault.slot_id}"}
    for entry in entries:
        at = dt.datetime.fromisoformat(entry.at)
        assert at.tzinfo is not None
        assert at.utcoffset() == dt.timedelta(0)
        assert at.microsecond == 0
        assert before <= at <= dt.datetime.now(dt.UTC)
    assert entries[1].to_json()["action"] == "dossier verified"


def test_entries_survive_reopening(vault: Vault, audit: AuditLog, data_dir: Path) -> None:
    fill(audit)
    reopened = AuditLog(vault_for(data_dir), actor="api")
    reopened.record(AuditAction.DOSSIER_READ, CODE)
    entries = list(reopened.entries())
    reopened.close()
    assert len(entries) == ENTRIES + 1
    assert entries[-1].actor == "api"
    assert reopened_check(data_dir).intact


def reopened_check(data_dir: Path) -> ChainCheck:
    log = AuditLog(vault_for(data_dir))
    try:
        return log.verify()
    finally:
        log.close()


def test_a_new_vaults_log_holds_its_creation_and_is_intact(audit: AuditLog) -> None:
    check = audit.verify()
    assert check.intact
    assert (check.entries, check.head_seq) == (1, 1)
    assert [e.action for e in audit.entries()] == [AuditAction.VAULT_CREATED]
    assert audit.head()[0] == 1


def test_a_full_log_is_intact_and_its_head_moves(audit: AuditLog, data_dir: Path) -> None:
    fill(audit, 3)
    seq, link = audit.head()
    assert seq == 3
    assert bytes.fromhex(link) == rows(data_dir)[3][1]
    audit.record(AuditAction.DOSSIER_READ, CODE)
    assert audit.head()[0] == 4
    assert audit.head()[1] != link
    check = audit.verify()
    assert check.intact
    assert (check.entries, check.head_seq, check.problems) == (4, 4, ())


def test_a_plain_directory_logs_as_the_benchmark(tmp_path: Path) -> None:
    log = AuditLog(Vault.without_encryption(tmp_path / "plain"))
    log.record(AuditAction.VAULT_CREATED)
    assert [e.actor for e in log.entries()] == ["benchmark"]
    log.close()


def test_no_plaintext_reaches_the_file(vault: Vault, audit: AuditLog, data_dir: Path) -> None:
    audit.record(AuditAction.DOSSIER_VERIFIED, CODE, {"claims": 12345, "kind": "residence"})
    audit.record(AuditAction.DOSSIER_READ, CODE)
    audit.close()
    content = b"".join(p.read_bytes() for p in data_dir.glob(f"{AUDIT_FILE}*"))
    for text in (CODE, "7Q2K", "dossier verified", "residence", "12345", vault.slot_id or "?"):
        assert text.encode() not in content
        assert text.encode("utf-16-le") not in content
    path = data_dir / AUDIT_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- concurrency ---------------------------------------------------------------------------


def test_two_logs_on_one_directory_interleave(data_dir: Path) -> None:
    first = AuditLog(vault_for(data_dir), actor="desk 1")
    second = AuditLog(vault_for(data_dir), actor="desk 2")
    for n in range(10):
        (first if n % 2 else second).record(AuditAction.DOSSIER_READ, f"{CODE}-{n}")
    second.record_many([(AuditAction.DOSSIER_READ, CODE, {})] * 3)
    first.record(AuditAction.DOSSIER_READ)
    assert [e.seq for e in first.entries()] == list(range(1, 16))  # after the creation
    assert first.verify().intact
    assert second.verify().intact
    first.close()
    second.close()


def test_concurrent_appends_keep_the_chain(data_dir: Path) -> None:
    vault = vault_for(data_dir)
    per_writer = 20
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def append(actor: str) -> None:
        log = AuditLog(vault, actor=actor)
        try:
            start.wait(timeout=60)
            for n in range(per_writer):
                if n % 4:
                    log.record(AuditAction.DOSSIER_READ, f"{actor}-{n}")
                else:
                    log.record_many([(AuditAction.DOSSIER_READ, f"{actor}-{n}", {})] * 2)
        except BaseException as error:
            errors.append(error)
        finally:
            log.close()

    writers = [threading.Thread(target=append, args=(f"desk {k}",)) for k in range(3)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert errors == []
    log = AuditLog(vault)
    entries = list(log.entries())
    check = log.verify()
    log.close()
    expected = 1 + 3 * (per_writer + per_writer // 4)  # the creation, then the three writers
    assert [e.seq for e in entries] == list(range(1, expected + 1))
    assert check.intact
    assert check.head_seq == expected
    for k in range(3):
        assert sum(e.actor == f"desk {k}" for e in entries) == per_writer + per_writer // 4


# --- tampering -----------------------------------------------------------------------------

Tamper = Callable[[Rows, bytes], list[tuple[str, tuple[object, ...]]]]

TAMPERING: dict[str, tuple[Tamper, set[tuple[int, ChainProblem]]]] = {
    "entry's sealed bytes edited": (
        lambda r, h: [("UPDATE entries SET sealed = ? WHERE seq = 3", (flipped(r[3][0]),))],
        {(3, ChainProblem.UNREADABLE), (3, ChainProblem.BROKEN_LINK)},
    ),
    "entry's nonce edited": (
        lambda r, h: [("UPDATE entries SET sealed = ? WHERE seq = 3", (flipped(r[3][0], 0),))],
        {(3, ChainProblem.UNREADABLE), (3, ChainProblem.BROKEN_LINK)},
    ),
    "entry's link edited": (
        lambda r, h: [("UPDATE entries SET link = ? WHERE seq = 3", (flipped(r[3][1], 0),))],
        {(3, ChainProblem.BROKEN_LINK), (4, ChainProblem.BROKEN_LINK)},
    ),
    "entry deleted from the middle": (
        lambda r, h: [("DELETE FROM entries WHERE seq = 3", ())],
        {(4, ChainProblem.GAP), (4, ChainProblem.BROKEN_LINK)},
    ),
    "first entry deleted": (
        lambda r, h: [("DELETE FROM entries WHERE seq = 1", ())],
        {(2, ChainProblem.GAP), (2, ChainProblem.BROKEN_LINK)},
    ),
    "two entries swapped": (
        lambda r, h: [
            ("UPDATE entries SET seq = -1 WHERE seq = 2", ()),
            ("UPDATE entries SET seq = 2 WHERE seq = 3", ()),
            ("UPDATE entries SET seq = 3 WHERE seq = -1", ()),
        ],
        {(2, ChainProblem.BROKEN_LINK), (3, ChainProblem.BROKEN_LINK)},
    ),
    "two entries' contents swapped, numbers kept": (
        lambda r, h: [
            ("UPDATE entries SET sealed = ?, link = ? WHERE seq = 2", r[3]),
            ("UPDATE entries SET sealed = ?, link = ? WHERE seq = 3", r[2]),
        ],
        {(2, ChainProblem.BROKEN_LINK), (3, ChainProblem.BROKEN_LINK)},
    ),
    "last entries deleted": (
        lambda r, h: [("DELETE FROM entries WHERE seq > 4", ())],
        {(6, ChainProblem.TRUNCATED)},
    ),
    "every entry deleted": (
        lambda r, h: [("DELETE FROM entries", ())],
        {(6, ChainProblem.TRUNCATED)},
    ),
    "every entry and the head deleted": (
        lambda r, h: [("DELETE FROM entries", ()), ("DELETE FROM head", ())],
        {(0, ChainProblem.EMPTIED)},
    ),
    "head deleted": (
        lambda r, h: [("DELETE FROM head", ())],
        {(6, ChainProblem.NO_HEAD)},
    ),
    "head edited": (
        lambda r, h: [("UPDATE head SET sealed = ?", (flipped(h),))],
        {(6, ChainProblem.NO_HEAD)},
    ),
    "a copied entry appended": (
        lambda r, h: [("INSERT INTO entries VALUES (7, ?, ?)", r[2])],
        {(7, ChainProblem.UNREADABLE), (7, ChainProblem.BROKEN_LINK)},
    ),
    "a copied entry inserted in the middle": (
        lambda r, h: [
            ("UPDATE entries SET seq = seq + 100 WHERE seq >= 4", ()),
            ("UPDATE entries SET seq = seq - 99 WHERE seq >= 100", ()),
            ("INSERT INTO entries VALUES (4, ?, ?)", r[2]),
        ],
        {
            (4, ChainProblem.UNREADABLE),
            (4, ChainProblem.BROKEN_LINK),
            (5, ChainProblem.UNREADABLE),
            (5, ChainProblem.BROKEN_LINK),
        },
    ),
    "the last entry replaced by a copy of another": (
        lambda r, h: [("UPDATE entries SET sealed = ?, link = ? WHERE seq = 6", r[5])],
        {(6, ChainProblem.UNREADABLE), (6, ChainProblem.BROKEN_LINK)},
    ),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_tampering_is_detected(audit: AuditLog, data_dir: Path, case: str) -> None:
    fill(audit)
    audit.close()
    change, expected = TAMPERING[case]
    tamper(data_dir, *change(rows(data_dir), head_blob(data_dir)))

    check = reopened_check(data_dir)

    assert not check.intact
    assert expected <= set(check.problems), check.problems


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE entries SET sealed = 'edited' WHERE seq = 2",
        "UPDATE entries SET sealed = 5 WHERE seq = 2",
        "UPDATE entries SET link = 'edited' WHERE seq = 2",
        "UPDATE head SET sealed = 'edited'",
    ],
    ids=["entry as text", "entry as a number", "link as text", "head as text"],
)
def test_values_of_another_type_are_reported_not_raised(
    audit: AuditLog, data_dir: Path, statement: str
) -> None:
    fill(audit, 3)
    tamper(data_dir, (statement, ()))
    assert not reopened_check(data_dir).intact


def test_edited_entries_are_skipped_when_read(audit: AuditLog, data_dir: Path) -> None:
    fill(audit)
    tamper(
        data_dir, ("UPDATE entries SET sealed = ? WHERE seq = 2", (flipped(rows(data_dir)[2][0]),))
    )
    assert [e.seq for e in audit.entries()] == [1, 3, 4, 5, 6]


def test_no_entry_is_added_after_a_head_that_does_not_decrypt(
    audit: AuditLog, data_dir: Path
) -> None:
    fill(audit, 2)
    tamper(data_dir, ("UPDATE head SET sealed = ?", (flipped(head_blob(data_dir)),)))
    with pytest.raises(StoreError, match="head does not decrypt"):
        audit.record(AuditAction.DOSSIER_READ, CODE)
    assert len(rows(data_dir)) == 2


def test_a_failed_append_adds_nothing(audit: AuditLog, data_dir: Path) -> None:
    fill(audit, 2)
    with pytest.raises(TypeError):
        audit.record_many(
            [
                (AuditAction.DOSSIER_READ, CODE, {}),
                (AuditAction.DOSSIER_READ, CODE, {"not json": object()}),
            ]
        )
    assert sorted(rows(data_dir)) == [1, 2]
    fill(audit, 1)
    assert audit.verify().intact


def test_a_log_of_another_vault_does_not_verify(
    audit: AuditLog, data_dir: Path, tmp_path: Path
) -> None:
    fill(audit)
    other = vault_for(tmp_path / "other")
    (tmp_path / "other" / AUDIT_FILE).write_bytes((data_dir / AUDIT_FILE).read_bytes())
    log = AuditLog(other)
    check = log.verify()
    assert list(log.entries()) == []
    log.close()
    assert {problem for _, problem in check.problems} >= {
        ChainProblem.UNREADABLE,
        ChainProblem.BROKEN_LINK,
        ChainProblem.NO_HEAD,
    }
