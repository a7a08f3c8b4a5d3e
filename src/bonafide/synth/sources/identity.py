"""The identity registry: one row per passport issued, as the passport authority holds it.

Names in Russian Cyrillic with the passport's Latin form beside them; dates as DD.MM.YYYY;
sex as М/Ж. The date of death is entered on the records of people who died, though not always.
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
from bonafide.synth.world import NO_DAY

__all__ = ["DEATH_UNRECORDED", "SPEC", "build_identity"]

DEATH_UNRECORDED = 0.06  # of the dead's passport records, the death never entered

SPEC = SourceSpec(
    kind="identity",
    columns={
        "record_id": "ID_ZAPISI",
        "personal_number": "LICH_NOMER",
        "passport_number": "NOMER_PASPORTA",
        "surname": "FAMILIYA",
        "given_name": "IMYA",
        "patronymic": "OTCHESTVO",
        "surname_latin": "FAMILIYA_LAT",
        "given_name_latin": "IMYA_LAT",
        "birth_date": "DATA_ROZHDENIYA",
        "birth_place": "MESTO_ROZHDENIYA",
        "sex": "POL",
        "issued_on": "DATA_VYDACHI",
        "expires_on": "DATA_OKONCHANIYA",
        "record_created": "DATA_SOZDANIYA_ZAPISI",
        "died_on": "DATA_SMERTI",
    },
    date_formats={
        "birth_date": "%d.%m.%Y",
        "issued_on": "%d.%m.%Y",
        "expires_on": "%d.%m.%Y",
        "record_created": "%d.%m.%Y",
        "died_on": "%d.%m.%Y",
    },
    record_prefix="ID",
)


def build_identity(ctx: SourceContext, rows: np.typing.NDArray[np.int64]) -> Build:
    chunk = ctx.chunk
    docs = chunk.documents
    person = docs.person[rows]
    people = chunk.people
    issued = docs.issued[rows]
    n = len(rows)
    typo_rate = ctx.rates.name_typo
    cyrillic = render_names(ctx, person, issued, np.full(n, NameScript.RUSSIAN), typo_rate)
    latin = render_names(ctx, person, issued, np.full(n, NameScript.PASSPORT), typo_rate / 3, False)
    birth_place = ctx.vocabulary.settlement_ru.take(pa.array(people.birth_settlement[person]))
    sex = pa.array(np.where(people.sex[person] == 0, "М", "Ж"))
    created = np.minimum(people.digitised[person], issued)
    columns = {
        "ID_ZAPISI": pa.nulls(n, pa.string()),
        "LICH_NOMER": blank(ctx, chunk.personal_number.take(pa.array(person)), 0.005, "pn"),
        "NOMER_PASPORTA": docs.number.take(pa.array(rows)),
        "FAMILIYA": pc.utf8_upper(cyrillic["surname"]),
        "IMYA": pc.utf8_upper(cyrillic["given_name"]),
        "OTCHESTVO": pc.utf8_upper(cyrillic["patronymic"]),
        "FAMILIYA_LAT": pc.utf8_upper(latin["surname"]),
        "IMYA_LAT": pc.utf8_upper(latin["given_name"]),
        "DATA_ROZHDENIYA": blank(
            ctx,
            format_dates(ctx, people.birth[person], "%d.%m.%Y", "birth_date"),
            ctx.rates.missing_birth_date / 4,
            "birth_date",
        ),
        "MESTO_ROZHDENIYA": blank(ctx, birth_place, ctx.rates.missing_optional, "birth_place"),
        "POL": sex,
        "DATA_VYDACHI": format_dates(ctx, issued, "%d.%m.%Y", "issued_on"),
        "DATA_OKONCHANIYA": format_dates(ctx, docs.expires[rows], "%d.%m.%Y", "expires_on", False),
        "DATA_SOZDANIYA_ZAPISI": format_dates(ctx, created, "%d.%m.%Y", "record_created", False),
        "DATA_SMERTI": _died_on(ctx, people.death[person]),
    }
    return Build(columns, person)


def _died_on(ctx: SourceContext, death: np.typing.NDArray[np.int32]) -> pa.Array:
    """The date of death where one is entered; a share of the dead have none."""
    unrecorded = ctx.chance(DEATH_UNRECORDED, len(death)) & (death != NO_DAY)
    ctx.noise["died_on_missing"] += int(unrecorded.sum())
    return format_dates(ctx, np.where(unrecorded, NO_DAY, death), "%d.%m.%Y", "died_on")
