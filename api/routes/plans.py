"""Plans: solving as a job (POST answers 202 at once), progress, cancellation, the plan and its exports."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import Field
from sqlalchemy import Text, cast, exists, or_, select
from sqlalchemy.orm import object_session

from dromologio.models import Plan, Problem
from dromologio.planning.preventive import with_preventive

from .. import calendar_feed, exports, lifecycle, schemas
from ..auth import Principal, redact
from ..deps import CurrentPrincipal, RunnerDep, SessionDep, SettingsDep
from ..entity import Request
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden, not_found
from ..jobs import request_cancel
from ..lifecycle import PlanJobOut, PlanVersion
from ..planning import (
    build_problem,
    job_query,
    new_plan_row,
    partner_tickets,
    plan_directorates,
    plan_job,
    plan_jobs,
    plan_technician_ids,
    plan_view,
    problem_view,
    violations_view,
)
from ..snapshot import read_snapshot
from ..tables import BaseRow, PlanDirectorateRow, PlanRow
from .absences import leave_out_absent, plan_days
from .common import Limit, Offset, now

router = APIRouter(prefix="/plans", tags=["plans"], responses=PROBLEM_RESPONSES)

PLAN_EXAMPLE = {
    "dates": ["2026-11-23"],
    "routes": [
        {
            "technician_id": "T01",
            "date": "2026-11-23",
            "stops": [
                {"type": "start", "lat": 39.664341, "lon": 20.850914, "depart": "2026-11-23T08:00"},
                {
                    "type": "visit",
                    "school_id": "S0001",
                    "ticket_ids": ["K0001"],
                    "lat": 39.667036,
                    "lon": 20.8528,
                    "arrive": "2026-11-23T08:02",
                    "start": "2026-11-23T08:12",
                    "end": "2026-11-23T09:12",
                },
                {"type": "end", "lat": 39.664341, "lon": 20.850914, "arrive": "2026-11-23T09:15"},
            ],
            "distance_km": 0.8,
            "travel_minutes": 3,
            "cost_eur": 0.12,
        }
    ],
    "unassigned": [],
    "remote": [],
    "vendor": [],
    "kpis": {"tickets": 1, "visited": 1, "distance_km": 0.8, "cost_eur": 0.12},
}


def sees_plan(session: SessionDep, principal: Principal, row: PlanRow) -> bool:
    """A caller sees a plan of its Directorates; a partner also every plan naming one of its technicians
    (whatever Directorates it spans: the others' routes are left out and masked)."""
    if principal.sees_directorates(row.directorates or []):
        return True
    if principal.role != "partner":
        return False
    own = principal.visible_technicians(session) or frozenset()
    return bool(own & {str(t) for t in row.technician_ids or []})


def get_plan_row(session: SessionDep, principal: Principal, plan_id: str) -> PlanRow:
    row = session.get(PlanRow, plan_id)
    if row is None or not sees_plan(session, principal, row):
        raise not_found("plan", plan_id)
    return row


def plan_scope(
    session: SessionDep, principal: Principal, row: PlanRow
) -> tuple[frozenset[str] | None, frozenset[str]]:
    """(technicians the caller sees or None, ids to mask): every technician the plan names counts."""
    return principal.technician_scope(session, plan_technician_ids(row))


def _job(row: PlanRow, principal: Principal, hidden: frozenset[str] = frozenset()) -> PlanJobOut:
    """The job as the caller may see it; its message masks every technician of the plan it does not see."""
    session = object_session(row)
    if row.message and not principal.reads_all and session is not None:
        hidden = hidden | plan_scope(session, principal, row)[1]
    return plan_job(row, hide_costs=principal.role == "partner", hidden=hidden)


def _links(plan_id: str) -> dict[str, str]:
    return {"Location": f"/plans/{plan_id}/job"}


def solved_plan(row: PlanRow) -> Plan:
    if row.result is None:
        raise ApiError(409, f"plan '{row.plan_id}' has no plan yet (status {row.status})")
    return Plan.from_dict(row.result)


def solved_problem(row: PlanRow) -> Problem:
    """The problem solved: the snapshot without the ticket rows its job left out (see api/snapshot.py)."""
    return read_snapshot(row.problem, source="plan").problem


def visible_plan(
    session: SessionDep, principal: Principal, row: PlanRow
) -> tuple[Plan, frozenset[str] | None]:
    """The plan restricted to the routes the caller may see, other technicians masked in its reasons."""
    visible, hidden = plan_scope(session, principal, row)
    seen = partner_tickets(principal, row, visible)
    return Plan.from_dict(plan_view(solved_plan(row).to_dict(), visible, hidden, seen)), visible


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Solve: answers 202 with the job at once; poll /plans/{plan_id}/job",
)
def create_plan(
    body: schemas.PlanRequest,
    session: SessionDep,
    principal: CurrentPrincipal,
    runner: RunnerDep,
    settings: SettingsDep,
    response: Response,
) -> PlanJobOut:
    principal.require("admin", "dispatcher", "planner")
    if body.time_limit_s > settings.max_time_limit_s:
        raise ApiError(
            422,
            f"time_limit_s may be at most {settings.max_time_limit_s:g}",
            errors=[("body.time_limit_s", f"at most {settings.max_time_limit_s:g}")],
        )
    directorates = plan_directorates(session, principal, body.directorates)
    problem, locks = build_problem(session, principal, body, directorates)
    days = plan_days(body.date, body.days, directorates, force=body.force)
    problem = leave_out_absent(session, problem, days)
    if body.preventive:
        problem = with_preventive(problem, days[0])
    row = new_plan_row(
        principal=principal,
        problem=problem,
        locks=locks,
        plan_date=days[0],
        days=body.days,
        horizon=body.horizon,
        time_limit_s=body.time_limit_s,
        seed=body.seed,
        directorates=directorates,
        # A planner's plans are always scenarios: they never drive the day's work.
        scenario=body.scenario or principal.role == "planner",
        label=body.label,
        parent_plan_id=None,
        when=now(),
    )
    session.add(row)
    session.commit()
    runner.submit(row.plan_id)
    response.headers.update(_links(row.plan_id))
    return _job(row, principal)


@router.get("", summary="Plans the caller sees, newest first")
def list_plans(
    session: SessionDep,
    principal: CurrentPrincipal,
    status: schemas.JobStatus | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    state: lifecycle.PlanState | None = None,
) -> list[PlanJobOut]:
    """A page of jobs, from the plan rows' columns only: as fast with ten thousand plans as with ten."""
    query = job_query().order_by(PlanRow.created_at.desc(), PlanRow.plan_id)
    if status is not None:
        query = query.where(PlanRow.status == status)
    if state is not None:
        query = query.where(PlanRow.state == state)
    if not principal.reads_all:
        outside = select(PlanDirectorateRow.plan_id).where(
            PlanDirectorateRow.plan_id == PlanRow.plan_id,
            PlanDirectorateRow.directorate.not_in(sorted(principal.directorates)),
        )
        within = ~exists(outside)
        if principal.role == "partner":
            # Plans naming one of its technicians, whatever Directorates they span (JSON text match).
            named = cast(PlanRow.technician_ids, Text)
            own = sorted(principal.visible_technicians(session) or ())
            within = or_(within, *(named.contains(json.dumps(t), autoescape=True) for t in own))
        query = query.where(within)
    rows = session.scalars(query.limit(limit).offset(offset)).all()
    return plan_jobs(session, principal, [r for r in rows if sees_plan(session, principal, r)])


@router.get(
    "/{plan_id}/job", summary="The job: status and progress (elapsed, best objective, tickets placed)"
)
def get_job(plan_id: str, session: SessionDep, principal: CurrentPrincipal) -> PlanJobOut:
    return plan_jobs(session, principal, [_job_row(session, principal, plan_id)])[0]


def _job_row(session: SessionDep, principal: Principal, plan_id: str) -> PlanRow:
    """The plan row with only its job columns loaded (jobs are polled often; documents are large)."""
    row = session.scalars(job_query().where(PlanRow.plan_id == plan_id)).one_or_none()
    if row is None or not sees_plan(session, principal, row):
        raise not_found("plan", plan_id)
    return row


@router.get(
    "/{plan_id}",
    summary="The plan (the contract's plan JSON); 202 with the job while there is none yet",
    responses={
        200: {"content": {"application/json": {"example": PLAN_EXAMPLE}}},
        202: {"model": PlanJobOut, "description": "still queued or solving"},
    },
)
def get_plan(plan_id: str, session: SessionDep, principal: CurrentPrincipal) -> Any:
    row = get_plan_row(session, principal, plan_id)
    visible, hidden = plan_scope(session, principal, row)
    if row.result is None:
        if row.status == "failed":
            raise ApiError(409, f"plan '{plan_id}' failed: {redact(row.message, hidden)}")
        return JSONResponse(
            _job(row, principal, hidden).model_dump(mode="json"),
            status_code=202,
            headers={**_links(plan_id), "Retry-After": "1"},
        )
    return plan_view(row.result, visible, hidden, partner_tickets(principal, row, visible))


@router.delete("/{plan_id}", summary="Stop solving: the best plan found so far is kept (status cancelled)")
def cancel_plan(plan_id: str, session: SessionDep, principal: CurrentPrincipal) -> PlanJobOut:
    principal.require("admin", "dispatcher", "planner")
    row = _job_row(session, principal, plan_id)
    if principal.role == "planner" and row.created_by != principal.name:
        raise forbidden("a planner may stop only its own plans")
    # In the database, not on the row read above: a worker may claim the job meanwhile.
    request_cancel(session, plan_id, when=now())
    session.commit()
    session.expire(row)
    return get_job(plan_id, session, principal)


@router.get("/{plan_id}/problem", summary="The problem the plan was solved for (contract JSON document)")
def get_plan_problem(plan_id: str, session: SessionDep, principal: CurrentPrincipal) -> dict[str, Any]:
    principal.require("admin", "planner", "dispatcher")
    row = get_plan_row(session, principal, plan_id)
    visible, hidden = plan_scope(session, principal, row)
    if visible is None:
        return dict(row.problem)
    bases = session.scalars(select(BaseRow.base_id).where(principal.base_filter()))
    return problem_view(dict(row.problem), visible, hidden, bases)


@router.get("/{plan_id}/check", summary="The independent checker's verdict on the plan")
def check_plan_route(plan_id: str, session: SessionDep, principal: CurrentPrincipal) -> schemas.CheckOut:
    principal.require("admin", "planner", "dispatcher")
    row = get_plan_row(session, principal, plan_id)
    solved_plan(row)
    visible, hidden = plan_scope(session, principal, row)
    violations = violations_view(list(row.check_violations or []), visible, hidden)
    return schemas.CheckOut(ok=bool(row.check_ok), violations=violations)


# --- lifecycle -------------------------------------------------------------------------------


class PublishRequest(Request):
    at: schemas.LocalDateTime | None = Field(
        default=None,
        description="when it was published (local time, e.g. the morning's briefing reported later): "
        "not in the future; kept in the version history and the tickets' history; now when absent",
        examples=["2026-11-23T07:30"],
    )


def _published_at(at: datetime | None) -> datetime:
    """When a plan is published: ``at`` as given (now by default), never in the future."""
    when = now()
    if at is None:
        return when
    at = at.replace(microsecond=0)
    if at > when + timedelta(minutes=1):
        raise ApiError(
            422,
            f"Η ώρα {at.isoformat()} είναι στο μέλλον. / at {at.isoformat()} is in the future "
            f"(now {when.isoformat()})",
            errors=[("body.at", "in the future")],
        )
    return min(at, when)


@router.post(
    "/{plan_id}/publish",
    summary="Publish the draft: the plan of its days in its Directorates (supersedes the one in force)",
)
def publish_plan(
    plan_id: str, session: SessionDep, principal: CurrentPrincipal, body: PublishRequest | None = None
) -> PlanJobOut:
    row = get_plan_row(session, principal, plan_id)
    lifecycle.publish(session, row, principal, when=_published_at(body.at if body else None))
    session.commit()
    return _job(row, principal)


@router.post("/{plan_id}/close", summary="Close the day of the published plan: no more reports or re-plans")
def close_plan(plan_id: str, session: SessionDep, principal: CurrentPrincipal) -> PlanJobOut:
    row = get_plan_row(session, principal, plan_id)
    lifecycle.close(session, row, principal, when=now())
    session.commit()
    return _job(row, principal)


@router.get(
    "/{plan_id}/versions",
    summary="The published versions of the plan's day: who published each, when, and what changed",
)
def list_versions(plan_id: str, session: SessionDep, principal: CurrentPrincipal) -> list[PlanVersion]:
    row = get_plan_row(session, principal, plan_id)
    _, hidden = plan_scope(session, principal, row)
    out = []
    for version in lifecycle.versions(session, row):
        other = session.get(PlanRow, version.plan_id)
        if other is None or not sees_plan(session, principal, other):
            continue
        visible, _ = plan_scope(session, principal, other)
        shown = [c for c in version.changes if visible is None or c.technician_id in visible]
        out.append(version.model_copy(update={"changes": shown, "label": redact(version.label, hidden)}))
    return out


# --- exports ---------------------------------------------------------------------------------


@router.get(
    "/{plan_id}/plan.csv",
    summary="The plan as CSV: one row per stop, then the tickets not visited",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def export_csv(
    plan_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    excel: Annotated[
        Literal["el"] | None,
        Query(description="el: for Greek Excel (UTF-8 with a BOM, ';' between columns, decimal comma)"),
    ] = None,
) -> Response:
    row = get_plan_row(session, principal, plan_id)
    plan, _ = visible_plan(session, principal, row)
    return Response(
        exports.plan_csv(plan, solved_problem(row), excel),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.csv"'},
    )


@router.get(
    "/{plan_id}/plan.geojson",
    summary="The plan as GeoJSON: routes as LineStrings, visits and unassigned tickets as Points",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {}}}},
)
def export_geojson(plan_id: str, session: SessionDep, principal: CurrentPrincipal) -> Response:
    import json

    row = get_plan_row(session, principal, plan_id)
    plan, _ = visible_plan(session, principal, row)
    body = json.dumps(exports.plan_geojson(plan, solved_problem(row)), ensure_ascii=False)
    return Response(body, media_type="application/geo+json")


def _technician_in_plan(session: SessionDep, principal: Principal, row: PlanRow, technician_id: str) -> Plan:
    plan, visible = visible_plan(session, principal, row)
    if visible is not None and technician_id not in visible:
        raise not_found("technician", technician_id)
    if all(r.technician_id != technician_id for r in solved_plan(row).routes):
        raise not_found("route of technician", technician_id)
    return plan


@router.get(
    "/{plan_id}/routes/{technician_id}.ics",
    summary="One technician's visits as an iCalendar file (one event per visit)",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def export_calendar(
    plan_id: str, technician_id: str, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    row = get_plan_row(session, principal, plan_id)
    plan = _technician_in_plan(session, principal, row, technician_id)
    body = calendar_feed.technician_calendar(plan, solved_problem(row), technician_id, plan_id)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{technician_id}-{row.plan_date}.ics"'},
    )


@router.get(
    "/{plan_id}/routes/{technician_id}.html",
    summary="A printable route sheet for one technician (Greek)",
    response_class=HTMLResponse,
)
def export_sheet(
    plan_id: str, technician_id: str, session: SessionDep, principal: CurrentPrincipal
) -> HTMLResponse:
    row = get_plan_row(session, principal, plan_id)
    plan = _technician_in_plan(session, principal, row, technician_id)
    return HTMLResponse(exports.route_sheet_html(plan, solved_problem(row), technician_id))
