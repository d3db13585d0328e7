"""Schools, and each school's history (tickets, recurring faults, the lab's age)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from fastapi import APIRouter, status
from sqlalchemy import func, select

from .. import convert, schemas
from ..auth import Principal, redact
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden, not_found
from ..tables import RegionRow, SchoolRow, TicketEventRow, TicketRow
from .common import Limit, Offset, validated

router = APIRouter(prefix="/schools", tags=["schools"], responses=PROBLEM_RESPONSES)

#: a lab at least this old gets a note that its equipment may be due for renewal.
OLD_LAB_YEARS = 8


def get_school(session: SessionDep, principal: Principal, school_id: str) -> SchoolRow:
    row = session.get(SchoolRow, school_id)
    if row is None or not principal.sees_directorate(row.directorate):
        raise not_found("school", school_id)
    return row


def ensure_region(session: SessionDep, directorate: str) -> None:
    if session.scalar(select(RegionRow).where(RegionRow.name == directorate)) is None:
        region_id = convert.slug(directorate)
        if session.get(RegionRow, region_id) is not None:
            region_id = f"{region_id[:55]}-{len(directorate)}"
        session.add(RegionRow(region_id=region_id, name=directorate, area=""))


def _check_write(principal: Principal, directorate: str) -> None:
    if not principal.may_write_directorate(directorate):
        raise forbidden(f"this key may not change schools of '{directorate}'")


def id_taken(what: str, column: str, ident: str, principal: Principal) -> ApiError:
    """409 for an id in use.

    Only an admin is told that a row holds it: any other key gets the same answer
    whether that row is its own or lies outside its scope.
    """
    if principal.role == "admin":
        return ApiError(409, f"{what} '{ident}' exists", errors=[(f"body.{column}", "taken")])
    return ApiError(
        409,
        f"{column} '{ident}' is not available: choose another id",
        errors=[(f"body.{column}", "not available")],
    )


@router.get("", summary="Schools the caller sees")
def list_schools(
    session: SessionDep,
    principal: CurrentPrincipal,
    directorate: str | None = None,
    island: str | None = None,
    limit: Limit = 1000,
    offset: Offset = 0,
) -> list[schemas.SchoolPublic]:
    query = select(SchoolRow).where(principal.school_filter())
    if directorate is not None:
        query = query.where(SchoolRow.directorate == directorate)
    if island is not None:
        query = query.where(SchoolRow.island == island)
    rows = session.scalars(query.order_by(SchoolRow.school_id).limit(limit).offset(offset))
    return [convert.school_public(r) for r in rows]


@router.get("/{school_id}", summary="One school")
def get_school_route(
    school_id: str, session: SessionDep, principal: CurrentPrincipal
) -> schemas.SchoolPublic:
    return convert.school_public(get_school(session, principal, school_id))


@router.post("", status_code=status.HTTP_201_CREATED, summary="Add a school")
def create_school(
    body: schemas.SchoolCreate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.SchoolPublic:
    principal.require("admin", "dispatcher")
    _check_write(principal, body.directorate)
    if session.get(SchoolRow, body.school_id) is not None:
        raise id_taken("school", "school_id", body.school_id, principal)
    school = validated(lambda: convert.school_from_create(body))
    ensure_region(session, school.directorate)
    row = SchoolRow(
        school_id=school.school_id,
        **convert.school_values(school),
        lab_installed=body.lab_installed,
        notes=body.notes,
    )
    session.add(row)
    session.commit()
    return convert.school_public(row)


@router.patch("/{school_id}", summary="Change a school")
def update_school(
    school_id: str, body: schemas.SchoolUpdate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.SchoolPublic:
    principal.require("admin", "dispatcher")
    row = get_school(session, principal, school_id)
    _check_write(principal, row.directorate)
    merged = convert.school_create_of(row).model_copy(update=body.model_dump(exclude_unset=True))
    merged = validated(lambda: schemas.SchoolCreate.model_validate(merged.model_dump()))
    _check_write(principal, merged.directorate)
    school = validated(lambda: convert.school_from_create(merged))
    ensure_region(session, school.directorate)
    for name, value in convert.school_values(school).items():
        setattr(row, name, value)
    row.lab_installed = merged.lab_installed
    row.notes = merged.notes
    session.commit()
    return convert.school_public(row)


@router.delete(
    "/{school_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove a school without tickets"
)
def delete_school(school_id: str, session: SessionDep, principal: CurrentPrincipal) -> None:
    principal.require("admin", "dispatcher")
    row = get_school(session, principal, school_id)
    _check_write(principal, row.directorate)
    count = session.scalar(
        select(func.count()).select_from(TicketRow).where(TicketRow.school_id == school_id)
    )
    if count:
        raise ApiError(409, f"school '{school_id}' has {count} ticket(s); its history is kept")
    session.delete(row)
    session.commit()


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
            last_opened_at=convert.instant(max(t.opened_at for t in items)),
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
