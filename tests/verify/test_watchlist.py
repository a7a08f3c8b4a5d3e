"""Watchlist screening: partial entries found, near misses not, and the file resolve writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bonafide.errors import StoreError
from bonafide.persons.files import Generation, PersonFiles
from bonafide.persons.watchlist import WATCHLIST_COLUMNS, WATCHLIST_FILE
from bonafide.registry import RegistryStore
from bonafide.vault import Vault
from bonafide.verify.watchlist import BirthAgreement, NameAgreement, WatchlistScreen
from tests.vaults import vault_for

from ..conftest import Population
from .conftest import SETTINGS

# as the registry stores them: names normalised to lower case, dates with their precision
_ENTRIES = [
    ("W1", "ivanov sergei petrovich", dt.date(1975, 1, 1), "year"),  # Latin, year only
    ("W2", "kovaleva olga nikolaevna", dt.date(1980, 3, 1), "month"),  # year and month
    ("W3", "лукашенко александр григорьевич", None, None),  # no birth date
    ("W4", "dmitri petrov", dt.date(1990, 2, 3), "day"),  # given name first
    ("W5", "сидоров а.в.", dt.date(1985, 5, 5), "day"),  # initials after
    ("W6", "i. kuznetsov", dt.date(1966, 7, 8), "day"),  # an initial before
    ("W7", "новикова марина игоревна", dt.date(1979, 1, 1), "year"),  # a maiden name
    ("W8", "petrova aleksandra ivanovna", dt.date(1970, 1, 1), "day"),
]


@pytest.fixture(scope="module")
def screen() -> WatchlistScreen:
    rows = [
        {
            "record_id": record_id,
            "full_name": name,
            "birth_date": birth,
            "birth_date_precision": precision,
            "organisation": "кгб",
            "role": "офицер",
        }
        for record_id, name, birth, precision in _ENTRIES
    ]
    return WatchlistScreen(pa.Table.from_pylist(rows))


def _found(screen: WatchlistScreen, **identity: Any) -> list[str | None]:
    return [hit.entry.record_id for hit in screen.screen(identity)]


@pytest.mark.parametrize(
    ("identity", "expected", "name", "birth"),
    [
        (  # year-only entry in Latin; the dossier in Russian
            {"surname": "Иванов", "given_name": "Сергей", "patronymic": "Петрович"}
            | {"birth_date": "1975-06-01", "sex": "m"},
            "W1",
            NameAgreement.SAME,
            BirthAgreement.SAME_YEAR,
        ),
        (  # the same, the dossier in Belarusian
            {"surname": "Іваноў", "given_name": "Сяргей", "patronymic": "Пятровіч"}
            | {"birth_date": "1975-06-01"},
            "W1",
            NameAgreement.SAME,
            BirthAgreement.SAME_YEAR,
        ),
        (  # year-month entry; the dossier's name in one field, in Cyrillic
            {"full_name": "Ковалёва Ольга Николаевна", "birth_date": "1980-03-15", "sex": "f"},
            "W2",
            NameAgreement.SAME,
            BirthAgreement.SAME_MONTH,
        ),
        (  # no birth date: the whole name, Belarusian against Russian
            {"surname": "Лукашэнка", "given_name": "Аляксандр", "patronymic": "Рыгоравіч"}
            | {"birth_date": "1954-08-30"},
            "W3",
            NameAgreement.SAME,
            BirthAgreement.UNKNOWN,
        ),
        (  # no birth date on either side, Latin against Cyrillic
            {"surname": "Lukashenko", "given_name": "Alexander", "patronymic": "Grigoryevich"},
            "W3",
            NameAgreement.SAME,
            BirthAgreement.UNKNOWN,
        ),
        (  # full name given first in the entry, surname first in the dossier
            {"full_name": "Петров Дмитрий Иванович", "birth_date": "1990-02-03"},
            "W4",
            NameAgreement.SAME,
            BirthAgreement.SAME_DAY,
        ),
        (  # "Сидоров А.В." against a Latin dossier
            {"surname": "Sidorov", "given_name": "Andrei", "patronymic": "Viktorovich"}
            | {"birth_date": "1985-05-05"},
            "W5",
            NameAgreement.INITIALS,
            BirthAgreement.SAME_DAY,
        ),
        (  # "I. Kuznetsov" against a Cyrillic dossier
            {"surname": "Кузнецов", "given_name": "Игорь", "patronymic": "Олегович"}
            | {"birth_date": "1966-07-08"},
            "W6",
            NameAgreement.INITIALS,
            BirthAgreement.SAME_DAY,
        ),
        (  # listed under her maiden name, which the dossier gives as a former surname
            {"surname": "Петрова", "former_surnames": ["Новикова"], "given_name": "Марина"}
            | {"patronymic": "Игоревна", "birth_date": "1979-11-11", "sex": "f"},
            "W7",
            NameAgreement.SAME,
            BirthAgreement.SAME_YEAR,
        ),
        (  # the dossier's birth date only a year, the entry's a day
            {"surname": "Petrov", "given_name": "Dmitry", "birth_date": "1990"},
            "W4",
            NameAgreement.SAME,
            BirthAgreement.SAME_YEAR,
        ),
    ],
)
def test_partial_entries_are_found(
    screen: WatchlistScreen,
    identity: dict[str, Any],
    expected: str,
    name: NameAgreement,
    birth: BirthAgreement,
) -> None:
    hits = screen.screen(identity)
    assert [h.entry.record_id for h in hits] == [expected]
    hit = hits[0]
    assert (hit.name, hit.birth) == (name, birth)
    assert 0 < hit.strength <= 1
    data = hit.to_json()
    assert data["entry"]["record_id"] == expected
    assert data["entry"]["organisation"] == "кгб"
    assert data["name"] == name.value
    assert data["birth"] == birth.value


@pytest.mark.parametrize(
    "identity",
    [
        # same surname and birth year, another given name
        {"surname": "Иванов", "given_name": "Андрей", "patronymic": "Петрович"}
        | {"birth_date": "1975-06-01", "sex": "m"},
        # the same name, born five years apart
        {"surname": "Иванов", "given_name": "Сергей", "patronymic": "Петрович"}
        | {"birth_date": "1980-06-01", "sex": "m"},
        # the other sex's form of a listed name, born the same day (Petrova Aleksandra)
        {"surname": "Петров", "given_name": "Александр", "patronymic": "Иванович"}
        | {"birth_date": "1970-01-01", "sex": "m"},
        {"surname": "Kovalev", "given_name": "Oleg", "patronymic": "Nikolaevich"}
        | {"birth_date": "1980-03-15"},
        # no birth date in the entry: a name alike is not enough
        {"surname": "Lukashenko", "given_name": "Aleksei", "patronymic": "Grigoryevich"},
        # initials that do not agree
        {"surname": "Сидоров", "given_name": "Иван", "patronymic": "Викторович"}
        | {"birth_date": "1985-05-05"},
        # a maiden name the dossier does not give: the surname differs
        {"surname": "Петрова", "given_name": "Марина", "patronymic": "Игоревна"}
        | {"birth_date": "1979-11-11", "sex": "f"},
    ],
)
def test_near_misses_are_not_found(screen: WatchlistScreen, identity: dict[str, Any]) -> None:
    assert _found(screen, **identity) == []


def test_a_dossier_without_a_name_or_with_a_bad_date(screen: WatchlistScreen) -> None:
    assert screen.screen({"birth_date": "1975"}) == []
    found = _found(
        screen, surname="Ivanov", given_name="Sergei", patronymic="Petrovich", birth_date="soon"
    )
    assert found == ["W1"]  # an unreadable birth date counts as none


def test_an_older_generation_asks_for_a_resolve(vault: Vault, tmp_path: Path) -> None:
    generation = Generation(1, tmp_path, vault)
    with pytest.raises(StoreError, match="no watchlist") as raised:
        WatchlistScreen.open(generation)
    assert "resolve" in (raised.value.hint or "")


def test_resolve_writes_every_watchlist_record(
    population: Population, resolved_data_dir: Path
) -> None:
    vault = vault_for(resolved_data_dir)
    generation = PersonFiles(vault).current()
    assert generation is not None
    assert generation.exists(WATCHLIST_FILE)
    table = generation.read_arrow(WATCHLIST_FILE)
    assert tuple(table.column_names) == WATCHLIST_COLUMNS
    with RegistryStore.open(vault, SETTINGS, read_only=True) as store:
        stored = store.scalar("count", "SELECT count(*) FROM registry_watchlist")
    assert table.num_rows == stored > 0
    precisions = set(table.column("birth_date_precision").to_pylist())
    assert precisions <= {"day", "month", "year", None}
    assert "year" in precisions

    # every listed person of the population, screened under their true name, is found
    screen = WatchlistScreen.open(generation)
    truth = pq.read_table(population.truth / "watchlist.parquet").to_pylist()
    people = {
        p["person_id"]: p for p in pq.read_table(population.truth / "people.parquet").to_pylist()
    }
    listed: dict[int, set[str]] = {}
    for row in truth:
        listed.setdefault(row["person_id"], set()).add(row["record_id"])
    found = 0
    for person_id, records in listed.items():
        person = people[person_id]
        identity = {
            "surname": person["surname"],
            "given_name": person["given_name"],
            "patronymic": person["patronymic"],
            "former_surnames": [person["birth_surname"]],
            "birth_date": person["birth_date"].isoformat(),
            "sex": person["sex"],
        }
        hits = {h.entry.record_id for h in screen.screen(identity)}
        found += bool(hits & records)
    assert found >= 0.98 * len(listed)


def test_a_maiden_name_is_found_at_the_service_the_person_worked_at(
    screen: WatchlistScreen,
) -> None:
    married = {
        "surname": "Соколова",
        "given_name": "Марина",
        "patronymic": "Игоревна",
        "birth_date": "1979-06-02",
        "sex": "f",
    }
    assert [h.entry.record_id for h in screen.screen(married)] == []  # the name alone: no
    at_service = screen.screen_at(married, ["Комитет государственной безопасности (КГБ)"])
    assert [h.entry.record_id for h in at_service] == ["W7"]
    assert at_service[0].name is NameAgreement.OTHER_SURNAME
    assert at_service[0].strength >= 0.8
    assert screen.screen_at(married, ["ОАО «Минский тракторный завод»"]) == []
    other_patronymic = married | {"patronymic": "Сергеевна"}
    assert screen.screen_at(other_patronymic, ["КГБ"]) == []
    born_later = married | {"birth_date": "1983-06-02"}
    assert screen.screen_at(born_later, ["КГБ"]) == []
