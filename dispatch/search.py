"""One search of a :class:`RoutingInstance` in this process: the OR-Tools routing model, solved.

Steps follow the OR-Tools routing samples: index manager -> model -> transit
matrices -> arc costs per cost class -> dimensions (time, distance, capacity,
work) -> time windows -> optional visits -> allowed vehicles -> finalizers ->
search parameters -> solve -> extract.  This is the only module that touches
OR-Tools objects.  :mod:`dispatch.engine` decides whether a call runs this one search or
several at once (:mod:`dispatch.parallel`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.constraint_solver import (
    pywrapcp,
    routing_enums_pb2,
    routing_heuristic_parameters_pb2,
    routing_ils_pb2,
)
from ortools.util import optional_boolean_pb2

from .instance import HORIZON_CAP, InstanceSolution, IntArray, RoutingInstance
from .params import SearchParams

#: called with (seconds since start, objective) at every improving solution.
ProgressCallback = Callable[[float, int], None]
#: polled at every solution; returning True stops the search (the best plan so far is kept).
StopCallback = Callable[[], bool]
#: True when the given routes (visit nodes per vehicle) are feasible for the model.
FeasibilityOracle = Callable[[Sequence[Sequence[int]]], bool]
#: turns the first solution's routes into better starting routes by a deadline (time.monotonic()),
#: checking candidates with the oracle (the dispatch layer adds island excursions this way,
#: which need several nodes at once).
Constructor = Callable[[list[list[int]], FeasibilityOracle, float], list[list[int]]]
#: the first solution gets at least this long, whatever the time limit (a plan is always returned).
FIRST_SOLUTION_FLOOR_S = 120.0
#: share of the remaining time the constructor may use.
CONSTRUCTOR_SHARE = 0.3
#: ... and never more than this many seconds.
CONSTRUCTOR_MAX_S = 3.0

_STATUS = {
    0: "not_solved",
    1: "success",
    2: "partial_success_time_limit",
    3: "fail",
    4: "fail_timeout",
    5: "invalid",
    6: "infeasible",
    7: "optimal",
}


@dataclass
class _Progress:
    started: float
    on_solution: ProgressCallback | None
    should_stop: StopCallback | None
    history: list[tuple[float, int]] = field(default_factory=list)


def _permutation(num_nodes: int, seed: int) -> IntArray:
    """Node order handed to OR-Tools: identity for seed 0, a seeded shuffle otherwise.

    OR-Tools routing has no random seed of its own; presenting the nodes in another
    order changes tie-breaking in construction and local search, which is what a
    seed is for (and what parallel workers need to explore differently).
    """
    if seed == 0:
        return np.arange(num_nodes, dtype=np.int64)
    return np.random.default_rng(seed).permutation(num_nodes).astype(np.int64)


def _search_parameters(params: SearchParams, time_limit_s: float) -> pywrapcp.RoutingSearchParameters:
    """OR-Tools' routing search parameters for ``params`` and a time limit.

    With ``use_iterated_local_search`` the metaheuristic is a greedy descent: OR-Tools' iterated
    local search descends after each perturbation with the configured metaheuristic, and guided
    local search would never return from the first descent.
    """
    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.Value.Value(
        params.first_solution
    )
    metaheuristic = "GREEDY_DESCENT" if params.use_iterated_local_search else params.metaheuristic
    search.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.Value.Value(metaheuristic)
    search.guided_local_search_lambda_coefficient = params.guided_local_search_lambda
    operators = search.local_search_operators
    for name, on in params.operator_switches().items():
        setattr(
            operators,
            f"use_{name}",
            optional_boolean_pb2.BOOL_TRUE if on else optional_boolean_pb2.BOOL_FALSE,
        )
    search.ls_operator_neighbors_ratio = params.ls_operator_neighbors_ratio
    search.ls_operator_min_neighbors = params.ls_operator_min_neighbors
    if params.use_iterated_local_search:
        search.use_iterated_local_search = True
        ils = search.iterated_local_search_parameters
        ils.perturbation_strategy = routing_ils_pb2.PerturbationStrategy.RUIN_AND_RECREATE
        ils.improve_perturbed_solution = params.improve_perturbed
        recreate = ils.ruin_recreate_parameters
        ruin = recreate.ruin_strategies.add()
        if params.ruin == "SISR":
            ruin.sisr.max_removed_sequence_size = params.ruin_max_sequence
            ruin.sisr.avg_num_removed_visits = params.ruin_visits
            ruin.sisr.bypass_factor = params.ruin_bypass_factor
        elif params.ruin == "RANDOM_WALK":
            ruin.random_walk.num_removed_visits = params.ruin_visits
        else:
            ruin.spatially_close_routes.num_ruined_routes = params.ruin_routes
        recreate.recreate_strategy.heuristic = routing_enums_pb2.FirstSolutionStrategy.Value.Value(
            params.recreate
        )
        if params.recreate_random_order:
            recreate.recreate_strategy.parameters.local_cheapest_insertion.insertion_sorting_properties.append(
                routing_heuristic_parameters_pb2.LocalCheapestInsertionParameters.SORTING_PROPERTY_RANDOM
            )
        reference = ils.reference_solution_acceptance_strategy
        if params.acceptance == "SIMULATED_ANNEALING":
            annealing = reference.simulated_annealing
            annealing.cooling_schedule_strategy = routing_ils_pb2.CoolingScheduleStrategy.EXPONENTIAL
            annealing.automatic_temperatures = params.automatic_temperatures
            if not params.automatic_temperatures:
                annealing.initial_temperature = params.initial_temperature
                annealing.final_temperature = params.final_temperature
        else:
            reference.greedy_descent.SetInParent()
        ils.best_solution_acceptance_strategy.greedy_descent.SetInParent()
    search.time_limit.FromMilliseconds(max(1, int(time_limit_s * 1000)))
    if params.solution_limit:
        search.solution_limit = params.solution_limit
    search.log_search = params.log_search
    return search


def _routes_of(
    routing: pywrapcp.RoutingModel,
    manager: pywrapcp.RoutingIndexManager,
    assignment: Any,
    node: Callable[[int], int],
) -> list[list[int]]:
    routes: list[list[int]] = []
    for vehicle in range(routing.vehicles()):
        index = assignment.Value(routing.NextVar(routing.Start(vehicle)))
        sequence: list[int] = []
        while not routing.IsEnd(index):
            sequence.append(node(manager.IndexToNode(index)))
            index = assignment.Value(routing.NextVar(index))
        routes.append(sequence)
    return routes


def _two_phase_solve(
    routing: pywrapcp.RoutingModel,
    manager: pywrapcp.RoutingIndexManager,
    params: SearchParams,
    remaining_s: Callable[[], float],
    constructor: Constructor | None,
    node: Callable[[int], int],
    position: IntArray,
    initial_routes: Sequence[Sequence[int]] | None = None,
) -> Any:
    """First solution (always, even past the limit), the constructor's improvement, then local search.

    The first phase gets at least ``FIRST_SOLUTION_FLOOR_S``: on large problems the
    first solution may take longer than a short limit, and returning nothing is
    worse than returning a little late.  With ``initial_routes`` the search starts from
    them instead (None when the model rejects them).
    """

    def to_indices(candidate: Sequence[Sequence[int]]) -> list[list[int]]:
        return [[manager.NodeToIndex(int(position[n])) for n in route] for route in candidate]

    if initial_routes is not None:
        given = routing.ReadAssignmentFromRoutes(to_indices(initial_routes), True)
        if given is None:
            return None
        improved = routing.SolveFromAssignmentWithParameters(
            given, _search_parameters(params.replace(use_iterated_local_search=False), remaining_s())
        )
        return improved if improved is not None else given
    first_only = _search_parameters(
        params.replace(metaheuristic="GREEDY_DESCENT"), max(remaining_s(), FIRST_SOLUTION_FLOOR_S)
    )
    first_only.solution_limit = 1
    first = routing.SolveWithParameters(first_only)
    initial = first
    if constructor is not None:
        routes = (
            _routes_of(routing, manager, first, node)
            if first is not None
            else [[] for _ in range(routing.vehicles())]
        )

        def feasible(candidate: Sequence[Sequence[int]]) -> bool:
            return routing.ReadAssignmentFromRoutes(to_indices(candidate), True) is not None

        deadline = time.monotonic() + min(CONSTRUCTOR_SHARE * remaining_s(), CONSTRUCTOR_MAX_S)
        built = routing.ReadAssignmentFromRoutes(to_indices(constructor(routes, feasible, deadline)), True)
        initial = built if built is not None else first
    if initial is None:
        return None
    if remaining_s() <= 0.05:
        return initial
    if params.use_iterated_local_search and constructor is None:
        return _iterated_local_search(routing, initial, params, remaining_s())
    params = params.replace(use_iterated_local_search=False)
    improved = routing.SolveFromAssignmentWithParameters(initial, _search_parameters(params, remaining_s()))
    return improved if improved is not None else initial


def _iterated_local_search(
    routing: pywrapcp.RoutingModel, initial: object, params: SearchParams, time_limit_s: float
) -> object:
    """OR-Tools' iterated local search for ``time_limit_s``; ``initial`` when it finds nothing better.

    Only ``SolveWithIteratedLocalSearch`` runs it (``SolveWithParameters`` and
    ``SolveFromAssignmentWithParameters`` ignore ``use_iterated_local_search``).  It cannot start
    from ``initial``: it builds its own first solution with ``params.first_solution``, and it
    cannot be interrupted before its time limit: ``_two_phase_solve`` runs the metaheuristic
    instead after a constructor, and ``search_instance`` when the caller may ask to stop.
    """
    found = routing.SolveWithIteratedLocalSearch(_search_parameters(params, time_limit_s))
    if found is None or found.ObjectiveValue() >= initial.ObjectiveValue():  # type: ignore[attr-defined]
        return initial
    return found


def _allow_late_ends(
    routing: pywrapcp.RoutingModel,
    manager: pywrapcp.RoutingIndexManager,
    instance: RoutingInstance,
    order: IntArray,
    time_dimension: pywrapcp.RoutingDimension,
) -> None:
    """A route through one of the instance's ``late_end_nodes`` may end by ``vehicle_late_end``
    (the end's range, set by the caller); every other route by its window's end:
    end <= window end + (late end - window end) x visited."""
    if instance.vehicle_late_end is None or instance.late_end_nodes is None:
        return
    solver = routing.solver()
    late_nodes = [
        model_node for model_node, original in enumerate(order.tolist()) if instance.late_end_nodes[original]
    ]
    for vehicle in range(instance.num_vehicles):
        latest = int(instance.vehicle_windows[vehicle, 1])
        extra = int(instance.vehicle_late_end[vehicle]) - latest
        if extra <= 0:
            continue
        end = time_dimension.CumulVar(routing.End(vehicle))
        mine = [
            model_node
            for model_node in late_nodes
            if instance.allowed_vehicles[int(order[model_node])] == frozenset({vehicle})
        ]
        if not mine:
            end.SetMax(latest)
            continue
        visited = solver.Sum([routing.ActiveVar(manager.NodeToIndex(model_node)) for model_node in mine])
        solver.Add(end <= latest + visited * extra)


def _add_breaks(
    routing: pywrapcp.RoutingModel,
    manager: pywrapcp.RoutingIndexManager,
    instance: RoutingInstance,
    order: IntArray,
    time_dimension: pywrapcp.RoutingDimension,
) -> list[Any]:
    """Each vehicle's break (``instance.vehicle_break``) as an interval on the "time" dimension.

    A break falls before the vehicle leaves, after it is back, or on an arc i -> j inside
    [cumul(i) + service(i), cumul(j)): never during the service at a node; the arc's slack grows
    by the break, so the arc keeps its travel and setup besides.  OR-Tools 9.15's Python binding
    takes node visit transits only (no "post travel" for j's setup), so the interval is the break
    and its guard: the break itself ends a setup before j's service starts.  Returns the interval
    of each vehicle (None for a vehicle without a break).
    """
    intervals: list[Any] = [None] * instance.num_vehicles
    if not instance.has_breaks:
        return intervals
    solver = routing.solver()
    # The time spent at each node (its service), which no break overlaps.  OR-Tools reads this
    # list by routing index (an end depot has an index of its own), not by node.
    ends = routing.Size() + routing.vehicles()
    node_visit_transits = [
        int(instance.service[int(order[manager.IndexToNode(index)])]) for index in range(ends)
    ]
    for vehicle in range(instance.num_vehicles):
        window = instance.break_of(vehicle)
        if window is None:
            continue
        interval = solver.FixedDurationIntervalVar(
            window.earliest,  # start_min
            window.latest,  # start_max
            window.length + window.guard,  # duration: the break, then the next visit's setup kept clear
            False,  # optional: every vehicle with a break takes it
            f"break {vehicle}",
        )
        time_dimension.SetBreakIntervalsOfVehicle([interval], vehicle, node_visit_transits)
        intervals[vehicle] = interval
    return intervals


def search_instance(
    instance: RoutingInstance,
    *,
    time_limit_s: float,
    seed: int = 0,
    params: SearchParams | None = None,
    on_solution: ProgressCallback | None = None,
    should_stop: StopCallback | None = None,
    constructor: Constructor | None = None,
    initial_routes: Sequence[Sequence[int]] | None = None,
) -> InstanceSolution:
    """One search of ``instance`` in this process for ``time_limit_s``; the best solution found.

    ``initial_routes`` (visit nodes per vehicle) start the local search instead of a first
    solution; when the model rejects them the result has status ``rejected`` and no routes.

    ``params.num_workers`` is not looked at here (:func:`dispatch.engine.solve_instance` is).
    Never returns nothing while a solution that drops visits exists: every visit
    with a drop penalty is optional, and parallel cheapest insertion always
    completes a first solution.  With a ``constructor``, the first solution is
    handed to it and the local search starts from what it returns.
    """
    params = params or SearchParams()
    if should_stop is not None and params.use_iterated_local_search:
        # The iterated local search runs to its time limit whatever should_stop says.
        params = params.replace(use_iterated_local_search=False)
    params = params.replace(first_solution=params.first_solution_for(instance.num_nodes)).neighbours_for(
        instance.num_nodes
    )
    started = time.monotonic()
    if instance.num_vehicles == 0:
        # OR-Tools aborts the process on a model without vehicles.
        return InstanceSolution((), {}, (), (), instance.visit_nodes, 0, (), 0.0, "no_vehicles")
    order = _permutation(instance.num_nodes, seed)
    position = np.empty_like(order)
    position[order] = np.arange(instance.num_nodes)

    def node(model_node: int) -> int:
        return int(order[model_node])

    starts = [int(position[s]) for s in instance.vehicle_start]
    ends = [int(position[e]) for e in instance.vehicle_end]
    manager = pywrapcp.RoutingIndexManager(instance.num_nodes, instance.num_vehicles, starts, ends)
    routing = pywrapcp.RoutingModel(manager)
    reorder = np.ix_(order, order)

    # Arc costs: one transit matrix per cost class (rates and far zone); on large models, classes
    # shared by every vehicle whose costs agree where its routes can go (one n x n matrix each).
    if params.large_model_nodes and instance.num_nodes >= params.large_model_nodes:
        of_vehicle, shared = instance.shared_cost_classes()
        registered: dict[int, int] = {}
        for vehicle, index in enumerate(of_vehicle):
            if index not in registered:
                matrix = instance.shared_arc_cost(shared[index])[reorder]
                registered[index] = routing.RegisterTransitMatrix(matrix.tolist())
                del matrix
            routing.SetArcCostEvaluatorOfVehicle(registered[index], vehicle)
    else:
        cost_classes: dict[tuple[float, float, int, bytes], int] = {}
        for vehicle in range(instance.num_vehicles):
            key = instance.cost_class(vehicle)
            if key not in cost_classes:
                matrix = instance.vehicle_arc_cost(vehicle)[reorder]
                cost_classes[key] = routing.RegisterTransitMatrix(matrix.tolist())
            routing.SetArcCostEvaluatorOfVehicle(cost_classes[key], vehicle)
    if instance.vehicle_fixed_cost:
        routing.SetFixedCostOfAllVehicles(instance.vehicle_fixed_cost)

    # Time: service at the node left, travel, and setup on reaching a new location.
    latest = max(instance.time_windows.max(initial=0), instance.vehicle_windows.max(initial=0))
    if instance.vehicle_late_end is not None:
        latest = max(latest, instance.vehicle_late_end.max(initial=0))
    horizon = int(min(HORIZON_CAP, latest + 1))
    time_callback = routing.RegisterTransitMatrix(instance.transit_time()[reorder].tolist())
    routing.AddDimension(time_callback, horizon, horizon, False, "time")
    time_dimension = routing.GetDimensionOrDie("time")
    depots = instance.depot_nodes
    for model_node in range(instance.num_nodes):
        if node(model_node) in depots:
            continue
        index = manager.NodeToIndex(model_node)
        earliest, latest = (int(v) for v in instance.time_windows[node(model_node)])
        time_dimension.CumulVar(index).SetRange(earliest, latest)
    for vehicle in range(instance.num_vehicles):
        earliest, latest = (int(v) for v in instance.vehicle_windows[vehicle])
        time_dimension.CumulVar(routing.Start(vehicle)).SetRange(earliest, latest)
        late = latest if instance.vehicle_late_end is None else int(instance.vehicle_late_end[vehicle])
        time_dimension.CumulVar(routing.End(vehicle)).SetRange(earliest, max(latest, late))
    _allow_late_ends(routing, manager, instance, order, time_dimension)
    # Overtime: a return after the soft end (up to the vehicle window's end) costs per unit of time.
    if instance.vehicle_soft_end is not None and instance.vehicle_overtime_cost is not None:
        for vehicle in range(instance.num_vehicles):
            soft_end = int(instance.vehicle_soft_end[vehicle])
            if soft_end < int(instance.vehicle_windows[vehicle, 1]):
                time_dimension.SetCumulVarSoftUpperBound(
                    routing.End(vehicle), soft_end, int(instance.vehicle_overtime_cost[vehicle])
                )

    breaks = _add_breaks(routing, manager, instance, order, time_dimension)

    # Distance caps (max km per day), only when some vehicle has one.
    if (instance.vehicle_max_distance >= 0).any():
        distance_callback = routing.RegisterTransitMatrix(instance.distance[reorder].tolist())
        caps = [int(c) if c >= 0 else HORIZON_CAP for c in instance.vehicle_max_distance]
        routing.AddDimensionWithVehicleCapacity(distance_callback, 0, caps, True, "distance")

    if instance.demand is not None and instance.vehicle_capacity is not None:
        demand_callback = routing.RegisterUnaryTransitVector(instance.demand[order].tolist())
        routing.AddDimensionWithVehicleCapacity(
            demand_callback, 0, [int(c) for c in instance.vehicle_capacity], True, "load"
        )

    # Workload balance: the busiest vehicle's service time is charged at balance_cost.
    if instance.balance_cost > 0:
        work_callback = routing.RegisterUnaryTransitVector(instance.service[order].tolist())
        routing.AddDimension(work_callback, 0, HORIZON_CAP, True, "work")
        routing.GetDimensionOrDie("work").SetGlobalSpanCostCoefficient(instance.balance_cost)

    # Optional visits and allowed vehicles.
    for model_node in range(instance.num_nodes):
        original = node(model_node)
        if original in depots:
            continue
        index = manager.NodeToIndex(model_node)
        penalty = int(instance.drop_penalty[original])
        if penalty >= 0:
            routing.AddDisjunction([index], penalty)
        allowed = instance.allowed_vehicles[original]
        if allowed is not None:
            # VehicleVar -1 means "not visited"; the swig binding of
            # SetAllowedVehiclesForIndex rejects Python lists in ortools 9.15.
            routing.VehicleVar(index).SetValues([-1, *sorted(int(v) for v in allowed)])

    # Leave as late and come back as early as the route allows.
    for vehicle in range(instance.num_vehicles):
        routing.AddVariableMaximizedByFinalizer(time_dimension.CumulVar(routing.Start(vehicle)))
        routing.AddVariableMinimizedByFinalizer(time_dimension.CumulVar(routing.End(vehicle)))

    progress = _Progress(started, on_solution, should_stop)

    def record_solution() -> None:
        cost = routing.CostVar()
        # With soft bounds on cumuls (overtime) the cost may not be bound yet when a worker's
        # search reports a solution; its lower bound is then the best figure there is.
        objective = int(cost.Value() if cost.Bound() else cost.Min())
        if not progress.history or objective < progress.history[-1][1]:
            elapsed = time.monotonic() - progress.started
            progress.history.append((elapsed, objective))
            if progress.on_solution is not None:
                progress.on_solution(elapsed, objective)
        if progress.should_stop is not None and progress.should_stop():
            routing.solver().FinishCurrentSearch()

    routing.AddAtSolutionCallback(record_solution)

    def remaining_s() -> float:
        return max(0.05, time_limit_s - (time.monotonic() - started))

    solution = _two_phase_solve(
        routing, manager, params, remaining_s, constructor, node, position, initial_routes
    )
    solve_seconds = time.monotonic() - started
    status = _STATUS.get(int(routing.status()), str(routing.status()))
    if solution is not None and status == "not_solved":
        status = "success"  # SolveWithIteratedLocalSearch leaves the model's status unset
    if solution is None and initial_routes is not None:
        status = "rejected"
    if solution is None:
        return InstanceSolution(
            routes=tuple(() for _ in range(instance.num_vehicles)),
            service_start={},
            vehicle_departure=tuple(int(w[0]) for w in instance.vehicle_windows),
            vehicle_return=tuple(int(w[0]) for w in instance.vehicle_windows),
            dropped=instance.visit_nodes,
            objective=-1,
            history=tuple(progress.history),
            solve_seconds=solve_seconds,
            status=status,
        )

    routes: list[tuple[int, ...]] = []
    service_start: dict[int, int] = {}
    departures: list[int] = []
    returns: list[int] = []
    visited: set[int] = set()
    for vehicle in range(instance.num_vehicles):
        index = routing.Start(vehicle)
        departures.append(int(solution.Min(time_dimension.CumulVar(index))))
        sequence: list[int] = []
        index = solution.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            original = node(manager.IndexToNode(index))
            sequence.append(original)
            visited.add(original)
            service_start[original] = int(solution.Min(time_dimension.CumulVar(index)))
            index = solution.Value(routing.NextVar(index))
        returns.append(int(solution.Min(time_dimension.CumulVar(index))))
        routes.append(tuple(sequence))
    break_start = tuple(None if interval is None else int(solution.StartMin(interval)) for interval in breaks)
    dropped = tuple(i for i in instance.visit_nodes if i not in visited)
    return InstanceSolution(
        routes=tuple(routes),
        service_start=service_start,
        vehicle_departure=tuple(departures),
        vehicle_return=tuple(returns),
        dropped=dropped,
        objective=int(solution.ObjectiveValue()),
        history=tuple(progress.history),
        solve_seconds=solve_seconds,
        status=status,
        break_start=break_start if instance.has_breaks else (),
    )
