from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bonafide.cli import app
from bonafide.errors import MappingError
from bonafide.linkage import LinkageModel, link_records, load_link_mapping
from bonafide.linkage.clusters import connected_components
from bonafide.linkage.model import AS_FAR_AS_KNOWN
from bonafide.linkage.records import from_table
from bonafide.names import Scheme, transliterate
from tests.conftest import Population

MAPPING = """
[columns]
record_id = "id"
surname = "surname"
given_name = "given"
patronymic = "patronymic"
birth_date = "born"
settlement = "place"

[date_formats]
birth_date = "%Y-%m-%d"
"""


def _sides(
    population: Population, people: int = 400, others: int = 150
) -> tuple[pa.Table, pa.Table]:
    rows = pq.read_table(population.truth / "people.parquet").to_pylist()
    rng = random.Random(4)
    rng.shuffle(rows)
    shared, extra = rows[:people], rows[people : people + others]
    left = {
        "id": [f"L{r['person_id']}" for r in shared],
        "surname": [r["surname"] for r in shared],
        "given": [r["given_name"] for r in shared],
        "patronymic": [r["patronymic"] for r in shared],
        "born": [r["birth_date"].isoformat() for r in shared],
        "place": [r["birth_place"] for r in shared],
    }
    right_rows = shared + extra
    rng.shuffle(right_rows)

    def shifted(date: str) -> str:
        # one record in twenty has its day one off, as registries do
        if rng.random() < 0.05:
            year, month, day = date.split("-")
            return f"{year}-{month}-{min(int(day) + 1, 28):02d}"
        return date

    right = {
        "id": [f"R{r['person_id']}" for r in right_rows],
        "surname": [transliterate(r["surname"], Scheme.PASSPORT) for r in right_rows],
        "given": [transliterate(r["given_name"], Scheme.PASSPORT) for r in right_rows],
        "patronymic": pa.array([None] * len(right_rows), pa.string()),
        "born": [shifted(r["birth_date"].isoformat()) for r in right_rows],
        "place": [transliterate(r["birth_place"], Scheme.PASSPORT) for r in right_rows],
    }
    return pa.table(left), pa.table(right)


def test_links_cyrillic_to_passport_latin(population: Population, tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    mapping = load_link_mapping(tmp_path / "map.toml")
    left, right = _sides(population)
    result = link_records(from_table(left, mapping), from_table(right, mapping))
    found = set(zip(result.left_ids, result.right_ids, strict=True))
    truth = {(i, "R" + i[1:]) for i in left.column("id").to_pylist()}
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    assert precision > 0.97
    assert recall > 0.95
    # one-to-one
    assert len(set(result.left_ids)) == len(result.left_ids)
    assert len(set(result.right_ids)) == len(result.right_ids)


def test_model_saves_loads_and_explains(population: Population, tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    mapping = load_link_mapping(tmp_path / "map.toml")
    left, right = _sides(population, people=150, others=50)
    result = link_records(from_table(left, mapping), from_table(right, mapping))
    result.model.save(tmp_path / "model.json")
    loaded = LinkageModel.load(tmp_path / "model.json")
    assert loaded == result.model
    assert loaded.term_frequencies["surname"].total > 0
    levels = np.array([0] * len(loaded.comparisons))
    explained = loaded.explain(levels)
    total = sum(step["weight"] for step in explained["steps"])
    assert total == pytest.approx(explained["match_weight"], abs=0.01)
    assert explained["match_key"].startswith("+")
    assert explained["probability"] > 0.99
    again = link_records(from_table(left, mapping), from_table(right, mapping), model=loaded)
    assert np.allclose(sorted(again.probability), sorted(result.probability))


def test_connected_components() -> None:
    clusters = connected_components(["a", "b", "c", "d"], ["a", "c"], ["b", "b"])
    assert clusters == {"a": "a", "b": "a", "c": "a", "d": "d"}


def test_mapping_errors_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[columns]\nrecord_id = "id"\nnickname = "x"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="nickname"):
        load_link_mapping(path)
    path.write_text('[columns]\nsurname = "s"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="record_id"):
        load_link_mapping(path)
    path.write_text(MAPPING, encoding="utf-8")
    with pytest.raises(MappingError, match="born"):
        from_table(pa.table({"id": ["1"]}), load_link_mapping(path), "people.csv")


def _write_csv(path: Path, table: pa.Table) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(table.column_names)
        writer.writerows(
            zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True)
        )


def test_link_and_dedupe_commands(population: Population, tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    left, right = _sides(population, people=120, others=40)
    _write_csv(tmp_path / "left.csv", left)
    _write_csv(tmp_path / "right.csv", right)
    runner = CliRunner()
    linked = runner.invoke(
        app,
        [
            "link",
            str(tmp_path / "left.csv"),
            str(tmp_path / "right.csv"),
            "--mapping",
            str(tmp_path / "map.toml"),
            "--out",
            str(tmp_path / "pairs.csv"),
        ],
    )
    assert linked.exit_code == 0, linked.output
    lines = (tmp_path / "pairs.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "left_id,right_id,probability"
    assert len(lines) > 100
    both = pa.concat_tables([left, right])
    _write_csv(tmp_path / "both.csv", both)
    deduped = runner.invoke(
        app,
        [
            "dedupe",
            str(tmp_path / "both.csv"),
            "--mapping",
            str(tmp_path / "map.toml"),
            "--out",
            str(tmp_path / "clusters.csv"),
        ],
    )
    assert deduped.exit_code == 0, deduped.output
    with (tmp_path / "clusters.csv").open(encoding="utf-8") as f:
        clusters = {r["record_id"]: r["cluster_id"] for r in csv.DictReader(f)}
    assert len(clusters) == both.num_rows
    same = sum(clusters[i] == clusters["R" + i[1:]] for i in left.column("id").to_pylist())
    assert same / left.num_rows > 0.9


def test_a_rare_surname_is_stronger_evidence_than_a_common_one(tmp_path: Path) -> None:
    from bonafide.linkage.comparisons import (
        COMPARISONS,
        Features,
        comparison_levels,
        count_terms,
        term_frequency_adjustments,
    )

    surnames = ["Иванов"] * 40 + ["Шчарбакоў", "Шчарбакоў"] + ["Петров"] * 18
    records = from_table(
        pa.table(
            {
                "id": [str(i) for i in range(len(surnames))],
                "surname": surnames,
                "given": ["Сергей"] * len(surnames),
            }
        ),
        load_link_mapping(_mapping(tmp_path, "id", "surname", "given")),
    )
    features = Features.build(records)
    surname = next(c for c in COMPARISONS if c.name == "surname")
    left, right = np.array([0, 40]), np.array([1, 41])  # two Ivanovs; the two Shcharbakous
    levels = comparison_levels((surname,), features, left, right)
    assert levels[:, 0].tolist() == [0, 0]
    frequencies = count_terms((surname,), features)
    adjustments = term_frequency_adjustments(
        (surname,), features, levels, left, {"surname": 0.05}, frequencies
    )
    common, rare = adjustments[0]
    assert rare > common
    assert common < 0 < rare


def _mapping(tmp_path: Path, record_id: str, surname: str, given: str) -> Path:
    path = tmp_path / "tf.toml"
    path.write_text(
        f'[columns]\nrecord_id = "{record_id}"\nsurname = "{surname}"\ngiven_name = "{given}"\n',
        encoding="utf-8",
    )
    return path


def test_small_inputs_get_the_same_features_and_keys_as_large_ones(
    population: Population, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lookup's few records take plain-Python paths; a registry's take Arrow's: same keys."""
    from bonafide.linkage import blocking, comparisons
    from bonafide.linkage.records import PersonRecords

    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    mapping = load_link_mapping(tmp_path / "map.toml")
    left, right = _sides(population)
    sides = [from_table(left, mapping).table, from_table(right, mapping).table]
    records = PersonRecords(pa.concat_tables(sides))
    monkeypatch.setattr(comparisons, "SMALL", 10**9)
    monkeypatch.setattr(blocking, "SMALL", 10**9)
    small = comparisons.Features.build(records)
    small_names = comparisons._full_names(records).to_pylist()
    small_keys = {name: build(small) for name, build in blocking.BLOCKING_KEYS.items()}
    monkeypatch.setattr(comparisons, "SMALL", 0)
    monkeypatch.setattr(blocking, "SMALL", 0)
    large = comparisons.Features.build(records)
    for field in ("birth", "settlement", "settlement_skeleton", "street", "house", "sex"):
        assert getattr(small, field).text().tolist() == getattr(large, field).text().tolist()
    assert small_names == comparisons._full_names(records).to_pylist()
    for name, build in blocking.BLOCKING_KEYS.items():
        assert small_keys[name].tolist() == build(large).tolist(), name
    assert any(v is not None for v in small_keys["names_either_order"])


_NAME_PART = st.one_of(
    st.none(), st.sampled_from(["", " ", "Іваноў", "Ivanova", "Пётр  Ильич", "o'Neil"])
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_NAME_PART, _NAME_PART, _NAME_PART, _NAME_PART), max_size=30))
def test_the_name_as_compared_is_the_same_in_sql(
    names: list[tuple[str | None, str | None, str | None, str | None]],
) -> None:
    """`full_name_sql` gives what `_full_names` makes of a record's name columns, by either
    of its paths (resolve looks records up by the SQL, features read them by the function)."""
    import duckdb

    from bonafide.linkage import comparisons
    from bonafide.linkage.records import PERSON_FIELDS, PersonRecords

    parts = ("full_name", "surname", "given_name", "patronymic")
    columns = {field: [name[at] for name in names] for at, field in enumerate(parts)}
    written = pa.table(
        {f: pa.array(columns.get(f, [None] * len(names)), pa.string()) for f in PERSON_FIELDS}
    )
    sql = comparisons.full_name_sql(*parts)
    in_sql = [value or "" for (value,) in duckdb.sql(f"SELECT {sql} FROM written").fetchall()]
    records = PersonRecords(written)
    assert comparisons._full_names(records).to_pylist() == in_sql
    small = comparisons.SMALL
    try:
        comparisons.SMALL = 0  # the Arrow path, whatever the size
        assert comparisons._full_names(records).to_pylist() == in_sql
    finally:
        comparisons.SMALL = small


def test_u_of_a_whole_population_comes_from_pairs_of_a_sample_of_it(tmp_path: Path) -> None:
    from bonafide.linkage.comparisons import COMPARISONS
    from bonafide.linkage.link import RANDOM_PAIRS, population_u

    rng = np.random.default_rng(3)
    days = rng.integers(0, 50 * 365, 4_000)
    born = [str(np.datetime64("1950-01-01") + int(d)) for d in days]
    path = tmp_path / "dates.toml"
    path.write_text(
        '[columns]\nrecord_id = "id"\nsurname = "surname"\ngiven_name = "given"\n'
        'birth_date = "born"\n[date_formats]\nbirth_date = "%Y-%m-%d"\n',
        encoding="utf-8",
    )
    table = pa.table(
        {
            "id": [str(i) for i in range(len(born))],
            "surname": ["Иванов"] * len(born),
            "given": ["Сергей"] * len(born),
            "born": born,
        }
    )
    records = from_table(table, load_link_mapping(path))
    birth = next(c for c in COMPARISONS if c.name == "birth_date")
    levels = list(birth.levels)
    model = LinkageModel(
        ["birth_date"],
        {"birth_date": levels},
        {"birth_date": [1 / len(levels)] * len(levels)},
        {"birth_date": [1 / len(levels)] * len(levels)},
        prior=0.5,
    )
    pairs = 4 * RANDOM_PAIRS
    u = population_u(records, model, ("birth_date", "surname"), rows=3_000, pairs=pairs)
    assert set(u) == {"birth_date"}  # only the comparisons the model has
    same = u["birth_date"][levels.index("same")]
    assert 1 / (80 * 365) < same < 1 / (30 * 365)  # fifty years of birth dates
    two_years = np.flatnonzero(days < 2 * 365)
    narrow = population_u(
        from_table(table.take(pa.array(two_years)), load_link_mapping(path)),
        model,
        ("birth_date",),
        pairs=pairs,
    )["birth_date"][levels.index("same")]
    assert narrow > 10 * same
    # a level no pair of full dates reaches is as rare as RANDOM_PAIRS pairs can tell,
    # however many were counted
    unreached = u["birth_date"][levels.index(AS_FAR_AS_KNOWN)]
    assert unreached == pytest.approx(1 / (len(levels) * RANDOM_PAIRS), rel=1e-3)


def test_pairs_compared_before_the_model_is_known_score_as_if_compared_for_it(
    population: Population, tmp_path: Path
) -> None:
    # resolve's workers compare a group's pairs by every comparison the registry can use
    # while the model is still being trained; scored, they must give what comparing by the
    # model's own comparisons gives, whichever comparisons it lacks
    from dataclasses import replace

    from bonafide.linkage.link import compare_records, score_compared, usable_comparisons

    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    mapping = load_link_mapping(tmp_path / "map.toml")
    left, right = _sides(population, people=150, others=50)
    both = from_table(pa.concat_tables([left, right]), mapping)
    trained = link_records(both, None).model
    every = usable_comparisons(both)
    assert {"given", "surname", "birth_date"} <= {c.name for c in every}
    for left_out in ((), ("birth_date",), ("given",)):
        kept = [n for n in trained.comparisons if n not in left_out]
        model = replace(
            trained,
            comparisons=kept,
            levels={n: trained.levels[n] for n in kept},
            m={n: trained.m[n] for n in kept},
            u={n: trained.u[n] for n in kept},
        )
        expected = link_records(both, None, model=model)
        compared = compare_records(both, None, every)
        assert len(compared.comparisons) == len(every)
        scored = score_compared(compared, model=model)
        assert scored.left_ids == expected.left_ids
        assert scored.right_ids == expected.right_ids
        assert np.array_equal(scored.probability, expected.probability)
