"""Domain types and the problem/plan file formats (no solver, no web framework)."""

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
