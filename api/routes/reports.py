"""The service report of a month per Directorate and partner body (``GET /reports/service``).

Histories come from the store: tickets opened in the month (and the 30 days before, for
repeat faults), their visit events (started, done, not solved: a visit reported without a
start starts at its planned time) and their resolutions (a visit done, or
``POST /tickets/{id}/resolve``); km and euros from the plans in force (published, or
closed) on the month's days.  The computation is :mod:`dromologio.planning.service.report`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response as RawResponse
from pydantic import Field
from sqlalchemy import select

from dromologio.models import Plan
from dromologio.planning.service.history import RouteMoney, TicketHistory, Visit, area_of
from dromologio.planning.service.levels import RESOLVED_EVENT
from dromologio.planning.service.report import (
    NOT_AVAILABLE,
    REPEAT_WINDOW_DAYS,
    Month,
    ServiceReport,
    service_report,
)
from dromologio.planning.service.sources import route_money
from dromologio.reports.service import (
    render_service_html,
    service_chart_png,
    service_csv_bytes,
    service_xlsx_bytes,
)

from ..auth import Principal
from ..convert import school_from_row
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden
from ..schemas import Response
from ..snapshot import read_snapshot
from ..tables import PlanRow, SchoolRow, TechnicianRow, TicketEventRow, TicketRow

router = APIRouter(prefix="/reports", tags=["reports"], responses=PROBLEM_RESPONSES)

VISIT_EVENTS = ("started", "done", "not_solved")
#: the plans whose routes count: the plans in force on their days.
IN_FORCE = ("published", "closed")
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "png": "image/png",
}


class ServiceRow(Response):
    group: str = Field(description="all, priority or area")
    value: str = Field(description="the priority or the area (Greek first)")
    tickets: int = Field(description="tickets opened in the month")
    visited: int = Field(description="of them, visited")
    resolved: int = Field(description="of them, solved")
    response_h_mean: float | None = Field(description="opened → first visit start, hours, mean")
    response_h_median: float | None = Field(description="the same, median")
    resolution_h_mean: float | None = Field(description="opened → solved, hours, mean")
    resolution_h_median: float | None = Field(description="the same, median")
    first_visit_fix_rate: float | None = Field(
        description="of the visited, the share solved by the first visit"
    )
    repeat_faults: int = Field(
        description=f"tickets of a school and category within {REPEAT_WINDOW_DAYS} days"
    )
    preventive_coverage: float | str = Field(
        description="share of the schools with a maintenance interval seen within it at the month's end "
        f"(their recorded last preventive visit and the plans in force); '{NOT_AVAILABLE}' when none has one"
    )


class RepeatFault(Response):
    school_id: str = Field(description="the school")
    category: str = Field(description="the helpdesk category")
    repeat_faults: int = Field(description="repeat tickets opened in the month")


class ServiceReportPublic(Response):
    month: str = Field(description="YYYY-MM", examples=["2026-11"])
    directorate: str | None = Field(description="the Directorate (None: all)")
    employer: str | None = Field(description="the partner body (None: all)")
    rows: list[ServiceRow] = Field(description="all tickets, then by priority, then by area")
    repeats: list[RepeatFault] = Field(description="repeat faults per school and category")
    routes: int = Field(description="routes of the plans in force counted")
    distance_km: float = Field(description="their km (shared between Directorates by tickets)")
    cost_eur: float = Field(description="their euros, by each employer's travel rules")


def _scope(
    principal: Principal, directorate: str | None, employer: str | None
) -> tuple[str | None, str | None]:
    """The Directorate and partner body the caller may report on (403 outside its scope)."""
    if principal.role == "partner":
        if employer is not None and employer != principal.employer:
            raise forbidden("a partner key reports on its own body only")
        employer = principal.employer
    if principal.reads_all:
        return directorate, employer
    if directorate is None:
        if len(principal.directorates) != 1:
            raise ApiError(
                422,
                "name the Directorate: one of " + ", ".join(sorted(principal.directorates)),
                errors=[("query.directorate", "required for a key of several Directorates")],
            )
        (directorate,) = principal.directorates
    if directorate not in principal.directorates:
        raise forbidden(f"Directorate '{directorate}' is not available to this key")
    return directorate, employer


def _planned_starts(plans: dict[str, dict[str, Any] | None]) -> dict[tuple[str, str], datetime]:
    """(plan id, ticket id) -> the start of its visit in that plan."""
    starts: dict[tuple[str, str], datetime] = {}
    for plan_id, result in plans.items():
        for route in (result or {}).get("routes", []):
            for stop in route.get("stops", []):
                start = stop.get("start") or stop.get("arrive")
                for ticket_id in stop.get("ticket_ids") or []:
                    if start:
                        starts[(plan_id, ticket_id)] = datetime.fromisoformat(start)
    return starts


def _histories(session: SessionDep, month: Month, directorate: str | None) -> list[TicketHistory]:
    since = datetime.combine(month.first_day, datetime.min.time()) - timedelta(days=REPEAT_WINDOW_DAYS)
    until = datetime.combine(month.next_first_day, datetime.min.time())
    query = (
        select(TicketRow, SchoolRow)
        .join(SchoolRow, SchoolRow.school_id == TicketRow.school_id)
        .where(TicketRow.opened_at >= since, TicketRow.opened_at < until)
    )
    if directorate is not None:
        query = query.where(SchoolRow.directorate == directorate)
    pairs = session.execute(query.order_by(TicketRow.ticket_id)).all()
    ids = [t.ticket_id for t, _ in pairs]
    events: dict[str, list[TicketEventRow]] = defaultdict(list)
    for offset in range(0, len(ids), 500):
        for event in session.scalars(
            select(TicketEventRow)
            .where(
                TicketEventRow.ticket_id.in_(ids[offset : offset + 500]),
                TicketEventRow.kind.in_([*VISIT_EVENTS, RESOLVED_EVENT]),
            )
            .order_by(TicketEventRow.at, TicketEventRow.event_id)
        ):
            events[event.ticket_id].append(event)
    plan_ids = sorted({e.plan_id for es in events.values() for e in es if e.plan_id})
    results = {
        p.plan_id: p.result for p in session.scalars(select(PlanRow).where(PlanRow.plan_id.in_(plan_ids)))
    }
    planned = _planned_starts(results)
    employers = {
        ident: employer
        for ident, employer in session.execute(select(TechnicianRow.technician_id, TechnicianRow.employer))
    }
    histories = []
    for ticket, school in pairs:
        visits: dict[tuple[str, str], list[TicketEventRow]] = defaultdict(list)
        resolved: list[datetime] = []
        for event in events[ticket.ticket_id]:
            if event.kind == RESOLVED_EVENT:
                resolved.append(event.at)
                continue
            if event.kind == "done":
                resolved.append(event.at)
            visits[(event.plan_id or "", event.technician_id or "")].append(event)
        made = []
        for (plan_id, technician), group in visits.items():
            started = [e.at for e in group if e.kind == "started"]
            start = started[0] if started else planned.get((plan_id, ticket.ticket_id), group[0].at)
            made.append(
                Visit(
                    technician_id=technician,
                    employer=employers.get(technician, ""),
                    start=start,
                    solved=any(e.kind == "done" for e in group),
                )
            )
        histories.append(
            TicketHistory(
                ticket_id=ticket.ticket_id,
                school_id=ticket.school_id,
                directorate=school.directorate,
                area=area_of(school.island, school.terrain),
                priority=ticket.priority,
                category=ticket.category,
                opened_at=ticket.opened_at,
                visits=tuple(made),
                resolved_at=min(resolved, default=None),
            )
        )
    return histories


def _money(session: SessionDep, month: Month) -> list[RouteMoney]:
    first = (month.first_day - timedelta(days=31)).isoformat()
    rows = session.scalars(
        select(PlanRow).where(
            PlanRow.state.in_(IN_FORCE),
            PlanRow.scenario.is_(False),
            PlanRow.has_plan.is_(True),
            PlanRow.plan_date >= first,
            PlanRow.plan_date < month.next_first_day.isoformat(),
        )
    )
    money: list[RouteMoney] = []
    for row in rows:
        problem = read_snapshot(row.problem).problem
        money.extend(route_money(problem, [Plan.from_dict(row.result or {})]))
    return money


def _preventive_coverage(
    session: SessionDep, month: Month, directorate: str | None
) -> dict[str, float | None] | None:
    """Preventive coverage at the month's end (all, and by area) of the Directorate's schools with
    a maintenance interval: their recorded last preventive visit and the preventive visits of the
    plans in force up to that day; None when no school has preventive care."""
    from dromologio.models import Problem
    from dromologio.planning.preventive import coverage_by_area, maintained_as_of, visits_in_plans

    query = select(SchoolRow)
    if directorate is not None:
        query = query.where(SchoolRow.directorate == directorate)
    schools = tuple(school_from_row(row) for row in session.scalars(query.order_by(SchoolRow.school_id)))
    if not schools:
        return None
    month_end = month.next_first_day - timedelta(days=1)
    plans = [
        Plan.from_dict(row.result or {})
        for row in session.scalars(
            select(PlanRow).where(
                PlanRow.state.in_(IN_FORCE),
                PlanRow.scenario.is_(False),
                PlanRow.has_plan.is_(True),
                PlanRow.plan_date < month.next_first_day.isoformat(),
            )
        )
    ]
    problem = maintained_as_of(
        Problem(schools=schools, bases=(), technicians=(), tickets=()),
        visits_in_plans(plans, until=month_end),
        month_end,
    )
    covered = coverage_by_area(problem, month_end)
    return covered if covered["all"] is not None else None


def build_service_report(
    session: SessionDep, month: Month, directorate: str | None, employer: str | None
) -> ServiceReport:
    return service_report(
        _histories(session, month, directorate),
        _money(session, month),
        month,
        directorate=directorate,
        employer=employer,
        preventive_coverage=_preventive_coverage(session, month, directorate),
    )


def _public(report: ServiceReport) -> ServiceReportPublic:
    def clean(record: Mapping[Hashable, Any]) -> dict[str, Any]:
        return {str(k): (None if isinstance(v, float) and v != v else v) for k, v in record.items()}

    return ServiceReportPublic(
        month=str(report.month),
        directorate=report.directorate,
        employer=report.employer,
        rows=[ServiceRow(**clean(r)) for r in report.table.to_dict("records")],
        repeats=[RepeatFault(**clean(r)) for r in report.repeats.to_dict("records")],
        routes=report.routes,
        distance_km=report.distance_km,
        cost_eur=report.cost_eur,
    )


@router.get(
    "/service",
    summary="The service report of a month per Directorate and partner body (JSON, CSV, xlsx, HTML or PNG)",
    response_model=ServiceReportPublic,
    responses={200: {"content": {media.split(";")[0]: {} for media in MEDIA.values()}}},
)
def get_service_report(
    session: SessionDep,
    principal: CurrentPrincipal,
    month: Annotated[str, Query(pattern=r"^[0-9]{4}-[0-9]{2}$", description="YYYY-MM", examples=["2026-11"])],
    directorate: Annotated[str | None, Query(max_length=300, description="the Directorate")] = None,
    employer: Annotated[str | None, Query(max_length=300, description="the partner body")] = None,
    format: Annotated[
        Literal["json", "csv", "xlsx", "html", "png"], Query(description="json, csv, xlsx, html or png")
    ] = "json",
) -> Any:
    try:
        wanted = Month.parse(month)
    except ValueError as error:
        raise ApiError(422, str(error), errors=[("query.month", str(error))]) from None
    directorate, employer = _scope(principal, directorate, employer)
    report = build_service_report(session, wanted, directorate, employer)
    if format == "json":
        return _public(report)
    content = {
        "csv": service_csv_bytes,
        "xlsx": service_xlsx_bytes,
        "html": lambda r: render_service_html(r).encode("utf-8"),
        "png": service_chart_png,
    }[format](report)
    name = f"service-report-{wanted}.{format}"
    return RawResponse(
        content, media_type=MEDIA[format], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
