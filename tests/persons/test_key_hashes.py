"""The person index's keyed hashes of blocking keys (`persons.index.key_hashes`)."""

from __future__ import annotations

from hashlib import blake2b

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from bonafide.persons.index import key_hashes

KEY = bytes(range(32))


def _by_definition(texts: list[str]) -> list[int]:
    # what an index written by any earlier version holds: its keys must still be found
    return [
        int.from_bytes(blake2b(t.encode(), digest_size=8, key=KEY).digest(), "little")
        for t in texts
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=60))
def test_a_few_keys_hash_by_definition(texts: list[str]) -> None:
    hashes = key_hashes(texts, KEY)
    assert hashes.dtype == np.uint64
    assert hashes.tolist() == _by_definition(texts)


def test_a_batch_of_keys_hashes_by_definition() -> None:
    # a batch's keys arrive in Arrow, repeating (each distinct one hashed once)
    texts = [f"\x1f{i % 997}\x1eпрозвішча {i % 31}" for i in range(5_000)] + ["", "ў’і"]
    hashes = key_hashes(pa.array(texts, pa.string()), KEY)
    assert hashes.tolist() == _by_definition(texts)
    assert key_hashes(pa.array([], pa.string()), KEY).tolist() == []
    assert key_hashes(texts[:3], b"another key").tolist() != _by_definition(texts[:3])
