"""Tickets: the queue of work, each with its history; locks to one technician."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, status
from sqlalchemy import select

from .. import convert, schemas
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden, not_found
from ..tables import SchoolRow, TechnicianRow, TicketEventRow, TicketRow
from .common import Limit, Offset, now, validated
from .schools import event_public, get_school, id_taken

router = APIRouter(prefix="/tickets", tags=["tickets"], responses=PROBLEM_RESPONSES)


def get_ticket(session: SessionDep, principal: Principal, ticket_id: str) -> tuple[TicketRow, SchoolRow]:
    row = session.get(TicketRow, ticket_id)
    school = None if row is None else session.get(SchoolRow, row.school_id)
    if row is None or school is None or not principal.sees_directorate(school.directorate):
        raise not_found("ticket", ticket_id)
    return row, school


def _check_write(principal: Principal, school: SchoolRow) -> None:
    if not principal.may_write_directorate(school.directorate):
        raise forbidden(f"this key may not change tickets of '{school.directorate}'")


def _target_school(session: SessionDep, principal: Principal, school_id: str) -> SchoolRow:
    """The school a ticket is moved to: one the caller may change tickets of.

    Any other answers 403 "not available" whether it exists or not (an admin is told it does not).
    """
    school = session.get(SchoolRow, school_id)
    if school is None and principal.role == "admin":
        raise ApiError(404, f"no school '{school_id}'", errors=[("body.school_id", "not known")])
    if school is None or not principal.may_write_directorate(school.directorate):
        raise ApiError(
            403,
            f"school '{school_id}' is not available to this key: use a school of its Directorates",
            errors=[("body.school_id", "not available")],
        )
    return school


def create_ticket_row(
    session: SessionDep, principal: Principal, body: schemas.TicketCreate, kind: str
) -> TicketRow:
    """Validate and add a ticket (and its first history event); the caller commits."""
    school = get_school(session, principal, body.school_id)
    _check_write(principal, school)
    if session.get(TicketRow, body.ticket_id) is not None:
        raise id_taken("ticket", "ticket_id", body.ticket_id, principal)
    ticket = validated(lambda: convert.ticket_from_create(body))
    when = now()
    row = TicketRow(
        ticket_id=ticket.ticket_id, **convert.ticket_values(ticket), status="open", updated_at=when
    )
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


@router.get("", summary="Tickets the caller sees")
def list_tickets(
    session: SessionDep,
    principal: CurrentPrincipal,
    status: schemas.TicketStatus | None = None,
    school_id: str | None = None,
    priority: schemas.Priority | None = None,
    limit: Limit = 1000,
    offset: Offset = 0,
) -> list[schemas.TicketPublic]:
    query = (
        select(TicketRow)
        .join(SchoolRow, SchoolRow.school_id == TicketRow.school_id)
        .where(principal.school_filter())
    )
    if status is not None:
        query = query.where(TicketRow.status == status)
    if school_id is not None:
        query = query.where(TicketRow.school_id == school_id)
    if priority is not None:
        query = query.where(TicketRow.priority == priority)
    visible = principal.visible_technicians(session)
    rows = session.scalars(query.order_by(TicketRow.ticket_id).limit(limit).offset(offset))
    return [convert.ticket_public(r, visible_technicians=visible) for r in rows]


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
    principal.require("admin", "dispatcher")
    row, school = get_ticket(session, principal, ticket_id)
    _check_write(principal, school)
    changes = body.model_dump(exclude_unset=True)
    new_status = changes.pop("status", None)
    merged = convert.ticket_create_of(row).model_copy(update=changes)
    merged = validated(lambda: schemas.TicketCreate.model_validate(merged.model_dump()))
    if merged.school_id != row.school_id:
        _target_school(session, principal, merged.school_id)
    ticket = validated(lambda: convert.ticket_from_create(merged))
    when = now()
    changed = [k for k, v in convert.ticket_values(ticket).items() if getattr(row, k) != v]
    for name in changed:
        setattr(row, name, convert.ticket_values(ticket)[name])
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
    principal.require("admin", "dispatcher")
    row, school = get_ticket(session, principal, ticket_id)
    _check_write(principal, school)
    if row.status != "closed":
        row.status = "closed"
        row.updated_at = now()
        session.add(
            TicketEventRow(ticket_id=ticket_id, at=row.updated_at, kind="closed", note=f"by {principal.name}")
        )
    session.commit()


@router.put("/{ticket_id}/lock", summary="Lock a ticket to one technician (every plan honours it)")
def lock_ticket(
    ticket_id: str, body: schemas.LockRequest, session: SessionDep, principal: CurrentPrincipal
) -> schemas.TicketPublic:
    principal.require("admin", "dispatcher")
    row, school = get_ticket(session, principal, ticket_id)
    _check_write(principal, school)
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
    row.updated_at = now()
    session.add(
        TicketEventRow(
            ticket_id=ticket_id,
            at=row.updated_at,
            kind="locked",
            technician_id=technician.technician_id,
            note=f"by {principal.name}",
        )
    )
    session.commit()
    return convert.ticket_public(row, visible_technicians=principal.visible_technicians(session))


@router.delete("/{ticket_id}/lock", summary="Unlock a ticket")
def unlock_ticket(ticket_id: str, session: SessionDep, principal: CurrentPrincipal) -> schemas.TicketPublic:
    principal.require("admin", "dispatcher")
    row, school = get_ticket(session, principal, ticket_id)
    _check_write(principal, school)
    if row.locked_technician_id is not None:
        row.updated_at = now()
        session.add(
            TicketEventRow(
                ticket_id=ticket_id,
                at=row.updated_at,
                kind="unlocked",
                technician_id=row.locked_technician_id,
                note=f"by {principal.name}",
            )
        )
        row.locked_technician_id = None
    session.commit()
    return convert.ticket_public(row, visible_technicians=principal.visible_technicians(session))
