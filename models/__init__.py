"""Domain types and the problem/plan file formats (no solver, no web framework)."""

from .plan import Plan, Route, Stop, Unassigned
from .policy import Policy
from .problem import Base, Port, Problem, ProblemError, Sailing, School, Technician, Ticket
from .vocab import BASE_KINDS, PRIORITIES, SKILLS, WEEKDAYS

__all__ = [
    "BASE_KINDS",
    "PRIORITIES",
    "SKILLS",
    "WEEKDAYS",
    "Base",
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
]
