"""Every string the generator writes, as Arrow pools indexed by the integer codes of a chunk.

A registry column is `pool.take(codes)`: strings are built once per distinct value, never per
person. Typo variants of a pool sit after its originals (see `noise.py`). Latin names are
spelled in the generator's own habits (`spelling.py`: a habit per distinct name, drawn from the
documented shares) and their typo variants are clerks' Latin slips.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyarrow as pa

from bonafide.synth.noise import Typo, typo, with_typos
from bonafide.synth.spelling import ENGLISH, PASSPORT, clerk_typo, spell_all
from bonafide.synth.tables import Tables, load_tables

__all__ = ["Pool", "Vocabulary", "vocabulary"]

TYPO_VARIANTS = 4


@dataclass(frozen=True)
class Pool:
    """Strings for one kind of value: originals first, then TYPO_VARIANTS typos of each."""

    strings: pa.Array
    size: int

    @classmethod
    def of(cls, values: list[str], seed: int, slip: Typo = typo) -> Pool:
        return cls(pa.array(with_typos(values, TYPO_VARIANTS, seed, slip)), len(values))

    @classmethod
    def latin(cls, values: list[str], seed: int) -> Pool:
        """A pool of Latin names, whose typos are clerks' Latin slips."""
        return cls.of(values, seed, clerk_typo)


@dataclass(frozen=True)
class Vocabulary:
    """Given names are laid out male rows first, then female rows."""

    n_male: int
    given_ru: Pool
    given_be: Pool
    given_passport: Pool
    given_en: Pool
    # patronymics: index = father row * 2 + sex
    patronymic_ru: Pool
    patronymic_be: Pool
    patronymic_en: Pool
    # surnames: index = surname row * 2 + sex
    surname_ru: Pool
    surname_be: Pool
    surname_passport: Pool
    surname_en: Pool
    settlement_ru: pa.Array
    settlement_be: pa.Array
    settlement_latin: pa.Array
    region_ru: pa.Array
    region_be: pa.Array
    district_ru: pa.Array
    district_be: pa.Array
    city_district_ru: pa.Array
    city_district_be: pa.Array
    street_ru: pa.Array
    street_be: pa.Array
    old_street_ru: pa.Array
    old_street_be: pa.Array
    university_ru: pa.Array
    university_be: pa.Array
    college_ru: pa.Array
    college_be: pa.Array
    university_en: pa.Array
    college_en: pa.Array
    employer_ru: pa.Array
    employer_ussr_ru: pa.Array  # the name before 1991, empty where there was none
    position_ru: pa.Array
    position_be: pa.Array
    programme_ru: pa.Array
    programme_be: pa.Array
    company_word: pa.Array
    company_form_ru: pa.Array


def _interleave(male: list[str], female: list[str]) -> list[str]:
    return [value for pair in zip(male, female, strict=True) for value in pair]


@cache
def vocabulary() -> Vocabulary:
    return build_vocabulary(load_tables())


def build_vocabulary(tables: Tables) -> Vocabulary:
    male, female = tables.given_male, tables.given_female
    given_ru = male.text("ru") + female.text("ru")
    given_be = male.text("be") + female.text("be")
    surnames = tables.surnames
    surname_ru = _interleave(surnames.text("ru_m"), surnames.text("ru_f"))
    surname_be = _interleave(surnames.text("be_m"), surnames.text("be_f"))
    patronymic_ru = _interleave(male.text("patronymic_m_ru"), male.text("patronymic_f_ru"))
    patronymic_be = _interleave(male.text("patronymic_m_be"), male.text("patronymic_f_be"))
    settlements = tables.settlements
    codes = tables.regions.text("code")
    region_ru = dict(zip(codes, tables.regions.text("ru"), strict=True))
    region_be = dict(zip(codes, tables.regions.text("be"), strict=True))
    return Vocabulary(
        n_male=len(male),
        given_ru=Pool.of(given_ru, 1),
        given_be=Pool.of(given_be, 2),
        given_passport=Pool.latin(spell_all(given_ru, given_be, PASSPORT, 3), 3),
        given_en=Pool.latin(male.text("en") + female.text("en"), 4),
        patronymic_ru=Pool.of(patronymic_ru, 5),
        patronymic_be=Pool.of(patronymic_be, 6),
        patronymic_en=Pool.latin(spell_all(patronymic_ru, patronymic_be, ENGLISH, 7), 7),
        surname_ru=Pool.of(surname_ru, 8),
        surname_be=Pool.of(surname_be, 9),
        surname_passport=Pool.latin(spell_all(surname_ru, surname_be, PASSPORT, 10), 10),
        surname_en=Pool.latin(spell_all(surname_ru, surname_be, ENGLISH, 11), 11),
        settlement_ru=pa.array(settlements.text("ru")),
        settlement_be=pa.array(settlements.text("be")),
        settlement_latin=pa.array(settlements.text("latin")),
        region_ru=pa.array([region_ru[c] for c in settlements.text("region_code")]),
        region_be=pa.array([region_be[c] for c in settlements.text("region_code")]),
        district_ru=pa.array(settlements.text("district_ru")),
        district_be=pa.array(settlements.text("district_be")),
        city_district_ru=pa.array(tables.city_districts.text("ru")),
        city_district_be=pa.array(tables.city_districts.text("be")),
        street_ru=pa.array(tables.streets.text("ru")),
        street_be=pa.array(tables.streets.text("be")),
        old_street_ru=pa.array(tables.renamings.text("old_ru")),
        old_street_be=pa.array(tables.renamings.text("old_be")),
        university_ru=pa.array(tables.universities.text("name_ru")),
        university_be=pa.array(tables.universities.text("name_be")),
        college_ru=pa.array(tables.colleges.text("name_ru")),
        college_be=pa.array(tables.colleges.text("name_be")),
        university_en=pa.array(tables.universities.text("name_en")),
        college_en=pa.array(tables.colleges.text("name_en")),
        employer_ru=pa.array(tables.employers.text("name_ru")),
        employer_ussr_ru=pa.array(tables.employers.text("name_ussr_ru")),
        position_ru=pa.array(tables.positions.text("ru")),
        position_be=pa.array(tables.positions.text("be")),
        programme_ru=pa.array(tables.programmes.text("ru")),
        programme_be=pa.array(tables.programmes.text("be")),
        company_word=pa.array(tables.company_words.text("ru")),
        company_form_ru=pa.array(tables.company_forms.text("ru")),
    )
