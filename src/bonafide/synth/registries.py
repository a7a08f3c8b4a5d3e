"""Writes one chunk into every registry: rows, duplicates, shuffling, record ids, truth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.synth.chunk import Chunk, World
from bonafide.synth.documents import digits
from bonafide.synth.noise import NoiseRates
from bonafide.synth.sampling import IntArray
from bonafide.synth.sources import education, employment, identity, residence, watchlist
from bonafide.synth.sources.common import Build, SourceContext, SourceSpec
from bonafide.synth.vocabulary import Vocabulary
from bonafide.synth.world import year_of

__all__ = ["SOURCES", "ChunkOutput", "Source", "write_chunk"]

DUPLICATE_TYPO_RATE = 0.3


@dataclass(frozen=True)
class Source:
    spec: SourceSpec
    rows: Callable[[SourceContext], IntArray]
    build: Callable[[SourceContext, IntArray], Build]


def _education_rows(ctx: SourceContext) -> IntArray:
    edu = ctx.chunk.education
    born = year_of(ctx.chunk.people.birth[edu.person])
    kept = ctx.rng.random(len(edu)) < education.coverage(born)
    return np.flatnonzero(kept)


SOURCES = (
    Source(
        identity.SPEC,
        lambda ctx: np.arange(len(ctx.chunk.documents.person)),
        identity.build_identity,
    ),
    Source(
        residence.SPEC, lambda ctx: np.arange(len(ctx.chunk.residences)), residence.build_residence
    ),
    Source(education.SPEC, _education_rows, education.build_education),
    Source(
        employment.SPEC, lambda ctx: np.arange(len(ctx.chunk.jobs)), employment.build_employment
    ),
    Source(watchlist.SPEC, watchlist.watchlist_jobs, watchlist.build_watchlist),
)


@dataclass
class ChunkOutput:
    """One registry's share of a chunk, ready to append to its file and its truth."""

    table: pa.Table
    truth: pa.Table


def write_chunk(
    chunk: Chunk,
    world: World,
    vocab: Vocabulary,
    rates: NoiseRates,
    seed: int,
    source_number: int,
    first_record: int,
    noise: Counter[str],
) -> ChunkOutput:
    """The rows of registry SOURCES[source_number] for `chunk`, numbered from `first_record`."""
    source = SOURCES[source_number]
    rng = np.random.default_rng([seed, chunk.index, 1000 + source_number])
    ctx = SourceContext(chunk, vocab, world.places, world.employers, rates, rng)
    rows = source.rows(ctx)
    base = source.build(ctx, rows)
    duplicated = rows[ctx.chance(rates.duplicate_record, len(rows))]
    dup_ctx = replace(ctx, rates=replace(rates, name_typo=DUPLICATE_TYPO_RATE), noise=Counter())
    copies = source.build(dup_ctx, duplicated)
    noise.update(ctx.noise)
    noise.update({f"duplicate_{k}": v for k, v in dup_ctx.noise.items()})
    noise["duplicate_record"] += len(duplicated)

    table = pa.concat_tables([pa.table(base.columns), pa.table(copies.columns)])
    person = np.concatenate([base.person, copies.person])
    origin = np.concatenate([np.zeros(len(base.person)), np.ones(len(copies.person))])
    order = rng.permutation(table.num_rows)
    table = table.take(pa.array(order))
    person, origin = person[order], origin[order]
    record_ids = pc.binary_join_element_wise(
        source.spec.record_prefix, digits(first_record + np.arange(table.num_rows), 9), ""
    )
    id_column = source.spec.columns["record_id"]
    table = table.set_column(table.schema.get_field_index(id_column), id_column, record_ids)

    exact = np.flatnonzero(ctx.chance(rates.exact_duplicate_row, table.num_rows))
    noise["exact_duplicate_row"] += len(exact)
    if len(exact):
        at = np.sort(np.concatenate([np.arange(table.num_rows), exact]))
        table = table.take(pa.array(at))
        person, origin = person[at], origin[at]
        record_ids = record_ids.take(pa.array(at))
        origin[np.flatnonzero(np.diff(at, prepend=-1) == 0)] = 2
    truth = pa.table(
        {
            "record_id": record_ids,
            "person_id": pa.array(chunk.people.person_id[person]),
            "origin": pa.array(
                np.array(["original", "duplicate", "exact_copy"])[origin.astype(int)]
            ),
        }
    )
    return ChunkOutput(table, truth)
