"""The vault's primitives: subkeys, sealing, keyed hashes, Argon2id's cost."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonafide.vault.crypto import (
    KEY_BYTES,
    NONCE_BYTES,
    KdfParams,
    UndecryptableError,
    derive,
    keyed_hash,
    random_key,
    seal,
    stretch,
    unseal,
)
from tests.vaults import TEST_KDF

KEY = bytes(range(KEY_BYTES))


def test_random_keys_are_32_bytes_and_never_repeat() -> None:
    keys = {random_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(len(k) == KEY_BYTES for k in keys)


def test_each_purpose_has_its_own_subkey() -> None:
    purposes = ["files", "audit entries", "audit chain", "case store values", "registry store"]
    subkeys = [derive(KEY, p) for p in purposes]
    assert len(set(subkeys)) == len(purposes)
    assert derive(KEY, "files") == derive(KEY, "files")
    assert derive(KEY, "files") != derive(random_key(), "files")
    assert derive(KEY, "files", b"salt") != derive(KEY, "files")


@settings(max_examples=50, deadline=None)
@given(plaintext=st.binary(max_size=2000), aad=st.binary(max_size=40))
def test_seal_round_trips(plaintext: bytes, aad: bytes) -> None:
    sealed = seal(KEY, plaintext, aad)
    assert len(sealed) == NONCE_BYTES + len(plaintext) + 16
    assert unseal(KEY, sealed, aad) == plaintext


@settings(max_examples=50, deadline=None)
@given(plaintext=st.binary(min_size=1, max_size=200), data=st.data())
def test_any_flipped_bit_is_refused(plaintext: bytes, data: st.DataObject) -> None:
    sealed = bytearray(seal(KEY, plaintext, b"aad"))
    position = data.draw(st.integers(0, len(sealed) - 1))
    sealed[position] ^= 1 << data.draw(st.integers(0, 7))
    with pytest.raises(UndecryptableError):
        unseal(KEY, bytes(sealed), b"aad")


@pytest.mark.parametrize(
    ("key", "sealed", "aad"),
    [
        (random_key(), seal(KEY, b"value", b"row 1"), b"row 1"),
        (KEY, seal(KEY, b"value", b"row 1"), b"row 2"),
        (KEY, seal(KEY, b"value", b"row 1")[:-1], b"row 1"),
        (KEY, b"", b"row 1"),
        (KEY, b"short", b"row 1"),
    ],
    ids=["wrong key", "other associated data", "cut short", "empty", "shorter than a nonce"],
)
def test_unseal_refuses(key: bytes, sealed: bytes, aad: bytes) -> None:
    with pytest.raises(UndecryptableError):
        unseal(key, sealed, aad)


def test_seal_uses_a_fresh_nonce_each_time() -> None:
    assert seal(KEY, b"same", b"") != seal(KEY, b"same", b"")


def test_keyed_hash_depends_on_key_and_data() -> None:
    assert keyed_hash(KEY, b"BF-1") == keyed_hash(KEY, b"BF-1")
    assert keyed_hash(KEY, b"BF-1") != keyed_hash(KEY, b"BF-2")
    assert keyed_hash(KEY, b"BF-1") != keyed_hash(random_key(), b"BF-1")
    assert len(keyed_hash(KEY, b"")) == 32


def test_stretch_depends_on_passphrase_salt_and_cost() -> None:
    salt = b"s" * 16
    key = stretch(b"passphrase", salt, TEST_KDF)
    assert len(key) == KEY_BYTES
    assert stretch(b"passphrase", salt, TEST_KDF) == key
    assert stretch(b"passphrasf", salt, TEST_KDF) != key
    assert stretch(b"passphrase", b"t" * 16, TEST_KDF) != key
    assert stretch(b"passphrase", salt, KdfParams(2, TEST_KDF.memory_kib, 1)) != key


def test_kdf_params_to_json() -> None:
    assert KdfParams(1, 8192, 1).to_json() == {"time_cost": 1, "memory_kib": 8192, "parallelism": 1}


# the peak resident memory of the process (VmHWM, in KiB: unlike ru_maxrss, not inherited
# from the parent across exec)
_MEASURE = textwrap.dedent(
    """
    from pathlib import Path
    from bonafide.vault.crypto import KdfParams, stretch

    def peak():
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

    before = peak()
    stretch(b"passphrase", b"s" * 16, KdfParams())
    print(peak() - before)
    """
)


def test_default_kdf_costs_at_least_64_mib() -> None:
    """The one test that pays the default Argon2id: measured in a fresh process, whose peak
    memory grows by what Argon2id fills."""
    assert KdfParams().memory_kib >= 64 * 1024
    assert KdfParams().time_cost >= 1
    grown_kib = int(
        subprocess.run(
            [sys.executable, "-c", _MEASURE], capture_output=True, text=True, check=True
        ).stdout
    )
    assert grown_kib >= 64 * 1024
