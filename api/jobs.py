"""The job runner: solve jobs in a process pool, jobs that outlive the service.

The job table is the queue, shared by every server on the database.  Each
:class:`JobRunner` (one per server process) has an owner id; a worker process
(:func:`.solving.run_plan_job`) claims a queued row for it with a conditional
update, so only one server ever solves a job, and holds it under a *lease*:
``lease_owner``, ``heartbeat_at`` and ``lease_expires_at`` on the row.  The worker
renews the lease while it solves (a heartbeat thread, progress writes), and so does
its server while it lives (the worker's search may keep it busy for a while).

- On start, and then every ``lease_s / 5`` seconds, a runner takes back the jobs
  whose lease has lapsed (their server died), or at once those of a server of this
  machine that is known gone (a crash, then a restart): they are queued again until
  ``attempts - releases`` reaches ``max_attempts``, then they fail with the reason.
  Jobs a live server holds are left alone.  Queued jobs not yet handed to this
  runner's pool are submitted, oldest first.
- A graceful stop (:meth:`JobRunner.shutdown`) ends its workers and hands its jobs
  back: queued again with ``releases`` counted, so restarts never use up attempts,
  while a job that keeps crashing its worker still fails in the end.
- Worker processes die with their server: they ask the kernel for ``SIGKILL`` when
  the thread that started them ends (``PR_SET_PDEATHSIG``; all workers are started by
  one long-lived dispatcher thread), and watch their parent as well.  Each worker
  leads its own process group, with a small reaper process that kills the whole
  group when the worker ends, so whatever a worker starts dies with it too.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import multiprocessing
import os
import queue
import signal
import socket
import sys
import threading
import time
import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from .db import session_scope
from .solving import CANCELLED_BEFORE, LEASE_S, RENEWALS_PER_LEASE, lease_until, now, run_plan_job
from .tables import PlanRow

log = logging.getLogger("dromologio.api.jobs")

RESTART_REQUEUED = "service restarted while solving; solving again"
RESTART_FAILED = "service restarted while solving, {attempts} times; not tried again"
RELEASED = "the service stopped gracefully while solving; solving again"
CRASH_REQUEUED = "the solver process ended unexpectedly ({error}); solving again"
CRASH_FAILED = "the solver process ended unexpectedly ({error}), {times} times; not tried again"
CANCELLED_UNFINISHED = "cancelled while solving; the solver stopped before a plan was kept"
#: times a job whose worker never started is handed to a fresh pool before it fails.
MAX_RESUBMITS = 3

#: how much lower the solver processes run than the service (see os.nice).
SOLVER_NICENESS = 10
#: seconds between two looks of a worker's watchdog at its parent.
WATCHDOG_EVERY_S = 1.0
#: Linux prctl option: the signal a process gets when the thread that started it ends.
PR_SET_PDEATHSIG = 1


#: the owner ids of the runners started in this process and not shut down.
_LIVE_OWNERS: set[str] = set()


def owner_id() -> str:
    """An id for this server process, unique across machines and restarts: ``host:pid:random``."""
    return f"{_host()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _host() -> str:
    return socket.gethostname()[:200]


def owner_is_gone(owner: str) -> bool:
    """Whether ``owner`` was a server process of this machine that no longer runs.

    Only then is a lease known dead before it lapses (after a crash and a restart, say);
    an owner elsewhere, or one that may still run, is given until its lease lapses.
    """
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != _host() or not parts[1].isdigit() or owner in _LIVE_OWNERS:
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return True  # not a runner of this process: a server that ran before with this pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def request_cancel(session: Session, plan_id: str, *, when: datetime) -> None:
    """Ask to stop ``plan_id``: a queued job ends at once, a running one is stopped by its worker.

    Both are conditional updates in the database, never a write-back of a row read
    earlier, so a worker that claims the job meanwhile still sees the request
    (:func:`.solving.claim` refuses a queued job whose cancellation was asked).
    """
    session.execute(
        update(PlanRow)
        .where(PlanRow.plan_id == plan_id, PlanRow.status.in_(("queued", "running")))
        .values(cancel_requested=True)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(PlanRow)
        .where(PlanRow.plan_id == plan_id, PlanRow.status == "queued")
        .values(status="cancelled", finished_at=when, message=CANCELLED_BEFORE)
        .execution_options(synchronize_session=False)
    )


# --- worker processes ------------------------------------------------------------------------


def _die_with_parent(parent: int) -> None:
    """Pool initializer: lower priority, own process group, death with the parent, reaper.

    Runs first thing in each spawned worker, while it has no other thread.
    """
    with contextlib.suppress(OSError):
        os.nice(SOLVER_NICENESS)
    group = False
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
        group = True
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            # The C library is already loaded: its prctl, without looking for the library.
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if group:
        _start_reaper()
    threading.Thread(target=_watch_parent, args=(parent, group), name="parent-watchdog", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the kernel was asked
        _kill_self(group)


def _kill_self(group: bool) -> None:
    if group:
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def _watch_parent(parent: int, group: bool) -> None:
    """Fallback where the kernel does not tell (not Linux): end when the parent is gone."""
    while os.getppid() == parent:
        time.sleep(WATCHDOG_EVERY_S)
    _kill_self(group)


def _start_reaper() -> None:
    """Fork a tiny process that kills this worker's process group once the worker has ended.

    The worker keeps the write end of a pipe; the reaper blocks reading it and gets
    end-of-file when the worker is gone, however it ended (even ``SIGKILL``).
    """
    if not hasattr(os, "fork"):
        return
    read_end, write_end = os.pipe()
    if os.fork() != 0:
        os.close(read_end)
        return  # the worker: keeps write_end open for its whole life
    try:  # the reaper
        os.close(write_end)
        os.closerange(3, read_end)
        os.closerange(read_end + 1, 1 << 16)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while os.read(read_end, 1):
            pass
    finally:
        with contextlib.suppress(OSError):
            os.killpg(os.getpgrp(), signal.SIGKILL)
        os._exit(0)


def _kill_worker(process: Any) -> None:
    """End a worker and everything in its process group."""
    pid = process.pid
    if pid is None:
        return
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
            return
    except (OSError, AttributeError):
        pass
    with contextlib.suppress(OSError):
        process.kill()


# --- the runner ----------------------------------------------------------------------------


class JobRunner:
    """Hands jobs to a pool of solver processes and keeps the leases of the jobs they solve."""

    def __init__(
        self,
        database_url: str,
        sessions: sessionmaker[Session],
        *,
        workers: int,
        max_attempts: int = 2,
        lease_s: float = LEASE_S,
        scheduler: str = "",
    ) -> None:
        self.database_url = database_url
        #: where the parts of a big day run (the ``scheduler`` setting; empty: in the job's process).
        self.scheduler = scheduler
        self.sessions = sessions
        self.workers = max(1, workers)
        self.max_attempts = max_attempts
        self.lease_s = lease_s
        self.owner = owner_id()
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._closed = True
        #: plan ids handed to the pool and not finished there.
        self._pending: set[str] = set()
        self._resubmits: dict[str, int] = {}
        self._inbox: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    # --- life cycle -------------------------------------------------------------------------

    def _new_executor(self) -> ProcessPoolExecutor:
        # spawn: the service has threads (event loop, thread pool); forking them is unsafe.
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_die_with_parent,
            initargs=(os.getpid(),),
        )

    def start(self) -> list[str]:
        """Start the pool and resume the jobs left over; returns the ids submitted."""
        with self._lock:
            self._closed = False
            self._stopping.clear()
            _LIVE_OWNERS.add(self.owner)
            self._threads = [
                threading.Thread(target=self._dispatch, name="dromologio-jobs", daemon=True),
                threading.Thread(target=self._keep, name="dromologio-leases", daemon=True),
            ]
        self._threads[0].start()
        submitted = self.recover()
        self._threads[1].start()
        return submitted

    def recover(self) -> list[str]:
        """Take back the jobs whose lease lapsed and submit the queued ones; returns the ids submitted."""
        self._take_back_expired()
        with session_scope(self.sessions) as session:
            queued = list(
                session.scalars(
                    select(PlanRow.plan_id).where(PlanRow.status == "queued").order_by(PlanRow.created_at)
                )
            )
        with self._lock:
            fresh = [plan_id for plan_id in queued if plan_id not in self._pending]
        for plan_id in fresh:
            self.submit(plan_id)
        return fresh

    def _take_back_expired(self) -> None:
        """Queue again (or end) the running jobs whose lease lapsed or whose server is known gone."""
        moment = datetime.now()
        with session_scope(self.sessions) as session:
            owners = session.scalars(
                select(PlanRow.lease_owner)
                .where(PlanRow.status == "running", PlanRow.lease_owner.is_not(None))
                .distinct()
            )
            gone = sorted(o for o in owners if o is not None and owner_is_gone(o))
            lapsed = or_(
                PlanRow.lease_expires_at.is_(None),
                PlanRow.lease_expires_at < moment,
                PlanRow.lease_owner.in_(gone),
            )
            rows = session.execute(
                select(PlanRow.plan_id, PlanRow.attempts, PlanRow.releases, PlanRow.cancel_requested).where(
                    PlanRow.status == "running", lapsed
                )
            ).all()
            for plan_id, attempts, releases, cancel_requested in rows:
                if cancel_requested:
                    values: dict[str, Any] = {
                        "status": "cancelled",
                        "message": CANCELLED_UNFINISHED,
                        "finished_at": now(),
                    }
                elif attempts - releases >= self.max_attempts:
                    values = {
                        "status": "failed",
                        "message": RESTART_FAILED.format(attempts=attempts - releases),
                        "finished_at": now(),
                    }
                else:
                    values = {"status": "queued", "message": RESTART_REQUEUED}
                session.execute(
                    update(PlanRow)
                    .where(
                        PlanRow.plan_id == plan_id,
                        PlanRow.status == "running",
                        PlanRow.attempts == attempts,
                        lapsed,
                    )
                    .values(lease_owner=None, lease_expires_at=None, **values)
                    .execution_options(synchronize_session=False)
                )
                log.warning("plan %s: lease lapsed; %s", plan_id, values["status"])

    def _keep(self) -> None:
        """Renew this runner's leases and take back lapsed ones, until stopped."""
        while not self._stopping.wait(self.lease_s / RENEWALS_PER_LEASE):
            try:
                self._renew()
                self.recover()
            except Exception:  # the database may be away for a moment: try again next time
                log.warning("lease upkeep failed", exc_info=True)

    def _renew(self) -> None:
        with self._lock:
            pending = sorted(self._pending)
        if not pending:
            return
        with session_scope(self.sessions) as session:
            session.execute(
                update(PlanRow)
                .where(
                    PlanRow.lease_owner == self.owner,
                    PlanRow.status == "running",
                    PlanRow.plan_id.in_(pending),
                )
                .values(lease_expires_at=lease_until(self.lease_s))
                .execution_options(synchronize_session=False)
            )

    def shutdown(self) -> None:
        """Stop: end the workers and hand the jobs they were solving back to the queue."""
        with self._lock:
            if self._closed:
                return
            executor, self._executor = self._executor, None
            self._closed = True
            self._stopping.set()
        self._inbox.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
        if executor is not None:
            processes = list(getattr(executor, "_processes", {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                _kill_worker(process)
            for process in processes:
                process.join(timeout=5)
        self._release()
        with self._lock:
            self._pending.clear()
            _LIVE_OWNERS.discard(self.owner)

    def _release(self) -> None:
        """Hand back the jobs this runner holds: queued again, a release rather than a failed attempt."""
        mine = (PlanRow.lease_owner == self.owner) & (PlanRow.status == "running")
        cleared = {"lease_owner": None, "lease_expires_at": None}
        with session_scope(self.sessions) as session:
            session.execute(
                update(PlanRow)
                .where(mine, PlanRow.cancel_requested.is_(True))
                .values(status="cancelled", message=CANCELLED_UNFINISHED, finished_at=now(), **cleared)
                .execution_options(synchronize_session=False)
            )
            released = session.scalars(
                update(PlanRow)
                .where(mine)
                .values(status="queued", releases=PlanRow.releases + 1, message=RELEASED, **cleared)
                .returning(PlanRow.plan_id)
                .execution_options(synchronize_session=False)
            ).all()
        if released:
            log.info("handed %d job(s) back to the queue: %s", len(released), ", ".join(released))

    # --- jobs ---------------------------------------------------------------------------------

    def submit(self, plan_id: str) -> None:
        """Hand ``plan_id`` to the pool (through the dispatcher thread)."""
        with self._lock:
            if self._closed:
                return
            self._pending.add(plan_id)
        self._inbox.put(plan_id)

    def _dispatch(self) -> None:
        """The one thread that starts worker processes, so that they live as long as the runner."""
        while (plan_id := self._inbox.get()) is not None:
            try:
                self._hand_over(plan_id)
            except Exception:  # the job stays queued: the next look for queued jobs submits it again
                log.exception("plan %s: could not be handed to a solver process", plan_id)
                with self._lock:
                    self._pending.discard(plan_id)

    def _hand_over(self, plan_id: str) -> None:
        with self._lock:
            if self._closed:
                return
            if self._executor is None or getattr(self._executor, "_broken", False):
                self._executor = self._new_executor()
            executor = self._executor
        try:
            future = executor.submit(
                run_plan_job, self.database_url, plan_id, self.owner, self.lease_s, self.scheduler
            )
        except BrokenProcessPool:
            with self._lock:
                if self._closed:
                    return
                executor = self._executor = self._new_executor()
            future = executor.submit(
                run_plan_job, self.database_url, plan_id, self.owner, self.lease_s, self.scheduler
            )
        future.add_done_callback(functools.partial(self._finished, plan_id))

    def _finished(self, plan_id: str, future: Future[str]) -> None:
        with self._lock:
            self._pending.discard(plan_id)
            if self._closed or future.cancelled():
                return
        error = future.exception()
        if error is None:
            if future.result() == "lost":
                log.warning("plan %s: taken over by another server while solving", plan_id)
            return
        resubmit = False
        with session_scope(self.sessions) as session:
            row = session.execute(
                select(PlanRow.status, PlanRow.attempts, PlanRow.releases, PlanRow.lease_owner).where(
                    PlanRow.plan_id == plan_id
                )
            ).one_or_none()
            if row is None:
                return
            status, attempts, releases, owner = row
            described = f"{type(error).__name__}: {error}"
            values: dict[str, Any] | None = None
            if status == "queued" and self._resubmits.get(plan_id, 0) < MAX_RESUBMITS:
                # Never claimed: the pool broke under another job; try again on a fresh pool.
                self._resubmits[plan_id] = self._resubmits.get(plan_id, 0) + 1
                resubmit = True
            elif status == "queued":
                values = {
                    "status": "failed",
                    "message": f"no solver process could be started ({described})",
                    "finished_at": now(),
                }
            elif status == "running" and owner == self.owner:
                if attempts - releases < self.max_attempts:
                    values = {"status": "queued", "message": CRASH_REQUEUED.format(error=described)}
                    resubmit = True
                else:
                    values = {
                        "status": "failed",
                        "message": CRASH_FAILED.format(error=described, times=attempts - releases),
                        "finished_at": now(),
                    }
            if values is not None:
                session.execute(
                    update(PlanRow)
                    .where(PlanRow.plan_id == plan_id, PlanRow.status == status, PlanRow.attempts == attempts)
                    .values(lease_owner=None, lease_expires_at=None, **values)
                    .execution_options(synchronize_session=False)
                )
        log.warning("plan %s: worker error %r", plan_id, error)
        if resubmit:
            self.submit(plan_id)
