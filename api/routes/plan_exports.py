"""A plan as an Excel workbook: routes, stops, tickets not visited with their reasons, costs."""

from __future__ import annotations

from fastapi import APIRouter, Response

from dromologio.reports.exports import plan_xlsx_bytes

from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES
from .plans import get_plan_row, solved_problem, visible_plan

router = APIRouter(prefix="/plans", tags=["plans"], responses=PROBLEM_RESPONSES)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/{plan_id}/plan.xlsx",
    summary="The plan as an Excel workbook (Greek headers): routes, stops, unassigned with reasons, costs",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def export_xlsx(plan_id: str, session: SessionDep, principal: CurrentPrincipal) -> Response:
    row = get_plan_row(session, principal, plan_id)
    plan, _ = visible_plan(session, principal, row)
    return Response(
        plan_xlsx_bytes(plan, solved_problem(row)),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.xlsx"'},
    )
