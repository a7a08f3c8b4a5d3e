"""What every synthetic registry shares: names in a script, dates in a format, noise, ids."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.synth.chunk import Chunk
from bonafide.synth.employment import Employers
from bonafide.synth.noise import NoiseRates, pick_typos
from bonafide.synth.places import Places
from bonafide.synth.sampling import IntArray
from bonafide.synth.vocabulary import TYPO_VARIANTS, Pool, Vocabulary
from bonafide.synth.world import NO_DAY, DayArray

__all__ = [
    "Build",
    "NameScript",
    "SourceContext",
    "format_dates",
    "render_names",
]

BoolArray = npt.NDArray[np.bool_]


class NameScript(IntEnum):
    RUSSIAN = 0
    BELARUSIAN = 1
    PASSPORT = 2
    ENGLISH = 3


@dataclass
class SourceContext:
    """What a registry builder needs besides its rows: the chunk, strings, noise and a stream."""

    chunk: Chunk
    vocabulary: Vocabulary
    places: Places
    employers: Employers
    rates: NoiseRates
    rng: np.random.Generator
    noise: Counter[str] = field(default_factory=Counter)

    @property
    def security_employer(self) -> BoolArray:
        """For each large employer, whether it is a security service."""
        return self.employers.is_security

    def chance(self, rate: float, size: int) -> BoolArray:
        return self.rng.random(size) < rate


@dataclass
class Build:
    """A registry's rows for one chunk: source columns and the person behind each row."""

    columns: dict[str, pa.Array]
    person: IntArray  # index into the chunk


def _take(pool: Pool, codes: IntArray, ctx: SourceContext, typo_rate: float, what: str) -> pa.Array:
    noisy, count = pick_typos(ctx.rng, codes, pool.size, TYPO_VARIANTS, typo_rate)
    ctx.noise[f"{what}_typo"] += count
    return pool.strings.take(pa.array(noisy))


def _by_script(
    pools: dict[NameScript, Pool],
    codes: IntArray,
    script: IntArray,
    ctx: SourceContext,
    typo_rate: float,
    what: str,
) -> pa.Array:
    rows, parts = [], []
    for name_script, pool in pools.items():
        mask = np.flatnonzero(script == name_script)
        if len(mask):
            rows.append(mask)
            parts.append(_take(pool, codes[mask], ctx, typo_rate, what))
    if not parts:
        return pa.nulls(len(codes), pa.string())
    values = pa.concat_arrays(parts)
    return values.take(pa.array(np.argsort(np.concatenate(rows), kind="stable")))


# The vocabulary pool holding each name part in each script, in NameScript order. Passports
# print no patronymic: its Latin form is the English one.
_POOLS = {
    "surname": ("surname_ru", "surname_be", "surname_passport", "surname_en"),
    "given_name": ("given_ru", "given_be", "given_passport", "given_en"),
    "patronymic": ("patronymic_ru", "patronymic_be", "patronymic_en", "patronymic_en"),
}


def render_names(
    ctx: SourceContext,
    person: IntArray,
    day: DayArray,
    script: IntArray,
    typo_rate: float,
    with_patronymic: bool = True,
) -> dict[str, pa.Array]:
    """Surname, given name and patronymic of `person` as written on `day` in `script`."""
    people = ctx.chunk.people
    vocab = ctx.vocabulary
    sex = people.sex[person]
    other = ctx.chance(ctx.rates.other_language_form, len(person))
    ctx.noise["other_language_form"] += int((other & (script <= NameScript.BELARUSIAN)).sum())
    script = np.where(other & (script <= NameScript.BELARUSIAN), 1 - script, script)
    codes = {
        "surname": people.surname_on(day, person) * 2 + sex,
        "given_name": people.given[person] + sex * vocab.n_male,
        "patronymic": people.father[person] * 2 + sex,
    }
    names: dict[str, pa.Array] = {}
    for part, pools in _POOLS.items():
        if part == "patronymic" and not with_patronymic:
            continue
        by_script = {NameScript(n): getattr(vocab, pool) for n, pool in enumerate(pools)}
        names[part] = _by_script(by_script, codes[part], script, ctx, typo_rate, part)
    russian = pa.array(script == NameScript.RUSSIAN)
    for key, values in names.items():
        plain = ctx.chance(ctx.rates.yo_written_as_ye, len(person))
        yo = pc.replace_substring(pc.replace_substring(values, "ё", "е"), "Ё", "Е")
        names[key] = pc.if_else(pc.and_(russian, pa.array(plain)), yo, values)
    if with_patronymic:
        missing = ctx.chance(ctx.rates.missing_patronymic, len(person))
        ctx.noise["patronymic_missing"] += int(missing.sum())
        names["patronymic"] = pc.if_else(
            pa.array(missing), pa.nulls(len(person), pa.string()), names["patronymic"]
        )
    return names


def format_dates(
    ctx: SourceContext,
    day_numbers: npt.NDArray[np.integer[Any]],
    fmt: str,
    what: str,
    noisy: bool = True,
) -> pa.Array:
    """Dates as text in `fmt`; NO_DAY becomes empty; wrong and impossible dates at their rates."""
    days: npt.NDArray[np.int64] = day_numbers.astype(np.int64)
    absent = days == NO_DAY
    if noisy:
        days = _wrong_dates(ctx, days, absent, what)
    iso = pc.cast(pa.array(np.where(absent, 0, days).astype("datetime64[D]")), pa.string())
    text = _strftime(iso, fmt)
    if noisy:
        impossible = ctx.chance(ctx.rates.impossible_date, len(days)) & ~absent
        ctx.noise[f"{what}_impossible"] += int(impossible.sum())
        bad = _strftime(iso, fmt.replace("%d", "31").replace("%m", "02"))
        text = pc.if_else(pa.array(impossible), bad, text)
    return pc.if_else(pa.array(absent), pa.nulls(len(days), pa.string()), text)


_ISO_PARTS = {"%Y": (0, 4), "%m": (5, 7), "%d": (8, 10)}


def _strftime(iso: pa.Array, fmt: str) -> pa.Array:
    """ISO dates (YYYY-MM-DD) re-arranged into `fmt` (%Y, %m, %d and literal text).

    Arrow's own strftime is locale-aware and ten times slower; slicing is all that is needed.
    """
    parts: list[pa.Array | str] = []
    rest = fmt
    while rest:
        token = rest[:2]
        if token in _ISO_PARTS:
            start, stop = _ISO_PARTS[token]
            parts.append(pc.utf8_slice_codeunits(iso, start, stop))
            rest = rest[2:]
        else:
            parts.append(rest[0])
            rest = rest[1:]
    return pc.binary_join_element_wise(*parts, "")


def _wrong_dates(
    ctx: SourceContext, days: npt.NDArray[np.int64], absent: BoolArray, what: str
) -> npt.NDArray[np.int64]:
    dates = days.astype("datetime64[D]")
    month_start = dates.astype("datetime64[M]")
    day = (dates - month_start).astype(np.int64) + 1
    month = month_start.astype(np.int64) % 12 + 1
    year_start = dates.astype("datetime64[Y]")
    swap = ctx.chance(ctx.rates.date_day_month_swap, len(days)) & (day <= 12) & (day != month)
    swap &= ~absent
    swapped = (year_start.astype("datetime64[M]") + (day - 1).astype("timedelta64[M]")).astype(
        "datetime64[D]"
    ) + (month - 1).astype("timedelta64[D]")
    off = ctx.chance(ctx.rates.date_digit_off, len(days)) & ~absent & ~swap
    step = np.where(ctx.rng.random(len(days)) < 0.5, 1, -1)
    shifted_day = days + step
    shifted_year = (
        (year_start + step.astype("timedelta64[Y]")).astype("datetime64[D]")
        + (dates - year_start.astype("datetime64[D]"))
    ).astype(np.int64)
    by_year = ctx.rng.random(len(days)) < 0.5
    off_value = np.where(by_year, shifted_year, shifted_day)
    ctx.noise[f"{what}_day_month_swap"] += int(swap.sum())
    ctx.noise[f"{what}_digit_off"] += int(off.sum())
    return np.where(swap, swapped.astype(np.int64), np.where(off, off_value, days))


def blank(ctx: SourceContext, values: pa.Array, rate: float, what: str) -> pa.Array:
    """`values` with a share `rate` left empty, as sources leave fields empty."""
    missing = ctx.chance(rate, len(values))
    ctx.noise[f"{what}_missing"] += int(missing.sum())
    return pc.if_else(pa.array(missing), pa.nulls(len(values), values.type), values)


@dataclass(frozen=True)
class SourceSpec:
    """How one registry is written: its column names, date formats and CSV dialect."""

    kind: str
    columns: dict[str, str]  # canonical field → source column
    date_formats: dict[str, str]
    record_prefix: str
    csv_delimiter: str = ","
    csv_encoding: str = "utf-8"
