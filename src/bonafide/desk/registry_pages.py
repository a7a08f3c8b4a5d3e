"""The analyst's pages: registries and their figures, imports and resolving with live progress,
an import's rejected rows, the linkage model's figures.

An import reads a file the analyst has placed in the service's import directory (`bonafide
serve --import-dir`); the desk never takes a file through the browser, which would leave a
plain-text copy in a temporary file. Imports and resolves run as the API's background jobs
(`api/routes/imports.py`, one function for both); the job page refreshes itself while the job
runs (no script needed).
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bonafide.accounts import Account, Capability
from bonafide.api.jobs import Job, Jobs, JobState
from bonafide.api.problems import ProblemError
from bonafide.api.routes.imports import import_files, start_import_job, start_resolve_job
from bonafide.errors import BonafideError
from bonafide.persons.files import Generation, PersonFiles
from bonafide.registry.importer import read_reject_file
from bonafide.registry.schema import Kind
from bonafide.registry.stats import list_registries, registry_stats
from bonafide.registry.store import RegistryStore
from bonafide.vault.audit import AuditAction

from .pages import _form, _gate, _posted, _redirect, _refused, _render, _state

__all__ = ["router"]

router = APIRouter(prefix="/desk", include_in_schema=False)
REJECT_ROWS_SHOWN = 2000  # rows of a reject file shown on its page


def _kind(value: str) -> Kind | None:
    try:
        return Kind(value)
    except ValueError:
        return None


def _jobs(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


def _trouble(request: Request, account: Account, error: BonafideError, status: int) -> Response:
    """A page for a store that cannot be read now (a job writing it, a missing file): the
    message names what, never a value."""
    running = _jobs(request).running()
    if running is not None:  # DuckDB has one writer: the job's, until it ends
        return _render(
            request,
            "registries_trouble.html",
            account,
            409,
            detail=None,
            hint=None,
            running=running,
        )
    return _render(
        request, "registries_trouble.html", account, status, detail=error.message, hint=error.hint
    )


# --- the registries --------------------------------------------------------------------------


@router.get("/registries")
async def registries(request: Request) -> Response:
    gate = _gate(request, Capability.REGISTRY_READ)
    if isinstance(gate, Response):
        return gate
    summaries: list[Any] = []
    with _state(request).stores() as opened:
        if RegistryStore.exists(opened.vault.data_dir):
            try:
                with RegistryStore.open(opened.vault, read_only=True) as store:
                    summaries = list(list_registries(store))
            except BonafideError as error:
                return _trouble(request, gate, error, 409)
    return _render(
        request,
        "registries.html",
        gate,
        summaries=summaries,
        running=_jobs(request).running(),
        may_import=request.app.state.import_dir is not None,
    )


@router.get("/registries/import")
async def import_page(request: Request) -> Response:
    gate = _gate(request, Capability.REGISTRY_IMPORT)
    if isinstance(gate, Response):
        return gate
    return _import_page(request, gate)


def _import_page(
    request: Request,
    account: Account,
    status: int = 200,
    error: str | None = None,
    chosen: dict[str, str] | None = None,
) -> Response:
    directory = request.app.state.import_dir
    return _render(
        request,
        "registries_import.html",
        account,
        status,
        files=import_files(request),
        directory=str(directory) if directory is not None else None,
        kinds=[k.value for k in Kind],
        error=error,
        chosen=chosen or {},
        running=_jobs(request).running(),
    )


@router.post("/registries/import")
async def start_import(request: Request) -> Response:
    posted = await _posted(request, Capability.REGISTRY_IMPORT)
    if isinstance(posted, Response):
        return posted
    gate, form = posted
    kind = _kind(form.get("kind", ""))
    if kind is None:
        return _import_page(request, gate, 422, "kind: choose one of the registry kinds", form)
    file_name = form.get("file", "")
    if not file_name:
        return _import_page(request, gate, 422, "file: choose a file", form)
    try:
        job = start_import_job(request, gate, kind, file_name, form.get("mapping") or None)
    except ProblemError as problem:
        return _import_page(request, gate, problem.status, problem.detail, form)
    except BonafideError as error:  # a mapping that does not parse
        return _import_page(request, gate, 422, error.message, form)
    return _redirect(f"/desk/jobs/{job.job_id}")


@router.post("/registries/resolve")
async def start_resolve(request: Request) -> Response:
    gate = _gate(request, Capability.REGISTRY_IMPORT)
    if isinstance(gate, Response):
        return gate
    if await _form(request) is None:
        return _refused(request, gate)
    try:
        job = start_resolve_job(request, gate)
    except ProblemError as problem:
        return _render(
            request,
            "registries_trouble.html",
            gate,
            problem.status,
            detail=problem.detail,
            hint=None,
        )
    return _redirect(f"/desk/jobs/{job.job_id}")


# --- the linkage model -----------------------------------------------------------------------


def _read_model(generation: Generation) -> tuple[dict[str, Any], dict[str, Any]]:
    meta: dict[str, Any] = generation.read_json("index.json")  # type: ignore[assignment]
    model: dict[str, Any] = generation.read_json("model.json")  # type: ignore[assignment]
    return meta, model


def _comparisons(model: dict[str, Any]) -> list[dict[str, Any]]:
    """Each comparison's levels with m, u and the weight log2(m / u); no term frequencies
    (they name surnames)."""
    shown = []
    for comparison in model.get("comparisons", []):
        levels = []
        for label, m, u in zip(
            model["levels"][comparison],
            model["m"][comparison],
            model["u"][comparison],
            strict=False,
        ):
            weight = math.log2(max(m, 1e-9) / max(u, 1e-9))
            levels.append({"level": label, "m": m, "u": u, "weight": weight})
        shown.append({"comparison": comparison, "levels": levels})
    return shown


@router.get("/registries/model")
async def model_page(request: Request) -> Response:
    gate = _gate(request, Capability.REGISTRY_READ)
    if isinstance(gate, Response):
        return gate
    with _state(request).stores() as opened:
        files = PersonFiles(opened.vault)
        try:
            if files.current() is None:
                return _render(request, "registries_model.html", gate, resolved=False)
            meta, model = files.read_current(_read_model)
            rows: dict[str, int] = {}
            links: dict[str, int] = {}
            with RegistryStore.open(opened.vault, read_only=True) as store:
                rows = {s.kind.value: s.rows for s in list_registries(store)}
                links = {
                    str(kind): int(n)
                    for kind, n in store.execute(
                        "count person links",
                        "SELECT kind, count(*) FROM person_links GROUP BY kind",
                    )
                }
        except BonafideError as error:
            return _trouble(request, gate, error, 409)
    linked = []
    for kind, total in rows.items():
        if kind == Kind.IDENTITY.value:
            done = int(meta.get("records", total))  # every identity record is a person's
        else:
            done = links.get(kind, 0)
        linked.append({"kind": kind, "rows": total, "linked": done, "without": total - done})
    prior = float(model.get("prior", 0.0))
    return _render(
        request,
        "registries_model.html",
        gate,
        resolved=True,
        persons=meta.get("persons", 0),
        identity_records=meta.get("records", 0),
        linked=linked,
        prior=prior,
        prior_weight=math.log2(prior / (1 - prior)) if 0 < prior < 1 else None,
        comparisons=_comparisons(model),
    )


# --- one registry, its imports and their rejects ---------------------------------------------


@router.get("/registries/{kind}")
async def registry(request: Request, kind: str) -> Response:
    gate = _gate(request, Capability.REGISTRY_READ)
    if isinstance(gate, Response):
        return gate
    chosen = _kind(kind)
    if chosen is None:
        return _render(request, "error.html", gate, 404, message="not_found")
    with _state(request).stores() as opened:
        if not RegistryStore.exists(opened.vault.data_dir):
            return _render(request, "error.html", gate, 404, message="not_found")
        try:
            with RegistryStore.open(opened.vault, read_only=True) as store:
                stats = registry_stats(store, chosen)
        except BonafideError as error:
            return _trouble(request, gate, error, 409)
    return _render(request, "registries_kind.html", gate, stats=stats)


@router.get("/registries/{kind}/imports/{import_id}/rejects")
async def rejects(request: Request, kind: str, import_id: int) -> Response:
    gate = _gate(request, Capability.REGISTRY_READ)
    if isinstance(gate, Response):
        return gate
    chosen = _kind(kind)
    if chosen is None:
        return _render(request, "error.html", gate, 404, message="not_found")
    with _state(request).stores() as opened:
        if not RegistryStore.exists(opened.vault.data_dir):
            return _render(request, "error.html", gate, 404, message="not_found")
        try:
            with RegistryStore.open(opened.vault, read_only=True) as store:
                imports = {i.import_id: i for i in registry_stats(store, chosen).imports}
                if import_id not in imports:
                    return _render(request, "error.html", gate, 404, message="not_found")
                text = read_reject_file(store, import_id)
        except BonafideError as error:
            return _trouble(request, gate, error, 404)
        # personal data, decrypted for this page only: recorded as the command line does
        opened.record(
            AuditAction.REJECTS_READ, gate.name, None, {"import": import_id, "via": "desk"}
        )
    reader = csv.reader(io.StringIO(text.decode("utf-8"), newline=""))
    header = next(reader, [])
    rows: list[list[str]] = []
    for row in reader:
        if len(rows) >= REJECT_ROWS_SHOWN:
            break
        rows.append(row)
    response = _render(
        request,
        "registries_rejects.html",
        gate,
        kind=chosen.value,
        record=imports[import_id],
        header=header,
        rows=rows,
        limit=REJECT_ROWS_SHOWN,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# --- jobs ------------------------------------------------------------------------------------


def _progress(job: Job) -> dict[str, Any]:
    """The job's latest progress figures: phase and share done, rows read, or a step."""
    latest: dict[str, Any] = {}
    steps = 0
    for event, data in job.events:
        if event == "progress":
            latest = data
            steps += 1
    shown: dict[str, Any] = {"steps": steps}
    if "bytes_total" in latest:
        total = latest.get("bytes_total") or 0
        shown["phase"] = latest.get("phase")
        shown["rows_read"] = latest.get("rows_read")
        shown["percent"] = round(100 * latest.get("bytes_done", 0) / total) if total else None
    elif "step" in latest:
        shown["step"] = latest["step"]
    return shown


def _job_context(job: Job) -> dict[str, Any]:
    return {
        "job": job,
        "running": job.state is JobState.RUNNING,
        "failed": job.state is JobState.FAILED,
        "progress": _progress(job),
        "result": job.result or {},
    }


@router.get("/jobs/{job_id}")
async def job_page(request: Request, job_id: str) -> Response:
    gate = _gate(request, Capability.REGISTRY_IMPORT)
    if isinstance(gate, Response):
        return gate
    job = _jobs(request).get(job_id)
    if job is None:
        return _render(request, "error.html", gate, 404, message="not_found")
    response = _render(request, "job.html", gate, **_job_context(job))
    response.headers["Cache-Control"] = "no-store"
    return response
