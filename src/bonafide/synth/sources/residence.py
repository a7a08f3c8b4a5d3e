"""The residence registry: registration periods at addresses, as district offices hold them.

Russian column headings, mostly Russian Cyrillic values (some offices write Belarusian), ISO
dates, semicolon-separated Windows-1251 when written as CSV. Records made before a street was
renamed sometimes keep the old name. An ended registration says why it ended (moving, leaving the
country, death), in the office's own words, or says nothing.
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
from bonafide.synth.world import NO_DAY, day_of_year

__all__ = ["DEREGISTRATION_REASONS", "REASON_UNWRITTEN", "SPEC", "build_residence", "house_text"]

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
        "deregistration_reason": "Причина снятия с учёта",
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

# Why a registration ended, as registry offices word it: (Russian variants, Belarusian variants)
# for moving within the country, leaving for permanent residence abroad, and death.
MOVED, EMIGRATED, DIED = 0, 1, 2
DEREGISTRATION_REASONS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        (
            "Изменение места жительства",
            "Переезд на новое место жительства",
            "Регистрация по новому месту жительства",
            "Выбыл в пределах Республики Беларусь",
            "смена места жительства",
        ),
        ("Змена месца жыхарства", "Пераезд на новае месца жыхарства"),
    ),
    (
        (
            "Выезд на постоянное жительство за пределы Республики Беларусь",
            "Выезд за границу на ПМЖ",
            "Выбыл за пределы РБ на постоянное жительство",
            "Оформление выезда на постоянное проживание за границу",
            "выезд на ПМЖ за границу",
        ),
        (
            "Выезд на пастаяннае жыхарства за межы Рэспублікі Беларусь",
            "Выезд на ПМЖ за мяжу",
        ),
    ),
    (
        ("Смерть", "В связи со смертью", "Умер(ла)", "Смерть (свидетельство о смерти)"),
        ("Смерць", "У сувязі са смерцю"),
    ),
)
REASON_UNWRITTEN = 0.07  # of ended registrations, no reason entered


def _reasons(
    ctx: SourceContext, rows: np.typing.NDArray[np.int64], belarusian: np.typing.NDArray[np.bool_]
) -> pa.Array:
    """The reason each ended registration of `rows` ended, in the record's language."""
    res = ctx.chunk.residences
    people = ctx.chunk.people
    person = res.person[rows]
    stop = res.stop[rows]
    reason = np.select(
        [stop == people.death[person], stop == people.emigration[person]], [DIED, EMIGRATED], MOVED
    )
    words: list[str] = []
    offsets = np.zeros((3, 2), dtype=np.int64)
    counts = np.zeros((3, 2), dtype=np.int64)
    for r, languages in enumerate(DEREGISTRATION_REASONS):
        for language, variants in enumerate(languages):
            offsets[r, language], counts[r, language] = len(words), len(variants)
            words += variants
    lang = belarusian.astype(np.int64)
    variant = (ctx.rng.random(len(rows)) * counts[reason, lang]).astype(np.int64)
    pick = offsets[reason, lang] + variant
    unwritten = ctx.chance(REASON_UNWRITTEN, len(rows))
    absent = (stop == NO_DAY) | unwritten
    ctx.noise["deregistration_reason_missing"] += int((unwritten & (stop != NO_DAY)).sum())
    text = pa.array(words).take(pa.array(pick))
    return pc.if_else(pa.array(absent), pa.nulls(len(rows), pa.string()), text)


def house_text(house: np.typing.NDArray[np.int64], suffix: np.typing.NDArray[np.int64]) -> pa.Array:
    return pc.binary_join_element_wise(
        pc.cast(pa.array(house), pa.string()), pa.array(_SUFFIX).take(pa.array(suffix)), ""
    )


def _district(ctx: SourceContext, rows: np.typing.NDArray[np.int64], be: pa.Array) -> pa.Array:
    """The district of each address: the city district in Minsk and the cities that have them
    (Фрунзенский район), the district of the settlement elsewhere; in the row's language."""
    res = ctx.chunk.residences
    vocab = ctx.vocabulary
    settlement = pa.array(res.settlement[rows])
    city_row = ctx.places.city_district(res.settlement[rows], res.street[rows])
    in_city = pa.array(city_row >= 0)
    city = pa.array(np.maximum(city_row, 0))
    ru = pc.if_else(in_city, vocab.city_district_ru.take(city), vocab.district_ru.take(settlement))
    belarusian = pc.if_else(
        in_city, vocab.city_district_be.take(city), vocab.district_be.take(settlement)
    )
    return pc.if_else(be, belarusian, ru)


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
        "Область": pc.if_else(
            be, vocab.region_be.take(settlement), vocab.region_ru.take(settlement)
        ),
        "Район": _district(ctx, rows, be),
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
        "Причина снятия с учёта": _reasons(ctx, rows, belarusian),
    }
    return Build(columns, person)
