"""The watchlist: staff of the security services, as leaks and open sources list them.

One row per person; the name in English transliteration or in Russian, in one column; the
birth date often missing or only a year.
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
    format_dates,
    render_names,
)

__all__ = ["LISTED_SHARE", "SPEC", "build_watchlist", "watchlist_jobs"]

LISTED_SHARE = 0.15  # of people who ever worked for a security service, named in leaks

SPEC = SourceSpec(
    kind="watchlist",
    columns={
        "record_id": "wl_id",
        "full_name": "name",
        "birth_date": "dob",
        "organisation": "organisation",
        "role": "role",
        "source": "source",
    },
    date_formats={},
    record_prefix="L",
)

_SOURCES = ["leak-2021-a", "leak-2023-b", "open-sources"]


def watchlist_jobs(ctx: SourceContext) -> np.typing.NDArray[np.int64]:
    """Rows of the chunk's jobs that put a person on the list: their last security job."""
    jobs = ctx.chunk.jobs
    employers = jobs.employer
    security = np.flatnonzero((employers >= 0) & ctx.security_employer[np.maximum(employers, 0)])
    if len(security) == 0:
        return security
    person = jobs.person[security]
    last = np.append(person[1:] != person[:-1], True)
    chosen = security[last]
    listed = ctx.chance(LISTED_SHARE, len(chosen))
    result: np.typing.NDArray[np.int64] = chosen[listed]
    return result


def build_watchlist(ctx: SourceContext, rows: np.typing.NDArray[np.int64]) -> Build:
    jobs = ctx.chunk.jobs
    people = ctx.chunk.people
    person = jobs.person[rows]
    n = len(rows)
    latin = ctx.chance(0.6, n)
    script = np.where(latin, NameScript.ENGLISH, NameScript.RUSSIAN)
    names = render_names(ctx, person, jobs.start[rows].astype(np.int32), script, 0.02)
    patronymic = pc.fill_null(names["patronymic"], "")
    full = pc.utf8_trim_whitespace(
        pc.binary_join_element_wise(names["surname"], names["given_name"], patronymic, " ")
    )
    dob_full = format_dates(ctx, people.birth[person], "%Y-%m-%d", "birth_date")
    dob_year = pc.utf8_slice_codeunits(dob_full, 0, 4)
    draw = ctx.rng.random(n)
    dob = pc.if_else(
        pa.array(draw < 0.7),
        dob_full,
        pc.if_else(pa.array(draw < 0.82), dob_year, pa.nulls(n, pa.string())),
    )
    vocab = ctx.vocabulary
    columns = {
        "wl_id": pa.nulls(n, pa.string()),
        "name": full,
        "dob": dob,
        "organisation": vocab.employer_ru.take(pa.array(jobs.employer[rows])),
        "role": vocab.position_ru.take(pa.array(jobs.position[rows])),
        "source": pa.array(_SOURCES).take(pa.array(ctx.rng.integers(0, len(_SOURCES), n))),
    }
    return Build(columns, person)
