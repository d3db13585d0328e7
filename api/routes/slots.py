"""Slot suggestions for a school: "when can you come?" (``GET /schools/{id}/slots``).

The next working days of the school's Directorate, each with its plan in force
(published or closed), else its latest plan, else nobody's plan yet; the cheapest checked
insertion of the visit per day (:mod:`dromologio.planning.slots`).  Only the technicians
the caller sees are suggested (a partner: its own), and none away that day.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy import select

from dromologio.dispatch.road_times import road_times
from dromologio.dispatch.solve import default_travel_model
from dromologio.models import Plan, Problem
from dromologio.models.calendar import WorkCalendar, today
from dromologio.models.retime import RoadTimes
from dromologio.planning.slots import DayPlan, SlotRequestError, slot_days, suggest_slots

from .. import convert
from ..auth import Principal
from ..deps import CurrentPrincipal, SessionDep
from ..errors import PROBLEM_RESPONSES, ApiError, not_found
from ..lifecycle import day_plans, plan_dates
from ..schemas import LocalDateTimeOut, Response
from ..snapshot import read_snapshot
from ..tables import BaseRow, PlanRow, PolicyRow, PortRow, SailingRow, SchoolRow, TechnicianRow
from .absences import stored_absences

router = APIRouter(tags=["slots"], responses=PROBLEM_RESPONSES)

Skill = Literal["windows", "linux", "ltsp", "network", "hardware", "printer", "egov"]


class SlotPublic(Response):
    day: date = Field(description="the day")
    technician_id: str = Field(description="who would go")
    technician: str = Field(description="their name")
    employer: str = Field(description="their employer")
    start: LocalDateTimeOut = Field(description="work at the school begins; local time, Europe/Athens")
    end: LocalDateTimeOut = Field(description="work ends")
    added_eur: float = Field(
        description="the cost impact: the route's objective with the visit minus without"
    )
    added_km: float = Field(description="road km added")
    added_money_eur: float = Field(description="money added (km, fares, per diem, overtime)")
    after_school: str | None = Field(description="the school visited just before (None: from the base)")
    before_school: str | None = Field(description="the school visited just after (None: back to the base)")
    plan_id: str | None = Field(description="the day's plan it is inserted into (None: no plan yet)")


def _fresh_problem(session: SessionDep, directorate: str) -> Problem:
    """The Directorate's schools, bases and technicians with no tickets: a day nobody planned yet."""
    bases = list(session.scalars(select(BaseRow).where(BaseRow.directorate == directorate)))
    technicians = session.scalars(
        select(TechnicianRow)
        .where(TechnicianRow.base_id.in_([b.base_id for b in bases]))
        .order_by(TechnicianRow.technician_id)
    )
    policy = session.get(PolicyRow, 1)
    return convert.problem_from_rows(
        schools=session.scalars(select(SchoolRow).where(SchoolRow.directorate == directorate)),
        bases=bases,
        technicians=technicians,
        tickets=[],
        ports=session.scalars(select(PortRow).order_by(PortRow.port_id)),
        sailings=session.scalars(select(SailingRow).order_by(SailingRow.sailing_id)),
        policy=None if policy is None else policy.data,
        name=directorate,
    )


def _plan_of(session: SessionDep, day: date, directorate: str) -> PlanRow | None:
    """The day's plan in force, else its latest plan (not a scenario)."""
    in_force = day_plans(session, day.isoformat(), directorate)
    if in_force:
        return in_force[0]
    rows = session.scalars(
        select(PlanRow)
        .where(
            PlanRow.has_plan.is_(True),
            PlanRow.scenario.is_(False),
            PlanRow.state.in_(("draft", "published", "closed")),
            PlanRow.plan_date <= day.isoformat(),
        )
        .order_by(PlanRow.created_at.desc(), PlanRow.plan_id)
    )
    return next(
        (r for r in rows if directorate in (r.directorates or []) and day.isoformat() in plan_dates(r)), None
    )


def _day_plan(
    session: SessionDep, principal: Principal, day: date, school: SchoolRow, fresh: Problem
) -> tuple[DayPlan, str | None]:
    row = _plan_of(session, day, school.directorate)
    problem, plan, plan_id = fresh, None, None
    if row is not None and row.result is not None:
        stored = read_snapshot(row.problem).problem
        if school.school_id in stored.school_by_id:
            problem, plan, plan_id = stored, Plan.from_dict(row.result), row.plan_id
    ids = [t.technician_id for t in problem.technicians]
    visible = principal.visible_technicians(session)
    away = {a.technician_id for a in stored_absences(session, ids, [day])}
    unseen = set() if visible is None else set(ids) - visible
    return DayPlan(problem, plan, frozenset(away | unseen)), plan_id


@router.get("/schools/{school_id}/slots", summary="When can you come? The cheapest feasible visit slots")
def get_slots(
    school_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    skill: Annotated[Skill, Query(description="the skill the visit needs", examples=["network"])],
    minutes: Annotated[int, Query(ge=1, le=480, description="minutes of work on site")] = 60,
    days: Annotated[int, Query(ge=1, le=20, description="working days to look at")] = 5,
    count: Annotated[int, Query(ge=1, le=10, description="slots to suggest")] = 3,
) -> list[SlotPublic]:
    school = session.get(SchoolRow, school_id)
    if school is None or not principal.sees_directorate(school.directorate):
        raise not_found("school", school_id)
    fresh = _fresh_problem(session, school.directorate)
    wanted = slot_days(WorkCalendar(), today(), days, [school.directorate])
    sources: dict[date, DayPlan] = {}
    plan_ids: dict[date, str | None] = {}
    for day in wanted:
        sources[day], plan_ids[day] = _day_plan(session, principal, day, school, fresh)
    roads: dict[int, RoadTimes] = {}

    def road(problem: Problem) -> RoadTimes:
        key = id(problem.schools)
        if key not in roads:
            roads[key] = road_times(problem, default_travel_model(problem))
        return roads[key]

    try:
        slots = suggest_slots(
            school_id, skill=skill, minutes=minutes, day_plans=sources, count=count, road=road
        )
    except SlotRequestError as error:
        raise ApiError(422, str(error), errors=[("query", str(error))]) from None

    def seen(school_of: str | None) -> str | None:
        """A neighbouring school the caller does not see is not named."""
        row = None if school_of is None else session.get(SchoolRow, school_of)
        return school_of if row is not None and principal.sees_directorate(row.directorate) else None

    return [
        SlotPublic(
            day=s.day,
            technician_id=s.technician_id,
            technician=s.technician,
            employer=s.employer,
            start=s.start,
            end=s.end,
            added_eur=s.added_eur,
            added_km=s.added_km,
            added_money_eur=s.added_money_eur,
            after_school=seen(s.after_school),
            before_school=seen(s.before_school),
            plan_id=plan_ids[s.day] if s.planned_day else None,
        )
        for s in slots
    ]


__all__ = ["router"]
