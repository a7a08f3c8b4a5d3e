"""The residence registry: registration periods at addresses, as district offices hold them.

Russian column headings, mostly Russian Cyrillic values (some offices write Belarusian), ISO
dates, semicolon-separated Windows-1251 when written as CSV. Records made before a street was
renamed sometimes keep the old name.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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

__all__ = ["SPEC", "build_residence", "house_text"]

SPEC = SourceSpec(
    kind="residence",
    columns={
        "record_id": "Номер записи",
        "surname": "Фамилия",
        "given_name": "Имя",
        "patronymic": "Отчество",
        "birth_date": "Дата рождения",
        "personal_number": "Личный номер",
        "region": "Область",
        "district": "Район",
        "settlement": "Населённый пункт",
        "street": "Улица",
        "house": "Дом",
        "flat": "Квартира",
        "registered_from": "Зарегистрирован с",
        "registered_to": "Снят с учёта",
    },
    date_formats={
        "birth_date": "%Y-%m-%d",
        "registered_from": "%Y-%m-%d",
        "registered_to": "%Y-%m-%d",
    },
    record_prefix="R",
    csv_delimiter=";",
    csv_encoding="windows-1251",
)

_SUFFIX = ["", "А", "Б", " к2"]


def house_text(house: np.typing.NDArray[np.int64], suffix: np.typing.NDArray[np.int64]) -> pa.Array:
    return pc.binary_join_element_wise(
        pc.cast(pa.array(house), pa.string()), pa.array(_SUFFIX).take(pa.array(suffix)), ""
    )


def build_residence(ctx: SourceContext, rows: np.typing.NDArray[np.int64]) -> Build:
    chunk = ctx.chunk
    res = chunk.residences
    vocab = ctx.vocabulary
    person = res.person[rows]
    people = chunk.people
    start = res.start[rows]
    n = len(rows)
    belarusian = ctx.chance(0.15, n)
    script = np.where(belarusian, NameScript.BELARUSIAN, NameScript.RUSSIAN)
    names = render_names(ctx, person, start, script, ctx.rates.name_typo)
    settlement = pa.array(res.settlement[rows])
    street = pa.array(res.street[rows])
    old = ctx.places.had_old_name(res.settlement[rows], res.street[rows], start)
    old &= ctx.chance(0.25, n)
    ctx.noise["old_street_name"] += int(old.sum())
    renaming = pa.array(np.maximum(ctx.places.renaming(res.settlement[rows], res.street[rows]), 0))
    street_ru = pc.if_else(
        pa.array(old), vocab.old_street_ru.take(renaming), vocab.street_ru.take(street)
    )
    street_be = pc.if_else(
        pa.array(old), vocab.old_street_be.take(renaming), vocab.street_be.take(street)
    )
    be = pa.array(belarusian)
    flat = res.flat[rows]
    with_number = (res.start[rows] >= day_of_year(2008)) & ctx.chance(0.9, n)
    with_number |= ctx.chance(0.1, n)
    numbers = chunk.personal_number.take(pa.array(person))
    columns = {
        "Номер записи": pa.nulls(n, pa.string()),
        "Фамилия": names["surname"],
        "Имя": names["given_name"],
        "Отчество": names["patronymic"],
        "Дата рождения": blank(
            ctx,
            format_dates(ctx, people.birth[person], "%Y-%m-%d", "birth_date"),
            ctx.rates.missing_birth_date,
            "birth_date",
        ),
        "Личный номер": pc.if_else(pa.array(with_number), numbers, pa.nulls(n, pa.string())),
        "Область": vocab.region_ru.take(settlement),
        "Район": vocab.district_ru.take(settlement),
        "Населённый пункт": pc.if_else(
            be, vocab.settlement_be.take(settlement), vocab.settlement_ru.take(settlement)
        ),
        "Улица": pc.if_else(be, street_be, street_ru),
        "Дом": house_text(res.house[rows], res.house_suffix[rows]),
        "Квартира": pc.if_else(
            pa.array(flat > 0), pc.cast(pa.array(flat), pa.string()), pa.nulls(n, pa.string())
        ),
        "Зарегистрирован с": format_dates(ctx, start, "%Y-%m-%d", "registered_from"),
        "Снят с учёта": format_dates(ctx, res.stop[rows], "%Y-%m-%d", "registered_to"),
    }
    return Build(columns, person)
