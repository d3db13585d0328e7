"""Technician absences (leave, sick, training): an absent technician is left out of that day's plan.

Scope follows the technician: a dispatcher reads and writes the absences of the technicians
based in its Directorates, a partner those of its own technicians (on bases of its
Directorates), a planner reads them all; out of scope reads answer 404 and writes 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import date

from fastapi import APIRouter, status
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from dromologio.models import Problem
from dromologio.models.calendar import Absence, absent_on

from .. import schemas
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, not_found
from ..tables import AbsenceRow, BaseRow, TechnicianRow
from .common import Limit, Offset, now

router = APIRouter(prefix="/absences", tags=["availability"], responses=PROBLEM_RESPONSES)


def absence_public(row: AbsenceRow) -> schemas.AbsencePublic:
    return schemas.AbsencePublic.model_validate(
        {
            "absence_id": row.absence_id,
            "technician_id": row.technician_id,
            "from": row.first_day,
            "to": row.last_day,
            "kind": row.kind,
            "note": row.note,
            "created_by": row.created_by,
        }
    )


def _visible(principal: Principal) -> ColumnElement[bool]:
    """Absences of the technicians the caller sees (SQL)."""
    return AbsenceRow.technician_id.in_(
        select(TechnicianRow.technician_id).where(principal.technician_filter())
    )


def _get(session: Session, principal: Principal, absence_id: str) -> AbsenceRow:
    row = session.scalar(select(AbsenceRow).where(AbsenceRow.absence_id == absence_id, _visible(principal)))
    if row is None:
        raise not_found("absence", absence_id)
    return row


def _writable_technician(session: Session, principal: Principal, technician_id: str) -> TechnicianRow:
    """The technician of an absence the caller writes: one it may change; any other answers 403."""
    technician = session.scalar(
        select(TechnicianRow).where(
            TechnicianRow.technician_id == technician_id, principal.technician_filter()
        )
    )
    base = None if technician is None else session.get(BaseRow, technician.base_id)
    if technician is None and principal.role == "admin":
        raise ApiError(422, f"no technician '{technician_id}'", errors=[("body.technician_id", "not known")])
    if (
        technician is None
        or base is None
        or not principal.may_write_technician(technician.employer, base.directorate)
    ):
        raise ApiError(
            403,
            f"technician '{technician_id}' is not available to this key",
            errors=[("body.technician_id", "not available")],
        )
    return technician


def _days(first: date, last: date | None, field: str = "body.to") -> tuple[date, date]:
    last = last or first
    if last < first:
        raise ApiError(
            422,
            f"the absence ends ({last.isoformat()}) before it starts ({first.isoformat()})",
            errors=[(field, "before from")],
        )
    return first, last


@router.get("", summary="Absences of the technicians the caller sees")
def list_absences(
    session: SessionDep,
    principal: CurrentPrincipal,
    technician_id: str | None = None,
    on: schemas.Day | None = None,
    limit: Limit = 1000,
    offset: Offset = 0,
) -> list[schemas.AbsencePublic]:
    """``on``: only those covering that day."""
    query = select(AbsenceRow).where(_visible(principal))
    if technician_id is not None:
        query = query.where(AbsenceRow.technician_id == technician_id)
    if on is not None:
        query = query.where(AbsenceRow.first_day <= on, AbsenceRow.last_day >= on)
    query = query.order_by(AbsenceRow.first_day, AbsenceRow.technician_id, AbsenceRow.absence_id)
    return [absence_public(r) for r in session.scalars(query.limit(limit).offset(offset))]


@router.get("/{absence_id}", summary="One absence")
def get_absence(absence_id: str, session: SessionDep, principal: CurrentPrincipal) -> schemas.AbsencePublic:
    return absence_public(_get(session, principal, absence_id))


@router.post("", status_code=status.HTTP_201_CREATED, summary="Record an absence (leave, sick, training)")
def create_absence(
    body: schemas.AbsenceCreate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.AbsencePublic:
    principal.require("admin", "dispatcher", "partner")
    technician = _writable_technician(session, principal, body.technician_id)
    first, last = _days(body.from_, body.to)
    row = AbsenceRow(
        absence_id=uuid.uuid4().hex[:16],
        technician_id=technician.technician_id,
        first_day=first,
        last_day=last,
        kind=body.kind,
        note=body.note,
        created_at=now(),
        created_by=principal.name,
    )
    session.add(row)
    session.commit()
    return absence_public(row)


@router.patch("/{absence_id}", summary="Change an absence's days, kind or note")
def update_absence(
    absence_id: str, body: schemas.AbsenceUpdate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.AbsencePublic:
    principal.require("admin", "dispatcher", "partner")
    row = _get(session, principal, absence_id)
    _writable_technician(session, principal, row.technician_id)
    changes = body.model_dump(exclude_unset=True)
    first = changes.get("from_") or row.first_day
    last = changes.get("to") or row.last_day
    row.first_day, row.last_day = _days(first, last, "body.to" if "to" in changes else "body.from")
    if changes.get("kind") is not None:
        row.kind = changes["kind"]
    if changes.get("note") is not None:
        row.note = changes["note"]
    session.commit()
    return absence_public(row)


@router.delete("/{absence_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove an absence")
def delete_absence(absence_id: str, session: SessionDep, principal: CurrentPrincipal) -> None:
    principal.require("admin", "dispatcher", "partner")
    row = _get(session, principal, absence_id)
    _writable_technician(session, principal, row.technician_id)
    session.delete(row)
    session.commit()


# --- plans ------------------------------------------------------------------------------


def stored_absences(session: Session, technician_ids: Iterable[str], days: Sequence[date]) -> list[Absence]:
    """The stored absences of ``technician_ids`` that cover any of ``days``."""
    if not days:
        return []
    rows = session.scalars(
        select(AbsenceRow).where(
            AbsenceRow.technician_id.in_(sorted(set(technician_ids))),
            AbsenceRow.first_day <= max(days),
            AbsenceRow.last_day >= min(days),
        )
    )
    found = [Absence(r.technician_id, r.first_day, r.last_day, r.kind) for r in rows]
    return [a for a in found if any(a.covers(d) for d in days)]


def leave_out_absent(session: Session, problem: Problem, days: Sequence[date]) -> Problem:
    """The problem without the technicians away on any of ``days`` (stored or in its own absences).

    Days are solved one after another inside the solver, so a technician away on one day
    of a plan of several is left out of all of them.  Nothing else names the absence: the
    technician is simply not in the problem.
    """
    ids = [t.technician_id for t in problem.technicians]
    away = absent_on(stored_absences(session, ids, days), days) | absent_on(problem.absences, days)
    if not away:
        return problem
    return problem.replace(
        technicians=tuple(t for t in problem.technicians if t.technician_id not in away),
        absences=tuple(a for a in problem.absences if a.technician_id not in away),
    )


def plan_days(
    day: date | None, count: int, directorates: Collection[str], *, force: bool = False
) -> tuple[date, ...]:
    """The working days a plan of ``count`` days from ``day`` covers (the next working day by default).

    A day that is past or not a working day for the plan's Directorates (a weekend, a Greek
    public holiday, a school break) answers 422, Greek first then English, naming the day and
    the next working day, unless ``force``.
    """
    from dromologio.models.calendar import WorkCalendar, date_problem, today

    calendar = WorkCalendar()
    first = day or calendar.next_working_day(today(), directorates)
    refusal = date_problem(first, calendar, directorates, force_hint='"force": true')
    if refusal is not None and not force:
        raise ApiError(422, refusal, errors=[("body.date", refusal)])
    return calendar.working_days(first, count, directorates, force=True)
