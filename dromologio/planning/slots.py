"""Slot suggestions: "when can you come?" — the cheapest feasible visits to a school in the next working days.

For each working day (:class:`~dromologio.models.calendar.WorkCalendar`) the visit, of
the given service minutes and skill, is inserted into that day's plan (the published or
latest one; a day without a plan is a day at home for everyone): into every route of a
technician with the skill (and a 4x4 where the school needs one) who is not away, at
every position, or joined to a visit the route already makes to that school.  Each
insertion is timed and priced from the contract alone (:mod:`dromologio.models.retime`,
as the plan audit does, with the solver's road times); the cheapest insertion of the
day whose day plan passes the independent checker is the day's slot.  The three
cheapest days are suggested, each with its cost impact: the added objective (EUR),
the added km and money, and the visit's time.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from dromologio.models import Plan, Problem, Route, Ticket
from dromologio.models.calendar import WorkCalendar
from dromologio.models.checker import check_plan
from dromologio.models.retime import (
    Day,
    RoadTimes,
    Schedule,
    Travel,
    Visit,
    day_of,
    price_route,
    time_day,
    visits_of,
)

#: the id of the visit being placed (never a real ticket's).
PROBE_ID = "SLOT-PROBE"
#: how many insertions of a day are checked, cheapest first, before the day is given up.
CHECKS_PER_DAY = 5


@dataclass(frozen=True)
class DayPlan:
    """A day's problem and plan (None: no plan yet, everyone at home); technicians away that day."""

    problem: Problem
    plan: Plan | None = None
    absent: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Slot:
    """A suggested visit: who, when, and what it adds to the day."""

    day: date
    technician_id: str
    technician: str
    employer: str
    start: datetime
    end: datetime
    #: the route's objective with the visit minus without it (EUR): the cost impact.
    added_eur: float
    added_km: float
    #: the route's money (``cost_eur``) with the visit minus without it.
    added_money_eur: float
    #: the schools visited just before and after (None: the base).
    after_school: str | None
    before_school: str | None
    #: False when the day had no plan yet.
    planned_day: bool
    #: the day's route of the technician with the visit, checked.
    route: Route


class SlotRequestError(ValueError):
    """The request names no school of the problem, or a skill nobody has."""


def _probe(school_id: str, skill: str, minutes: int, day: date) -> Ticket:
    return Ticket(
        ticket_id=PROBE_ID,
        school_id=school_id,
        opened_at=datetime.combine(day, time()),
        category="slot",
        skill=skill,
        priority="normal",
        service_minutes=minutes,
    )


def insertion_orders(visits: Sequence[Visit], school_id: str, ticket_id: str) -> list[tuple[Visit, ...]]:
    """Every order of ``visits`` with ``ticket_id`` added: joined to a visit of its school, or alone at each position."""
    options = []
    for index, visit in enumerate(visits):
        if visit.school_id == school_id:
            joined = Visit(school_id, (*visit.ticket_ids, ticket_id))
            options.append((*visits[:index], joined, *visits[index + 1 :]))
    alone = Visit(school_id, (ticket_id,))
    for position in range(len(visits) + 1):
        options.append((*visits[:position], alone, *visits[position:]))
    return options


def timed_insertions(
    problem: Problem, travel: Travel, frame: Day, visits: Sequence[Visit], school_id: str, ticket_id: str
) -> list[Schedule]:
    """The feasible days (:func:`~dromologio.models.retime.time_day`) of every insertion of
    ``ticket_id`` (a ticket of ``problem`` at ``school_id``) into ``visits``, in the order of
    :func:`insertion_orders`; the caller prices and checks them."""
    timed = (
        time_day(problem, travel, frame, order) for order in insertion_orders(visits, school_id, ticket_id)
    )
    return [schedule for schedule in timed if schedule is not None]


def first_accepted(
    schedules: Iterable[Schedule], accept: Callable[[Route], bool], checks: int | None = CHECKS_PER_DAY
) -> tuple[int, Route] | None:
    """The first of ``schedules`` (cheapest first) whose route ``accept`` takes (e.g. the day then
    passes the independent checker), trying at most ``checks`` of them (None: all): its index and route."""
    for index, schedule in enumerate(schedules):
        if checks is not None and index >= checks:
            return None
        route = schedule.route()
        if accept(route):
            return index, route
    return None


@dataclass(frozen=True)
class _Candidate:
    added_eur: float
    technician_id: str
    schedule: Schedule
    base: Route | None
    base_money: float
    base_km: float


def _day_check(problem: Problem, plan: Plan | None, day: date, route: Route) -> bool:
    """The day's routes, this one replaced, pass the independent checker."""
    routes = [
        r for r in (plan.routes if plan else ()) if r.date == day and r.technician_id != route.technician_id
    ]
    routes.append(route)
    visited = {t for r in routes for t in r.ticket_ids}
    tickets = tuple(t for t in problem.tickets if t.ticket_id in visited)
    report = check_plan(problem.replace(tickets=tickets), Plan(dates=(day,), routes=tuple(routes)))
    return report.ok


def _day_slot(
    day: date,
    source: DayPlan,
    school_id: str,
    skill: str,
    minutes: int,
    road: Callable[[Problem], RoadTimes | None],
) -> Slot | None:
    base_problem = source.problem
    school = base_problem.school_by_id[school_id]
    probe = _probe(school_id, skill, minutes, day)
    problem = base_problem.replace(
        tickets=(*(t for t in base_problem.tickets if t.ticket_id != PROBE_ID), probe)
    )
    travel = Travel(problem, day, road(problem))
    routes = {r.technician_id: r for r in (source.plan.routes if source.plan else ()) if r.date == day}
    candidates: list[_Candidate] = []
    for technician in problem.technicians:
        if technician.technician_id in source.absent or skill not in technician.skills:
            continue
        if school.needs_4x4 and not technician.has_4x4:
            continue
        route = routes.get(technician.technician_id)
        frame = day_of(problem, technician, day, route)
        if frame is None:
            continue
        before = price_route(problem, travel, route)
        for schedule in timed_insertions(problem, travel, frame, visits_of(route), school_id, PROBE_ID):
            added = float(schedule.price().objective_eur - before.objective_eur)
            candidates.append(
                _Candidate(
                    added,
                    technician.technician_id,
                    schedule,
                    route,
                    float(before.money_eur),
                    float(before.road_km),
                )
            )
    candidates.sort(key=lambda c: (c.added_eur, c.technician_id))
    found = first_accepted(
        (c.schedule for c in candidates), lambda route: _day_check(problem, source.plan, day, route)
    )
    if found is not None:
        chosen, route = found
        candidate = candidates[chosen]
        stops = [s for s in route.stops if s.type == "visit"]
        index = next(i for i, s in enumerate(stops) if PROBE_ID in s.ticket_ids)
        stop = stops[index]
        technician = problem.technician_by_id[candidate.technician_id]
        price = candidate.schedule.price()
        assert stop.start is not None and stop.end is not None
        return Slot(
            day=day,
            technician_id=technician.technician_id,
            technician=technician.name,
            employer=technician.employer,
            start=stop.start,
            end=stop.end,
            added_eur=round(candidate.added_eur, 2),
            added_km=round(float(price.road_km) - candidate.base_km, 1),
            added_money_eur=round(float(price.money_eur) - candidate.base_money, 2),
            after_school=stops[index - 1].school_id if index > 0 else None,
            before_school=stops[index + 1].school_id if index + 1 < len(stops) else None,
            planned_day=source.plan is not None,
            route=route,
        )
    return None


def slot_days(
    calendar: WorkCalendar, after: date, days: int, directorates: Collection[str] = ()
) -> tuple[date, ...]:
    """The next ``days`` working days after ``after``."""
    first = calendar.next_working_day(after, directorates)
    return calendar.working_days(first, days, directorates, force=True)


def suggest_slots(
    school_id: str,
    *,
    skill: str,
    minutes: int,
    day_plans: Mapping[date, DayPlan],
    count: int = 3,
    road: Callable[[Problem], RoadTimes | None] = lambda problem: None,
) -> list[Slot]:
    """The ``count`` cheapest days' slots for a visit of ``minutes`` and ``skill`` to ``school_id``.

    ``day_plans``: the days to look at (the next working days), each with its problem and
    plan.  ``road``: the road times for a day's problem (None: the contract's estimate).
    Raises :class:`SlotRequestError` when the school is unknown or nobody has the skill.
    """
    if not day_plans:
        return []
    if minutes < 1 or minutes > 24 * 60:
        raise SlotRequestError(f"minutes must be between 1 and 1440, not {minutes}")
    for source in day_plans.values():
        if school_id not in source.problem.school_by_id:
            raise SlotRequestError(f"no school '{school_id}' in the problem")
        if not any(skill in t.skills for t in source.problem.technicians):
            raise SlotRequestError(f"no technician has skill '{skill}'")
    slots = [
        slot
        for day in sorted(day_plans)
        if (slot := _day_slot(day, day_plans[day], school_id, skill, minutes, road)) is not None
    ]
    slots.sort(key=lambda s: (s.added_eur, s.day, s.technician_id))
    return slots[:count]
