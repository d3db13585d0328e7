"""Cost estimates over a period: replay a ticket history day by day with the real solver.

Each working day (Monday to Friday) of the period is planned with
:func:`~dromologio.dispatch.solve.solve`: the day's tickets are those opened before
the planning moment of that day (08:00 by default) and not yet served; tickets
served leave, the rest carry over to the next day (older, so worth more).  Tickets
solved remotely or sent to the vendor never need a visit and cost no travel.

Days depend on each other through what carries over, so days are never planned in
parallel.  Regions are: the technicians split into groups that can never reach a
school of another group within a shift (see :func:`independent_regions`), and each
region's days are planned on its own, in separate processes when ``workers`` > 1.
The split does not depend on ``workers``, so the result is the same either way.

Every figure is the sum of the daily plans, priced by
:func:`~dromologio.dispatch.costs.route_costs`; ``docs/costs.md`` describes the
outputs.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import random
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from multiprocessing import get_context
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from dromologio.geo import haversine_km
from dromologio.models import (
    InputError,
    InputIssue,
    Plan,
    Problem,
    Ticket,
    Unassigned,
    problem_to_dict,
    read_problem,
    read_problem_dict,
    write_problem,
)
from dromologio.models.cells import CellError, parse_non_negative, suggestion
from dromologio.models.plan_io import write_plan_json

from .costs import COST_PARTS, cost_policy_issues, km_rate, plan_cost_table, route_costs
from .solve import solve

__all__ = [
    "BUDGET_COLUMNS",
    "DEFAULT_PLAN_AT",
    "DEMO_START",
    "Estimate",
    "EstimateDay",
    "Region",
    "budget_for_sample",
    "estimate_costs",
    "history_from_sample",
    "independent_regions",
    "plot_cumulative",
    "read_budget",
    "read_history",
    "window_days",
    "write_estimate",
    "write_estimate_demo",
]

#: tickets opened before this time of a day are planned from that day on.
DEFAULT_PLAN_AT = time(8, 0)
#: columns of a budget file.
BUDGET_COLUMNS: tuple[str, ...] = ("employer", "period", "budget_eur")
#: first day of the demo history (a Monday).
DEMO_START = date(2026, 1, 5)

_PERIOD = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2]))?")
_PROBLEM_FILES = ("schools.csv", "bases.csv", "technicians.csv", "ports.csv", "ferries.csv", "policy.json")
_MONEY = (*COST_PARTS, "total_eur")


# --- reading ----------------------------------------------------------------------


def read_history(problem_path: str | PathLike[str], history: str | PathLike[str]) -> Problem:
    """The problem at ``problem_path`` with its tickets replaced by those of the ``history`` CSV.

    The history is a ``tickets.csv`` of the contract covering weeks or months; it is read
    and checked exactly as ``tickets.csv`` is (against the problem's schools), and its
    findings are reported naming the history file.  Raises :class:`InputError`.
    """
    source = Path(problem_path)
    history_path = Path(history)
    if not history_path.is_file():
        raise InputError(
            [
                InputIssue(
                    str(history_path),
                    None,
                    None,
                    None,
                    "there is no such file",
                    "give a tickets CSV with the columns of tickets.csv",
                )
            ]
        )
    with tempfile.TemporaryDirectory(prefix="dromologio-history-") as scratch:
        folder = Path(scratch) / "problem"
        if source.is_dir():
            folder.mkdir()
            for name in _PROBLEM_FILES:
                if (source / name).is_file():
                    shutil.copyfile(source / name, folder / name)
        else:
            write_problem(read_problem(source), folder)
        shutil.copyfile(history_path, folder / "tickets.csv")
        try:
            problem = read_problem(folder)
        except InputError as error:
            raise InputError(
                dataclasses.replace(i, file=history_path.name) if i.file == "tickets.csv" else i
                for i in error.issues
            ) from None
    return problem.replace(name=source.stem)


def read_budget(path: str | PathLike[str]) -> pd.DataFrame:
    """A budget CSV: ``employer,period,budget_eur``, one row per employer and period.

    ``period`` is a month (``2026-01``) or a year (``2026``).  Every bad row is reported
    at once (:class:`InputError`); an employer and period given twice is an error.
    """
    target = Path(path)
    label = target.name
    issues: list[InputIssue] = []
    rows: list[dict[str, Any]] = []
    try:
        with target.open(encoding="utf-8-sig", newline="") as handle:
            records = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            [InputIssue(label, None, None, None, f"cannot be read ({error})", "give a UTF-8 CSV file")]
        ) from None
    records = [r for r in records if any(c.strip() for c in r)]
    if not records:
        raise InputError(
            [
                InputIssue(
                    label, None, None, None, "the file is empty", f"start with {','.join(BUDGET_COLUMNS)}"
                )
            ]
        )
    header = [c.strip() for c in records[0]]
    missing = [c for c in BUDGET_COLUMNS if c not in header]
    for name in missing:
        others = [h for h in header if h not in BUDGET_COLUMNS]
        issues.append(
            InputIssue(
                label, 1, name, None, f"column '{name}' is missing", f"add it{suggestion(name, others)}"
            )
        )
    if missing:
        raise InputError(issues)
    seen: dict[tuple[str, str], int] = {}
    for number, record in enumerate(records[1:], start=2):
        cells = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
        employer, period, amount = cells["employer"], cells["period"], cells["budget_eur"]
        ok = True
        if not employer:
            issues.append(InputIssue(label, number, "employer", "", "employer is empty", "name the body"))
            ok = False
        if not _PERIOD.fullmatch(period):
            issues.append(
                InputIssue(
                    label,
                    number,
                    "period",
                    period,
                    f"'{period}' is not a month or a year",
                    "write a month as 2026-01 or a year as 2026",
                )
            )
            ok = False
        value = 0.0
        try:
            value = parse_non_negative(amount) if amount else _raise_empty()
        except CellError as error:
            issues.append(InputIssue(label, number, "budget_eur", amount, error.message, error.fix))
            ok = False
        if ok:
            key = (employer, period)
            if key in seen:
                issues.append(
                    InputIssue(
                        label,
                        number,
                        "period",
                        period,
                        f"{employer} has a budget for {period} already (row {seen[key]})",
                        "keep one of them",
                    )
                )
                continue
            seen[key] = number
            rows.append({"employer": employer, "period": period, "budget_eur": value})
    if issues:
        raise InputError(issues)
    return pd.DataFrame(rows, columns=list(BUDGET_COLUMNS))


def _raise_empty() -> float:
    raise CellError("budget_eur is empty", "write the amount in EUR, e.g. 12000")


# --- regions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """Technicians planned together, and the schools whose tickets only they can serve."""

    technician_ids: tuple[str, ...]
    school_ids: tuple[str, ...]


def _fastest_kmh(problem: Problem) -> float:
    """An upper bound on straight-line progress per hour: road speeds and every sailing's crossing."""
    fastest = max(problem.policy.road_speed_kmh.values())
    for sailing in problem.sailings:
        a = problem.port_by_id[sailing.from_port]
        b = problem.port_by_id[sailing.to_port]
        km = haversine_km(a.lat, a.lon, b.lat, b.lon)
        fastest = max(fastest, km / (sailing.duration_min / 60.0))
    return fastest


def independent_regions(problem: Problem) -> tuple[Region, ...]:
    """Groups of technicians that share no school any of them could reach in a day.

    A technician could reach a school only if the round trip from the base, at the
    fastest road speed or sailing of the problem in a straight line, fits in the
    shift.  Travel is never faster than that, so no plan can serve a ticket of one
    region with a technician of another: planning regions apart changes nothing but
    the workload balance term, which then applies within each region.  A school no
    one can reach joins the region of the nearest base (its tickets stay unassigned
    there, with the solver's reason).
    """
    technicians = list(problem.technicians)
    if not technicians:
        return (Region((), tuple(s.school_id for s in problem.schools)),)
    parent = list(range(len(technicians)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    speed = _fastest_kmh(problem)
    owner: dict[str, int] = {}
    for school in problem.schools:
        nearest, nearest_km = 0, math.inf
        for index, technician in enumerate(technicians):
            base = problem.base_of(technician)
            km = haversine_km(base.lat, base.lon, school.lat, school.lon)
            if km < nearest_km:
                nearest, nearest_km = index, km
            reach_km = speed * (technician.shift_end_min - technician.shift_start_min) / 60.0 / 2.0
            if km <= reach_km:
                if school.school_id in owner:
                    parent[find(index)] = find(owner[school.school_id])
                else:
                    owner[school.school_id] = index
        owner.setdefault(school.school_id, nearest)
    groups: dict[int, tuple[list[str], list[str]]] = {}
    for index, technician in enumerate(technicians):
        groups.setdefault(find(index), ([], []))[0].append(technician.technician_id)
    for school in problem.schools:
        groups[find(owner[school.school_id])][1].append(school.school_id)
    ordered = sorted(groups.values(), key=lambda g: g[0][0])
    return tuple(Region(tuple(t), tuple(s)) for t, s in ordered)


# --- planning day by day ----------------------------------------------------------


def window_days(start: date, end: date) -> tuple[date, ...]:
    """The working days (Monday to Friday) from ``start`` to ``end``, both included."""
    days: list[date] = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return tuple(days)


@dataclass(frozen=True)
class _RegionJob:
    problem: Mapping[str, Any]
    region: Region
    days: tuple[str, ...]
    time_limit_s: float
    seed: int
    plan_at: str


def _plan_region(
    problem: Problem,
    region: Region,
    days: Sequence[date],
    *,
    time_limit_s: float,
    seed: int,
    plan_at: time,
    on_day: Callable[[date], None] | None = None,
) -> list[Plan]:
    """One plan per day for the region; what is not served carries over."""
    wanted = set(region.technician_ids)
    technicians = tuple(t for t in problem.technicians if t.technician_id in wanted)
    schools = set(region.school_ids)
    arrivals = sorted(
        (t for t in problem.tickets if t.needs_visit and t.school_id in schools),
        key=lambda t: (t.opened_at, t.ticket_id),
    )
    pending: dict[str, Ticket] = {}
    position = 0
    plans: list[Plan] = []
    for day in days:
        if on_day is not None:
            on_day(day)
        cutoff = datetime.combine(day, plan_at)
        while position < len(arrivals) and arrivals[position].opened_at < cutoff:
            pending[arrivals[position].ticket_id] = arrivals[position]
            position += 1
        day_problem = problem.replace(technicians=technicians, tickets=tuple(pending.values()))
        plan = solve(day_problem, day, time_limit_s=time_limit_s, seed=seed).plan
        for ticket_id in plan.visited_ticket_ids:
            pending.pop(ticket_id, None)
        plans.append(plan)
    return plans


def _run_job(job: _RegionJob) -> list[dict[str, Any]]:
    """Worker side of :func:`_plan_region`: plain data in, plan documents out."""
    problem = read_problem_dict(job.problem, source="estimate")
    plans = _plan_region(
        problem,
        job.region,
        [date.fromisoformat(d) for d in job.days],
        time_limit_s=job.time_limit_s,
        seed=job.seed,
        plan_at=time.fromisoformat(job.plan_at),
    )
    return [p.to_dict() for p in plans]


def _merge(day: date, plans: Sequence[Plan]) -> Plan:
    routes = tuple(r for p in plans for r in p.routes)
    unassigned: tuple[Unassigned, ...] = tuple(u for p in plans for u in p.unassigned)
    kpis = {
        "to_visit": sum(int(p.kpis.get("to_visit", 0)) for p in plans),
        "visited": sum(len(r.ticket_ids) for r in routes),
        "unassigned": len(unassigned),
        "visits": sum(len(r.visits) for r in routes),
        "distance_km": round(sum(r.distance_km for r in routes), 1),
        "cost_eur": round(sum(r.cost_eur for r in routes), 2),
        "regions": len(plans),
    }
    return Plan(dates=(day,), routes=routes, unassigned=unassigned, kpis=kpis)


# --- the estimate -----------------------------------------------------------------


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
    #: one row per route of every day (:func:`~dromologio.dispatch.costs.plan_cost_table`).
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

    @property
    def total_eur(self) -> float:
        return round(float(self.daily["total_eur"].sum()), 2) if not self.daily.empty else 0.0


@cache
def _period_days(period: str) -> tuple[date, ...]:
    year, _, month = period.partition("-")
    if month:
        first = date(int(year), int(month), 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    else:
        first, last = date(int(year), 1, 1), date(int(year), 12, 31)
    return window_days(first, last)


def _budget_lookup(budget: pd.DataFrame | None) -> dict[tuple[str, str], float]:
    if budget is None or budget.empty:
        return {}
    return {
        (str(employer), str(period)): float(amount)
        for employer, period, amount in zip(
            budget["employer"], budget["period"], budget["budget_eur"], strict=True
        )
    }


def _period_of(lookup: Mapping[tuple[str, str], float], employer: str, day: date) -> str | None:
    """The budget period that covers ``day`` for ``employer``: its month if budgeted, else its year."""
    for period in (f"{day:%Y-%m}", f"{day:%Y}"):
        if (employer, period) in lookup:
            return period
    return None


def _daily_table(
    routes: pd.DataFrame,
    days: Sequence[date],
    employers: Sequence[str],
    lookup: Mapping[tuple[str, str], float],
) -> pd.DataFrame:
    summed = ["distance_km", *_MONEY, "tickets_served", "school_visits"]
    grid = pd.MultiIndex.from_product(
        [[d.isoformat() for d in days], list(employers)], names=["date", "employer"]
    )
    if routes.empty:
        daily = pd.DataFrame(0.0, index=grid, columns=summed)
    else:
        daily = routes.groupby(["date", "employer"])[summed].sum().reindex(grid, fill_value=0.0)
    daily = daily.reset_index()
    daily["distance_km"] = daily["distance_km"].astype(float).round(1)
    for column in _MONEY:
        daily[column] = daily[column].astype(float).round(2)
    for column in ("tickets_served", "school_visits"):
        daily[column] = daily[column].astype(int)
    daily["cumulative_eur"] = daily.groupby("employer")["total_eur"].cumsum().round(2)
    periods: list[str] = []
    period_budget: list[float] = []
    allowance: list[float] = []
    for record in daily.itertuples():
        period = _period_of(lookup, str(record.employer), date.fromisoformat(str(record.date)))
        periods.append(period or "")
        if period is None:
            period_budget.append(math.nan)
            allowance.append(math.nan)
        else:
            amount = lookup[(str(record.employer), period)]
            period_budget.append(amount)
            allowance.append(amount / len(_period_days(period)))
    daily["period"] = periods
    daily["period_budget_eur"] = period_budget
    daily["budget_to_date_eur"] = pd.Series(allowance, index=daily.index).groupby(daily["employer"]).cumsum()
    daily["budget_to_date_eur"] = daily["budget_to_date_eur"].round(2)
    return daily


def _budget_table(
    daily: pd.DataFrame, employers: Sequence[str], lookup: Mapping[tuple[str, str], float]
) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for employer in employers:
        mine = daily[daily["employer"] == employer]
        for period, part in mine.groupby("period", sort=True):
            cost = round(float(part["total_eur"].sum()), 2)
            estimated = len(part)
            if not period:
                rows.append(
                    {
                        "employer": employer,
                        "period": "",
                        "period_budget_eur": math.nan,
                        "working_days": math.nan,
                        "days_estimated": estimated,
                        "cost_eur": cost,
                        "budget_pro_rata_eur": math.nan,
                        "projected_period_eur": math.nan,
                        "projected_share": math.nan,
                        "status": "χωρίς προϋπολογισμό / no budget",
                    }
                )
                continue
            amount = lookup[(employer, str(period))]
            working = len(_period_days(str(period)))
            projected = cost * working / estimated if estimated else 0.0
            share = projected / amount if amount else math.inf if projected else 0.0
            rows.append(
                {
                    "employer": employer,
                    "period": period,
                    "period_budget_eur": amount,
                    "working_days": working,
                    "days_estimated": estimated,
                    "cost_eur": cost,
                    "budget_pro_rata_eur": round(amount * estimated / working, 2),
                    "projected_period_eur": round(projected, 2),
                    "projected_share": round(share, 3),
                    "status": "υπέρβαση / over" if projected > amount else "εντός / within",
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "employer",
            "period",
            "period_budget_eur",
            "working_days",
            "days_estimated",
            "cost_eur",
            "budget_pro_rata_eur",
            "projected_period_eur",
            "projected_share",
            "status",
        ],
    )


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
) -> Estimate:
    """Plan every working day from ``start`` to ``end`` with the solver and price the plans.

    ``problem`` holds the whole ticket history (:func:`read_history`); ``start`` defaults
    to the day the first ticket was opened and ``end`` to the day the last one was.
    Tickets opened before ``start`` are the first day's backlog; those opened after the
    planning moment of the last day are left out.  ``time_limit_s`` is per day and
    region; ``workers`` > 1 plans regions in that many processes.  ``budget`` is a
    :func:`read_budget` table.  ``progress`` is told (in words) what is being planned.
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
    days = window_days(start, end)
    if not days:
        raise ValueError(f"there is no working day (Monday to Friday) from {start} to {end}")
    regions = independent_regions(problem)
    per_region = _plan_all(problem, regions, days, time_limit_s, seed, plan_at, workers, progress)
    plans = [_merge(day, [plans[number] for plans in per_region]) for number, day in enumerate(days)]

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
    lookup = _budget_lookup(budget)
    daily = _daily_table(routes, days, employers, lookup)
    warnings = cost_policy_issues(problem) + [
        f"budget: '{name}' is not the employer of any technician{suggestion(name, employers)}"
        for name in sorted({e for e, _ in lookup} - set(employers))
    ]
    no_visit = sum(1 for t in problem.tickets if not t.needs_visit and t.opened_at < cutoffs[-1])
    return Estimate(
        start=days[0],
        end=days[-1],
        days=tuple(outcome),
        regions=regions,
        routes=routes,
        daily=daily,
        budget=_budget_table(daily, employers, lookup),
        queue=pd.DataFrame(
            queue_rows, columns=["date", "opened", "to_plan", "served", "carried_over", "total_eur"]
        ),
        no_visit=no_visit,
        warnings=tuple(warnings),
    )


def _plan_all(
    problem: Problem,
    regions: Sequence[Region],
    days: Sequence[date],
    time_limit_s: float,
    seed: int,
    plan_at: time,
    workers: int,
    progress: Callable[[str], None] | None,
) -> list[list[Plan]]:
    if workers == 1 or len(regions) == 1:
        out: list[list[Plan]] = []
        for number, region in enumerate(regions, start=1):

            def told(day: date, number: int = number) -> None:
                if progress is not None:
                    progress(f"region {number}/{len(regions)}, {day.isoformat()}")

            out.append(
                _plan_region(
                    problem, region, days, time_limit_s=time_limit_s, seed=seed, plan_at=plan_at, on_day=told
                )
            )
        return out
    if progress is not None:
        progress(f"{len(regions)} regions in {min(workers, len(regions))} processes")
    document = problem_to_dict(problem)
    jobs = [
        _RegionJob(
            document, region, tuple(d.isoformat() for d in days), time_limit_s, seed, plan_at.isoformat()
        )
        for region in regions
    ]
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=get_context("spawn")) as pool:
        results = list(pool.map(_run_job, jobs))
    return [[Plan.from_dict(d) for d in plans] for plans in results]


# --- outputs ----------------------------------------------------------------------


def plot_cumulative(daily: pd.DataFrame, path: str | PathLike[str], *, title: str = "") -> Path:
    """PNG chart, a panel per employer: cumulative estimated cost (solid) against the budget to date
    (dashed, where the employer has a budget)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    groups = list(daily.groupby("employer", sort=True))
    columns = min(3, max(1, len(groups)))
    rows = max(1, math.ceil(len(groups) / columns))
    figure = Figure(figsize=(4.2 * columns, 3.0 * rows + 0.8), layout="constrained")
    FigureCanvasAgg(figure)
    grid = figure.subplots(rows, columns, squeeze=False, sharex=True)
    panels = [axes for line in grid for axes in line]
    for axes, (employer, part) in zip(panels, groups, strict=False):
        when = pd.to_datetime(part["date"])
        axes.plot(
            when, part["cumulative_eur"], color="C0", marker="o", markersize=3, label="εκτίμηση / estimate"
        )
        if part["budget_to_date_eur"].notna().any():
            axes.plot(
                when, part["budget_to_date_eur"], color="C3", linestyle="--", label="προϋπολογισμός / budget"
            )
        axes.set_title(str(employer), fontsize="medium")
        axes.set_ylabel("EUR")
        axes.set_ylim(bottom=0)
        axes.grid(True, alpha=0.3)
        ticks = list(when)[:: max(1, math.ceil(len(when) / 7))]
        axes.set_xticks(ticks, [f"{t:%d/%m}" for t in ticks])
        axes.tick_params(labelbottom=True)
    for axes in panels[len(groups) :]:
        axes.set_visible(False)
    if groups:
        panels[0].legend(fontsize="small", loc="upper left")
    figure.suptitle(title or "Σωρευτικό κόστος και προϋπολογισμός / cumulative cost against budget to date")
    figure.savefig(target, dpi=100)
    return target


def write_estimate(estimate: Estimate, folder: str | PathLike[str], *, plans: bool = True) -> dict[str, Path]:
    """Write the estimate's tables, chart and (``plans``) daily plan JSON files into ``folder``.

    ``daily_costs.csv`` (per day and employer, with cumulative cost and budget to date),
    ``budget.csv`` (per employer and period), ``routes.csv`` (every route priced),
    ``queue.csv`` (tickets per day), ``cumulative_cost.png`` and ``plans/DATE.json``.
    """
    from .costs import write_cost_csv

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = {
        "daily": write_cost_csv(estimate.daily, target / "daily_costs.csv"),
        "budget": write_cost_csv(estimate.budget, target / "budget.csv"),
        "routes": write_cost_csv(estimate.routes, target / "routes.csv"),
        "queue": write_cost_csv(estimate.queue, target / "queue.csv"),
        "chart": plot_cumulative(estimate.daily, target / "cumulative_cost.png"),
    }
    if plans:
        (target / "plans").mkdir(exist_ok=True)
        for entry in estimate.days:
            write_plan_json(entry.plan, target / "plans" / f"{entry.day.isoformat()}.json")
        written["plans"] = target / "plans"
    return written


# --- demo data --------------------------------------------------------------------


def history_from_sample(
    weeks: int,
    seed: int = 0,
    *,
    path: str | PathLike[str],
    start: date = DEMO_START,
    per_day: float = 10.0,
    backlog: int = 8,
) -> Path:
    """Write a synthetic ticket history over the sample's schools to ``path`` (a tickets CSV).

    ``weeks`` weeks from ``start`` (a Monday): about ``per_day`` tickets each working day
    and a few at weekends, opened between 07:30 and 15:00, plus ``backlog`` tickets opened
    in the week before ``start``.  Skills, priorities, categories, service times and the
    shares of remote, warranty and due-dated tickets follow the sample's generator.  The
    same arguments always give the same file.
    """
    from dromologio.sample import sample_data_dir
    from dromologio.sample.generate import (
        PRIORITY_SHARES,
        REMOTE_SHARE,
        SERVICE_MINUTES,
        SKILL_WEIGHTS,
        TICKET_COLUMNS,
        WARRANTY_SHARE,
        TicketRow,
        category_for,
        read_csv,
        write_csv,
    )

    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    rng = random.Random(seed)
    schools = [row["school_id"] for row in read_csv(sample_data_dir() / "schools.csv")]
    opened: list[datetime] = []
    for offset in range(-7, 7 * weeks):
        day = start + timedelta(days=offset)
        if offset < 0:
            count = 0
        elif day.weekday() < 5:
            count = max(0, round(rng.gauss(per_day, math.sqrt(per_day))))
        else:
            count = 1 if rng.random() < 0.3 else 0
        for _ in range(count):
            minute = rng.randrange(7 * 60 + 30, 15 * 60, 5)
            opened.append(datetime.combine(day, time(minute // 60, minute % 60)))
    for _ in range(backlog):
        day = start - timedelta(days=rng.randint(3, 7))
        minute = rng.randrange(7 * 60 + 30, 15 * 60, 5)
        opened.append(datetime.combine(day, time(minute // 60, minute % 60)))
    opened.sort()
    rows: list[TicketRow] = []
    priorities = list(PRIORITY_SHARES)
    for number, instant in enumerate(opened, start=1):
        skill = rng.choices(list(SKILL_WEIGHTS), weights=list(SKILL_WEIGHTS.values()))[0]
        row = TicketRow(
            ticket_id=f"H{number:05d}",
            school_id=rng.choice(schools),
            opened_at=instant,
            category=category_for(skill, rng),
            skill=skill,
            priority=rng.choices(priorities, weights=list(PRIORITY_SHARES.values()))[0],
            service_minutes=rng.choice(SERVICE_MINUTES),
        )
        draw = rng.random()
        if skill in ("hardware", "printer") and draw < WARRANTY_SHARE:
            row.warranty = True
        elif skill != "hardware" and draw > 1.0 - REMOTE_SHARE:
            row.remote = True
        if rng.random() < 0.2:
            row.due_by = datetime.combine(instant.date() + timedelta(days=rng.randint(2, 7)), time(14, 0))
        rows.append(row)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_csv(target, TICKET_COLUMNS, (r.as_row() for r in rows))
    return target


def budget_for_sample(
    path: str | PathLike[str],
    periods: Iterable[str],
    *,
    per_technician_eur: float = 150.0,
    tight: Mapping[str, float] | None = None,
) -> Path:
    """Write a budget CSV for the sample's employers: ``per_technician_eur`` per technician per period.

    ``tight`` scales some employers' budgets (e.g. ``{"ΚΕ.ΠΛΗ.ΝΕ.Τ. Πρέβεζας": 0.5}``).
    """
    from dromologio.sample import sample_data_dir
    from dromologio.sample.generate import read_csv, write_csv

    counts: dict[str, int] = {}
    for row in read_csv(sample_data_dir() / "technicians.csv"):
        counts[row["employer"]] = counts.get(row["employer"], 0) + 1
    scale = dict(tight or {})
    rows = [
        (employer, period, f"{per_technician_eur * count * scale.get(employer, 1.0):.0f}")
        for period in periods
        for employer, count in sorted(counts.items())
    ]
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_csv(target, BUDGET_COLUMNS, rows)
    return target


def write_estimate_demo(
    folder: str | PathLike[str], *, weeks: int = 4, seed: int = 0, start: date = DEMO_START
) -> tuple[Path, Path, Path]:
    """The sample problem, a ``weeks``-week ticket history and a monthly budget, in ``folder``.

    Returns the problem folder, the history CSV and the budget CSV.
    """
    from dromologio.sample import write_sample

    target = Path(folder)
    problem = write_sample(target / "problem")
    history = history_from_sample(weeks, seed, path=target / "tickets_history.csv", start=start)
    last = start + timedelta(days=7 * weeks - 1)
    months = sorted(
        {f"{d:%Y-%m}" for d in (start + timedelta(days=i) for i in range((last - start).days + 1))}
    )
    budget = budget_for_sample(target / "budget.csv", months)
    return problem, history, budget
