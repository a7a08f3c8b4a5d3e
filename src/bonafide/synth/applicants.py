"""Applicant cohorts with ground truth: genuine applicants and the attacks they must be told from.

- genuine: a real person telling their own story, with honest mistakes;
- fabricated: an invented person (in no registry) with an invented but plausible story;
- borrowed: a real person's identity with someone else's story, moved in time to fit the age;
- thin: an identity planted in the registries recently (a new passport, one recent address,
  nothing else), telling someone else's story moved in time to fit the age;
- exile_identity: the identity of a real person who emigrated; their true story up to leaving,
  then a life in the country until now (at the last address or a new one, in new jobs);
- dead_identity: the identity of a real person who died at working age, the story going on
  after the death the same way;
- hidden_service: a real former (or serving) member of a security service telling their true
  story without the service;
- stretched_cover: the same, with the service years covered by a neighbouring civil job
  stretched over them or by an invented one;
- invented_career: a real person whose registries hold little (no job, one or two homes, one
  or two schools) telling their true homes and schools and three to five invented jobs;
- watchlisted: a person on the watchlist telling their true story with honest mistakes, half of
  them leaving the service out;
- repeat: someone applying a second time under the same name with a new dossier; the earlier
  dossier (of any kind) is in the cohort too, before it.
Invented people come from a hold-out chunk generated like the population and never written.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from bonafide.synth import attacks
from bonafide.synth.chunk import Chunk
from bonafide.synth.documents import Documents
from bonafide.synth.dossiers import NONE, HonestMistakes, write_dossier
from bonafide.synth.education import Education
from bonafide.synth.employment import Jobs
from bonafide.synth.residence import Residences
from bonafide.synth.sampling import IntArray
from bonafide.synth.stories import Story
from bonafide.synth.world import COHORT_MIX, NO_DAY, YEAR

__all__ = [
    "DEFAULT_MIX",
    "KINDS",
    "POOLS",
    "Cohort",
    "CohortPlan",
    "Listing",
    "eligible",
    "pools",
    "thin_chunk",
]

KINDS = (
    "genuine",
    "fabricated",
    "borrowed",
    "thin",
    "exile_identity",
    "dead_identity",
    "hidden_service",
    "stretched_cover",
    "invented_career",
    "watchlisted",
    "repeat",
)
DEFAULT_MIX = COHORT_MIX
# The real people each kind takes its identities from (see `pools`).
POOL_OF = {
    "genuine": "alive",
    "borrowed": "alive",
    "exile_identity": "exiled",
    "dead_identity": "dead",
    "hidden_service": "service",
    "stretched_cover": "service",
    "invented_career": "bare",
    "watchlisted": "listed",
}
POOLS = ("alive", "exiled", "dead", "service", "listed", "bare")


@dataclass(frozen=True)
class Listing:
    """How a person's watchlist entry writes them."""

    latin_only: bool  # the name only in Latin letters
    year_only: bool  # the birth date only as a year


@dataclass(frozen=True)
class CohortPlan:
    counts: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, size: int, mix: Sequence[tuple[str, float]]) -> CohortPlan:
        shares = dict(mix)
        unknown = set(shares) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown applicant kinds in the mix: {sorted(unknown)}")
        counts = {kind: int(size * shares.get(kind, 0.0)) for kind in KINDS}
        if size >= 5 * len(KINDS):  # every kind of the mix present in a cohort of some size
            for kind in KINDS:
                if shares.get(kind, 0.0) > 0 and counts[kind] == 0:
                    counts[kind] = 1
        counts["genuine"] += size - sum(counts.values())
        return cls(tuple(counts.items()))

    def __getitem__(self, kind: str) -> int:
        return dict(self.counts)[kind]

    def needs(self, pool: str) -> int:
        """Real people wanted from `pool`."""
        return sum(self[kind] for kind, of in POOL_OF.items() if of == pool)

    @property
    def real_identities(self) -> int:
        return sum(self.needs(pool) for pool in POOLS)

    @property
    def donors(self) -> int:
        """Invented stories that borrowed and thin identities tell."""
        return self["borrowed"] + self["thin"]

    @property
    def bank(self) -> int:
        """Invented people whose jobs and homes dress the planted stories."""
        dressed = ("exile_identity", "dead_identity", "stretched_cover", "invented_career")
        return 10 + 2 * sum(self[kind] for kind in dressed)

    @property
    def holdout(self) -> int:
        """Invented people needed: fabricated and thin identities, donors and the bank."""
        return self["fabricated"] + self["thin"] + self.donors + self.bank


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


def pools(
    chunk: Chunk,
    today: int,
    security_employer: np.typing.NDArray[np.bool_],
    listed: IntArray,
) -> dict[str, IntArray]:
    """Chunk rows of the real people each kind of applicant is drawn from (see POOL_OF).

    All are 21-58 on the day of submission (alive or not) and have a passport:
    alive: alive, never in a security service (emigrants included: genuine ones tell it);
    exiled: emigrated; dead: died in the country; service: served in a security service, not
    listed, in the country; listed: on the watchlist (rows `listed`), in the country;
    bare: in the country, no job, at most two homes and two courses of study.
    """
    people = chunk.people
    n = len(people)
    age = (today - people.birth) / YEAR
    passport = np.zeros(n, dtype=bool)
    passport[chunk.documents.person] = True
    adult = (age >= 21) & (age <= 58) & passport
    alive = people.death == NO_DAY
    abroad = people.emigration != NO_DAY
    jobs = chunk.jobs
    at_security = (jobs.employer >= 0) & security_employer[np.maximum(jobs.employer, 0)]
    served = np.zeros(n, dtype=bool)
    served[jobs.person[at_security]] = True
    on_list = np.zeros(n, dtype=bool)
    on_list[listed] = True
    little = (
        (np.bincount(jobs.person, minlength=n) == 0)
        & (np.bincount(chunk.residences.person, minlength=n) <= 2)
        & (np.bincount(chunk.education.person, minlength=n) <= 2)
    )
    home = adult & alive & ~abroad
    return {
        "alive": np.flatnonzero(adult & alive & ~served),
        "exiled": np.flatnonzero(adult & alive & abroad & ~served),
        "dead": np.flatnonzero(adult & ~alive & ~abroad & ~served),
        "service": np.flatnonzero(home & served & ~on_list),
        "listed": np.flatnonzero(home & on_list),
        "bare": np.flatnonzero(home & little),
    }


@dataclass
class _Entry:
    kind: str
    who: Story  # whose identity is claimed
    story: Story  # the story told
    mistakes: HonestMistakes


class _Picker:
    """Hands out real people pool by pool, each person at most once."""

    def __init__(self, real: dict[str, list[Story]], rnd: random.Random) -> None:
        self.pools: dict[str, list[Story]] = {}
        for pool in POOLS:
            stories = sorted(real.get(pool, []), key=lambda s: s.identity.person_id)
            rnd.shuffle(stories)
            self.pools[pool] = stories
        self.used: set[int] = set()

    def take(self, pool: str, n: int, first: Sequence[Any] = ()) -> list[Story]:
        """`n` people of `pool` (or fewer), starting with one matching each of `first`."""
        free = [s for s in self.pools[pool] if s.identity.person_id not in self.used]
        chosen: list[Story] = []
        for wanted in first:
            match = next((s for s in free if wanted(s) and s not in chosen), None)
            if match is not None and len(chosen) < n:
                chosen.append(match)
        chosen += [s for s in free if s not in chosen][: n - len(chosen)]
        self.used.update(s.identity.person_id for s in chosen)
        return chosen


@dataclass
class Cohort:
    """Builds dossiers and their truth from real and invented stories."""

    plan: CohortPlan
    seed: int
    submitted: dt.date
    mistakes: HonestMistakes = field(default_factory=HonestMistakes)
    dossiers: list[dict[str, Any]] = field(default_factory=list)
    truth: list[tuple[str, str, int]] = field(default_factory=list)

    def build(
        self,
        real: dict[str, list[Story]],
        invented: list[Story],
        listings: dict[int, Listing] | None = None,
    ) -> None:
        rnd = random.Random(self.seed)
        plan, today, honest = self.plan, self.submitted, self.mistakes
        listings = listings or {}
        picker = _Picker(real, rnd)
        f, t, d = plan["fabricated"], plan["thin"], plan.donors
        fabricated, thin = invented[:f], invented[f : f + t]
        donors = invented[f + t : f + t + d]
        bank = attacks.Bank(invented[f + t + d :], rnd)
        entries: list[_Entry] = []
        missing = 0

        def take(kind: str, first: Sequence[Any] = ()) -> list[Story]:
            nonlocal missing
            chosen = picker.take(POOL_OF[kind], plan[kind], first)
            missing += plan[kind] - len(chosen)
            return chosen

        # The rarer people first; a kind short of people leaves its places to genuine ones.
        def listing(s: Story) -> Listing:
            return listings.get(s.identity.person_id, Listing(False, False))

        watched = take(
            "watchlisted", (lambda s: listing(s).year_only, lambda s: listing(s).latin_only)
        )
        for n, s in enumerate(watched):
            entries.append(
                _Entry("watchlisted", s, attacks.without_service(s) if n % 2 else s, honest)
            )
        for s in take("hidden_service"):
            entries.append(_Entry("hidden_service", s, attacks.without_service(s), honest))
        for s in take("stretched_cover"):
            entries.append(
                _Entry("stretched_cover", s, attacks.stretched_cover(s, bank, rnd), NONE)
            )
        for kind, end in (("exile_identity", "emigrated"), ("dead_identity", "died")):
            for s in take(kind):
                left = getattr(s.identity, end) or today
                entries.append(_Entry(kind, s, attacks.continued(s, left, bank, rnd, today), NONE))
        for s in take("invented_career"):
            story = attacks.invented_career(s, bank, rnd, today)
            entries.append(_Entry("invented_career", s, story, NONE))
        genuine = picker.take("alive", plan["genuine"] + missing)
        borrowed = picker.take("alive", plan["borrowed"])
        if len(genuine) + len(borrowed) < plan["genuine"] + missing + plan["borrowed"]:
            raise ValueError("too few real people for the cohort")
        entries += [_Entry("genuine", s, s, honest) for s in genuine]
        entries += [_Entry("fabricated", s, s, NONE) for s in fabricated]
        entries += [
            _Entry("borrowed", s, self._donor(s, donors, rnd, today), NONE) for s in borrowed
        ]
        entries += [_Entry("thin", s, self._donor(s, donors, rnd, today), NONE) for s in thin]
        rnd.shuffle(entries)
        earlier = rnd.sample(entries, min(plan["repeat"], len(entries)))
        for first in earlier:
            again = _Entry("repeat", first.who, attacks.retold(first.story, rnd), first.mistakes)
            at = next(i for i, e in enumerate(entries) if e is first)
            entries.insert(rnd.randint(at + 1, len(entries)), again)
        for number, entry in enumerate(entries, start=1):
            dossier_id = f"D{number:06d}"
            identity = entry.who.identity
            self.dossiers.append(
                write_dossier(dossier_id, identity, entry.story, rnd, entry.mistakes, today)
            )
            self.truth.append((dossier_id, entry.kind, identity.person_id))

    @staticmethod
    def _donor(who: Story, donors: list[Story], rnd: random.Random, today: dt.date) -> Story:
        """Someone else's story, from a person born within a few years of `who`, moved in time
        by the difference of their birth dates (no home, school or job before birth)."""
        if not donors:
            return Story(who.identity)
        born = who.identity.birth_date
        close = [d for d in donors if abs((d.identity.birth_date - born).days) < 4 * 365]
        pick = rnd.choice(close or donors)
        donors.remove(pick)
        return attacks.shifted(pick, born, today)
