"""The Rich text report of one verified dossier, and the summary of a verified cohort.

Everything quoted from a dossier or a registry goes into `Text`, never into markup, so a
bracket in a name cannot restyle the report. This module prints for the user; it never logs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from bonafide.verify.claims import ClaimKind, ClaimResult, ClaimVerdict
from bonafide.verify.identity import IdentityResult, IdentityStatus
from bonafide.verify.kinds import spec_of
from bonafide.verify.prose import record_place
from bonafide.verify.verifier import DossierReport

__all__ = ["CohortSummary", "render_report", "render_summary", "weight_chart"]

VERDICT_STYLES = {
    "consistent": "bold green",
    "inconsistent": "bold red",
    "insufficient_evidence": "bold yellow",
}
CLAIM_STYLES = {
    ClaimVerdict.CONFIRMED: "green",
    ClaimVerdict.CONTRADICTED: "red",
    ClaimVerdict.UNVERIFIABLE: "yellow",
}
_IDENTITY_STYLES = {
    IdentityStatus.FOUND: "green",
    IdentityStatus.AMBIGUOUS: "yellow",
    IdentityStatus.NOT_FOUND: "red",
}
_BAR_HALF = 16  # characters each side of the chart's zero line
_SHOWN_RECORDS = 2  # registry records shown beside a claim


def _words(code: str) -> str:
    return code.replace("_", " ")


def _section(title: str) -> RenderableType:
    return Rule(Text(title, style="bold"), align="left", style="dim")


def weight_chart(steps: list[dict[str, Any]]) -> Table:
    """The match-weight waterfall as bars: each part's weight left (against) or right (for) of
    a zero line, then the running total."""
    scale = max((abs(float(s["weight"])) for s in steps), default=1.0) or 1.0
    chart = Table(box=None, padding=(0, 1), show_header=True, header_style="dim")
    chart.add_column("part")
    chart.add_column("level", max_width=24, overflow="ellipsis", no_wrap=True)
    chart.add_column("weight", justify="right")
    chart.add_column("against · for", no_wrap=True)
    chart.add_column("total", justify="right")
    total = 0.0
    for step in steps:
        weight = float(step["weight"])  # term-frequency adjustment included
        total += weight
        length = round(abs(weight) / scale * _BAR_HALF)
        if weight != 0 and length == 0:
            length = 1
        bar = Text()
        if weight < 0:
            bar.append(" " * (_BAR_HALF - length))
            bar.append("█" * length, style="red")
            bar.append("│", style="dim")
        else:
            bar.append(" " * _BAR_HALF)
            bar.append("│", style="dim")
            bar.append("█" * length, style="green")
        chart.add_row(
            str(step["part"]),
            Text(str(step.get("level", ""))),
            f"{weight:+.2f}",
            bar,
            f"{total:+.2f}",
        )
    return chart


def _header(report: DossierReport) -> RenderableType:
    verdict = report.verdict
    line = Text("Dossier ", style="bold")
    line.append(report.dossier_id, style="bold")
    line.append("   ")
    line.append(_words(verdict).upper(), style=VERDICT_STYLES.get(verdict, "bold"))
    line.append(
        f"   score {report.overall.score:+.2f} (P(not as claimed) {report.overall.probability:.0%})"
    )
    if report.overall.flagged_by:
        flagged = ", ".join(_words(code) for code in report.overall.flagged_by)
        line.append(f"\nflagged whatever the score: {flagged}", style="bold red")
    if not report.overall.drivers:
        return line
    drivers = Table(box=None, show_header=False, padding=(0, 1))
    drivers.add_column("number", justify="right", style="dim")
    drivers.add_column("driver")
    for number, driver in enumerate(report.overall.drivers, start=1):
        drivers.add_row(f"{number}.", Text(driver))
    return Group(line, Text("what moved the score most:", style="dim"), drivers)


def _person_line(record: dict[str, Any]) -> Text:
    name = " ".join(
        str(record[f]) for f in ("surname", "given_name", "patronymic") if record.get(f)
    )
    text = Text(name or "(no name)")
    born = str(record.get("birth_date") or "")
    if born:
        # the person index keeps dates as YYYYMMDD
        shown = f"{born[:4]}-{born[4:6]}-{born[6:]}" if born.isdigit() and len(born) == 8 else born
        text.append(f", born {shown}")
    if record.get("birth_place"):
        text.append(f" in {record['birth_place']}")
    return text


def _identity(report: DossierReport) -> RenderableType:
    identity: IdentityResult = report.identity
    status = Text("status: ")
    status.append(_words(identity.status.value), style=_IDENTITY_STYLES[identity.status])
    claimed = Text("claimed: ")
    claimed.append_text(_person_line(report.claimed))
    parts: list[RenderableType] = [_section("Identity"), status, claimed]
    if not identity.candidates:
        parts.append(Text("no candidate shares a blocking key with this identity", style="dim"))
        return Group(*parts)
    best = identity.candidates[0]
    title = "best candidate" if identity.status is not IdentityStatus.NOT_FOUND else "closest"
    candidate = Text(f"{title}: person {best.person_id}, probability {best.probability:.4f}: ")
    candidate.append_text(_person_line(best.record))
    key = Text("match key: ", style="dim")
    key.append(best.match_key, style="cyan")
    parts += [candidate, key]
    parts.append(Text("match-weight chart (log2 odds; bars: green for, red against)", style="dim"))
    parts.append(weight_chart(best.explanation.get("steps", [])))
    for other in identity.candidates[1:]:
        line = Text(f"also: person {other.person_id}, probability {other.probability:.4f}: ")
        line.append_text(_person_line(other.record))
        parts.append(line)
    return Group(*parts)


def _documents(report: DossierReport) -> RenderableType | None:
    if not report.documents:
        return None
    lines: list[RenderableType] = [_section("Documents")]
    for check in report.documents:
        line = Text(f"{_words(check.document)} ")
        line.append(check.claimed)
        if not check.problems:
            line.append(": no problem found", style="green")
        lines.append(line)
        for problem in check.problems:
            lines.append(Text(f"  ✗ {problem}", style="red"))
    return Group(*lines)


def _dates(entry: dict[str, Any]) -> str:
    start = entry.get("from") or "?"
    end = entry.get("to") or "now"
    return f"{start} – {end}"


def _claimed(claim: ClaimResult) -> Text:
    entry = claim.claim.entry
    if claim.kind is ClaimKind.RESIDENCE:
        what = record_place(ClaimKind.RESIDENCE, entry)
    elif claim.kind is ClaimKind.EDUCATION:
        what = str(entry["institution"])
        if entry.get("settlement"):
            what += f", {entry['settlement']}"
    else:
        what = str(entry["employer"])
        if entry.get("position"):
            what += f" ({entry['position']})"
    text = Text(what)
    text.append(f"\n{_dates(entry)}", style="dim")
    return text


def _year(value: object) -> str:
    if isinstance(value, dt.date):
        return str(value.year)
    return str(value) if value not in (None, "") else ""


def _record_text(kind: ClaimKind, record: dict[str, Any]) -> str:
    spec = spec_of(kind)
    first, last = record.get(spec.record_from), record.get(spec.record_to)
    return f"{record_place(kind, record)} {_year(first) or '?'}–{_year(last) or 'now'}"


def _evidence(claim: ClaimResult) -> Text:
    if not claim.records:
        return Text(claim.reason, style="dim")
    # the engine lists the records that fit best last; the same record may come from two imports
    shown = list(dict.fromkeys(_record_text(claim.kind, r) for r in reversed(claim.records)))
    text = Text("\n".join(shown[:_SHOWN_RECORDS]))
    if len(shown) > _SHOWN_RECORDS:
        text.append(f"\n+{len(shown) - _SHOWN_RECORDS} more", style="dim")
    return text


def _claims(report: DossierReport) -> RenderableType:
    if not report.claims:
        return Group(_section("Claims"), Text("the dossier states no history", style="dim"))
    table = Table(expand=False, show_lines=True, padding=(0, 1))
    table.add_column("claim", ratio=3)
    table.add_column("verdict", no_wrap=True)
    table.add_column("registry", ratio=3)
    table.add_column("tolerated", ratio=1)
    for claim in report.claims:
        what = Text(f"{claim.kind.value} {claim.position + 1}\n", style="bold")
        what.append_text(_claimed(claim))
        verdict = Text(claim.verdict.value, style=CLAIM_STYLES[claim.verdict])
        verdict.append(f"\np {claim.probability:.2f}", style="dim")
        tolerated = Text("\n".join(claim.tolerated), style="cyan")
        table.add_row(what, verdict, _evidence(claim), tolerated)
    return Group(_section("Claims"), table)


def _signals(report: DossierReport) -> RenderableType | None:
    if not report.signals:
        return None
    table = Table(box=None, padding=(0, 1), header_style="dim")
    table.add_column("finding", no_wrap=True)
    table.add_column("weight", justify="right")
    table.add_column("what it means")
    table.add_column("base rate", justify="right")
    for signal in report.signals:
        rate = "" if signal.base_rate is None else f"{signal.base_rate:.1%}"
        table.add_row(
            Text(_words(signal.code), style="red"), f"{signal.weight:+.1f}", Text(signal.text), rate
        )
    return Group(_section("Findings: the identity, the registry's side, the life"), table)


def _questions(report: DossierReport) -> RenderableType:
    if not report.questions:
        return Group(
            _section("Questions for the checkpoint"),
            Text("nothing to ask beyond the usual interview", style="dim"),
        )
    table = Table(box=None, show_header=False, padding=(0, 1))
    table.add_column("number", justify="right")
    table.add_column("question")
    for number, question in enumerate(report.questions, start=1):
        table.add_row(f"{number}.", Text(question))
    return Group(_section("Questions for the checkpoint"), table)


def render_report(report: DossierReport) -> RenderableType:
    """The whole report on one dossier, readable at 100 columns."""
    parts = [
        _header(report),
        _identity(report),
        _documents(report),
        _claims(report),
        _signals(report),
        _questions(report),
    ]
    return Group(*(p for p in parts if p is not None))


@dataclass
class CohortSummary:
    """Counts over a verified cohort."""

    verdicts: Counter[str] = field(default_factory=Counter)
    claims: Counter[str] = field(default_factory=Counter)
    signals: Counter[str] = field(default_factory=Counter)
    rejected: int = 0
    seconds: float = 0.0

    @property
    def verified(self) -> int:
        return sum(self.verdicts.values())

    def add(self, report: DossierReport) -> None:
        self.verdicts[report.verdict] += 1
        self.claims.update(c.verdict.value for c in report.claims)
        self.signals.update({s.code for s in report.signals})  # dossiers showing each

    def to_json(self) -> dict[str, Any]:
        return {
            "dossiers_verified": self.verified,
            "dossiers_rejected": self.rejected,
            "verdicts": {v: self.verdicts[v] for v in VERDICT_STYLES},
            "claims": {v.value: self.claims[v.value] for v in ClaimVerdict},
            "signals": dict(sorted(self.signals.items())),
            "seconds": round(self.seconds, 2),
            "dossiers_per_second": round(self.verified / self.seconds, 1) if self.seconds else None,
        }


def _share(count: int, total: int) -> str:
    return f"{count / total:.0%}" if total else ""


def render_summary(summary: CohortSummary) -> Table:
    """One table: verdicts, claims, signals by code, and the pace."""
    table = Table(title="Cohort", title_justify="left")
    table.add_column("", style="dim")
    table.add_column("", no_wrap=True)
    table.add_column("count", justify="right")
    table.add_column("share", justify="right")
    dossiers = summary.verified
    for number, verdict in enumerate(VERDICT_STYLES):
        count = summary.verdicts[verdict]
        table.add_row(
            "verdicts" if number == 0 else "",
            Text(_words(verdict), style=VERDICT_STYLES[verdict]),
            f"{count:,}",
            _share(count, dossiers),
            end_section=number == len(VERDICT_STYLES) - 1,
        )
    claims = sum(summary.claims.values())
    for number, claim_verdict in enumerate(ClaimVerdict):
        count = summary.claims[claim_verdict.value]
        table.add_row(
            "claims" if number == 0 else "",
            Text(claim_verdict.value, style=CLAIM_STYLES[claim_verdict]),
            f"{count:,}",
            _share(count, claims),
            end_section=number == len(ClaimVerdict) - 1,
        )
    signals = sorted(summary.signals.items(), key=lambda item: (-item[1], item[0]))
    for number, (code, count) in enumerate(signals):
        table.add_row(
            "signals" if number == 0 else "",
            _words(code),
            f"{count:,}",
            _share(count, dossiers),
            end_section=number == len(signals) - 1,
        )
    table.add_row("dossiers", "verified", f"{dossiers:,}", "")
    table.add_row("", "rejected", f"{summary.rejected:,}", "")
    pace = f"{dossiers / summary.seconds:,.1f}" if summary.seconds else ""
    table.add_row("", "per second", pace, f"{summary.seconds:.1f} s")
    return table
