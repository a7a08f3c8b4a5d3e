"""Resolving registries into persons, and the real-time path over the person index."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from bonafide.cli import app
from bonafide.errors import InputError
from bonafide.linkage import link_records
from bonafide.linkage.comparisons import _full_names
from bonafide.linkage.records import PERSON_FIELDS, PersonRecords
from bonafide.persons.files import PersonFiles
from bonafide.persons.index import PersonIndex
from bonafide.persons.match import MatchedPairs, Matcher, query_records
from bonafide.persons.match_cli import read_record
from bonafide.persons.resolve import ResolveReport, resolve_registries
from bonafide.registry import RegistryStore, StoreSettings, import_registry
from bonafide.registry.mapping import load_mapping
from bonafide.vault.access import PASSPHRASE_ENV
from tests.vaults import TEST_PASSPHRASE, vault_for

from ..conftest import Population

PEOPLE = 2_500  # persons taken from the population; identity of the last 500 imported later
LATER = 2_000
SETTINGS = StoreSettings(memory_limit="1GB", threads=2)


@dataclass
class Resolved:
    data_dir: Path
    first: ResolveReport
    second: ResolveReport
    again: ResolveReport
    persons_after_first: dict[str, int]  # record_key → person id after the first resolve
    truth: dict[str, dict[str, int]]  # kind → registry record id → true person


def _part(population: Population, kind: str, low: int, high: int, out: Path) -> Path:
    table = pq.read_table(population.registries / f"{kind}.parquet")
    truth = pq.read_table(population.truth / f"{kind}.parquet")
    who = truth.column("person_id")
    keep = pc.and_(pc.greater_equal(who, low), pc.less(who, high))
    path = out / f"{kind}-{low}.parquet"
    pq.write_table(table.filter(keep), path)
    return path


def _truth(population: Population, kind: str) -> dict[str, int]:
    truth = pq.read_table(population.truth / f"{kind}.parquet")
    return dict(
        zip(
            truth.column("record_id").to_pylist(),
            truth.column("person_id").to_pylist(),
            strict=True,
        )
    )


def _links(data_dir: Path, kind: str) -> dict[str, tuple[str, int]]:
    """registry record id → (record_key, person id)."""
    with RegistryStore.open(vault_for(data_dir), SETTINGS, read_only=True) as store:
        rows = store.execute(
            "test links",
            f"SELECT r.record_id, r.record_key, l.person_id FROM person_links l "
            f"JOIN registry_{kind} r ON r.record_key = l.record_key WHERE l.kind = '{kind}'",
        )
    return {r[0]: (r[1], int(r[2])) for r in rows}


@pytest.fixture(scope="module")
def resolved(population: Population, tmp_path_factory: pytest.TempPathFactory) -> Resolved:
    work = tmp_path_factory.mktemp("resolve")
    data_dir = work / "data"

    def load(kind: str, low: int, high: int) -> None:
        path = _part(population, kind, low, high, work)
        mapping = load_mapping(population.registries / f"{kind}.mapping.toml")
        with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
            import_registry(store, path, kind, mapping)

    load("identity", 0, LATER)
    load("residence", 0, PEOPLE)
    load("employment", 0, PEOPLE)
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        first = resolve_registries(store)
    before = dict(_links(data_dir, "identity").values())
    load("identity", LATER, PEOPLE)
    with RegistryStore.open(vault_for(data_dir), SETTINGS) as store:
        second = resolve_registries(store)
        again = resolve_registries(store)
    truth = {k: _truth(population, k) for k in ("identity", "residence", "employment")}
    return Resolved(data_dir, first, second, again, before, truth)


def _agreement(links: dict[str, tuple[str, int]], truth: dict[str, int]) -> float:
    """Share of linked records whose person holds mostly records of their true person."""
    members: dict[int, list[int]] = {}
    for record, (_, person) in links.items():
        members.setdefault(person, []).append(truth[record])
    majority = {p: max(set(ts), key=ts.count) for p, ts in members.items()}
    agree = sum(majority[person] == truth[record] for record, (_, person) in links.items())
    return agree / len(links)


def test_identity_records_resolve_into_their_persons(resolved: Resolved) -> None:
    links = _links(resolved.data_dir, "identity")
    truth = resolved.truth["identity"]
    with RegistryStore.open(vault_for(resolved.data_dir), SETTINGS, read_only=True) as store:
        imported = store.scalar("test count", "SELECT count(*) FROM registry_identity")
    assert len(links) == imported  # every identity record belongs to a person
    assert _agreement(links, truth) > 0.995
    true_persons = len({truth[r] for r in links})
    found_persons = len({p for _, p in links.values()})
    assert abs(found_persons - true_persons) / true_persons < 0.01


def test_other_registries_link_to_the_right_persons(resolved: Resolved) -> None:
    identity = _links(resolved.data_dir, "identity")
    person_of_true = {}
    for record, (_, person) in identity.items():
        person_of_true.setdefault(resolved.truth["identity"][record], person)
    for kind in ("residence", "employment"):
        links = _links(resolved.data_dir, kind)
        truth = resolved.truth[kind]
        right = sum(person_of_true.get(truth[r]) == p for r, (_, p) in links.items())
        assert right / len(links) > 0.99, kind
        with_identity = [r for r, p in truth.items() if p < PEOPLE and p in person_of_true]
        assert len(links) / len(with_identity) > 0.95, kind


def test_records_with_the_same_person_fields_share_their_link(resolved: Resolved) -> None:
    # each distinct combination is looked up once and its link joined back to every record
    with RegistryStore.open(vault_for(resolved.data_dir), SETTINGS, read_only=True) as store:
        groups = store.execute(
            "test shared links",
            "SELECT count(*), count(l.person_id), count(DISTINCT l.person_id) "
            "FROM registry_residence r LEFT JOIN person_links l "
            "ON l.record_key = r.record_key AND l.kind = 'residence' "
            "GROUP BY r.surname, r.given_name, r.patronymic, r.full_name, r.birth_date, "
            "r.birth_date_precision, r.sex, r.personal_number",
        )
    shared = [g for g in groups if g[0] > 1]
    assert len(shared) > 100  # the registry repeats combinations: the test means something
    assert all(linked in (0, records) and persons <= 1 for records, linked, persons in shared)


def test_a_name_written_whole_or_in_parts_is_one_lookup(resolved: Resolved) -> None:
    """Each record's lookup holds the name as features read it (`Features.build`), and a
    name one registry writes whole and another in parts is looked up once."""
    from bonafide.persons import fields, resolve

    with RegistryStore.open(vault_for(resolved.data_dir), SETTINGS, read_only=True) as store:
        collected = resolve._collect_lookups(store, list(resolve._LOOKUP_KINDS), {}, False)
        kinds = list(resolve._LOOKUP_KINDS)
        raw = " UNION ALL ".join(
            f"SELECT CAST({number} AS TINYINT) AS kind, record_key, "
            f"{fields.select_sql(kind, fields.LINK_COLUMNS)} FROM registry_{kind.value}"
            for number, kind in enumerate(kinds)
        )
        table = store.arrow(
            "test lookups' names",
            "SELECT r.query, l.full_name AS looked_up, "
            "(c.full_name IS NOT NULL AND c.full_name <> '') AS written_whole, "
            "c.full_name, c.surname, c.given_name, c.patronymic, c.birth_date "
            f"FROM ({collected.records_sql()}) r JOIN ({raw}) c USING (kind, record_key) "
            "JOIN resolve_lookups l ON l.query = r.query",
        )
    assert table.num_rows > 1_000
    records = PersonRecords(
        pa.table(
            {
                f: table.column(f) if f in table.column_names else pa.nulls(len(table), pa.string())
                for f in PERSON_FIELDS
            }
        )
    )
    as_read = _full_names(records).to_pylist()
    looked_up = [v or "" for v in table.column("looked_up").to_pylist()]
    assert looked_up == as_read
    whole = table.column("written_whole").to_pylist()
    queries = table.column("query").to_pylist()
    by_query: dict[int, set[bool]] = {}
    for query, written_whole in zip(queries, whole, strict=True):
        by_query.setdefault(query, set()).add(written_whole)
    assert sum(1 for ways in by_query.values() if ways == {True, False}) > 100


def _imported_ids(data_dir: Path, kind: str) -> set[str]:
    with RegistryStore.open(vault_for(data_dir), SETTINGS, read_only=True) as store:
        rows = store.execute("test imported", f"SELECT record_id FROM registry_{kind}")
    return {str(r[0]) for r in rows}


def test_resolve_is_incremental(resolved: Resolved) -> None:
    assert resolved.first.rebuilt
    assert not resolved.second.rebuilt
    imported = _imported_ids(resolved.data_dir, "identity")  # rows rejected on import are not
    later = sum(
        1
        for record, p in resolved.truth["identity"].items()
        if LATER <= p < PEOPLE and record in imported
    )
    assert resolved.second.new_identity_records == later
    # residence records of the later persons were imported first, found nobody, and are
    # linked once those persons' identity records arrive
    assert 0 < resolved.second.linked["residence"] < resolved.first.linked["residence"]
    after = dict(_links(resolved.data_dir, "identity").values())
    assert all(after[key] == person for key, person in resolved.persons_after_first.items())
    assert resolved.again.new_identity_records == 0
    assert sum(resolved.again.linked.values()) == 0


def _queries(resolved: Resolved, population: Population, count: int) -> list[dict[str, str]]:
    """Identity records of resolved persons, rewritten the way an applicant writes them:
    passport Latin names, ISO dates, no documents."""
    table = pq.read_table(population.registries / "identity.parquet").to_pylist()
    truth = resolved.truth["identity"]
    chosen = [r for r in table if truth[r["ID_ZAPISI"]] < PEOPLE and r["IMYA_LAT"]][:count]
    return [
        {
            "record_id": r["ID_ZAPISI"],
            "surname": r["FAMILIYA_LAT"],
            "given_name": r["IMYA_LAT"],
            "birth_date": r["DATA_ROZHDENIYA"],
            "birth_place": r["MESTO_ROZHDENIYA"],
        }
        for r in chosen
    ]


def test_match_finds_the_person_and_explains(resolved: Resolved, population: Population) -> None:
    matcher = Matcher.open(vault_for(resolved.data_dir))
    identity = _links(resolved.data_dir, "identity")
    queries = _queries(resolved, population, 60)
    found = 0
    for query in queries:
        candidates = matcher.match(query, limit=3)
        assert len({c.person_id for c in candidates}) == len(candidates)
        assert [c.probability for c in candidates] == sorted(
            (c.probability for c in candidates), reverse=True
        )
        # an identity record without a birth date has no person to find (counted as not found)
        person = identity.get(query["record_id"], (None, None))[1]
        if candidates and candidates[0].person_id == person:
            found += 1
            best = candidates[0]
            weights = sum(step["weight"] for step in best.explanation["steps"])
            assert weights == pytest.approx(best.match_weight, abs=0.02)
            assert best.match_key.startswith("+") or best.match_key.startswith("~")
    assert found / len(queries) > 0.95


def test_batch_and_real_time_give_the_same_probability(
    resolved: Resolved, population: Population
) -> None:
    matcher = Matcher.open(vault_for(resolved.data_dir))
    queries = query_records(_queries(resolved, population, 200))
    pairs = matcher.score(queries)
    index = PersonIndex.open(vault_for(resolved.data_dir))
    store_records = index.person_records(np.arange(len(index.records)))
    batch = link_records(queries, store_records, 0.0, matcher.model, one_to_one=False)
    batch_probability = dict(
        zip(zip(batch.left_ids, batch.right_ids, strict=True), batch.probability, strict=True)
    )
    query_ids, record_ids = queries.ids, store_records.ids
    rng = np.random.default_rng(5)
    sample = rng.choice(len(pairs.query), min(500, len(pairs.query)), replace=False)
    compared = 0
    for i in sample:
        key = (query_ids[pairs.query[i]], record_ids[pairs.row[i]])
        if key in batch_probability:
            assert pairs.probability[i] == pytest.approx(batch_probability[key], abs=1e-9)
            compared += 1
    assert compared > 200


def test_match_command(resolved: Resolved, population: Population, tmp_path: Path) -> None:
    query = _queries(resolved, population, 1)[0]
    path = tmp_path / "record.json"
    path.write_text(json.dumps(query), encoding="utf-8")
    runner = CliRunner(env={PASSPHRASE_ENV: TEST_PASSPHRASE})
    result = runner.invoke(
        app, ["match", str(path), "--data-dir", str(resolved.data_dir), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert "is plain text outside the vault" in result.stderr
    candidates = json.loads(result.stdout)
    assert candidates[0]["probability"] > 0.9
    assert {"steps", "match_key", "match_weight"} <= set(candidates[0]["explanation"])
    text = runner.invoke(app, ["match", str(path), "--data-dir", str(resolved.data_dir)])
    assert text.exit_code == 0
    assert "probability" in text.output
    # dates as a person reads them, not as the person index keeps them (19980505)
    compact = candidates[0]["record"]["birth_date"]
    shown = "-".join(p for p in (compact[:4], compact[4:6], compact[6:8]) if p)
    assert f"born {shown}," in text.output
    assert f"born {compact}," not in text.output or compact == shown


def test_bad_records_are_named() -> None:
    with pytest.raises(InputError, match="record 1: unknown field"):
        query_records([{"surname": "Ivanov", "nickname": "Vanya"}])
    with pytest.raises(InputError, match="record 2: no name"):
        query_records([{"surname": "Ivanov"}, {"birth_date": "1990-01-01"}])
    with pytest.raises(InputError, match=r"birth_date '31\.02\.1990' is not a date"):
        query_records([{"surname": "Ivanov", "birth_date": "31.02.1990"}])
    with pytest.raises(InputError, match="birth_date is not text"):
        query_records([{"surname": "Ivanov", "birth_date": ["1990"]}])


def test_match_without_an_index_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text('{"surname": "Ivanov"}', encoding="utf-8")
    vault_for(tmp_path / "data").close()
    result = CliRunner(env={PASSPHRASE_ENV: TEST_PASSPHRASE}).invoke(
        app, ["match", str(path), "--data-dir", str(tmp_path / "data")]
    )
    assert result.exit_code != 0
    assert "bonafide registry resolve" in str(result.exception) or "resolve" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.json: not valid JSON"):
        read_record(broken)


def test_index_files_hold_sorted_keys(resolved: Resolved) -> None:
    index = PersonIndex.open(vault_for(resolved.data_dir))
    hashes = np.asarray(index.key_hashes)
    assert np.all(hashes[1:] >= hashes[:-1])
    assert int(np.asarray(index.key_rows).max()) < len(index.records)
    assert index.records.column("person_id").null_count == 0
    assert isinstance(index.records, pa.Table)


def test_a_large_identity_registry_is_deduplicated_in_birth_year_groups(
    resolved: Resolved, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the groups after the first (which trains the model) are deduplicated by forked
    # workers: the same persons, links and keys as one process gives
    import shutil

    from bonafide.persons import resolve

    monkeypatch.setattr(resolve, "PARTITION", 700)
    outcomes = []
    for workers in (1, 2):
        copy = tmp_path / f"data-{workers}"
        shutil.copytree(resolved.data_dir, copy)
        with RegistryStore.open(vault_for(copy), SETTINGS) as store:
            records, _ = resolve._read_records(store, resolve.Kind.IDENTITY, [])
            groups = resolve._partitions(records)
            report = resolve_registries(store, rebuild=True, workers=workers)
        index = PersonIndex.open(vault_for(copy))
        outcomes.append(
            (
                _links(copy, "identity"),
                _links(copy, "residence"),
                np.asarray(index.key_hashes).copy(),
                np.asarray(index.key_rows).copy(),
            )
        )
        assert len(groups) > 3
        assert sorted(np.concatenate(groups).tolist()) == list(range(len(records)))
        assert report.rebuilt
    (one, residence_one, hashes_one, rows_one), (two, residence_two, hashes_two, rows_two) = (
        outcomes
    )
    assert one == two
    assert residence_one == residence_two
    assert np.array_equal(hashes_one, hashes_two)
    assert np.array_equal(rows_one, rows_two)
    assert _agreement(one, resolved.truth["identity"]) > 0.99


def test_the_index_weighs_a_birth_date_by_all_persons_not_the_first_group(
    resolved: Resolved, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a lookup meets persons of every birth year, and its prior is one in all of them: the
    # model trained on the earliest years alone took two people of those few years sharing a
    # birth date for something common
    import shutil

    from bonafide.linkage.link import population_u
    from bonafide.persons import resolve

    monkeypatch.setattr(resolve, "PARTITION", 700)
    copy = tmp_path / "data"
    shutil.copytree(resolved.data_dir, copy)
    with RegistryStore.open(vault_for(copy), SETTINGS) as store:
        records, _ = resolve._read_records(store, resolve.Kind.IDENTITY, [])
        first_group = resolve._partitions(records)[0]
        trained = resolve._dedupe_group(
            records, first_group, None, resolve.index_key(store.vault)
        ).model
        resolve_registries(store, rebuild=True, workers=1)
    model = PersonIndex.open(vault_for(copy)).model
    across = population_u(records, model, resolve.ACROSS_GROUPS)["birth_date"]
    assert model.u["birth_date"] == across
    same = model.levels["birth_date"].index("same")
    assert across[same] < trained.u["birth_date"][same] / 2
    # the names keep the first group's u, and its m stays
    for name in ("given", "surname", "patronymic"):
        assert model.u[name] == trained.u[name]
    assert model.m == trained.m


def test_component_labels() -> None:
    from bonafide.linkage.clusters import component_labels

    labels = component_labels(6, np.array([0, 3, 4]), np.array([2, 2, 5]))
    assert labels.tolist() == [0, 1, 0, 0, 2, 2]


def _copy_with(resolved: Resolved, tmp_path: Path, name: str, key: str, value: int) -> Path:
    """A copy of the resolved data directory whose current persons file `name` says
    `key`: `value` (as one written by an older version)."""
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(resolved.data_dir, copy)
    generation = PersonFiles(vault_for(copy)).current()
    assert generation is not None
    data = generation.read_json(name)
    assert isinstance(data, dict)
    data[key] = value
    generation.write_json(name, data)
    return copy


def test_an_index_with_older_keys_is_reindexed_keeping_persons(
    resolved: Resolved, tmp_path: Path
) -> None:
    from bonafide.errors import StoreError

    copy = _copy_with(resolved, tmp_path, "index.json", "keys_version", 1)
    with pytest.raises(StoreError, match="re-index"):
        Matcher.open(vault_for(copy))
    before = PersonIndex.open(vault_for(copy), any_keys=True)
    persons_before = before.records.column("person_id").to_pylist()
    with RegistryStore.open(vault_for(copy), SETTINGS) as store:
        resolve_registries(store)
    after = PersonIndex.open(vault_for(copy))
    assert after.records.column("person_id").to_pylist() == persons_before
    original = PersonIndex.open(vault_for(resolved.data_dir))
    assert np.array_equal(np.asarray(after.key_hashes), np.asarray(original.key_hashes))


def test_links_are_scored_by_what_the_registries_show(resolved: Resolved) -> None:
    # residence and employment records carry women's maiden names far more often than the
    # identity registry's duplicates do: the link model, learned from the lookups, says so
    # (here about 1.8 times as often, per record drawn)
    from bonafide.persons.link_model import load_link_model

    vault = vault_for(resolved.data_dir)
    link_model = load_link_model(PersonFiles(vault).current())
    assert link_model is not None
    identity_model = PersonIndex.open(vault).model
    changed = identity_model.levels["surname"].index("different, two women")
    assert link_model.u == identity_model.u  # the population's, kept
    print("RATIO", link_model.m["surname"][changed] / identity_model.m["surname"][changed])
    assert link_model.m["surname"][changed] > 1.5 * identity_model.m["surname"][changed]


def test_persons_of_an_older_model_are_resolved_again(resolved: Resolved, tmp_path: Path) -> None:
    from bonafide.errors import StoreError

    copy = _copy_with(resolved, tmp_path, "model.json", "version", 2)
    with pytest.raises(StoreError, match="resolve them again"):
        Matcher.open(vault_for(copy))
    said: list[str] = []
    with RegistryStore.open(vault_for(copy), SETTINGS) as store:
        report = resolve_registries(store, progress=said.append)
    assert report.rebuilt
    assert any("older version of the model" in line for line in said)
    assert Matcher.open(vault_for(copy)).index.meta.persons == report.persons


def test_links_are_the_same_from_one_process_or_several(
    resolved: Resolved, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from bonafide.persons import resolve
    from bonafide.persons.link_model import load_link_model

    monkeypatch.setattr(resolve, "BATCH", 700)  # several batches for the workers to share
    links, link_models = {}, {}
    for workers in (1, 2):
        copy = tmp_path / f"data-{workers}"
        shutil.copytree(resolved.data_dir, copy)
        with RegistryStore.open(vault_for(copy), SETTINGS) as store:
            report = resolve_registries(store, rebuild=True, workers=workers)
            links[workers] = store.execute(
                "test links",
                "SELECT kind, record_key, person_id, probability FROM person_links ORDER BY 1, 2",
            )
            # the link model's sample is scored by the workers too
            link_models[workers] = load_link_model(PersonFiles(store.vault).current())
        # looked up through the blocks or alike records: several batches' worth
        assert report.blocking.lookups + report.blocking.alike > 3 * 700
    assert len(links[1]) > 1_000
    assert links[1] == links[2]
    one, two = link_models[1], link_models[2]
    assert one is not None
    assert two is not None
    assert one.to_json() == two.to_json()


def test_the_last_batches_are_cut_in_pieces_and_nothing_is_lost_or_moved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bonafide.persons import resolve

    monkeypatch.setattr(resolve, "BATCH", 10)
    records = PersonRecords(pa.table({"record_id": [str(n) for n in range(47)]}))
    cut = list(resolve._cut_at_the_end(resolve.batches_of(records), 2))
    assert [len(batch) for batch in cut] == [10, 10, 10, 3, 3, 3, 1, 2, 2, 2, 1]
    assert [r for b in cut for r in b.table.column("record_id").to_pylist()] == [
        str(n) for n in range(47)
    ]
    alone = list(resolve._cut_at_the_end(resolve.batches_of(records), 1))
    assert [len(batch) for batch in alone] == [10, 10, 10, 10, 7]
    assert list(resolve._cut_at_the_end([], 2)) == []
    monkeypatch.setattr(resolve, "BATCH", 40)  # a last batch too short to cut stays whole
    records = PersonRecords(pa.table({"record_id": [str(n) for n in range(83)]}))
    cut = list(resolve._cut_at_the_end(resolve.batches_of(records), 2))
    assert [len(batch) for batch in cut] == [40, 10, 10, 10, 10, 3]
    empty = PersonRecords(pa.table({"record_id": pa.array([], pa.string())}))
    assert [len(b) for b in resolve._cut_at_the_end([empty], 2)] == []


def test_histories_hold_each_persons_linked_records_however_they_are_streamed(
    resolved: Resolved, tmp_path: Path
) -> None:
    import shutil

    from bonafide.persons.histories import Histories, write_histories
    from bonafide.registry.schema import Kind

    copy = tmp_path / "data"
    shutil.copytree(resolved.data_dir, copy)
    with RegistryStore.open(vault_for(copy), SETTINGS) as store:
        generation = PersonFiles(store.vault).start()
        written = write_histories(store, generation, batch_rows=500)  # many chunks
        histories = Histories.open(generation)
        for kind in (Kind.IDENTITY, Kind.RESIDENCE, Kind.EMPLOYMENT):
            rows = store.execute(
                "test links",
                f"SELECT l.person_id, r.record_id FROM person_links l JOIN registry_{kind.value} r "
                f"ON r.record_key = l.record_key WHERE l.kind = '{kind.value}'",
            )
            expected: dict[int, list[str]] = {}
            for person, record in rows:
                expected.setdefault(int(person), []).append(str(record))
            assert written[kind.value] == len(rows) > 1_000
            assert histories.kinds[kind].table.column("person_id").num_chunks > 1
            for person, records in expected.items():
                held = histories.of(kind, person).column("record_id").to_pylist()
                assert sorted(held) == sorted(records)
            assert histories.of(kind, max(expected) + 1).num_rows == 0


def _second_look(
    resolved: Resolved, population: Population, monkeypatch: pytest.MonkeyPatch, first: int
) -> tuple[Matcher, PersonRecords]:
    """A matcher of `first` candidates whose second look takes eight (at 2,500 people a
    lookup's blocks are small), and lookups of 300 persons without their birth dates: half of
    them are unsure, their namesakes compete."""
    from bonafide.persons import resolve

    monkeypatch.setattr(resolve, "LINK_CANDIDATES_UNSURE", 8)
    matcher = Matcher(PersonIndex.open(vault_for(resolved.data_dir)), first)
    asked = _queries(resolved, population, 300)
    lookups = query_records([{k: v for k, v in q.items() if k != "birth_date"} for q in asked])
    return matcher, lookups


def test_an_unsure_link_is_scored_again_with_more_candidates(
    resolved: Resolved, population: Population, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonafide.persons import resolve

    matcher, queries = _second_look(resolved, population, monkeypatch, first=1)
    rows, best, counts = resolve.link_batch(matcher, queries)
    first_rows, first_best = matcher.score(queries).most_probable_person(len(queries))
    wider_rows, wider_best = matcher.with_limit(8).score(queries).most_probable_person(len(queries))
    sure = (first_rows >= 0) & (first_best >= resolve.SURE)
    assert 0 < sure.sum() < len(queries)
    assert (wider_best != first_best)[~sure].any()
    np.testing.assert_array_equal(rows, np.where(sure, first_rows, wider_rows))
    np.testing.assert_allclose(best, np.where(sure, first_best, wider_best))
    assert counts.lookups == len(queries)  # the keys are counted once


def test_a_lookup_that_had_all_its_candidates_is_not_scored_again(
    resolved: Resolved, population: Population, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonafide.persons import resolve

    matcher, queries = _second_look(resolved, population, monkeypatch, first=3)
    first = matcher.score(queries)
    had = np.bincount(first.query, minlength=len(queries))
    rows, best = first.most_probable_person(len(queries))
    unsure = (rows < 0) | (best < resolve.SURE)
    # both kinds of unsure lookup are there: with the limit's candidates, and with fewer
    assert (unsure & (had >= 3)).any()
    assert (unsure & (had < 3)).any()
    looks: list[list[str]] = []
    score_pairs = matcher.score_pairs

    def spied(records: PersonRecords, query: Any, rows: Any) -> MatchedPairs:
        looks.append(records.ids)
        return score_pairs(records, query, rows)

    monkeypatch.setattr(matcher, "score_pairs", spied)
    linked_rows, linked_best, _ = resolve.link_batch(matcher, queries)
    assert len(looks) == 2
    rescored = looks[1]
    ids = queries.ids
    assert sorted(rescored) == sorted(ids[i] for i in np.flatnonzero(unsure & (had >= 3)))
    # one with fewer had them all: the wider look would give what the first gave
    alone_rows, alone_best = matcher.with_limit(8).score(queries).most_probable_person(len(queries))
    fewer = had < 3
    np.testing.assert_array_equal(linked_rows[fewer], alone_rows[fewer])
    np.testing.assert_allclose(linked_best[fewer], alone_best[fewer])


def test_a_wider_look_is_ranked_with_the_first(
    resolved: Resolved, population: Population, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first look scores what `score` scores, in its order; the wider candidates are those
    a wider matcher takes, in its order, the first look's among them: scored apart, each pair
    is scored as scoring them all scores it."""
    matcher, queries = _second_look(resolved, population, monkeypatch, first=3)
    first, wider = matcher.score_looking_wider(queries, 8)
    alone = matcher.score(queries)
    everything = matcher.with_limit(8).score(queries)
    assert len(first.query) < len(wider.query) == len(everything.query)
    np.testing.assert_array_equal(wider.query, everything.query)
    np.testing.assert_array_equal(wider.row, everything.row)
    rest = matcher.score_pairs(queries, wider.query[~wider.first], wider.row[~wider.first])
    for name in ("query", "row", "person_id", "probability", "match_weight", "levels"):
        np.testing.assert_array_equal(getattr(first, name), getattr(alone, name), name)
        taken = getattr(everything, name)
        np.testing.assert_array_equal(getattr(first, name), taken[wider.first], name)
        np.testing.assert_array_equal(getattr(rest, name), taken[~wider.first], name)


def test_lookups_sharing_a_hash_are_joined_to_their_records_by_their_fields(
    resolved: Resolved, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records are joined to their lookup by the hash of their person fields, unless two
    lookups share one: then by the fields themselves, with the same result."""
    from bonafide.persons import resolve

    def numbered(store: RegistryStore) -> tuple[list[tuple[int, str, int]], int]:
        collected = resolve._collect_lookups(store, list(resolve._LOOKUP_KINDS), {}, False)
        rows = store.execute(
            "test lookups",
            f"SELECT kind, record_key, query FROM ({collected.records_sql()}) "
            "ORDER BY kind, record_key",
        )
        shared = store.scalar(
            "test shared hashes",
            "SELECT count(*) - count(DISTINCT combination) FROM resolve_lookups",
        )
        return [(int(k), str(r), int(q)) for k, r, q in rows], int(shared)

    with RegistryStore.open(vault_for(resolved.data_dir), SETTINGS, read_only=True) as store:
        by_hash, shared = numbered(store)
        assert shared == 0
        # a hash of the birth date alone: thousands of lookups share one
        monkeypatch.setattr(resolve, "_combination_hash", lambda columns: "hash(birth_date)")
        by_fields, shared = numbered(store)
    assert shared > 1_000
    assert len(by_hash) > 1_000
    assert by_fields == by_hash


@pytest.mark.parametrize("in_a_transaction", [False, True])
def test_lookups_are_numbered_from_0_in_birth_date_then_name_order(
    resolved: Resolved, in_a_transaction: bool
) -> None:
    """The lookups' numbers are their places in birth-date, name, sex and personal-number
    order, as a window over that order numbers them, also inside the transaction resolve
    runs in (where a new table's rows are numbered from a large offset)."""
    from bonafide.persons import resolve

    with RegistryStore.open(vault_for(resolved.data_dir), SETTINGS, read_only=True) as store:
        if in_a_transaction:
            store.execute("test begin", "BEGIN TRANSACTION")
        collected = resolve._collect_lookups(store, list(resolve._LOOKUP_KINDS), {}, False)
        numbers = store.execute(
            "test numbers",
            "SELECT query, row_number() OVER (ORDER BY birth_date, full_name, sex, "
            "personal_number) - 1 FROM resolve_lookups ORDER BY query",
        )
        records = store.scalar("test records", "SELECT sum(records) FROM resolve_lookups")
    assert len(numbers) == collected.count > 1_000
    assert [q for q, _ in numbers] == list(range(collected.count))
    assert all(q == w for q, w in numbers)
    assert records == sum(collected.records.values())


@pytest.mark.parametrize("people", [1_300, 2_000, 3_100, 5_000])
def test_birth_year_groups_hold_whole_years_and_keep_two_workers_busy(
    people: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonafide.linkage.records import PERSON_FIELDS, PersonRecords
    from bonafide.persons import resolve

    monkeypatch.setattr(resolve, "PARTITION", 700)
    rng = np.random.default_rng(people)
    years = rng.normal(1975, 15, people).astype(int).clip(1930, 2008).tolist()
    born = [None if n % 50 == 0 else f"{y}-03-0{n % 9 + 1}" for n, y in enumerate(years)]
    table = pa.table(
        {
            f: pa.array(born if f == "birth_date" else [None] * people, pa.string())
            for f in PERSON_FIELDS
        }
    )
    groups = resolve._partitions(PersonRecords(table))
    assert sorted(np.concatenate(groups).tolist()) == list(range(people))
    undated = groups.pop()  # records without a birth year come last
    assert all(born[p] is None for p in undated.tolist())
    group_years = [{born[p][:4] for p in g.tolist()} for g in groups]
    for number, held in enumerate(group_years):
        assert all(not (held & other) for other in group_years[number + 1 :])  # whole years
        assert len(groups[number]) <= 700 or len(held) == 1
    assert len(groups[1:]) % 2 == 0  # after the one that trains the model: an even number
    # the first trains alone: about half a group, of the earliest years
    trained = sorted(group_years[0])
    dated = sorted({b[:4] for b in born if b})
    births = sorted(b[:4] for b in born if b)
    assert trained == dated[: len(trained)]
    assert 350 <= len(groups[0]) < 350 + births.count(trained[-1])
    # the others about equal (to within a year's records each side), so that two workers
    # finish together
    sizes = [len(g) for g in groups[1:]]
    largest_year = max(births.count(y) for y in dated)
    assert max(sizes) - min(sizes) <= 2 * largest_year


def _exactly_written(store: RegistryStore, index: PersonIndex) -> tuple[PersonRecords, Any]:
    """The resolved store's lookups, collected and marked as resolve marks them, as one batch
    with their exact rows."""
    from bonafide.persons import resolve

    collected = resolve._collect_lookups(store, list(resolve._LOOKUP_KINDS), {}, False)
    marked = resolve._mark_exact_lookups(store, index)
    batches = resolve._read_lookups(store, collected.count)
    lookups = PersonRecords(pa.concat_tables([b.table for b in batches]))
    exact = lookups.table.column(resolve.EXACT_ROW).to_numpy()
    assert int((exact >= 0).sum()) == marked
    return lookups, exact


def test_lookups_read_in_ranges_come_whole_in_order_and_in_full_batches(
    resolved: Resolved, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonafide.persons import resolve

    with RegistryStore.open(vault_for(resolved.data_dir), SETTINGS, read_only=True) as store:
        index = PersonIndex.open(store.vault)
        whole, _ = _exactly_written(store, index)
        monkeypatch.setattr(resolve, "READ_AT_ONCE", 777)
        monkeypatch.setattr(resolve, "BATCH", 1_000)
        read = [b.table for b in resolve._read_lookups(store, whole.table.num_rows)]
    assert whole.table.num_rows > 3_000
    assert [t.num_rows for t in read[:-1]] == [1_000] * (len(read) - 1)
    assert 0 < read[-1].num_rows <= 1_000
    assert pa.concat_tables(read).equals(whole.table)
    assert pa.concat_tables(read).column("record_id").to_pylist() == [
        str(n) for n in range(whole.table.num_rows)
    ]


def test_lookups_written_exactly_as_one_person_are_given_its_row(resolved: Resolved) -> None:
    """A lookup is given an index row where its name and birth date are written exactly as
    those of one person's identity records and of no other person's, and its sex and personal
    number, where it has them, are that person's: checked against every lookup."""
    with RegistryStore.open(vault_for(resolved.data_dir), SETTINGS, read_only=True) as store:
        index = PersonIndex.open(store.vault)
        lookups, exact = _exactly_written(store, index)
    records = index.records.to_pylist()
    written: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in records:
        name = record["full_name"] or " ".join(
            record[p] for p in ("surname", "given_name", "patronymic") if record[p]
        )
        if name and record["birth_date"]:
            written.setdefault((name, record["birth_date"]), []).append(record)
    persons = index.person_ids(np.arange(len(records)))
    for lookup, row in zip(lookups.table.to_pylist(), exact, strict=True):
        same = written.get((lookup["full_name"], lookup["birth_date"]), [])
        sexes = {r["sex"] for r in same} - {None}
        numbers = {r["personal_number"] for r in same} - {None}
        expected = (
            len({r["person_id"] for r in same}) == 1
            and (lookup["sex"] is None or sexes <= {lookup["sex"]})
            and (lookup["personal_number"] in (None, *numbers) and len(numbers) <= 1)
        )
        assert (row >= 0) == expected, lookup["record_id"]
        if row >= 0:
            assert persons[row] == same[0]["person_id"]
            if lookup["personal_number"] is not None:
                assert records[row]["personal_number"] == lookup["personal_number"]
    assert 0.2 < (exact >= 0).mean() < 0.9  # both kinds are there: the test means something


def test_an_exact_row_is_scored_alone_when_sure_else_the_blocks_decide(
    resolved: Resolved, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lookup linked by its exact row gets the person the blocks give it (nearly always;
    its probability without the competitors); given a wrong row, it is not sure of it and is
    linked through the blocks as if it had none."""
    from bonafide.persons import resolve

    with RegistryStore.open(vault_for(resolved.data_dir), SETTINGS, read_only=True) as store:
        index = PersonIndex.open(store.vault)
        lookups, exact = _exactly_written(store, index)
    matcher = Matcher(index, resolve.LINK_CANDIDATES)
    plain = PersonRecords(lookups.table.drop_columns([resolve.EXACT_ROW]))
    rows, best, counts = resolve.link_batch(matcher, lookups)
    blocks_rows, blocks_best, blocks_counts = resolve.link_batch(matcher, plain)
    given = exact >= 0
    assert counts.exact == int((given & (best >= resolve.SURE)).sum()) > 0.9 * given.sum()
    assert counts.lookups == len(exact) - counts.exact - counts.alike
    assert blocks_counts.exact == 0
    assert blocks_counts.lookups == len(exact) - blocks_counts.alike
    same = index.person_ids(rows[given]) == index.person_ids(blocks_rows[given])
    assert same.mean() > 0.995
    # no competitor shares the odds; the blocks may choose another of the person's records,
    # one that fits a shade better (the exact row is one the name and birth date are written
    # as, not the person's best)
    assert (best[given][same] >= blocks_best[given][same] - 1e-5).all()
    np.testing.assert_array_equal(rows[~given], blocks_rows[~given])
    np.testing.assert_allclose(best[~given], blocks_best[~given])
    # each given lookup pointed at another person's row
    wrong = np.full(len(exact), -1)
    shuffled = np.random.default_rng(5).permutation(exact[given])
    other = index.person_ids(shuffled) != index.person_ids(exact[given])
    wrong[np.flatnonzero(given)[other]] = shuffled[other]
    misled = PersonRecords(
        plain.table.append_column(resolve.EXACT_ROW, pa.array(wrong, pa.int64()))
    )
    rows, best, counts = resolve.link_batch(matcher, misled)
    assert other.sum() > 0.9 * given.sum()
    assert counts.exact == 0
    np.testing.assert_array_equal(rows, blocks_rows)
    np.testing.assert_allclose(best, blocks_best)


def _alike_groups(index: PersonIndex) -> dict[str, list[int]]:
    """The index's rows by their ALIKE_KEY, found from their records' features."""
    from bonafide.linkage.comparisons import Features
    from bonafide.persons.index import alike_keys

    records = PersonRecords(index.records.select(list(PERSON_FIELDS)))
    present, coded = alike_keys(Features.build(records))
    groups: dict[str, list[int]] = {}
    for row, key in zip(present.tolist(), coded.texts(), strict=True):
        groups.setdefault(key, []).append(row)
    return groups


def test_records_written_alike_one_person_are_given_its_rows(resolved: Resolved) -> None:
    """A record is given the index rows holding its ALIKE_KEY (surname, given name, birth date
    as the blocking keys read them) where they are one person's, no more than ALIKE_ROWS of
    them, and none otherwise: checked against every lookup, keys found apart."""
    from bonafide.linkage.comparisons import Features
    from bonafide.persons.index import ALIKE_ROWS, alike_keys

    with RegistryStore.open(vault_for(resolved.data_dir), SETTINGS, read_only=True) as store:
        resolved_index = PersonIndex.open(store.vault)
        lookups, _ = _exactly_written(store, resolved_index)
    groups = _alike_groups(resolved_index)
    # every third key held by several records made two persons': namesakes born on one day
    persons = resolved_index.person_ids(np.arange(len(resolved_index.records))).copy()
    several = [rows for rows in groups.values() if len(rows) > 1][::3]
    for rows in several:
        persons[rows[0]] = persons.max() + 1
    records = resolved_index.records
    index = PersonIndex(
        resolved_index.generation,
        records.set_column(records.column_names.index("person_id"), "person_id", pa.array(persons)),
        resolved_index.key_hashes,
        resolved_index.key_rows,
        resolved_index.model,
        resolved_index.meta,
    )
    features = Features.build(lookups)
    records, rows = index.rows_written_alike(features)
    assert np.all(np.diff(records) >= 0)
    given: dict[int, list[int]] = {}
    for record, row in zip(records.tolist(), rows.tolist(), strict=True):
        given.setdefault(record, []).append(row)
    present, coded = alike_keys(features)
    expected: dict[int, list[int]] = {}
    shared = 0
    for record, key in zip(present.tolist(), coded.texts(), strict=True):
        held = groups.get(key, [])
        if len({int(persons[r]) for r in held}) > 1:
            shared += 1
        elif 0 < len(held) <= ALIKE_ROWS:
            expected[record] = held
    assert {r: sorted(v) for r, v in given.items()} == {r: sorted(v) for r, v in expected.items()}
    assert len(expected) > len(lookups) / 4
    assert len(several) > 10
    assert shared > 10  # left to the blocks


def test_a_record_written_alike_one_person_is_scored_alone_when_sure_else_the_blocks_decide(
    resolved: Resolved, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lookups scored against the one person written alike them get the person the blocks give
    them (nearly always; their probability without the competitors); the others, looked up
    through the blocks apart from them, get exactly what the blocks give them together."""
    from bonafide.linkage.comparisons import Features
    from bonafide.persons import index as person_index
    from bonafide.persons import resolve

    with RegistryStore.open(vault_for(resolved.data_dir), SETTINGS, read_only=True) as store:
        index = PersonIndex.open(store.vault)
        lookups, _ = _exactly_written(store, index)
    plain = PersonRecords(lookups.table.drop_columns([resolve.EXACT_ROW]))
    matcher = Matcher(index, resolve.LINK_CANDIDATES)
    rows, best, counts = resolve.link_batch(matcher, plain)
    with monkeypatch.context() as patched:
        patched.setattr(person_index, "ALIKE_ROWS", 0)
        blocks_rows, blocks_best, blocks_counts = resolve.link_batch(matcher, plain)
    asked = np.unique(index.rows_written_alike(Features.build(plain))[0])
    alike = np.zeros(len(plain), dtype=bool)
    alike[asked] = best[asked] >= resolve.SURE
    assert counts.alike == int(alike.sum()) > 0.8 * len(asked)
    assert counts.lookups == len(plain) - counts.alike
    assert blocks_counts.alike == 0
    assert blocks_counts.lookups == len(plain)
    same = index.person_ids(rows[alike]) == index.person_ids(blocks_rows[alike])
    assert same.mean() > 0.995
    assert (best[alike][same] >= blocks_best[alike][same] - 1e-5).all()
    np.testing.assert_array_equal(rows[~alike], blocks_rows[~alike])
    np.testing.assert_allclose(best[~alike], blocks_best[~alike])


def test_the_keys_of_some_records_find_what_all_the_keys_find_for_them(
    resolved: Resolved,
) -> None:
    """`RecordKeys.of_records`: candidates found from some records' keys, taken from the keys
    of a whole batch, are those found for them from the whole batch's keys — a batch's keys
    coded, and a few records' listed."""
    from bonafide.linkage.comparisons import Features
    from bonafide.persons.index import record_keys

    with RegistryStore.open(vault_for(resolved.data_dir), SETTINGS, read_only=True) as store:
        index = PersonIndex.open(store.vault)
        lookups, _ = _exactly_written(store, index)
    for size in (len(lookups), 150):
        records = PersonRecords(lookups.table.slice(0, size).drop_columns(["exact_row"]))
        keys = record_keys(Features.build(records))
        some = np.flatnonzero(np.random.default_rng(size).random(size) < 0.4)
        whole = index.candidate_rows(index.hashes_of(keys.keys), keys, 10)
        taken = keys.of_records(some, size)
        assert (np.bincount(taken.rows, minlength=len(some)) > 0).sum() > 0.9 * len(some)
        part = index.candidate_rows(index.hashes_of(taken.keys), taken, 10)
        kept = np.isin(whole.query, some)
        np.testing.assert_array_equal(some[part.query], whole.query[kept])
        np.testing.assert_array_equal(part.row, whole.row[kept])
