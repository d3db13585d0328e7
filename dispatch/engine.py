"""The engine's entry point: one search in this process, or a portfolio of searches on several cores.

:func:`solve_instance` runs ``params.num_workers`` searches at once when the time limit and the
cores allow it (:func:`dispatch.parallel.workers_for`): the first in this process, the others in
background processes (:mod:`dispatch.parallel`); otherwise one search here
(:func:`dispatch.search.search_instance`, the OR-Tools model).  Callers that run several solves
side by side give each one its share of the cores through ``params`` (see
:mod:`dispatch.executor`), so the searches of all of them never outnumber the cores.
"""

from __future__ import annotations

from .instance import InstanceSolution, RoutingInstance
from .parallel import solve_with_workers, workers_for
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
) -> InstanceSolution:
    """Solve ``instance`` within ``time_limit_s`` and return the best solution found.

    Never returns nothing while a solution that drops visits exists: every visit
    with a drop penalty is optional, and parallel cheapest insertion always
    completes a first solution.  With a ``constructor``, the first solution is
    handed to it and the local search starts from what it returns.  ``params.num_workers``
    searches run at once (see :func:`dispatch.parallel.workers_for`); the callbacks and the
    constructor belong to the one in this process.
    """
    params = params or SearchParams()
    if instance.num_vehicles > 0 and workers_for(params, time_limit_s) > 1:
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
