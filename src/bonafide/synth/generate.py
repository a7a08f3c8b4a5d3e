"""Runs a synthesis: chunk by chunk into the registries, then the applicant cohort."""

from __future__ import annotations

import csv
import json
import logging
import math
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.errors import InputError
from bonafide.synth.applicants import (
    POOLS,
    Cohort,
    CohortPlan,
    Listing,
    eligible,
    pools,
    thin_chunk,
)
from bonafide.synth.chunk import Chunk, World, generate_chunk
from bonafide.synth.noise import NoiseRates
from bonafide.synth.output import TableWriter, mapping_toml
from bonafide.synth.registries import SOURCES, ChunkOutput, write_chunk
from bonafide.synth.sources import watchlist
from bonafide.synth.sources.common import SourceContext
from bonafide.synth.stories import Story, take_stories
from bonafide.synth.vocabulary import Vocabulary, vocabulary
from bonafide.synth.world import NO_DAY, SynthConfig

__all__ = ["SynthSummary", "synthesise"]

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


@dataclass
class SynthSummary:
    people: int
    applicants: dict[str, int]
    rows: dict[str, int]
    noise: dict[str, dict[str, int]]


def _people_truth(chunk: Chunk, vocab: Vocabulary, planted: bool = False) -> pa.Table:
    people = chunk.people
    sex = people.sex
    surname = people.surname_on(np.full(len(people), NO_DAY - 1, np.int32), np.arange(len(people)))

    def days(values: np.typing.NDArray[np.int32]) -> pa.Array:
        dates = pa.array(np.where(values == NO_DAY, 0, values).astype("datetime64[D]"))
        return pc.if_else(pa.array(values == NO_DAY), pa.nulls(len(values), pa.date32()), dates)

    return pa.table(
        {
            "person_id": people.person_id,
            "sex": pa.array(np.where(sex == 0, "m", "f")),
            "birth_date": days(people.birth),
            "surname": vocab.surname_ru.strings.take(pa.array(surname * 2 + sex)),
            "birth_surname": vocab.surname_ru.strings.take(pa.array(people.surname * 2 + sex)),
            "given_name": vocab.given_ru.strings.take(pa.array(people.given + sex * vocab.n_male)),
            "patronymic": vocab.patronymic_ru.strings.take(pa.array(people.father * 2 + sex)),
            "birth_place": vocab.settlement_ru.take(pa.array(people.birth_settlement)),
            "personal_number": chunk.personal_number,
            "died_on": days(people.death),
            "emigrated_on": days(people.emigration),
            "planted": pa.array(np.full(len(people), planted)),
        }
    )


class _Run:
    def __init__(self, config: SynthConfig, out: Path, rates: NoiseRates) -> None:
        self.config = config
        self.out = out
        self.rates = rates
        self.world = World()
        self.vocab = vocabulary()
        self.noise: dict[str, Counter[str]] = {s.spec.kind: Counter() for s in SOURCES}
        self.records = [0] * len(SOURCES)
        self.listings: dict[int, Listing] = {}  # the last chunk's watchlist entries by person id

    def context(self, chunk: Chunk) -> SourceContext:
        rng = np.random.default_rng([self.config.seed, chunk.index, 99])
        world = self.world
        return SourceContext(chunk, self.vocab, world.places, world.employers, self.rates, rng)

    def write(
        self,
        chunk: Chunk,
        writers: list[TableWriter],
        truths: list[TableWriter],
        only: tuple[str, ...] | None = None,
    ) -> None:
        for number, source in enumerate(SOURCES):
            if only is not None and source.spec.kind not in only:
                continue
            result = write_chunk(
                chunk,
                self.world,
                self.vocab,
                self.rates,
                self.config.seed,
                number,
                self.records[number],
                self.noise[source.spec.kind],
            )
            self.records[number] += result.table.num_rows
            writers[number].write(result.table)
            truths[number].write(result.truth)
            if source.spec.kind == "watchlist":
                self.listings = _listings(result)

    def pick(self, chunk: Chunk, plan: CohortPlan, real: dict[str, list[Story]]) -> None:
        """Adds the stories of a random few of the chunk's people in each pool to `real`: about
        three times the pool's share of what the cohort needs, so that every pool has enough."""
        config = self.config
        first = int(chunk.people.person_id[0])
        listed = np.array([pid - first for pid in self.listings], dtype=np.int64)
        by_pool = pools(chunk, config.today, self.world.employers.is_security, listed)
        rng = np.random.default_rng([config.seed, chunk.index, 7])
        chosen: dict[str, np.typing.NDArray[np.int64]] = {}
        for pool in POOLS:
            need, rows = plan.needs(pool), by_pool[pool]
            if need and len(rows):
                k = min(len(rows), math.ceil(3 * need * len(chunk.people) / config.people) + 2)
                picked = rng.permutation(rows)[:k]
                if pool == "listed":  # entries giving only the birth year are sure to be among them
                    year_only = [pid - first for pid, e in self.listings.items() if e.year_only]
                    wanted = np.intersect1d(rows, np.array(year_only, dtype=np.int64))
                    picked = np.union1d(picked, wanted[:need])
                chosen[pool] = np.sort(picked)
        if not chosen:
            return
        union = np.unique(np.concatenate(list(chosen.values())))
        stories = take_stories(chunk, self.world, self.vocab, self.context(chunk), union)
        by_row = dict(zip(union.tolist(), stories, strict=True))
        for pool, rows in chosen.items():
            real.setdefault(pool, []).extend(by_row[r] for r in rows.tolist())


def _listings(output: ChunkOutput) -> dict[int, Listing]:
    """How the watchlist writes each listed person (their original record, not a duplicate)."""
    columns = watchlist.SPEC.columns
    names = output.table.column(columns["full_name"]).to_pylist()
    dobs = output.table.column(columns["birth_date"]).to_pylist()
    origins = output.truth.column("origin").to_pylist()
    people = output.truth.column("person_id").to_pylist()
    listings = {}
    for person, origin, name, dob in zip(people, origins, names, dobs, strict=True):
        if origin == "original":
            listings[int(person)] = Listing(
                latin_only=bool(name) and str(name).isascii(),
                year_only=dob is not None and len(str(dob)) == 4,
            )
    return listings


def synthesise(
    config: SynthConfig,
    out: Path,
    progress: Progress | None = None,
    rates: NoiseRates | None = None,
) -> SynthSummary:
    """Writes a population's registries, truth and applicants into `out` (see output.py)."""
    if config.people < 100:
        raise InputError(
            f"--people {config.people} is too small", hint="generate at least 100 people"
        )
    run = _Run(config, out, rates or NoiseRates())
    registries, truth_dir = out / "registries", out / "truth"
    registries.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    fmt = config.file_format
    chunks = math.ceil(config.people / config.chunk_size)
    plan = CohortPlan.of(config.applicants, config.cohort_mix)
    real: dict[str, list[Story]] = {}
    listings: dict[int, Listing] = {}
    with ExitStack() as stack:
        writers = [
            stack.enter_context(
                TableWriter(
                    registries / f"{s.spec.kind}.{fmt}",
                    fmt,
                    s.spec.csv_delimiter,
                    s.spec.csv_encoding,
                )
            )
            for s in SOURCES
        ]
        truths = [
            stack.enter_context(TableWriter(truth_dir / f"{s.spec.kind}.parquet", "parquet"))
            for s in SOURCES
        ]
        people_truth = stack.enter_context(TableWriter(truth_dir / "people.parquet", "parquet"))
        for index in range(chunks):
            first = index * config.chunk_size
            size = min(config.chunk_size, config.people - first)
            chunk = generate_chunk(
                run.world, config.seed, index, first, size, chunks + 1, config.today
            )
            run.write(chunk, writers, truths)
            people_truth.write(_people_truth(chunk, run.vocab))
            listings.update(run.listings)
            if plan.real_identities:
                run.pick(chunk, plan, real)
            if progress:
                progress(first + size, config.people)
            log.info("synth chunk=%d people=%d", index, size)
        invented: list[Story] = []
        if plan.holdout:
            holdout = generate_chunk(
                run.world,
                config.seed,
                chunks,
                config.people,
                plan.holdout * 3,
                chunks + 1,
                config.today,
            )
            rows = eligible(holdout, config.today)[: plan.holdout]
            invented = take_stories(holdout, run.world, run.vocab, run.context(holdout), rows)
            thin_rows = rows[plan["fabricated"] : plan["fabricated"] + plan["thin"]]
            if len(thin_rows):
                rng = np.random.default_rng([config.seed, chunks, 8])
                planted = thin_chunk(holdout, thin_rows, config.today, rng)
                run.write(planted, writers, truths, only=("identity", "residence"))
                people_truth.write(_people_truth(planted, run.vocab, planted=True))
    cohort = Cohort(plan, config.seed, config.as_of)
    try:
        cohort.build(real, invented, listings)
    except ValueError as error:
        raise InputError(
            f"--people {config.people} is too few for {config.applicants} applicants",
            hint="generate more people or fewer applicants",
        ) from error
    _write_applicants(out, cohort)
    for source in SOURCES:
        (registries / f"{source.spec.kind}.mapping.toml").write_text(
            mapping_toml(source.spec, fmt), encoding="utf-8"
        )
    summary = SynthSummary(
        people=config.people,
        applicants=dict(Counter(kind for _, kind, _ in cohort.truth)),
        rows={s.spec.kind: n for s, n in zip(SOURCES, run.records, strict=True)},
        noise={kind: dict(sorted(c.items())) for kind, c in run.noise.items()},
    )
    settings: dict[str, Any] = {k: str(v) for k, v in asdict(config).items()}
    (truth_dir / "summary.json").write_text(
        json.dumps({"settings": settings, **asdict(summary)}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    return summary


def _write_applicants(out: Path, cohort: Cohort) -> None:
    with (out / "applicants.jsonl").open("w", encoding="utf-8") as lines:
        for dossier in cohort.dossiers:
            lines.write(json.dumps(dossier, ensure_ascii=False) + "\n")
    with (out / "truth" / "applicants.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["dossier_id", "kind", "person_id"])
        writer.writerows(cohort.truth)
