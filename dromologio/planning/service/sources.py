"""Histories and route money from a problem and its plans (the command line's source).

Without a record of what happened on the day, a plan's visits are taken as made as
planned: a visit starts at its stop's start, and it solved the ticket unless a later
plan visits the same ticket again (then the last visit solved it, at its end).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from dromologio.models import Plan, Problem
from dromologio.planning.costs import route_costs

from .history import RouteMoney, TicketHistory, Visit, area_of


def histories_from_plans(problem: Problem, plans: Sequence[Plan]) -> list[TicketHistory]:
    """One history per ticket of ``problem``, with the visits ``plans`` make."""
    technicians = {t.technician_id: t for t in problem.technicians}
    stops: dict[str, list[tuple[datetime, datetime, str]]] = {}
    for plan in plans:
        for route in plan.routes:
            for stop in route.visits:
                start = stop.start or stop.arrive
                end = stop.end or start
                if start is None or end is None:
                    continue
                for ticket_id in stop.ticket_ids:
                    stops.setdefault(ticket_id, []).append((start, end, route.technician_id))
    histories = []
    for ticket in problem.tickets:
        school = problem.school_by_id[ticket.school_id]
        made = sorted(stops.get(ticket.ticket_id, []))
        visits = tuple(
            Visit(
                technician_id=technician,
                employer=technicians[technician].employer if technician in technicians else "",
                start=start,
                solved=index == len(made) - 1,
            )
            for index, (start, _, technician) in enumerate(made)
        )
        histories.append(
            TicketHistory(
                ticket_id=ticket.ticket_id,
                school_id=ticket.school_id,
                directorate=school.directorate,
                area=area_of(school.island, school.terrain),
                priority=ticket.priority,
                category=ticket.category,
                opened_at=ticket.opened_at,
                visits=visits,
                resolved_at=made[-1][1] if made else None,
            )
        )
    return histories


def route_money(problem: Problem, plans: Iterable[Plan]) -> list[RouteMoney]:
    """Every route of ``plans``: km, euros by its employer's travel rules, tickets by Directorate."""
    technicians = {t.technician_id: t for t in problem.technicians}
    money = []
    for plan in plans:
        for route in plan.routes:
            directorates: Counter[str] = Counter()
            for stop in route.visits:
                school = problem.school_by_id.get(stop.school_id or "")
                if school is not None:
                    directorates[school.directorate] += len(stop.ticket_ids)
            technician = technicians.get(route.technician_id)
            money.append(
                RouteMoney(
                    day=route.date.isoformat(),
                    technician_id=route.technician_id,
                    employer=technician.employer if technician else "",
                    distance_km=route.distance_km,
                    cost_eur=route_costs(problem, route)["total"],
                    tickets_by_directorate=dict(directorates),
                )
            )
    return money
