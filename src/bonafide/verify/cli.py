"""`bonafide verify`: one dossier (a `.json` file) or a cohort (a `.jsonl` file, one per line).

One dossier: the report, as Rich text or JSON. A cohort: a progress bar on stderr and a summary
table. Every report is kept in the vault's case store and every verification is written to the
audit log. `--out` exports each report as one JSON line in plain text — an explicit export,
said on stderr and written to the audit log. A line that is not JSON or not a dossier is
reported with its line number and reason (and, with `--out`, written to
`<out stem>.rejects.jsonl`), and the batch goes on. Library errors (`BonafideError`) propagate
to the entry point, which prints them.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from bonafide.cases.retention import apply_retention
from bonafide.errors import InputError, StoreError
from bonafide.vault import Vault
from bonafide.vault.access import KeyFileOption, PassphraseFileOption, unlocked
from bonafide.vault.audit import AuditAction, AuditLog
from bonafide.vault.sealed import partial_path, remove_stale_partials
from bonafide.verify.render import CohortSummary, render_report, render_summary
from bonafide.verify.verifier import DossierReport, Verifier

__all__ = ["Reject", "rejects_path", "verify_command"]

log = logging.getLogger(__name__)
_SHOWN_REJECTS = 10
BATCH = 64  # dossiers whose identities are looked up in one scoring pass


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@dataclass
class Reject:
    line: int
    error: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "error": self.error}


def rejects_path(out: Path) -> Path:
    """Where a cohort's rejected lines go: `results.jsonl` → `results.rejects.jsonl`."""
    return out.with_name(f"{out.stem if out.suffix else out.name}.rejects.jsonl")


def _open_verifier(vault: Vault, remember: bool) -> Verifier:
    try:
        return Verifier.open(vault, remember=remember)
    except FileNotFoundError as error:
        # a person index resolved before verification existed has no histories or base rates
        raise StoreError(
            f"the person index in {vault.data_dir} lacks {Path(error.filename or '?').name}, "
            "which verification needs",
            hint=f"resolve again: bonafide registry resolve --rebuild --data-dir {vault.data_dir}",
        ) from None


def _check_input(path: Path) -> None:
    if not path.exists():
        raise InputError(
            f"{path}: no such file",
            hint="give a dossier (.json) or a cohort of dossiers, one per line (.jsonl)",
        )
    if path.is_dir():
        raise InputError(f"{path}: is a directory", hint="give a .json or .jsonl file")
    if path.suffix.lower() not in (".json", ".jsonl"):
        raise InputError(
            f"{path}: neither .json (one dossier) nor .jsonl (a cohort, one dossier per line)",
            hint="rename the file to say which it holds",
        )


def _read_dossier(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}", hint="check the file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text", hint="save the dossier as UTF-8 JSON") from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: not valid JSON: {error}",
            hint="give one JSON object (docs/formats.md#the-dossier); a cohort goes in a "
            ".jsonl file, one dossier per line",
        ) from None


def _count_lines(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(1 for line in lines if line.strip())


def _lines(path: Path) -> Iterator[tuple[int, str | None]]:
    """(line number, text) of each non-blank line; None for a line that is not UTF-8."""
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if raw.strip():
                try:
                    yield number, raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError:
                    yield number, None


@contextmanager
def _progress(console: Console, show: bool) -> Iterator[Progress | None]:
    if not (show and console.is_terminal):  # nothing to animate in a log or a pipe
        yield None
        return
    progress = Progress(
        TextColumn("verifying"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rejected]} rejected"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    with progress:
        yield progress


class _Cohort:
    """Verifies a cohort's lines in batches, keeping the counts, rejects and results."""

    def __init__(
        self, verifier: Verifier, path: Path, results: TextIO | None, audit: AuditLog
    ) -> None:
        self.verifier = verifier
        self.audit = audit
        self.path = path
        self.results = results
        self.summary = CohortSummary()
        self.rejects: list[Reject] = []
        self._batch: list[tuple[int, object]] = []

    def add(self, number: int, text: str | None) -> int:
        """Take one line; returns how many lines were finished (verified or rejected)."""
        if text is None:
            self.rejects.append(Reject(number, "not UTF-8 text"))
            return 1
        try:
            dossier = json.loads(text)
        except json.JSONDecodeError as error:
            where = f"character {error.pos + 1}"
            self.rejects.append(Reject(number, f"not valid JSON: {error.msg} at {where}"))
            return 1
        self._batch.append((number, dossier))
        return self.flush() if len(self._batch) >= BATCH else 0

    def flush(self) -> int:
        batch, self._batch = self._batch, []
        if not batch:
            return 0
        sources = [f"{self.path}, line {number}" for number, _ in batch]
        dossiers = [d for _, d in batch]
        try:
            verified = self.verifier.verify_many(dossiers, sources)
        except Exception:  # one dossier broke the whole batch: find it, verify the others
            verified = [self._alone(d, s) for d, s in zip(dossiers, sources, strict=True)]
        verified_codes = []
        for (number, _), source, result in zip(batch, sources, verified, strict=True):
            if isinstance(result, InputError):
                self.rejects.append(Reject(number, result.message.removeprefix(f"{source}: ")))
                continue
            self.summary.add(result)
            verified_codes.append(result.dossier_id)
            if self.results is not None:
                self.results.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        self.audit.record_many(
            [(AuditAction.DOSSIER_VERIFIED, code, {}) for code in verified_codes]
        )
        return len(batch)

    def _alone(self, dossier: object, source: str) -> DossierReport | InputError:
        try:
            return self.verifier.verify(dossier, source)
        except InputError as error:
            return error
        except Exception as error:  # a fault of bonafide's, not of the line: say so, go on
            log.error("verify failed error=%s", type(error).__name__)  # no values in logs
            return InputError(
                f"{source}: bonafide could not verify this dossier "
                f"({type(error).__name__}: {error}); please report it"
            )


def _verify_cohort(
    verifier: Verifier,
    path: Path,
    results: TextIO | None,
    show_progress: bool,
    audit: AuditLog,
) -> tuple[CohortSummary, list[Reject]]:
    cohort = _Cohort(verifier, path, results, audit)
    started = time.perf_counter()
    with _progress(Console(stderr=True), show_progress) as progress:
        task = (
            progress.add_task("verify", total=_count_lines(path), rejected=0) if progress else None
        )
        for number, text in _lines(path):
            done = cohort.add(number, text)
            if done and progress is not None and task is not None:
                progress.update(task, advance=done, rejected=len(cohort.rejects))
        cohort.flush()
    # a batch's rejects come after the lines rejected while it filled: in line order for the user
    cohort.rejects.sort(key=lambda r: r.line)
    cohort.summary.rejected = len(cohort.rejects)
    cohort.summary.seconds = time.perf_counter() - started
    log.info("verify cohort verified=%d rejected=%d", cohort.summary.verified, len(cohort.rejects))
    return cohort.summary, cohort.rejects


def _write_rejects(out: Path, rejects: list[Reject]) -> Path | None:
    target = rejects_path(out)
    if not rejects:
        target.unlink(missing_ok=True)  # a stale file from an earlier run would mislead
        return None
    with _exported(target) as file:
        for reject in rejects:
            file.write(json.dumps(reject.to_json(), ensure_ascii=False) + "\n")
    return target


@contextmanager
def _exported(target: Path) -> Iterator[TextIO]:
    """A plain-text export, readable by its owner only, written beside `target` and renamed
    over it only when complete: a killed run leaves the earlier file whole (and its partial
    file is removed by the next export to the same place)."""
    remove_stale_partials(target)
    partial = partial_path(target)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            yield file
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _say_export(out: Path) -> None:
    Console(stderr=True).print(
        f"note: {out} (and the rejected lines beside it) hold the reports in plain text, "
        "outside the vault (the audit log records this export); the vault keeps every report "
        "in any case",
        style="yellow",
        highlight=False,
        soft_wrap=True,
    )


def _print_rejects(console: Console, path: Path, rejects: list[Reject], where: Path | None) -> None:
    if not rejects:
        return
    console.print(
        Text(f"{len(rejects):,} line(s) of {path} rejected and not verified:", style="yellow")
    )
    for reject in rejects[:_SHOWN_REJECTS]:
        console.print(Text(f"  line {reject.line}: {reject.error}"))
    if len(rejects) > _SHOWN_REJECTS:
        console.print(Text(f"  … and {len(rejects) - _SHOWN_REJECTS:,} more"))
    if where is not None:
        console.print(Text(f"Every rejected line, with its reason: {where}"))
    console.print(
        Text("Fix those lines (see docs/formats.md#the-dossier) and verify them again.", "dim")
    )


def verify_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="A dossier (.json) or a cohort of dossiers, one JSON object per line (.jsonl)."
        ),
    ],
    output: Annotated[
        OutputFormat,
        typer.Option("--format", help="text (a readable report) or json."),
    ] = OutputFormat.TEXT,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Also export each dossier's report as one JSON line here, in plain text "
            "outside the vault (audited); rejected lines of a cohort go to "
            "<name>.rejects.jsonl beside it.",
            show_default=False,
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Data directory with resolved registries (default: $BONAFIDE_DATA, "
            "else ./.bonafide).",
            show_default=False,
        ),
    ] = None,
    remember: Annotated[
        bool,
        typer.Option(
            "--remember/--no-remember",
            help="Keep keyed hashes of each dossier in the case store, to catch a person "
            "applying again under another name.",
        ),
    ] = True,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar for a cohort.")
    ] = True,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Verify dossiers against the resolved registries: identity, documents, every claim,
    signals of a planted identity, a verdict and questions for the checkpoint."""
    _check_input(path)
    cohort = path.suffix.lower() == ".jsonl"
    dossier = None if cohort else _read_dossier(path)
    console = Console()
    with unlocked(data_dir, passphrase_file, key_file) as vault:
        apply_retention(vault)
        verifier = _open_verifier(vault, remember)
        audit = AuditLog(vault)
        try:
            if not cohort:
                report = verifier.verify(dossier, str(path))
                audit.record(AuditAction.DOSSIER_VERIFIED, report.dossier_id)
                if out is not None:
                    with _exported(out) as file:
                        file.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
                    audit.record(AuditAction.RESULTS_EXPORTED, report.dossier_id, {"reports": 1})
                    _say_export(out)
                if output is OutputFormat.JSON:
                    typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
                else:
                    console.print(render_report(report))
                return
            if out is not None:
                with _exported(out) as results:
                    summary, rejects = _verify_cohort(verifier, path, results, progress, audit)
                audit.record(AuditAction.RESULTS_EXPORTED, None, {"reports": summary.verified})
                _say_export(out)
            else:
                summary, rejects = _verify_cohort(verifier, path, None, progress, audit)
        finally:
            verifier.close()
            audit.close()
    where = _write_rejects(out, rejects) if out is not None else None
    if output is OutputFormat.JSON:
        result = summary.to_json()
        result["rejects"] = [r.to_json() for r in rejects]
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    console.print(render_summary(summary))
    if out is not None:
        console.print(Text(f"{summary.verified:,} report(s), one JSON line each: {out}"))
    else:
        console.print(Text(f"{summary.verified:,} report(s) kept in the vault."))
    _print_rejects(console, path, rejects, where)
