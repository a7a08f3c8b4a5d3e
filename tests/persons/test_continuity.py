"""Periods that continue one another: records the lookups left without a person are linked
to the person whose linked period continues theirs, and only where that is probable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bonafide.persons import continuity, resolve
from bonafide.persons.resolve import ResolveReport, resolve_registries
from bonafide.registry import RegistryStore, import_registry
from bonafide.registry.mapping import load_mapping
from tests.vaults import vault_for

from ..conftest import Population
from .test_resolve import SETTINGS, _links, _part, _truth

PEOPLE = 1_500
KINDS = ("identity", "residence", "employment")


@pytest.fixture(scope="module")
def imported(population: Population, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Identity, residence and employment records of the first persons, not resolved."""
    work = tmp_path_factory.mktemp("continuity")
    data_dir = work / "data"
    for kind in KINDS:
        path = _part(population, kind, 0, PEOPLE, work)
        mapping = load_mapping(population.registries / f"{kind}.mapping.toml")
        with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
            import_registry(store, path, kind, mapping)
    return data_dir


@pytest.fixture(scope="module")
def truth(population: Population) -> dict[str, dict[str, int]]:
    return {kind: _truth(population, kind) for kind in KINDS}


def _resolve(
    imported: Path, tmp_path: Path, truth: dict[str, dict[str, int]]
) -> tuple[ResolveReport, dict[str, tuple[float, float, int]]]:
    """Resolved in a new copy: the report and, per kind, precision, recall and links."""
    data_dir = tmp_path / f"data-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(imported, data_dir)
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        report = resolve_registries(store, rebuild=True)
    person_of_true: dict[int, int] = {}
    for record, (_, person) in _links(data_dir, "identity").items():
        person_of_true.setdefault(truth["identity"][record], person)
    figures = {}
    for kind in ("residence", "employment"):
        links = _links(data_dir, kind)
        right = sum(person_of_true.get(truth[kind][r]) == p for r, (_, p) in links.items())
        linkable = sum(1 for p in truth[kind].values() if p < PEOPLE and p in person_of_true)
        figures[kind] = (right / max(len(links), 1), right / max(linkable, 1), len(links))
    return report, figures


def test_continued_periods_link_what_the_lookups_could_not(
    imported: Path,
    truth: dict[str, dict[str, int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # lookups must be near certain to link: many records are left for the periods to decide
    monkeypatch.setattr(resolve, "THRESHOLD", 0.999_999)
    monkeypatch.setattr(continuity, "CONTINUED_KINDS", ())
    alone_report, alone = _resolve(imported, tmp_path, truth)
    assert not alone_report.continuity.linked
    monkeypatch.undo()
    monkeypatch.setattr(resolve, "THRESHOLD", 0.999_999)
    report, both = _resolve(imported, tmp_path, truth)
    for kind in ("residence", "employment"):
        _, recall_alone, links_alone = alone[kind]
        precision, recall, links = both[kind]
        continued = report.continuity.linked[kind]
        assert continued == links - links_alone, kind
        assert continued > 0.02 * links_alone, kind
        assert recall > recall_alone, kind
        assert precision > 0.99, kind
        assert 0 < report.continuity.continued_share[kind] < 1, kind
        assert report.linked[kind] == links, kind  # counted with the lookups' links
    # residence registrations follow one another closely; jobs less often
    shares = report.continuity.continued_share
    assert shares["residence"] > shares["employment"]


def test_only_the_asked_records_are_looked_at(imported: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(imported, data_dir)
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        resolve_registries(store, rebuild=True)
        unlink = "DELETE FROM person_links WHERE kind = 'residence' AND hash(record_key) % 5 = 0"
        store.execute("test: unlink a fifth", unlink)
        index = resolve.PersonIndex.open(store.vault)
        asked = {resolve.Kind.RESIDENCE: "FALSE", resolve.Kind.EMPLOYMENT: "FALSE"}
        none_asked = continuity.ContinuityReport()
        continuity.link_continuations(store, index.model, index.meta.persons, none_asked, asked)
        assert not any(none_asked.linked.values())
        everything = continuity.ContinuityReport()
        continuity.link_continuations(store, index.model, index.meta.persons, everything)
        assert everything.linked["residence"] > 0
        assert not everything.linked.get("employment")  # its links were all there
