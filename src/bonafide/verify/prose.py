"""Words, made at the edge from the facts verification found: each claim's reason, each
signal's meaning, and the questions for the checkpoint. Nothing is parsed back out of words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bonafide.verify.claims import Basis, ClaimResult, ClaimVerdict, Evidence, Role
from bonafide.verify.identity import DocumentCheck
from bonafide.verify.kinds import ClaimKind, spec_of
from bonafide.verify.life import Ending, LifeEnd
from bonafide.verify.signals import Signal, SignalCode
from bonafide.verify.when import Span

__all__ = ["claim_reason", "questions", "record_place", "signal_text"]

Record = dict[str, Any]


def _years(span: Span | None, open_end: bool = False) -> str:
    if span is None:
        return "?"
    if open_end:
        return f"{span.first.year}–now"
    if span.first.year == span.last.year:
        return str(span.first.year)
    return f"{span.first.year}–{span.last.year}"


def record_place(kind: ClaimKind, record: Record) -> str:
    """Where a record (or a residence claim) is: the settlement, street and house; the
    institution; the employer."""
    if kind is ClaimKind.RESIDENCE:
        street = " ".join(str(record[k]) for k in ("street", "house") if record.get(k))
        return ", ".join(p for p in (str(record.get("settlement") or "?"), street) if p)
    return str(record.get(spec_of(kind).place) or "?")


def _claimed_place(result: ClaimResult) -> str:
    if result.kind is ClaimKind.RESIDENCE:
        return record_place(ClaimKind.RESIDENCE, result.claim.entry)
    return result.claim.place


def _record_text(kind: ClaimKind, evidence: Evidence) -> str:
    spec = spec_of(kind)
    open_end = evidence.record.get(spec.record_to) is None
    return f"{spec.did} {spec.at} {record_place(kind, evidence.record)} " + _years(
        evidence.span, open_end
    )


def _ending(end: LifeEnd) -> str:
    if end.ending is Ending.DIED:
        return f"the {end.registry} registry records this person's death on {end.day.isoformat()}"
    return (
        "the residence registry shows this person deregistered on leaving the country on "
        f"{end.day.isoformat()}"
    )


def _claimed_years(result: ClaimResult) -> str:
    span = result.claim.span
    open_end = span is not None and result.claim.entry.get("to") in (None, "")
    return _years(span, open_end)


def claim_reason(result: ClaimResult) -> str:
    kind, basis = result.kind, result.basis
    spec = spec_of(kind)
    shown = [e for e in result.evidence if e.role is not Role.ENDS_LIFE]
    strongest = shown[-1] if shown else None
    claimed = f"{_claimed_place(result)} {_claimed_years(result)}"
    if basis is Basis.IDENTITY_NOT_FOUND:
        return "the identity was not found, so no registry record can be tied to it"
    if basis is Basis.NO_RECORDS:
        return f"no {spec.registry.value} record for anyone matching this person"
    if basis is Basis.NO_RECORD_FOR_TIME:
        return (
            f"the {spec.registry.value} registry has no record of this person for "
            f"{_claimed_years(result)}"
        )
    if basis in (Basis.AFTER_DEATH, Basis.AFTER_EMIGRATION) and result.life_end is not None:
        return f"{_ending(result.life_end)}; claimed: {claimed}"
    assert strongest is not None
    registry = f"registry: {_record_text(kind, strongest)}"
    if basis in (Basis.COVERED, Basis.PLACE_ONLY):
        return registry
    if basis is Basis.ELSEWHERE:
        return f"{registry}, not {claimed}"
    covered = f" (the records cover {result.covered:.0%} of it)" if result.covered else ""
    if basis is Basis.UNREGISTERED_SINCE:
        covered += "; registered nowhere since"
    return f"{registry}, not {_claimed_years(result)}{covered}"


def _when(facts: dict[str, Any]) -> str:
    first, last = facts.get("from"), facts.get("to")
    if first is None:
        return "at an unknown time"
    return f"{first}–{last if last is not None else 'now'}"


def signal_text(signal: Signal) -> str:
    f = signal.facts
    code = signal.code
    if code is SignalCode.IDENTITY_NOT_FOUND:
        return (
            "no identity record matches this name and birth date; the identity registry holds "
            "the passports of nearly every adult"
        )
    if code is SignalCode.RECENT_IDENTITY:
        since = (
            f"; the claimed history goes back to {f['claimed_since']}"
            if f.get("claimed_since")
            else ""
        )
        created = f["first_created"]
        day = created.isoformat() if isinstance(created, dt.date) else str(created)
        return (
            f"the first identity record was created on {day}{since}; {_share(signal)} of "
            f"people born {f['cohort']}–{f['cohort'] + 4} have a first record this recent"
        )
    if code is SignalCode.THIN_HISTORY:
        return (
            f"{f['records']} residence, education and employment records in all; at most "
            f"{_share(signal, 0)} of people born {f['cohort']}–{f['cohort'] + 4} have this few"
        )
    if code is SignalCode.RECORDED_DEAD:
        day = f["died_on"]
        shown = day.isoformat() if isinstance(day, dt.date) else str(day)
        return f"the {f['registry']} registry records this person's death on {shown}"
    if code in (SignalCode.WATCHLIST, SignalCode.POSSIBLE_WATCHLIST):
        born = f" born {f['birth_date']}" if f.get("birth_date") else ""
        return (
            f"{f.get('match', 'on the watchlist')}: {f.get('name') or 'a listed person'}{born}, "
            f"{f.get('role') or 'staff'}, {f.get('organisation') or 'organisation unknown'}"
        )
    if code is SignalCode.EARLIER_APPLICANT:
        return (
            f"an earlier applicant ({f['dossier']}) shares this {f['shared']} with another "
            f"{f['differs']}"
        )
    if code is SignalCode.REPEAT_APPLICANT:
        verdict = f", verdict {f['verdict']}" if f.get("verdict") else ""
        when = f" on {str(f['verified_at'])[:10]}" if f.get("verified_at") else ""
        return f"another application under the same name: dossier {f['dossier']}{when}{verdict}"
    if code is SignalCode.UNCLAIMED_SERVICE:
        stretched = (
            "; other claims stretch over those years"
            if f.get("covered_by_other_claims", 0) > 0.5
            else ""
        )
        return (
            f"the employment registry has this person at {f['place']} ({_sector(f)}) "
            f"{_when(f)}; the story leaves it out{stretched}"
        )
    if code is SignalCode.DECLARED_SERVICE:
        return f"the story names service at {f['employer']} ({_sector(f)})"
    if code is SignalCode.UNCLAIMED_YEARS:
        verb = "lived in" if f["kind"] == ClaimKind.RESIDENCE.value else "worked at"
        return (
            f"the registry has this person {verb} {f['place']} {_when(f)}, about {f['years']} "
            "years the story does not account for"
        )
    if code is SignalCode.BEFORE_BIRTH:
        return (
            f"{f['kind']} {f['position'] + 1} ({f['place']}) begins {f['from']}, before the "
            f"birth in {f['born']}"
        )
    if code is SignalCode.TOO_YOUNG:
        return (
            f"{f['kind']} {f['position'] + 1} ({f['place']}) begins {f['from']}, at the age of "
            f"{f['age']}; {f['what']} begins at {f['youngest']} or later"
        )
    if code is SignalCode.OVERLAPPING_JOBS:
        return (
            f"two jobs at once in different towns, {f['from']}–{f['to']}: "
            f"{f['first']['place']} ({f['first']['settlement']}) and "
            f"{f['second']['place']} ({f['second']['settlement']})"
        )
    if code is SignalCode.UNKNOWN_TO_REGISTRY:
        what = (
            f"holds no {f['kind']} record for this person at all"
            if f["knows_nothing"]
            else "holds none of the claimed stays"
        )
        return (
            f"the {f['registry']} registry, which covers {f['coverage']:.0%} of people born "
            f"that year, {what}; {f['claims']} claimed"
        )
    return code.value  # pragma: no cover - every code has words above


def _sector(facts: dict[str, Any]) -> str:
    return str(facts.get("sector", "service")).replace("_", " ")


def _share(signal: Signal, digits: int = 1) -> str:
    rate = signal.base_rate or 0.0
    return f"{rate:.{digits}%}"


def _pronouns(sex: object) -> tuple[str, str, str]:
    return {
        "m": ("he", "his", "him"),
        "f": ("she", "her", "her"),
    }.get(str(sex), ("they", "their", "them"))


def _claim_question(result: ClaimResult, they: str) -> str:
    spec = spec_of(result.kind)
    topic = spec.asked.format(they=they)
    years = _claimed_years(result)
    claimed = _claimed_place(result)
    if result.basis in (Basis.AFTER_DEATH, Basis.AFTER_EMIGRATION) and result.life_end:
        return (
            f"Ask {topic} in {years}: {_ending(result.life_end)}; {they} claimed "
            f"{spec.did} {spec.at} {claimed} until {years.split('–')[-1]}."
        )
    registry = "; ".join(
        _record_text(result.kind, e) for e in result.evidence if e.role is Role.CONTRADICTS
    )
    if result.basis in (Basis.ENDED_EARLIER, Basis.UNREGISTERED_SINCE, Basis.OTHER_TIME):
        # the right place: what differs is the time
        since = "; registered nowhere since" if result.basis is Basis.UNREGISTERED_SINCE else ""
        return (
            f"Ask {topic} in {years}: the registry says {they} {registry} only{since}; "
            f"{they} claimed {years}."
        )
    return f"Ask {topic} in {years}: the registry says {they} {registry}; {they} claimed {claimed}."


def _signal_question(signal: Signal, they: str, their: str, them: str) -> str | None:
    code, f = signal.code, signal.facts
    text = signal.text
    asked = {
        SignalCode.IDENTITY_NOT_FOUND: (
            f"Check {their} passport closely and ask where it was issued: no identity record "
            "matches the name and birth date given."
        ),
        SignalCode.RECENT_IDENTITY: (
            f"Ask for {their} earlier documents and where {they} lived before the passport "
            f"was issued: {text}."
        ),
        SignalCode.THIN_HISTORY: (
            f"Ask detailed questions about {their} school, home street and first job: "
            f"the registries hold little about {them} ({text})."
        ),
        SignalCode.RECORDED_DEAD: (
            f"Check {their} passport and ask for proof of identity from another source: {text}."
        ),
        SignalCode.WATCHLIST: f"Ask about {their} service: {text}.",
        SignalCode.POSSIBLE_WATCHLIST: (
            f"Ask whether {they} served in the security services, and check {their} documents "
            f"for another surname or birth date: the watchlist may name {them} ({text})."
        ),
        SignalCode.EARLIER_APPLICANT: (
            f"Ask whether {they} applied before under another name: {text}."
        ),
        SignalCode.REPEAT_APPLICANT: (
            f"Ask about {their} other application and what changed between them: {text}."
        ),
        SignalCode.UNCLAIMED_SERVICE: (
            f"Ask about {their} years at {f.get('place')} ({_when(f)}): {text}."
        ),
        SignalCode.DECLARED_SERVICE: (
            f"Ask about {their} service at {f.get('employer')}: unit, rank, duties, and when "
            f"and why {they} left."
        ),
        SignalCode.UNCLAIMED_YEARS: f"Ask what {they} did in {_when(f)}: {text}.",
        SignalCode.BEFORE_BIRTH: f"Ask {them} to explain the dates: {text}.",
        SignalCode.TOO_YOUNG: f"Ask {them} to explain the dates: {text}.",
        SignalCode.OVERLAPPING_JOBS: f"Ask how {they} held both jobs: {text}.",
        SignalCode.UNKNOWN_TO_REGISTRY: (
            f"Ask for details the registry would hold (addresses, managers, colleagues, "
            f"dates) of each claimed {f.get('kind')}: {text}."
        ),
    }
    return asked.get(code)


def questions(
    sex: object,
    claims: list[ClaimResult],
    signals: list[Signal],
    documents: list[DocumentCheck],
) -> list[str]:
    """Concrete questions for the checkpoint: what to ask and what the registry says."""
    they, their, them = _pronouns(sex)
    asked = [
        _claim_question(claim, they)
        for claim in claims
        if claim.verdict is ClaimVerdict.CONTRADICTED
    ]
    for signal in signals:
        question = _signal_question(signal, they, their, them)
        if question is not None:
            asked.append(question)
    for check in documents:
        for problem in check.problems:
            asked.append(f"Check the {check.document.replace('_', ' ')}: {problem}.")
    return asked
