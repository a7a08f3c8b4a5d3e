"""Courses fit the institution that teaches them, roles the organisation that employs them."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from bonafide.synth.chunk import Chunk, World, generate_chunk
from bonafide.synth.education import Level
from bonafide.synth.tables import load_tables
from bonafide.synth.world import SynthConfig

TODAY = SynthConfig(people=1, seed=0).today


@pytest.fixture(scope="module")
def world() -> World:
    return World()


@pytest.fixture(scope="module")
def chunk(world: World) -> Chunk:
    return generate_chunk(world, seed=5, index=0, first_id=0, size=60_000, chunks=2, today=TODAY)


def _courses(chunk: Chunk) -> dict[str, set[str]]:
    """The programmes taught at each named institution, by its Russian name."""
    tables = load_tables()
    edu = chunk.education
    programmes = tables.programmes.text("ru")
    taught: dict[str, set[str]] = defaultdict(set)
    for level, names in (
        (Level.UNIVERSITY, tables.universities.text("name_ru")),
        (Level.COLLEGE, tables.colleges.text("name_ru")),
        (Level.VOCATIONAL, tables.colleges.text("name_ru")),
    ):
        rows = np.flatnonzero(edu.level == level)
        for institution, programme in zip(
            edu.institution[rows].tolist(), edu.programme[rows].tolist(), strict=True
        ):
            taught[names[institution]].add(programmes[programme])
    return taught


MEDICAL_COLLEGE = {
    "Сестринское дело",
    "Лечебное дело (фельдшер)",
    "Медико-диагностическое дело",
    "Фармация",
    "Стоматология ортопедическая",
}
MEDICAL_UNIVERSITY = {
    "Лечебное дело",
    "Педиатрия",
    "Стоматология",
    "Медико-диагностическое дело",
    "Медико-профилактическое дело",
    "Фармация",
}
# (a word of the institution's name, the programmes such an institution may teach)
FITS = [
    ("медицинский колледж", MEDICAL_COLLEGE),
    ("медицинский университет", MEDICAL_UNIVERSITY),
    (
        "музыкальный колледж",
        {"Инструментальное исполнительство", "Хоровое дирижирование", "Вокальное искусство"},
    ),
    ("училище олимпийского резерва", {"Физическая культура и спорт", "Спортсмен-инструктор"}),
    (
        "Академия Министерства внутренних дел",
        {
            "Правоохранительная деятельность",
            "Правовое обеспечение общественной безопасности",
            "Правоведение",
            "Экономическое право",
        },
    ),
    ("Военная академия", {"Военное управление"}),
    ("академия музыки", {"Музыкальное искусство", "Вокальное искусство", "Дирижирование"}),
]


@pytest.mark.parametrize(("word", "allowed"), FITS)
def test_courses_fit_the_institution(chunk: Chunk, word: str, allowed: set[str]) -> None:
    taught = {name: p for name, p in _courses(chunk).items() if word in name}
    assert taught, word
    for name, programmes in taught.items():
        assert programmes <= allowed, (name, programmes - allowed)


def test_no_medical_college_teaches_accounting(chunk: Chunk) -> None:
    for name, programmes in _courses(chunk).items():
        if "медицинский" in name:
            assert "Бухгалтерский учёт" not in programmes, name


def test_institutions_teach_their_fields_at_their_level(world: World) -> None:
    tables = load_tables()
    programmes = tables.programmes
    level_of = {"university": Level.UNIVERSITY, "college": Level.COLLEGE}
    institutions = [
        (Level.UNIVERSITY, row, teaches)
        for row, teaches in enumerate(tables.universities.text("teaches"))
    ] + [
        (level_of.get(kind, Level.VOCATIONAL), row, teaches)
        for row, (kind, teaches) in enumerate(
            zip(tables.colleges.text("kind"), tables.colleges.text("teaches"), strict=True)
        )
    ]
    for level, row, teaches in institutions:
        draws = world.institutions.programme(
            np.full(200, int(level)), np.full(200, row), np.linspace(0, 0.999, 200)
        )
        fields = {programmes.text("field")[p] for p in draws.tolist()}
        levels = {level_of.get(programmes.text("level")[p], Level.VOCATIONAL) for p in draws}
        assert fields == set(teaches.split("|")), (row, fields, teaches)
        assert levels == {level}


def _roles(chunk: Chunk) -> dict[str, set[str]]:
    tables = load_tables()
    jobs = chunk.jobs
    employers = tables.employers.text("name_ru")
    positions = tables.positions.text("ru")
    held: dict[str, set[str]] = defaultdict(set)
    large = np.flatnonzero(jobs.employer >= 0)
    for employer, position in zip(
        jobs.employer[large].tolist(), jobs.position[large].tolist(), strict=True
    ):
        held[employers[employer]].add(positions[position])
    return held


POLICE_ON_THE_STREET = {
    "милиционер патрульно-постовой службы",
    "инспектор дорожно-патрульной службы",
    "участковый инспектор милиции",
    "милиционер отряда милиции особого назначения",
}
SOLDIERS = {"военнослужащий по контракту", "военнослужащий пограничной службы"}
# (a word of the organisation's name, roles it never employs)
MISFITS = [
    ("Комитет государственной безопасности", POLICE_ON_THE_STREET | {"прокурор"}),
    ("Управление КГБ", POLICE_ON_THE_STREET | {"прокурор"}),
    ("Генеральная прокуратура", POLICE_ON_THE_STREET | SOLDIERS),
    ("Министерство обороны", POLICE_ON_THE_STREET | {"прокурор", "следователь"}),
    ("Государственный пограничный комитет", POLICE_ON_THE_STREET | {"прокурор"}),
    (
        "Отряд милиции особого назначения",
        {
            "прокурор",
            "следователь",
            "участковый инспектор милиции",
            "военнослужащий пограничной службы",
        },
    ),
    ("Департамент исполнения наказаний", POLICE_ON_THE_STREET | SOLDIERS | {"прокурор"}),
    ("Следственный комитет", POLICE_ON_THE_STREET | SOLDIERS | {"прокурор"}),
    ("больница", {"милиционер патрульно-постовой службы", "тракторист-машинист", "прокурор"}),
]


@pytest.mark.parametrize(("word", "never"), MISFITS)
def test_roles_fit_the_organisation(chunk: Chunk, word: str, never: set[str]) -> None:
    held = {name: roles for name, roles in _roles(chunk).items() if word in name}
    assert held, word
    for name, roles in held.items():
        assert not roles & never, (name, roles & never)
