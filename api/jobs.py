"""The job runner: solve jobs in a process pool, jobs that outlive the service.

The job table is the queue.  :meth:`JobRunner.submit` hands a plan id to a
worker process (:func:`.solving.run_plan_job`), which claims the row, solves and
stores the plan.  On start, :meth:`JobRunner.recover` re-queues the jobs a stop
of the service interrupted (until they have started ``max_attempts`` times; then
they fail with the reason) and resubmits every queued job, oldest first.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from .db import session_scope
from .solving import now, run_plan_job
from .tables import PlanRow

log = logging.getLogger("dromologio.api.jobs")

RESTART_REQUEUED = "service restarted while solving; solving again"
RESTART_FAILED = "service restarted while solving, {attempts} times; not tried again"
#: times a job whose worker never started is handed to a fresh pool before it fails.
MAX_RESUBMITS = 3


#: how much lower the solver processes run than the service (see os.nice).
SOLVER_NICENESS = 10


def _lower_priority() -> None:
    """Solver processes yield the CPU to the service: reads stay fast while both cores solve."""
    with contextlib.suppress(OSError):
        os.nice(SOLVER_NICENESS)


class JobRunner:
    def __init__(
        self,
        database_url: str,
        sessions: sessionmaker[Session],
        *,
        workers: int,
        max_attempts: int = 2,
    ) -> None:
        self.database_url = database_url
        self.sessions = sessions
        self.workers = max(1, workers)
        self.max_attempts = max_attempts
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False
        self._resubmits: dict[str, int] = {}

    # --- life cycle -------------------------------------------------------------------------

    def _new_executor(self) -> ProcessPoolExecutor:
        # spawn: the service has threads (event loop, thread pool); forking them is unsafe.
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_lower_priority,
        )

    def start(self) -> list[str]:
        """Start the pool and resume the jobs left over; returns the ids resubmitted."""
        with self._lock:
            self._executor = self._new_executor()
            self._closed = False
        return self.recover()

    def recover(self) -> list[str]:
        with session_scope(self.sessions) as session:
            for row in session.scalars(select(PlanRow).where(PlanRow.status == "running")):
                if row.attempts >= self.max_attempts:
                    row.status = "failed"
                    row.message = RESTART_FAILED.format(attempts=row.attempts)
                    row.finished_at = now()
                else:
                    row.status = "queued"
                    row.message = RESTART_REQUEUED
                    row.cancel_requested = False
            queued = list(
                session.scalars(
                    select(PlanRow.plan_id).where(PlanRow.status == "queued").order_by(PlanRow.created_at)
                )
            )
        for plan_id in queued:
            self.submit(plan_id)
        return queued

    def shutdown(self) -> None:
        """Stop at once.  Jobs being solved stay ``running`` in the table and are resumed at the next start."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._closed = True
        if executor is None:
            return
        processes = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)

    # --- jobs ---------------------------------------------------------------------------------

    def submit(self, plan_id: str) -> None:
        with self._lock:
            if self._closed or self._executor is None:
                return
            try:
                future = self._executor.submit(run_plan_job, self.database_url, plan_id)
            except BrokenProcessPool:
                self._executor = self._new_executor()
                future = self._executor.submit(run_plan_job, self.database_url, plan_id)
        future.add_done_callback(lambda f: self._finished(plan_id, f))

    def _finished(self, plan_id: str, future: Future[str]) -> None:
        if future.cancelled() or self._closed:
            return
        error = future.exception()
        if error is None:
            return
        with session_scope(self.sessions) as session:
            row = session.get(PlanRow, plan_id)
            if row is None:
                return
            if row.status == "queued" and self._resubmits.get(plan_id, 0) < MAX_RESUBMITS:
                # Never claimed: the pool broke under another job; try again on a fresh pool.
                self._resubmits[plan_id] = self._resubmits.get(plan_id, 0) + 1
                resubmit = True
            elif row.status == "queued":
                resubmit = False
                row.status = "failed"
                row.message = f"no solver process could be started ({type(error).__name__}: {error})"
                row.finished_at = now()
            else:
                resubmit = False
                if row.status == "running":
                    row.status = "failed"
                    row.message = f"the solver process ended unexpectedly ({type(error).__name__}: {error})"
                    row.finished_at = now()
        log.warning("plan %s: worker error %r", plan_id, error)
        if resubmit:
            with self._lock:
                if self._executor is not None and getattr(self._executor, "_broken", False):
                    self._executor = self._new_executor()
            self.submit(plan_id)
