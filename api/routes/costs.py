"""Travel costs by plan, day and month, actual against budget, and fairness over a month.

The numbers are those of ``dromologio costs``: every route priced by its employer's travel
rules (:func:`dromologio.planning.costs.plan_cost_table`, from the plan and the problem
it was solved for) and added up by :func:`~dromologio.planning.costs.cost_report`.

Days and months are priced from the plans of record (:func:`plans_of_record`: published,
or closed once the day ended); ``basis``
chooses the routes: ``planned`` (every route of those plans) or ``visited`` (the routes
on which a visit was reported done or not solved, :func:`~dromologio.planning.costs.travelled_plan`).
Actual against budget and fairness always use visited routes.  Every caller sees the
routes of the technicians it sees (a partner its own employer's, in every plan).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from dromologio.models import Plan, Problem
from dromologio.planning.costs import (
    FAIRNESS_TOLERANCE,
    VISITED_STATES,
    cost_report,
    fairness_report,
    period_cost_table,
    travelled_plan,
)
from dromologio.planning.estimate import month_share_of_year

from .. import schemas
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, not_found
from ..snapshot import read_snapshot
from ..tables import BudgetLineRow, PlanRow, PlanVisitRow, TechnicianRow
from .budgets import readable_employer
from .plans import get_plan_row, sees_plan, solved_plan

router = APIRouter(prefix="/costs", tags=["costs"], responses=PROBLEM_RESPONSES)

GroupBy = Literal["employer", "technician", "directorate", "island", "day"]
Basis = Literal["planned", "visited"]
MONTH_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
#: the states of the plans whose routes are the costs of their days (see api/lifecycle.py).
RECORD_STATES = ("published", "closed")
#: a plan of several days starts at most this many calendar days before the period it reaches.
LONGEST_PLAN_DAYS = 21

By = Annotated[
    list[GroupBy] | None,
    Query(description="add up by employer, technician, directorate, island or day (repeatable)"),
]
BasisQuery = Annotated[
    Basis, Query(description="planned: every route of the plans; visited: routes with a visit reported done")
]
MonthQuery = Annotated[str, Query(pattern=MONTH_PATTERN, description="YYYY-MM", examples=["2026-11"])]


class CostRow(schemas.Response):
    """One line of a cost report: its keys (those grouped by), km and EUR, counts and ratios."""

    employer: str | None = Field(default=None, description="employer (partner body)")
    technician_id: str | None = Field(default=None, description="technician id")
    technician: str | None = Field(default=None, description="technician's name")
    directorate: str | None = Field(default=None, description="Directorate of the schools visited")
    island: str | None = Field(default=None, description="island of the schools visited")
    date: str | None = Field(default=None, description="day")
    routes: int = Field(description="routes that served a ticket or cost something")
    distance_km: float = Field(description="road km")
    distance_eur: float = Field(description="EUR for the km")
    ferry_eur: float = Field(description="EUR of ferry fares")
    per_diem_eur: float = Field(description="EUR of daily allowances")
    overnight_eur: float = Field(description="EUR of overnight allowances")
    tolls_eur: float = Field(description="EUR of tolls")
    overtime_eur: float = Field(default=0.0, description="EUR of overtime beyond the shift")
    total_eur: float = Field(description="EUR in all")
    tickets_served: int = Field(description="tickets served")
    school_visits: int = Field(description="school visits")
    eur_per_ticket: float | None = Field(description="EUR per ticket served (null when none)")
    eur_per_school_visit: float | None = Field(description="EUR per school visit (null when none)")


class CostReport(schemas.Response):
    period: str = Field(description="the plan id, the day (YYYY-MM-DD) or the month (YYYY-MM)")
    basis: Basis = Field(description="planned routes, or the routes visited")
    by: list[GroupBy] = Field(description="what the rows add up by")
    plan_ids: list[str] = Field(description="the plans priced")
    rows: list[CostRow] = Field(description="one per key")
    total: CostRow = Field(description="the sum of every row")


class BudgetMonth(schemas.Response):
    month: str = Field(description="YYYY-MM")
    budget_eur: float = Field(description="the month's lines plus a twelfth of the year's lines")
    planned_eur: float = Field(description="the routes of the plans of record")
    actual_eur: float = Field(description="the routes travelled: a visit reported done or not solved")
    remaining_eur: float = Field(description="budget minus actual")
    used_share: float | None = Field(description="actual / budget (null without a budget)")
    over_budget: bool = Field(description="actual above budget")


class BudgetReport(schemas.Response):
    employer: str = Field(description="the employer (partner body)")
    year: int = Field(description="year")
    year_budget_eur: float = Field(description="every line of the year (months and the year's own)")
    year_actual_eur: float = Field(description="actual of the months shown")
    months: list[BudgetMonth] = Field(description="one row per month")


class FairnessRow(schemas.Response):
    technician_id: str = Field(description="technician id")
    technician: str = Field(description="name")
    employer: str = Field(description="employer")
    routes: int = Field(description="routes travelled")
    per_diem_days: float = Field(description="daily allowance in days (a same-day share counts its share)")
    per_diem_eur: float = Field(description="EUR of daily allowances")
    nights: int = Field(description="nights away")
    overnight_eur: float = Field(description="EUR of overnight allowances")
    allowance_eur: float = Field(description="per diem + overnight")
    deviation_eur: float = Field(description="allowance minus the employer's mean")
    deviation_share: float = Field(description="deviation / mean")
    nights_deviation: float = Field(description="nights minus the mean")
    within_tolerance: bool = Field(description="allowance and nights within the tolerance of the mean")


class FairnessReport(schemas.Response):
    employer: str = Field(description="the employer (partner body)")
    month: str = Field(description="YYYY-MM")
    basis: Basis = Field(description="planned or visited routes")
    tolerance: float = Field(description="share of the mean a technician may stray from it")
    mean_allowance_eur: float = Field(description="mean allowance per technician")
    spread_eur: float = Field(description="highest minus lowest allowance")
    mean_nights: float = Field(description="mean nights away")
    spread_nights: int = Field(description="most minus fewest nights away")
    outside: list[str] = Field(description="technicians outside the tolerance")
    technicians: list[FairnessRow] = Field(description="one row per technician of the employer")


# --- the plans of record and their routes -----------------------------------------------------


def plans_of_record(session: Session, first: date, last: date) -> list[PlanRow]:
    """The plans whose routes are the costs of the days ``first``..``last``, first published first.

    The plans in force: published, or closed once their day ended (never drafts, superseded
    versions or scenarios).  Where two of them have a route of the same technician and day,
    the one published last counts (:func:`~dromologio.planning.costs.period_cost_table`).
    """
    earliest = (first - timedelta(days=LONGEST_PLAN_DAYS)).isoformat()
    query = (
        select(PlanRow)
        .where(
            PlanRow.state.in_(RECORD_STATES),
            PlanRow.has_plan.is_(True),
            PlanRow.plan_date >= earliest,
            PlanRow.plan_date <= last.isoformat(),
        )
        .order_by(PlanRow.published_at, PlanRow.created_at, PlanRow.plan_id)
    )
    return [row for row in session.scalars(query) if _reaches(row, first, last)]


def _reaches(row: PlanRow, first: date, last: date) -> bool:
    dates = [date.fromisoformat(d) for d in (row.result or {}).get("dates") or [row.plan_date]]
    return any(first <= d <= last for d in dates)


def visited_tickets(session: Session, first: date, last: date) -> set[str]:
    """Tickets whose visit was reported done or not solved on any plan of the days (a version
    since superseded included: the visit happened all the same)."""
    earliest = (first - timedelta(days=LONGEST_PLAN_DAYS)).isoformat()
    plans = select(PlanRow.plan_id).where(
        PlanRow.scenario.is_(False), PlanRow.plan_date >= earliest, PlanRow.plan_date <= last.isoformat()
    )
    query = select(PlanVisitRow.ticket_id).where(
        PlanVisitRow.plan_id.in_(plans), PlanVisitRow.state.in_(VISITED_STATES)
    )
    return set(session.scalars(query))


def priced_plans(session: Session, rows: Sequence[PlanRow], basis: Basis) -> list[tuple[str, Problem, Plan]]:
    """(plan id, problem solved, plan or only its travelled routes) of each row."""
    out = []
    visited: set[str] = set()
    if basis == "visited" and rows:
        days = [date.fromisoformat(d) for r in rows for d in (r.result or {}).get("dates") or [r.plan_date]]
        visited = visited_tickets(session, min(days), max(days))
    for row in rows:
        plan = solved_plan(row)
        if basis == "visited":
            plan = travelled_plan(plan, visited)
        out.append((row.plan_id, read_snapshot(row.problem, source="plan").problem, plan))
    return out


def readable_plans(session: Session, principal: Principal, rows: Sequence[PlanRow]) -> list[PlanRow]:
    """The plans the caller reads (a partner: every plan naming one of its technicians)."""
    return [r for r in rows if sees_plan(session, principal, r)]


def visible_routes(session: Session, principal: Principal, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a route table of the technicians the caller sees."""
    visible = principal.visible_technicians(session)
    if visible is None or table.empty:
        return table
    return table[table["technician_id"].isin(sorted(visible))].reset_index(drop=True)


def period_table(
    session: Session, principal: Principal, first: date, last: date, basis: Basis
) -> tuple[pd.DataFrame, list[str]]:
    """The route table of the days ``first``..``last`` the caller sees, and the plans priced."""
    rows = readable_plans(session, principal, plans_of_record(session, first, last))
    table = _within(period_cost_table(priced_plans(session, rows, basis)), first, last)
    table = visible_routes(session, principal, table)
    used = sorted(set(table["plan_id"])) if not table.empty else []
    return table, used


def month_days(month: str) -> tuple[date, date]:
    """The first and last day of ``YYYY-MM``."""
    if not re.match(MONTH_PATTERN, month):
        raise ApiError(422, f"month '{month}' is not YYYY-MM", errors=[("query.month", "not YYYY-MM")])
    first = date.fromisoformat(f"{month}-01")
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, after - timedelta(days=1)


# --- answers -----------------------------------------------------------------------------------


def _cost_row(record: dict[str, Any]) -> CostRow:
    values = {
        str(k): (None if isinstance(v, float) and math.isnan(v) else v)
        for k, v in record.items()
        if k != "places"
    }
    if values.get("date") == "":
        values["date"] = None
    return CostRow.model_validate(values)


def cost_answer(
    table: pd.DataFrame, by: list[GroupBy], period: str, basis: Basis, plan_ids: list[str]
) -> CostReport:
    """``table`` added up by ``by`` as the API answers it (the same numbers as ``dromologio costs``)."""
    report = cost_report(table, list(by), with_total=True)
    records = [{str(k): v for k, v in r.items()} for r in report.to_dict("records")]
    if records:
        *rows, last = records
        total = _cost_row({k: v for k, v in last.items() if not _is_key(k)})
    else:
        rows, total = [], EMPTY_TOTAL
    return CostReport(
        period=period, basis=basis, by=by, plan_ids=plan_ids, rows=[_cost_row(r) for r in rows], total=total
    )


EMPTY_TOTAL = CostRow(
    routes=0,
    distance_km=0.0,
    distance_eur=0.0,
    ferry_eur=0.0,
    per_diem_eur=0.0,
    overnight_eur=0.0,
    tolls_eur=0.0,
    total_eur=0.0,
    tickets_served=0,
    school_visits=0,
    eur_per_ticket=None,
    eur_per_school_visit=None,
)


def _is_key(column: str) -> bool:
    return column in ("employer", "technician_id", "technician", "directorate", "island", "date")


@router.get(
    "/plans/{plan_id}", summary="What a plan costs, by employer, technician, Directorate, island or day"
)
def plan_costs(
    plan_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    by: By = None,
    basis: BasisQuery = "planned",
) -> CostReport:
    row = get_plan_row(session, principal, plan_id)
    solved_plan(row)
    table = period_cost_table(priced_plans(session, [row], basis))
    table = visible_routes(session, principal, table)
    return cost_answer(table, list(by or ["employer"]), plan_id, basis, [plan_id])


@router.get("/days/{day}", summary="What a day costs over the plans of record")
def day_costs(
    day: schemas.Day,
    session: SessionDep,
    principal: CurrentPrincipal,
    by: By = None,
    basis: BasisQuery = "planned",
) -> CostReport:
    table, used = period_table(session, principal, day, day, basis)
    return cost_answer(table, list(by or ["employer"]), day.isoformat(), basis, used)


@router.get("/months/{month}", summary="What a month costs over the plans of record")
def month_costs(
    month: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    by: By = None,
    basis: BasisQuery = "planned",
) -> CostReport:
    first, last = month_days(month)
    table, used = period_table(session, principal, first, last, basis)
    return cost_answer(table, list(by or ["employer"]), month, basis, used)


def _employer(session: Session, principal: Principal, employer: str | None) -> str:
    """The employer asked about: a partner's own by default; one the caller may not read is a 404."""
    if employer is None:
        if principal.role == "partner" and principal.employer:
            return principal.employer
        raise ApiError(422, "say which employer (?employer=...)", errors=[("query.employer", "missing")])
    if not readable_employer(session, principal, employer):
        raise not_found("employer", employer)
    return employer


def _sum_eur(table: pd.DataFrame, employer: str, month: str) -> float:
    """The employer's EUR in ``month`` (YYYY-MM) of a route table."""
    if table.empty:
        return 0.0
    mine = (table["employer"] == employer) & table["date"].str.startswith(f"{month}-")
    return round(float(table.loc[mine, "total_eur"].sum()), 2)


@router.get("/budget", summary="Actual (visits done) against budget, per month, for one employer")
def budget_costs(
    session: SessionDep,
    principal: CurrentPrincipal,
    year: Annotated[int, Query(ge=2000, le=2100, description="year")],
    employer: Annotated[str | None, Query(description="employer; a partner's own by default")] = None,
    month: Annotated[int | None, Query(ge=1, le=12, description="one month only")] = None,
) -> BudgetReport:
    employer = _employer(session, principal, employer)
    lines = list(
        session.scalars(
            select(BudgetLineRow).where(BudgetLineRow.employer == employer, BudgetLineRow.year == year)
        )
    )
    yearly = sum(line.amount_eur for line in lines if line.month is None)
    months = [month] if month is not None else list(range(1, 13))
    first, last = month_days(f"{year}-{months[0]:02d}")[0], month_days(f"{year}-{months[-1]:02d}")[1]
    # The employer's routes whatever the caller's scope: reading the employer was checked.
    planned, actual = _employer_tables(session, first, last)
    out = []
    for number in months:
        label = f"{year}-{number:02d}"
        budget = round(
            yearly * month_share_of_year(year, number)
            + sum(line.amount_eur for line in lines if line.month == number),
            2,
        )
        spent = _sum_eur(actual, employer, label)
        out.append(
            BudgetMonth(
                month=label,
                budget_eur=budget,
                planned_eur=_sum_eur(planned, employer, label),
                actual_eur=spent,
                remaining_eur=round(budget - spent, 2),
                used_share=round(spent / budget, 3) if budget > 0 else None,
                over_budget=spent > budget + 0.005,
            )
        )
    return BudgetReport(
        employer=employer,
        year=year,
        year_budget_eur=round(sum(line.amount_eur for line in lines), 2),
        year_actual_eur=round(sum(m.actual_eur for m in out), 2),
        months=out,
    )


def _employer_tables(session: Session, first: date, last: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The route tables of the days ``first``..``last`` of every plan in force: planned and travelled."""
    rows = plans_of_record(session, first, last)
    planned = priced_plans(session, rows, "planned")
    visited = visited_tickets(session, first, last) if rows else set()
    travelled = [(plan_id, problem, travelled_plan(plan, visited)) for plan_id, problem, plan in planned]
    return _within(period_cost_table(planned), first, last), _within(
        period_cost_table(travelled), first, last
    )


def _within(table: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    if table.empty:
        return table
    days = table["date"].map(date.fromisoformat)
    return table[(days >= first) & (days <= last)].reset_index(drop=True)


@router.get("/fairness", summary="Allowances and nights away per technician of one employer over a month")
def fairness(
    session: SessionDep,
    principal: CurrentPrincipal,
    month: MonthQuery,
    employer: Annotated[str | None, Query(description="employer; a partner's own by default")] = None,
    basis: BasisQuery = "visited",
    tolerance: Annotated[
        float, Query(ge=0, le=10, description="share of the mean a technician may stray from it")
    ] = FAIRNESS_TOLERANCE,
) -> FairnessReport:
    employer = _employer(session, principal, employer)
    first, last = month_days(month)
    technicians = session.scalars(
        select(TechnicianRow).where(TechnicianRow.employer == employer, principal.technician_filter())
    )
    roster = {t.technician_id: (t.name, t.employer) for t in technicians}
    planned, travelled = _employer_tables(session, first, last)
    table = travelled if basis == "visited" else planned
    if not table.empty:
        table = table[table["employer"] == employer]
        for record in table.to_dict("records"):
            if principal.reads_all:  # a technician since removed still counts, for those who see all
                roster.setdefault(str(record["technician_id"]), (str(record["technician"]), employer))
    result = fairness_report(table, roster, tolerance=tolerance)
    return FairnessReport(
        employer=employer,
        month=month,
        basis=basis,
        tolerance=result.tolerance,
        mean_allowance_eur=result.mean_allowance_eur,
        spread_eur=result.spread_eur,
        mean_nights=result.mean_nights,
        spread_nights=result.spread_nights,
        outside=result.outside,
        technicians=[
            FairnessRow.model_validate({str(k): v for k, v in r.items()})
            for r in result.table.to_dict("records")
        ],
    )
