"""The solver core: routing instance, OR-Tools engine, Problem <-> instance <-> Plan.

The only package that imports OR-Tools.  Entry point: :func:`solve`.
"""

from .engine import solve_instance
from .instance import InstanceSolution, RoutingInstance
from .params import ORTOOLS_DEFAULT, SearchParams
from .solve import Result, solve

__all__ = [
    "ORTOOLS_DEFAULT",
    "InstanceSolution",
    "Result",
    "RoutingInstance",
    "SearchParams",
    "solve",
    "solve_instance",
]
