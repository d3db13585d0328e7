"""The solver core: routing instance, OR-Tools engine, Problem <-> instance <-> Plan.

The only package that imports OR-Tools.  Entry point: :func:`solve`.  Solves run side by
side through a :class:`SolveExecutor` (:mod:`dispatch.executor`), which shares the cores out.
"""

# This folder installs as ``dromologio.dispatch`` (see docs/architecture.md, "Folders and packaging"):
# imported under its folder name it would be a second copy of every class in it.
if __name__ != "dromologio.dispatch":
    raise ImportError(
        f"import dromologio.dispatch, not {__name__}: this folder is the package dromologio.dispatch"
    )


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
