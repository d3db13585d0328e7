"""The engine's entry point: one search in this process, or a portfolio of searches on several cores.

:func:`solve_instance` runs ``params.num_workers`` searches at once when the time limit and the
cores allow it (:func:`dispatch.parallel.workers_for`): the first in this process, the others in
background processes (:mod:`dispatch.parallel`); otherwise one search here
(:func:`dispatch.search.search_instance`, the OR-Tools model).  Callers that run several solves
side by side give each one its share of the cores through ``params`` (see
:mod:`dispatch.executor`), so the searches of all of them never outnumber the cores.
"""

from __future__ import annotations

import time

from .executor import InlineExecutor, LocalExecutor, SolveExecutor
from .instance import InstanceSolution, RoutingInstance
from .parallel import fits_twice, solve_with_workers, workers_for
from .params import SearchParams
from .search import (
    CONSTRUCTOR_MAX_S,
    CONSTRUCTOR_SHARE,
    FIRST_SOLUTION_FLOOR_S,
    Constructor,
    FeasibilityOracle,
    ProgressCallback,
    StopCallback,
    search_instance,
)

#: PyVRP is used for days of at least this many visits, given at least this long in seconds.
PYVRP_MIN_VISITS = 8
PYVRP_MIN_LIMIT_S = 1.0
#: ... and at least this many seconds per visit.  Below it PyVRP's population has not yet
#: settled which tickets to serve (on the product's days, with urgent tickets worth far more
#: than others, its plans leave urgent ones out), while OR-Tools' first plan and local search
#: already serve them: 5 s on a day of 240 visits, 2 cores shared, gave 30–130 kEUR of
#: objective through PyVRP against 34 kEUR by OR-Tools alone (``bench/own_instances.py``).
PYVRP_MIN_S_PER_VISIT = 0.05
#: the least time left to OR-Tools to check and polish PyVRP's routes.
PYVRP_MIN_POLISH_S = 0.5
#: OR-Tools' share of the time on a plain VRPTW (:func:`.pyvrp_search.plain`: PyVRP's objective
#: is the instance's own and every visit is required, e.g. the Solomon benchmarks): its polish
#: then only checks and reads the routes, and seldom improves them, so the time is worth more
#: to PyVRP.
PYVRP_EXACT_POLISH_SHARE = 0.03

__all__ = [
    "CONSTRUCTOR_MAX_S",
    "CONSTRUCTOR_SHARE",
    "FIRST_SOLUTION_FLOOR_S",
    "Constructor",
    "FeasibilityOracle",
    "ProgressCallback",
    "StopCallback",
    "solve_instance",
]


def solve_instance(
    instance: RoutingInstance,
    *,
    time_limit_s: float,
    seed: int = 0,
    params: SearchParams | None = None,
    on_solution: ProgressCallback | None = None,
    should_stop: StopCallback | None = None,
    constructor: Constructor | None = None,
    executor: SolveExecutor | None = None,
) -> InstanceSolution:
    """Solve ``instance`` within ``time_limit_s`` and return the best solution found.

    A day of more than ``params.decompose_above_visits`` visits is solved in parts
    (:mod:`dispatch.decompose`) on ``executor`` (default: local processes, one per core this
    solve may use).

    Never returns nothing while a solution that drops visits exists: every visit
    with a drop penalty is optional, and parallel cheapest insertion always
    completes a first solution.  With a ``constructor``, the first solution is
    handed to it and the local search starts from what it returns.  ``params.num_workers``
    searches run at once (see :func:`dispatch.parallel.workers_for`); the callbacks and the
    constructor belong to the one in this process.
    """
    params = params or SearchParams()
    if decomposes(instance, params):
        return solve_big_day(
            instance,
            time_limit_s=time_limit_s,
            seed=seed,
            params=params,
            on_solution=on_solution,
            should_stop=should_stop,
            constructor=constructor,
            executor=executor,
        )
    if constructor is None and uses_pyvrp(instance, params, time_limit_s):
        return solve_with_pyvrp(
            instance,
            time_limit_s=time_limit_s,
            seed=seed,
            params=params,
            on_solution=on_solution,
            should_stop=should_stop,
        )
    if instance.num_vehicles > 0 and workers_for(params, time_limit_s) > 1 and fits_twice(instance):
        return solve_with_workers(
            instance,
            time_limit_s=time_limit_s,
            seed=seed,
            params=params,
            on_solution=on_solution,
            should_stop=should_stop,
            constructor=constructor,
        )
    return search_instance(
        instance,
        time_limit_s=time_limit_s,
        seed=seed,
        params=params,
        on_solution=on_solution,
        should_stop=should_stop,
        constructor=constructor,
    )


def decomposes(instance: RoutingInstance, params: SearchParams) -> bool:
    """Whether the day is big enough to be solved in parts (``params.decompose_above_visits``) and
    falls into more than one part."""
    from .decompose import num_visits, split

    limit = params.decompose_above_visits
    if not limit or instance.num_vehicles < 2 or num_visits(instance) <= limit:
        return False
    return len(split(instance, params.decompose_min_part_visits)) > 1


def solve_big_day(
    instance: RoutingInstance,
    *,
    time_limit_s: float,
    seed: int,
    params: SearchParams,
    on_solution: ProgressCallback | None,
    should_stop: StopCallback | None,
    constructor: Constructor | None,
    executor: SolveExecutor | None,
) -> InstanceSolution:
    """The day in parts (:func:`dispatch.decompose.solve_in_parts`), on ``executor`` or on local
    processes sharing the cores this solve may use."""
    from .decompose import solve_in_parts

    cores = workers_for(params, time_limit_s)
    owned = executor is None
    runner = executor or (LocalExecutor(cores) if cores > 1 else InlineExecutor(1))
    try:
        return solve_in_parts(
            instance,
            time_limit_s=time_limit_s,
            seed=seed,
            params=params,
            on_solution=on_solution,
            should_stop=should_stop,
            constructor=constructor,
            executor=runner,
        )
    finally:
        if owned:
            runner.close()


def uses_pyvrp(instance: RoutingInstance, params: SearchParams, time_limit_s: float) -> bool:
    """PyVRP searches first when asked for, when it can express the instance and the day is worth it."""
    from .pyvrp_search import expressible

    return (
        params.use_pyvrp
        and instance.num_vehicles > 0
        and len(instance.visit_nodes) >= PYVRP_MIN_VISITS
        and time_limit_s >= PYVRP_MIN_LIMIT_S
        and time_limit_s >= PYVRP_MIN_S_PER_VISIT * len(instance.visit_nodes)
        and expressible(instance)
    )


def solve_with_pyvrp(
    instance: RoutingInstance,
    *,
    time_limit_s: float,
    seed: int,
    params: SearchParams,
    on_solution: ProgressCallback | None,
    should_stop: StopCallback | None,
) -> InstanceSolution:
    """PyVRP's search for most of the time, then OR-Tools on the exact model from PyVRP's routes
    (or from OR-Tools' own first plan, when that one is cheaper by the instance's arc costs and
    drop values).

    OR-Tools checks PyVRP's routes against every rule of the model (a plan it rejects is
    never used) and polishes them with the exact objective (workload balance, far-zone
    allowances as the model prices them) for ``params.pyvrp_polish_share`` of the time
    (:data:`PYVRP_EXACT_POLISH_SHARE` at most on a plain VRPTW, where PyVRP's objective is exact).
    """
    from .pyvrp_search import plain, routes_cost, search_routes

    started = time.monotonic()
    share = (
        min(params.pyvrp_polish_share, PYVRP_EXACT_POLISH_SHARE)
        if plain(instance)
        else params.pyvrp_polish_share
    )
    polish_s = max(PYVRP_MIN_POLISH_S, share * time_limit_s)
    found = search_routes(
        instance, time_limit_s=max(0.1, time_limit_s - polish_s), seed=seed, should_stop=should_stop
    )

    def start_from_pyvrp(
        first: list[list[int]], feasible: FeasibilityOracle, deadline: float
    ) -> list[list[int]]:
        del deadline
        if found is None or not feasible(found):
            return first
        # A portfolio of two starts: on a big day and a short limit PyVRP's population may not
        # yet have placed the urgent tickets that OR-Tools' own first plan already serves.
        return found if routes_cost(instance, found) <= routes_cost(instance, first) else first

    return search_instance(
        instance,
        time_limit_s=max(PYVRP_MIN_POLISH_S, time_limit_s - (time.monotonic() - started)),
        seed=seed,
        params=params.replace(use_iterated_local_search=False),
        on_solution=on_solution,
        should_stop=should_stop,
        constructor=start_from_pyvrp,
    )
