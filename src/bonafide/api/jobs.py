"""Long work the service runs in the background — a registry import, a resolve — and the
events it sends while it runs, for a client to follow as server-sent events.

A job's events are progress figures and, at the end, a report or a problem: counts and phases,
never a value from the registry.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import anyio

from bonafide.errors import BonafideError

__all__ = ["Job", "JobState", "Jobs"]


class JobState(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class Job:
    job_id: str
    what: str
    state: JobState = JobState.RUNNING
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    result: dict[str, Any] | None = None
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def emit(self, event: str, data: dict[str, Any]) -> None:
        with self._changed:
            self.events.append((event, data))
            self._changed.notify_all()

    def finish(self, state: JobState, result: dict[str, Any]) -> None:
        with self._changed:
            self.state, self.result = state, result
            self.events.append((state.value, result))
            self._changed.notify_all()

    def to_json(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "what": self.what,
            "state": self.state.value,
            "events": len(self.events),
            "result": self.result,
        }

    async def stream(self) -> AsyncIterator[str]:
        """The job's events as `text/event-stream`, from the first, until it ends."""
        sent = 0
        while True:
            with self._changed:
                pending = self.events[sent:]
                finished = self.state is not JobState.RUNNING
            for event, data in pending:
                yield f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
            sent += len(pending)
            if finished and sent >= len(self.events):
                return
            await anyio.sleep(0.2)


class Jobs:
    """The service's background jobs, by id; one job of a kind at a time (DuckDB has one
    writer)."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def running(self) -> Job | None:
        with self._lock:
            return next((j for j in self._jobs.values() if j.state is JobState.RUNNING), None)

    def start(
        self,
        what: str,
        work: Callable[[Job], dict[str, Any]],
        on_problem: Callable[[BonafideError], dict[str, Any]],
    ) -> Job:
        job = Job(secrets.token_hex(8), what)
        with self._lock:
            self._jobs[job.job_id] = job

        def run() -> None:
            try:
                result = work(job)
            except BonafideError as error:
                job.finish(JobState.FAILED, on_problem(error))
            except Exception as error:  # a job ends with a problem, never silently
                job.finish(
                    JobState.FAILED,
                    {"title": "Internal error", "detail": type(error).__name__},
                )
            else:
                job.finish(JobState.DONE, result)

        threading.Thread(target=run, name=f"bonafide-{what}", daemon=True).start()
        return job
