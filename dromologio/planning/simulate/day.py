"""One simulated working day: the day's problem, one real solve, and what carries over.

Each working day the day's problem is the scenario's problem with the tickets still open
(their ``opened_at`` kept, so they age and gain value) plus the day's new arrivals, and the
timetable of that day (less the sailings a strike cancels).  Tickets visited, solved remotely
or sent to the vendor leave; the rest are carried over.  Tickets at schools closed by snow are
held back that day (not given to the solver).  :func:`advance` takes a state and returns the
next one, so a scenario is a chain of day tasks that can run in any process.
"""

from __future__ import annotations

import dataclasses
import time
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from dromologio.dispatch import reasons, solve
from dromologio.dispatch.solve import holiday_closures, problem_calendar
from dromologio.models import Problem, School, Ticket, Unassigned
from dromologio.models.checker import check_plan
from dromologio.planning.scenarios import PreparedScenario

from .arrivals import ArrivalSource
from .preventive import with_due_visits
from .records import (
    DayRecord,
    PlanCheckError,
    ScenarioRun,
    ShiftRecord,
    SimulationSettings,
    SimulationState,
    TicketRecord,
    area_of,
    closed_reason,
)

__all__ = ["DayContext", "advance", "default_start", "finish", "start_state"]


@dataclass(frozen=True)
class DayContext:
    """What every day of one scenario needs (shared once with the workers, where the executor can).

    ``settings.params`` is what each day's solve runs with: the runner gives it the executor's
    share of the cores per task.
    """

    scenario: PreparedScenario
    arrivals: ArrivalSource
    settings: SimulationSettings


def _rng(seed: int, day: date, *salt: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, day.toordinal(), *salt]))


def _arrivals(context: DayContext, day: date) -> list[Ticket]:
    """Tickets opened on calendar ``day``: the common draw, scaled for this scenario."""
    settings = context.settings
    scale = context.scenario.ticket_scale
    common = context.arrivals.draw(day, _rng(settings.seed, day), 1.0, "N")
    if scale == 1.0:
        return common
    own = _rng(settings.seed, day, zlib.crc32(context.scenario.name.encode("utf-8")))
    if scale < 1.0:
        keep = own.random(len(common)) < scale
        return [t for t, kept in zip(common, keep, strict=True) if kept]
    return common + context.arrivals.draw(day, own, scale - 1.0, "X")


def start_state(context: DayContext) -> SimulationState:
    """The state before the first day: the baseline's tickets are the open backlog."""
    scenario = context.scenario
    first = scenario.horizon[0]
    schools = scenario.problem.school_by_id
    records = {
        t.ticket_id: _record(t, schools[t.school_id], first, backlog=True) for t in scenario.problem.tickets
    }
    return SimulationState(scenario.name, 0, scenario.problem.tickets, records)


def _record(ticket: Ticket, school: School, day: date, *, backlog: bool) -> TicketRecord:
    triage = "vendor" if ticket.warranty else "remote" if ticket.remote else "visit"
    return TicketRecord(
        ticket.ticket_id,
        ticket.school_id,
        ticket.priority,
        area_of(school),
        ticket.opened_at,
        ticket.due_by,
        day,
        backlog,
        triage,
        category=ticket.category,
    )


def advance(context: DayContext, state: SimulationState) -> SimulationState:
    """Plan the next working day of ``state``; returns the state after it (``state`` is not changed)."""
    started = time.perf_counter()
    scenario = context.scenario
    settings = context.settings
    number = state.next_day
    if number >= len(scenario.horizon):
        raise ValueError(f"scenario '{scenario.name}' has no working day {number + 1} in its horizon")
    day = scenario.horizon[number]
    arrivals: list[Ticket] = []
    if number > 0:
        calendar = scenario.horizon[number - 1]
        while calendar < day:
            arrivals += _arrivals(context, calendar)
            calendar += timedelta(days=1)
    problem = scenario.problem
    records = dict(state.tickets)
    for ticket in arrivals:
        records[ticket.ticket_id] = _record(
            ticket, problem.school_by_id[ticket.school_id], day, backlog=False
        )
    open_tickets = (*state.open_tickets, *arrivals)
    open_tickets, records = with_due_visits(scenario, day, open_tickets, records)
    closed = scenario.closed_on(day)
    held = tuple(t for t in open_tickets if t.needs_visit and t.school_id in closed)
    held_ids = {t.ticket_id for t in held}
    sailings = scenario.sailings_on(day)
    day_problem = problem.replace(
        tickets=tuple(t for t in open_tickets if t.ticket_id not in held_ids), sailings=sailings
    )
    continues = _continues(settings, scenario.horizon[number + 1 :])
    result = solve(
        day_problem,
        day,
        time_limit_s=settings.time_limit_s,
        seed=settings.seed,
        params=settings.params,
        closures=holiday_closures(problem, day),
        horizon="tours" if settings.horizon == "tours" else "rolling",
        continues=continues,
        starts=state.starts,
        nights_away=state.nights_away,
    )
    plan = result.plan
    if held:
        reason = closed_reason(day)
        kpis = {**plan.kpis, "tickets": len(open_tickets), "held_closed": len(held)}
        plan = dataclasses.replace(
            plan,
            unassigned=(*plan.unassigned, *(Unassigned(t.ticket_id, reason, reasons.CLOSED) for t in held)),
            kpis=kpis,
        )
    if settings.check:
        report = check_plan(
            problem.replace(tickets=open_tickets, sailings=sailings),
            plan,
            before=state.lodged,
            continues=bool(continues),
        )
        if not report.ok:
            raise PlanCheckError(f"scenario '{scenario.name}', plan of {day.isoformat()}: {report}")
    shifts: list[ShiftRecord] = []
    for route in plan.routes:
        technician = problem.technician_by_id[route.technician_id]
        work = sum(int((s.end - s.start).total_seconds() // 60) for s in route.visits if s.end and s.start)
        shifts.append(
            ShiftRecord(
                route.technician_id,
                day,
                technician.shift_end_min - technician.shift_start_min,
                work,
                route.travel_minutes,
                len(route.visits),
                len(route.ticket_ids),
                route.distance_km,
                route.cost_eur,
            )
        )
        for stop in route.visits:
            for ident in stop.ticket_ids:
                records[ident] = dataclasses.replace(
                    records[ident], served_at=stop.start, technician_id=route.technician_id
                )
    leaving = set(plan.visited_ticket_ids) | set(plan.remote) | set(plan.vendor)
    carried = tuple(t for t in open_tickets if t.ticket_id not in leaving)
    record = DayRecord(
        date=day,
        day=number + 1,
        arrivals=len(arrivals),
        to_visit=sum(1 for t in open_tickets if t.needs_visit),
        served=len(plan.visited_ticket_ids),
        remote=len(plan.remote),
        vendor=len(plan.vendor),
        unassigned=len(plan.unassigned) - len(held),
        held_closed=len(held),
        backlog=len(carried),
        distance_km=round(sum(r.distance_km for r in plan.routes), 1),
        cost_eur=round(sum(r.cost_eur for r in plan.routes), 2),
        travel_minutes=sum(r.travel_minutes for r in plan.routes),
        technicians_used=sum(1 for r in plan.routes if r.visits),
        sailings=sum(1 for s in sailings if s.runs_on(day)),
        sailings_cancelled=sum(1 for s in problem.sailings if s.runs_on(day))
        - sum(1 for s in sailings if s.runs_on(day)),
        solve_seconds=float(plan.kpis.get("solve_seconds") or 0.0),
        status=str(plan.kpis.get("status", "")),
    )
    return SimulationState(
        scenario=state.scenario,
        next_day=number + 1,
        open_tickets=carried,
        tickets=records,
        days=(*state.days, record),
        shifts=(*state.shifts, *shifts),
        plans=(*state.plans, plan.to_dict()) if settings.keep_plans else state.plans,
        seconds=state.seconds + time.perf_counter() - started,
        lodged=tuple(r for r in plan.routes if r.stops and r.stops[-1].lodging),
        starts=dict(result.next_starts),
        nights_away=dict(result.nights_away),
    )


def _continues(settings: SimulationSettings, following: tuple[date, ...]) -> tuple[date, ...]:
    """The working days after today that today's plan leads into: the rest of the horizon in
    tours, tomorrow when rolling, none when every day ends at home."""
    if settings.horizon == "tours":
        return following
    if settings.horizon == "rolling":
        return following[:1]
    return ()


def finish(context: DayContext, state: SimulationState) -> ScenarioRun:
    scenario = context.scenario
    return ScenarioRun(
        scenario=scenario.name,
        description=scenario.description,
        horizon=scenario.horizon[: state.next_day],
        days=state.days,
        tickets=tuple(state.tickets.values()),
        shifts=state.shifts,
        technicians=tuple(t.technician_id for t in scenario.problem.technicians),
        plans=state.plans,
        seconds=round(state.seconds, 3),
    )


def default_start(problem: Problem) -> date:
    """The first working day after the newest ticket's opening day (from today on without tickets).

    Working days are those of the problem's calendar (weekends, Greek public holidays, school
    breaks and its ``calendar.csv`` days off are skipped).
    """
    calendar, directorates = problem_calendar(problem)
    if not problem.tickets:
        return calendar.next_working_day(date.today(), directorates, include=True)
    return calendar.next_working_day(max(t.opened_at for t in problem.tickets).date(), directorates)
