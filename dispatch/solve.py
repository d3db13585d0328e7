"""The one entry point: ``solve(problem, plan_date, ...) -> Result``.

A plan over several working days is made day by day: tickets not served roll
to the next day (their age, and so their value, grows); a technician who ends
a day lodging on an island starts the next one there; the last day ends at home
(unless the plan ``continues`` into later days).  ``horizon="tours"`` (the default)
lets each day look ahead over the plan's remaining days (:mod:`.tours`): a night away
may lead to more nights as long as a later day brings the technician home;
``"rolling"`` (the fast mode) allows a night only when tomorrow brings them home.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

from dromologio.geo import RoadEstimateModel, TravelModel, travel_model_for
from dromologio.geo.closures import Closure
from dromologio.models import Plan, Problem, Route, Unassigned
from dromologio.models.calendar import WorkCalendar, absent_on

from .build import DayModel, StartPoint, build_day
from .engine import ProgressCallback, StopCallback, decomposes, solve_instance
from .excursions import ExcursionBuilder
from .executor import SolveExecutor
from .extract import extract_routes, extract_unassigned, objective_eur
from .instance import InstanceSolution
from .live import LiveState, splice
from .params import SearchParams
from .positioning import PositioningBuilder
from .repair import repair_by_audit, repair_share
from .road_times import road_times
from .rules.fairness import Allowances
from .triage import triage


@dataclass(frozen=True)
class DayResult:
    model: DayModel
    solution: InstanceSolution


#: how a plan of several days is made: each day looking ahead over the rest (tours of
#: several nights) or each day alone with tomorrow's sailings only (rolling, the fast mode).
Horizon = Literal["rolling", "tours"]
HORIZONS: Final[tuple[Horizon, ...]] = ("rolling", "tours")


@dataclass(frozen=True)
class Result:
    plan: Plan
    days: tuple[DayResult, ...]
    #: where each technician starts the day after the plan (those lodging away), and the
    #: nights in a row each has then spent away: a plan that ``continues`` hands these on.
    next_starts: Mapping[str, StartPoint] = field(default_factory=dict)
    nights_away: Mapping[str, int] = field(default_factory=dict)

    @property
    def model(self) -> DayModel:
        return self.days[0].model

    @property
    def solution(self) -> InstanceSolution:
        return self.days[0].solution


def default_travel_model(problem: Problem) -> TravelModel:
    """The embedded road model over the ELSTAT settlements (or the routing server of
    ``DROMOLOGIO_ROUTING``), with the problem's ``access_min`` and known travel times;
    ``DROMOLOGIO_ROUTING=estimate`` keeps the straight-line estimate by terrain."""
    if os.environ.get("DROMOLOGIO_ROUTING", "").strip() == "estimate":
        return RoadEstimateModel(problem.policy.road_speed_kmh, problem.policy.road_circuity)
    return travel_model_for(problem)


def working_days(
    first: date,
    count: int,
    calendar: WorkCalendar | None = None,
    *,
    directorates: Collection[str] = (),
    force: bool = False,
) -> tuple[date, ...]:
    """``count`` working days from ``first`` on, by ``calendar`` (default: Greek schools').

    Weekends, Greek public holidays, school breaks and the calendar's own days off are
    skipped (:class:`~dromologio.models.calendar.WorkCalendar`; with ``directorates``, a day
    counts when it is a working day in one of them).  ``first`` must be a working day
    itself, else :class:`~dromologio.models.calendar.NonWorkingDayError` says why and
    names the next one; with ``force`` it counts as given.
    """
    return (calendar or WorkCalendar()).working_days(first, count, directorates, force=force)


def problem_calendar(problem: Problem) -> tuple[WorkCalendar, frozenset[str]]:
    """The calendar of a problem (its ``calendar.csv`` rows over the built-in one) and its Directorates."""
    return WorkCalendar(problem.calendar), frozenset(s.directorate for s in problem.schools)


def holiday_closures(
    problem: Problem, day: date, calendar: WorkCalendar | None = None
) -> tuple[Closure, ...]:
    """The schools of the problem's Directorates that are off on ``day`` while others work, as closures.

    A local holiday of one Directorate (a town's patron saint) closes its schools; a plan of
    several Directorates still works that day elsewhere.
    """
    own, directorates = problem_calendar(problem)
    off = (calendar or own).local_days_off(day, directorates)
    closures: list[Closure] = []
    for directorate, reason in sorted(off.items()):
        schools = frozenset(s.school_id for s in problem.schools if s.directorate == directorate)
        if schools:
            closures.append(Closure(f"closed for {reason.name_en}", day, day, schools))
    return tuple(closures)


def solve(
    problem: Problem,
    plan_date: date,
    *,
    days: int = 1,
    time_limit_s: float | None = None,
    seed: int = 0,
    params: SearchParams | None = None,
    travel: TravelModel | None = None,
    on_solution: ProgressCallback | None = None,
    should_stop: StopCallback | None = None,
    locks: Mapping[str, str] | None = None,
    closures: Sequence[Closure] = (),
    live: LiveState | None = None,
    executor: SolveExecutor | None = None,
    horizon: Horizon = "tours",
    continues: Sequence[date] = (),
    starts: Mapping[str, StartPoint] | None = None,
    nights_away: Mapping[str, int] | None = None,
) -> Result:
    """Plan ``days`` working days from ``plan_date``.  Every ticket ends in exactly one place.

    ``time_limit_s`` (per day) defaults to the policy's ``solver_time_limit_s``;
    the best plan found by then is returned.  ``locks`` maps ticket ids to the only
    technician who may serve them (a locked ticket that technician cannot serve is
    unassigned, saying why); ``closures`` close schools on given dates.

    A lock commits: a locked ticket its technician can serve is served (when the locks
    to one technician cannot all fit, the day is solved again with them merely
    restricting).  With ``live`` the first day is re-planned from ``live.now`` (see
    :mod:`.live`): done and started visits are frozen, each technician continues from
    where it is, nothing starts before now, and moving a visit of the published plan to
    another technician costs the stability term.  ``executor`` runs the parts of a day big enough
    to be solved in parts (:mod:`.decompose`; default: local processes).

    ``horizon``: ``"tours"`` lets a night away lead to more nights as long as a later day of
    the plan (or of ``continues``) brings the technician home, for at most the policy's
    ``max_nights_away`` nights in a row; ``"rolling"`` allows a night only when tomorrow's
    sailings bring the technician home.  ``continues``: working days after the plan that it
    leads into (a simulation planning day by day): the plan's last day may then end away, and
    tours look ahead over them.  ``starts`` and ``nights_away``: where technicians start the
    first day (after a night away) and the nights in a row they have spent away (a previous
    result's ``next_starts`` and ``nights_away``).
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    if horizon not in HORIZONS:
        raise ValueError(f"horizon must be one of {', '.join(HORIZONS)}, not {horizon!r}")
    limit = problem.policy.solver_time_limit_s if time_limit_s is None else time_limit_s
    travel = travel or default_travel_model(problem)
    # The audit times road moves as the solver does (the same travel model).
    audit_road = road_times(problem, travel)
    sorted_out = triage(problem.tickets)
    calendar, directorates = problem_calendar(problem)
    dates = working_days(plan_date, days, calendar, directorates=directorates, force=True)
    pending = sorted_out.to_visit
    starts = dict(starts or {})
    nights = Counter(nights_away or {})
    if live is not None:
        live = live.completed(problem, dates[0])
        frozen = live.frozen()
        pending = tuple(t for t in pending if t.ticket_id not in frozen)
        starts = live.start_points(problem, dates[0])
    routes: list[Route] = []
    day_results: list[DayResult] = []
    unassigned: list[Unassigned] = []
    previous_routes: list[Route] = []
    # Overtime planned so far, per technician and calendar week (the policy's weekly limit).
    overtime_used: Counter[tuple[str, int, int]] = Counter()
    # Allowances earned so far, per technician (the fairness term of the next days).
    allowances: dict[str, Allowances] = {}
    for number, day in enumerate(dates):
        year, week, _ = day.isocalendar()
        last_day = number == len(dates) - 1
        following = (*dates[number + 1 :], *continues)
        # Technicians away that day are left out of it; a Directorate's local holiday closes its schools.
        away = absent_on(problem.absences, [day])
        day_problem = problem.replace(
            technicians=tuple(t for t in problem.technicians if t.technician_id not in away)
        )
        day_closures = (*closures, *holiday_closures(problem, day, calendar))
        today_live = live if number == 0 else None
        day_deadline = time.monotonic() + limit
        search = params or SearchParams()
        solution: InstanceSolution | None = None
        for commit_locks in (True, False) if locks else (False,):
            model = build_day(
                day_problem,
                pending,
                day,
                travel,
                starts=starts,
                allow_lodging=bool(following),
                next_date=following[0] if following else None,
                horizon=following if horizon == "tours" else (),
                nights_away={t: n for t, n in nights.items() if n},
                locks=locks,
                closures=day_closures,
                now_s=0 if today_live is None else today_live.now_s(day),
                commit_locks=commit_locks,
                previous=None if today_live is None else today_live.previous,
                move_eur=0.0 if today_live is None else today_live.move_cost_eur(problem),
                overtime_used_min={
                    t.technician_id: overtime_used[(t.technician_id, year, week)] for t in problem.technicians
                },
                allowances_so_far=allowances,
            )
            # Crossings, or a technician who starts away (a night to plan without a sailing).
            crossings = model.num_sailing_nodes > 0 or any(n.kind == "lodging" for n in model.nodes)
            # A second try (locks only restricting) is rare: it gets what is left, a quarter at least.
            remaining = max(day_deadline - time.monotonic(), limit * 0.25)
            # A day solved in parts has its borders repaired instead of the audit's repair.
            kept = 0.0 if decomposes(model.instance, search) else repair_share(model, limit, search)
            solution = solve_instance(
                model.instance,
                time_limit_s=remaining * (1.0 - kept),
                seed=seed,
                params=params,
                on_solution=on_solution,
                should_stop=should_stop,
                executor=executor,
                constructor=PositioningBuilder(day_problem, model, ExcursionBuilder(day_problem, model))
                if crossings
                else None,
            )
            if solution.objective >= 0 or not commit_locks:
                break
        assert solution is not None
        # A day solved in parts had its borders repaired; the audit's repair needs the whole model.
        whole = not decomposes(model.instance, search)
        if whole and search.audit_repair_share > 0 and not (should_stop is not None and should_stop()):
            solution = repair_by_audit(
                day_problem,
                model,
                solution,
                deadline=day_deadline,
                seed=seed,
                params=search,
                locks=locks,
                closures=day_closures,
                road=audit_road,
                previous=previous_routes,
                should_stop=should_stop,
            )
        day_routes, starts = extract_routes(day_problem, model, solution)
        if today_live is not None:
            day_routes = splice(day_problem, day_routes, today_live, travel)
        routes += day_routes
        previous_routes = day_routes
        for route in day_routes:
            lodged = bool(route.stops) and route.stops[-1].lodging
            nights[route.technician_id] = nights[route.technician_id] + 1 if lodged else 0
            overtime_used[(route.technician_id, year, week)] += route.overtime_min
            allowances[route.technician_id] = allowances.get(route.technician_id, Allowances()).plus(route)
        day_results.append(DayResult(model, solution))
        served = {t for r in day_routes for t in r.ticket_ids}
        pending = tuple(t for t in pending if t.ticket_id not in served)
        if last_day:
            unassigned = extract_unassigned(model, solution)
    kpis = _kpis(
        problem,
        routes,
        unassigned,
        sorted_out.remote,
        sorted_out.vendor,
        len(sorted_out.to_visit),
        day_results,
    )
    plan = Plan(
        dates=dates,
        routes=tuple(routes),
        unassigned=tuple(unassigned),
        remote=sorted_out.remote,
        vendor=sorted_out.vendor,
        kpis=kpis,
    )
    return Result(
        plan=plan,
        days=tuple(day_results),
        next_starts=dict(starts),
        nights_away={t: n for t, n in nights.items() if n and t in starts},
    )


def _kpis(
    problem: Problem,
    routes: list[Route],
    unassigned: list[Unassigned],
    remote: tuple[str, ...],
    vendor: tuple[str, ...],
    to_visit: int,
    days: list[DayResult],
) -> dict[str, object]:
    first = days[0].solution.first_solution_seconds if days else None
    return {
        "tickets": len(problem.tickets),
        "to_visit": to_visit,
        "visited": sum(len(r.ticket_ids) for r in routes),
        "unassigned": len(unassigned),
        "remote": len(remote),
        "vendor": len(vendor),
        "visits": sum(len(r.visits) for r in routes),
        "technicians_used": len({r.technician_id for r in routes if r.visits}),
        "distance_km": round(sum(r.distance_km for r in routes), 1),
        "travel_minutes": sum(r.travel_minutes for r in routes),
        "cost_eur": round(sum(r.cost_eur for r in routes), 2),
        "objective_eur": round(sum(objective_eur(d.solution) for d in days), 2),
        "solve_seconds": round(sum(d.solution.solve_seconds for d in days), 2),
        "first_solution_seconds": round(first, 3) if first is not None else None,
        "status": ",".join(sorted({d.solution.status for d in days})),
        "nights_away": sum(1 for r in routes if r.stops and r.stops[-1].lodging),
        "overtime_minutes": sum(r.overtime_min for r in routes),
    }
