"""A what-if over working days with preventive care: coverage, urgent response, part-time days.

Each working day the day's problem is the baseline with the repair tickets still open
plus the day's arrivals (the baseline's tickets spread evenly over the days, opened at
07:00 of their day), and — with ``preventive`` — the preventive visits due
(:func:`~dromologio.planning.preventive.with_preventive`).  One real solve per day; every
plan goes through the independent checker; the visits made move each school's
``last_maintenance``.  Each day gives one :class:`WhatIfDay`: preventive coverage at the
day's end, visits, urgent tickets served and their response, and the weekdays each
technician with ``work_days`` worked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from dromologio.dispatch.rules.preventive import is_preventive
from dromologio.dispatch.solve import problem_calendar, solve, working_days
from dromologio.models import WEEKDAYS, Problem, Ticket
from dromologio.models.checker import check_plan
from dromologio.models.service_columns import WORK_DAYS

from ..preventive import after_plan, coverage, relabel, with_preventive

ARRIVAL_TIME = time(7, 0)


@dataclass(frozen=True)
class WhatIfDay:
    """One simulated day: what was done and where the service stands at its end."""

    day: date
    #: share of schools with preventive care seen within their interval (None: none has it).
    coverage: float | None
    preventive_visits: int
    repair_tickets_visited: int
    urgent_arrived: int
    urgent_visited: int
    #: hours from opening to the start of the visit, of the urgent tickets visited that day.
    urgent_response_h: tuple[float, ...]
    repair_open_at_end: int
    #: technicians with ``work_days`` who visited schools that day.
    part_time_at_work: tuple[str, ...]
    #: the independent checker's findings on the day's plan (none: it passes).
    violations: int


def arrivals(problem: Problem, dates: Sequence[date]) -> dict[date, tuple[Ticket, ...]]:
    """The baseline's tickets that need a visit spread evenly over ``dates``, opened at 07:00 of their day."""
    tickets = [t for t in problem.tickets if t.needs_visit]
    out: dict[date, list[Ticket]] = {d: [] for d in dates}
    for index, ticket in enumerate(tickets):
        day = dates[index * len(dates) // max(len(tickets), 1)]
        out[day].append(replace(ticket, opened_at=datetime.combine(day, ARRIVAL_TIME), due_by=None))
    return {d: tuple(ts) for d, ts in out.items()}


def run_whatif(
    problem: Problem,
    start: date,
    days: int,
    *,
    preventive: bool = True,
    time_limit_s: float = 2.0,
    seed: int = 0,
) -> list[WhatIfDay]:
    """Simulate ``days`` working days from ``start`` (see the module)."""
    calendar, directorates = problem_calendar(problem)
    dates = working_days(start, days, calendar, directorates=directorates, force=True)
    coming = arrivals(problem, dates)
    state = problem.replace(tickets=())
    open_tickets: tuple[Ticket, ...] = ()
    out: list[WhatIfDay] = []
    part_timers = {t.technician_id for t in problem.technicians if t.extra.get(WORK_DAYS, "").strip()}
    for day in dates:
        open_tickets = (*open_tickets, *coming[day])
        today = state.replace(tickets=open_tickets)
        if preventive:
            today = with_preventive(today, day)
        plan = relabel(today, solve(today, day, time_limit_s=time_limit_s, seed=seed).plan)
        report = check_plan(today, plan.to_dict())
        served: dict[str, datetime] = {}
        for route in plan.routes:
            for stop in route.stops:
                if stop.type == "visit" and stop.start is not None:
                    served.update({t: stop.start for t in stop.ticket_ids})
        tickets = today.ticket_by_id
        urgent_today = [t for t in coming[day] if t.priority == "urgent"]
        urgent_served = [
            tickets[t] for t in served if tickets[t].priority == "urgent" and not is_preventive(tickets[t])
        ]
        state = after_plan(today, [plan]).replace(tickets=())
        open_tickets = tuple(t for t in open_tickets if t.ticket_id not in served)
        out.append(
            WhatIfDay(
                day=day,
                coverage=coverage(state, day),
                preventive_visits=sum(1 for t in served if is_preventive(tickets[t])),
                repair_tickets_visited=sum(1 for t in served if not is_preventive(tickets[t])),
                urgent_arrived=len(urgent_today),
                urgent_visited=len(urgent_served),
                urgent_response_h=tuple(
                    round((served[t.ticket_id] - t.opened_at).total_seconds() / 3600, 2)
                    for t in urgent_served
                ),
                repair_open_at_end=len(open_tickets),
                part_time_at_work=tuple(
                    sorted(
                        {
                            r.technician_id
                            for r in plan.routes
                            if r.ticket_ids and r.technician_id in part_timers
                        }
                    )
                ),
                violations=len(report.violations),
            )
        )
    return out


def weekday(day: date) -> str:
    """``Mon`` .. ``Sun``."""
    return WEEKDAYS[day.weekday()]
