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
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

from fastapi import APIRouter
from sqlalchemy import ColumnElement, Connection, or_, select, true
from sqlalchemy.orm import Session

from dromologio.geo.closures import Closure
from dromologio.models import Problem

from .. import schemas
from ..auth import Principal
from ..errors import PROBLEM_RESPONSES, ApiError, forbidden
from ..schemas import CLOSURE_MODELS
from ..specs import CLOSURE
from ..tables import ClosureRow, SchoolRow
from .common import day_range, now
from .resource import Filter, Resource, Route, Write, add_routes
from .schools import writable_school

router = APIRouter(prefix="/closures", tags=["availability"], responses=PROBLEM_RESPONSES)


def _visible(principal: Principal) -> ColumnElement[bool]:
    """Closures of the schools the caller sees, and every area closure (SQL)."""
    if principal.reads_all:
        return true()
    schools = select(SchoolRow.school_id).where(principal.school_filter())
    return or_(ClosureRow.school_id.is_(None), ClosureRow.school_id.in_(schools))


def _check_write(session: Session, principal: Principal, school_id: str | None) -> None:
    """The caller may close ``school_id`` (None: an area, the admin's alone); any other school answers 403."""
    principal.require("admin", "dispatcher")
    if school_id is None:
        if principal.role != "admin":
            raise forbidden("only the admin closes an area (terrain, island); name a school")
        return
    writable_school(session, principal, school_id, missing=422)


def _days(first: date, last: date | None, field: str = "body.to_date") -> tuple[date, date]:
    return day_range(first, last, what="closure", field=field, first_name="from_date")


def _check_row(session: Session, principal: Principal, row: ClosureRow) -> None:
    _check_write(session, principal, row.school_id)


def _record(write: Write) -> Mapping[str, Any]:
    """The days and reason of a closure (a new one: a school or an area, its id, when and by whom)."""
    body, row = write.body, write.row
    if row is not None:
        field = "body.to_date" if "to_date" in write.changed else "body.from_date"
        first, last = _days(body.from_date, body.to_date, field)
        return {"first_day": first, "last_day": last, "reason": body.reason.strip() or row.reason}
    area = body.terrain is not None or body.island is not None
    if body.school_id is not None and area:
        _check_write(write.session, write.principal, body.school_id)
        raise ApiError(
            422,
            "a closure names a school or an area (terrain, island), not both",
            errors=[("body.school_id", "a school and an area")],
        )
    if body.school_id is None and not area:
        raise ApiError(
            422,
            "name the closed school, or give a terrain or island for an area",
            errors=[("body.school_id", "missing")],
        )
    _check_write(write.session, write.principal, body.school_id)
    first, last = _days(body.from_date, body.to_date)
    return {
        "closure_id": uuid.uuid4().hex[:16],
        "first_day": first,
        "last_day": last,
        "reason": body.reason.strip() or "closed",
        "created_at": now(),
        "created_by": write.principal.name,
    }


def _in_force(day: date) -> ColumnElement[bool]:
    return (ClosureRow.first_day <= day) & (ClosureRow.last_day >= day)


CLOSURES = Resource(
    spec=CLOSURE,
    models=CLOSURE_MODELS,
    row=ClosureRow,
    what="closure",
    writers=("admin", "dispatcher"),
    visible=_visible,
    order_by=(ClosureRow.first_day, ClosureRow.closure_id),
    filters=(
        Filter("school_id", str, lambda value: ClosureRow.school_id == value),
        Filter("on", schemas.Day, _in_force),
    ),
    routes={
        "list": Route(
            "list_closures",
            "Closures of the schools the caller sees, and area closures",
            "``on``: only those in force that day.",
        ),
        "get": Route("get_closure", "One closure"),
        "create": Route("create_closure", "Close a school (or, admin only, an area's roads)"),
        "update": Route("update_closure", "Change a closure's days, reason or 4x4 access"),
        "delete": Route("delete_closure", "Lift a closure"),
    },
    check_row=_check_row,
    prepare=_record,
    nulls_replace=False,
)
add_routes(router, CLOSURES)


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
