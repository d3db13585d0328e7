"""Cost estimates over a period: replay a ticket history day by day with the real solver.

Each working day of the period (no weekends, Greek public holidays, school breaks or days off
of the problem's ``calendar.csv``: :class:`~dromologio.models.calendar.WorkCalendar`) is planned with
:func:`~dromologio.dispatch.solve.solve`: the day's tickets are those opened before
the planning moment of that day (08:00 by default) and not yet served; tickets
served leave, the rest carry over to the next day (older, so worth more).  Tickets
solved remotely or sent to the vendor never need a visit and cost no travel.

Days depend on each other through what carries over, so days are never planned in
parallel.  Regions are: the technicians split into groups that can never reach a
school of another group within a shift (see :func:`~.regions.independent_regions`), and
each region's days are planned on its own, side by side on a
:class:`~dromologio.dispatch.executor.SolveExecutor` (:mod:`.replay`).  The split does not
depend on where they run, so the result is the same either way.

Every figure is the sum of the daily plans, priced by
:func:`~dromologio.dispatch.pricing.route_costs`; ``docs/costs.md`` describes the
outputs (written by :mod:`dromologio.reports.estimate`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import pandas as pd

from dromologio.dispatch.executor import InlineExecutor, LocalExecutor, SolveExecutor
from dromologio.dispatch.solve import problem_calendar
from dromologio.models import Plan, Problem
from dromologio.models.calendar import WorkCalendar
from dromologio.models.cells import suggestion
from dromologio.planning.costs import cost_policy_issues, km_rate, plan_cost_table, route_costs

from .budget import budget_lookup, budget_table, daily_table, window_days
from .regions import Region, independent_regions
from .replay import merge_regions, plan_regions
from .seasonality import Seasonality, history_seasonality

__all__ = ["DEFAULT_PLAN_AT", "Estimate", "EstimateDay", "estimate_costs"]

#: tickets opened before this time of a day are planned from that day on.
DEFAULT_PLAN_AT = time(8, 0)


@dataclass(frozen=True)
class EstimateDay:
    """One planned day: its plan (all regions) and what happened to the queue of tickets."""

    day: date
    plan: Plan
    #: tickets needing a visit that became plannable on this day.
    opened: int
    #: tickets needing a visit on the day's list (carried over + opened).
    to_plan: int
    served: int
    #: left for the next day.
    carried_over: int


@dataclass(frozen=True)
class Estimate:
    """The outcome of :func:`estimate_costs`; every table is a sum of the daily plans."""

    start: date
    end: date
    days: tuple[EstimateDay, ...]
    regions: tuple[Region, ...]
    #: one row per route of every day (:func:`~dromologio.planning.costs.plan_cost_table`).
    routes: pd.DataFrame
    #: one row per day and employer: cost parts, ``cumulative_eur`` and the budget to date.
    daily: pd.DataFrame
    #: one row per employer and budget period touched: estimate against budget.
    budget: pd.DataFrame
    #: per day: tickets opened, planned, served and carried over.
    queue: pd.DataFrame
    #: tickets in the history before the end that need no visit (remote or vendor).
    no_visit: int
    warnings: tuple[str, ...] = ()
    #: the history's tickets per working day by weekday and month (the projection's weights).
    seasonality: Seasonality | None = None

    @property
    def method(self) -> str:
        """How the projection of each budget period was made, in words (Greek / English)."""
        season = self.seasonality.describe() if self.seasonality is not None else "—"
        return (
            f"Προβολή περιόδου: το κόστος των {len(self.days)} εργάσιμων που σχεδιάστηκαν, συν τις "
            "υπόλοιπες εργάσιμες της περιόδου (σχολικό ημερολόγιο: χωρίς Σαββατοκύριακα, αργίες, "
            "διακοπές) με το κόστος ανά αναμενόμενο αίτημα· αναμενόμενα αιτήματα ανά ημέρα από το "
            "ιστορικό, ανά ημέρα εβδομάδας και μήνα; ζώνη: το μικρότερο και το μεγαλύτερο κόστος ανά "
            "αίτημα των μηνών (ή εβδομάδων) της εκτίμησης. / Period projection: the cost of the "
            f"{len(self.days)} working days planned, plus the period's other working days (school "
            "calendar: no weekends, holidays or school breaks) at the cost per expected ticket; "
            "expected tickets per day from the history, by weekday and month; band: the lowest and "
            f"highest cost per ticket over the estimate's months (or weeks). Ιστορικό / history: {season}."
        )

    @property
    def total_eur(self) -> float:
        return round(float(self.daily["total_eur"].sum()), 2) if not self.daily.empty else 0.0


def estimate_costs(
    problem: Problem,
    *,
    budget: pd.DataFrame | None = None,
    start: date | None = None,
    end: date | None = None,
    time_limit_s: float = 1.0,
    workers: int = 1,
    seed: int = 0,
    plan_at: time = DEFAULT_PLAN_AT,
    progress: Callable[[str], None] | None = None,
    executor: SolveExecutor | None = None,
    calendar: WorkCalendar | None = None,
) -> Estimate:
    """Plan every working day from ``start`` to ``end`` with the solver and price the plans.

    ``problem`` holds the whole ticket history (:func:`~.history.read_history`); ``start`` defaults
    to the day the first ticket was opened and ``end`` to the day the last one was.
    Tickets opened before ``start`` are the first day's backlog; those opened after the
    planning moment of the last day are left out.  ``time_limit_s`` is per day and
    region; ``workers`` > 1 plans regions in that many local processes (at most one per core),
    and ``executor`` (e.g. a :class:`~dromologio.dispatch.executor.DaskExecutor`) plans them
    there instead.  ``budget`` is a :func:`~.budget.read_budget` table.  ``progress`` is told
    (in words) what is being planned.  ``calendar`` says which days are working days (default:
    the Greek school calendar with the problem's ``calendar.csv`` rows); budgets are shared
    over the same days.
    """
    if time_limit_s <= 0:
        raise ValueError("time_limit_s must be positive")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    for technician in problem.technicians:
        km_rate(problem, technician)  # an unknown vehicle fails now, not after hours of solving
    opened = [t.opened_at.date() for t in problem.tickets]
    if start is None or end is None:
        if not opened:
            raise ValueError("the history has no tickets; give the period with start and end")
        start = start or min(opened)
        end = end or max(opened)
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    own, directorates = problem_calendar(problem)
    calendar = calendar or own
    days = window_days(start, end, calendar, directorates)
    if not days:
        raise ValueError(
            f"there is no working day from {start} to {end} (weekends, public holidays and school breaks)"
        )
    regions = independent_regions(problem)
    owned: SolveExecutor | None = None
    if executor is None:
        local = workers > 1 and len(regions) > 1
        executor = owned = LocalExecutor(processes=min(workers, len(regions))) if local else InlineExecutor()
    try:
        per_region = plan_regions(
            problem,
            regions,
            days,
            time_limit_s=time_limit_s,
            seed=seed,
            plan_at=plan_at,
            executor=executor,
            progress=progress,
            calendar=calendar,
        )
    finally:
        if owned is not None:
            owned.close()
    plans = [merge_regions(day, [plans[number] for plans in per_region]) for number, day in enumerate(days)]

    cutoffs = [datetime.combine(day, plan_at) for day in days]
    needing = [t for t in problem.tickets if t.needs_visit and t.opened_at < cutoffs[-1]]
    served_before: set[str] = set()
    outcome: list[EstimateDay] = []
    queue_rows: list[dict[str, Any]] = []
    for number, (day, plan) in enumerate(zip(days, plans, strict=True)):
        since = cutoffs[number - 1] if number else datetime.min
        known = [t for t in needing if t.opened_at < cutoffs[number]]
        new = sum(1 for t in known if t.opened_at >= since)
        to_plan = sum(1 for t in known if t.ticket_id not in served_before)
        served = set(plan.visited_ticket_ids)
        served_before |= served
        entry = EstimateDay(day, plan, new, to_plan, len(served), to_plan - len(served))
        outcome.append(entry)
        queue_rows.append(
            {
                "date": day.isoformat(),
                "opened": entry.opened,
                "to_plan": entry.to_plan,
                "served": entry.served,
                "carried_over": entry.carried_over,
                "total_eur": round(sum(route_costs(problem, r)["total"] for r in plan.routes), 2),
            }
        )

    tables = [plan_cost_table(problem, plan) for plan in plans]
    routes = pd.concat(tables, ignore_index=True) if tables else plan_cost_table(problem, Plan((), ()))
    employers = sorted({t.employer for t in problem.technicians})
    lookup = budget_lookup(budget)
    daily = daily_table(routes, days, employers, lookup, calendar, directorates)
    warnings = cost_policy_issues(problem) + [
        f"budget: '{name}' is not the employer of any technician{suggestion(name, employers)}"
        for name in sorted({e for e, _ in lookup} - set(employers))
    ]
    no_visit = sum(1 for t in problem.tickets if not t.needs_visit and t.opened_at < cutoffs[-1])
    season = history_seasonality(problem, calendar, directorates)
    return Estimate(
        start=days[0],
        end=days[-1],
        days=tuple(outcome),
        regions=regions,
        routes=routes,
        daily=daily,
        budget=budget_table(daily, employers, lookup, calendar, directorates, season),
        queue=pd.DataFrame(
            queue_rows, columns=["date", "opened", "to_plan", "served", "carried_over", "total_eur"]
        ),
        no_visit=no_visit,
        warnings=tuple(warnings),
        seasonality=season,
    )
