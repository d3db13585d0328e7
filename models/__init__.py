"""Domain types and the problem/plan file formats (no solver, no web framework)."""

# This folder installs as ``dromologio.models`` (see docs/architecture.md, "Folders and packaging"):
# imported under its folder name it would be a second copy of every class in it.
if __name__ != "dromologio.models":
    raise ImportError(
        f"import dromologio.models, not {__name__}: this folder is the package dromologio.models"
    )


from .errors import InputError, InputIssue
from .plan import Plan, Route, Stop, Unassigned
from .policy import Policy
from .problem import Base, Port, Problem, ProblemError, Sailing, School, Technician, Ticket
from .readers import read_problem, read_problem_dict
from .vocab import BASE_KINDS, PRIORITIES, SKILLS, WEEKDAYS
from .writers import problem_to_dict, write_problem

__all__ = [
    "BASE_KINDS",
    "PRIORITIES",
    "SKILLS",
    "WEEKDAYS",
    "Base",
    "InputError",
    "InputIssue",
    "Plan",
    "Policy",
    "Port",
    "Problem",
    "ProblemError",
    "Route",
    "Sailing",
    "School",
    "Stop",
    "Technician",
    "Ticket",
    "Unassigned",
    "problem_to_dict",
    "read_problem",
    "read_problem_dict",
    "write_problem",
]
