"""PyVRP as a search component: routes for the part of an instance it can express.

OR-Tools stays the model of record (:mod:`.engine`): whatever PyVRP finds is read
into the OR-Tools model, which checks it against every rule, prices it exactly
and polishes it.  PyVRP (hybrid genetic search, MIT) is very strong on the plain
part of a day — time windows, optional visits with prizes, several depots, shifts,
per-vehicle rates, skills and km caps — and knows nothing of sailings, lodging or
far-zone allowances or breaks, so only instances without those are handed to it
(:func:`expressible`).

How the instance maps onto PyVRP:

- every node is a PyVRP location of its own, so the setup paid on arriving at a new
  place (parking and signing in at a school) goes into the duration matrix;
- visit nodes are optional clients whose prize is the node's drop penalty (a
  node that must be visited is a required client);
- each vehicle is a vehicle type of one, starting and ending at depots of its own,
  with its shift as time window and its km cap as ``max_distance``;
- skills are routing profiles: vehicles that may visit the same nodes share a
  profile, whose matrices make every other node unreachable;
- costs: each profile's "distance" is the vehicle's arc cost (distance and time
  rates, far-zone allowances), scaled by :func:`cost_scale`; a km cap becomes the money of
  driving that far, exact when only distance is paid and on the safe side otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .instance import IntArray, RoutingInstance

#: the typical prize in PyVRP's units: prizes stay within reach of PyVRP's time-warp
#: penalties while arc costs keep their precision (the product: 1 EUR = 100 PyVRP units).
TYPICAL_PRIZE = 10_000
#: PyVRP's largest penalty per unit of time warp: well above any prize, so the search ends feasible.
MAX_PENALTY = 1e7
#: travel time and distance standing for "this vehicle may not go there".
UNREACHABLE = 10**9


def expressible(instance: RoutingInstance) -> bool:
    """True when PyVRP can express the instance: no fares or lodging, i.e. no crossings to plan,
    and no breaks (PyVRP has none: routes planned without them may leave no room for one)."""
    if instance.entry_cost is not None and bool(np.any(instance.entry_cost)):
        return False
    if instance.has_breaks:
        return False
    return len(instance.visit_nodes) > 0


def exact(instance: RoutingInstance) -> bool:
    """True when PyVRP's objective on the instance is the instance's own: an :func:`expressible`
    instance with no workload balance and no overtime, whose km caps (PyVRP's caps are on money,
    :func:`build_model`) sit only on vehicles that pay for distance alone."""
    if instance.balance_cost or instance.vehicle_soft_end is not None:
        return False
    for vehicle in np.flatnonzero(instance.vehicle_max_distance >= 0):
        zone_paid = instance.zone_entry_cost is not None and bool(instance.zone_entry_cost[vehicle])
        visits_paid = instance.visit_cost is not None and bool(np.any(instance.visit_cost[vehicle]))
        if instance.vehicle_time_cost[vehicle] or zone_paid or visits_paid:
            return False
    return True


def plain(instance: RoutingInstance) -> bool:
    """True on a plain VRPTW: PyVRP's objective is :func:`exact` and every visit must be made (no
    prizes to collect).  There PyVRP's search is the stronger one; on days with optional tickets
    of very different values (the product's urgent tiers) a short run of its population may
    leave the valuable ones out, which OR-Tools' first plan serves (``bench/own_instances.py``)."""
    visits = list(instance.visit_nodes)
    return exact(instance) and bool(np.all(instance.drop_penalty[visits] < 0))


@dataclass(frozen=True)
class PyvrpModel:
    """The PyVRP data and the map from PyVRP client indices (0 = first client) back to instance nodes."""

    data: object  # pyvrp.ProblemData (kept untyped here: the import is lazy)
    node_of_index: dict[int, int]
    #: the instance's vehicles of each PyVRP vehicle type (alike vehicles share one type).
    vehicles_of_type: tuple[tuple[int, ...], ...] = ()


def _travel(instance: RoutingInstance) -> IntArray:
    """Time from leaving node i to arriving at node j, the setup of j included."""
    travel = instance.duration.copy()
    if instance.setup is not None:
        travel = travel + np.where(
            instance.location[:, None] != instance.location[None, :], instance.setup[None, :], 0
        )
    np.fill_diagonal(travel, 0)
    result: IntArray = travel.astype(np.int64)
    return result


def cost_scale(instance: RoutingInstance) -> float:
    """PyVRP cost units per cost unit of the instance: 1, or less when prizes are large."""
    prizes = instance.drop_penalty[list(instance.visit_nodes)]
    prizes = prizes[prizes > 0]
    if not prizes.size:
        return 1.0
    return min(1.0, TYPICAL_PRIZE / float(np.median(prizes)))


def build_model(instance: RoutingInstance) -> PyvrpModel:
    """The PyVRP problem data of an :func:`expressible` instance."""
    import pyvrp

    n = instance.num_nodes
    m = instance.num_vehicles
    depots = sorted(instance.depot_nodes)
    visits = list(instance.visit_nodes)
    order = [*depots, *visits]  # PyVRP numbers depots first, then clients
    depot_index = {node: i for i, node in enumerate(depots)}
    travel = _travel(instance)[np.ix_(order, order)]
    scale = cost_scale(instance)

    # One profile per (vehicle cost class, nodes the vehicle may not visit).
    profiles: dict[tuple[object, ...], int] = {}
    # pyvrp's stubs spell the matrix type in their own way.
    distance_matrices: list[Any] = []
    duration_matrices: list[Any] = []
    profile_of: list[int] = []
    for vehicle in range(m):
        forbidden = frozenset(
            position
            for position, node in enumerate(order)
            if (allowed := instance.allowed_vehicles[node]) is not None and vehicle not in allowed
        )
        key = (instance.cost_class(vehicle), forbidden)
        if key not in profiles:
            profiles[key] = len(distance_matrices)
            arc_cost = instance.vehicle_arc_cost(vehicle)[np.ix_(order, order)]
            costs = np.rint(scale * arc_cost).astype(np.int64)
            times = travel.copy()
            blocked = sorted(forbidden)
            if blocked:
                costs[:, blocked] = UNREACHABLE
                times[:, blocked] = UNREACHABLE
            np.fill_diagonal(costs, 0)
            np.fill_diagonal(times, 0)
            distance_matrices.append(costs)
            duration_matrices.append(times)
        profile_of.append(profiles[key])

    locations = [pyvrp.Location(0, 0) for _ in order]
    depot_objects = [pyvrp.Depot(location=i) for i in range(len(depots))]
    clients = []
    for offset, node in enumerate(visits):
        penalty = int(instance.drop_penalty[node])
        early, late = (int(v) for v in instance.time_windows[node])
        clients.append(
            pyvrp.Client(
                location=len(depots) + offset,
                service_duration=int(instance.service[node]),
                tw_early=early,
                tw_late=late,
                prize=0 if penalty < 0 else round(penalty * scale),
                delivery=[] if instance.demand is None else [int(instance.demand[node])],
                required=penalty < 0,
            )
        )
    # Vehicles alike in every respect share one vehicle type (PyVRP searches a homogeneous
    # fleet much better as one type of k vehicles than as k types of one).
    groups: dict[tuple[int, int, int, int, int, tuple[int, ...], int], list[int]] = {}
    for vehicle in range(m):
        early, late = (int(v) for v in instance.vehicle_windows[vehicle])
        cap = int(instance.vehicle_max_distance[vehicle])
        alike: tuple[int, int, int, int, int, tuple[int, ...], int] = (
            depot_index[int(instance.vehicle_start[vehicle])],
            depot_index[int(instance.vehicle_end[vehicle])],
            early,
            late,
            # The "distance" is money: the km cap becomes the money of driving that far.
            int(scale * cap * float(instance.vehicle_distance_cost[vehicle]))
            if cap >= 0
            else int(np.iinfo(np.int64).max),
            () if instance.vehicle_capacity is None else (int(instance.vehicle_capacity[vehicle]),),
            profile_of[vehicle],
        )
        groups.setdefault(alike, []).append(vehicle)
    vehicle_types = [
        pyvrp.VehicleType(
            num_available=len(members),
            start_depot=start,
            end_depot=end,
            tw_early=early,
            tw_late=late,
            max_distance=max_distance,
            unit_distance_cost=1,
            fixed_cost=round(scale * instance.vehicle_fixed_cost),
            capacity=list(capacity),
            unit_duration_cost=0,
            profile=profile,
        )
        for (start, end, early, late, max_distance, capacity, profile), members in groups.items()
    ]
    data = pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=depot_objects,
        vehicle_types=vehicle_types,
        distance_matrices=distance_matrices,
        duration_matrices=duration_matrices,
    )
    node_of_index = dict(enumerate(visits))
    del n
    return PyvrpModel(
        data=data,
        node_of_index=node_of_index,
        vehicles_of_type=tuple(tuple(members) for members in groups.values()),
    )


#: PyVRP's cost of a solution that breaks a constraint (``CostEvaluator.cost``: the largest int64).
INFEASIBLE_COST = float(np.iinfo(np.int64).max)
#: share of its time PyVRP may search without a feasible solution before it gives the rest back.
FEASIBLE_BY_SHARE = 0.5


class _Stop:
    """PyVRP's stopping criterion: the deadline, the caller asking to stop, or no feasible
    solution after :data:`FEASIBLE_BY_SHARE` of the time (the rest is worth more to OR-Tools,
    whose first plan is feasible by construction)."""

    def __init__(self, time_limit_s: float, should_stop: Callable[[], bool] | None) -> None:
        started = time.monotonic()
        self.deadline = started + max(0.05, time_limit_s)
        self.feasible_by = started + FEASIBLE_BY_SHARE * max(0.05, time_limit_s)
        self.should_stop = should_stop

    def __call__(self, best_cost: float) -> bool:
        now = time.monotonic()
        if best_cost >= INFEASIBLE_COST and now >= self.feasible_by:
            return True
        return now >= self.deadline or (self.should_stop is not None and self.should_stop())


def search_routes(
    instance: RoutingInstance,
    *,
    time_limit_s: float,
    seed: int = 0,
    should_stop: Callable[[], bool] | None = None,
) -> list[list[int]] | None:
    """PyVRP's best feasible routes (visit nodes per vehicle) within ``time_limit_s``; None if none.

    The clock starts once the model is built; ``should_stop`` ends the search early.
    """
    import pyvrp

    model = build_model(instance)
    data: pyvrp.ProblemData = model.data  # type: ignore[assignment]
    params = pyvrp.SolveParams(penalty=pyvrp.PenaltyParams(max_penalty=MAX_PENALTY))
    result = pyvrp.solve(
        data,
        stop=_Stop(time_limit_s, should_stop),
        seed=seed,
        collect_stats=False,
        display=False,
        params=params,
    )
    if not result.best.is_feasible():
        return None
    return routes_of(result.best, model, instance.num_vehicles)


def routes_of(solution: object, model: PyvrpModel, num_vehicles: int) -> list[list[int]]:
    """The solution's routes per instance vehicle: a type's routes go to its vehicles in order."""
    routes: list[list[int]] = [[] for _ in range(num_vehicles)]
    used = [0] * len(model.vehicles_of_type)
    for route in solution.routes():  # type: ignore[attr-defined]
        kind = int(route.vehicle_type())
        vehicle = model.vehicles_of_type[kind][used[kind]]
        used[kind] += 1
        routes[vehicle] = [model.node_of_index[int(step.idx)] for step in route if step.is_client()]
    return routes


def routes_cost(instance: RoutingInstance, routes: Sequence[Sequence[int]]) -> int:
    """The instance's own travel cost of the routes plus the penalty of every node left out (no balance)."""
    total = 0
    visited: set[int] = set()
    for vehicle, route in enumerate(routes):
        if not route:
            continue
        arcs = instance.vehicle_arc_cost(vehicle)
        path = [int(instance.vehicle_start[vehicle]), *route, int(instance.vehicle_end[vehicle])]
        total += int(np.sum(arcs[path[:-1], path[1:]]))
        visited.update(route)
    total += sum(
        int(instance.drop_penalty[node])
        for node in instance.visit_nodes
        if node not in visited and instance.drop_penalty[node] >= 0
    )
    return total
