"""PyVRP as a search component: the instance it builds is the same problem."""

from __future__ import annotations

import dataclasses

import numpy as np

from dromologio.dispatch.build import DayModel, build_day
from dromologio.dispatch.pyvrp_search import (
    build_model,
    exact,
    expressible,
    plain,
    routes_cost,
    search_routes,
)
from dromologio.geo import RoadEstimateModel
from dromologio.models import Policy
from tests.factories import DAY, problem, school, technician, ticket


def _instance() -> DayModel:
    schools = [school(f"S{i}", north_km=3.0 * i) for i in range(1, 5)]
    p = problem(
        schools,
        [
            technician("T_NET", skills=("network",)),
            technician("T_WIN", skills=("windows",), max_km_per_day=20.0),
        ],
        [
            ticket("K1", "S1", skill="network"),
            ticket("K2", "S2", skill="windows"),
            ticket("K3", "S3", skill="network"),
            ticket("K4", "S4", skill="windows"),
        ],
        # Only distance is paid: the km cap is then exact in PyVRP's terms.
        policy=Policy(time_value_eur_per_hour=0.0, balance_eur_per_hour=0.0),
    )
    return build_day(p, p.tickets, DAY, RoadEstimateModel(p.policy.road_speed_kmh, p.policy.road_circuity))


def test_a_mainland_day_is_expressible_and_every_node_maps_back() -> None:
    model = _instance()
    assert expressible(model.instance)
    built = build_model(model.instance)
    assert sorted(built.node_of_index.values()) == sorted(model.instance.visit_nodes)


def test_pyvrp_keeps_skills_and_the_km_cap() -> None:
    model = _instance()
    instance = model.instance
    routes = search_routes(instance, time_limit_s=0.3, seed=1)
    assert routes is not None
    for vehicle, route in enumerate(routes):
        for node in route:
            allowed = instance.allowed_vehicles[node]
            assert allowed is None or vehicle in allowed
        if route:
            path = [int(instance.vehicle_start[vehicle]), *route, int(instance.vehicle_end[vehicle])]
            cap = int(instance.vehicle_max_distance[vehicle])
            assert cap < 0 or int(np.sum(instance.distance[path[:-1], path[1:]])) <= cap
    # The windows technician's 20 km cap reaches S2 (6 km away) but not S4 (12 km away, 24 and more there and back).
    served = {model.ticket_of(node).ticket_id for route in routes for node in route}
    assert {"K1", "K2", "K3"} <= served
    assert "K4" not in served
    assert routes_cost(instance, routes) > 0


def test_pyvrp_is_exact_only_where_its_objective_is_the_instances() -> None:
    instance = _instance().instance
    # the windows technician's km cap is money to PyVRP, and its far-zone allowance is money too
    assert instance.zone_entry_cost is not None and instance.zone_entry_cost[1] > 0
    assert not exact(instance)
    uncapped = dataclasses.replace(instance, vehicle_max_distance=np.full(instance.num_vehicles, -1))
    assert exact(uncapped)
    # a workload balance, or overtime after a soft end, PyVRP does not see
    assert not exact(dataclasses.replace(uncapped, balance_cost=5))
    soft_end = instance.vehicle_windows[:, 1] - 600
    assert not exact(
        dataclasses.replace(uncapped, vehicle_soft_end=soft_end, vehicle_overtime_cost=soft_end * 0 + 1)
    )


def test_a_day_of_optional_tickets_is_not_a_plain_vrptw_even_when_exact() -> None:
    instance = _instance().instance
    uncapped = dataclasses.replace(instance, vehicle_max_distance=np.full(instance.num_vehicles, -1))
    assert exact(uncapped) and not plain(uncapped)
    required = uncapped.drop_penalty.copy()
    required[list(uncapped.visit_nodes)] = -1
    assert plain(dataclasses.replace(uncapped, drop_penalty=required))
