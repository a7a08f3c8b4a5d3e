"""The planted kinds of issue 11: each dossier is what the truth says, and fits the age."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from collections import defaultdict
from functools import cache
from typing import Any

import pyarrow.parquet as pq
import pytest

from bonafide.synth.applicants import KINDS, CohortPlan
from bonafide.synth.dossiers import HonestMistakes, write_dossier
from bonafide.synth.sources.residence import DEREGISTRATION_REASONS
from bonafide.synth.stories import Identity, Story
from bonafide.synth.tables import load_tables
from bonafide.synth.variants import belarusian_form, romanise_plain
from bonafide.synth.world import COHORT_MIX
from tests.conftest import Population

Dossier = dict[str, Any]
# Kinds whose applicants tell (part of) their own story from memory, with honest mistakes.
HONEST = {"genuine", "watchlisted", "hidden_service", "repeat"}


class Cohort:
    def __init__(self, population: Population) -> None:
        with (population.truth / "applicants.csv").open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.kind = {r["dossier_id"]: r["kind"] for r in rows}
        self.person = {r["dossier_id"]: int(r["person_id"]) for r in rows}
        self.dossiers = population.dossiers()
        people = pq.read_table(population.truth / "people.parquet").to_pylist()
        self.people = {p["person_id"]: p for p in people}
        self.jobs = _records(population, "employment")
        self.homes = _records(population, "residence")
        self.identity = _records(population, "identity")
        watchlist = _records(population, "watchlist")
        self.listed = dict(watchlist.items())

    def of(self, kind: str) -> list[Dossier]:
        return [d for d in self.dossiers if self.kind[d["dossier_id"]] == kind]

    def who(self, dossier: Dossier) -> dict[str, Any]:
        return self.people[self.person[dossier["dossier_id"]]]


def _records(population: Population, kind: str) -> dict[int, list[dict[str, Any]]]:
    """The original registry records of each person."""
    table = pq.read_table(population.registries / f"{kind}.parquet").to_pylist()
    truth = pq.read_table(population.truth / f"{kind}.parquet").to_pylist()
    by_person: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for record, row in zip(table, truth, strict=True):
        if row["origin"] == "original":
            by_person[row["person_id"]].append(record)
    return by_person


@pytest.fixture(scope="module")
def cohort(population: Population) -> Cohort:
    return Cohort(population)


@cache
def _security_names() -> frozenset[str]:
    """The security services' names, today's and those before 1991."""
    employers = load_tables().employers
    names = zip(employers.text("name_ru"), employers.text("name_ussr_ru"), strict=True)
    return frozenset(
        name
        for (today, soviet), sector in zip(names, employers.text("sector"), strict=True)
        if sector == "security"
        for name in (today, soviet)
        if name
    )


def _year(value: str | None) -> int | None:
    if value is None:
        return None
    return int(re.search(r"\d{4}", value).group())  # type: ignore[union-attr]


def _day(text: str | None, fmt: str) -> dt.date | None:
    """The date `text` writes; None when absent or impossible (the registries hold 31.02)."""
    try:
        return None if not text else dt.datetime.strptime(text, fmt).date()
    except ValueError:
        return None


def _claims(dossier: Dossier) -> list[dict[str, Any]]:
    return [*dossier["residences"], *dossier["education"], *dossier["employment"]]


def _reaches_past(dossier: Dossier, day: dt.date) -> bool:
    """Some residence or job is claimed to go on after `day`."""
    for claim in (*dossier["residences"], *dossier["employment"]):
        end = _year(claim["to"])
        if end is None or end > day.year:
            return True
    return False


def _service_jobs(cohort: Cohort, person: int) -> list[dict[str, Any]]:
    return [j for j in cohort.jobs.get(person, []) if j["employer"] in _security_names()]


def _claims_service(dossier: Dossier) -> bool:
    return any(job["employer"] in _security_names() for job in dossier["employment"])


def test_every_kind_is_in_the_cohort_in_its_share(population: Population, cohort: Cohort) -> None:
    plan = CohortPlan.of(population.config.applicants, population.config.cohort_mix)
    kinds = list(cohort.kind.values())
    assert len(kinds) == population.config.applicants
    assert set(kinds) == set(KINDS)
    for kind in KINDS:
        if kind != "genuine":
            assert kinds.count(kind) == plan[kind], kind
    assert kinds.count("genuine") / len(kinds) >= 0.55


def test_default_mix_has_every_kind_even_in_a_small_cohort() -> None:
    plan = CohortPlan.of(60, COHORT_MIX)
    assert all(plan[kind] >= 1 for kind in KINDS)
    assert sum(dict(plan.counts).values()) == 60
    assert plan["genuine"] / 60 >= 0.5


def test_exiles_go_on_living_in_the_country_after_they_left(cohort: Cohort) -> None:
    exiles = cohort.of("exile_identity")
    assert exiles
    for dossier in exiles:
        person = cohort.who(dossier)
        left = person["emigrated_on"]
        assert left is not None
        assert person["died_on"] is None
        assert dossier["identity"]["personal_number"] == person["personal_number"]
        assert _reaches_past(dossier, left), dossier["dossier_id"]
        # the registry's last registration ends when they left
        ends = [_day(r["Снят с учёта"], "%Y-%m-%d") for r in cohort.homes[person["person_id"]]]
        assert all(end is not None and end <= left for end in ends)


def test_the_dead_go_on_living_after_their_death(cohort: Cohort) -> None:
    dead = cohort.of("dead_identity")
    assert dead
    recorded = 0
    for dossier in dead:
        person = cohort.who(dossier)
        died = person["died_on"]
        assert died is not None
        age = (dt.date.fromisoformat(dossier["submitted"]) - person["birth_date"]).days / 365.25
        assert 21 <= age <= 58
        assert dossier["identity"]["personal_number"] == person["personal_number"]
        assert _reaches_past(dossier, died), dossier["dossier_id"]
        records = cohort.identity[person["person_id"]]
        assert records, "the dead keep their identity records"
        recorded += any(r["DATA_SMERTI"] for r in records)
    assert recorded / len(dead) >= 0.7


def test_hidden_service_leaves_the_security_job_out(cohort: Cohort) -> None:
    hidden = cohort.of("hidden_service")
    assert hidden
    for dossier in hidden:
        person = cohort.person[dossier["dossier_id"]]
        assert _service_jobs(cohort, person), dossier["dossier_id"]
        assert not _claims_service(dossier)


def test_stretched_cover_covers_the_service_years_with_a_civil_job(cohort: Cohort) -> None:
    covered = cohort.of("stretched_cover")
    assert covered
    for dossier in covered:
        service = _service_jobs(cohort, cohort.person[dossier["dossier_id"]])
        assert service
        assert not _claims_service(dossier)
        claimed = [(_year(j["from"]), _year(j["to"])) for j in dossier["employment"]]
        for job in service:
            start = _day(job["hired"], "%d/%m/%Y")
            stop = _day(job["dismissed"], "%d/%m/%Y")
            assert start is not None
            assert any(
                begin is not None
                and begin <= start.year + 1  # a registry date may be a digit off
                and (end is None or (stop is not None and end >= stop.year - 1))
                for begin, end in claimed
            ), (dossier["dossier_id"], job, claimed)


def test_invented_careers_belong_to_people_the_registries_know_little_of(
    cohort: Cohort,
) -> None:
    invented = cohort.of("invented_career")
    assert invented
    for dossier in invented:
        person = cohort.person[dossier["dossier_id"]]
        assert not cohort.jobs.get(person)
        assert len(cohort.homes[person]) <= 2
        assert 1 <= len(dossier["employment"]) <= 5
        assert len(dossier["residences"]) <= 2
    assert max(len(d["employment"]) for d in invented) >= 3


def test_watchlisted_apply_under_their_own_name_half_of_them_without_the_service(
    cohort: Cohort,
) -> None:
    watched = cohort.of("watchlisted")
    assert len(watched) >= 2
    entries = []
    for dossier in watched:
        person = cohort.who(dossier)
        assert dossier["identity"]["personal_number"] == person["personal_number"]
        entries += cohort.listed[person["person_id"]]
    silent = sum(not _claims_service(d) for d in watched)
    assert len(watched) // 2 <= silent
    assert any(e["dob"] is not None and len(e["dob"]) == 4 for e in entries)
    assert any(e["name"].isascii() for e in entries)


def test_repeats_follow_an_earlier_dossier_of_the_same_person(cohort: Cohort) -> None:
    repeats = cohort.of("repeat")
    assert repeats
    order = [d["dossier_id"] for d in cohort.dossiers]
    for dossier in repeats:
        person = cohort.person[dossier["dossier_id"]]
        earlier = [
            d
            for d in cohort.dossiers[: order.index(dossier["dossier_id"])]
            if cohort.person[d["dossier_id"]] == person and cohort.kind[d["dossier_id"]] != "repeat"
        ]
        assert earlier
        first = earlier[0]["identity"]
        again = dossier["identity"]
        assert again["birth_date"] == first["birth_date"]
        assert again["personal_number"] == first["personal_number"]


# The youngest age (by year of birth) at which a story may begin each kind of claim: no home
# before birth, school from 6, college or vocational school from 15, university from 16, work
# from 16. A competent adversary's story fits the identity; an honest applicant's mistakes (a
# year off) do not make it impossible either: people know when they were born.
YOUNGEST = {
    "residence": 0,
    "school": 6,
    "vocational": 15,
    "college": 15,
    "university": 16,
    "job": 16,
}


def _beginnings(dossier: Dossier) -> list[tuple[str, int]]:
    """(what, the year it began) of each claim that says when it began."""
    found = [("residence", _year(r["from"])) for r in dossier["residences"]]
    found += [(str(c["level"]), _year(c["from"])) for c in dossier["education"]]
    found += [("job", _year(j["from"])) for j in dossier["employment"]]
    return [(what, year) for what, year in found if year is not None]


@pytest.mark.parametrize("kind", KINDS)
def test_every_story_fits_the_age_of_its_identity(cohort: Cohort, kind: str) -> None:
    slack = 1 if kind in HONEST else 0  # an honest applicant may put a date a year late
    for dossier in cohort.of(kind):
        born = dt.date.fromisoformat(dossier["identity"]["birth_date"]).year
        submitted = dt.date.fromisoformat(dossier["submitted"]).year
        for what, start in _beginnings(dossier):
            assert start - born >= YOUNGEST[what], (dossier["dossier_id"], what, start - born)
            assert start <= submitted + slack, dossier["dossier_id"]


def _story(born: dt.date) -> Story:
    """A life with every claim at the youngest age it could begin."""
    place = {"ru": "Лида", "be": "Ліда", "latin": "Lida"}
    identity = Identity(
        1,
        "f",
        born,
        dict.fromkeys(("ru", "be", "latin"), ("Иванова", "Анна", "Петровна")),
        place,
        "4100390A001PB5",
        None,
    )
    home = {
        "settlement": place,
        "street": {"ru": "улица Ленина", "be": "вуліца Леніна"},
        "old_street": None,
        "house": "3",
        "flat": None,
        "from": born,
        "to": None,
    }
    courses = [
        {
            "institution": {"ru": "Средняя школа № 1"},
            "settlement": place,
            "level": level,
            "programme": None,
            "from": born.year + age,
            "to": born.year + age + 2,
        }
        for level, age in (("school", 6), ("college", 15), ("university", 16))
    ]
    job = {
        "employer": "ООО «Лидер»",
        "settlement": place,
        "position": {"ru": "кладовщик"},
        "from": dt.date(born.year + 16, 9, 1),
        "to": None,
    }
    return Story(identity, [home], courses, [job])


@pytest.mark.parametrize("seed", range(40))
def test_honest_mistakes_never_make_a_story_impossible(seed: int) -> None:
    """A year off moves a date later where earlier would put it before it could have been."""
    born = dt.date(1990, 11, 20)
    always_off = HonestMistakes(year_off=1.0, vague_date=0.3)
    story = _story(born)
    dossier = write_dossier(
        "D1", story.identity, story, random.Random(seed), always_off, dt.date(2026, 11, 1)
    )
    for what, start in _beginnings(dossier):
        assert start - born.year >= YOUNGEST[what], (what, start - born.year)


def test_borrowed_stories_begin_at_the_identity_birth(cohort: Cohort) -> None:
    for kind in ("borrowed", "thin"):
        for dossier in cohort.of(kind):
            born = dossier["identity"]["birth_date"][:4]
            if dossier["residences"]:
                assert dossier["residences"][0]["from"].startswith(born)


def test_genuine_applicants_write_in_their_own_ways(cohort: Cohort) -> None:
    texts = [
        str(value)
        for d in cohort.of("genuine")
        for claim in _claims(d)
        for value in claim.values()
        if value
    ]
    assert any(re.fullmatch(r"(vulica|praspiekt|zavulak|plosca) [A-Za-z0-9 .-]+", t) for t in texts)
    assert any(t.startswith("Secondary School No. ") or "University" in t for t in texts)
    assert any(t.split(" ")[0] in {"ТАА", "ААТ", "ПУП", "ПТУП", "ЗАТ", "УАЗ"} for t in texts)


def test_plain_romanisation_and_belarusian_forms() -> None:
    assert romanise_plain("вуліца Сонечная") == "vulica Soniecnaja"
    assert romanise_plain("праспект Міру") == "praspiekt Miru"
    assert romanise_plain("Магілёў") == "Mahiliou"
    assert romanise_plain("Ельск") == "Jelsk"
    assert belarusian_form("ООО «Лидер»") == "ТАА «Лидер»"
    assert belarusian_form("ОАО «Минский тракторный завод»") == "ААТ «Минский тракторный завод»"
    assert belarusian_form("Комитет государственной безопасности") == (
        "Комитет государственной безопасности"
    )


def test_registrations_say_why_they_ended(cohort: Cohort) -> None:
    moved, emigrated, died = (
        {w for lang in reason for w in lang} for reason in DEREGISTRATION_REASONS
    )
    seen: dict[str, int] = defaultdict(int)
    for person, records in cohort.homes.items():
        truth = cohort.people[person]
        for record in records:
            reason = record["Причина снятия с учёта"]
            if record["Снят с учёта"] is None:
                assert reason is None
                continue
            end = _day(record["Снят с учёта"], "%Y-%m-%d")
            if reason is None or end is None:
                continue
            if end == truth["died_on"]:
                assert reason in died
                seen["died"] += 1
            elif end == truth["emigrated_on"]:
                assert reason in emigrated
                seen["emigrated"] += 1
            elif reason in moved:
                seen["moved"] += 1
    assert seen["died"]
    assert seen["emigrated"]
    assert seen["moved"]


def test_the_identity_registry_records_deaths(cohort: Cohort) -> None:
    dead = living = 0
    for person, records in cohort.identity.items():
        truth = cohort.people[person]
        for record in records:
            if record["DATA_SMERTI"] is None:
                continue
            if truth["died_on"] is None:
                living += 1
            else:
                dead += 1
    assert dead > 0
    assert living == 0
