"""The education registry: courses of study, as the ministry's register holds them.

Belarusian column headings; each record in Belarusian or Russian, names and institution alike;
years only. Coverage is thinner for older cohorts, whose records were never digitised.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.synth.education import NOT_FINISHED, Level
from bonafide.synth.sources.common import (
    Build,
    NameScript,
    SourceContext,
    SourceSpec,
    blank,
    format_dates,
    render_names,
)
from bonafide.synth.world import day_of_year

__all__ = ["SPEC", "build_education", "coverage", "school_names"]

SPEC = SourceSpec(
    kind="education",
    columns={
        "record_id": "Нумар запісу",
        "surname": "Прозвішча",
        "given_name": "Імя",
        "patronymic": "Імя па бацьку",
        "birth_date": "Дата нараджэння",
        "institution": "Установа адукацыі",
        "institution_settlement": "Населены пункт",
        "level": "Узровень",
        "programme": "Спецыяльнасць",
        "start_year": "Год паступлення",
        "graduation_year": "Год заканчэння",
    },
    date_formats={"birth_date": "%d.%m.%Y"},
    record_prefix="E",
    csv_delimiter="\t",
)

_LEVEL_RU = ["общее среднее", "профессионально-техническое", "среднее специальное", "высшее"]
_LEVEL_BE = ["агульная сярэдняя", "прафесійна-тэхнічная", "сярэдняя спецыяльная", "вышэйшая"]
_VILLAGE = 0


def coverage(birth_year: np.typing.NDArray[np.int64]) -> np.typing.NDArray[np.float64]:
    """The share of a birth cohort's courses that the education registry holds."""
    return np.select([birth_year >= 1975, birth_year >= 1960], [0.96, 0.82], 0.55)


def school_names(
    ctx: SourceContext, number: np.typing.NDArray[np.int64], settlement: np.typing.NDArray[np.int64]
) -> tuple[pa.Array, pa.Array]:
    """'Средняя школа № 12, г. Гродно' and its Belarusian form."""
    vocab = ctx.vocabulary
    place = pa.array(settlement)
    village = pa.array(ctx.places.kind[settlement] == _VILLAGE)
    prefix = pc.if_else(village, pa.scalar("аг. "), pa.scalar("г. "))  # the same in both
    num = pc.cast(pa.array(number), pa.string())
    ru = pc.binary_join_element_wise(
        "Средняя школа № ", num, ", ", prefix, vocab.settlement_ru.take(place), ""
    )
    be = pc.binary_join_element_wise(
        "Сярэдняя школа № ", num, ", ", prefix, vocab.settlement_be.take(place), ""
    )
    return ru, be


def build_education(ctx: SourceContext, rows: np.typing.NDArray[np.int64]) -> Build:
    chunk = ctx.chunk
    edu = chunk.education
    vocab = ctx.vocabulary
    person = edu.person[rows]
    people = chunk.people
    n = len(rows)
    level = edu.level[rows]
    start_year = edu.start_year[rows]
    start_day = np.array([day_of_year(1970)]) + ((start_year - 1970) * 365.2425 + 243).astype(
        np.int64
    )
    belarusian = ctx.chance(0.55, n)
    script = np.where(belarusian, NameScript.BELARUSIAN, NameScript.RUSSIAN)
    names = render_names(ctx, person, start_day.astype(np.int32), script, ctx.rates.name_typo)
    institution = edu.institution[rows]
    school_ru, school_be = school_names(ctx, institution, edu.settlement[rows])
    university = level == Level.UNIVERSITY
    college = (level == Level.COLLEGE) | (level == Level.VOCATIONAL)
    university_row = pa.array(np.where(university, institution, 0))
    college_row = pa.array(np.where(college, institution, 0))
    is_university = pa.array(university)
    is_school = pa.array(level == Level.SCHOOL)
    named_ru = pc.if_else(
        is_university, vocab.university_ru.take(university_row), vocab.college_ru.take(college_row)
    )
    named_be = pc.if_else(
        is_university, vocab.university_be.take(university_row), vocab.college_be.take(college_row)
    )
    institution_ru = pc.if_else(is_school, school_ru, named_ru)
    institution_be = pc.if_else(is_school, school_be, named_be)
    be = pa.array(belarusian)
    programme = pa.array(np.maximum(edu.programme[rows], 0))
    has_programme = pa.array(edu.programme[rows] >= 0)
    programme_text = pc.if_else(
        be, vocab.programme_be.take(programme), vocab.programme_ru.take(programme)
    )
    graduation = edu.graduation_year[rows]
    place = pa.array(edu.settlement[rows])
    columns = {
        "Нумар запісу": pa.nulls(n, pa.string()),
        "Прозвішча": names["surname"],
        "Імя": names["given_name"],
        "Імя па бацьку": names["patronymic"],
        "Дата нараджэння": blank(
            ctx,
            format_dates(ctx, people.birth[person], "%d.%m.%Y", "birth_date"),
            ctx.rates.missing_birth_date * 2,
            "birth_date",
        ),
        "Установа адукацыі": pc.if_else(be, institution_be, institution_ru),
        "Населены пункт": pc.if_else(
            be, vocab.settlement_be.take(place), vocab.settlement_ru.take(place)
        ),
        "Узровень": pc.if_else(
            be, pa.array(_LEVEL_BE).take(pa.array(level)), pa.array(_LEVEL_RU).take(pa.array(level))
        ),
        "Спецыяльнасць": pc.if_else(has_programme, programme_text, pa.nulls(n, pa.string())),
        "Год паступлення": pc.cast(pa.array(start_year), pa.string()),
        "Год заканчэння": pc.if_else(
            pa.array(graduation != NOT_FINISHED),
            pc.cast(pa.array(graduation), pa.string()),
            pa.nulls(n, pa.string()),
        ),
    }
    return Build(columns, person)
