"""Per diem: a day that goes farther than the employer's ``per_diem_min_km`` from base pays the allowance.

Per technician, the schools farther than ``per_diem_min_km`` great-circle km from its base
form its *far zone*; entering the zone from outside pays ``per_diem_eur x
per_diem_same_day_share`` of its employer.  A day that goes out once pays the allowance
once, as the rules say (a day that goes out twice would pay it twice in the objective;
the plan's costs are priced exactly by :func:`dromologio.dispatch.costs.route_costs`).
The full per diem of a night away is charged by the ``lodging`` rule.

- encoding: ``zone`` (vehicles x nodes) and ``zone_entry_cost`` (per vehicle).  The
  OR-Tools model adds the entry cost to the vehicle's arcs from outside the zone into it
  (:meth:`~dromologio.dispatch.instance.RoutingInstance.vehicle_arc_cost`).
"""

from __future__ import annotations

from typing import Final

import numpy as np

from dromologio.geo import haversine_km_matrix

from .base import COST_UNITS_PER_EUR, Day, InstanceDraft, Rule

RULE_ID: Final = "per_diem"


def encode(day: Day, draft: InstanceDraft) -> None:
    m, n = len(day.technicians), len(draft.nodes)
    zone = np.zeros((m, n), dtype=np.bool_)
    cost = np.zeros(m, dtype=np.int64)
    draft.zone, draft.zone_entry_cost = zone, cost
    tickets = [node for node, _ in draft.of_kind("ticket")]
    if not tickets or not m:
        return
    lat = np.array([draft.nodes[i].lat for i in tickets])
    lon = np.array([draft.nodes[i].lon for i in tickets])
    for vehicle, tech in enumerate(day.technicians):
        rules = day.rules_for(tech)
        share = rules.per_diem_eur * rules.per_diem_same_day_share
        if share <= 0:
            continue
        base = day.problem.base_of(tech)
        km = haversine_km_matrix(np.append(lat, base.lat), np.append(lon, base.lon))[-1, :-1]
        zone[vehicle, tickets] = km > rules.per_diem_min_km
        cost[vehicle] = round(share * COST_UNITS_PER_EUR)


RULE: Final = Rule(
    RULE_ID,
    hard=False,
    title_el="Ημερήσια αποζημίωση για μέρα πέρα από την απόσταση του εργοδότη",
    title_en="The per diem for a day beyond the employer's distance",
    encode=encode,
    engine="arc costs: the zone entry cost on arcs into the far zone (RoutingInstance.vehicle_arc_cost)",
)
