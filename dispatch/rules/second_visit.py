"""Second visit: one technician per school and day, unless the day needs more.

Each school's *first ticket* is the one a visit there should serve: among its tickets that
need a visit, one that some technician has the skill (and 4x4) for, of the highest
priority, then opened first, then by id (:func:`first_tickets`).  A visit that does not
serve it costs ``second_visit_eur``: a second technician at the school, the same one
coming back, or a visit after the first ticket was served on an earlier day.  So two
technicians meet at one school only when no single one has all the skills or the time,
and saves more than this cost.

- encoding: ``visit_cost`` (vehicles x nodes) of ``second_visit_eur`` on the ticket nodes of
  every school with more than one of them, or whose only one is not its first ticket
  (paid on reaching the school from another location, once per visit), and the same
  amount added to the ``drop_penalty`` of the first ticket there: a visit that serves it
  pays the cost and takes it off the penalty, so it costs nothing against leaving the
  school alone (up to a constant per first ticket, in the objective).  A school whose one
  node is its first ticket gets neither: it cannot be visited twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from dromologio.models import Problem, Ticket

from .base import COST_UNITS_PER_EUR, Day, InstanceDraft, Rule
from .drop_value import MAX_PENALTY, TIERS

RULE_ID: Final = "second_visit"


def first_tickets(problem: Problem) -> frozenset[str]:
    """Per school, the ticket a visit there should serve (ids)."""

    def rank(ticket: Ticket) -> tuple[bool, int, datetime, str]:
        needs_4x4 = problem.school_by_id[ticket.school_id].needs_4x4
        servable = any(ticket.skill in t.skills and (t.has_4x4 or not needs_4x4) for t in problem.technicians)
        return (not servable, -TIERS.index(ticket.priority), ticket.opened_at, ticket.ticket_id)

    first: dict[str, str] = {}
    for ticket in sorted((t for t in problem.tickets if t.needs_visit), key=rank):
        first.setdefault(ticket.school_id, ticket.ticket_id)
    return frozenset(first.values())


def encode(day: Day, draft: InstanceDraft) -> None:
    cost = round(day.policy.second_visit_eur * COST_UNITS_PER_EUR)
    if cost <= 0:
        return
    first = first_tickets(day.problem)
    at_school: dict[str, list[tuple[int, Ticket]]] = {}
    for node, info in draft.of_kind("ticket"):
        if info.ticket is not None:
            at_school.setdefault(info.ticket.school_id, []).append((node, info.ticket))
    for tickets in at_school.values():
        if len(tickets) == 1 and tickets[0][1].ticket_id in first:
            continue  # one node, the first ticket: at most one visit, and it serves it
        for node, ticket in tickets:
            draft.visit_cost[:, node] += cost
            if ticket.ticket_id in first and draft.drop_penalty[node] >= 0:
                draft.drop_penalty[node] = min(MAX_PENALTY, int(draft.drop_penalty[node]) + cost)


RULE: Final = Rule(
    RULE_ID,
    hard=False,
    title_el="Ένας τεχνικός ανά σχολείο και μέρα: κόστος για επίσκεψη που δεν εξυπηρετεί το πρώτο αίτημα του σχολείου",
    title_en="One technician per school and day: a cost for a visit that does not serve the school's first ticket",
    encode=encode,
    engine="arc costs: visit_cost on arcs reaching the node from another location; the first ticket's drop_penalty",
)
