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

from dromologio.geo.distance import EARTH_RADIUS_KM

from ..instance import FloatArray
from .base import COST_UNITS_PER_EUR, Day, InstanceDraft, Rule

RULE_ID: Final = "per_diem"


def haversine_km_from(lat0: float, lon0: float, lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Great-circle km from one point to each of ``lat``/``lon`` (degrees); the same formula, term
    for term, as :func:`dromologio.geo.haversine_km_matrix`'s row of that point."""
    phi0, lam0 = np.radians(lat0), np.radians(lon0)
    phi, lam = np.radians(lat), np.radians(lon)
    a = np.sin((phi0 - phi) / 2.0) ** 2 + np.cos(phi0) * np.cos(phi) * np.sin((lam0 - lam) / 2.0) ** 2
    km: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return km


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
    # One row of km per base (technicians share bases), never a tickets x tickets matrix.
    km_from: dict[str, FloatArray] = {}
    for vehicle, tech in enumerate(day.technicians):
        rules = day.rules_for(tech)
        share = rules.per_diem_eur * rules.per_diem_same_day_share
        if share <= 0:
            continue
        base = day.problem.base_of(tech)
        if base.base_id not in km_from:
            km_from[base.base_id] = haversine_km_from(base.lat, base.lon, lat, lon)
        zone[vehicle, tickets] = km_from[base.base_id] > rules.per_diem_min_km
        cost[vehicle] = round(share * COST_UNITS_PER_EUR)


RULE: Final = Rule(
    RULE_ID,
    hard=False,
    title_el="Ημερήσια αποζημίωση για μέρα πέρα από την απόσταση του εργοδότη",
    title_en="The per diem for a day beyond the employer's distance",
    encode=encode,
    engine="arc costs: the zone entry cost on arcs into the far zone (RoutingInstance.vehicle_arc_cost)",
)
