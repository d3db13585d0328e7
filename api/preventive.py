"""Publishing a plan with preventive visits moves its visited schools' ``last_maintenance``.

A preventive visit has no ticket row: it lives in the plan's problem snapshot (ticket
``PM-<school>-<due date>``, see :mod:`dromologio.planning.preventive`).  The schools keep
``last_maintenance`` in their stored ``extra``, as the files keep it in ``schools.csv``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from dromologio.dispatch.rules.preventive import PREFIX
from dromologio.models import Plan
from dromologio.models.service_columns import LAST_MAINTENANCE, last_maintenance
from dromologio.planning.preventive import after_plan

from .snapshot import read_snapshot
from .tables import PlanRow, SchoolRow


def _has_preventive_visits(row: PlanRow) -> bool:
    return any(
        str(ticket_id).startswith(PREFIX)
        for route in (row.result or {}).get("routes", [])
        for stop in route.get("stops", [])
        for ticket_id in stop.get("ticket_ids", [])
    )


def record_maintenance(session: Session, row: PlanRow) -> list[str]:
    """Move ``last_maintenance`` of the schools the published plan ``row`` visits for preventive
    care to the visit's date (never back); returns the schools moved."""
    if row.result is None or not _has_preventive_visits(row):
        return []
    problem = read_snapshot(row.problem, source="plan").problem
    after = after_plan(problem, [Plan.from_dict(row.result)])
    moved: list[str] = []
    for before, school in zip(problem.schools, after.schools, strict=True):
        visited = last_maintenance(school)
        if visited is None or visited == last_maintenance(before):
            continue
        stored = session.get(SchoolRow, school.school_id)
        if stored is None:
            continue
        if (_stored_date(stored) or date.min) >= visited:
            continue
        stored.extra = {**(stored.extra or {}), LAST_MAINTENANCE: visited.isoformat()}
        moved.append(school.school_id)
    return moved


def _stored_date(school: SchoolRow) -> date | None:
    text = str((school.extra or {}).get(LAST_MAINTENANCE, "") or "").strip()
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None  # a value the school's own validation refuses: the visit replaces it
