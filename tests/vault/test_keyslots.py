"""Key slots: who opens the vault, what a wrong or duress secret does, what the file reveals."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from bonafide.errors import VaultError
from bonafide.vault import KeyFile, Passphrase, Vault
from bonafide.vault.keyslots import SLOTS_FILE, KeySlots, SlotKind
from bonafide.vault.vault import STATE_FILE
from tests.vaults import TEST_KDF, TEST_PASSPHRASE

SECOND = Passphrase("a second, quite different passphrase")
DURESS = Passphrase("the passphrase given under duress")
WRONG = Passphrase("not the passphrase")


def slots_bytes(data_dir: Path) -> bytes:
    return (data_dir / SLOTS_FILE).read_bytes()


def unlock_error(data_dir: Path, secret: Passphrase | KeyFile) -> VaultError:
    with pytest.raises(VaultError) as caught:
        Vault.unlock(data_dir, secret)
    return caught.value


def make_key_file(path: Path, size: int = 32) -> KeyFile:
    path.write_bytes(os.urandom(size))
    return KeyFile(path)


def seal_marker(vault: Vault) -> Path:
    """A sealed file written under the vault's data key, to show the key is the same later."""
    path = vault.data_dir / "marker"
    vault.sealer.write(path, b"written before", "marker")
    return path


def reads_marker(vault: Vault) -> bool:
    return vault.sealer.read(vault.data_dir / "marker", "marker") == b"written before"


# --- opening -------------------------------------------------------------------------------


def test_the_passphrase_opens_the_same_data_key(vault: Vault, data_dir: Path) -> None:
    seal_marker(vault)
    again = Vault.unlock(data_dir, Passphrase(TEST_PASSPHRASE))
    assert again.slot_id == vault.slot_id
    assert again.encrypted
    assert reads_marker(again)


def test_a_wrong_passphrase_changes_nothing(vault: Vault, data_dir: Path) -> None:
    seal_marker(vault)
    before = slots_bytes(data_dir)
    listing = sorted(p.name for p in data_dir.iterdir())
    error = unlock_error(data_dir, WRONG)
    assert "does not open the vault" in str(error)
    assert error.exit_code == 4
    assert slots_bytes(data_dir) == before
    assert sorted(p.name for p in data_dir.iterdir()) == listing
    assert reads_marker(Vault.unlock(data_dir, Passphrase(TEST_PASSPHRASE)))


def test_a_passphrase_is_not_a_key_file_and_back(vault: Vault, data_dir: Path) -> None:
    key_file = make_key_file(data_dir.parent / "key")
    vault.add_slot(key_file)
    key_file.path.write_bytes(TEST_PASSPHRASE.encode().ljust(32, b"\0"))
    unlock_error(data_dir, key_file)
    unlock_error(data_dir, Passphrase(base64.b64encode(os.urandom(32)).decode()))


def test_a_duress_passphrase_wipes_and_answers_as_a_wrong_one(
    vault: Vault, data_dir: Path, tmp_path: Path
) -> None:
    seal_marker(vault)
    vault.add_slot(DURESS, TEST_KDF, duress=True)
    (data_dir / "registry").mkdir()
    (data_dir / "registry" / "store.duckdb").write_bytes(os.urandom(1000))
    wrong = unlock_error(data_dir, WRONG)

    duress = unlock_error(data_dir, DURESS)

    assert str(duress) == str(wrong)
    assert duress.message == wrong.message
    assert duress.hint == wrong.hint
    assert type(duress) is type(wrong)
    # only decoy key slots are left: the data is gone, and every later attempt — the right
    # passphrase included — answers as a wrong passphrase does, not "there is no vault"
    assert list(data_dir.iterdir()) == [data_dir / SLOTS_FILE]
    for later in (Passphrase(TEST_PASSPHRASE), DURESS, WRONG):
        assert str(unlock_error(data_dir, later)) == str(wrong)


def test_a_duress_slot_opens_nothing_even_to_the_library(vault: Vault, data_dir: Path) -> None:
    vault.add_slot(DURESS, TEST_KDF, duress=True)
    opened = KeySlots.load(data_dir).open(DURESS)
    assert opened is not None
    assert opened.duress
    assert opened.data_key is None


def test_a_key_file_opens(vault: Vault, data_dir: Path) -> None:
    seal_marker(vault)
    key_file = make_key_file(data_dir.parent / "usb.key")
    slot_id = vault.add_slot(key_file)
    opened = Vault.unlock(data_dir, key_file)
    assert opened.slot_id == slot_id
    assert reads_marker(opened)
    another = make_key_file(data_dir.parent / "other.key")
    unlock_error(data_dir, another)


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_a_key_file_of_the_wrong_size_is_refused_clearly(
    vault: Vault, data_dir: Path, size: int
) -> None:
    vault.add_slot(make_key_file(data_dir.parent / "usb.key"))
    wrong_size = make_key_file(data_dir.parent / "not-a-key", size)
    message = f"not-a-key is not a bonafide key file (it holds {size} bytes, a key file 32)"
    assert message in str(unlock_error(data_dir, wrong_size))
    with pytest.raises(VaultError, match="is not a bonafide key file"):
        vault.add_slot(make_key_file(data_dir.parent / "new-key", size))


def test_a_missing_key_file_is_named(vault: Vault, data_dir: Path) -> None:
    vault.add_slot(make_key_file(data_dir.parent / "usb.key"))
    error = unlock_error(data_dir, KeyFile(data_dir.parent / "unplugged"))
    assert "cannot read the key file" in str(error)
    assert "unplugged" in str(error)


# --- a missing or damaged slots file ------------------------------------------------------


def test_missing_slots_with_data_say_missing_and_never_make_a_vault(
    vault: Vault, data_dir: Path
) -> None:
    seal_marker(vault)
    (data_dir / SLOTS_FILE).unlink()
    error = unlock_error(data_dir, Passphrase(TEST_PASSPHRASE))
    assert "is missing" in str(error)
    assert "cannot be decrypted" in str(error)
    assert not (data_dir / SLOTS_FILE).exists()
    with pytest.raises(VaultError, match="holds data but no key slots"):
        Vault.create(data_dir, Passphrase(TEST_PASSPHRASE), TEST_KDF)
    assert not (data_dir / SLOTS_FILE).exists()
    assert (data_dir / "marker").exists()


@pytest.mark.parametrize("exists", [True, False], ids=["empty directory", "no directory"])
def test_no_slots_and_no_data_is_no_vault(tmp_path: Path, exists: bool) -> None:
    data_dir = tmp_path / "data"
    if exists:
        data_dir.mkdir()
    error = unlock_error(data_dir, Passphrase(TEST_PASSPHRASE))
    assert f"there is no vault in {data_dir}" in str(error)
    assert "bonafide vault init" in str(error)
    assert data_dir.exists() == exists


def _slots_json(data_dir: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(slots_bytes(data_dir))
    return loaded


def _edited(data_dir: Path, edit: str) -> bytes:
    data = _slots_json(data_dir)
    slot = data["slots"][0]
    edits: dict[str, Any] = {
        "wrong format": lambda: data.update(format="luks"),
        "wrong version": lambda: data.update(version=2),
        "no slots": lambda: data.pop("slots"),
        "no vault id": lambda: data.pop("vault"),
        "slots not a list": lambda: data.update(slots=5),
        "unknown kind": lambda: slot.update(kind="fingerprint"),
        "bad base64": lambda: slot.update(wrapped="@@@@"),
        "salt not base64": lambda: slot.update(salt="***"),
        "short salt": lambda: slot.update(salt="AAAA"),
        "kdf below Argon2's minimum": lambda: slot["kdf"]["argon2id"].update(memory_kib=1),
        "unknown cost": lambda: slot.update(kdf={"argon2id": {"lanes": 2}}),
    }
    edits[edit]()
    return json.dumps(data).encode()


DAMAGED: dict[str, Any] = {
    "garbage": lambda d: b"{not json at all",
    "truncated": lambda d: slots_bytes(d)[: len(slots_bytes(d)) // 2],
    "empty": lambda d: b"",
    "random bytes": lambda d: os.urandom(300),
    **{edit: (lambda e: lambda d: _edited(d, e))(edit) for edit in [
        "wrong format", "wrong version", "no slots", "no vault id", "slots not a list",
        "unknown kind", "unknown cost",
    ]},
}  # fmt: skip


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_damaged_slots_are_reported_as_damaged(data_dir: Path, damage: str) -> None:
    damaged = DAMAGED[damage](data_dir)
    (data_dir / SLOTS_FILE).write_bytes(damaged)
    error = unlock_error(data_dir, Passphrase(TEST_PASSPHRASE))
    assert "is damaged" in str(error)
    assert "restore" in str(error)
    assert slots_bytes(data_dir) == damaged
    with pytest.raises(VaultError, match="already holds a vault"):
        Vault.create(data_dir, Passphrase(TEST_PASSPHRASE), TEST_KDF)


@pytest.mark.parametrize(
    "content",
    [b"[]", b"null", b'"vault"', b'{"format": "bonafide-vault-keys", "version": 1, '
     b'"vault": "00", "slots": [1]}'],
    ids=["list", "null", "string", "slot not an object"],
)  # fmt: skip
def test_slots_that_are_not_objects_are_reported_as_damaged(data_dir: Path, content: bytes) -> None:
    (data_dir / SLOTS_FILE).write_bytes(content)
    assert "is damaged" in str(unlock_error(data_dir, Passphrase(TEST_PASSPHRASE)))


@pytest.mark.parametrize("edit", ["salt not base64", "short salt", "kdf below Argon2's minimum"])
def test_slots_argon2_cannot_use_are_reported_as_damaged(data_dir: Path, edit: str) -> None:
    (data_dir / SLOTS_FILE).write_bytes(_edited(data_dir, edit))
    assert "is damaged" in str(unlock_error(data_dir, Passphrase(TEST_PASSPHRASE)))


# --- creating ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [["cases.sqlite"], ["registry/store.duckdb"], [".hidden"], ["tmp", "audit.sqlite"]],
)
def test_create_refuses_a_directory_holding_data(tmp_path: Path, content: list[str]) -> None:
    data_dir = tmp_path / "data"
    for name in content:
        (data_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (data_dir / name).write_bytes(b"x")
    with pytest.raises(VaultError, match="holds data but no key slots"):
        Vault.create(data_dir, Passphrase(TEST_PASSPHRASE), TEST_KDF)
    assert not (data_dir / SLOTS_FILE).exists()


def test_create_accepts_an_empty_directory_and_keeps_it_private(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "tmp").mkdir()
    for data_dir in (tmp_path / "empty", tmp_path / "new" / "nested"):
        vault = Vault.create(data_dir, Passphrase(TEST_PASSPHRASE), TEST_KDF)
        assert vault.encrypted
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        assert Vault.exists(data_dir)


def test_create_refuses_an_existing_vault(vault: Vault, data_dir: Path) -> None:
    before = slots_bytes(data_dir)
    with pytest.raises(VaultError, match="already holds a vault"):
        Vault.create(data_dir, SECOND, TEST_KDF)
    assert slots_bytes(data_dir) == before


def test_two_vaults_have_different_keys(tmp_path: Path) -> None:
    one = Vault.create(tmp_path / "one", Passphrase(TEST_PASSPHRASE), TEST_KDF)
    two = Vault.create(tmp_path / "two", Passphrase(TEST_PASSPHRASE), TEST_KDF)
    assert one.key("files") != two.key("files")
    assert KeySlots.load(tmp_path / "one").vault_id != KeySlots.load(tmp_path / "two").vault_id


# --- managing slots ------------------------------------------------------------------------


def test_change_secret_rewraps_the_same_data_key(vault: Vault, data_dir: Path) -> None:
    seal_marker(vault)
    old_slot = vault.slot_id
    new_slot = vault.change_secret(Passphrase(TEST_PASSPHRASE), SECOND, TEST_KDF)
    unlock_error(data_dir, Passphrase(TEST_PASSPHRASE))
    opened = Vault.unlock(data_dir, SECOND)
    assert opened.slot_id == new_slot
    assert reads_marker(opened)
    ids = [s.slot_id for s in KeySlots.load(data_dir).slots]
    assert ids == [new_slot]
    assert old_slot not in ids


def test_change_secret_keeps_the_other_slots(vault: Vault, data_dir: Path) -> None:
    third = Passphrase("a third passphrase, also long")
    kept = vault.add_slot(third, TEST_KDF)
    vault.change_secret(Passphrase(TEST_PASSPHRASE), SECOND, TEST_KDF)
    assert kept in [s.slot_id for s in KeySlots.load(data_dir).slots]
    assert Vault.unlock(data_dir, third).slot_id == kept


@pytest.mark.parametrize("old", [WRONG, DURESS], ids=["wrong", "duress"])
def test_change_secret_refuses_an_old_secret_that_opens_no_data(
    vault: Vault, data_dir: Path, old: Passphrase
) -> None:
    vault.add_slot(DURESS, TEST_KDF, duress=True)
    before = slots_bytes(data_dir)
    with pytest.raises(VaultError, match="does not open the vault"):
        vault.change_secret(old, SECOND, TEST_KDF)
    assert slots_bytes(data_dir) == before


def test_change_secret_refuses_a_passphrase_that_opens_another_slot(
    vault: Vault, data_dir: Path
) -> None:
    seal_marker(vault)
    vault.add_slot(DURESS, TEST_KDF, duress=True)
    with pytest.raises(VaultError, match="already opens a slot"):
        vault.change_secret(Passphrase(TEST_PASSPHRASE), DURESS, TEST_KDF)
    assert reads_marker(Vault.unlock(data_dir, Passphrase(TEST_PASSPHRASE)))


def test_remove_slot_refuses_the_slot_that_unlocked(vault: Vault, data_dir: Path) -> None:
    assert vault.slot_id is not None
    before = slots_bytes(data_dir)
    with pytest.raises(VaultError, match="the one this command was unlocked with"):
        vault.remove_slot(vault.slot_id)
    assert slots_bytes(data_dir) == before


def test_remove_slot_removes_another(vault: Vault, data_dir: Path) -> None:
    second = vault.add_slot(SECOND, TEST_KDF)
    assert Vault.unlock(data_dir, SECOND).slot_id == second
    vault.remove_slot(second)
    unlock_error(data_dir, SECOND)
    assert [s.slot_id for s in KeySlots.load(data_dir).slots] == [vault.slot_id]
    with pytest.raises(VaultError, match="has no key slot"):
        vault.remove_slot(second)


def test_remove_slot_refuses_the_slot_that_replaced_the_unlocking_one(vault: Vault) -> None:
    new_slot = vault.change_secret(Passphrase(TEST_PASSPHRASE), SECOND, TEST_KDF)
    with pytest.raises(VaultError):
        vault.remove_slot(new_slot)


@pytest.mark.parametrize(
    ("existing", "again"),
    [
        (None, Passphrase(TEST_PASSPHRASE)),
        (SECOND, SECOND),
        (DURESS, DURESS),
    ],
    ids=["the unlocking one", "another slot's", "a duress slot's"],
)
def test_adding_a_passphrase_already_used_is_refused(
    vault: Vault, data_dir: Path, existing: Passphrase | None, again: Passphrase
) -> None:
    if existing is not None:
        vault.add_slot(existing, TEST_KDF, duress=existing is DURESS)
    before = slots_bytes(data_dir)
    with pytest.raises(VaultError, match="already opens a slot"):
        vault.add_slot(again, TEST_KDF)
    assert slots_bytes(data_dir) == before
    assert (data_dir / SLOTS_FILE).exists()  # a duress secret given here wipes nothing


def test_adding_a_key_file_already_used_is_refused(vault: Vault, data_dir: Path) -> None:
    key_file = make_key_file(data_dir.parent / "usb.key")
    vault.add_slot(key_file)
    with pytest.raises(VaultError, match="already opens a slot"):
        vault.add_slot(key_file)


# --- what the slots file reveals -----------------------------------------------------------


def test_the_slots_file_is_private_and_holds_no_secret(vault: Vault, data_dir: Path) -> None:
    key_file = make_key_file(data_dir.parent / "usb.key")
    vault.add_slot(SECOND, TEST_KDF)
    vault.add_slot(DURESS, TEST_KDF, duress=True)
    vault.add_slot(key_file)
    path = data_dir / SLOTS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_bytes()
    data_key = vault._data_key
    assert data_key is not None
    secrets = [
        key_file.path.read_bytes(),
        data_key,
        *(vault.key(p) for p in ("files", "audit entries", "case store values")),
    ]
    for passphrase in (TEST_PASSPHRASE, SECOND.text, DURESS.text):
        assert passphrase.encode() not in content
    for word in ("horse", "battery", "different", "duress", "given"):
        assert word.encode() not in content
    for secret in secrets:
        for encoded in (secret, secret.hex().encode(), base64.b64encode(secret)):
            assert encoded not in content
    # no partial file left: the slots, the vault's sealed list of its stores, and its log
    assert sorted(p.name for p in data_dir.iterdir()) == ["audit.sqlite", SLOTS_FILE, STATE_FILE]


def _shape(value: Any) -> Any:
    """The JSON's structure: keys, types and lengths, none of its values."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, str):
        return ("str", len(value))
    return type(value).__name__


def test_normal_and_duress_slots_look_alike(vault: Vault, data_dir: Path) -> None:
    vault.add_slot(DURESS, TEST_KDF, duress=True)
    vault.add_slot(SECOND, TEST_KDF)
    vault.add_slot(Passphrase("another duress passphrase"), TEST_KDF, duress=True)
    slots = _slots_json(data_dir)["slots"]
    assert len(slots) == 4
    shapes = [_shape(s) for s in slots]
    assert all(shape == shapes[0] for shape in shapes)
    kinds = {s.kind for s in KeySlots.load(data_dir).slots}
    assert kinds == {SlotKind.PASSPHRASE}
    assert len({s["slot"] for s in slots}) == 4
    assert len({s["salt"] for s in slots}) == 4


def test_key_file_slots_keep_no_kdf(vault: Vault, data_dir: Path) -> None:
    vault.add_slot(make_key_file(data_dir.parent / "usb.key"))
    normal, key_file = _slots_json(data_dir)["slots"]
    assert key_file["kind"] == "key-file"
    assert key_file["kdf"] is None
    assert normal["kdf"] == {"argon2id": TEST_KDF.to_json()}
    assert len(key_file["wrapped"]) == len(normal["wrapped"])


def test_the_slots_file_round_trips(vault: Vault, data_dir: Path) -> None:
    vault.add_slot(DURESS, TEST_KDF, duress=True)
    loaded = KeySlots.load(data_dir)
    assert loaded.to_json() == _slots_json(data_dir)
    assert KeySlots(loaded.vault_id, loaded.slots) == loaded


def test_a_passphrase_is_never_printed() -> None:
    assert TEST_PASSPHRASE not in repr(Passphrase(TEST_PASSPHRASE))
    assert TEST_PASSPHRASE not in str(Passphrase(TEST_PASSPHRASE))


def test_after_a_duress_wipe_the_slots_look_as_before(vault: Vault, data_dir: Path) -> None:
    vault.add_slot(DURESS, TEST_KDF, duress=True)
    before = KeySlots.load(data_dir)
    unlock_error(data_dir, DURESS)
    after = KeySlots.load(data_dir)
    assert after.vault_id == before.vault_id
    assert [(s.slot_id, s.kind, s.kdf, len(s.salt), len(s.wrapped)) for s in after.slots] == [
        (s.slot_id, s.kind, s.kdf, len(s.salt), len(s.wrapped)) for s in before.slots
    ]
    assert all(a.wrapped != b.wrapped for a, b in zip(after.slots, before.slots, strict=True))
