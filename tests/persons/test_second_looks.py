"""Second looks at records the lookups left without a person: linked to the person whose
linked period continues theirs (`continuity.py`), or one of whose linked records bears their
name (`former_names.py`), and only where that is probable."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from bonafide.persons import continuity, former_names, pair_weights, resolve
from bonafide.persons.match import score_record_pairs
from bonafide.persons.resolve import ResolveReport, resolve_registries
from bonafide.registry import RegistryStore, import_registry
from bonafide.registry.mapping import load_mapping
from tests.vaults import vault_for

from ..conftest import Population
from .test_resolve import SETTINGS, _links, _part, _truth

PEOPLE = 1_500
KINDS = ("identity", "residence", "employment", "education")
LINKED = ("residence", "employment", "education")


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
    for kind in LINKED:
        links = _links(data_dir, kind)
        right = sum(person_of_true.get(truth[kind][r]) == p for r, (_, p) in links.items())
        linkable = sum(1 for p in truth[kind].values() if p < PEOPLE and p in person_of_true)
        figures[kind] = (right / max(len(links), 1), right / max(linkable, 1), len(links))
    return report, figures


def _resolve_looking(
    imported: Path,
    tmp_path: Path,
    truth: dict[str, dict[str, int]],
    *,
    periods: bool,
    former: bool,
) -> tuple[ResolveReport, dict[str, tuple[float, float, int]]]:
    """`_resolve` with lookups that must be near certain to link (many records are left for
    the second looks to decide), and with the second looks asked for."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resolve, "THRESHOLD", 0.999_999)
        if not periods:
            patch.setattr(continuity, "CONTINUED_KINDS", ())
        if not former:
            patch.setattr(former_names, "named_kinds", list)
        return _resolve(imported, tmp_path, truth)


def test_continued_periods_link_what_the_lookups_could_not(
    imported: Path,
    truth: dict[str, dict[str, int]],
    tmp_path: Path,
) -> None:
    alone_report, alone = _resolve_looking(imported, tmp_path, truth, periods=False, former=False)
    assert not alone_report.continuity.linked
    report, both = _resolve_looking(imported, tmp_path, truth, periods=True, former=False)
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


def test_records_under_a_former_name_link_to_the_person_known_by_it(
    imported: Path, truth: dict[str, dict[str, int]], tmp_path: Path
) -> None:
    _, before = _resolve_looking(imported, tmp_path, truth, periods=True, former=False)
    report, after = _resolve_looking(imported, tmp_path, truth, periods=True, former=True)
    # the registries writing surnames apart; employment's are written whole
    assert set(report.former_names.linked) == {"residence", "education"}
    for kind in ("residence", "education"):
        _, recall_before, links_before = before[kind]
        precision, recall, links = after[kind]
        assert report.former_names.linked[kind] == links - links_before, kind
        assert recall > recall_before, kind
        assert precision > 0.99, kind


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("иванова", "іванова"),
        ("иванова", "ivanova"),
        ("лукашенко", "lukashenka"),
        ("ковалёва", "kavaliova"),
        ("тихановская", "ціханоўская"),
    ],
)
def test_a_surname_is_joined_by_one_key_in_any_script(one: str, other: str) -> None:
    assert former_names.surname_key(one) == former_names.surname_key(other)


def test_different_surnames_are_joined_by_different_keys() -> None:
    assert former_names.surname_key("лукашенко") != former_names.surname_key("лукашевич")
    assert former_names.surname_key("иванова") != former_names.surname_key("петрова")


def test_pairs_scored_in_shares_weigh_as_scored_at_once(
    resolved_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pair_weights` in forked shares gives each pair the weight the matcher gives it."""
    index = resolve.PersonIndex.open(vault_for(resolved_data_dir))
    rows = np.arange(0, min(index.records.num_rows, 3_000), dtype=np.int64)
    records = index.person_records(rows[::3])
    candidates = index.person_records(rows)
    rng = np.random.default_rng(5)
    query = rng.integers(0, len(records), 2_500).astype(np.int64)
    candidate = rng.integers(0, len(candidates), 2_500).astype(np.int64)
    at_once = score_record_pairs(
        index.model, records, candidates, query, candidate, candidate, candidate
    ).match_weight
    monkeypatch.setattr(pair_weights, "SHARE", 700)
    in_shares = pair_weights.pair_weights(
        index.model, records, candidates, query, candidate, workers=2
    )
    assert np.array_equal(in_shares, at_once)
