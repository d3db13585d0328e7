"""Big days in parts: split by the domain's borders, solve the parts, repair across the borders.

One model of a whole region's day grows with the square of its nodes, in every cost class
and every search process.  Above ``SearchParams.decompose_above_visits`` visits the engine
(:func:`dispatch.engine.solve_instance`) solves it in parts instead:

1. *split* (:func:`split`): the vehicles by their group (``RoutingInstance.vehicle_group``: the
   technician's partner body, Directorate and island, written by :mod:`.build`; without groups,
   the vehicles that end at one depot), groups with fewer than ``decompose_min_part_visits``
   visits merged into the group whose vehicles could serve most of them; each visit goes to the
   part of the allowed vehicle that starts nearest to it (a sailing or a night away belongs to its
   technician's part);
2. *solve* every part as an instance of its own (:func:`part_instance`, the same arrays sliced)
   through an executor (:mod:`.executor`: this process, local processes or a Dask cluster), first
   for a first plan only, then with the time left;
3. *repair across borders* (:func:`repair_borders`): each visit left undone is inserted where a
   technician of any part serves it for less than its value, and each visit near a border moves to
   a technician of another part who serves it cheaper;
4. *price* (:func:`assemble`): every route is read back into a one-vehicle model of the
   instance (the model of record checks it, times it and prices it exactly, as OR-Tools would in
   the whole model); a route it rejects goes back to its part's.

The result is one :class:`~dromologio.dispatch.instance.InstanceSolution` of the whole
instance: the split is invisible to the plan, the checker and the audit.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .executor import InlineExecutor, SolveExecutor
from .instance import InstanceSolution, IntArray, RoutingInstance
from .params import SearchParams
from .search import Constructor, ProgressCallback, StopCallback, search_instance

#: share of the time limit the first plans of the parts may take before the improving round.
FIRST_ROUND_SHARE = 0.25
#: ... and never more than this many seconds per part: the first round is for a first plan.
FIRST_ROUND_MAX_S = 2.0
#: share kept for the repair across borders and the pricing of the routes.
ASSEMBLY_SHARE = 0.1
#: the improving round is skipped when less than this is left per part.
MIN_ROUND_S = 1.0
#: time limit of the greedy descent that polishes one route in a model of its vehicle alone.
ONE_VEHICLE_LIMIT_S = 1.0


@runtime_checkable
class PartConstructor(Protocol):
    """A constructor that can restrict itself to a part (the island excursions do)."""

    def __call__(
        self, routes: list[list[int]], feasible: Callable[[Sequence[Sequence[int]]], bool], deadline: float
    ) -> list[list[int]]: ...

    def part(
        self, instance: RoutingInstance, vehicles: Sequence[int], nodes: Sequence[int]
    ) -> Constructor | None:
        """The constructor for ``instance``: ``nodes`` and ``vehicles`` of the whole one, in order
        (None when the part needs none)."""
        ...


@dataclass(frozen=True)
class Part:
    """Vehicles and nodes of the whole instance solved together, and their instance."""

    vehicles: tuple[int, ...]
    #: nodes of the whole instance, in the part instance's order (depots first).
    nodes: tuple[int, ...]
    instance: RoutingInstance


def num_visits(instance: RoutingInstance) -> int:
    """Visits that carry a value or must be made (tickets), not optional free nodes (sailings, nights)."""
    visits = np.asarray(instance.visit_nodes, dtype=np.int64)
    return int(np.count_nonzero(instance.drop_penalty[visits] != 0)) if visits.size else 0


def vehicle_groups(instance: RoutingInstance) -> IntArray:
    """The group of each vehicle: ``vehicle_group`` where the instance has one, else its end depot."""
    if instance.vehicle_group is not None:
        return np.asarray(instance.vehicle_group, dtype=np.int64)
    return np.asarray(instance.vehicle_end, dtype=np.int64)


def split(instance: RoutingInstance, min_part_visits: int) -> list[tuple[list[int], list[int]]]:
    """The parts of ``instance`` as (vehicles, visit nodes), before slicing (see the module docstring)."""
    groups = vehicle_groups(instance)
    members: dict[int, list[int]] = defaultdict(list)
    for vehicle, group in enumerate(groups.tolist()):
        members[group].append(vehicle)
    part_of_group = {group: index for index, group in enumerate(sorted(members))}
    vehicles_of: list[list[int]] = [members[g] for g in sorted(members)]
    part_of_vehicle = np.array([part_of_group[g] for g in groups.tolist()], dtype=np.int64)

    def nearest_part(node: int, allowed: Sequence[int]) -> int:
        starts = instance.vehicle_start[list(allowed)]
        reach = instance.duration[starts, node]
        best = int(np.argmin(reach))
        return int(part_of_vehicle[allowed[best]])

    all_vehicles = list(range(instance.num_vehicles))
    visits_of: list[list[int]] = [[] for _ in vehicles_of]
    allowed_of: dict[int, list[int]] = {}
    for node in instance.visit_nodes:
        allowed = instance.allowed_vehicles[node]
        candidates = all_vehicles if allowed is None else sorted(allowed)
        if not candidates:
            continue  # nobody may visit it: dropped in every part
        allowed_of[node] = candidates
        visits_of[nearest_part(node, candidates)].append(node)

    # Merge parts with too few visits into the part whose vehicles could serve most of them.
    def valued(nodes: Sequence[int]) -> int:
        return sum(1 for n in nodes if instance.drop_penalty[n] != 0)

    alive = set(range(len(vehicles_of)))
    while len(alive) > 1:
        small = min(alive, key=lambda p: (valued(visits_of[p]), p))
        if valued(visits_of[small]) >= min_part_visits:
            break
        shared: dict[int, int] = defaultdict(int)
        own = set(vehicles_of[small])
        for node in visits_of[small]:
            for vehicle in allowed_of[node]:
                other = int(part_of_vehicle[vehicle])
                if other != small and other in alive:
                    shared[other] += 1
        # ... or the part whose visits its own vehicles could serve most.
        for other in alive - {small}:
            shared[other] += sum(1 for n in visits_of[other] if own & set(allowed_of[n]))
        target = max(sorted(alive - {small}), key=lambda p: shared[p])
        vehicles_of[target] += vehicles_of[small]
        visits_of[target] += visits_of[small]
        part_of_vehicle[vehicles_of[small]] = target
        vehicles_of[small], visits_of[small] = [], []
        alive.discard(small)
    return [(sorted(vehicles_of[p]), sorted(visits_of[p])) for p in sorted(alive)]


def part_instance(instance: RoutingInstance, vehicles: Sequence[int], visits: Sequence[int]) -> Part:
    """The instance of a part: its vehicles' depots and its visits, every array sliced alike."""
    depots: list[int] = []
    for vehicle in vehicles:
        for depot in (int(instance.vehicle_start[vehicle]), int(instance.vehicle_end[vehicle])):
            if depot not in depots:
                depots.append(depot)
    nodes = np.array([*depots, *visits], dtype=np.int64)
    node_index = {int(n): k for k, n in enumerate(nodes.tolist())}
    vehicle_index = {v: k for k, v in enumerate(vehicles)}
    chosen = np.array(vehicles, dtype=np.int64)
    changes: dict[str, Any] = {}
    for spec in dataclasses.fields(instance):
        value = getattr(instance, spec.name)
        if spec.name == "allowed_vehicles":
            changes[spec.name] = tuple(
                None
                if value[n] is None
                else frozenset(vehicle_index[v] for v in value[n] if v in vehicle_index)
                for n in nodes.tolist()
            )
        elif not isinstance(value, np.ndarray):
            continue
        elif spec.name in ("distance", "duration"):
            changes[spec.name] = value[np.ix_(nodes, nodes)]
        elif spec.name in ("vehicle_start", "vehicle_end"):
            changes[spec.name] = np.array([node_index[int(value[v])] for v in vehicles], dtype=np.int64)
        elif spec.name in ("zone", "visit_cost"):
            changes[spec.name] = value[np.ix_(chosen, nodes)]
        elif spec.name.startswith("vehicle_") or spec.name == "zone_entry_cost":
            changes[spec.name] = value[chosen]
        else:
            changes[spec.name] = value[nodes]
    sliced = dataclasses.replace(instance, **changes)
    return Part(tuple(vehicles), tuple(int(n) for n in nodes), sliced)


# --------------------------------------------------------------------------- solving the parts


def _solve_part(
    data: tuple[RoutingInstance, Constructor | None],
    time_limit_s: float,
    seed: int,
    params: SearchParams,
    first_only: bool,
) -> InstanceSolution:
    """One part (its instance and constructor), as the engine solves a day (here or in a worker)."""
    from .engine import solve_instance

    part, constructor = data
    params = params.replace(decompose_above_visits=0)  # a part is one model
    if first_only:
        params = params.replace(use_pyvrp=False, num_workers=1)
    return solve_instance(part, time_limit_s=time_limit_s, seed=seed, params=params, constructor=constructor)


def _whole_routes(
    instance: RoutingInstance, parts: Sequence[Part], solutions: Sequence[InstanceSolution]
) -> list[list[int]]:
    routes: list[list[int]] = [[] for _ in range(instance.num_vehicles)]
    for part, solution in zip(parts, solutions, strict=True):
        for k, route in enumerate(solution.routes):
            routes[part.vehicles[k]] = [part.nodes[n] for n in route]
    return routes


def solve_in_parts(
    instance: RoutingInstance,
    *,
    time_limit_s: float,
    seed: int,
    params: SearchParams,
    on_solution: ProgressCallback | None = None,
    should_stop: StopCallback | None = None,
    constructor: Constructor | None = None,
    executor: SolveExecutor | None = None,
) -> InstanceSolution:
    """Solve ``instance`` in parts (see the module docstring); one solution of the whole instance.

    The parts run on ``executor`` (default: one after the other in this process), each with
    ``params.for_cores(executor.cores_per_task)``.  A first round gives every part its first plan
    and reports the assembled plan (``on_solution``); a second round, when time is left, solves
    the parts again with it and keeps the better whole.
    """
    started = time.monotonic()
    executor = executor or InlineExecutor()
    layout = split(instance, params.decompose_min_part_visits)
    parts = [part_instance(instance, vehicles, visits) for vehicles, visits in layout]
    builders: list[Constructor | None] = [
        constructor.part(p.instance, p.vehicles, p.nodes)
        if isinstance(constructor, PartConstructor)
        else None
        for p in parts
    ]
    task_params = params.for_cores(executor.cores_per_task)
    history: list[tuple[float, int]] = []
    best: InstanceSolution | None = None
    waves = max(1, -(-len(parts) // max(1, executor.slots)))

    # Each part's data goes to the workers once (scattered on a Dask cluster), for both rounds.
    shared = [executor.share((p.instance, builder)) for p, builder in zip(parts, builders, strict=True)]

    # The best solution of each part so far: a round never makes a part worse.
    kept: list[InstanceSolution | None] = [None] * len(parts)
    assembly_s = 0.0

    def run_round(part_limit_s: float, first_only: bool) -> InstanceSolution:
        nonlocal assembly_s
        futures: list[Future[InstanceSolution]] = [
            executor.submit(_solve_part, data, part_limit_s, seed, task_params, first_only) for data in shared
        ]
        for index, future in enumerate(futures):
            found = future.result()
            previous = kept[index]
            if previous is None or (found.objective >= 0 and found.objective < previous.objective):
                kept[index] = found
        assembling = time.monotonic()
        routes = _whole_routes(instance, parts, [s for s in kept if s is not None])
        fallback = [list(r) for r in routes]
        deadline = time.monotonic() + max(0.5, ASSEMBLY_SHARE * time_limit_s)
        repair_borders(instance, routes, deadline)
        whole = assemble(instance, routes, fallback, params=params)
        assembly_s = time.monotonic() - assembling
        return whole

    first_limit = max(0.05, min(FIRST_ROUND_MAX_S, FIRST_ROUND_SHARE * time_limit_s / waves))
    for first_only in (True, False):
        if not first_only:
            # What is left, less what assembling the parts took the first time.
            left = time_limit_s - (time.monotonic() - started) - assembly_s
            part_limit = left / waves
            if part_limit < MIN_ROUND_S or (should_stop is not None and should_stop()):
                break
        else:
            part_limit = first_limit
        found = run_round(part_limit, first_only)
        if best is None or (found.objective >= 0 and found.objective < best.objective):
            best = found
            elapsed = time.monotonic() - started
            history.append((elapsed, found.objective))
            if on_solution is not None:
                on_solution(elapsed, found.objective)
    assert best is not None
    status = f"decomposed:{len(parts)}"
    return dataclasses.replace(
        best, history=tuple(history), solve_seconds=time.monotonic() - started, status=status
    )


# --------------------------------------------------------------------------- across the borders


def route_fits(instance: RoutingInstance, vehicle: int, route: Sequence[int]) -> bool:
    """Whether ``vehicle`` may drive ``route``: allowed at every node, times inside every window
    (earliest start, waiting allowed), back within its window, within its distance cap and capacity."""
    for node in route:
        allowed = instance.allowed_vehicles[node]
        if allowed is not None and vehicle not in allowed:
            return False
    path = np.array(
        [int(instance.vehicle_start[vehicle]), *route, int(instance.vehicle_end[vehicle])], dtype=np.int64
    )
    transit = instance.transit_between(path[:-1], path[1:]).tolist()
    earliest, latest = (int(v) for v in instance.vehicle_windows[vehicle])
    at = earliest
    for node, step in zip(route, transit, strict=False):
        at = max(at + step, int(instance.time_windows[node, 0]))
        if at > instance.time_windows[node, 1]:
            return False
    if at + transit[-1] > latest:
        return False
    cap = int(instance.vehicle_max_distance[vehicle])
    if cap >= 0 and int(instance.distance[path[:-1], path[1:]].sum()) > cap:
        return False
    demand, capacity = instance.demand, instance.vehicle_capacity
    return demand is None or capacity is None or int(demand[list(route)].sum()) <= int(capacity[vehicle])


def route_cost(instance: RoutingInstance, vehicle: int, route: Sequence[int]) -> int:
    """The arc costs of ``route`` for ``vehicle`` (rates, fares, far zone, visit costs)."""
    path = np.array(
        [int(instance.vehicle_start[vehicle]), *route, int(instance.vehicle_end[vehicle])], dtype=np.int64
    )
    return int(instance.arc_costs(vehicle, path[:-1], path[1:]).sum())


def _cheapest_insertion(
    instance: RoutingInstance, node: int, routes: Sequence[Sequence[int]], vehicles: Sequence[int]
) -> tuple[int, int, list[int]] | None:
    """(added cost, vehicle, route) of the cheapest feasible place of ``node`` among ``vehicles``.

    Arc costs are arc by arc, so what a place adds is the two arcs in less the arc out, for
    every place of a route at once; places are tried cheapest first until one fits.
    """
    best: tuple[int, int, list[int]] | None = None
    for vehicle in vehicles:
        route = list(routes[vehicle])
        if any(instance.allowed_vehicles[n] == frozenset({vehicle}) for n in route):
            continue  # a route with crossings or a night away of its own: left as its part planned it
        path = np.array(
            [int(instance.vehicle_start[vehicle]), *route, int(instance.vehicle_end[vehicle])], dtype=np.int64
        )
        tails, heads = path[:-1], path[1:]
        here = np.full(len(tails), node, dtype=np.int64)
        added = (
            instance.arc_costs(vehicle, tails, here)
            + instance.arc_costs(vehicle, here, heads)
            - instance.arc_costs(vehicle, tails, heads)
        )
        for position in np.argsort(added, kind="stable").tolist():
            if best is not None and int(added[position]) >= best[0]:
                break
            candidate = [*route[:position], node, *route[position:]]
            if route_fits(instance, vehicle, candidate):
                best = (int(added[position]), vehicle, candidate)
                break
    return best


def repair_borders(instance: RoutingInstance, routes: list[list[int]], deadline: float) -> int:
    """Insert undone visits and move border visits where another technician serves them cheaper.

    Changes ``routes`` in place and returns how many visits were placed or moved.  Only routes
    without sailings or nights away take part (those keep what their part planned).
    """
    changed = 0
    visited = {n for route in routes for n in route}
    everyone = list(range(instance.num_vehicles))
    undone = [
        n
        for n in instance.visit_nodes
        if n not in visited and instance.drop_penalty[n] > 0 and instance.allowed_vehicles[n] != frozenset()
    ]
    undone.sort(key=lambda n: (-int(instance.drop_penalty[n]), n))
    for node in undone:
        if time.monotonic() > deadline:
            return changed
        allowed = instance.allowed_vehicles[node]
        found = _cheapest_insertion(instance, node, routes, everyone if allowed is None else sorted(allowed))
        if found is not None and found[0] < int(instance.drop_penalty[node]):
            routes[found[1]] = found[2]
            changed += 1
    owner = {n: v for v, route in enumerate(routes) for n in route}
    for node in sorted(owner):
        allowed = instance.allowed_vehicles[node]
        if time.monotonic() > deadline:
            break
        if allowed is not None and len(allowed) < 2:
            continue
        vehicle = owner[node]
        route = routes[vehicle]
        if any(instance.allowed_vehicles[n] == frozenset({vehicle}) for n in route):
            continue
        without = [n for n in route if n != node]
        if not route_fits(instance, vehicle, without):
            continue
        saving = route_cost(instance, vehicle, route) - route_cost(instance, vehicle, without)
        others = [v for v in (everyone if allowed is None else sorted(allowed)) if v != vehicle]
        found = _cheapest_insertion(instance, node, routes, others)
        if found is not None and found[0] < saving:
            routes[vehicle] = without
            routes[found[1]] = found[2]
            owner[node] = found[1]
            changed += 1
    return changed


# --------------------------------------------------------------------------- pricing the whole


def assemble(
    instance: RoutingInstance,
    routes: Sequence[Sequence[int]],
    fallback: Sequence[Sequence[int]],
    *,
    params: SearchParams,
) -> InstanceSolution:
    """One solution of the whole instance from ``routes``, each read and priced by a one-vehicle model.

    When the model rejects a route, the whole of ``fallback`` (the parts' routes, each found by the
    model) is used instead.  The objective is the whole model's: every route's arcs, fares,
    far-zone entries, visit costs, overtime and fixed cost, the values of the visits left undone,
    and the workload balance on the busiest vehicle.
    """
    priced = _one_vehicle(instance, routes, params)
    if priced is None:
        priced = _one_vehicle(instance, fallback, params)
    if priced is None:
        raise RuntimeError("the model rejects a route its own part found")
    final_routes, solutions, nodes_of = priced
    service_start: dict[int, int] = {}
    departures: list[int] = []
    returns: list[int] = []
    objective = 0
    for vehicle, solved in enumerate(solutions):
        if solved is None:
            start = int(instance.vehicle_windows[vehicle, 0])
            departures.append(start)
            returns.append(start)
            continue
        departures.append(solved.vehicle_departure[0])
        returns.append(solved.vehicle_return[0])
        nodes = nodes_of[vehicle]
        service_start.update({nodes[n]: t for n, t in solved.service_start.items()})
        # Its arcs, overtime and fixed cost, and the values of its own visits it left undone.
        objective += solved.objective
    covered = {n for nodes in nodes_of for n in nodes}
    visited = {n for route in final_routes for n in route}
    dropped = tuple(n for n in instance.visit_nodes if n not in visited)
    objective += sum(int(instance.drop_penalty[n]) for n in dropped if n not in covered)
    if instance.balance_cost > 0:
        work = [
            int(instance.service[int(instance.vehicle_start[v])]) + int(instance.service[list(r)].sum())
            for v, r in enumerate(final_routes)
        ]
        objective += instance.balance_cost * max(work, default=0)
    return InstanceSolution(
        routes=tuple(final_routes),
        service_start=service_start,
        vehicle_departure=tuple(departures),
        vehicle_return=tuple(returns),
        dropped=dropped,
        objective=objective,
        history=(),
        solve_seconds=0.0,
        status="success",
    )


def _one_vehicle(
    instance: RoutingInstance, routes: Sequence[Sequence[int]], params: SearchParams
) -> tuple[list[tuple[int, ...]], list[InstanceSolution | None], list[tuple[int, ...]]] | None:
    """Each route read into a model of its vehicle alone and polished by a greedy descent (the
    model's exact times and costs); None when the model rejects one."""
    descent = params.replace(
        metaheuristic="GREEDY_DESCENT", use_iterated_local_search=False, use_pyvrp=False, num_workers=1
    )
    final_routes: list[tuple[int, ...]] = []
    solutions: list[InstanceSolution | None] = []
    nodes_of: list[tuple[int, ...]] = []
    for vehicle, route in enumerate(routes):
        if not route:
            final_routes.append(())
            solutions.append(None)
            nodes_of.append(())
            continue
        part = part_instance(instance, [vehicle], list(route))
        one = dataclasses.replace(part.instance, balance_cost=0)
        index = {n: k for k, n in enumerate(part.nodes)}
        solved = search_instance(
            one, time_limit_s=ONE_VEHICLE_LIMIT_S, params=descent, initial_routes=[[index[n] for n in route]]
        )
        if solved.status == "rejected" or solved.objective < 0:
            return None
        final_routes.append(tuple(part.nodes[n] for n in solved.routes[0]))
        solutions.append(solved)
        nodes_of.append(part.nodes)
    return final_routes, solutions, nodes_of
