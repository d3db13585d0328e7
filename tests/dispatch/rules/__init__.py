"""One test module per routing rule of ``dispatch/rules/``, each on two or three hand-made objects."""

from __future__ import annotations

from datetime import date
from typing import Any

from dromologio.dispatch.build import DayModel, build_day, day_context
from dromologio.dispatch.rules.base import Day
from dromologio.dispatch.solve import default_travel_model
from dromologio.models import Problem
from tests.factories import DAY


def day_of(problem: Problem, plan_date: date = DAY, **options: Any) -> Day:
    """The day's data for every ticket of ``problem`` (the factories' day by default)."""
    return day_context(problem, problem.tickets, plan_date, default_travel_model(problem), **options)


def model_of(problem: Problem, plan_date: date = DAY, **options: Any) -> DayModel:
    """The day model for every ticket of ``problem`` (the factories' day by default)."""
    return build_day(problem, problem.tickets, plan_date, default_travel_model(problem), **options)


def node_of(model: DayModel, ticket_id: str) -> int:
    """The node of a ticket."""
    return next(n for n, info in enumerate(model.nodes) if info.ticket and info.ticket.ticket_id == ticket_id)
