"""`bonafide verify`: one dossier (a `.json` file) or a cohort (a `.jsonl` file, one per line).

One dossier: the report, as Rich text or JSON. A cohort: a progress bar on stderr and a summary
table (`bonafide.verify.cohort`). Every report is kept in the vault's case store and every
verification is written to the audit log, so the data directory must be writable: that is
checked before anything runs. `--out` exports each report as one JSON line in plain text — an
explicit export, said on stderr and written to the audit log (`bonafide.verify.export`). A line
that is not JSON or not a dossier is reported with its line number and reason (and, with
`--out`, written to `<out stem>.rejects.jsonl`), the batch goes on, and the command exits with
code 2. Ctrl-C says what was kept and exits with 130. Library errors (`BonafideError`)
propagate to the entry point, which prints them.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from bonafide.cases.retention import apply_retention
from bonafide.cases.store import CASES_FILE
from bonafide.datadir import require_writable, resolve_data_dir
from bonafide.errors import InputError, StoreError
from bonafide.interruption import interrupted
from bonafide.output import OutputFormat, OutputFormatOption
from bonafide.vault import Vault
from bonafide.vault.access import KeyFileOption, PassphraseFileOption, unlocked
from bonafide.vault.audit import AUDIT_FILE, AuditAction, AuditLog
from bonafide.vault.vault import SCRATCH_DIR
from bonafide.verify.cohort import CohortInterrupted, Reject, read_json_line, verify_cohort
from bonafide.verify.export import ResultsSpool, exported, rejects_path
from bonafide.verify.render import CohortSummary, render_report, render_summary
from bonafide.verify.verifier import DossierReport, Verifier

__all__ = ["Reject", "rejects_path", "verify_command"]

log = logging.getLogger(__name__)
_SHOWN_REJECTS = 10


def _open_verifier(vault: Vault, remember: bool, workers: int) -> Verifier:
    try:
        return Verifier.open(vault, remember=remember, workers=workers)
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
        return read_json_line(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}", hint="check the file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text", hint="save the dossier as UTF-8 JSON") from None
    except ValueError as error:
        raise InputError(
            f"{path}: {error}",
            hint="give one JSON object (docs/formats.md#the-dossier); a cohort goes in a "
            ".jsonl file, one dossier per line",
        ) from None


def _write_rejects(out: Path, rejects: list[Reject]) -> Path | None:
    target = rejects_path(out)
    if not rejects:
        target.unlink(missing_ok=True)  # a stale file from an earlier run would mislead
        return None
    with exported(target) as file:
        for reject in rejects:
            file.write((json.dumps(reject.to_json(), ensure_ascii=False) + "\n").encode("utf-8"))
    return target


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


def _verify_one(
    verifier: Verifier, audit: AuditLog, dossier: object, path: Path, out: Path | None
) -> DossierReport:
    report = verifier.verify(dossier, str(path))
    audit.record(AuditAction.DOSSIER_VERIFIED, report.dossier_id)
    if out is not None:
        with exported(out) as file:
            file.write((json.dumps(report.to_json(), ensure_ascii=False) + "\n").encode("utf-8"))
        audit.record(AuditAction.RESULTS_EXPORTED, report.dossier_id, {"reports": 1})
        _say_export(out)
    return report


def _run_cohort(
    vault: Vault,
    verifier: Verifier,
    audit: AuditLog,
    path: Path,
    out: Path | None,
    progress: bool,
) -> tuple[CohortSummary, list[Reject]]:
    spool = ResultsSpool(vault) if out is not None else None
    try:
        summary, rejects = verify_cohort(verifier, path, spool, progress, audit, vault.data_dir)
    except BaseException:
        if spool is not None:
            spool.discard()
        raise
    if out is not None and spool is not None:
        spool.publish(out)
        audit.record(AuditAction.RESULTS_EXPORTED, None, {"reports": summary.verified})
        _say_export(out)
    return summary, rejects


def _interrupted(error: KeyboardInterrupt, out: Path | None) -> typer.Exit:
    """What Ctrl-C left: the reports verified before it are kept; an --out file is untouched."""
    verified = error.verified if isinstance(error, CohortInterrupted) else 0
    untouched = f"; {out} was not written" if out is not None else ""
    if verified:
        return interrupted(
            f"{verified:,} dossier(s) verified before it: their reports are kept in the vault "
            f"and in the audit log{untouched}"
        )
    return interrupted(f"nothing changed{untouched}")


def verify_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="A dossier (.json) or a cohort of dossiers, one JSON object per line (.jsonl)."
        ),
    ],
    output: OutputFormatOption = OutputFormat.TEXT,
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
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes examining a cohort's dossiers (default: one per core; the reports "
            "are the same with any number).",
            show_default=False,
        ),
    ] = None,
    passphrase_file: PassphraseFileOption = None,
    key_file: KeyFileOption = None,
) -> None:
    """Verify dossiers against the resolved registries: identity, documents, every claim,
    signals of a planted identity, a verdict and questions for the checkpoint.

    Example: bonafide verify applicants.jsonl --out results.jsonl --data-dir demo-data/store
    """
    _check_input(path)
    cohort = path.suffix.lower() == ".jsonl"
    dossier = None if cohort else _read_dossier(path)
    directory = resolve_data_dir(data_dir)
    require_writable(
        directory,
        (CASES_FILE, AUDIT_FILE, SCRATCH_DIR),
        "verify keeps every report in the case store and writes the audit log there",
    )
    console = Console()
    try:
        with unlocked(directory, passphrase_file, key_file) as vault:
            apply_retention(vault)
            verifier = _open_verifier(vault, remember, workers or len(os.sched_getaffinity(0)))
            audit = AuditLog(vault)
            try:
                if not cohort:
                    report = _verify_one(verifier, audit, dossier, path, out)
                else:
                    summary, rejects = _run_cohort(vault, verifier, audit, path, out, progress)
            finally:
                verifier.close()
                audit.close()
    except KeyboardInterrupt as error:
        raise _interrupted(error, out) from None
    if not cohort:
        if output is OutputFormat.JSON:
            typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        else:
            console.print(render_report(report))
        return
    where = _write_rejects(out, rejects) if out is not None else None
    if output is OutputFormat.JSON:
        result = summary.to_json()
        result["rejects"] = [r.to_json() for r in rejects]
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        console.print(render_summary(summary))
        if out is not None:
            console.print(Text(f"{summary.verified:,} report(s), one JSON line each: {out}"))
        else:
            console.print(Text(f"{summary.verified:,} report(s) kept in the vault."))
        _print_rejects(console, path, rejects, where)
    if rejects:  # the run went to the end, but not every line was verified: say so
        raise typer.Exit(InputError.exit_code)
