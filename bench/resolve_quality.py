"""Resolve a prepared population again and check its links against the ground truth.

    .venv/bin/python bench/population.py 200000          # once: synthesise, import, resolve
    .venv/bin/python bench/resolve_quality.py bench-data/population-200000

Runs `resolve_registries(store, rebuild=True)` (what `bonafide registry resolve --rebuild` runs)
in this process, then, for each registry linked to persons: precision (links to the person
holding the record's true identity records) and recall (of the records whose true person has an
identity record) and the share of its records left without a person. Prints the time of the
resolve, the figures and what each blocking key did for the lookups linking records to persons:
the share of lookups holding it (those written exactly as one person are linked without it,
and counted apart), the share whose block was over its limit (skipped), the
candidate rows it fetched per lookup; and the lookups left with no usable key. Then why each
linkable record without a person has none: looked up again, its keys all over their limits, its
keys matching nobody, its true person not in its blocks, in its blocks but beyond the forty
candidates a lookup left unsure is scored against at last, or scored below the threshold.
With `--json FILE`, writes them there too; with `--no-resolve`, reads the store's last resolve
instead (an index of older keys is read as it is: the keys it lacks find nobody); with
`--no-why`, prints the figures only (the why looks every record without a person up again:
hours at 10 M people; `--why-sample N` looks up a random N of each registry's instead, seeded,
and says so). The figures are counted in the store, the
truth read from its Parquet files.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bonafide.linkage.comparisons import Features
from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import PersonRecords
from bonafide.persons import fields, resolve
from bonafide.persons.files import PersonFiles
from bonafide.persons.index import BlockingCounts, PersonIndex
from bonafide.persons.link_model import load_link_model
from bonafide.persons.match import Matcher
from bonafide.persons.resolve import resolve_registries
from bonafide.registry.schema import Kind
from bonafide.registry.store import RegistryStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vaults import bench_vault


def _truth(population: Path, kind: str) -> dict[str, int]:
    table = pq.read_table(population / "truth" / f"{kind}.parquet")
    ids, persons = table.column("record_id").to_pylist(), table.column("person_id").to_pylist()
    return dict(zip(ids, persons, strict=True))


def _links(store: RegistryStore, kind: str) -> dict[str, int]:
    rows = store.execute(
        "bench links",
        f"SELECT r.record_id, l.person_id FROM person_links l JOIN registry_{kind} r "
        f"ON r.record_key = l.record_key WHERE l.kind = '{kind}'",
    )
    return {str(record): int(person) for record, person in rows}


def person_of_true(truth: str) -> str:
    """SQL common tables: `person_of_true`, the person resolve gave each true person's identity
    records (`truth`: the population's truth directory, quoted for SQL)."""
    return f"""identity_truth AS (SELECT * FROM read_parquet('{truth}/identity.parquet')),
        person_of_true AS (
            SELECT t.person_id AS true_person, min(l.person_id) AS person_id
            FROM person_links l JOIN registry_identity r ON r.record_key = l.record_key
            JOIN identity_truth t ON t.record_id = r.record_id
            WHERE l.kind = 'identity' GROUP BY 1
        )"""


def _figures(store: RegistryStore, population: Path, kind: str) -> dict[str, float]:
    """Links, precision, recall and the share without a person, counted in the store (the
    truth read from its Parquet file): at 10 M people, Python dictionaries of every link would
    not fit beside the store."""
    truth = str(population / "truth").replace("'", "''")
    row = store.execute(
        "bench link figures",
        f"""
        WITH {person_of_true(truth)},
        kind_truth AS (SELECT * FROM read_parquet('{truth}/{kind}.parquet')),
        links AS (
            SELECT l.person_id, p.person_id AS right_person
            FROM person_links l JOIN registry_{kind} r ON r.record_key = l.record_key
            JOIN kind_truth t ON t.record_id = r.record_id
            LEFT JOIN person_of_true p ON p.true_person = t.person_id
            WHERE l.kind = '{kind}'
        )
        SELECT
            (SELECT count(*) FROM links),
            (SELECT count(*) FROM links WHERE person_id = right_person),
            (SELECT count(*) FROM kind_truth t SEMI JOIN person_of_true p
                ON p.true_person = t.person_id),
            (SELECT count(*) FROM kind_truth)
        """,
    )[0]
    links, right, linkable, records = (int(v) for v in row)
    return {
        "records": records,
        "links": links,
        "precision": right / max(links, 1),
        "recall": right / max(linkable, 1),
        "without_person": 1 - links / max(records, 1),
    }


def watchlist_figures(store: RegistryStore, population: Path) -> str:
    """The watchlist's precision, recall and share without a person, as one line."""
    counted = _figures(store, population, "watchlist")
    return (
        f"links {counted['links']:,}, precision {counted['precision']:.4f}, "
        f"recall {counted['recall']:.4f}, without a person {counted['without_person']:.4f}"
    )


def _unlinked(
    store: RegistryStore, kind: str, truth: dict[str, int], person_of_true: dict[int, int]
) -> tuple[PersonRecords, np.ndarray]:
    """The records of `kind` without a person whose true person has one; that person's id."""
    columns = fields.select_sql(Kind(kind), fields.LINK_COLUMNS)
    table = store.arrow(
        "bench unlinked records",
        f"SELECT r.record_id AS truth_id, {columns} FROM registry_{kind} r LEFT JOIN "
        f"(SELECT record_key FROM person_links WHERE kind = '{kind}') l "
        "ON l.record_key = r.record_key WHERE l.record_key IS NULL",
    )
    true_person = [person_of_true.get(truth[r], -1) for r in table.column("truth_id").to_pylist()]
    keep = np.flatnonzero(np.array(true_person) >= 0)
    records = fields.as_person_records(table.take(pa.array(keep)))
    return records, np.asarray(true_person, dtype=np.int64)[keep]


def _sample(
    records: PersonRecords, true_person: np.ndarray, size: int | None
) -> tuple[PersonRecords, np.ndarray]:
    """At most `size` of the records, drawn at random (seeded: the same draw every run)."""
    if size is None or len(records) <= size:
        return records, true_person
    chosen = np.sort(np.random.default_rng(16).choice(len(records), size, replace=False))
    return PersonRecords(records.table.take(pa.array(chosen))), true_person[chosen]


def _diagnose(
    index: PersonIndex,
    records: PersonRecords,
    true_person: np.ndarray,
    saved: LinkageModel | None,
) -> dict[str, int]:
    """Why each linkable record without a person has none (see the module's text)."""
    if not len(records):
        return {}
    features = Features.build(records)
    counts = BlockingCounts()
    everything = Matcher(index, candidate_limit=1_000_000)
    query, rows = everything.candidate_pairs(features, counts)
    in_blocks = np.zeros(len(records), dtype=bool)
    in_blocks[query[index.person_ids(rows) == true_person[query]]] = True
    # a lookup left without a person was scored at last against LINK_CANDIDATES_UNSURE
    query, rows = Matcher(index, resolve.LINK_CANDIDATES_UNSURE).candidate_pairs(features)
    scored = np.zeros(len(records), dtype=bool)
    scored[query[index.person_ids(rows) == true_person[query]]] = True
    found_any = np.zeros(len(records), dtype=bool)
    found_any[query] = True
    overflowed = counts.no_candidate_with_overflow
    # the true person's match weight where it was scored, as resolve scored it (its link
    # model): a lookup's prior is one in the number of persons, so a population
    # five times larger needs log2(5) = 2.3 bits more evidence for the same link
    pairs = Matcher(index, resolve.LINK_CANDIDATES_UNSURE, saved).score(records)
    true_pair = pairs.person_id == true_person[pairs.query]
    weight = np.full(len(records), -np.inf)
    np.maximum.at(weight, pairs.query[true_pair], pairs.match_weight[true_pair])
    below = weight[scored & (weight < 0)]
    return {
        "linkable_without_person": len(records),
        "no_candidate_a_key_over_limit": overflowed,
        "no_candidate_keys_match_nobody": int((~found_any).sum()) - overflowed,
        "true_person_not_in_blocks": int((found_any & ~in_blocks).sum()),
        "in_blocks_beyond_candidates_scored": int((in_blocks & ~scored).sum()),
        "scored_below_threshold": int(scored.sum()),
        "scored_below_within_1_bit": int((below >= -1).sum()),
        "scored_below_within_2.3_bits": int((below >= -np.log2(5)).sum()),
        "scored_below_within_5_bits": int((below >= -5).sum()),
    }


def _print_blocking(counts: BlockingCounts) -> None:
    lookups = max(counts.lookups, 1)
    print(
        f"  blocking, {counts.lookups:,} lookups ({counts.exact:,} more linked without it "
        f"written exactly as one person, {counts.alike:,} written alike one):",
        flush=True,
    )
    print(f"    {'key':<34} {'held':>7} {'over limit':>10} {'rows/lookup':>11}", flush=True)
    for n, rule in enumerate(counts.rules):
        held = int(counts.held[n])
        if not held:
            continue
        print(
            f"    {rule:<34} {held / lookups:>7.3f} {counts.overflowed[n] / held:>10.3f}"
            f" {counts.rows[n] / lookups:>11.2f}",
            flush=True,
        )
    print(
        f"    every key over its limit: {counts.every_key_overflowed:,} lookups"
        f" ({counts.every_key_overflowed / lookups:.4f}); no candidate, a key over its limit:"
        f" {counts.no_candidate_with_overflow:,}; no key: {counts.without_keys:,}",
        flush=True,
    )


def main(
    population: Path,
    json_out: Path | None,
    resolve_first: bool,
    why: bool,
    why_sample: int | None = None,
) -> None:
    figures: dict[str, object] = {}
    unlinked: dict[str, tuple[PersonRecords, np.ndarray]] = {}
    with RegistryStore.open(bench_vault(population / "store")) as store:
        report = None
        if resolve_first:
            started = time.perf_counter()
            report = resolve_registries(store, rebuild=True)
            seconds = time.perf_counter() - started
            print(f"resolve: {seconds:.1f} s, {report.persons:,} persons", flush=True)
            figures.update(seconds=seconds, persons=report.persons)
        for kind in ("residence", "education", "employment", "watchlist"):
            counted = _figures(store, population, kind)
            print(
                f"  {kind:<11} links {counted['links']:>10,}  precision {counted['precision']:.4f}"
                f"  recall {counted['recall']:.4f}"
                f"  without a person {counted['without_person']:.4f}",
                flush=True,
            )
            figures[kind] = counted
        if why:
            identity_truth = _truth(population, "identity")
            person_of_true: dict[int, int] = {}
            for record, person in _links(store, "identity").items():
                person_of_true.setdefault(identity_truth[record], person)
            for kind in ("residence", "education", "employment"):
                unlinked[kind] = _unlinked(store, kind, _truth(population, kind), person_of_true)
        # an index of older keys is read as it is: its missing keys find nobody
        index = PersonIndex.open(store.vault, any_keys=True) if why else None
        for kind, (records, true_person) in unlinked.items():
            assert index is not None
            saved = load_link_model(PersonFiles(store.vault).current())
            if why_sample is not None and len(records) > why_sample:
                print(f"  {kind:<11} why: a sample of {why_sample:,} of {len(records):,}")
                figures[f"{kind}_unlinked_why_sample_of"] = len(records)
            records, true_person = _sample(records, true_person, why_sample)
            why = _diagnose(index, records, true_person, saved)
            print(f"  {kind:<11} without a person, linkable: {why}", flush=True)
            figures[f"{kind}_unlinked_why"] = why
    if report is not None:
        _print_blocking(report.blocking)
        figures["blocking"] = report.blocking.to_json()
    if json_out is not None:
        json_out.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    json_out = None
    if "--json" in arguments:
        at = arguments.index("--json")
        json_out = Path(arguments[at + 1])
        del arguments[at : at + 2]
    why_sample = None
    if "--why-sample" in arguments:
        at = arguments.index("--why-sample")
        if at + 1 >= len(arguments) or not arguments[at + 1].isdigit():
            sys.exit(__doc__)
        why_sample = int(arguments[at + 1])
        del arguments[at : at + 2]
    resolve_first = "--no-resolve" not in arguments
    why = "--no-why" not in arguments
    arguments = [a for a in arguments if a not in ("--no-resolve", "--no-why")]
    unknown = [a for a in arguments if a.startswith("-")]
    if len(arguments) != 1 or unknown or not (Path(arguments[0]) / "registries").is_dir():
        # a store would otherwise be opened, and made, wherever the argument points
        sys.exit(__doc__)
    main(Path(arguments[0]), json_out, resolve_first, why, why_sample)
