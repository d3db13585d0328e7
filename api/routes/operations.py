"""The day's work: visits started, done or not solved, and urgent tickets inserted into today's plan."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Response, status
from sqlalchemy import select

from dromologio.models.calendar import today as calendar_today

from .. import convert, schemas
from ..auth import Principal, redact
from ..deps import CurrentPrincipal, RunnerDep, SessionDep, SettingsDep
from ..errors import PROBLEM_RESPONSES, ApiError, not_found
from ..lifecycle import publish, refuse_unless_live, require_runner
from ..planning import (
    UrgentReplan,
    UrgentReplanRequest,
    live_state,
    new_plan_row,
    plan_job,
    replan_now,
    replan_problem,
    urgent_reply,
)
from ..tables import PlanRow, PlanVisitRow, SchoolRow, TicketEventRow, TicketRow
from .absences import leave_out_absent, plan_days
from .common import now, validated
from .plans import get_plan_row, plan_scope
from .tickets import create_ticket_row, next_urgent_id

router = APIRouter(prefix="/plans/{plan_id}", tags=["operations"], responses=PROBLEM_RESPONSES)

#: how far ahead of the server's clock a reported time may be (clocks differ a little).
CLOCK_GRACE = timedelta(minutes=1)

#: allowed moves of a visit's state.
MOVES = {
    "start": ({"planned"}, "started"),
    "done": ({"planned", "started"}, "done"),
    "not-solved": ({"planned", "started"}, "not_solved"),
}


def _live_plan(session: SessionDep, principal: Principal, plan_id: str) -> PlanRow:
    """A plan the day's work runs on: not a scenario, solved, neither superseded nor closed."""
    principal.require("admin", "dispatcher")
    row = get_plan_row(session, principal, plan_id)
    if row.scenario:
        raise ApiError(409, f"plan '{plan_id}' is a scenario: the day's work is not run on it")
    if row.result is None:
        raise ApiError(409, f"plan '{plan_id}' has no plan yet (status {row.status})")
    require_runner(principal, row, "run the day")
    refuse_unless_live(row)
    return row


@router.get("/visits", summary="Each visited ticket of the plan and what happened to it")
def list_visits(plan_id: str, session: SessionDep, principal: CurrentPrincipal) -> list[schemas.VisitPublic]:
    visible, hidden = plan_scope(session, principal, get_plan_row(session, principal, plan_id))
    rows = session.scalars(
        select(PlanVisitRow).where(PlanVisitRow.plan_id == plan_id).order_by(PlanVisitRow.ticket_id)
    )
    return [_visit(r, hidden) for r in rows if visible is None or r.technician_id in visible]


def _visit(row: PlanVisitRow, hidden: frozenset[str]) -> schemas.VisitPublic:
    visit = schemas.VisitPublic.model_validate(row)
    return visit.model_copy(update={"note": redact(visit.note, hidden)}) if hidden else visit


def _move(
    plan_id: str,
    ticket_id: str,
    move: str,
    body: schemas.VisitReport,
    session: SessionDep,
    principal: Principal,
) -> schemas.VisitPublic:
    plan = _live_plan(session, principal, plan_id)
    visible, hidden = plan_scope(session, principal, plan)
    visit = session.get(PlanVisitRow, (plan_id, ticket_id))
    if visit is None or (visible is not None and visit.technician_id not in visible):
        # A visit of a technician the caller does not see is not listed, so not found either.
        raise not_found("visit of ticket", ticket_id)
    allowed, target = MOVES[move]
    if visit.state not in allowed:
        raise ApiError(409, f"ticket '{ticket_id}' is {visit.state}; it cannot become {target}")
    when = now()
    at = _reported_at(body.at, when, date.fromisoformat(plan.plan_date), visit)
    reporter = body.reported_by or principal.name
    visit.state = target
    visit.updated_at = at
    visit.note = body.note
    ticket = session.get(TicketRow, ticket_id)
    if ticket is not None:
        if target == "done":
            ticket.status = "done"
        elif target == "not_solved":
            # Back to the queue: the next plan takes it again, with this visit in its history.
            ticket.status = "open"
        ticket.updated_at = when
        session.add(
            TicketEventRow(
                ticket_id=ticket_id,
                at=at,
                kind=target,
                plan_id=plan_id,
                technician_id=visit.technician_id,
                note=f"{body.note} (by {reporter})" if body.note else f"by {reporter}",
            )
        )
    session.commit()
    return _visit(visit, hidden)


def _reported_at(at: datetime | None, when: datetime, plan_day: date, visit: PlanVisitRow) -> datetime:
    """When a visit event happened: ``at`` as reported (now by default), checked.

    Not in the future, not before the plan's day, and not before the visit was started.
    """
    if at is None:
        return when
    at = at.replace(microsecond=0)
    if at > when + CLOCK_GRACE:
        raise ApiError(
            422,
            f"at {at.isoformat()} is in the future (now {when.isoformat()})",
            errors=[("body.at", "in the future")],
        )
    if at < datetime.combine(plan_day, time()):
        raise ApiError(
            422,
            f"at {at.isoformat()} is before the plan's day {plan_day.isoformat()}",
            errors=[("body.at", "before the plan's day")],
        )
    if visit.state == "started" and visit.updated_at is not None and at < visit.updated_at:
        raise ApiError(
            422,
            f"at {at.isoformat()} is before the visit was started ({visit.updated_at.isoformat()})",
            errors=[("body.at", "before the start")],
        )
    return min(at, when)


@router.post("/visits/{ticket_id}/start", summary="The technician started work on the ticket")
def start_visit(
    plan_id: str,
    ticket_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: schemas.VisitReport | None = None,
) -> schemas.VisitPublic:
    return _move(plan_id, ticket_id, "start", body or schemas.VisitReport(), session, principal)


@router.post("/visits/{ticket_id}/done", summary="The ticket was solved on site")
def finish_visit(
    plan_id: str,
    ticket_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: schemas.VisitReport | None = None,
) -> schemas.VisitPublic:
    return _move(plan_id, ticket_id, "done", body or schemas.VisitReport(), session, principal)


@router.post(
    "/visits/{ticket_id}/not-solved", summary="Visited but not solved: the ticket goes back to the queue"
)
def visit_not_solved(
    plan_id: str,
    ticket_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: schemas.VisitReport | None = None,
) -> schemas.VisitPublic:
    return _move(plan_id, ticket_id, "not-solved", body or schemas.VisitReport(), session, principal)


@router.post(
    "/urgent",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Insert an urgent ticket into the plan: re-plans the day from now, keeping done and started visits",
)
def insert_urgent(
    plan_id: str,
    body: UrgentReplanRequest,
    session: SessionDep,
    principal: CurrentPrincipal,
    runner: RunnerDep,
    settings: SettingsDep,
    response: Response,
) -> UrgentReplan:
    parent = _live_plan(session, principal, plan_id)
    if body.time_limit_s > settings.max_time_limit_s:
        raise ApiError(
            422,
            f"time_limit_s may be at most {settings.max_time_limit_s:g}",
            errors=[("body.time_limit_s", "too long")],
        )
    # "Now" is the service's today (DROMOLOGIO_TODAY when set) at the clock's time.
    at = (body.now or datetime.combine(calendar_today(), now().time())).replace(microsecond=0)
    last_day = date.fromisoformat(max((parent.result or {}).get("dates") or [parent.plan_date]))
    if at.date() > last_day:
        raise ApiError(
            409,
            f"Το πλάνο '{plan_id}' αφορά μέρες που πέρασαν ({parent.plan_date}): σχεδιάστε νέα μέρα. / "
            f"plan '{plan_id}' is for days already over ({parent.plan_date}): plan a new day instead",
        )
    ticket_body = _urgent_ticket(session, body.ticket, now())
    school = session.get(SchoolRow, ticket_body.school_id)
    if school is None or school.directorate not in (parent.directorates or []):
        raise ApiError(
            422,
            f"school '{ticket_body.school_id}' is not in the Directorates of plan '{plan_id}'",
            errors=[("body.ticket.school_id", "outside the plan")],
        )
    create_ticket_row(session, principal, ticket_body, "urgent")
    urgent = validated(lambda: convert.ticket_from_create(ticket_body), prefix="body.ticket")
    problem, locks, notes = replan_problem(session, parent, urgent)
    days = plan_days(date.fromisoformat(parent.plan_date), parent.days, parent.directorates or [], force=True)
    problem = leave_out_absent(session, problem, days)
    row = new_plan_row(
        principal=principal,
        problem=problem,
        locks=locks,
        plan_date=date.fromisoformat(parent.plan_date),
        days=parent.days,
        horizon=parent.horizon,
        time_limit_s=body.time_limit_s,
        seed=body.seed,
        directorates=list(parent.directorates or []),
        scenario=False,
        label=f"{parent.label or parent.plan_date} + {urgent.ticket_id}",
        parent_plan_id=parent.plan_id,
        when=now(),
    )
    row.message = "; ".join(notes)
    if body.pinned_technicians and parent.days > 1:
        raise ApiError(
            422,
            "routes are pinned on one-day plans only",
            errors=[("body.pinned_technicians", "the plan covers more than one day")],
        )
    live = live_state(
        session, parent, problem, at, freeze_until=body.freeze_until, pinned=body.pinned_technicians
    )
    # Re-planned from now, within the request's time limit: the answer is the plan, done.
    moved = replan_now(session, row, parent, problem, live)
    if parent.state == "published" and row.check_ok:
        # The re-plan of the day's published plan is its next version, in force at once
        # (one the checker faults stays a draft, and the published plan stays in force).
        publish(session, row, principal, when=now(), moved=moved)
    session.commit()
    response.headers["Location"] = f"/plans/{row.plan_id}/job"
    # The notes name the technicians of started visits: mask those the caller does not see.
    return urgent_reply(plan_job(row, hidden=plan_scope(session, principal, row)[1]), at, moved)


def _urgent_ticket(session: SessionDep, ticket: schemas.UrgentTicket, when: datetime) -> schemas.TicketCreate:
    """The ticket of an urgent insertion: its id generated when absent (``U-YYYYMMDD-NNN``), opened now
    when not said, and the helpdesk's number kept as the extra column ``helpdesk_ref``."""
    extra = dict(ticket.extra)
    if ticket.helpdesk_ref is not None:
        extra["helpdesk_ref"] = ticket.helpdesk_ref
    values = ticket.model_dump(exclude={"ticket_id", "opened_at", "helpdesk_ref", "extra"})
    return schemas.TicketCreate(
        ticket_id=ticket.ticket_id or next_urgent_id(session, when.date()),
        opened_at=ticket.opened_at or when,
        extra=extra,
        **values,
    )
