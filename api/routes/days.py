"""The plan of a day: the published plan in force for a Directorate and date."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError
from ..lifecycle import DayPlan, day_plans
from ..planning import partner_tickets, plan_view
from .plans import plan_scope, sees_plan

router = APIRouter(prefix="/days", tags=["plans"], responses=PROBLEM_RESPONSES)


@router.get("/{day}/plan", summary="THE plan of a day: the published version in force (or the closed one)")
def get_day_plan(
    day: date,
    session: SessionDep,
    principal: CurrentPrincipal,
    directorate: Annotated[
        str | None, Query(description="the Directorate; needed when the caller's day has several plans")
    ] = None,
) -> DayPlan:
    rows = [r for r in day_plans(session, day.isoformat(), directorate) if sees_plan(session, principal, r)]
    where = f" ({directorate})" if directorate else ""
    if not rows:
        raise ApiError(
            404,
            f"Δεν υπάρχει δημοσιευμένο πλάνο για {day.isoformat()}{where}. / "
            f"no published plan for {day.isoformat()}{where}",
        )
    if len(rows) > 1:
        raise ApiError(
            409,
            f"{len(rows)} published plans cover {day.isoformat()}{where}: name the Directorate "
            "(?directorate=...)",
            errors=[("query.directorate", "several plans: name one Directorate")],
        )
    row = rows[0]
    visible, hidden = plan_scope(session, principal, row)
    return DayPlan(
        plan_id=row.plan_id,
        state=row.state,  # type: ignore[arg-type]
        version=int(row.version or 1),
        version_of=row.version_of or row.plan_id,
        published_at=row.published_at or row.created_at,
        published_by=row.published_by or "",
        directorates=list(row.directorates or []),
        plan=plan_view(row.result or {}, visible, hidden, partner_tickets(principal, row, visible)),
    )
