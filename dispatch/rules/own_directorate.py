"""Own Directorate: a visit to a school outside the technician's own Directorate(s) costs ``outside_directorate_eur``.

A technician's own Directorates are the ``directorate`` of its base (``bases.csv``) and
any in the optional ``;``-list ``directorates`` of ``technicians.csv``; names compare
without regard to case or repeated spaces.  A technician with none named has no
outside.  So a technician crosses into another Directorate only when that saves more
than this cost (the per diem of a far day is the ``per_diem`` rule's).

- encoding: ``visit_cost`` (vehicles x nodes): the cost on every ticket node outside the
  vehicle's Directorates.  The OR-Tools model adds it to the vehicle's arcs that reach
  the node from another location (:meth:`~dromologio.dispatch.instance.RoutingInstance.vehicle_arc_cost`),
  so it is paid once per visit, however many tickets the visit serves.
"""

from __future__ import annotations

from typing import Final

from dromologio.models import Problem, Technician

from .base import COST_UNITS_PER_EUR, Day, InstanceDraft, Rule

RULE_ID: Final = "own_directorate"


def directorate_key(name: str) -> str:
    """A Directorate's name as compared: case and repeated spaces aside."""
    return " ".join(name.split()).casefold()


def own_directorates(problem: Problem, technician: Technician) -> frozenset[str]:
    """The technician's own Directorates (compared keys): its base's and its ``directorates`` column."""
    names = [problem.base_of(technician).extra.get("directorate", "")]
    names += technician.extra.get("directorates", "").split(";")
    return frozenset(key for name in names if (key := directorate_key(name)))


def encode(day: Day, draft: InstanceDraft) -> None:
    cost = round(day.policy.outside_directorate_eur * COST_UNITS_PER_EUR)
    tickets = [(node, info.ticket) for node, info in draft.of_kind("ticket") if info.ticket is not None]
    if cost <= 0 or not tickets:
        return
    for vehicle, tech in enumerate(day.technicians):
        own = own_directorates(day.problem, tech)
        if not own:
            continue
        for node, ticket in tickets:
            if directorate_key(day.school_of(ticket).directorate) not in own:
                draft.visit_cost[vehicle, node] += cost


RULE: Final = Rule(
    RULE_ID,
    hard=False,
    title_el="Πρώτα η δική του Διεύθυνση: κόστος ανά επίσκεψη σε σχολείο άλλης Διεύθυνσης",
    title_en="Own Directorate first: a cost per visit to a school of another Directorate",
    encode=encode,
    engine="arc costs: visit_cost on arcs reaching the node from another location (RoutingInstance.vehicle_arc_cost)",
)
