"""The solver core: routing instance, OR-Tools engine, Problem <-> instance <-> Plan.

The only package that imports OR-Tools.  Entry point: :func:`solve`.  Solves run side by
side through a :class:`SolveExecutor` (:mod:`dispatch.executor`), which shares the cores out.
"""

from .engine import solve_instance
from .executor import DaskExecutor, InlineExecutor, LocalExecutor, SolveExecutor
from .instance import InstanceSolution, RoutingInstance
from .params import ORTOOLS_DEFAULT, SearchParams
from .solve import Result, solve

__all__ = [
    "ORTOOLS_DEFAULT",
    "DaskExecutor",
    "InlineExecutor",
    "InstanceSolution",
    "LocalExecutor",
    "Result",
    "RoutingInstance",
    "SearchParams",
    "SolveExecutor",
    "solve",
    "solve_instance",
]
