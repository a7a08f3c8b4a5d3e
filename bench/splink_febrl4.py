"""Splink on FEBRL4 with its documented example settings (DuckDB backend): the peer figures.

    .venv/bin/python bench/splink_febrl4.py

Four runs, as issue 4 names them: all fields; names and address only (no soc_sec_id, no
date_of_birth); and both again with side B's names, street and suburb in Cyrillic. F1 of the
pairs Splink scores at match probability ≥ 0.5 against the 5,000 true links.
"""

from __future__ import annotations

import time

import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from febrl4_data import febrl4, true_links

ALL_FIELDS = "all fields"
NAMES_ADDRESS = "names and address"


def settings(fields: str) -> SettingsCreator:
    blocking = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
            term_frequency_adjustments=True
        ),
    ]
    if fields == ALL_FIELDS:
        blocking += [block_on("date_of_birth"), block_on("soc_sec_id")]
        comparisons += [
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        ]
    else:
        comparisons += [
            cl.LevenshteinAtThresholds("address_1", [1, 2]),
            cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
        ]
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=comparisons,
    )


def run(fields: str, cyrillic: bool) -> dict[str, float]:
    started = time.perf_counter()
    left, right = febrl4(cyrillic=cyrillic)
    db_api = DuckDBAPI()
    linker = Linker([db_api.register(left), db_api.register(right)], settings(fields))
    deterministic = [block_on("given_name", "surname"), block_on("street_number", "postcode")]
    if fields == ALL_FIELDS:
        deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for rule in (block_on("postcode"), block_on("street_number")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    found = set(zip(predictions["rec_id_l"], predictions["rec_id_r"], strict=True))
    found |= {(r, lft) for lft, r in found}
    truth = true_links()
    hits = len(truth & found)
    scored = len(predictions)
    precision = hits / scored if scored else 0.0
    recall = hits / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    print(f"{'run':<40} {'precision':>9} {'recall':>7} {'F1':>7} {'seconds':>8}")
    for fields in (ALL_FIELDS, NAMES_ADDRESS):
        for cyrillic in (False, True):
            name = f"Splink, {fields}{', side B Cyrillic' if cyrillic else ''}"
            result = run(fields, cyrillic)
            print(
                f"{name:<40} {result['precision']:>9.4f} {result['recall']:>7.4f} "
                f"{result['f1']:>7.4f} {result['seconds']:>8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
