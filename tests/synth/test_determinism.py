from __future__ import annotations

from pathlib import Path

import pytest

from bonafide.synth import SynthConfig, synthesise


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_same_seed_same_bytes(tmp_path: Path, file_format: str) -> None:
    config = SynthConfig(
        people=3_000, seed=5, applicants=20, file_format=file_format, chunk_size=1_000
    )
    synthesise(config, tmp_path / "a")
    synthesise(config, tmp_path / "b")
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first.keys() == second.keys()
    assert len(first) >= 5 * 2 + 5 + 4
    for name in first:
        assert first[name] == second[name], name


def test_other_seed_other_people(tmp_path: Path) -> None:
    synthesise(SynthConfig(people=1_000, seed=5), tmp_path / "a")
    synthesise(SynthConfig(people=1_000, seed=6), tmp_path / "b")
    a = (tmp_path / "a" / "registries" / "identity.parquet").read_bytes()
    b = (tmp_path / "b" / "registries" / "identity.parquet").read_bytes()
    assert a != b
