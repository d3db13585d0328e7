"""Preventive visits: which schools are due, their synthetic tickets, and preventive coverage.

A school with ``maintenance_days`` (``schools.csv``) is due a preventive visit every that
many days after its ``last_maintenance`` (never visited: due now).  From
``preventive_lead_days`` before the due date the visit is a ticket
``PM-<school>-<due date>`` (:func:`due_visits`) of the policy's ``preventive_skill``,
``preventive_minutes`` and ``preventive_priority``, opened on its due date (or the plan
date, when earlier), so its value rises with the days it is overdue.  Every such ticket
ends in one place of the plan: a visit (alone, or with the school's repair in one visit),
or unassigned with ``no_slack`` (:func:`plan_with_preventive`).
:func:`after_plan` moves each visited school's ``last_maintenance`` to the visit's date;
:func:`coverage` is the KPI: the share of schools seen within their interval.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from dromologio.dispatch import solve
from dromologio.dispatch.rules.preventive import CATEGORY, PREFIX, is_preventive, no_slack
from dromologio.models import Plan, Problem, School, Ticket, Unassigned
from dromologio.models.service_columns import LAST_MAINTENANCE, last_maintenance, maintenance_days

from .service.history import AREAS, area_of


def due_date(school: School, today: date) -> date | None:
    """When the school's next preventive visit falls due (None: no preventive care)."""
    interval = maintenance_days(school)
    if interval is None:
        return None
    last = last_maintenance(school)
    return today if last is None else last + timedelta(days=interval)


def visit_id(school_id: str, due: date) -> str:
    """The ticket id of a preventive visit: ``PM-<school>-<due date>``."""
    return f"{PREFIX}{school_id}-{due.isoformat()}"


def due_visits(problem: Problem, today: date) -> tuple[Ticket, ...]:
    """The preventive visits due by ``today`` + ``preventive_lead_days``, as tickets (not yet in ``problem``)."""
    policy = problem.policy
    horizon = today + timedelta(days=policy.preventive_lead_days)
    known = set(problem.ticket_by_id)
    out: list[Ticket] = []
    for school in problem.schools:
        due = due_date(school, today)
        if due is None or due > horizon or visit_id(school.school_id, due) in known:
            continue
        opened = min(due, today)
        out.append(
            Ticket(
                ticket_id=visit_id(school.school_id, due),
                school_id=school.school_id,
                opened_at=datetime(opened.year, opened.month, opened.day),
                category=CATEGORY,
                skill=policy.preventive_skill,
                priority=policy.preventive_priority,
                service_minutes=policy.preventive_minutes,
            )
        )
    return tuple(out)


def with_preventive(problem: Problem, today: date) -> Problem:
    """``problem`` with the preventive visits due by ``today`` (and its lead days) added as tickets."""
    return problem.replace(tickets=(*problem.tickets, *due_visits(problem, today)))


def relabel(problem: Problem, plan: Plan) -> Plan:
    """``plan`` with each preventive visit left undone for lack of room saying ``no_slack``.

    Reasons of the hard rules (nobody with the skill, a closed road, ...) are kept.
    """
    tickets = problem.ticket_by_id
    unassigned: list[Unassigned] = []
    for item in plan.unassigned:
        ticket = tickets.get(item.ticket_id)
        if ticket is not None and is_preventive(ticket) and item.code in ("capacity", "not_worth"):
            reason = no_slack(ticket)
            item = Unassigned(item.ticket_id, reason.text, reason.code)
        unassigned.append(item)
    return replace(plan, unassigned=tuple(unassigned))


@dataclass(frozen=True)
class PreventivePlan:
    """A plan with preventive visits: the problem it was made for (their tickets included) and the plan."""

    problem: Problem
    plan: Plan

    @property
    def preventive_ids(self) -> tuple[str, ...]:
        return tuple(t.ticket_id for t in self.problem.tickets if is_preventive(t))

    def combined_visits(self) -> list[tuple[str, date, tuple[str, ...]]]:
        """Visits that serve a preventive visit and a repair together: (school, date, ticket ids)."""
        preventive = set(self.preventive_ids)
        return [
            (stop.school_id or "", route.date, stop.ticket_ids)
            for route in self.plan.routes
            for stop in route.stops
            if stop.type == "visit"
            and preventive.intersection(stop.ticket_ids)
            and not preventive.issuperset(stop.ticket_ids)
        ]


def plan_with_preventive(problem: Problem, plan_date: date, **options: Any) -> PreventivePlan:
    """Solve with the preventive visits due by ``plan_date`` (``options`` go to :func:`dispatch.solve`)."""
    full = with_preventive(problem, plan_date)
    result = solve(full, plan_date, **options)
    return PreventivePlan(full, relabel(full, result.plan))


def visited_on(problem: Problem, plans: Iterable[Plan]) -> dict[str, date]:
    """Per school, the last date a preventive visit was made there in ``plans``."""
    tickets = problem.ticket_by_id
    seen: dict[str, date] = {}
    for plan in plans:
        for route in plan.routes:
            for ticket_id in route.ticket_ids:
                ticket = tickets.get(ticket_id)
                if ticket is not None and is_preventive(ticket):
                    seen[ticket.school_id] = max(route.date, seen.get(ticket.school_id, route.date))
    return seen


def after_plan(problem: Problem, plans: Iterable[Plan]) -> Problem:
    """``problem`` with ``last_maintenance`` moved to the preventive visits made in ``plans``
    (and their tickets, served or not, taken out: the next day makes them again if still due)."""
    seen = visited_on(problem, plans)
    schools = tuple(
        replace(s, extra={**s.extra, LAST_MAINTENANCE: seen[s.school_id].isoformat()})
        if s.school_id in seen
        else s
        for s in problem.schools
    )
    return problem.replace(schools=schools, tickets=tuple(t for t in problem.tickets if not is_preventive(t)))


def visits_in_plans(plans: Iterable[Plan], until: date | None = None) -> dict[str, date]:
    """Per school, the last day (up to ``until``) ``plans`` visit it for preventive care, read from
    the plans alone (a visit serving a ``PM-...`` ticket)."""
    seen: dict[str, date] = {}
    for plan in plans:
        for route in plan.routes:
            if until is not None and route.date > until:
                continue
            for stop in route.visits:
                if stop.school_id and any(t.startswith(PREFIX) for t in stop.ticket_ids):
                    seen[stop.school_id] = max(route.date, seen.get(stop.school_id, route.date))
    return seen


def maintained_by(problem: Problem, visits: Mapping[str, date]) -> Problem:
    """``problem`` with each school's ``last_maintenance`` moved forward to its day in ``visits``."""
    schools = []
    for school in problem.schools:
        visited, last = visits.get(school.school_id), last_maintenance(school)
        if visited is not None and (last is None or visited > last):
            school = replace(school, extra={**school.extra, LAST_MAINTENANCE: visited.isoformat()})
        schools.append(school)
    return problem.replace(schools=tuple(schools))


def maintained_as_of(problem: Problem, visits: Mapping[str, date], day: date) -> Problem:
    """``problem`` with each school's ``last_maintenance`` as it stood at the end of ``day``: the
    later of its recorded one and its day in ``visits``, each only when not after ``day`` (a
    recorded visit after ``day`` hides the one before it: the school counts as not seen)."""
    schools = []
    for school in problem.schools:
        known = [
            d for d in (last_maintenance(school), visits.get(school.school_id)) if d is not None and d <= day
        ]
        extra = {k: v for k, v in school.extra.items() if k != LAST_MAINTENANCE}
        if known:
            extra[LAST_MAINTENANCE] = max(known).isoformat()
        schools.append(replace(school, extra=extra))
    return problem.replace(schools=tuple(schools))


def coverage(problem: Problem, as_of: date) -> float | None:
    """The share of schools with preventive care seen within their interval on ``as_of`` (None: none has it)."""
    cared = [s for s in problem.schools if maintenance_days(s) is not None]
    if not cared:
        return None
    within = 0
    for school in cared:
        last, interval = last_maintenance(school), maintenance_days(school)
        if last is not None and interval is not None and (as_of - last).days <= interval:
            within += 1
    return within / len(cared)


def coverage_by_area(problem: Problem, as_of: date) -> dict[str, float | None]:
    """:func:`coverage` of all schools (``"all"``) and of each area (island, mountain, mainland)."""
    out: dict[str, float | None] = {"all": coverage(problem, as_of)}
    for area in AREAS:
        schools = tuple(s for s in problem.schools if area_of(s.island, s.terrain) == area)
        if not schools:
            out[area] = None
            continue
        out[area] = coverage(problem.replace(schools=schools, tickets=(), travel_times=()), as_of)
    return out
