"""Resolve when coarse blocks overflow: refinements keep records linked, and lookups left with
no usable key are counted, never dropped silently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bonafide.linkage import blocking
from bonafide.persons import index
from bonafide.persons.resolve import ResolveReport, resolve_registries
from bonafide.registry import RegistryStore, import_registry
from bonafide.registry.mapping import load_mapping
from tests.vaults import vault_for

from ..conftest import Population
from .test_resolve import SETTINGS, _links, _part, _truth

PEOPLE = 1_500


@pytest.fixture(scope="module")
def imported(population: Population, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Identity and residence records of the first persons, imported, not resolved."""
    work = tmp_path_factory.mktemp("refinement")
    data_dir = work / "data"
    for kind in ("identity", "residence"):
        path = _part(population, kind, 0, PEOPLE, work)
        mapping = load_mapping(population.registries / f"{kind}.mapping.toml")
        with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
            import_registry(store, path, kind, mapping)
    return data_dir


def _resolve(
    imported: Path, tmp_path: Path, truth: dict[str, dict[str, int]]
) -> tuple[ResolveReport, float, float]:
    """Resolved in a new copy: the report, the residence links' precision and recall."""
    data_dir = tmp_path / f"data-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(imported, data_dir)
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        report = resolve_registries(store, rebuild=True)
    person_of_true: dict[int, int] = {}
    for record, (_, person) in _links(data_dir, "identity").items():
        person_of_true.setdefault(truth["identity"][record], person)
    links = _links(data_dir, "residence")
    right = sum(person_of_true.get(truth["residence"][r]) == p for r, (_, p) in links.items())
    linkable = sum(1 for p in truth["residence"].values() if p < PEOPLE and p in person_of_true)
    return report, right / max(len(links), 1), right / max(linkable, 1)


@pytest.fixture(autouse=True)
def blocks_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every lookup not written exactly as a person goes through the blocks, those written
    alike one too (`PersonIndex.rows_written_alike` finds none): what the blocks do is what
    these tests are about."""
    monkeypatch.setattr(index, "ALIKE_ROWS", 0)


@pytest.fixture(scope="module")
def truth(population: Population) -> dict[str, dict[str, int]]:
    return {kind: _truth(population, kind) for kind in ("identity", "residence")}


def _limits(monkeypatch: pytest.MonkeyPatch, coarse: int, refined: int) -> None:
    """Every coarse key's limit forced down to `coarse`, every refinement's set to `refined`."""
    for key in list(blocking.BLOCK_LIMITS):
        monkeypatch.setitem(blocking.BLOCK_LIMITS, key, coarse)
    for key in blocking.REFINED_FROM:
        monkeypatch.setitem(blocking.BLOCK_LIMITS, key, refined)


def _without_refinements(monkeypatch: pytest.MonkeyPatch) -> None:
    """The person index's lookups without refinements: an overflowing coarse key skipped."""
    coarse_only = {
        k: v for k, v in blocking.BLOCKING_KEYS.items() if k not in blocking.REFINED_FROM
    }
    monkeypatch.setattr(index, "BLOCKING_KEYS", coarse_only)
    monkeypatch.setattr(index, "REFINED_FROM", {})


def _rule(report: ResolveReport, name: str) -> tuple[int, int, int]:
    counts = report.blocking
    n = counts.rules.index(name)
    return int(counts.held[n]), int(counts.overflowed[n]), int(counts.rows[n])


def test_refinements_keep_records_linked_when_coarse_blocks_overflow(
    imported: Path,
    truth: dict[str, dict[str, int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    normal, _, recall_normal = _resolve(imported, tmp_path, truth)
    assert normal.blocking.lookups > 0
    assert _rule(normal, "birth_date")[1] == 0  # a small population: no birth date overflows

    _limits(monkeypatch, 1, 20)
    refined, precision_refined, recall_refined = _resolve(imported, tmp_path, truth)
    held, overflowed, _ = _rule(refined, "birth_date")
    assert overflowed > held / 4  # the forced limit bites
    held, _, rows = _rule(refined, "birth_date_initials")
    assert 0 < held <= overflowed  # refined where the birth date overflowed (and names are)
    assert rows > 0
    assert precision_refined > 0.99
    assert recall_refined > recall_normal - 0.02

    _without_refinements(monkeypatch)
    skipped, _, recall_skipped = _resolve(imported, tmp_path, truth)
    assert "birth_date_initials" not in skipped.blocking.rules
    assert recall_skipped < recall_refined  # what the refinements are for
    assert skipped.blocking.no_candidate_with_overflow > refined.blocking.no_candidate_with_overflow


def test_lookups_whose_every_key_overflows_are_counted(
    imported: Path,
    truth: dict[str, dict[str, int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the lookups' limits only: the identity records are still deduplicated into persons
    monkeypatch.setattr(index, "block_limit", lambda key: 0)
    report, _, _ = _resolve(imported, tmp_path, truth)
    counts = report.blocking
    assert counts.lookups > 0
    assert counts.every_key_overflowed > 0
    assert counts.every_key_overflowed <= counts.no_candidate_with_overflow
    # the others held only keys that match nobody in the index
    assert counts.no_candidate_with_overflow > counts.lookups / 2
    # what was linked was linked through no block: written exactly as one person
    assert counts.exact > 0
    assert report.unlinked["residence"] > 0
