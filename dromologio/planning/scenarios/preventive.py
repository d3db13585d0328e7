"""The ``preventive_visits`` change: each simulated day also plans the preventive visits due."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from dromologio.models import Problem

from .parsing import Change, ChangeError, parse_flag

__all__ = ["PreventiveVisits"]


@dataclass(frozen=True)
class PreventiveVisits(Change):
    """``preventive_visits: true``: the days plan the schools' preventive visits as they fall due
    (``schools.csv`` ``maintenance_days``, ``last_maintenance``), and each visit made moves the
    school's ``last_maintenance`` (:mod:`dromologio.planning.simulate.preventive`).  A problem
    whose schools have no ``maintenance_days`` has no visit due: the change makes no difference."""

    kind: ClassVar[str] = "preventive_visits"

    @classmethod
    def parse(cls, value: Any, problem: Problem) -> PreventiveVisits:
        if not parse_flag(value, cls.kind):
            raise ChangeError("write preventive_visits: true, or leave the change out")
        return cls()

    def describe(self) -> str:
        return "preventive visits in the days' slack"
