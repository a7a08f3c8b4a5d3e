"""Sealed files: how every file bonafide keeps is written and read.

A sealed file is a header — a magic string and a random salt — followed by chunks of at most
`CHUNK` bytes of plaintext, each encrypted with AES-256-GCM under a key derived for this file
alone (HKDF of the vault key, the file's purpose and its salt), with the chunk's number and a
last-chunk flag as its nonce (the STREAM construction). So a chunk cannot be changed, moved,
dropped or a file cut short without the reader noticing, and a file cannot stand in for one of
another purpose.

Files are written beside their destination under a `.partial-<pid>-…` name, flushed to disk and
then renamed over it (encrypt-then-rename): a reader sees the old file or the new one, never half
of one. A killed writer leaves only a partial file, which the vault's start-up sweep removes.

`Sealer(None)` writes the same files without encryption: only the benchmarks that measure what
encryption costs use it; no command can.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.ipc as ipc
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bonafide.errors import StoreError
from bonafide.vault.crypto import SALT_BYTES, UndecryptableError, derive

__all__ = [
    "CHUNK",
    "MAGIC",
    "PARTIAL_MARK",
    "DamagedFileError",
    "SealedWriter",
    "Sealer",
    "fsync_directory",
    "partial_path",
    "process_alive",
    "remove_partials",
    "remove_stale_partials",
]

MAGIC = b"bonafide-sealed1"
CHUNK = 1 << 20
PARTIAL_MARK = ".partial-"
_TAG = 16
_LENGTH = struct.Struct(">I")
_HEADER = len(MAGIC) + SALT_BYTES


class DamagedFileError(StoreError, UndecryptableError):
    """A sealed file that does not decrypt: damaged, or changed outside bonafide."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is damaged or was changed outside bonafide: it does not decrypt",
            hint="restore the data directory from a backup (bonafide vault restore)",
        )


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def fsync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def partial_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{PARTIAL_MARK}{os.getpid()}-{os.urandom(4).hex()}")


class SealedWriter:
    """A write-only file object that seals what is written to it; the file appears under its
    name only when `close` is reached without an error (`abort` discards it)."""

    def __init__(self, path: Path, key: bytes | None, purpose: str, header: bytes = b"") -> None:
        """`header`: plain bytes written before the sealed content (a backup's key slots)."""
        self.path = path
        self._partial = partial_path(path)
        self._file = open(self._partial, "xb")  # noqa: SIM115 - closed by close/abort
        os.chmod(self._partial, 0o600)
        self._file.write(header)
        self._buffer = bytearray()
        self._counter = 0
        self._cipher: AESGCM | None = None
        self.closed = False
        if key is not None:
            salt = os.urandom(SALT_BYTES)
            self._cipher = AESGCM(derive(key, f"sealed file:{purpose}", salt))
            self._file.write(MAGIC + salt)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        view = memoryview(data).cast("B")
        if self._cipher is None:
            self._file.write(view)
            return len(view)
        # a chunk is sealed once more data follows it (the last one is marked at close);
        # whole chunks go straight from the caller's buffer: a gigabyte-sized Arrow column is
        # neither copied whole nor shifted chunk by chunk
        size, position = len(view), 0
        if self._buffer:
            taken = min(CHUNK - len(self._buffer), size)
            self._buffer += view[:taken]
            position = taken
            if len(self._buffer) == CHUNK and position < size:
                self._emit(bytes(self._buffer), last=False)
                self._buffer.clear()
        while size - position > CHUNK:
            self._emit(view[position : position + CHUNK], last=False)
            position += CHUNK
        self._buffer += view[position:]
        return size

    def _emit(self, plaintext: bytes | memoryview, last: bool) -> None:
        assert self._cipher is not None
        sealed = self._cipher.encrypt(_nonce(self._counter, last), plaintext, MAGIC)
        self._file.write(_LENGTH.pack(len(sealed)) + sealed)
        self._counter += 1

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        """Nothing to do before `close`: chunks are sealed whole."""

    def tell(self) -> int:
        return self._file.tell() + len(self._buffer)

    def close(self) -> None:
        if self.closed:
            return
        if self._cipher is not None:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self.closed = True
        os.replace(self._partial, self.path)
        fsync_directory(self.path.parent)

    def abort(self) -> None:
        if not self.closed:
            self._file.close()
            self.closed = True
        self._partial.unlink(missing_ok=True)

    def __enter__(self) -> SealedWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class Sealer:
    """Writes and reads sealed files under one key (None: plain files, for benchmarks only)."""

    def __init__(self, key: bytes | None) -> None:
        self._key = key

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    def writer(self, path: Path, purpose: str, header: bytes = b"") -> SealedWriter:
        return SealedWriter(path, self._key, purpose, header)

    def write(self, path: Path, data: bytes | bytearray | memoryview, purpose: str) -> None:
        with self.writer(path, purpose) as writer:
            writer.write(data)

    def write_json(self, path: Path, data: Any, purpose: str) -> None:
        self.write(path, json.dumps(data, ensure_ascii=False).encode("utf-8"), purpose)

    def read_json(self, path: Path, purpose: str) -> Any:
        return json.loads(bytes(self.read(path, purpose)).decode("utf-8"))

    def write_arrow(self, path: Path, table: pa.Table, purpose: str) -> None:
        """An Arrow IPC file of `table` in one chunk per column (taking rows from a chunked
        column concatenates its chunks)."""
        table = table.combine_chunks()
        with self.writer(path, purpose) as sink, ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table, max_chunksize=max(table.num_rows, 1))

    def write_arrow_batches(
        self, path: Path, schema: pa.Schema, batches: Iterable[pa.RecordBatch], purpose: str
    ) -> int:
        """An Arrow IPC file of `batches` written as they come (a table larger than memory
        is never held whole); returns the rows written. Read back, its columns are chunked."""
        rows = 0
        with self.writer(path, purpose) as sink, ipc.new_file(sink, schema) as writer:
            for batch in batches:
                writer.write_batch(batch)
                rows += batch.num_rows
        return rows

    def read_arrow(self, path: Path, purpose: str) -> pa.Table:
        """The table, decrypted into memory: its columns point into one buffer, no copy."""
        buffer = pa.py_buffer(self.read(path, purpose))
        return ipc.open_file(buffer).read_all()

    def stream(self, path: Path, purpose: str, offset: int = 0) -> io.BufferedReader:
        """The plaintext as a read-only file object, decrypted a chunk at a time."""
        return io.BufferedReader(_ChunkStream(self.chunks(path, purpose, offset)), CHUNK)

    def read(self, path: Path, purpose: str) -> bytearray:
        """The whole plaintext, in memory (never in a file)."""
        if self._key is None:
            return bytearray(path.read_bytes())
        try:
            return self._read_whole(path, purpose)
        except UndecryptableError:
            raise DamagedFileError(path) from None

    def _read_whole(self, path: Path, purpose: str) -> bytearray:
        # one open file for its size and its content: a file replaced meanwhile (by a rename)
        # is read whole as it was when opened
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            chunks = max(1, -(-(size - _HEADER) // (CHUNK + _TAG + _LENGTH.size)))
            plaintext = bytearray(max(0, size - _HEADER - chunks * (_TAG + _LENGTH.size)))
            view = memoryview(plaintext)
            position = 0
            for chunk in self._read_chunks(handle, purpose, 0):
                if position + len(chunk) > len(plaintext):
                    raise UndecryptableError  # longer than the file's size allows: changed
                view[position : position + len(chunk)] = chunk
                position += len(chunk)
        if position != len(plaintext):
            raise UndecryptableError
        return plaintext

    def chunks(self, path: Path, purpose: str, offset: int = 0) -> Iterator[bytes]:
        """The plaintext, chunk by chunk (for files read as a stream); `offset`: where the
        sealed content starts (after a plain header)."""
        if self._key is None:
            with path.open("rb") as handle:
                handle.seek(offset)
                while block := handle.read(CHUNK):
                    yield block
            return
        yield from self._chunks(path, purpose, offset)

    def _chunks(self, path: Path, purpose: str, offset: int = 0) -> Iterator[bytes]:
        with path.open("rb") as handle:
            try:
                yield from self._read_chunks(handle, purpose, offset)
            except UndecryptableError:
                raise DamagedFileError(path) from None

    def _read_chunks(self, handle: io.BufferedReader, purpose: str, offset: int) -> Iterator[bytes]:
        assert self._key is not None
        handle.seek(offset)
        header = handle.read(_HEADER)
        if len(header) != _HEADER or not header.startswith(MAGIC):
            raise UndecryptableError
        cipher = AESGCM(derive(self._key, f"sealed file:{purpose}", header[len(MAGIC) :]))
        counter = 0
        while True:
            length = handle.read(_LENGTH.size)
            if len(length) != _LENGTH.size:
                raise UndecryptableError  # cut short before the last chunk
            size = _LENGTH.unpack(length)[0]
            sealed = handle.read(size)
            if len(sealed) != size or size > CHUNK + _TAG:
                raise UndecryptableError  # a length that the file does not hold
            last = handle.peek(1) == b"" if hasattr(handle, "peek") else False
            try:
                yield cipher.decrypt(_nonce(counter, last), sealed, MAGIC)
            except InvalidTag:
                raise UndecryptableError from None
            if last:
                return
            counter += 1


class _ChunkStream(io.RawIOBase):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        size = min(len(target), len(self._pending))
        target[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def remove_stale_partials(target: Path) -> None:
    """Delete the partial files of `target` that killed writers left beside it."""
    for path in target.parent.glob(f".{target.name}{PARTIAL_MARK}*"):
        pid = path.name.split(PARTIAL_MARK, 1)[1].split("-", 1)[0]
        if not (pid.isdigit() and process_alive(int(pid))):
            path.unlink(missing_ok=True)


def remove_partials(directory: Path) -> int:
    """Delete the partial files that killed writers left in `directory` and below; returns how
    many. A partial file of a process still running is left alone."""
    removed = 0
    for path in directory.rglob(f"*{PARTIAL_MARK}*"):
        pid = path.name.split(PARTIAL_MARK, 1)[1].split("-", 1)[0]
        if pid.isdigit() and process_alive(int(pid)):
            continue
        with contextlib.suppress(FileNotFoundError):
            if path.is_dir():
                continue
            path.unlink()
            removed += 1
    return removed


def process_alive(pid: int) -> bool:
    """Whether a process of that id runs (ours included)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
