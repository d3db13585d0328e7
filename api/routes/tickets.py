"""Tickets: the queue of work, each with its history; locks to one technician."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter, status
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from .. import convert, schemas
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep
from ..entity import EntityAnswer
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden
from ..schemas import TICKET_MODELS
from ..specs import TICKET
from ..tables import SchoolRow, TechnicianRow, TicketEventRow, TicketRow
from .common import now
from .resource import Filter, Resource, Route, add_routes, checked_values, fetch, id_taken, merged_body
from .schools import event_public, get_school, writable_school

router = APIRouter(prefix="/tickets", tags=["tickets"], responses=PROBLEM_RESPONSES)


def _visible(principal: Principal) -> ColumnElement[bool]:
    """Tickets of the schools the caller sees (SQL)."""
    return TicketRow.school_id.in_(select(SchoolRow.school_id).where(principal.school_filter()))


def _answers(session: Session, principal: Principal) -> Callable[[TicketRow], EntityAnswer]:
    visible = principal.visible_technicians(session)
    return lambda row: convert.ticket_public(row, visible_technicians=visible)


TICKETS = Resource(
    spec=TICKET,
    models=TICKET_MODELS,
    row=TicketRow,
    what="ticket",
    writers=("admin", "dispatcher"),
    visible=_visible,
    order_by=(TicketRow.ticket_id,),
    filters=(
        Filter("status", schemas.TicketStatus, lambda value: TicketRow.status == value),
        Filter("school_id", str, lambda value: TicketRow.school_id == value),
        Filter("priority", schemas.Priority, lambda value: TicketRow.priority == value),
    ),
    # Reading one ticket shows its history; changing one records it; deleting closes it.
    routes={"list": Route("list_tickets", "Tickets the caller sees")},
    answers=_answers,
)
add_routes(router, TICKETS)


def get_ticket(session: Session, principal: Principal, ticket_id: str) -> tuple[TicketRow, SchoolRow]:
    row: TicketRow = fetch(TICKETS, session, principal, ticket_id)
    school = session.get(SchoolRow, row.school_id)
    assert school is not None, "a ticket's school is kept while it has tickets"
    return row, school


def _check_write(principal: Principal, school: SchoolRow) -> None:
    if not principal.may_write_directorate(school.directorate):
        raise forbidden(f"this key may not change tickets of '{school.directorate}'")


def _writable_ticket(session: Session, principal: Principal, ticket_id: str) -> TicketRow:
    """A ticket the caller may change: 404 out of its scope, 403 outside the Directorates it writes."""
    principal.require(*TICKETS.writers)
    row, school = get_ticket(session, principal, ticket_id)
    _check_write(principal, school)
    return row


def _record(
    session: Session, principal: Principal, row: TicketRow, kind: str, technician_id: str | None = None
) -> None:
    """A change of the ticket, now, in its history (by the caller's key)."""
    row.updated_at = now()
    event = TicketEventRow(
        ticket_id=row.ticket_id,
        at=row.updated_at,
        kind=kind,
        technician_id=technician_id,
        note=f"by {principal.name}",
    )
    session.add(event)


def create_ticket_row(
    session: SessionDep, principal: Principal, body: schemas.TicketCreate, kind: str
) -> TicketRow:
    """Validate and add a ticket (and its first history event); the caller commits."""
    school = get_school(session, principal, body.school_id)
    _check_write(principal, school)
    if session.get(TicketRow, body.ticket_id) is not None:
        raise id_taken("ticket", "ticket_id", body.ticket_id, principal)
    when = now()
    row = TicketRow(**checked_values(TICKET, body), status="open", updated_at=when)
    session.add(row)
    session.flush()
    session.add(TicketEventRow(ticket_id=row.ticket_id, at=when, kind=kind, note=f"by {principal.name}"))
    return row


def next_urgent_id(session: SessionDep, day: date) -> str:
    """A new ticket id for an urgent ticket entered without one: ``U-YYYYMMDD-NNN``, the day's next number."""
    prefix = f"U-{day:%Y%m%d}-"
    taken = session.scalars(select(TicketRow.ticket_id).where(TicketRow.ticket_id.startswith(prefix)))
    numbers = [int(t[len(prefix) :]) for t in taken if t[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@router.get("/{ticket_id}", summary="One ticket with its history")
def get_ticket_route(
    ticket_id: str, session: SessionDep, principal: CurrentPrincipal
) -> schemas.TicketWithHistory:
    row, _ = get_ticket(session, principal, ticket_id)
    visible = principal.visible_technicians(session)
    hidden = principal.hidden_technicians(session)
    events = session.scalars(
        select(TicketEventRow)
        .where(TicketEventRow.ticket_id == ticket_id)
        .order_by(TicketEventRow.at, TicketEventRow.event_id)
    )
    return schemas.TicketWithHistory(
        **convert.ticket_public(row, visible_technicians=visible).model_dump(),
        history=[event_public(e, visible, hidden) for e in events],
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Add a ticket to the queue")
def create_ticket(
    body: schemas.TicketCreate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.TicketPublic:
    principal.require("admin", "dispatcher")
    row = create_ticket_row(session, principal, body, "created")
    session.commit()
    return convert.ticket_public(row, visible_technicians=principal.visible_technicians(session))


@router.patch("/{ticket_id}", summary="Change a ticket (its history records the change)")
def update_ticket(
    ticket_id: str, body: schemas.TicketUpdate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.TicketPublic:
    row = _writable_ticket(session, principal, ticket_id)
    new_status = body.status
    merged = merged_body(TICKETS, row, body)
    if merged.school_id != row.school_id:
        writable_school(session, principal, merged.school_id, missing=404)
    values = checked_values(TICKET, merged)
    when = now()
    changed = [k for k, v in values.items() if getattr(row, k) != v]
    for name in changed:
        setattr(row, name, values[name])
    if new_status is not None and new_status != row.status:
        changed.append(f"status {row.status} → {new_status}")
        row.status = new_status
    if changed:
        row.updated_at = when
        session.add(
            TicketEventRow(
                ticket_id=ticket_id, at=when, kind="updated", note=f"{', '.join(changed)} by {principal.name}"
            )
        )
    session.commit()
    return convert.ticket_public(row, visible_technicians=principal.visible_technicians(session))


@router.delete(
    "/{ticket_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Close a ticket (its history is kept)"
)
def close_ticket(ticket_id: str, session: SessionDep, principal: CurrentPrincipal) -> None:
    row = _writable_ticket(session, principal, ticket_id)
    if row.status != "closed":
        row.status = "closed"
        _record(session, principal, row, "closed")
    session.commit()


@router.put("/{ticket_id}/lock", summary="Lock a ticket to one technician (every plan honours it)")
def lock_ticket(
    ticket_id: str, body: schemas.LockRequest, session: SessionDep, principal: CurrentPrincipal
) -> schemas.TicketPublic:
    row = _writable_ticket(session, principal, ticket_id)
    technician = session.scalar(
        select(TechnicianRow).where(
            TechnicianRow.technician_id == body.technician_id, principal.technician_filter()
        )
    )
    if technician is None:
        raise ApiError(
            404, f"no technician '{body.technician_id}'", errors=[("body.technician_id", "not known")]
        )
    if row.skill not in technician.skills:
        raise ApiError(
            422,
            f"technician '{technician.technician_id}' lacks skill {row.skill} that ticket '{ticket_id}' needs",
            errors=[("body.technician_id", f"lacks skill {row.skill}")],
        )
    row.locked_technician_id = technician.technician_id
    _record(session, principal, row, "locked", technician.technician_id)
    session.commit()
    return convert.ticket_public(row, visible_technicians=principal.visible_technicians(session))


@router.delete("/{ticket_id}/lock", summary="Unlock a ticket")
def unlock_ticket(ticket_id: str, session: SessionDep, principal: CurrentPrincipal) -> schemas.TicketPublic:
    row = _writable_ticket(session, principal, ticket_id)
    if row.locked_technician_id is not None:
        _record(session, principal, row, "unlocked", row.locked_technician_id)
        row.locked_technician_id = None
    session.commit()
    return convert.ticket_public(row, visible_technicians=principal.visible_technicians(session))
