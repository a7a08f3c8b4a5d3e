"""How a command gets its secret: files, the environment, a terminal, or a refusal."""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

import pytest

from bonafide.errors import VaultError
from bonafide.vault import KeyFile, Passphrase
from bonafide.vault import access as access_module
from bonafide.vault.access import (
    PASSPHRASE_ENV,
    new_passphrase,
    read_passphrase_file,
    secret_from,
    unlocked,
)
from tests.vaults import TEST_PASSPHRASE


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No passphrase in the environment and no terminal to ask at, unless a test sets them."""
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO())


def write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "passphrase"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "passphrase"),
    [
        (b"correct horse battery", "correct horse battery"),
        (b"correct horse battery\n", "correct horse battery"),
        (b"correct horse battery\r\nsecond line\n", "correct horse battery"),
        (b"  spaces are kept  \n", "  spaces are kept  "),
        ("пароль з літарамі\n".encode(), "пароль з літарамі"),
    ],
    ids=["bare", "newline", "first line only", "spaces kept", "not ASCII"],
)
def test_read_passphrase_file(tmp_path: Path, content: bytes, passphrase: str) -> None:
    assert read_passphrase_file(write(tmp_path, content)) == passphrase


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the passphrase file"),
        (b"", "is empty"),
        (b"\nsecond line", "is empty"),
        (b"\xff\xfe not utf-8", "is not UTF-8 text"),
    ],
    ids=["missing", "empty", "empty first line", "not UTF-8"],
)
def test_bad_passphrase_files_are_named(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "passphrase" if content is None else write(tmp_path, content)
    with pytest.raises(VaultError, match=message) as caught:
        read_passphrase_file(path)
    assert str(path) in str(caught.value)


def test_secret_from_a_passphrase_file_or_key_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"from the file\n")
    assert secret_from(path, None) == Passphrase("from the file")
    assert secret_from(None, tmp_path / "usb.key") == KeyFile(tmp_path / "usb.key")
    with pytest.raises(VaultError, match="both given"):
        secret_from(path, tmp_path / "usb.key")


def test_a_file_wins_over_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "from the environment")
    assert secret_from(None, None) == Passphrase("from the environment")
    assert secret_from(write(tmp_path, b"from the file"), None) == Passphrase("from the file")


def test_without_any_secret_the_vault_stays_locked() -> None:
    with pytest.raises(VaultError) as caught:
        secret_from(None, None)
    assert caught.value.exit_code == 4
    assert "--passphrase-file" in str(caught.value)
    assert PASSPHRASE_ENV in str(caught.value)


def test_an_empty_environment_variable_is_no_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "")
    with pytest.raises(VaultError, match="locked"):
        secret_from(None, None)


@pytest.mark.parametrize(
    ("content", "accepted"),
    [(b"1234567", False), (b"12345678", True), (b"", False)],
)
def test_new_passphrases_have_at_least_8_characters(
    tmp_path: Path, content: bytes, accepted: bool
) -> None:
    path = write(tmp_path, content)
    if accepted:
        assert new_passphrase(path) == Passphrase(content.decode())
    else:
        with pytest.raises(VaultError):
            new_passphrase(path)


def test_a_new_passphrase_needs_a_file_or_a_terminal() -> None:
    with pytest.raises(VaultError, match="new passphrase needed and no terminal"):
        new_passphrase(None)


def test_unlocked_keeps_temporary_files_in_the_vault(data_dir: Path, tmp_path: Path) -> None:
    before = tempfile.tempdir
    with unlocked(data_dir, write(tmp_path, TEST_PASSPHRASE.encode()), None) as vault:
        scratch = vault.scratch_dir
        assert Path(tempfile.gettempdir()) == scratch
        assert scratch.is_relative_to(data_dir)
        with tempfile.NamedTemporaryFile() as spill:
            assert Path(spill.name).parent == scratch
    assert tempfile.tempdir == before
    assert not scratch.exists()


def test_unlocked_warns_of_unencrypted_swap(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(access_module, "unencrypted_swap", lambda: ["/swapfile"])
    with unlocked(data_dir, write(tmp_path, TEST_PASSPHRASE.encode()), None):
        pass
    err = capsys.readouterr().err
    assert "swap on /swapfile is not encrypted" in err


def test_unlocked_restores_the_temporary_directory_after_an_error(
    data_dir: Path, tmp_path: Path
) -> None:
    before = tempfile.tempdir
    scratches: list[Path] = []

    def fail_inside() -> None:
        with unlocked(data_dir, write(tmp_path, TEST_PASSPHRASE.encode()), None) as vault:
            scratches.append(vault.scratch_dir)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fail_inside()
    assert tempfile.tempdir == before
    assert not scratches[0].exists()


def test_unlocked_refuses_a_wrong_passphrase(data_dir: Path, tmp_path: Path) -> None:
    with (
        pytest.raises(VaultError, match="does not open"),
        unlocked(data_dir, write(tmp_path, b"not the passphrase"), None),
    ):
        pass
