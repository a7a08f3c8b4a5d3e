"""Applicant cohorts with ground truth: genuine, fabricated, borrowed and thin identities.

- genuine: a real person telling their own story, with honest mistakes;
- fabricated: an invented person (in no registry) with an invented but plausible story;
- borrowed: a real person's identity with someone else's story;
- thin: an identity planted in the registries recently (a new passport, one recent address,
  nothing else), telling someone else's story.
Invented people come from a hold-out chunk generated like the population and never written.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from bonafide.synth.chunk import Chunk
from bonafide.synth.documents import Documents
from bonafide.synth.dossiers import NONE, HonestMistakes, write_dossier
from bonafide.synth.education import Education
from bonafide.synth.employment import Jobs
from bonafide.synth.residence import Residences
from bonafide.synth.sampling import IntArray
from bonafide.synth.stories import Story
from bonafide.synth.world import NO_DAY, YEAR

__all__ = ["KINDS", "Cohort", "CohortPlan", "eligible", "thin_chunk"]

KINDS = ("genuine", "fabricated", "borrowed", "thin")


@dataclass(frozen=True)
class CohortPlan:
    genuine: int
    fabricated: int
    borrowed: int
    thin: int

    @classmethod
    def of(cls, size: int, mix: tuple[float, float, float, float]) -> CohortPlan:
        counts = [int(size * share) for share in mix]
        counts[0] += size - sum(counts)
        return cls(*counts)

    @property
    def real_identities(self) -> int:
        return self.genuine + self.borrowed

    @property
    def holdout(self) -> int:
        """Invented people needed: fabricated identities, thin identities, borrowed stories."""
        return self.fabricated + 2 * self.thin + self.borrowed


def eligible(chunk: Chunk, today: int) -> IntArray:
    """Chunk rows of people who could walk into the office: adults, alive, with a passport."""
    people = chunk.people
    age = (today - people.birth) / YEAR
    alive = people.death == NO_DAY
    has_passport = np.isin(np.arange(len(people)), chunk.documents.person)
    return np.flatnonzero((age >= 21) & (age <= 58) & alive & has_passport)


def thin_chunk(chunk: Chunk, rows: IntArray, today: int, rng: np.random.Generator) -> Chunk:
    """The registry traces of planted identities: a recent passport and one recent address."""
    people = chunk.people.subset(rows)
    n = len(rows)
    issued = (today - 60 - rng.random(n) * 900).astype(np.int32)
    people = replace(people, digitised=issued, emigration=np.full(n, NO_DAY, np.int32))
    docs = chunk.documents
    doc_rows = np.maximum(docs.current_of(len(chunk.people))[rows], 0)
    documents = Documents(
        person=np.arange(n, dtype=np.int64),
        series=[docs.series[i] for i in doc_rows],
        number=docs.number.take(doc_rows),
        issued=issued,
        expires=(issued + int(10 * YEAR)).astype(np.int32),
        is_current=np.ones(n, dtype=bool),
    )
    res = chunk.residences
    first = np.searchsorted(res.person, rows)
    start = (issued + rng.random(n) * 200).astype(np.int32)
    residences = Residences(
        person=np.arange(n, dtype=np.int64),
        settlement=res.settlement[first],
        street=res.street[first],
        house=res.house[first],
        house_suffix=res.house_suffix[first],
        flat=res.flat[first],
        start=np.minimum(start, today - 1).astype(np.int32),
        stop=np.full(n, NO_DAY, dtype=np.int32),
    )
    empty = np.zeros(0, dtype=np.int64)
    education = Education(empty, empty, empty, empty, empty, empty, empty)
    jobs = Jobs(empty, empty, empty, empty, empty, empty, empty)
    return Chunk(
        chunk.index,
        people,
        chunk.personal_number.take(rows),
        documents,
        residences,
        education,
        jobs,
    )


@dataclass
class Cohort:
    """Builds dossiers and their truth from real and invented stories."""

    plan: CohortPlan
    seed: int
    submitted: dt.date
    mistakes: HonestMistakes = field(default_factory=HonestMistakes)
    dossiers: list[dict[str, Any]] = field(default_factory=list)
    truth: list[tuple[str, str, int]] = field(default_factory=list)

    def build(self, real: list[Story], invented: list[Story]) -> None:
        rnd = random.Random(self.seed)
        plan = self.plan
        real = sorted(real, key=lambda s: s.identity.person_id)
        rnd.shuffle(real)
        genuine, borrowed = real[: plan.genuine], real[plan.genuine : plan.real_identities]
        fabricated = invented[: plan.fabricated]
        thin = invented[plan.fabricated : plan.fabricated + plan.thin]
        donors = invented[plan.fabricated + plan.thin :]
        entries: list[tuple[str, Story, Story, HonestMistakes]] = []
        entries += [("genuine", s, s, self.mistakes) for s in genuine]
        entries += [("fabricated", s, s, NONE) for s in fabricated]
        entries += [("borrowed", s, self._donor(s, donors, rnd), NONE) for s in borrowed]
        entries += [("thin", s, self._donor(s, donors, rnd), NONE) for s in thin]
        rnd.shuffle(entries)
        for number, (kind, who, story, mistakes) in enumerate(entries, start=1):
            dossier_id = f"D{number:06d}"
            self.dossiers.append(
                write_dossier(dossier_id, who.identity, story, rnd, mistakes, self.submitted)
            )
            self.truth.append((dossier_id, kind, who.identity.person_id))

    @staticmethod
    def _donor(who: Story, donors: list[Story], rnd: random.Random) -> Story:
        """Someone else's story from a person born within a few years of `who`."""
        if not donors:
            return Story(who.identity)
        born = who.identity.birth_date
        close = [d for d in donors if abs((d.identity.birth_date - born).days) < 4 * 365]
        pick = rnd.choice(close or donors)
        donors.remove(pick)
        return pick
