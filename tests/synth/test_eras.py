"""Jobs belong to their time: Soviet enterprises and titles before 1991, no company forms or
managers then; directors and chief accountants are not hired at 22."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import numpy as np
import pyarrow.parquet as pq
import pytest

from bonafide.synth.chunk import Chunk, World, generate_chunk
from bonafide.synth.tables import load_tables
from bonafide.synth.world import YEAR, SynthConfig, day_of_year
from tests.conftest import Population

TODAY = SynthConfig(people=1, seed=0).today
# Legal forms of companies and of post-Soviet state enterprises (unitary, joint-stock…)
MODERN_FORM = re.compile(
    r"^(ООО|ЗАО|ОАО|ИП|ЧУП|ЧТУП|ОДО|СООО|ИООО|УП|РУП|ГП|СП ЗАО|РУПТП|КСУП|СПК|УЗ|ГУ) "
)
SOVIET_WORDS = (
    "завод",
    "колхоз",
    "совхоз",
    "комбинат",
    "трест",
    "фабрика",
    "институт",
    "СМУ",
    "ПМК",
    "автобаза",
    "объединение",
)
# Titles that came with the market economy (инженер-программист is a Soviet title; программист
# on its own is taken as one of the 1990s)
MARKET_TITLES = {
    "менеджер",
    "менеджер по продажам",
    "менеджер по закупкам",
    "маркетолог",
    "логист",
    "программист",
    "разработчик программного обеспечения",
    "ведущий разработчик",
    "инженер по тестированию",
    "бизнес-аналитик",
    "DevOps-инженер",
    "мерчандайзер",
    "торговый представитель",
    "генеральный директор",
    "риск-менеджер",
    "руководитель проекта",
    "системный администратор",
}
SENIOR = {"директор": 25, "главный бухгалтер": 25, "генеральный директор": 28, "главный врач": 28}


def _jobs(population: Population) -> list[dict[str, object]]:
    """The employment registry's original records with the person's true birth date."""
    table = pq.read_table(population.registries / "employment.parquet").to_pylist()
    truth = pq.read_table(population.truth / "employment.parquet").to_pylist()
    people = {
        p["person_id"]: p for p in pq.read_table(population.truth / "people.parquet").to_pylist()
    }
    return [
        {**record, "born": people[row["person_id"]]["birth_date"]}
        for record, row in zip(table, truth, strict=True)
        if row["origin"] == "original"
    ]


def _hired(record: dict[str, object]) -> dt.date | None:
    try:
        return dt.datetime.strptime(str(record["hired"]), "%d/%m/%Y").date()
    except ValueError:
        return None


def test_soviet_jobs_are_at_soviet_enterprises(population: Population) -> None:
    """Before 1991 (a registry date may be a year off: before 1990) no ООО, ЗАО, ИП, ОАО…"""
    soviet = [r for r in _jobs(population) if (h := _hired(r)) and h.year < 1990]
    assert len(soviet) > 300
    modern = [r["employer"] for r in soviet if MODERN_FORM.match(str(r["employer"]))]
    assert not modern, Counter(str(m).split(" ")[0] for m in modern)
    enterprises = sum(
        any(w.lower() in str(r["employer"]).lower() for w in SOVIET_WORDS) for r in soviet
    )
    assert enterprises / len(soviet) > 0.3


def test_later_jobs_are_at_companies(population: Population) -> None:
    later = [r for r in _jobs(population) if (h := _hired(r)) and h.year > 2000]
    companies = sum(bool(MODERN_FORM.match(str(r["employer"]))) for r in later)
    assert companies / len(later) > 0.5


def test_no_market_titles_before_1991(population: Population) -> None:
    soviet = [r for r in _jobs(population) if (h := _hired(r)) and h.year < 1990]
    titles = Counter(str(r["position"]) for r in soviet if r["position"] in MARKET_TITLES)
    assert not titles, titles


@pytest.fixture(scope="module")
def chunk() -> Chunk:
    return generate_chunk(World(), seed=6, index=0, first_id=0, size=60_000, chunks=2, today=TODAY)


@pytest.mark.parametrize(("title", "youngest"), SENIOR.items())
def test_senior_posts_go_to_grown_people(chunk: Chunk, title: str, youngest: int) -> None:
    positions = load_tables().positions.text("ru")
    jobs = chunk.jobs
    held = jobs.position == positions.index(title)
    assert held.sum() > 5
    age = (jobs.start[held] - chunk.people.birth[jobs.person[held]]) / YEAR
    assert age.min() >= youngest, (title, age.min())


def test_market_titles_appear_after_1991(chunk: Chunk) -> None:
    positions = load_tables().positions.text("ru")
    jobs = chunk.jobs
    market = np.isin(jobs.position, [positions.index(t) for t in MARKET_TITLES])
    assert (jobs.start[market] >= day_of_year(1991)).all()
    assert market.sum() > 100
