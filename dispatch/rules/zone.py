"""Home zone: a technician of a zone sub-station serves its zone first.

A technician's ``home_zone`` (optional column of ``technicians.csv``) names the zone it
serves first; a school's ``zone`` (optional column of ``schools.csv``) the zone it
belongs to.  A visit to a school outside the home zone (another zone's, or none) costs
``outside_zone_eur`` (policy, default 10): the technician leaves its zone only when
that saves more.  Technicians without a home zone (the centre's staff, covering every
zone) pay nothing.  Zones compare without regard to case or repeated spaces.

- encoding: ``visit_cost`` (vehicles x nodes), paid once per visit as for the
  ``own_directorate`` rule.
"""

from __future__ import annotations

from typing import Final

from dromologio.models.service_columns import home_zone, school_zone

from .base import COST_UNITS_PER_EUR, Day, InstanceDraft, Rule

RULE_ID: Final = "zone"


def encode(day: Day, draft: InstanceDraft) -> None:
    cost = round(day.policy.outside_zone_eur * COST_UNITS_PER_EUR)
    tickets = [(node, info.ticket) for node, info in draft.of_kind("ticket") if info.ticket is not None]
    if cost <= 0 or not tickets:
        return
    for vehicle, tech in enumerate(day.technicians):
        home = home_zone(tech)
        if not home:
            continue
        for node, ticket in tickets:
            if school_zone(day.school_of(ticket)) != home:
                draft.visit_cost[vehicle, node] += cost


RULE: Final = Rule(
    RULE_ID,
    hard=False,
    title_el="Πρώτα η δική του ζώνη: κόστος ανά επίσκεψη εκτός της ζώνης του τεχνικού",
    title_en="Home zone first: a cost per visit outside the technician's zone",
    encode=encode,
    engine="arc costs: visit_cost on arcs reaching the node from another location (RoutingInstance.vehicle_arc_cost)",
)
