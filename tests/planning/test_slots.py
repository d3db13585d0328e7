"""Slot suggestions on the sample: the three cheapest days, each checked, with their cost impact."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from dromologio.dispatch import solve
from dromologio.dispatch.road_times import road_times
from dromologio.dispatch.solve import default_travel_model
from dromologio.models import Plan, Problem
from dromologio.models.calendar import WorkCalendar
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem
from dromologio.models.retime import RoadTimes
from dromologio.planning.slots import PROBE_ID, DayPlan, Slot, SlotRequestError, slot_days, suggest_slots
from dromologio.sample import sample_data_dir

DAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def sample() -> Problem:
    return read_problem(sample_data_dir())


@pytest.fixture(scope="module")
def plan(sample: Problem) -> Plan:
    return solve(sample, DAY, time_limit_s=1, seed=0).plan


def road(problem: Problem) -> RoadTimes:
    return road_times(problem, default_travel_model(problem))


def _days(sample: Problem, plan: Plan) -> dict[date, DayPlan]:
    days = slot_days(WorkCalendar(), date(2026, 11, 20), 4)
    assert days == (DAY, date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26))
    return {day: DayPlan(sample, plan if day == DAY else None) for day in days}


def _visited_schools(plan: Plan, sample: Problem) -> list[str]:
    """The mainland schools the plan's routes visit, in route order."""
    return [
        stop.school_id
        for route in plan.routes
        for stop in route.visits
        if stop.school_id and not sample.school_by_id[stop.school_id].island
    ]


def _check_day(sample: Problem, plan: Plan, slot: Slot, school_id: str) -> None:
    """The planned day with the slot's route in place passes the independent checker."""
    others = [r for r in plan.routes if r.technician_id != slot.technician_id]
    visited = {t for r in (*others, slot.route) for t in r.ticket_ids}
    probe = dataclasses.replace(
        sample.tickets[0], ticket_id=PROBE_ID, school_id=school_id, skill="network", service_minutes=20
    )
    day_problem = sample.replace(tickets=(*(t for t in sample.tickets if t.ticket_id in visited), probe))
    report = check_plan(day_problem, Plan(dates=(DAY,), routes=(*others, slot.route)))
    assert report.ok, report


def test_three_cheapest_days_each_checked(sample: Problem, plan: Plan) -> None:
    days = _days(sample, plan)
    joined = None
    for school_id in _visited_schools(plan, sample):
        slots = suggest_slots(school_id, skill="network", minutes=20, day_plans=days, road=road)
        assert len(slots) == 3, school_id
        assert [s.added_eur for s in slots] == sorted(s.added_eur for s in slots)
        assert len({s.day for s in slots}) == 3
        for slot in slots:
            assert "network" in sample.technician_by_id[slot.technician_id].skills
            visit = next(s for s in slot.route.visits if PROBE_ID in s.ticket_ids)
            assert visit.school_id == school_id and visit.start == slot.start and visit.end == slot.end
            assert slot.added_eur >= 0 and slot.added_money_eur >= 0
            assert slot.planned_day == (slot.day == DAY)
            if not slot.planned_day:  # a trip from home: a route of its own, at a cost
                assert slot.added_eur > 0 and slot.route.visits == (visit,)
        planned = [s for s in slots if s.planned_day]
        if planned:
            _check_day(sample, plan, planned[0], school_id)
        if planned and planned[0] is slots[0]:
            joined = slots[0]
            break
    # Some school on a route of the planned day is cheapest to serve there, with that route.
    assert joined is not None
    assert joined.added_eur < min(s.added_eur for s in slots if not s.planned_day)


def test_absent_technicians_and_4x4(sample: Problem, plan: Plan) -> None:
    school = next(s for s in sample.schools if s.needs_4x4)
    days = _days(sample, plan)
    slots = suggest_slots(school.school_id, skill="windows", minutes=30, day_plans=days, road=road)
    assert slots and all(sample.technician_by_id[s.technician_id].has_4x4 for s in slots)
    first = slots[0]
    away = {d: dataclasses.replace(p, absent=frozenset({first.technician_id})) for d, p in days.items()}
    again = suggest_slots(school.school_id, skill="windows", minutes=30, day_plans=away, road=road)
    assert all(s.technician_id != first.technician_id for s in again)


def test_bad_requests(sample: Problem, plan: Plan) -> None:
    days = _days(sample, plan)
    with pytest.raises(SlotRequestError, match="no school 'NOPE'"):
        suggest_slots("NOPE", skill="network", minutes=30, day_plans=days)
    with pytest.raises(SlotRequestError, match="minutes"):
        suggest_slots(sample.schools[0].school_id, skill="network", minutes=0, day_plans=days)
