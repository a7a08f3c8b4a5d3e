"""Registry imports and resolving, run in the background and followed as server-sent events.

A registry file is imported from the service's import directory (`bonafide serve --import-dir`),
where the analyst has put it: uploading it through the service would leave a plain-text copy in
a temporary file, which bonafide never writes. Without an import directory, imports through the
service are off.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from bonafide.accounts import Account, Capability
from bonafide.errors import BonafideError
from bonafide.persons.resolve import resolve_registries
from bonafide.registry.importer import ImportProgress, ImportReport, import_registry
from bonafide.registry.mapping import load_mapping
from bonafide.registry.schema import Kind
from bonafide.registry.store import RegistryStore
from bonafide.vault.audit import AuditAction

from ..auth import requires, state_of
from ..jobs import Job, Jobs
from ..problems import BODY, SIGNED_IN, ProblemError, problem_responses
from ..state import Opened

router = APIRouter(tags=["registries"], responses=SIGNED_IN)
Importer = Annotated[Account, Depends(requires(Capability.REGISTRY_IMPORT))]


class ImportRequest(BaseModel):
    file: str = Field(
        min_length=1,
        max_length=500,
        description="The file's name in the service's import directory.",
    )
    mapping: str | None = Field(
        default=None, max_length=500, description="A TOML column mapping in the same directory."
    )


class JobOut(BaseModel):
    job_id: str
    what: str
    state: str
    events: int
    result: dict[str, Any] | None


def _jobs(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


def _inside(request: Request, name: str, what: str) -> Path:
    directory: Path | None = request.app.state.import_dir
    if directory is None:
        raise ProblemError(
            409,
            "No import directory",
            "the service has no import directory: imports through it are off",
            kind="no-import-directory",
            hint="start it with bonafide serve --import-dir DIR, or import on the command line",
        )
    path = (directory / name).resolve()
    if directory.resolve() not in path.parents or not path.is_file():
        raise ProblemError(
            422,
            "Invalid input",
            f"{what}: no such file in the import directory",
            kind="invalid-input",
            hint="give the name of a file in the import directory, without folders",
        )
    return path


def _busy(jobs: Jobs) -> None:
    running = jobs.running()
    if running is not None:
        raise ProblemError(
            409,
            "Busy",
            f"a {running.what} runs already (job {running.job_id}); the store has one writer",
            kind="busy",
        )


def _problem(error: BonafideError) -> dict[str, Any]:
    return {"title": type(error).__name__, "detail": error.message, "hint": error.hint}


def _report(report: ImportReport) -> dict[str, Any]:
    return {
        "import_id": report.import_id,
        "kind": report.kind.value,
        "rows_read": report.rows_read,
        "rows_added": report.rows_added,
        "rows_duplicate_in_file": report.rows_duplicate_in_file,
        "rows_already_present": report.rows_already_present,
        "rows_rejected": report.rows_rejected,
        "warnings": report.warnings,
        "first_issues": [dataclasses.asdict(i) for i in report.first_issues],
        "seconds": round(report.seconds, 2),
    }


def import_files(request: Request) -> list[str] | None:
    """The names of the files in the service's import directory; None when it has none."""
    directory: Path | None = request.app.state.import_dir
    if directory is None:
        return None
    if not directory.is_dir():
        return []
    return sorted(p.name for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))


def start_import_job(
    request: Request, account: Account, kind: Kind, file_name: str, mapping_name: str | None
) -> Job:
    """Start importing `file_name` (with the mapping `mapping_name`) from the import directory
    as a background job: what `POST /registries/{kind}/imports` and the desk both do.
    ProblemError if imports are off, a file is not there, or a job runs already."""
    opened = state_of(request).opened()
    file = _inside(request, file_name, "file")
    mapping = load_mapping(_inside(request, mapping_name, "mapping")) if mapping_name else None
    jobs = _jobs(request)
    _busy(jobs)

    def work(job: Job) -> dict[str, Any]:
        def progress(step: ImportProgress) -> None:
            job.emit(
                "progress",
                {
                    "phase": step.phase.value,
                    "bytes_done": step.bytes_done,
                    "bytes_total": step.bytes_total,
                    "rows_read": step.rows_read,
                },
            )

        with RegistryStore.open(opened.vault) as store:
            report = import_registry(store, file, kind, mapping, progress=progress)
        result = _report(report)
        opened.record(
            AuditAction.REGISTRY_IMPORTED,
            account.name,
            None,
            {"kind": kind.value, "rows_added": report.rows_added},
        )
        return result

    return jobs.start(f"{kind.value} import", work, _problem)


def start_resolve_job(request: Request, account: Account) -> Job:
    """Start resolving the registries into persons as a background job (the API and the desk).
    ProblemError if a job runs already."""
    state = state_of(request)
    opened = state.opened()
    jobs = _jobs(request)
    _busy(jobs)

    def work(job: Job) -> dict[str, Any]:
        with RegistryStore.open(opened.vault) as store:
            report = resolve_registries(
                store, progress=lambda text: job.emit("progress", {"step": str(text)})
            )
        _verifier_stale(opened)
        opened.record(
            AuditAction.REGISTRIES_RESOLVED, account.name, None, {"persons": report.persons}
        )
        return {
            "persons": report.persons,
            "identity_records": report.identity_records,
            "linked": report.linked,
            "unlinked": report.unlinked,
        }

    return jobs.start("resolve", work, _problem)


@router.post(
    "/registries/{kind}/imports",
    status_code=202,
    summary="Import a registry file from the import directory; follow it at /jobs/{id}/events",
    responses={**BODY, **problem_responses(409)},
)
async def start_import(
    request: Request, kind: Kind, body: ImportRequest, account: Importer
) -> JobOut:
    job = start_import_job(request, account, kind, body.file, body.mapping)
    return JobOut(**job.to_json())


@router.post(
    "/registries/resolve",
    status_code=202,
    summary="Resolve the registries into persons; follow it at /jobs/{id}/events",
    responses=problem_responses(409),
)
async def start_resolve(request: Request, account: Importer) -> JobOut:
    return JobOut(**start_resolve_job(request, account).to_json())


def _verifier_stale(opened: Opened) -> None:
    with opened.lock:
        opened.verifier = None  # opened again over the new persons on next use


def _job(request: Request, job_id: str) -> Job:
    job = _jobs(request).get(job_id)
    if job is None:
        raise ProblemError(404, "Not found", "no job of that id", kind="not-found")
    return job


@router.get(
    "/jobs/{job_id}",
    summary="A background job's state and, once ended, its result",
    responses=problem_responses(404, 422),
)
async def job_state(request: Request, job_id: str, account: Importer) -> JobOut:
    return JobOut(**_job(request, job_id).to_json())


@router.get(
    "/jobs/{job_id}/events",
    summary="A background job's events as server-sent events, until it ends",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **problem_responses(404, 422)},
)
async def job_events(request: Request, job_id: str, account: Importer) -> StreamingResponse:
    job = _job(request, job_id)
    return StreamingResponse(job.stream(), media_type="text/event-stream")
