"""Search settings of the routing engine, as a small object loadable from a dict.

The defaults are the product's tuned settings (see ``docs/benchmarks.md``).
``first_solution`` matters most on tight time windows: PATH_CHEAPEST_ARC may
find nothing at all there, while PARALLEL_CHEAPEST_INSERTION always returns
a plan (dropping visits when it must).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ortools.constraint_solver import routing_enums_pb2

FIRST_SOLUTION_STRATEGIES = tuple(routing_enums_pb2.FirstSolutionStrategy.Value.keys())
METAHEURISTICS = tuple(routing_enums_pb2.LocalSearchMetaheuristic.Value.keys())


@dataclass(frozen=True)
class SearchParams:
    """How the engine searches.  Time limits are given to ``solve`` separately."""

    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    guided_local_search_lambda: float = 0.1
    #: stop after this many solutions (0 = no limit; the time limit still applies).
    solution_limit: int = 0
    log_search: bool = False

    def __post_init__(self) -> None:
        if self.first_solution not in FIRST_SOLUTION_STRATEGIES:
            raise ValueError(f"first_solution must be one of {', '.join(FIRST_SOLUTION_STRATEGIES)}")
        if self.metaheuristic not in METAHEURISTICS:
            raise ValueError(f"metaheuristic must be one of {', '.join(METAHEURISTICS)}")
        if self.solution_limit < 0:
            raise ValueError("solution_limit must not be negative")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SearchParams:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown search parameter(s) {unknown}; known: {', '.join(sorted(known))}")
        return cls(**dict(data))

    def replace(self, **changes: Any) -> SearchParams:
        return dataclasses.replace(self, **changes)


#: OR-Tools with its default search (no metaheuristic beyond greedy descent), for comparison.
ORTOOLS_DEFAULT = SearchParams(first_solution="AUTOMATIC", metaheuristic="AUTOMATIC")
