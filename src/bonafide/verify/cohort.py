"""A cohort: a `.jsonl` file of dossiers, verified in batches, its bad lines rejected.

A line that is not UTF-8, not JSON (nested too deeply to read among them) or not a dossier is
rejected with its line number and the reason — which names fields and problems, never a value
of the dossier — and the batch goes on. A fault of the data directory (a disk that is full or
read-only) is no fault of the line: it stops the run as a `StoreError`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from bonafide.errors import BonafideError, InputError, StoreError
from bonafide.vault.audit import AuditAction, AuditLog
from bonafide.verify.export import ResultsSpool
from bonafide.verify.render import CohortSummary
from bonafide.verify.verifier import DossierReport, Verifier

__all__ = ["BATCH", "Reject", "verify_cohort"]

log = logging.getLogger(__name__)
BATCH = 256  # dossiers looked up in one scoring pass, in shares when workers examine them


@dataclass(frozen=True)
class Reject:
    line: int
    error: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "error": self.error}


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


def read_json_line(text: str) -> object:
    """The JSON value of one line; ValueError in words (never quoting the line) if it is none."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error.msg} at character {error.pos + 1}") from None
    except RecursionError:
        raise ValueError(
            "not a dossier: its JSON is nested too deeply to read (a dossier is a few levels deep)"
        ) from None


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


def _store_fault(data_dir: Path, error: Exception) -> StoreError:
    return StoreError(
        f"verification stopped: the data directory {data_dir} could not be written "
        f"({type(error).__name__}: {error})",
        hint="check that its disk is writable and not full; the dossiers verified before this "
        "point are kept",
    )


class _Cohort:
    """Verifies a cohort's lines in batches, keeping the counts, rejects and results."""

    def __init__(
        self, verifier: Verifier, path: Path, results: ResultsSpool | None, audit: AuditLog
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
            dossier = read_json_line(text)
        except ValueError as error:
            self.rejects.append(Reject(number, str(error)))
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
        except (OSError, sqlite3.Error, BonafideError):
            raise  # the data directory's fault, or the vault's: not the lines'
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
                line = json.dumps(result.to_json(), ensure_ascii=False) + "\n"
                self.results.write(line.encode("utf-8"))
        self.audit.record_many(
            [(AuditAction.DOSSIER_VERIFIED, code, {}) for code in verified_codes]
        )
        return len(batch)

    def _alone(self, dossier: object, source: str) -> DossierReport | InputError:
        try:
            return self.verifier.verify(dossier, source)
        except InputError as error:
            return error
        except (OSError, sqlite3.Error, BonafideError):
            raise
        except Exception as error:  # a fault of bonafide's, not of the line: say so, go on
            log.error("verify failed error=%s", type(error).__name__)  # no values in logs
            # the type only: an exception's text may quote a value of the dossier
            return InputError(
                f"{source}: bonafide could not verify this dossier ({type(error).__name__}); "
                "please report it"
            )


def verify_cohort(
    verifier: Verifier,
    path: Path,
    results: ResultsSpool | None,
    show_progress: bool,
    audit: AuditLog,
    data_dir: Path,
) -> tuple[CohortSummary, list[Reject]]:
    """Verify every line of `path`; each report goes to `results` (if any) and the audit log."""
    cohort = _Cohort(verifier, path, results, audit)
    started = time.perf_counter()
    try:
        with _progress(Console(stderr=True), show_progress) as progress:
            total = _count_lines(path)
            task = progress.add_task("verify", total=total, rejected=0) if progress else None
            for number, text in _lines(path):
                done = cohort.add(number, text)
                if done and progress is not None and task is not None:
                    progress.update(task, advance=done, rejected=len(cohort.rejects))
            cohort.flush()
    except (OSError, sqlite3.Error) as error:
        raise _store_fault(data_dir, error) from None
    except KeyboardInterrupt:
        raise CohortInterrupted(cohort.summary.verified) from None
    # a batch's rejects come after the lines rejected while it filled: in line order for the user
    cohort.rejects.sort(key=lambda r: r.line)
    cohort.summary.rejected = len(cohort.rejects)
    cohort.summary.seconds = time.perf_counter() - started
    log.info("verify cohort verified=%d rejected=%d", cohort.summary.verified, len(cohort.rejects))
    return cohort.summary, cohort.rejects


class CohortInterrupted(KeyboardInterrupt):
    """Ctrl-C during a cohort, with how many dossiers were verified (and kept) before it."""

    def __init__(self, verified: int) -> None:
        super().__init__(verified)
        self.verified = verified
