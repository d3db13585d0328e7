"""Schools, and each school's history (tickets, recurring faults, the lab's age)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import convert, schemas
from ..auth import Principal, redact
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden
from ..fieldtypes import instant
from ..schemas import SCHOOL_MODELS
from ..specs import SCHOOL
from ..tables import RegionRow, SchoolRow, TicketEventRow, TicketRow
from .resource import Filter, Resource, Route, Write, add_routes, count, fetch

router = APIRouter(prefix="/schools", tags=["schools"], responses=PROBLEM_RESPONSES)

#: a lab at least this old gets a note that its equipment may be due for renewal.
OLD_LAB_YEARS = 8


def get_school(session: Session, principal: Principal, school_id: str) -> SchoolRow:
    row: SchoolRow = fetch(SCHOOLS, session, principal, school_id)
    return row


def ensure_region(session: Session, directorate: str) -> None:
    if session.scalar(select(RegionRow).where(RegionRow.name == directorate)) is None:
        region_id = convert.slug(directorate)
        if session.get(RegionRow, region_id) is not None:
            region_id = f"{region_id[:55]}-{len(directorate)}"
        session.add(RegionRow(region_id=region_id, name=directorate, area=""))


def _check_write(principal: Principal, directorate: str) -> None:
    if not principal.may_write_directorate(directorate):
        raise forbidden(f"this key may not change schools of '{directorate}'")


def writable_school(session: Session, principal: Principal, school_id: str, *, missing: int) -> SchoolRow:
    """The school a body names: one whose Directorate the caller may change.

    Any other answers 403 "not available" whether it exists or not; an admin is told it
    does not exist (status ``missing``).
    """
    school = session.get(SchoolRow, school_id)
    if school is None and principal.role == "admin":
        raise ApiError(missing, f"no school '{school_id}'", errors=[("body.school_id", "not known")])
    if school is None or not principal.may_write_directorate(school.directorate):
        raise ApiError(
            403,
            f"school '{school_id}' is not available to this key: use a school of its Directorates",
            errors=[("body.school_id", "not available")],
        )
    return school


def _check_row(_: Session, principal: Principal, row: SchoolRow) -> None:
    _check_write(principal, row.directorate)


def _check_body(write: Write) -> Mapping[str, Any]:
    _check_write(write.principal, write.body.directorate)
    return {}


def _with_region(write: Write, values: Mapping[str, Any]) -> None:
    ensure_region(write.session, values["directorate"])


def _tickets(session: Session, row: SchoolRow) -> str | None:
    tickets = count(session, TicketRow.school_id, row.school_id)
    return f"school '{row.school_id}' has {tickets} ticket(s); its history is kept" if tickets else None


SCHOOLS = Resource(
    spec=SCHOOL,
    models=SCHOOL_MODELS,
    row=SchoolRow,
    what="school",
    writers=("admin", "dispatcher"),
    visible=lambda principal: principal.school_filter(),
    order_by=(SchoolRow.school_id,),
    filters=(
        Filter("directorate", str, lambda value: SchoolRow.directorate == value),
        Filter("island", str, lambda value: SchoolRow.island == value),
    ),
    routes={
        "list": Route("list_schools", "Schools the caller sees"),
        "get": Route("get_school_route", "One school"),
        "create": Route("create_school", "Add a school"),
        "update": Route("update_school", "Change a school"),
        "delete": Route("delete_school", "Remove a school without tickets"),
    },
    check_row=_check_row,
    prepare=_check_body,
    on_write=_with_region,
    in_use=_tickets,
)
add_routes(router, SCHOOLS)


def lab_note(installed: int | None, today: date) -> tuple[int | None, str | None]:
    if installed is None:
        return None, None
    age = max(0, today.year - installed)
    if age >= OLD_LAB_YEARS:
        return age, (
            f"Το εργαστήριο εγκαταστάθηκε το {installed} ({age} ετών): "
            "ο εξοπλισμός ίσως χρειάζεται ανανέωση / the lab may be due for renewal"
        )
    return age, f"Το εργαστήριο εγκαταστάθηκε το {installed} ({age} ετών)"


@router.get("/{school_id}/history", summary="Past tickets, recurring faults and lab age notes")
def school_history(school_id: str, session: SessionDep, principal: CurrentPrincipal) -> schemas.SchoolHistory:
    row = get_school(session, principal, school_id)
    visible = principal.visible_technicians(session)
    hidden = principal.hidden_technicians(session)
    tickets = list(
        session.scalars(
            select(TicketRow).where(TicketRow.school_id == school_id).order_by(TicketRow.opened_at.desc())
        )
    )
    events: dict[str, list[TicketEventRow]] = defaultdict(list)
    if tickets:
        for event in session.scalars(
            select(TicketEventRow)
            .where(TicketEventRow.ticket_id.in_([t.ticket_id for t in tickets]))
            .order_by(TicketEventRow.at, TicketEventRow.event_id)
        ):
            events[event.ticket_id].append(event)
    out = [
        schemas.TicketWithHistory(
            **convert.ticket_public(t, visible_technicians=visible).model_dump(),
            history=[event_public(e, visible, hidden) for e in events[t.ticket_id]],
        )
        for t in tickets
    ]
    groups: dict[tuple[str, str], list[TicketRow]] = defaultdict(list)
    for ticket in tickets:
        groups[(ticket.skill, ticket.category)].append(ticket)
    recurring = [
        schemas.RecurringFault(
            skill=skill,
            category=category,
            count=len(items),
            last_opened_at=instant(max(t.opened_at for t in items)),
        )
        for (skill, category), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        if len(items) > 1
    ]
    age, note = lab_note(row.lab_installed, date.today())
    return schemas.SchoolHistory(
        school=convert.school_public(row),
        tickets=out,
        recurring_faults=recurring,
        lab_age_years=age,
        lab_note=note,
    )


def event_public(
    event: TicketEventRow, visible: frozenset[str] | None, hidden: frozenset[str] = frozenset()
) -> schemas.TicketEventPublic:
    """An event as the caller may see it: technicians it does not see are taken out."""
    technician = event.technician_id
    if visible is not None and technician is not None and technician not in visible:
        technician = None
    return schemas.TicketEventPublic(
        at=event.at,
        kind=event.kind,
        plan_id=event.plan_id,
        technician_id=technician,
        note=redact(event.note, hidden),
    )
