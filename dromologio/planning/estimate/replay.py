"""Planning a period day by day, region by region: what is not served carries over to the next day.

Days depend on each other through what carries over, so the days of a region are planned one
after another; regions are independent (:mod:`.regions`) and run side by side on a
:class:`~dromologio.dispatch.executor.SolveExecutor`, each solve with its share of the cores.
The split does not depend on the executor, so the plans are the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from dromologio.dispatch import SearchParams, solve
from dromologio.dispatch.executor import InlineExecutor, SolveExecutor
from dromologio.dispatch.solve import holiday_closures
from dromologio.models import Plan, Problem, Ticket, Unassigned, problem_to_dict, read_problem_dict
from dromologio.models.calendar import WorkCalendar

from .regions import Region

__all__ = ["merge_regions", "plan_region", "plan_regions"]


@dataclass(frozen=True)
class _RegionJob:
    region: Region
    days: tuple[str, ...]
    time_limit_s: float
    seed: int
    plan_at: str
    params: SearchParams
    calendar: WorkCalendar | None = None


def plan_region(
    problem: Problem,
    region: Region,
    days: Sequence[date],
    *,
    time_limit_s: float,
    seed: int,
    plan_at: time,
    params: SearchParams | None = None,
    on_day: Callable[[date], None] | None = None,
    calendar: WorkCalendar | None = None,
) -> list[Plan]:
    """One plan per day for the region; what is not served carries over.

    The schools of a Directorate on a local holiday (``calendar``, default the problem's) are
    closed that day.
    """
    wanted = set(region.technician_ids)
    technicians = tuple(t for t in problem.technicians if t.technician_id in wanted)
    schools = set(region.school_ids)
    arrivals = sorted(
        (t for t in problem.tickets if t.needs_visit and t.school_id in schools),
        key=lambda t: (t.opened_at, t.ticket_id),
    )
    pending: dict[str, Ticket] = {}
    position = 0
    plans: list[Plan] = []
    for day in days:
        if on_day is not None:
            on_day(day)
        cutoff = datetime.combine(day, plan_at)
        while position < len(arrivals) and arrivals[position].opened_at < cutoff:
            pending[arrivals[position].ticket_id] = arrivals[position]
            position += 1
        day_problem = problem.replace(technicians=technicians, tickets=tuple(pending.values()))
        closures = holiday_closures(problem, day, calendar)
        plan = solve(
            day_problem, day, time_limit_s=time_limit_s, seed=seed, params=params, closures=closures
        ).plan
        for ticket_id in plan.visited_ticket_ids:
            pending.pop(ticket_id, None)
        plans.append(plan)
    return plans


def _run_job(document: Mapping[str, Any], job: _RegionJob) -> list[dict[str, Any]]:
    """Worker side of :func:`plan_region`: plain data in (the problem's document), plan documents out."""
    problem = read_problem_dict(document, source="estimate")
    plans = plan_region(
        problem,
        job.region,
        [date.fromisoformat(d) for d in job.days],
        time_limit_s=job.time_limit_s,
        seed=job.seed,
        plan_at=time.fromisoformat(job.plan_at),
        params=job.params,
        calendar=job.calendar,
    )
    return [p.to_dict() for p in plans]


def merge_regions(day: date, plans: Sequence[Plan]) -> Plan:
    """One plan of ``day`` from the plans of its regions."""
    routes = tuple(r for p in plans for r in p.routes)
    unassigned: tuple[Unassigned, ...] = tuple(u for p in plans for u in p.unassigned)
    kpis = {
        "to_visit": sum(int(p.kpis.get("to_visit", 0)) for p in plans),
        "visited": sum(len(r.ticket_ids) for r in routes),
        "unassigned": len(unassigned),
        "visits": sum(len(r.visits) for r in routes),
        "distance_km": round(sum(r.distance_km for r in routes), 1),
        "cost_eur": round(sum(r.cost_eur for r in routes), 2),
        "regions": len(plans),
    }
    return Plan(dates=(day,), routes=routes, unassigned=unassigned, kpis=kpis)


def plan_regions(
    problem: Problem,
    regions: Sequence[Region],
    days: Sequence[date],
    *,
    time_limit_s: float,
    seed: int,
    plan_at: time,
    executor: SolveExecutor,
    progress: Callable[[str], None] | None = None,
    calendar: WorkCalendar | None = None,
) -> list[list[Plan]]:
    """The plans of every region (in order), one per day, planned on ``executor``.

    In this process (an :class:`~dromologio.dispatch.executor.InlineExecutor`) the regions are
    planned one after another and ``progress`` hears of every day; elsewhere each region is one
    task, sent as plain data.
    """
    params = SearchParams().for_cores(executor.cores_per_task)
    if isinstance(executor, InlineExecutor):
        out: list[list[Plan]] = []
        for number, region in enumerate(regions, start=1):

            def told(day: date, number: int = number) -> None:
                if progress is not None:
                    progress(f"region {number}/{len(regions)}, {day.isoformat()}")

            out.append(
                plan_region(
                    problem,
                    region,
                    days,
                    time_limit_s=time_limit_s,
                    seed=seed,
                    plan_at=plan_at,
                    params=params,
                    on_day=told,
                    calendar=calendar,
                )
            )
        return out
    if progress is not None:
        progress(f"{len(regions)} regions on {executor.description}")
    document = executor.share(problem_to_dict(problem))
    futures = [
        executor.submit(
            _run_job,
            document,
            _RegionJob(
                region,
                tuple(d.isoformat() for d in days),
                time_limit_s,
                seed,
                plan_at.isoformat(),
                params,
                calendar,
            ),
        )
        for region in regions
    ]
    return [[Plan.from_dict(d) for d in future.result()] for future in futures]
