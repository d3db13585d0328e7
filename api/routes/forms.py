"""The forms a Greek office signs: travel orders and monthly statements, as .xlsx and printable HTML.

- the **travel order** (εντολή μετακίνησης) of a technician's trip in a plan: issued from the
  plan, before the trip;
- the **monthly statement** (κατάσταση ημερήσιας αποζημίωσης και εξόδων κίνησης) of a
  technician: from the plans of record of the month (:func:`.costs.plans_of_record`), by
  default only the routes travelled (a visit reported done or not solved).

The forms are built by :mod:`dromologio.reports.forms` (as ``dromologio forms`` does).  A
caller gets the forms of the technicians it sees, in the plans it reads; others answer 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from dromologio.models import Plan, Problem
from dromologio.reports.forms import (
    Statement,
    Trip,
    monthly_statement,
    statement_html,
    statement_workbook,
    travel_days,
    travel_order_html,
    travel_order_workbook,
    trips,
    workbook_bytes,
)

from .. import schemas
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, not_found
from ..tables import BaseRow, TechnicianRow
from .costs import Basis, month_days, plans_of_record, priced_plans, readable_plans
from .plans import get_plan_row, solved_plan, solved_problem

router = APIRouter(prefix="/forms", tags=["forms"], responses=PROBLEM_RESPONSES)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sees(session: Session, principal: Principal, technician_id: str) -> None:
    visible = principal.visible_technicians(session)
    if visible is not None and technician_id not in visible:
        raise not_found("technician", technician_id)


def _trip(
    session: Session, principal: Principal, plan_id: str, technician_id: str, day: schemas.Day | None
) -> Trip:
    row = get_plan_row(session, principal, plan_id)
    _sees(session, principal, technician_id)
    plan = solved_plan(row)
    found = trips(travel_days([(solved_problem(row), plan)], technician_id))
    if day is not None:
        found = [t for t in found if any(d.date == day for d in t.days)]
    if not found:
        when = f" on {day.isoformat()}" if day is not None else ""
        raise not_found("trip of technician", f"{technician_id}{when}")
    return found[0]


def _statement(
    session: Session, principal: Principal, month: str, technician_id: str, basis: Basis
) -> Statement:
    _sees(session, principal, technician_id)
    first, last = month_days(month)
    priced = priced_plans(
        session, readable_plans(session, principal, plans_of_record(session, first, last)), basis
    )
    pairs: list[tuple[Problem, Plan]] = [(problem, plan) for _, problem, plan in priced]
    days = travel_days(pairs, technician_id)
    named = [problem for problem, _ in pairs if technician_id in problem.technician_by_id]
    if named:
        return monthly_statement(named[-1], technician_id, days, month)
    technician = session.get(TechnicianRow, technician_id)
    if technician is None:
        raise not_found("technician", technician_id)
    base = session.get(BaseRow, technician.base_id)
    return Statement(
        month=month,
        technician_id=technician_id,
        technician=technician.name,
        employer=technician.employer,
        base=base.name if base is not None else technician.base_id,
        days=(),
    )


def _xlsx(body: bytes, filename: str) -> Response:
    return Response(
        body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


DayQuery = Annotated[schemas.Day | None, Query(description="the trip of this day (default: the first trip)")]
XLSX_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {XLSX: {}}}}


@router.get(
    "/plans/{plan_id}/travel-orders/{technician_id}.html",
    summary="Travel order (εντολή μετακίνησης) of a technician's trip in a plan, printable",
    response_class=HTMLResponse,
)
def travel_order_page(
    plan_id: str, technician_id: str, session: SessionDep, principal: CurrentPrincipal, date: DayQuery = None
) -> HTMLResponse:
    return HTMLResponse(travel_order_html(_trip(session, principal, plan_id, technician_id, date)))


@router.get(
    "/plans/{plan_id}/travel-orders/{technician_id}.xlsx",
    summary="Travel order (εντολή μετακίνησης) of a technician's trip in a plan, as Excel",
    response_class=Response,
    responses=XLSX_RESPONSE,
)
def travel_order_xlsx(
    plan_id: str, technician_id: str, session: SessionDep, principal: CurrentPrincipal, date: DayQuery = None
) -> Response:
    trip = _trip(session, principal, plan_id, technician_id, date)
    name = f"travel-order-{technician_id}-{trip.first.date.isoformat()}.xlsx"
    return _xlsx(workbook_bytes(travel_order_workbook(trip)), name)


StatementBasis = Annotated[
    Basis,
    Query(description="visited (default): routes with a visit reported done; planned: every route planned"),
]


@router.get(
    "/statements/{month}/{technician_id}.html",
    summary="Monthly statement of daily allowances and travel expenses of a technician, printable",
    response_class=HTMLResponse,
)
def statement_page(
    month: str,
    technician_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    basis: StatementBasis = "visited",
) -> HTMLResponse:
    return HTMLResponse(statement_html(_statement(session, principal, month, technician_id, basis)))


@router.get(
    "/statements/{month}/{technician_id}.xlsx",
    summary="Monthly statement of daily allowances and travel expenses of a technician, as Excel",
    response_class=Response,
    responses=XLSX_RESPONSE,
)
def statement_xlsx(
    month: str,
    technician_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    basis: StatementBasis = "visited",
) -> Response:
    statement = _statement(session, principal, month, technician_id, basis)
    return _xlsx(workbook_bytes(statement_workbook(statement)), f"statement-{technician_id}-{month}.xlsx")
