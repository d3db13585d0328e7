"""Technician absences (leave, sick, training): an absent technician is left out of that day's plan.

Scope follows the technician: a dispatcher reads and writes the absences of the technicians
based in its Directorates, a partner those of its own technicians (on bases of its
Directorates), a planner reads them all; out of scope reads answer 404 and writes 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from fastapi import APIRouter
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from dromologio.models import Problem
from dromologio.models.calendar import Absence, absent_on

from .. import schemas
from ..auth import Principal
from ..errors import PROBLEM_RESPONSES, ApiError
from ..schemas import ABSENCE_MODELS
from ..specs import ABSENCE
from ..tables import AbsenceRow, BaseRow, TechnicianRow
from .common import day_range, now
from .resource import Filter, Resource, Route, Write, add_routes

router = APIRouter(prefix="/absences", tags=["availability"], responses=PROBLEM_RESPONSES)


def _visible(principal: Principal) -> ColumnElement[bool]:
    """Absences of the technicians the caller sees (SQL)."""
    return AbsenceRow.technician_id.in_(
        select(TechnicianRow.technician_id).where(principal.technician_filter())
    )


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
    return day_range(first, last, what="absence", field=field, first_name="from")


def _check_row(session: Session, principal: Principal, row: AbsenceRow) -> None:
    _writable_technician(session, principal, row.technician_id)


def _record(write: Write) -> Mapping[str, Any]:
    """The days of an absence (a new one: its technician checked, its id, when and by whom)."""
    body = write.body
    if write.row is not None:
        first, last = _days(body.from_, body.to, "body.to" if "to" in write.changed else "body.from")
        return {"first_day": first, "last_day": last}
    technician = _writable_technician(write.session, write.principal, body.technician_id)
    first, last = _days(body.from_, body.to)
    return {
        "absence_id": uuid.uuid4().hex[:16],
        "technician_id": technician.technician_id,
        "first_day": first,
        "last_day": last,
        "created_at": now(),
        "created_by": write.principal.name,
    }


def _covering(day: date) -> ColumnElement[bool]:
    return (AbsenceRow.first_day <= day) & (AbsenceRow.last_day >= day)


ABSENCES = Resource(
    spec=ABSENCE,
    models=ABSENCE_MODELS,
    row=AbsenceRow,
    what="absence",
    writers=("admin", "dispatcher", "partner"),
    visible=_visible,
    order_by=(AbsenceRow.first_day, AbsenceRow.technician_id, AbsenceRow.absence_id),
    filters=(
        Filter("technician_id", str, lambda value: AbsenceRow.technician_id == value),
        Filter("on", schemas.Day, _covering),
    ),
    routes={
        "list": Route(
            "list_absences",
            "Absences of the technicians the caller sees",
            "``on``: only those covering that day.",
        ),
        "get": Route("get_absence", "One absence"),
        "create": Route("create_absence", "Record an absence (leave, sick, training)"),
        "update": Route("update_absence", "Change an absence's days, kind or note"),
        "delete": Route("delete_absence", "Remove an absence"),
    },
    check_row=_check_row,
    prepare=_record,
    nulls_replace=False,
)
add_routes(router, ABSENCES)


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
