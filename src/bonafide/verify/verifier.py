"""Verifying a dossier: the identity, the documents, every claim, the signals, the verdict.

`Verifier.open(vault)` reads the person index, the persons' histories and the base rates
written by `bonafide registry resolve`; `verify(dossier)` returns a `DossierReport`. Nothing here
logs a name, number or place: logs carry codes and counts only.
"""

from __future__ import annotations

import logging
import math
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from typing import Any

from bonafide.cases import CaseStore
from bonafide.errors import InputError
from bonafide.forking import can_fork, forked_pool
from bonafide.heap import collector_paused
from bonafide.persons.baselines import Baselines
from bonafide.persons.files import PersonFiles
from bonafide.persons.histories import Histories
from bonafide.persons.index import PersonIndex
from bonafide.persons.match import MatchCandidate, Matcher
from bonafide.reference.security import security_service_of
from bonafide.registry.schema import Kind
from bonafide.vault import Vault
from bonafide.verify.absence import absence_signals
from bonafide.verify.claims import (
    Basis,
    ClaimKind,
    ClaimResult,
    ClaimVerdict,
    check_claim,
    unverifiable,
)
from bonafide.verify.dossier import Dossier, dossier_problems_of, parse_dossier
from bonafide.verify.earlier import ApplicantKeys, EarlierApplicants, EarlierMatch
from bonafide.verify.identity import (
    CANDIDATES,
    FIRST_CANDIDATES,
    DocumentCheck,
    IdentityResult,
    IdentityStatus,
    check_documents,
    identity_from,
    identity_queries,
    settled,
)
from bonafide.verify.kinds import KIND_SPECS
from bonafide.verify.life import Ending, life_end
from bonafide.verify.plausibility import plausibility_signals
from bonafide.verify.prose import questions
from bonafide.verify.signals import Signal, SignalCode, history_signals, not_found_signal
from bonafide.verify.story import story_signals
from bonafide.verify.verdict import Overall, overall
from bonafide.verify.watchlist import WatchlistHit, WatchlistScreen, same_organisation

__all__ = ["DossierReport", "Verifier"]

log = logging.getLogger(__name__)
WATCHLIST_SHOWN = 3
EARLIER_APPLICANT = 4.0
REPEAT_APPLICANT = 1.0  # the office wants to know; a second try is no lie in itself
RECORDED_DEAD = 6.0
WATCHLIST = 5.0
POSSIBLE_WATCHLIST = 1.0  # a weaker hit: asked about; namesakes grow with the population
DECISIVE_STRENGTH = 0.9  # the whole name and the birth date as far as the entry gives it
SERVED_STRENGTH = 0.55  # enough, with the listed service in the person's work
# shares sent to the workers shrink as a batch goes (a half of what is left for each worker,
# never fewer than SHARE_AT_LEAST dossiers): the first are large, their identities looked up
# in one pass; the last are small, so the workers stay busy to the end and the parent, which
# concludes the dossiers in order, has little left to conclude once they finish
SHARE_AT_LEAST = 16
# a smaller batch is examined in this process: sending it out would cost more than it saves
SMALLEST_SHARED_BATCH = 128


@dataclass
class DossierReport:
    dossier_id: str
    identity: IdentityResult
    documents: list[DocumentCheck]
    claims: list[ClaimResult]
    signals: list[Signal]
    overall: Overall
    questions: list[str]
    claimed: dict[str, Any] = field(default_factory=dict)  # the dossier's identity, as given

    @property
    def verdict(self) -> str:
        return self.overall.verdict.value

    def to_json(self) -> dict[str, Any]:
        counts = {v.value: 0 for v in ClaimVerdict}
        for claim in self.claims:
            counts[claim.verdict.value] += 1
        return {
            "dossier_id": self.dossier_id,
            "verdict": self.verdict,
            "score": self.overall.score,
            "probability_inconsistent": round(self.overall.probability, 4),
            "drivers": self.overall.drivers,
            "flagged_by": self.overall.flagged_by,
            "identity": self.identity.to_json(),
            "documents": [d.to_json() for d in self.documents],
            "claim_counts": counts,
            "claims": [c.to_json() for c in self.claims],
            "signals": [s.to_json() for s in self.signals],
            "questions": self.questions,
        }


@dataclass
class _Examined:
    """What a dossier's examination found before the earlier applicants are consulted: all of
    it reads only the resolved registries, so it can be done in any process, in any order."""

    dossier: Dossier
    identity: IdentityResult
    person: int | None
    documents: list[DocumentCheck]
    claims: list[ClaimResult]
    signals: list[Signal]
    applicant_keys: ApplicantKeys  # what the earlier applicants are searched by (if remembered)


_Examination = _Examined | InputError


def _watchlist_signals(
    linked: list[dict[str, Any]], hits: list[WatchlistHit], organisations: list[str]
) -> list[Signal]:
    """One signal per listed entry the applicant is or may be, strongest first. A hit is
    decisive (it flags, whatever else holds) when linkage tied the entry to this person, when
    the whole name and the birth date agree as far as the entry gives it, or when the entry's
    service is one the person worked at; a weaker hit (a name alone, initials, a part
    misspelt) is a question for the checkpoint, since at millions of people namesakes are
    many."""
    signals = []
    seen: set[str] = set()
    for record in linked:
        key = str(record.get("record_id") or id(record))
        seen.add(key)
        facts = {
            "match": "linked to this person by resolve",
            "name": record.get("full_name")
            or " ".join(str(record[k]) for k in ("surname", "given_name") if record.get(k)),
            "birth_date": record.get("birth_date"),
            "organisation": record.get("organisation"),
            "role": record.get("role"),
            "decisive": True,
        }
        signals.append(Signal(SignalCode.WATCHLIST, WATCHLIST, facts))
    for hit in sorted(hits, key=lambda h: -h.strength):
        entry = hit.entry
        if str(entry.record_id) in seen:
            continue
        seen.add(str(entry.record_id))
        served = bool(entry.organisation) and any(
            same_organisation(str(entry.organisation), o) for o in organisations
        )
        decisive = hit.strength >= DECISIVE_STRENGTH or (served and hit.strength >= SERVED_STRENGTH)
        facts = {
            "match": f"screened: name {hit.name.value.replace('_', ' ')}, birth date "
            + hit.birth.value.replace("_", " ")
            + ("; the person worked at the listed service" if served else ""),
            "name": entry.name,
            "birth_date": entry.birth_text,
            "organisation": entry.organisation,
            "role": entry.role,
            "strength": round(hit.strength, 3),
            "decisive": decisive,
        }
        signals.append(
            Signal(SignalCode.WATCHLIST, WATCHLIST, facts)
            if decisive
            else Signal(SignalCode.POSSIBLE_WATCHLIST, POSSIBLE_WATCHLIST, facts)
        )
    signals.sort(key=lambda s: -s.weight)
    return signals[:WATCHLIST_SHOWN]


def _earlier_signals(matches: list[EarlierMatch]) -> list[Signal]:
    signals = []
    for match in matches:
        facts = {
            "dossier": match.dossier_id,
            "shared": match.shared,
            "differs": match.differs,
            "verdict": match.verdict,
            "verified_at": match.verified_at,
        }
        if match.differs is None:
            signals.append(Signal(SignalCode.REPEAT_APPLICANT, REPEAT_APPLICANT, facts))
        else:
            signals.append(Signal(SignalCode.EARLIER_APPLICANT, EARLIER_APPLICANT, facts))
    return signals


class Verifier:
    """Verifies dossiers against the resolved registries in a data directory.

    With `workers` above one, a batch's dossiers are examined by that many forked processes
    (the index and histories shared with them, copy on write) while this one consults the
    earlier applicants, concludes and keeps each report in the batch's order: the reports are
    those one process would give."""

    def __init__(
        self,
        matcher: Matcher,
        histories: Histories,
        baselines: Baselines,
        cases: CaseStore,
        remember: bool = True,
        watchlist: WatchlistScreen | None = None,
        workers: int = 1,
    ) -> None:
        self.matcher = matcher
        self.histories = histories
        self.baselines = baselines
        self.cases = cases
        self.earlier = EarlierApplicants(cases) if remember else None
        self.watchlist = watchlist
        self.workers = workers if can_fork() else 1
        self._pool: Pool | None = None

    @classmethod
    def open(
        cls,
        vault: Vault,
        remember: bool = True,
        cases: CaseStore | None = None,
        workers: int = 1,
    ) -> Verifier:
        """Every report is kept in the case store (`cases`, or one opened for the verifier);
        `remember`: also each verified dossier's keyed hashes, to catch a second application
        under the same or another name; `workers`: processes examining a batch's dossiers."""
        index, histories, baselines, watchlist = PersonFiles(vault).read_current(
            lambda g: (
                PersonIndex.open_generation(g),
                Histories.open(g),
                Baselines.load(g),
                WatchlistScreen.open(g),
            )
        )
        store = cases if cases is not None else CaseStore.open(vault)
        return cls(Matcher(index), histories, baselines, store, remember, watchlist, workers)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        self.cases.close()

    def verify(self, dossier: object, source: str = "dossier") -> DossierReport:
        """The report on one dossier; an InputError naming every problem if it is malformed."""
        result = self.verify_many([dossier], [source])[0]
        if isinstance(result, InputError):
            raise result
        return result

    def verify_many(
        self, dossiers: list[object], sources: list[str] | None = None
    ) -> list[DossierReport | InputError]:
        """Reports on many dossiers, their identities looked up in one pass; a malformed
        dossier gets an InputError in its place and does not stop the others."""
        names = sources or [f"dossier {n}" for n in range(1, len(dossiers) + 1)]
        given = list(zip(dossiers, names, strict=True))
        if len(given) < SMALLEST_SHARED_BATCH:
            return self._verified(given)
        # the names, records and reports met will mostly live on (`collector_paused`): in
        # this process, while two workers examined, unpickling their examinations took
        # 0.52 s of its 2.26 s of CPU, and 0.31 s with the collector paused (docs/benchmarks.md)
        with collector_paused():
            return self._verified(given)

    def _verified(self, given: list[tuple[object, str]]) -> list[DossierReport | InputError]:
        results: list[DossierReport | InputError] = []
        for examined in self._examinations(given):
            if isinstance(examined, InputError):
                results.append(examined)
                continue
            report = self._concluded(examined)
            # kept at once, so a later dossier of the batch finds it as an earlier applicant
            self.cases.keep(report.dossier_id, report.to_json())
            results.append(report)
        self.cases.commit()
        return results

    def _examinations(self, given: list[tuple[object, str]]) -> Iterator[_Examination]:
        """Each dossier examined, in the order given: here, or in shares by the workers."""
        if self.workers <= 1 or len(given) < SMALLEST_SHARED_BATCH:
            yield from self._examined(given)
            return
        for examined in self._workers().imap(_examine_sent, shares_of(given, self.workers)):
            yield from examined

    def _workers(self) -> Pool:
        if self._pool is None:
            # forked once, when the first large batch comes: the workers inherit the opened
            # index and histories instead of reading and decrypting them again
            self._pool = forked_pool(self.workers, _examine_here, (self,))
        return self._pool

    def _examined(self, given: list[tuple[object, str]]) -> list[_Examination]:
        """Dossiers parsed and examined, their identities looked up in one pass."""
        examinations: list[_Examination] = []
        valid: list[tuple[int, Dossier]] = []
        for position, (dossier, source) in enumerate(given):
            problems = dossier_problems_of(dossier)
            parsed = None
            if not problems:
                assert isinstance(dossier, dict)
                parsed, problems = parse_dossier(dossier, self.baselines.date)
            if parsed is None:
                shown = "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
                examinations.append(
                    InputError(
                        f"{source}: {len(problems)} problem(s): {shown}",
                        hint="see docs/formats.md#the-dossier for the dossier format",
                    )
                )
            else:
                valid.append((position, parsed))
                examinations.append(InputError(f"{source}: not verified"))  # replaced below
        queries = [identity_queries(d.identity) for _, d in valid]
        asked_all = [q for qs in queries for q in qs]
        found = self._looked_up(asked_all)
        start = 0
        for (position, parsed), asked in zip(valid, queries, strict=True):
            candidates = [c for cs in found[start : start + len(asked)] for c in cs]
            start += len(asked)
            examinations[position] = self._examine(parsed, identity_from(candidates))
        return examinations

    def _looked_up(self, asked: list[dict[str, str]]) -> list[list[MatchCandidate]]:
        """Each identity query's best persons: against its first candidates, and again against
        all the matcher scores where those leave it unsettled."""
        if not asked:
            return []
        first = self.matcher.with_limit(min(FIRST_CANDIDATES, self.matcher.candidate_limit))
        found = first.match_many(asked, limit=CANDIDATES)
        unsure = [i for i, candidates in enumerate(found) if not settled(candidates)]
        if unsure and first.candidate_limit < self.matcher.candidate_limit:
            again = self.matcher.match_many([asked[i] for i in unsure], limit=CANDIDATES)
            for i, candidates in zip(unsure, again, strict=True):
                found[i] = candidates
        return found

    def _records(self, kind: Kind, person: int | None) -> list[dict[str, Any]]:
        return self.histories.records(kind, person) if person is not None else []

    def _examine(self, dossier: Dossier, identity: IdentityResult) -> _Examined:
        person = identity.person_id if identity.status is not IdentityStatus.NOT_FOUND else None
        identity_records = self._records(Kind.IDENTITY, person)
        documents = check_documents(dossier.identity, identity_records)
        records = {kind: self._records(spec.registry, person) for kind, spec in KIND_SPECS.items()}
        end = life_end(identity_records, records[ClaimKind.RESIDENCE])
        claims = [
            check_claim(claim, records[claim.kind], dossier.today, end)
            if person is not None
            else unverifiable(claim, Basis.IDENTITY_NOT_FOUND)
            for claim in dossier.claims
        ]
        signals: list[Signal] = []
        if identity.status is IdentityStatus.NOT_FOUND:
            signals.append(not_found_signal())
        else:
            created = [r["record_created"] for r in identity_records if r.get("record_created")]
            signals += history_signals(
                self.baselines,
                dossier.birth_year,
                min(created) if created else None,
                dossier.earliest_claim,
                sum(len(r) for r in records.values()),
            )
            if end is not None and end.ending is Ending.DIED:
                signals.append(
                    Signal(
                        SignalCode.RECORDED_DEAD,
                        RECORDED_DEAD,
                        {"died_on": end.day, "registry": end.registry},
                    )
                )
            signals += story_signals(dossier, records)
            coverage = {
                spec.registry.value: self.baselines.coverage_of(
                    spec.registry.value, dossier.birth_year
                )
                for spec in KIND_SPECS.values()
            }
            silence = absence_signals(claims, coverage)
            if any(s.code is SignalCode.THIN_HISTORY for s in signals):
                # a thin history already counts the registries' silence: only a decisive one
                silence = [s for s in silence if s.facts["decisive"]]
            signals += silence
        signals += plausibility_signals(dossier)
        employers = [str(r["employer"]) for r in records[ClaimKind.EMPLOYMENT] if r.get("employer")]
        employers += [c.place for c in dossier.of(ClaimKind.EMPLOYMENT)]
        # a watchlist names services; a civil employer cannot be one of them
        services = [e for e in dict.fromkeys(employers) if security_service_of(e) is not None]
        hits: list[WatchlistHit] = []
        if self.watchlist is not None:
            hits = self.watchlist.screen(dossier.identity)
            hits += self.watchlist.screen_at(dossier.identity, services)
        signals += _watchlist_signals(self._records(Kind.WATCHLIST, person), hits, services)
        for claim in claims:  # the prose and JSON are written by the examiner, not the parent
            claim.to_json()
        keys = self.earlier.keys(dossier.identity, person) if self.earlier is not None else []
        return _Examined(dossier, identity, person, documents, claims, signals, keys)

    def _concluded(self, examined: _Examined) -> DossierReport:
        """The report: the examination, the earlier applicants it recalls, the verdict."""
        dossier, identity = examined.dossier, examined.identity
        documents, claims, signals = examined.documents, examined.claims, list(examined.signals)
        if self.earlier is not None:
            keys = examined.applicant_keys
            signals += _earlier_signals(self.earlier.matches(dossier.dossier_id, keys))
            self.earlier.remember(dossier.dossier_id, keys)
        verdict = overall(identity, documents, claims, signals)
        log.info(
            "verify verdict=%s claims=%d signals=%d",
            verdict.verdict.value,
            len(claims),
            len(signals),
        )
        return DossierReport(
            dossier_id=dossier.dossier_id,
            identity=identity,
            documents=documents,
            claims=claims,
            signals=signals,
            overall=verdict,
            questions=questions(dossier.sex, claims, signals, documents),
            claimed=dossier.identity,
        )


def shares_of(given: list[Any], workers: int) -> list[list[Any]]:
    """`given` in shares for `workers`, in order, shrinking as they go (`SHARE_AT_LEAST`)."""
    shares = []
    at = 0
    while at < len(given):
        size = max(SHARE_AT_LEAST, math.ceil((len(given) - at) / (2 * workers)))
        shares.append(given[at : at + size])
        at += size
    return shares


_EXAMINER: Verifier | None = None


def _examine_here(verifier: Verifier) -> None:
    """A forked worker's start: the verifier it inherited examines what it is sent. Ctrl-C is
    the parent's to handle: it stops the workers (each would otherwise print a traceback)."""
    global _EXAMINER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _EXAMINER = verifier


def _examine_sent(given: list[tuple[object, str]]) -> list[_Examination]:
    assert _EXAMINER is not None
    with collector_paused():  # the names and records met will mostly be met again
        return _EXAMINER._examined(given)
