"""The written registries: layout, mappings, documents, names, noise rates, truth kept apart."""

from __future__ import annotations

import datetime as dt
import tomllib

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from bonafide.documents import check_personal_number, is_passport_number
from bonafide.registry.schema import KINDS, Kind
from bonafide.synth.noise import NoiseRates
from bonafide.synth.tables import load_tables
from tests.conftest import Population

KIND_NAMES = [k.value for k in Kind]


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_each_registry_sits_beside_the_mapping_that_imports_it(
    population: Population, kind: str
) -> None:
    table = pq.read_table(population.registries / f"{kind}.parquet")
    mapping = tomllib.loads(
        (population.registries / f"{kind}.mapping.toml").read_text(encoding="utf-8")
    )
    assert mapping["kind"] == kind
    assert set(mapping["columns"].values()) == set(table.column_names)
    assert set(mapping["columns"]) <= set(KINDS[Kind(kind)].field_names)
    assert table.num_rows > 0
    assert not {"person_id", "person"} & {c.lower() for c in table.column_names}


def test_truth_maps_every_record_to_a_person(population: Population) -> None:
    for kind in KIND_NAMES:
        truth = pq.read_table(population.truth / f"{kind}.parquet")
        registry = pq.read_table(population.registries / f"{kind}.parquet")
        assert truth.num_rows == registry.num_rows
        assert truth.column("person_id").null_count == 0


def test_personal_numbers_check_out_and_agree_with_the_person(population: Population) -> None:
    identity = pq.read_table(population.registries / "identity.parquet")
    truth = pq.read_table(population.truth / "identity.parquet").column("person_id").to_pylist()
    people = {
        r["person_id"]: r for r in pq.read_table(population.truth / "people.parquet").to_pylist()
    }
    numbers = identity.column("LICH_NOMER").to_pylist()
    checked = 0
    for number, person in zip(numbers, truth, strict=True):
        if number is None:
            continue
        row = people[person]
        problems = check_personal_number(number, sex=row["sex"], birth_date=row["birth_date"])
        assert problems == [], (number, problems)
        checked += 1
    assert checked > 0.95 * len(numbers)


def test_passport_numbers_have_the_format(population: Population) -> None:
    identity = pq.read_table(population.registries / "identity.parquet")
    assert all(is_passport_number(n) for n in identity.column("NOMER_PASPORTA").to_pylist())


def test_surnames_and_patronymics_take_the_form_of_the_sex(population: Population) -> None:
    tables = load_tables()
    male_forms = set(tables.surnames.text("ru_m"))
    female_forms = set(tables.surnames.text("ru_f"))
    people = pq.read_table(population.truth / "people.parquet").to_pylist()
    for sex, surname, patronymic in (
        (p["sex"], p["birth_surname"], p["patronymic"]) for p in people
    ):
        if sex == "m":
            assert surname in male_forms
            assert patronymic.endswith(("ич",))
        else:
            assert surname in female_forms
            assert patronymic.endswith(("на",))


def test_names_are_in_the_script_each_registry_uses(population: Population) -> None:
    identity = pq.read_table(population.registries / "identity.parquet")
    latin = identity.column("FAMILIYA_LAT").drop_null()
    assert pc.all(pc.match_substring_regex(latin, r"^[A-Z' -]+$")).as_py()
    education = pq.read_table(population.registries / "education.parquet")
    surnames = education.column("Прозвішча").drop_null().to_pylist()
    belarusian = sum(any(c in s for c in "іўІЎ") for s in surnames) / len(surnames)
    assert 0.2 < belarusian < 0.7


# Documented rate, and which counters of truth/summary.json measure it against which rows.
RATE_CHECKS = [
    ("identity", "surname_typo", NoiseRates().name_typo * (1 + 1 / 3)),
    ("residence", "surname_typo", NoiseRates().name_typo),
    ("employment", "given_name_typo", NoiseRates().name_typo),
    ("residence", "patronymic_missing", NoiseRates().missing_patronymic),
    ("residence", "birth_date_missing", NoiseRates().missing_birth_date),
    ("employment", "employed_from_day_month_swap", NoiseRates().date_day_month_swap * 0.4),
    ("residence", "registered_from_digit_off", NoiseRates().date_digit_off),
    ("residence", "other_language_form", NoiseRates().other_language_form),
]


@pytest.mark.parametrize(("kind", "counter", "rate"), RATE_CHECKS)
def test_error_rates_stay_inside_their_documented_bounds(
    population: Population, kind: str, counter: str, rate: float
) -> None:
    summary = population.summary
    rows = summary.rows[kind] - summary.noise[kind]["duplicate_record"]
    observed = summary.noise[kind][counter] / rows
    assert rate * 0.5 < observed < rate * 1.6, (observed, rate)


def test_duplicate_records_occur_at_their_rate(population: Population) -> None:
    for kind in ("identity", "residence", "employment"):
        truth = pq.read_table(population.truth / f"{kind}.parquet")
        duplicates = pc.sum(pc.equal(truth.column("origin"), "duplicate")).as_py()
        assert 0.005 < duplicates / truth.num_rows < 0.015


def test_thin_identities_are_recent_in_the_identity_registry(population: Population) -> None:
    import csv

    with (population.truth / "applicants.csv").open(encoding="utf-8") as f:
        thin = {int(r["person_id"]) for r in csv.DictReader(f) if r["kind"] == "thin"}
    truth = pq.read_table(population.truth / "identity.parquet").column("person_id").to_pylist()
    created = (
        pq.read_table(population.registries / "identity.parquet")
        .column("DATA_SOZDANIYA_ZAPISI")
        .to_pylist()
    )
    recent = [
        dt.datetime.strptime(c, "%d.%m.%Y").date() > dt.date(2023, 6, 1)
        for person, c in zip(truth, created, strict=True)
        if person in thin
    ]
    assert recent
    assert all(recent)
