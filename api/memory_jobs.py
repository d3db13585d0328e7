"""Jobs kept in the service's memory: campaigns and estimates.

A planning exercise whose answer is a result document (not the day's operations) runs as a
job in a background thread of the service process, one at a time per kind, its solver tasks on
the executor the ``scheduler`` setting names (:func:`job_executor`).  A restart forgets the jobs:
the same request and seed give the same answer when posted again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from fastapi import Request

from dromologio.dispatch import LocalExecutor
from dromologio.dispatch.executor import SolveExecutor, executor_for

from .settings import Settings

__all__ = ["JobStatus", "MemoryJob", "MemoryJobs", "app_jobs", "executor_description", "job_executor"]

JobStatus = Literal["queued", "running", "done", "failed"]


def job_executor(settings: Settings) -> SolveExecutor:
    """Where a job's solver tasks run: local processes (``solver_workers``) when ``scheduler`` is
    empty, else the Dask LocalCluster (``local``) or scheduler (``tcp://host:8786``) it names."""
    if settings.scheduler:
        return executor_for(settings.scheduler)
    return LocalExecutor(settings.num_workers)


def executor_description(settings: Settings) -> str:
    """Where the jobs run, in words, without starting anything."""
    if not settings.scheduler:
        return f"local processes ({settings.num_workers})"
    if settings.scheduler == "local":
        return "Dask LocalCluster"
    return f"Dask scheduler {settings.scheduler}"


@dataclass(kw_only=True)
class MemoryJob:
    """What every in-memory job has: its id, when it was posted, status, error and result."""

    job_id: str
    created_at: datetime
    status: JobStatus = "queued"
    error: str | None = None
    result: dict[str, Any] | None = None


J = TypeVar("J", bound=MemoryJob)


@dataclass
class MemoryJobs(Generic[J]):
    """The jobs of one kind of one application, in memory; one runs at a time in a background thread."""

    settings: Settings
    name: str
    jobs: dict[str, J] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    pool: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self.name)

    def submit(self, job: J, work: Callable[[SolveExecutor], dict[str, Any]]) -> None:
        """Keep ``job`` and run ``work`` on the job executor in the background; its answer is the result."""
        with self.lock:
            self.jobs[job.job_id] = job
        self.pool.submit(self._run, job, work)

    def _run(self, job: J, work: Callable[[SolveExecutor], dict[str, Any]]) -> None:
        job.status = "running"
        try:
            executor = job_executor(self.settings)
            try:
                result = work(executor)
            finally:
                executor.close()
        except Exception as error:  # a failed job is reported in its status, never dropped
            job.error = f"{type(error).__name__}: {error}"
            job.status = "failed"
            return
        job.result = result
        job.status = "done"

    def get(self, job_id: str) -> J | None:
        with self.lock:
            return self.jobs.get(job_id)

    def visible(self, sees: Callable[[J], bool]) -> list[J]:
        """The jobs ``sees`` admits, newest first."""
        with self.lock:
            jobs = list(self.jobs.values())
        return sorted((j for j in jobs if sees(j)), key=lambda j: (j.created_at, j.job_id), reverse=True)


_STATE_LOCK = threading.Lock()


def app_jobs(request: Request, settings: Settings, name: str) -> MemoryJobs[Any]:
    """The application's jobs of kind ``name`` (made on first use, kept in ``app.state``)."""
    state = request.app.state
    attribute = f"memory_jobs_{name}"
    with _STATE_LOCK:
        jobs: MemoryJobs[Any] | None = getattr(state, attribute, None)
        if jobs is None:
            jobs = MemoryJobs(settings=settings, name=name)
            setattr(state, attribute, jobs)
    return jobs
