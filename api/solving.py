"""Solving one plan job, in a worker process.

:func:`run_plan_job` is what the process pool runs: it claims the job row,
solves the problem snapshot stored in it with :func:`dromologio.dispatch.solve`,
writes progress while the search runs (throttled), stops when the row asks for
cancellation (keeping the best plan so far), and stores the plan with the
independent checker's verdict.  It talks to the database only: nothing but a
database URL and a plan id crosses the process boundary.

Ticket locks (a ticket only one technician may serve) are honoured by
:func:`solve_plan`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from dromologio.models import Plan, Problem

from .db import make_engine
from .tables import PlanRow, PlanVisitRow, TicketEventRow, TicketRow

log = logging.getLogger("dromologio.api.solving")

#: least seconds between two progress writes, and between two looks at the cancel flag.
PROGRESS_EVERY_S = 0.5
CANCEL_POLL_EVERY_S = 0.25
#: OR-Tools objective units per EUR (see dromologio.dispatch.build).
COST_UNITS_PER_EUR = 10_000

_ENGINES: dict[str, Engine] = {}


def _engine(url: str) -> Engine:
    """One engine per database per worker process (workers are reused across jobs)."""
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


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
) -> Plan:
    """Plan ``days`` working days; ``locks`` maps a ticket id to the only technician who may serve it.

    A ticket locked to a technician who is not in the problem (or cannot serve it) is
    unassigned with that reason, by the solver itself.
    """
    from dromologio.dispatch import SearchParams, solve

    plan = solve(
        problem,
        plan_date,
        days=days,
        time_limit_s=time_limit_s,
        seed=seed,
        # The service runs one job per core already (see jobs.py): each job searches in its own
        # process only, with guided local search, which reports progress and can be cancelled.
        params=SearchParams(num_workers=1),
        on_solution=on_solution,
        should_stop=should_stop,
        locks=dict(locks or {}),
    ).plan
    return plan


# --- the job ------------------------------------------------------------------------------


class _Tracker:
    """Progress writes and cancel polls, throttled; both go through the job's row."""

    def __init__(self, engine: Engine, plan_id: str, attempt: int) -> None:
        self.engine = engine
        self.plan_id = plan_id
        self.attempt = attempt
        self.started = time.monotonic()
        self.last_write = 0.0
        self.last_poll = 0.0
        self.best_eur: float | None = None
        self.solutions = 0
        self.cancelled = False

    def mine(self) -> Any:
        return (PlanRow.plan_id == self.plan_id) & (PlanRow.attempts == self.attempt)

    @property
    def elapsed_s(self) -> float:
        return round(time.monotonic() - self.started, 2)

    def on_solution(self, _elapsed_s: float, objective: int) -> None:
        self.solutions += 1
        self.best_eur = round(objective / COST_UNITS_PER_EUR, 2)
        moment = time.monotonic()
        if moment - self.last_write >= PROGRESS_EVERY_S:
            self.last_write = moment
            self.write()

    def write(self, **values: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(PlanRow)
                .where(self.mine())
                .values(
                    elapsed_s=self.elapsed_s,
                    best_objective_eur=self.best_eur,
                    solutions_found=self.solutions,
                    **values,
                )
            )

    def should_stop(self) -> bool:
        moment = time.monotonic()
        if not self.cancelled and moment - self.last_poll >= CANCEL_POLL_EVERY_S:
            self.last_poll = moment
            with self.engine.connect() as connection:
                flag = connection.scalar(select(PlanRow.cancel_requested).where(self.mine()))
            self.cancelled = bool(flag)
        return self.cancelled


def _record_visits(
    connection: Any, plan_id: str, parent_plan_id: str | None, plan: Plan, when: datetime
) -> None:
    """Visit rows (planned; started when the re-planned plan kept a started visit) and ticket events."""
    started: set[str] = set()
    if parent_plan_id is not None:
        started = set(
            connection.scalars(
                select(PlanVisitRow.ticket_id).where(
                    PlanVisitRow.plan_id == parent_plan_id, PlanVisitRow.state == "started"
                )
            )
        )
    known = set(connection.scalars(select(TicketRow.ticket_id)))
    visits: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for route in plan.routes:
        for stop in route.visits:
            for ticket_id in stop.ticket_ids:
                state = "started" if ticket_id in started else "planned"
                visits.append(
                    {
                        "plan_id": plan_id,
                        "ticket_id": ticket_id,
                        "technician_id": route.technician_id,
                        "state": state,
                        "updated_at": when,
                        "note": "",
                    }
                )
                if ticket_id in known:
                    window = (
                        f"{route.date.isoformat()} {stop.start:%H:%M}–{stop.end:%H:%M}"
                        if stop.start and stop.end
                        else ""
                    )
                    events.append(
                        {
                            "ticket_id": ticket_id,
                            "at": when,
                            "kind": "planned",
                            "plan_id": plan_id,
                            "technician_id": route.technician_id,
                            "note": window,
                        }
                    )
    for item in plan.unassigned:
        if item.ticket_id in known:
            events.append(
                {
                    "ticket_id": item.ticket_id,
                    "at": when,
                    "kind": "unassigned",
                    "plan_id": plan_id,
                    "technician_id": None,
                    "note": item.reason,
                }
            )
    if visits:
        connection.execute(insert(PlanVisitRow), visits)
    if events:
        connection.execute(insert(TicketEventRow), events)


def run_plan_job(database_url: str, plan_id: str) -> str:
    """Solve the queued job ``plan_id``; returns the status it ended in (``skipped`` if not queued)."""
    from dromologio.models.checker import check_plan
    from dromologio.models.readers import read_problem_dict

    engine = _engine(database_url)
    with engine.begin() as connection:
        claimed = connection.execute(
            update(PlanRow)
            .where(PlanRow.plan_id == plan_id, PlanRow.status == "queued")
            .values(
                status="running",
                attempts=PlanRow.attempts + 1,
                started_at=now(),
                elapsed_s=0.0,
                best_objective_eur=None,
                solutions_found=0,
            )
        )
        if claimed.rowcount == 0:
            return "skipped"
        row = connection.execute(select(PlanRow).where(PlanRow.plan_id == plan_id)).mappings().one()
    tracker = _Tracker(engine, plan_id, int(row["attempts"]))
    try:
        problem = read_problem_dict(row["problem"], source="plan")
        tracker.write(tickets_to_visit=sum(1 for t in problem.tickets if t.needs_visit))
        plan = solve_plan(
            problem,
            date.fromisoformat(row["plan_date"]),
            days=int(row["days"]),
            locks=row["locks"] or {},
            time_limit_s=float(row["time_limit_s"]),
            seed=int(row["seed"]),
            on_solution=tracker.on_solution,
            should_stop=tracker.should_stop,
        )
        report = check_plan(problem, plan)
        status = "cancelled" if tracker.cancelled else "done"
        finished = now()
        with engine.begin() as connection:
            stored = connection.execute(
                update(PlanRow)
                .where(tracker.mine(), PlanRow.status == "running")
                .values(
                    status=status,
                    result=plan.to_dict(),
                    check_ok=report.ok,
                    check_violations=[_violation(v) for v in report.violations],
                    finished_at=finished,
                    elapsed_s=tracker.elapsed_s,
                    best_objective_eur=tracker.best_eur,
                    solutions_found=tracker.solutions,
                    tickets_placed=len(plan.visited_ticket_ids),
                    message=(
                        "cancelled while solving: the best plan found until then is kept"
                        if status == "cancelled"
                        else row["message"] or ""
                    ),
                )
            )
            if stored.rowcount and not row["scenario"]:
                _record_visits(connection, plan_id, row["parent_plan_id"], plan, finished)
        return status
    except Exception as exc:
        log.exception("plan %s failed", plan_id)
        with engine.begin() as connection:
            connection.execute(
                update(PlanRow)
                .where(tracker.mine(), PlanRow.status == "running")
                .values(status="failed", message=f"{type(exc).__name__}: {exc}", finished_at=now())
            )
        return "failed"


def _violation(violation: Any) -> dict[str, Any]:
    return {
        "rule": violation.rule,
        "message": violation.message,
        "technician_id": violation.technician_id,
        "date": None if violation.date is None else violation.date.isoformat(),
        "stop_index": violation.stop_index,
    }
