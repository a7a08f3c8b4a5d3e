"""Sealed files: round trips at every chunk boundary, and every way of changing a file refused."""

from __future__ import annotations

import io
import itertools
import os
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonafide.vault import sealed as sealed_module
from bonafide.vault.crypto import SALT_BYTES, UndecryptableError, random_key
from bonafide.vault.sealed import (
    CHUNK,
    MAGIC,
    PARTIAL_MARK,
    Sealer,
    partial_path,
    remove_partials,
)

HEADER = len(MAGIC) + SALT_BYTES
OVERHEAD = 4 + 16  # length prefix and GCM tag per chunk
SMALL = 64  # a chunk size for tests that look at every byte of a several-chunk file
MARKER = b"BF-7Q2K-9XZ4 Ivanova Anna 1990-02-01 "
STATELESS = HealthCheck.function_scoped_fixture  # `sealer` holds a key and nothing else


@pytest.fixture
def sealer() -> Sealer:
    return Sealer(random_key())


@contextmanager
def small_chunks() -> Iterator[None]:
    """Chunks of SMALL bytes, so that a several-chunk file is a few hundred bytes."""
    with patch.object(sealed_module, "CHUNK", SMALL):
        yield


def records(data: bytes) -> list[bytes]:
    """The length-prefixed chunk records of a sealed file, after its header."""
    found, position = [], HEADER
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        found.append(data[position : position + 4 + length])
        position += 4 + length
    return found


# --- round trips -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size",
    [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17],
    ids=["empty", "one byte", "chunk-1", "chunk", "chunk+1", "several chunks"],
)
def test_round_trip_at_chunk_boundaries(sealer: Sealer, tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    path = tmp_path / "file"
    sealer.write(path, data, "test")
    chunks = max(1, -(-size // CHUNK))
    assert path.stat().st_size == HEADER + chunks * OVERHEAD + size
    assert sealer.read(path, "test") == data
    assert b"".join(sealer.chunks(path, "test")) == data
    with sealer.stream(path, "test") as stream:
        assert stream.read() == data


@settings(max_examples=40, deadline=None, suppress_health_check=[STATELESS])
@given(data=st.binary(max_size=5000))
def test_any_bytes_round_trip(sealer: Sealer, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "file"
        sealer.write(path, data, "test")
        assert sealer.read(path, "test") == data


@settings(max_examples=60, deadline=None, suppress_health_check=[STATELESS])
@given(data=st.binary(max_size=6 * SMALL), cuts=st.lists(st.integers(0, 6 * SMALL), max_size=8))
def test_any_bytes_written_in_any_pieces_round_trip(
    sealer: Sealer, data: bytes, cuts: list[int]
) -> None:
    bounds = sorted({0, len(data), *(c for c in cuts if c < len(data))})
    with small_chunks(), tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "file"
        with sealer.writer(path, "test") as writer:
            for start, end in itertools.pairwise(bounds):
                assert writer.write(data[start:end]) == end - start
            assert writer.tell() >= len(data)
        assert sealer.read(path, "test") == data
        assert b"".join(sealer.chunks(path, "test")) == data
        assert all(len(chunk) <= SMALL for chunk in sealer.chunks(path, "test"))
        with sealer.stream(path, "test") as stream:
            assert stream.read() == data


def test_stream_reads_back_in_pieces_and_lines(sealer: Sealer, tmp_path: Path) -> None:
    lines = [f'{{"dossier": "BF-{n:06d}", "verdict": "consistent"}}\n' for n in range(60_000)]
    text = "".join(lines)
    assert len(text) > 2 * CHUNK
    path = tmp_path / "results.jsonl"
    sealer.write(path, text.encode(), "results")
    with io.TextIOWrapper(sealer.stream(path, "results"), encoding="utf-8") as stream:
        assert stream.readlines() == lines
    with sealer.stream(path, "results") as stream:
        pieces = iter(lambda: stream.read(4099), b"")
        assert b"".join(pieces) == text.encode()


@pytest.mark.parametrize(
    "table",
    [
        pa.table({"n": pa.array([], pa.int64())}),
        pa.table({"code": ["BF-1", "BF-2", None], "score": [0.5, 1.0, -2.25]}),
        pa.table({"n": pa.chunked_array([[1, 2], [3], [4, 5, 6]])}),
        pa.table({"n": pa.array(range(400_000), pa.int64()), "s": ["Аляксандр"] * 400_000}),
    ],
    ids=["no rows", "strings and floats", "chunked column", "several sealed chunks"],
)
def test_arrow_round_trip(sealer: Sealer, tmp_path: Path, table: pa.Table) -> None:
    path = tmp_path / "table.arrow"
    sealer.write_arrow(path, table, "table")
    read = sealer.read_arrow(path, "table")
    assert read.equals(table.combine_chunks())
    assert read.schema == table.schema


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        None,
        {"dossier": "BF-7Q2K", "name": "Ціханоўская Святлана", "claims": [1, 2.5, True, None]},
        "💡 not ASCII",
    ],
)
def test_json_round_trip(sealer: Sealer, tmp_path: Path, value: object) -> None:
    path = tmp_path / "value.json"
    sealer.write_json(path, value, "value")
    assert sealer.read_json(path, "value") == value


def test_plaintext_never_in_the_file(sealer: Sealer, tmp_path: Path) -> None:
    data = MARKER * (3 * CHUNK // len(MARKER))
    path = tmp_path / "file"
    sealer.write(path, data, "test")
    sealer.write_json(tmp_path / "value.json", {"name": MARKER.decode()}, "value")
    for written in (path, tmp_path / "value.json"):
        content = written.read_bytes()
        assert MARKER not in content
        assert MARKER[:12] not in content
        assert b"Ivanova" not in content


def test_nothing_plain_reaches_the_disk_while_writing(sealer: Sealer, tmp_path: Path) -> None:
    path = tmp_path / "file"
    writer = sealer.writer(path, "test")
    writer.write(MARKER * (2 * CHUNK // len(MARKER) + 10))
    (partial,) = tmp_path.iterdir()
    assert not path.exists()
    assert partial.stat().st_size > CHUNK  # sealed chunks are written as they fill
    assert MARKER not in partial.read_bytes()
    writer.close()
    assert list(tmp_path.iterdir()) == [path]


def test_files_are_private_to_their_owner(sealer: Sealer, tmp_path: Path) -> None:
    path = tmp_path / "file"
    sealer.write(path, b"x", "test")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_each_file_has_its_own_key(sealer: Sealer, tmp_path: Path) -> None:
    sealer.write(tmp_path / "a", MARKER, "test")
    sealer.write(tmp_path / "b", MARKER, "test")
    a, b = (tmp_path / "a").read_bytes(), (tmp_path / "b").read_bytes()
    assert a[len(MAGIC) : HEADER] != b[len(MAGIC) : HEADER]
    assert a[HEADER:] != b[HEADER:]


# --- what is refused -----------------------------------------------------------------------


@pytest.fixture
def several_chunks(sealer: Sealer, tmp_path: Path) -> Iterator[tuple[Path, bytes]]:
    """A sealed file of three and a half SMALL chunks (read with small_chunks())."""
    with small_chunks():
        path = tmp_path / "file"
        sealer.write(path, os.urandom(3 * SMALL + SMALL // 2), "test")
        yield path, path.read_bytes()


Reader = Callable[[Sealer, Path, str], object]
READERS: dict[str, Reader] = {
    "read": lambda sealer, path, purpose: sealer.read(path, purpose),
    "chunks": lambda sealer, path, purpose: b"".join(sealer.chunks(path, purpose)),
    "stream": lambda sealer, path, purpose: sealer.stream(path, purpose).read(),
}


def refused(sealer: Sealer, path: Path, purpose: str = "test", readers: str = "all") -> bool:
    """Whether every way of reading `path` raises UndecryptableError."""
    for name, read in READERS.items():
        if readers not in ("all", name):
            continue
        try:
            read(sealer, path, purpose)
        except UndecryptableError:
            continue
        return False
    return True


def test_the_fixture_file_reads(sealer: Sealer, several_chunks: tuple[Path, bytes]) -> None:
    path, content = several_chunks
    assert len(records(content)) == 4
    assert not refused(sealer, path)


def test_wrong_key_is_refused(several_chunks: tuple[Path, bytes]) -> None:
    assert refused(Sealer(random_key()), several_chunks[0])


def test_wrong_purpose_is_refused(sealer: Sealer, several_chunks: tuple[Path, bytes]) -> None:
    assert refused(sealer, several_chunks[0], purpose="other")


def last_length_prefix(content: bytes) -> range:
    """Where the last chunk's length prefix is."""
    start = len(content) - len(records(content)[-1])
    return range(start, start + 4)


def test_a_flipped_bit_anywhere_is_refused(
    sealer: Sealer, several_chunks: tuple[Path, bytes]
) -> None:
    path, content = several_chunks
    prefixes = {len(content) - len(b"".join(records(content)[i:])) for i in range(4)}
    framing = set(range(HEADER)) | {p + k for p in prefixes for k in range(4)}
    for position in range(len(content)):
        if position in last_length_prefix(content):
            continue  # test_a_larger_last_length_is_refused
        # every bit of the header and length prefixes; one bit of each sealed byte
        for bit in range(8) if position in framing else [position % 8]:
            changed = bytearray(content)
            changed[position] ^= 1 << bit
            path.write_bytes(changed)
            assert refused(sealer, path), f"byte {position} bit {bit}"


def test_a_larger_last_length_is_refused(
    sealer: Sealer, several_chunks: tuple[Path, bytes]
) -> None:
    path, content = several_chunks
    changed = bytearray(content)
    changed[last_length_prefix(content)[0]] ^= 1
    path.write_bytes(changed)
    assert refused(sealer, path)


@pytest.mark.parametrize("reader", ["chunks", "stream"])
def test_a_file_cut_short_anywhere_is_refused(
    sealer: Sealer, several_chunks: tuple[Path, bytes], reader: str
) -> None:
    path, content = several_chunks
    for length in range(len(content)):
        path.write_bytes(content[:length])
        assert refused(sealer, path, readers=reader), f"cut to {length} bytes"


def test_a_file_cut_short_anywhere_is_refused_by_read(
    sealer: Sealer, several_chunks: tuple[Path, bytes]
) -> None:
    path, content = several_chunks
    for length in range(len(content)):
        path.write_bytes(content[:length])
        assert refused(sealer, path, readers="read"), f"cut to {length} bytes"


def test_a_file_cut_at_a_chunk_boundary_is_refused(
    sealer: Sealer, several_chunks: tuple[Path, bytes]
) -> None:
    path, content = several_chunks
    chunks = records(content)
    for kept in range(len(chunks)):
        path.write_bytes(content[:HEADER] + b"".join(chunks[:kept]))
        assert refused(sealer, path), f"{kept} chunks kept"


@pytest.mark.parametrize(
    "rearrange",
    [
        lambda c: [c[1], c[0], *c[2:]],
        lambda c: [c[0], c[2], c[1], c[3]],
        lambda c: [c[0], c[2], c[3]],
        lambda c: [c[0], c[1], c[1], c[2], c[3]],
        lambda c: [*c, c[3]],
        lambda c: [c[3]],
    ],
    ids=[
        "first two swapped",
        "middle two swapped",
        "one dropped",
        "one repeated",
        "last twice",
        "only the last",
    ],
)
def test_rearranged_chunks_are_refused(
    sealer: Sealer,
    several_chunks: tuple[Path, bytes],
    rearrange: Callable[[list[bytes]], list[bytes]],
) -> None:
    path, content = several_chunks
    path.write_bytes(content[:HEADER] + b"".join(rearrange(records(content))))
    assert refused(sealer, path)


def test_bytes_appended_are_refused(sealer: Sealer, several_chunks: tuple[Path, bytes]) -> None:
    path, content = several_chunks
    for tail in (b"\x00", b"\x00\x00\x00\x00", records(content)[-1]):
        path.write_bytes(content + tail)
        assert refused(sealer, path)


def test_a_file_of_another_purpose_put_in_its_place_is_refused(
    sealer: Sealer, tmp_path: Path
) -> None:
    path, other = tmp_path / "settings.json", tmp_path / "report.json"
    sealer.write_json(path, {"retention_days": 30}, "settings")
    sealer.write_json(other, {"retention_days": 1}, "report")
    os.replace(other, path)
    assert refused(sealer, path, "settings")


def test_a_header_of_another_file_is_refused(sealer: Sealer, tmp_path: Path) -> None:
    sealer.write(tmp_path / "a", b"a" * 100, "test")
    sealer.write(tmp_path / "b", b"b" * 100, "test")
    a, b = (tmp_path / "a").read_bytes(), (tmp_path / "b").read_bytes()
    (tmp_path / "a").write_bytes(b[:HEADER] + a[HEADER:])
    assert refused(sealer, tmp_path / "a")


def test_a_file_of_another_vault_is_refused(sealer: Sealer, tmp_path: Path) -> None:
    Sealer(random_key()).write(tmp_path / "file", b"data", "test")
    assert refused(sealer, tmp_path / "file")


def test_a_plain_file_is_refused(sealer: Sealer, tmp_path: Path) -> None:
    Sealer(None).write(tmp_path / "file", MAGIC + b"\x00" * 100, "test")
    assert refused(sealer, tmp_path / "file")


def test_a_file_is_bound_to_its_purpose_not_its_path(sealer: Sealer, tmp_path: Path) -> None:
    """What sealing does not show (docs/security.md): another sealed file of the same purpose
    (or an older copy of the same file) put in its place opens."""
    sealer.write(tmp_path / "a", b"first", "test")
    sealer.write(tmp_path / "b", b"second", "test")
    os.replace(tmp_path / "b", tmp_path / "a")
    assert sealer.read(tmp_path / "a", "test") == b"second"


# --- plain files (benchmarks only) ---------------------------------------------------------


def test_a_plain_sealer_writes_plain_files(tmp_path: Path) -> None:
    plain = Sealer(None)
    assert not plain.encrypted
    assert Sealer(random_key()).encrypted
    data = os.urandom(CHUNK + 3)
    plain.write(tmp_path / "file", data, "test")
    assert (tmp_path / "file").read_bytes() == data
    assert plain.read(tmp_path / "file", "test") == data
    assert b"".join(plain.chunks(tmp_path / "file", "test")) == data
    with plain.stream(tmp_path / "file", "test") as stream:
        assert stream.read() == data


# --- partial files -------------------------------------------------------------------------


class InterruptedWriteError(Exception):
    """What a writer raises part way."""


def write_then_fail(sealer: Sealer, path: Path, data: bytes, check: bytes | None = None) -> None:
    with sealer.writer(path, "test") as writer:
        writer.write(data)
        if check is not None:  # readers see the old file meanwhile
            assert sealer.read(path, "test") == check
        raise InterruptedWriteError


def test_a_writer_that_raises_leaves_nothing(sealer: Sealer, tmp_path: Path) -> None:
    with pytest.raises(InterruptedWriteError):
        write_then_fail(sealer, tmp_path / "file", os.urandom(CHUNK + 5))
    assert list(tmp_path.iterdir()) == []


def test_an_arrow_writer_that_raises_leaves_nothing(sealer: Sealer, tmp_path: Path) -> None:
    table = pa.table({"n": [1, 2, 3]})
    with (
        patch.object(
            pa.ipc.RecordBatchFileWriter, "write_table", side_effect=InterruptedWriteError
        ),
        pytest.raises(InterruptedWriteError),
    ):
        sealer.write_arrow(tmp_path / "table.arrow", table, "table")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rewrite_keeps_the_old_file(sealer: Sealer, tmp_path: Path) -> None:
    path = tmp_path / "file"
    sealer.write(path, b"old", "test")
    with pytest.raises(InterruptedWriteError):
        write_then_fail(sealer, path, b"new", check=b"old")
    assert sealer.read(path, "test") == b"old"
    assert list(tmp_path.iterdir()) == [path]


def test_abort_and_close_are_idempotent(sealer: Sealer, tmp_path: Path) -> None:
    writer = sealer.writer(tmp_path / "a", "test")
    writer.write(b"x")
    writer.abort()
    writer.abort()
    assert list(tmp_path.iterdir()) == []
    writer = sealer.writer(tmp_path / "b", "test")
    writer.close()
    writer.close()
    assert sealer.read(tmp_path / "b", "test") == b""


def test_partial_path_names_the_writer(tmp_path: Path) -> None:
    partial = partial_path(tmp_path / "cases.sqlite")
    assert partial.parent == tmp_path
    assert partial.name.startswith(f".cases.sqlite{PARTIAL_MARK}{os.getpid()}-")
    assert partial != partial_path(tmp_path / "cases.sqlite")


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_remove_partials_removes_dead_writers_files_only(sealer: Sealer, tmp_path: Path) -> None:
    dead = dead_pid()
    (tmp_path / "sub").mkdir()
    dead_files = [
        tmp_path / f".file{PARTIAL_MARK}{dead}-0a0b0c0d",
        tmp_path / "sub" / f".other{PARTIAL_MARK}{dead}-01020304",
    ]
    for path in dead_files:
        path.write_bytes(b"sealed bytes of a killed writer")
    live_writer = sealer.writer(tmp_path / "being-written", "test")
    live_writer.write(b"x")
    (live_partial,) = tmp_path.glob(f".being-written{PARTIAL_MARK}*")
    parent = tmp_path / f".parent{PARTIAL_MARK}{os.getppid()}-0a0b0c0d"
    parent.write_bytes(b"")
    kept = [tmp_path / "file", tmp_path / "sub" / "other"]
    for path in kept:
        sealer.write(path, b"kept", "test")

    assert remove_partials(tmp_path) == 2

    assert not any(path.exists() for path in dead_files)
    assert live_partial.exists()
    assert parent.exists()
    assert all(path.exists() for path in kept)
    live_writer.close()
    assert sealer.read(tmp_path / "being-written", "test") == b"x"
    assert remove_partials(tmp_path) == 0
