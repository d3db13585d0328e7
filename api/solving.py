"""Solving one plan job, in a worker process.

:func:`run_plan_job` is what the process pool runs: it claims the job row (a lease
for the server process that handed it over, see :mod:`.jobs`), solves the problem
snapshot stored in it with :func:`dromologio.dispatch.solve`, writes progress while
the search runs (throttled), stops when the row asks for cancellation (keeping the
best plan so far), and stores the plan with the independent checker's verdict.  It
talks to the database only: nothing but a database URL, a plan id and the lease's
owner and length crosses the process boundary.

While the job is solved, a heartbeat thread renews the lease and looks at the row:
a cancellation is seen before the search starts as well as during it, and a job
this worker no longer holds (its lease lapsed and another server took it) is
abandoned without writing anything.  Ticket rows of the snapshot that cannot be
read are left out of the solve and reported as unassigned (:mod:`.snapshot`).

Ticket locks (a ticket only one technician may serve) are honoured by
:func:`solve_plan`.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, insert, select, update

from dromologio.geo.closures import Closure
from dromologio.models import Plan, Problem
from dromologio.models.plan import Unassigned

from .db import make_engine
from .snapshot import Snapshot, SnapshotError, read_snapshot
from .tables import PlanRow, PlanVisitRow, TicketEventRow, TicketRow

if TYPE_CHECKING:  # the solver is imported by the job's process only
    from dromologio.dispatch.params import SearchParams
    from dromologio.dispatch.solve import Horizon

log = logging.getLogger("dromologio.api.solving")

#: least seconds between two progress writes, and between two looks at the job's row.
PROGRESS_EVERY_S = 0.5
CANCEL_POLL_EVERY_S = 0.25
#: seconds a job's lease lasts unless renewed; it is renewed this many times per lease.
LEASE_S = 30.0
RENEWALS_PER_LEASE = 5
#: OR-Tools objective units per EUR (see dromologio.dispatch.build).
COST_UNITS_PER_EUR = 10_000

CANCELLED_BEFORE = "cancelled before solving started"
CANCELLED_AT_START = "cancelled as solving started: no plan was made"
CANCELLED_WHILE = "cancelled while solving: the best plan found until then is kept"

_ENGINES: dict[str, Engine] = {}


def _engine(url: str) -> Engine:
    """One engine per database per worker process (workers are reused across jobs)."""
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def lease_until(lease_s: float, moment: datetime | None = None) -> datetime:
    """When a lease taken or renewed at ``moment`` (now by default) lapses."""
    return (moment or datetime.now()) + timedelta(seconds=lease_s)


def solve_plan(
    problem: Problem,
    plan_date: date,
    *,
    days: int = 1,
    locks: Mapping[str, str] | None = None,
    time_limit_s: float,
    seed: int = 0,
    on_solution: Callable[[float, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    closures: Sequence[Closure] = (),
    scheduler: str = "",
    params: SearchParams | None = None,
    horizon: Horizon = "tours",
) -> Plan:
    """Plan ``days`` working days; ``locks`` maps a ticket id to the only technician who may serve it.

    A ticket locked to a technician who is not in the problem (or cannot serve it) is
    unassigned with that reason, by the solver itself.  ``scheduler`` (the service's
    ``DROMOLOGIO_SCHEDULER``): a day big enough to be solved in parts
    (``params.decompose_above_visits``) runs its parts on that Dask LocalCluster or scheduler;
    other days, and every day without it, are solved in this process.
    """
    from dromologio.dispatch import SearchParams, solve
    from dromologio.dispatch.executor import executor_for
    from dromologio.planning.preventive import relabel

    # The service runs one job per core already (see jobs.py): each job searches in its own
    # process only, with guided local search, which reports progress and can be cancelled.
    params = params or SearchParams(num_workers=1)
    to_visit = sum(1 for t in problem.tickets if t.needs_visit)
    big = 0 < params.decompose_above_visits < to_visit
    executor = executor_for(scheduler) if scheduler and big else None
    try:
        plan = solve(
            problem,
            plan_date,
            days=days,
            horizon=horizon,
            time_limit_s=time_limit_s,
            seed=seed,
            params=params,
            on_solution=on_solution,
            should_stop=should_stop,
            locks=dict(locks or {}),
            closures=closures,
            executor=executor,
        ).plan
    finally:
        if executor is not None:
            executor.close()
    # A preventive visit left undone for lack of room says so (a no-op without them).
    return relabel(problem, plan)


# --- the job ------------------------------------------------------------------------------


#: the columns a worker reads of the row it claimed.
_CLAIMED = (
    PlanRow.attempts,
    PlanRow.problem,
    PlanRow.plan_date,
    PlanRow.days,
    PlanRow.horizon,
    PlanRow.locks,
    PlanRow.time_limit_s,
    PlanRow.seed,
    PlanRow.message,
    PlanRow.scenario,
    PlanRow.parent_plan_id,
)


def claim(engine: Engine, plan_id: str, *, owner: str, lease_s: float) -> Mapping[str, Any] | str:
    """Take the queued job ``plan_id`` for ``owner``: the row's claimed columns, or why not.

    The update is conditional, so of several servers or workers only one claims a job.
    A queued job whose cancellation was asked ends ``cancelled`` here and is not solved.
    Returns ``skipped`` (not queued: claimed elsewhere, done, cancelled before) or
    ``cancelled`` instead of the row.
    """
    moment = datetime.now()
    with engine.begin() as connection:
        claimed = connection.execute(
            update(PlanRow)
            .where(
                PlanRow.plan_id == plan_id,
                PlanRow.status == "queued",
                PlanRow.cancel_requested.is_(False),
            )
            .values(
                status="running",
                attempts=PlanRow.attempts + 1,
                started_at=now(),
                elapsed_s=0.0,
                best_objective_eur=None,
                solutions_found=0,
                lease_owner=owner,
                heartbeat_at=moment,
                lease_expires_at=lease_until(lease_s, moment),
            )
        )
        if claimed.rowcount == 0:
            cancelled = connection.execute(
                update(PlanRow)
                .where(
                    PlanRow.plan_id == plan_id,
                    PlanRow.status == "queued",
                    PlanRow.cancel_requested.is_(True),
                )
                .values(status="cancelled", finished_at=now(), message=CANCELLED_BEFORE)
            )
            return "cancelled" if cancelled.rowcount else "skipped"
        return dict(connection.execute(select(*_CLAIMED).where(PlanRow.plan_id == plan_id)).mappings().one())


class _Tracker:
    """The claimed job's row seen from the worker: progress, lease renewal, cancellation, loss.

    :meth:`look` reads the row (at most every :data:`CANCEL_POLL_EVERY_S` unless forced) and
    renews the lease when due; the heartbeat thread calls it all along, and the search calls
    it through :meth:`should_stop` (the first time at once).  Writes are fenced by the
    attempt number: a worker whose job was taken over writes nothing.
    """

    def __init__(self, engine: Engine, plan_id: str, attempt: int, lease_s: float) -> None:
        self.engine = engine
        self.plan_id = plan_id
        self.attempt = attempt
        self.lease_s = lease_s
        self.renew_every_s = lease_s / RENEWALS_PER_LEASE
        self.started = time.monotonic()
        self.last_write = 0.0
        self.last_look = -math.inf
        self.last_renewal = time.monotonic()
        self.best_eur: float | None = None
        self.solutions = 0
        self.cancelled = False
        #: the job is no longer this worker's (its lease lapsed and it was taken, or it ended).
        self.lost = False
        self.searching = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._heart: threading.Thread | None = None

    def mine(self) -> Any:
        return (
            (PlanRow.plan_id == self.plan_id)
            & (PlanRow.attempts == self.attempt)
            & (PlanRow.status == "running")
        )

    @property
    def elapsed_s(self) -> float:
        return round(time.monotonic() - self.started, 2)

    @property
    def stopping(self) -> bool:
        return self.cancelled or self.lost

    # --- the heartbeat thread ---------------------------------------------------------------

    def start(self) -> None:
        self._heart = threading.Thread(target=self._beat, name=f"heartbeat-{self.plan_id}", daemon=True)
        self._heart.start()

    def stop(self) -> None:
        self._stop.set()
        if self._heart is not None:
            self._heart.join()

    def _beat(self) -> None:
        while not self._stop.wait(CANCEL_POLL_EVERY_S):
            try:
                self.look()
            except Exception:  # a database hiccup: the next beat tries again
                log.warning("plan %s: heartbeat failed", self.plan_id, exc_info=True)

    # --- the row --------------------------------------------------------------------------

    def look(self, *, force: bool = False) -> bool:
        """Renew the lease when due and read the row when due; True when the solve should stop."""
        if not self._lock.acquire(blocking=force):
            return self.stopping  # the other thread is looking right now
        try:
            moment = time.monotonic()
            renew = moment - self.last_renewal >= self.renew_every_s
            if not (force or renew or moment - self.last_look >= CANCEL_POLL_EVERY_S):
                return self.stopping
            self.last_look = moment
            with self.engine.begin() as connection:
                if renew:
                    self._renew(connection)
                seen = connection.execute(
                    select(PlanRow.cancel_requested).where(self.mine())
                ).scalar_one_or_none()
            if seen is None:
                self.lost = True
            else:
                self.cancelled = self.cancelled or bool(seen)
            return self.stopping
        finally:
            self._lock.release()

    def _renew(self, connection: Any, **values: Any) -> None:
        moment = datetime.now()
        connection.execute(
            update(PlanRow)
            .where(self.mine())
            .values(heartbeat_at=moment, lease_expires_at=lease_until(self.lease_s, moment), **values)
        )
        self.last_renewal = time.monotonic()

    def write(self, **values: Any) -> None:
        """Progress (and ``values``), renewing the lease on the way."""
        with self.engine.begin() as connection:
            self._renew(
                connection,
                elapsed_s=self.elapsed_s,
                best_objective_eur=self.best_eur,
                solutions_found=self.solutions,
                **values,
            )

    # --- the search's callbacks -------------------------------------------------------------

    def on_solution(self, _elapsed_s: float, objective: int) -> None:
        self.solutions += 1
        self.best_eur = round(objective / COST_UNITS_PER_EUR, 2)
        moment = time.monotonic()
        if moment - self.last_write >= PROGRESS_EVERY_S:
            self.last_write = moment
            try:
                self.write()
            except Exception:  # progress is best effort: the search goes on
                log.warning("plan %s: progress not written", self.plan_id, exc_info=True)

    def should_stop(self) -> bool:
        """The search asks: the first time, the row is read at once; then at most every poll period."""
        first, self.searching = not self.searching, True
        try:
            return self.look(force=first)
        except Exception:  # the database is away for a moment: the heartbeat looks again
            log.warning("plan %s: could not look at the job", self.plan_id, exc_info=True)
            return self.stopping


def with_left_out(plan: Plan, left_out: tuple[Unassigned, ...]) -> Plan:
    """``plan`` with the tickets left out of the solve among its unassigned, counted in its KPIs."""
    if not left_out:
        return plan
    kpis = dict(plan.kpis)
    for key in ("tickets", "unassigned"):
        if isinstance(kpis.get(key), int):
            kpis[key] += len(left_out)
    return dataclasses.replace(plan, unassigned=(*plan.unassigned, *left_out), kpis=kpis)


def _record_visits(
    connection: Any, plan_id: str, parent_plan_id: str | None, plan: Plan, when: datetime
) -> None:
    """The plan's visit rows: planned, or started when the re-planned plan kept a started visit.

    A plan's tickets' history ("planned", "unassigned") is written when it is published
    (:func:`ticket_events`), never by the job: drafts and scenarios do not touch it.
    """
    started: set[str] = set()
    if parent_plan_id is not None:
        started = set(
            connection.scalars(
                select(PlanVisitRow.ticket_id).where(
                    PlanVisitRow.plan_id == parent_plan_id, PlanVisitRow.state == "started"
                )
            )
        )
    visits = [
        {
            "plan_id": plan_id,
            "ticket_id": ticket_id,
            "technician_id": route.technician_id,
            "state": "started" if ticket_id in started else "planned",
            "updated_at": when,
            "note": "",
        }
        for route in plan.routes
        for stop in route.visits
        for ticket_id in stop.ticket_ids
    ]
    if visits:
        connection.execute(insert(PlanVisitRow), visits)


def ticket_events(connection: Any, plan_id: str, plan: Plan, when: datetime) -> None:
    """The "planned" and "unassigned" events of a published plan's tickets (those the database knows)."""
    ids = {t for route in plan.routes for t in route.ticket_ids} | {u.ticket_id for u in plan.unassigned}
    known = set(connection.scalars(select(TicketRow.ticket_id).where(TicketRow.ticket_id.in_(sorted(ids)))))
    events: list[dict[str, Any]] = []
    for route in plan.routes:
        for stop in route.visits:
            window = (
                f"{route.date.isoformat()} {stop.start:%H:%M}–{stop.end:%H:%M}"
                if stop.start and stop.end
                else ""
            )
            events.extend(
                {
                    "ticket_id": ticket_id,
                    "at": when,
                    "kind": "planned",
                    "plan_id": plan_id,
                    "technician_id": route.technician_id,
                    "note": window,
                }
                for ticket_id in stop.ticket_ids
                if ticket_id in known
            )
    events.extend(
        {
            "ticket_id": item.ticket_id,
            "at": when,
            "kind": "unassigned",
            "plan_id": plan_id,
            "technician_id": None,
            "note": item.reason,
        }
        for item in plan.unassigned
        if item.ticket_id in known
    )
    if events:
        connection.execute(insert(TicketEventRow), events)


def run_plan_job(
    database_url: str, plan_id: str, owner: str = "", lease_s: float = LEASE_S, scheduler: str = ""
) -> str:
    """Claim the queued job ``plan_id`` for the server ``owner`` and solve it; returns the status it ended in.

    ``skipped`` when it was not queued, ``lost`` when it was taken over while solving.
    ``scheduler``: where the parts of a big day run (:func:`solve_plan`).
    """
    engine = _engine(database_url)
    claimed = claim(engine, plan_id, owner=owner, lease_s=lease_s)
    if isinstance(claimed, str):
        return claimed
    return solve_claimed(engine, plan_id, claimed, lease_s=lease_s, scheduler=scheduler)


def solve_claimed(
    engine: Engine,
    plan_id: str,
    claimed: Mapping[str, Any],
    *,
    lease_s: float = LEASE_S,
    scheduler: str = "",
) -> str:
    """Solve the job this process claimed (``claimed``: what :func:`claim` returned) and store its plan."""
    tracker = _Tracker(engine, plan_id, int(claimed["attempts"]), lease_s)
    tracker.start()
    try:
        return _solve_claimed(engine, tracker, claimed, scheduler)
    except Exception as exc:
        log.exception("plan %s failed", plan_id)
        message = str(exc) if isinstance(exc, SnapshotError) else f"{type(exc).__name__}: {exc}"
        with engine.begin() as connection:
            connection.execute(
                update(PlanRow)
                .where(tracker.mine())
                .values(status="failed", message=message, finished_at=now(), elapsed_s=tracker.elapsed_s)
            )
        return "failed"
    finally:
        tracker.stop()


def _end_unsolved(engine: Engine, tracker: _Tracker) -> str:
    """The job stops before its search: cancelled without a plan, or abandoned when lost."""
    if tracker.lost:
        return "lost"
    with engine.begin() as connection:
        connection.execute(
            update(PlanRow)
            .where(tracker.mine())
            .values(
                status="cancelled",
                message=CANCELLED_AT_START,
                finished_at=now(),
                elapsed_s=tracker.elapsed_s,
            )
        )
    return "cancelled"


def _solve_claimed(engine: Engine, tracker: _Tracker, row: Mapping[str, Any], scheduler: str = "") -> str:
    from dromologio.models.checker import check_plan

    # A cancellation asked between the claim and here is seen now, not at the first solution.
    if tracker.look(force=True):
        return _end_unsolved(engine, tracker)
    snapshot: Snapshot = read_snapshot(row["problem"], source="plan")
    problem = snapshot.problem
    tracker.write(tickets_to_visit=sum(1 for t in problem.tickets if t.needs_visit) + len(snapshot.left_out))
    if tracker.look(force=True):
        return _end_unsolved(engine, tracker)
    from .routes.closures import closures_for_plan

    with engine.connect() as connection:
        closures = closures_for_plan(
            connection, problem, date.fromisoformat(row["plan_date"]), int(row["days"])
        )
    solved = solve_plan(
        problem,
        date.fromisoformat(row["plan_date"]),
        days=int(row["days"]),
        horizon="rolling" if row["horizon"] == "rolling" else "tours",
        locks=row["locks"] or {},
        time_limit_s=float(row["time_limit_s"]),
        seed=int(row["seed"]),
        on_solution=tracker.on_solution,
        should_stop=tracker.should_stop,
        closures=closures,
        scheduler=scheduler,
    )
    if tracker.lost:
        return "lost"
    # The checker judges the solve; the tickets left out are then reported with it.
    report = check_plan(problem, solved)
    plan = with_left_out(solved, snapshot.left_out)
    status = "cancelled" if tracker.cancelled else "done"
    message = CANCELLED_WHILE if status == "cancelled" else row["message"] or ""
    message = "; ".join(m for m in (message, *snapshot.notes) if m)
    finished = now()
    with engine.begin() as connection:
        stored = connection.execute(
            update(PlanRow)
            .where(tracker.mine())
            .values(
                status=status,
                result=plan.to_dict(),
                has_plan=True,
                check_ok=report.ok,
                check_violations=[_violation(v) for v in report.violations],
                finished_at=finished,
                elapsed_s=tracker.elapsed_s,
                best_objective_eur=tracker.best_eur,
                solutions_found=tracker.solutions,
                tickets_placed=len(plan.visited_ticket_ids),
                message=message,
            )
        )
        if not stored.rowcount:
            return "lost"
        if not row["scenario"]:
            _record_visits(connection, tracker.plan_id, row["parent_plan_id"], plan, finished)
    return status


def _violation(violation: Any) -> dict[str, Any]:
    return {
        "rule": violation.rule,
        "message": violation.message,
        "technician_id": violation.technician_id,
        "date": None if violation.date is None else violation.date.isoformat(),
        "stop_index": violation.stop_index,
    }
