"""The persons directory's generations: publish, reconcile, and readers meeting a publish."""

from __future__ import annotations

from pathlib import Path

import pytest

from bonafide.errors import StoreError
from bonafide.persons.files import Generation, PersonFiles
from bonafide.vault import Vault


def _generation(files: PersonFiles, marker: str) -> Generation:
    generation = files.start()
    generation.write_json("marker.json", {"marker": marker})
    return generation


def test_publish_points_readers_at_the_new_generation_and_removes_the_old(vault: Vault) -> None:
    files = PersonFiles(vault)
    assert files.current() is None
    first = _generation(files, "first")
    files.publish(first)
    second = _generation(files, "second")
    assert files.read_current(lambda g: g.read_json("marker.json")) == {"marker": "first"}
    files.publish(second)
    assert files.read_current(lambda g: g.read_json("marker.json")) == {"marker": "second"}
    assert not first.directory.exists()


def test_a_reader_meeting_a_publish_reads_the_new_generation(vault: Vault) -> None:
    files = PersonFiles(vault)
    files.publish(_generation(files, "old"))
    new = _generation(files, "new")
    calls: list[int] = []

    def read(generation: Generation) -> object:
        calls.append(generation.number)
        if len(calls) == 1:
            files.publish(new)  # a resolve publishes while this reader is half-way
        return generation.read_json("marker.json")

    assert files.read_current(read) == {"marker": "new"}
    assert calls == [1, 2]


def test_a_file_missing_from_the_published_generation_is_not_retried(vault: Vault) -> None:
    files = PersonFiles(vault)
    files.publish(_generation(files, "only"))
    with pytest.raises(FileNotFoundError):
        files.read_current(lambda g: g.read_json("absent.json"))


@pytest.mark.parametrize("committed", [0, 1, 2])
def test_reconcile_follows_the_store(vault: Vault, committed: int) -> None:
    files = PersonFiles(vault)
    first = _generation(files, "first")
    files.publish(first)
    second = _generation(files, "second")  # written, and perhaps committed, but not published
    files.reconcile(committed)
    current = files.current()
    if committed == 2:  # committed, its publish interrupted: finished now
        assert current is not None
        assert current.number == 2
        assert not first.directory.exists()
    elif committed == 1:  # the second never committed: removed; the published one stays
        assert current is not None
        assert current.number == 1
        assert not second.directory.exists()
    else:  # the store has committed none (it was reset): no file matches it, none is kept
        assert current is None
        assert not first.directory.exists()
        assert not second.directory.exists()


def test_current_names_a_missing_generation(vault: Vault, data_dir: Path) -> None:
    files = PersonFiles(vault)
    generation = _generation(files, "gone")
    files.publish(generation)
    for path in generation.directory.iterdir():
        path.unlink()
    generation.directory.rmdir()
    with pytest.raises(StoreError, match="is missing"):
        files.current()
