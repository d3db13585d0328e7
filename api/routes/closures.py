"""Road and school closures (snow, works): plans do not send anyone to a closed school.

A closure names a school, or an area (``terrain`` and/or ``island``) whose roads are closed,
over a range of days, as the rows of ``closures.csv`` do (``geo/closures.py``).  A school's
closure is scoped by the school's Directorate: dispatchers read and write those of their
Directorates, partners read them, planners read all; an area closure names no Directorate:
every key reads it and only the admin writes it.  Out of scope reads answer 404, writes 403.
Reasons of the plans name the closure ("the road to … is closed by snow on 2026-12-03").
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date

from fastapi import APIRouter, status
from sqlalchemy import ColumnElement, Connection, or_, select, true
from sqlalchemy.orm import Session

from dromologio.geo.closures import Closure
from dromologio.models import Problem

from .. import schemas
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden, not_found
from ..tables import ClosureRow, SchoolRow
from .common import Limit, Offset, now

router = APIRouter(prefix="/closures", tags=["availability"], responses=PROBLEM_RESPONSES)


def closure_public(row: ClosureRow) -> schemas.ClosurePublic:
    return schemas.ClosurePublic(
        closure_id=row.closure_id,
        school_id=row.school_id,
        from_date=row.first_day,
        to_date=row.last_day,
        reason=row.reason,
        open_to_4x4=row.open_to_4x4,
        terrain=row.terrain,
        island=row.island,
        created_by=row.created_by,
    )


def _visible(principal: Principal) -> ColumnElement[bool]:
    """Closures of the schools the caller sees, and every area closure (SQL)."""
    if principal.reads_all:
        return true()
    schools = select(SchoolRow.school_id).where(principal.school_filter())
    return or_(ClosureRow.school_id.is_(None), ClosureRow.school_id.in_(schools))


def _get(session: Session, principal: Principal, closure_id: str) -> ClosureRow:
    row = session.scalar(select(ClosureRow).where(ClosureRow.closure_id == closure_id, _visible(principal)))
    if row is None:
        raise not_found("closure", closure_id)
    return row


def _check_write(session: Session, principal: Principal, school_id: str | None) -> None:
    """The caller may close ``school_id`` (None: an area, the admin's alone); any other school answers 403."""
    principal.require("admin", "dispatcher")
    if school_id is None:
        if principal.role != "admin":
            raise forbidden("only the admin closes an area (terrain, island); name a school")
        return
    school = session.get(SchoolRow, school_id)
    if school is None and principal.role == "admin":
        raise ApiError(422, f"no school '{school_id}'", errors=[("body.school_id", "not known")])
    if school is None or not principal.may_write_directorate(school.directorate):
        raise ApiError(
            403,
            f"school '{school_id}' is not available to this key: use a school of its Directorates",
            errors=[("body.school_id", "not available")],
        )


def _days(first: date, last: date | None, field: str = "body.to_date") -> tuple[date, date]:
    last = last or first
    if last < first:
        raise ApiError(
            422,
            f"the closure ends ({last.isoformat()}) before it starts ({first.isoformat()})",
            errors=[(field, "before from_date")],
        )
    return first, last


@router.get("", summary="Closures of the schools the caller sees, and area closures")
def list_closures(
    session: SessionDep,
    principal: CurrentPrincipal,
    school_id: str | None = None,
    on: schemas.Day | None = None,
    limit: Limit = 1000,
    offset: Offset = 0,
) -> list[schemas.ClosurePublic]:
    """``on``: only those in force that day."""
    query = select(ClosureRow).where(_visible(principal))
    if school_id is not None:
        query = query.where(ClosureRow.school_id == school_id)
    if on is not None:
        query = query.where(ClosureRow.first_day <= on, ClosureRow.last_day >= on)
    query = query.order_by(ClosureRow.first_day, ClosureRow.closure_id)
    return [closure_public(r) for r in session.scalars(query.limit(limit).offset(offset))]


@router.get("/{closure_id}", summary="One closure")
def get_closure(closure_id: str, session: SessionDep, principal: CurrentPrincipal) -> schemas.ClosurePublic:
    return closure_public(_get(session, principal, closure_id))


@router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Close a school (or, admin only, an area's roads)"
)
def create_closure(
    body: schemas.ClosureCreate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.ClosurePublic:
    area = body.terrain is not None or body.island is not None
    if body.school_id is not None and area:
        _check_write(session, principal, body.school_id)
        raise ApiError(
            422,
            "a closure names a school or an area (terrain, island), not both",
            errors=[("body.school_id", "a school and an area")],
        )
    if body.school_id is None and not area:
        principal.require("admin", "dispatcher")
        raise ApiError(
            422,
            "name the closed school, or give a terrain or island for an area",
            errors=[("body.school_id", "missing")],
        )
    _check_write(session, principal, body.school_id)
    first, last = _days(body.from_date, body.to_date)
    row = ClosureRow(
        closure_id=uuid.uuid4().hex[:16],
        school_id=body.school_id,
        first_day=first,
        last_day=last,
        reason=body.reason.strip() or "closed",
        open_to_4x4=body.open_to_4x4,
        terrain=body.terrain,
        island=body.island,
        created_at=now(),
        created_by=principal.name,
    )
    session.add(row)
    session.commit()
    return closure_public(row)


@router.patch("/{closure_id}", summary="Change a closure's days, reason or 4x4 access")
def update_closure(
    closure_id: str, body: schemas.ClosureUpdate, session: SessionDep, principal: CurrentPrincipal
) -> schemas.ClosurePublic:
    principal.require("admin", "dispatcher")
    row = _get(session, principal, closure_id)
    _check_write(session, principal, row.school_id)
    changes = body.model_dump(exclude_unset=True)
    first = changes.get("from_date") or row.first_day
    last = changes.get("to_date") or row.last_day
    field = "body.to_date" if "to_date" in changes else "body.from_date"
    row.first_day, row.last_day = _days(first, last, field)
    if changes.get("reason"):
        row.reason = changes["reason"].strip() or row.reason
    if changes.get("open_to_4x4") is not None:
        row.open_to_4x4 = changes["open_to_4x4"]
    session.commit()
    return closure_public(row)


@router.delete("/{closure_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Lift a closure")
def delete_closure(closure_id: str, session: SessionDep, principal: CurrentPrincipal) -> None:
    principal.require("admin", "dispatcher")
    row = _get(session, principal, closure_id)
    _check_write(session, principal, row.school_id)
    session.delete(row)
    session.commit()


# --- plans ------------------------------------------------------------------------------


def stored_closures(
    db: Session | Connection, school_ids: Collection[str], days: Sequence[date]
) -> list[Closure]:
    """The stored closures of ``school_ids`` and of areas in force on any of ``days``, for the solver.

    ``db`` is a session or a connection (a solver process reads with a connection).
    """
    if not days:
        return []
    table = ClosureRow.__table__
    query = select(table).where(
        or_(table.c.school_id.is_(None), table.c.school_id.in_(sorted(set(school_ids)))),
        table.c.first_day <= max(days),
        table.c.last_day >= min(days),
    )
    rows = db.execute(query.order_by(table.c.first_day, table.c.closure_id)).mappings()
    closures = [
        Closure(
            reason=row["reason"],
            start=row["first_day"],
            end=row["last_day"],
            place_ids=frozenset({row["school_id"]}) if row["school_id"] else frozenset(),
            terrain=row["terrain"],
            island=row["island"],
            open_to_4x4=row["open_to_4x4"],
        )
        for row in rows
    ]
    return [c for c in closures if any(c.active_on(d) for d in days)]


def closures_for_plan(db: Session | Connection, problem: Problem, first: date, days: int) -> list[Closure]:
    """The stored closures a plan of ``days`` working days from ``first`` must honour (its schools, areas)."""
    from dromologio.dispatch.solve import problem_calendar, working_days

    calendar, directorates = problem_calendar(problem)
    dates = working_days(first, days, calendar, directorates=directorates, force=True)
    return stored_closures(db, [s.school_id for s in problem.schools], dates)
