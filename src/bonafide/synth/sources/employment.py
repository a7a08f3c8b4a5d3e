"""The employment registry: jobs, as the social-insurance fund holds them.

The whole name in one upper-case column (ФИО), dates as DD/MM/YYYY, the personal number where
the employer reported it.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.synth.employment import SMALL_FIRM
from bonafide.synth.enterprises import MARKET_ECONOMY
from bonafide.synth.sampling import stable_uniform
from bonafide.synth.sources.common import (
    Build,
    NameScript,
    SourceContext,
    SourceSpec,
    blank,
    format_dates,
    render_names,
)

__all__ = ["SPEC", "build_employment", "employer_names"]

SPEC = SourceSpec(
    kind="employment",
    columns={
        "record_id": "emp_rec",
        "full_name": "fio",
        "birth_date": "dob",
        "personal_number": "id_number",
        "employer": "employer",
        "employer_settlement": "employer_city",
        "position": "position",
        "employed_from": "hired",
        "employed_to": "dismissed",
    },
    date_formats={
        "birth_date": "%d/%m/%Y",
        "employed_from": "%d/%m/%Y",
        "employed_to": "%d/%m/%Y",
    },
    record_prefix="W",
)


def employer_names(
    ctx: SourceContext,
    employer: np.typing.NDArray[np.int64],
    settlement: np.typing.NDArray[np.int64],
    firm: np.typing.NDArray[np.int64],
    start: np.typing.NDArray[np.integer],
) -> pa.Array:
    """Each employer's name when the job began: a large employer by name (its Soviet name
    before 1991); a small firm 'ООО «Word»', the same for the same firm, and before 1991 the
    Soviet enterprise it was (Колхоз «Заря», Автобаза № 3)."""

    vocab = ctx.vocabulary
    words, forms = len(vocab.company_word), len(vocab.company_form_ru)
    word = (stable_uniform(settlement, firm, 1) * words).astype(np.int64)
    form = (stable_uniform(settlement, firm, 2) ** 2 * forms).astype(np.int64)
    soviet = pa.array(start < MARKET_ECONOMY)
    company = pc.binary_join_element_wise(
        vocab.company_form_ru.take(pa.array(form)),
        " «",
        vocab.company_word.take(pa.array(word)),
        "»",
        "",
    )
    small = pc.if_else(soviet, ctx.employers.soviet.names(settlement, firm), company)
    row = pa.array(np.maximum(employer, 0))
    ussr = vocab.employer_ussr_ru.take(row)
    named = pc.and_(soviet, pc.not_equal(ussr, ""))
    large = pc.if_else(named, ussr, vocab.employer_ru.take(row))
    return pc.if_else(pa.array(employer == SMALL_FIRM), small, large)


def build_employment(ctx: SourceContext, rows: np.typing.NDArray[np.int64]) -> Build:
    chunk = ctx.chunk
    jobs = chunk.jobs
    person = jobs.person[rows]
    people = chunk.people
    n = len(rows)
    start = jobs.start[rows].astype(np.int32)
    names = render_names(ctx, person, start, np.full(n, NameScript.RUSSIAN), ctx.rates.name_typo)
    patronymic = pc.fill_null(names["patronymic"], "")
    full = pc.utf8_trim_whitespace(
        pc.binary_join_element_wise(names["surname"], names["given_name"], patronymic, " ")
    )
    settlement = jobs.settlement[rows]
    reported = ctx.chance(0.7, n)
    columns = {
        "emp_rec": pa.nulls(n, pa.string()),
        "fio": pc.utf8_upper(full),
        "dob": blank(
            ctx,
            format_dates(ctx, people.birth[person], "%d/%m/%Y", "birth_date"),
            ctx.rates.missing_birth_date,
            "birth_date",
        ),
        "id_number": pc.if_else(
            pa.array(reported),
            chunk.personal_number.take(pa.array(person)),
            pa.nulls(n, pa.string()),
        ),
        "employer": employer_names(
            ctx, jobs.employer[rows], settlement, jobs.firm[rows], jobs.start[rows]
        ),
        "employer_city": ctx.vocabulary.settlement_ru.take(pa.array(settlement)),
        "position": blank(
            ctx,
            ctx.vocabulary.position_ru.take(pa.array(jobs.position[rows])),
            ctx.rates.missing_optional,
            "position",
        ),
        "hired": format_dates(ctx, start, "%d/%m/%Y", "employed_from"),
        "dismissed": format_dates(ctx, jobs.stop[rows], "%d/%m/%Y", "employed_to"),
    }
    return Build(columns, person)
