"""Verifying a dossier: the identity, the documents, every claim, the signals, the verdict.

`Verifier.open(vault)` reads the person index, the persons' histories and the base rates
written by `bonafide registry resolve`; `verify(dossier)` returns a `DossierReport`. Nothing here
logs a name, number or place: logs carry codes and counts only.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from bonafide.cases import CaseStore
from bonafide.dossier import dossier_problems
from bonafide.errors import InputError
from bonafide.persons.baselines import Baselines
from bonafide.persons.files import PersonFiles
from bonafide.persons.histories import Histories
from bonafide.persons.index import PersonIndex
from bonafide.persons.match import Matcher
from bonafide.registry.schema import Kind
from bonafide.vault import Vault
from bonafide.verify.claims import ClaimKind, ClaimResult, ClaimVerdict, check_claim
from bonafide.verify.earlier import EarlierApplicants
from bonafide.verify.identity import (
    CANDIDATES,
    DocumentCheck,
    IdentityResult,
    IdentityStatus,
    birth_date_of,
    check_documents,
    identity_from,
    identity_queries,
)
from bonafide.verify.signals import Signal, earlier_signals, history_signals, not_found_signal
from bonafide.verify.verdict import Overall, overall, questions
from bonafide.verify.when import parse_when

__all__ = ["DossierReport", "Verifier"]

log = logging.getLogger(__name__)
_CLAIM_LISTS = {
    ClaimKind.RESIDENCE: ("residences", Kind.RESIDENCE),
    ClaimKind.EDUCATION: ("education", Kind.EDUCATION),
    ClaimKind.EMPLOYMENT: ("employment", Kind.EMPLOYMENT),
}


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
            "identity": self.identity.to_json(),
            "documents": [d.to_json() for d in self.documents],
            "claim_counts": counts,
            "claims": [c.to_json() for c in self.claims],
            "signals": [s.to_json() for s in self.signals],
            "questions": self.questions,
        }


def _earliest_claim(dossier: dict[str, Any]) -> dt.date | None:
    starts = []
    for key, _ in _CLAIM_LISTS.values():
        for entry in dossier.get(key) or []:
            try:
                span = parse_when(entry.get("from"))
            except ValueError:
                continue
            if span is not None:
                starts.append(span.first)
    return min(starts) if starts else None


def _beyond_schema(dossier: object) -> list[str]:
    """What the schema cannot say: a submission day that does not exist, a name of spaces."""
    assert isinstance(dossier, dict)
    problems = []
    submitted = dossier.get("submitted")
    if submitted is not None:
        try:
            dt.date.fromisoformat(str(submitted))
        except ValueError:
            problems.append(f"submitted: {str(submitted)[:40]!r} is not a day (YYYY-MM-DD)")
    identity = dossier.get("identity") or {}
    names = [identity.get(f) for f in ("surname", "given_name", "full_name")]
    if not any(isinstance(n, str) and n.strip() for n in names):
        problems.append("identity/surname: the name is blank")
    return problems


class Verifier:
    """Verifies dossiers against the resolved registries in a data directory."""

    def __init__(
        self,
        matcher: Matcher,
        histories: Histories,
        baselines: Baselines,
        cases: CaseStore,
        remember: bool = True,
    ) -> None:
        self.matcher = matcher
        self.histories = histories
        self.baselines = baselines
        self.cases = cases
        self.earlier = EarlierApplicants(cases) if remember else None

    @classmethod
    def open(cls, vault: Vault, remember: bool = True) -> Verifier:
        """Every report is kept in the case store; `remember`: also each verified dossier's
        keyed hashes, to catch a second application under another name."""
        index, histories, baselines = PersonFiles(vault).read_current(
            lambda g: (PersonIndex.open_generation(g), Histories.open(g), Baselines.load(g))
        )
        return cls(Matcher(index), histories, baselines, CaseStore.open(vault), remember)

    def close(self) -> None:
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
        results: list[DossierReport | InputError] = []
        valid: list[tuple[int, dict[str, Any]]] = []
        for position, (dossier, source) in enumerate(zip(dossiers, names, strict=True)):
            problems = dossier_problems(dossier) or _beyond_schema(dossier)
            if problems:
                shown = "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
                results.append(
                    InputError(
                        f"{source}: {len(problems)} problem(s): {shown}",
                        hint="see docs/formats.md#the-dossier for the dossier format",
                    )
                )
            else:
                assert isinstance(dossier, dict)
                valid.append((position, dossier))
                results.append(InputError(f"{source}: not verified"))  # replaced below
        queries = [identity_queries(d["identity"]) for _, d in valid]
        found = self.matcher.match_many([q for qs in queries for q in qs], limit=CANDIDATES)
        start = 0
        for (position, dossier), asked in zip(valid, queries, strict=True):
            candidates = [c for cs in found[start : start + len(asked)] for c in cs]
            start += len(asked)
            results[position] = self._report(dossier, identity_from(candidates))
        for result in results:
            if isinstance(result, DossierReport):
                self.cases.keep(result.dossier_id, result.to_json())
        self.cases.commit()
        return results

    def _report(self, dossier: dict[str, Any], identity: IdentityResult) -> DossierReport:
        identity_claim: dict[str, Any] = dossier["identity"]
        today = (
            dt.date.fromisoformat(dossier["submitted"])
            if dossier.get("submitted")
            else self.baselines.date
        )
        person = identity.person_id if identity.status is not IdentityStatus.NOT_FOUND else None
        identity_records = (
            self.histories.of(Kind.IDENTITY, person).to_pylist() if person is not None else []
        )
        documents = check_documents(identity_claim, identity_records)
        born = birth_date_of(identity_claim)
        birth_year = born.year if born else None
        claims = []
        history_size = 0
        for claim_kind, (key, kind) in _CLAIM_LISTS.items():
            records = self.histories.of(kind, person).to_pylist() if person is not None else []
            history_size += len(records)
            coverage = self.baselines.coverage_of(kind.value, birth_year)
            for position, entry in enumerate(dossier.get(key) or []):
                if person is None:
                    claims.append(
                        ClaimResult(
                            claim_kind,
                            position,
                            entry,
                            ClaimVerdict.UNVERIFIABLE,
                            0.5,
                            "the identity was not found, so no registry record can be tied to it",
                        )
                    )
                else:
                    claims.append(
                        check_claim(claim_kind, position, entry, records, today, coverage)
                    )
        signals: list[Signal] = []
        if identity.status is IdentityStatus.NOT_FOUND:
            signals.append(not_found_signal())
        else:
            created = [r["record_created"] for r in identity_records if r.get("record_created")]
            watchlist = self.histories.of(Kind.WATCHLIST, person).to_pylist() if person else []
            signals += history_signals(
                self.baselines,
                birth_year,
                min(created) if created else None,
                _earliest_claim(dossier),
                history_size,
                watchlist,
            )
        if self.earlier is not None:
            dossier_id = str(dossier["dossier_id"])
            signals += earlier_signals(self.earlier.matches(dossier_id, identity_claim, person))
            self.earlier.remember(dossier_id, identity_claim, person)
        verdict = overall(identity, documents, claims, signals)
        log.info(
            "verify verdict=%s claims=%d signals=%d",
            verdict.verdict.value,
            len(claims),
            len(signals),
        )
        return DossierReport(
            dossier_id=str(dossier["dossier_id"]),
            identity=identity,
            documents=documents,
            claims=claims,
            signals=signals,
            overall=verdict,
            questions=questions(identity_claim.get("sex"), claims, signals, documents),
            claimed=identity_claim,
        )
