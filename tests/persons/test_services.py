"""Watchlist entries linked through the service they name (`services.py`), and a birth date
known to the year only weighed as far as it goes."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from bonafide.linkage.model import AS_FAR_AS_KNOWN
from bonafide.persons import resolve, services
from bonafide.persons.services import (
    ServiceLevel,
    ServicesReport,
    given_key,
    organisation_levels,
)
from bonafide.registry import RegistryStore
from tests.vaults import vault_for

from ..conftest import Population
from .test_resolve import SETTINGS, _links, _truth

# the watchlist's records written without a whole birth date: the look's own
_UNDATED = "birth_date_precision IS DISTINCT FROM 'day'"


def _withdrawn(resolved_data_dir: Path, tmp_path: Path) -> Path:
    """A copy of the resolved store whose watchlist records without a whole birth date have
    lost their links (those with one, the sure links m is learned from, keep theirs)."""
    data_dir = tmp_path / "data"
    shutil.copytree(resolved_data_dir, data_dir)
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        store.execute(
            "test: withdraw links",
            "DELETE FROM person_links l USING registry_watchlist r "
            f"WHERE l.kind = 'watchlist' AND l.record_key = r.record_key AND r.{_UNDATED}",
        )
    return data_dir


def _link(data_dir: Path, asked: str = "TRUE") -> ServicesReport:
    report = ServicesReport()
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        index = resolve.PersonIndex.open(store.vault)
        services.link_at_services(
            store, index.model, index.meta.persons, report, asked=asked, workers=2
        )
    return report


def test_undated_entries_link_to_the_person_who_worked_at_their_service(
    resolved_data_dir: Path, population: Population, tmp_path: Path
) -> None:
    data_dir = _withdrawn(resolved_data_dir, tmp_path)
    assert not _links(data_dir, "watchlist").keys() - _dated(data_dir)
    report = _link(data_dir)
    truth, identity = _truth(population, "watchlist"), _truth(population, "identity")
    person_of_true: dict[int, int] = {}
    for record, (_, person) in _links(data_dir, "identity").items():
        person_of_true.setdefault(identity[record], person)
    undated = set(_links(data_dir, "watchlist")) - _dated(data_dir)
    assert report.linked == len(undated) > 0
    right = sum(
        person_of_true.get(truth[record]) == _links(data_dir, "watchlist")[record][1]
        for record in undated
    )
    linkable = sum(
        1
        for record in _all_undated(data_dir)
        if truth[record] in person_of_true  # the listed person has an identity record
    )
    assert right / len(undated) >= 0.95
    assert right / linkable >= 0.6
    # a listed person's entry names where they worked: the level m is learned for says so
    shares = report.listed_share
    assert shares["same"] > 0.5 > shares["sector"]


def test_only_the_asked_entries_are_looked_at(resolved_data_dir: Path, tmp_path: Path) -> None:
    data_dir = _withdrawn(resolved_data_dir, tmp_path)
    assert _link(data_dir, asked="FALSE").linked == 0
    assert set(_links(data_dir, "watchlist")) <= _dated(data_dir)


def test_an_unsure_link_to_someone_who_never_served_is_weighed_again(
    resolved_data_dir: Path, tmp_path: Path
) -> None:
    """A lookup's link below UNSURE to a person with no employer of the entry's kind of
    service loses the service's evidence: it is withdrawn, or moved to a person who served."""
    data_dir = _withdrawn(resolved_data_dir, tmp_path)
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        # a few sure links moved to persons with no job at all, as if a lookup had been unsure
        moved = store.execute(
            "test: mislink some entries",
            """
            WITH idle AS (
                SELECT person_id, row_number() OVER (ORDER BY person_id) AS n
                FROM (SELECT DISTINCT person_id FROM person_links WHERE kind = 'identity')
                ANTI JOIN (SELECT person_id FROM person_links WHERE kind = 'employment')
                    USING (person_id)
            ),
            chosen AS (
                SELECT l.record_key, row_number() OVER (ORDER BY l.record_key) AS n
                FROM person_links l JOIN registry_watchlist r USING (record_key)
                WHERE l.kind = 'watchlist' AND r.organisation IS NOT NULL LIMIT 10
            )
            UPDATE person_links l SET person_id = i.person_id, probability = 0.7
            FROM chosen c JOIN idle i USING (n)
            WHERE l.kind = 'watchlist' AND l.record_key = c.record_key
            RETURNING l.record_key, l.person_id
            """,
        )
    assert len(moved) == 10
    report = _link(data_dir)
    assert report.withdrawn + report.moved >= len(moved)
    links = _keyed_links(data_dir)
    assert all(links.get(key) != person for key, person in moved)


def test_links_held_apart_are_weighed_as_the_person_links_are(
    resolved_data_dir: Path, tmp_path: Path
) -> None:
    """A resolve holds the watchlist's unsure links apart from the person links while the
    look runs (deleting rows written in its transaction would make the commit write every
    link again): the look weighs them as it weighs the person links, replaces them where they
    are, and ends with the same links."""
    data_dir = _withdrawn(resolved_data_dir, tmp_path)
    unsure = "probability < 0.99"
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        store.execute(
            "test: make some links unsure",
            "UPDATE person_links SET probability = 0.7 WHERE kind = 'watchlist' "
            "AND hash(record_key) % 10 = 0",
        )
    held_dir = tmp_path / "held"
    shutil.copytree(data_dir, held_dir)
    expected = _link(data_dir)
    report = ServicesReport()
    with RegistryStore.open(vault_for(held_dir), SETTINGS) as store:
        store.execute(
            "test: hold links apart",
            "CREATE TEMP TABLE held AS SELECT record_key, person_id, probability "
            f"FROM person_links WHERE kind = 'watchlist' AND {unsure}",
        )
        held_before = store.scalar("test: count", "SELECT count(*) FROM held")
        store.execute(
            "test: hold links apart",
            f"DELETE FROM person_links WHERE kind = 'watchlist' AND {unsure}",
        )
        index = resolve.PersonIndex.open(store.vault)
        services.link_at_services(
            store, index.model, index.meta.persons, report, workers=2, held="held"
        )
        assert store.scalar("test: count", "SELECT count(*) FROM held") < held_before
        store.execute(
            "test: release",
            "INSERT INTO person_links SELECT 'watchlist', record_key, person_id, probability "
            "FROM held",
        )
    assert held_before > 0
    assert report == expected
    assert report.linked
    assert _keyed_links(held_dir) == _keyed_links(data_dir)


def _keyed_links(data_dir: Path) -> dict[str, int]:
    return dict(_links(data_dir, "watchlist").values())


def _dated(data_dir: Path) -> set[str]:
    return _records(data_dir, "birth_date_precision = 'day'")


def _all_undated(data_dir: Path) -> set[str]:
    return _records(data_dir, _UNDATED)


def _records(data_dir: Path, where: str) -> set[str]:
    with RegistryStore.open(vault_for(data_dir), SETTINGS, read_only=True) as store:
        rows = store.execute(
            "test records", f"SELECT record_id FROM registry_watchlist WHERE {where}"
        )
    return {str(r[0]) for r in rows}


def test_an_organisation_meets_the_employers_of_its_kind_of_service() -> None:
    levels = organisation_levels(
        ["Управление КГБ по Гомельской области"],
        [
            "управление кгб по гомельской области",
            "Управление КГБ БССР по Гомельской области",
            "Министерство обороны Республики Беларусь",
            "Комитет государственной безопасности Республики Беларусь",
            "ОАО «Гомельский химический завод»",
        ],
    )
    employers, found_levels = levels.column("employer"), levels.column("level")
    found = dict(zip(employers.to_pylist(), found_levels.to_pylist(), strict=True))
    assert found["управление кгб по гомельской области"] == ServiceLevel.SAME
    assert found["Управление КГБ БССР по Гомельской области"] == ServiceLevel.ALIKE
    assert found["Комитет государственной безопасности Республики Беларусь"] >= ServiceLevel.SECTOR
    # another kind of service, and a civil employer, are not met at all
    assert "Министерство обороны Республики Беларусь" not in found
    assert "ОАО «Гомельский химический завод»" not in found


def test_a_year_only_birth_date_is_evidence_as_far_as_it_goes(
    resolved_data_dir: Path,
) -> None:
    """A date known to the year agreeing with a whole one weighs for the pair, about as much as
    a year's agreement tells; "same year" of two whole dates (the day differs) weighs against."""
    model = resolve.PersonIndex.open(vault_for(resolved_data_dir)).model
    labels = model.levels["birth_date"]
    weights = model.level_weights("birth_date")
    as_far = weights[labels.index(AS_FAR_AS_KNOWN)]
    assert weights[labels.index("same year")] < 0 < as_far < weights[labels.index("same")]
    assert 2 < as_far < 9  # about log2 of one over the share of persons born in one year
    assert np.isfinite(weights).all()


def test_a_given_name_is_joined_by_one_key_in_either_language_and_script() -> None:
    assert given_key("сергей") == given_key("siarhei") == given_key("sergei")
    assert given_key("владимир") == given_key("uladzimir")
    assert given_key("aleksandr") != given_key("aleksei")
    assert given_key("sasha") != given_key("aleksandr")  # a diminutive: weaker, kept apart
