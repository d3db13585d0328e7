"""The live day with a lunch break: a break already taken stays on the route, none is planned
twice, and a break still ahead is planned after now; every re-planned route passes the checker
and the audit."""

from __future__ import annotations

import dataclasses

from dromologio.dispatch import solve
from dromologio.dispatch.live import live_from_plan
from dromologio.dispatch.road_times import road_times
from dromologio.dispatch.solve import default_travel_model
from dromologio.models import Plan, Policy, Problem, Route, Stop
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from dromologio.models.plan import LunchBreak
from tests.dispatch.rules import model_of
from tests.factories import DAY, at, problem, school, technician, ticket, visit_stop

LIMIT = 1.0
LUNCH = Policy(lunch_break_min=30, lunch_window_start="12:00", lunch_window_end="14:30")


def _world() -> Problem:
    """One technician until 17:00, four schools a few km from its base, open until 17:00."""
    return problem(
        [
            school("A", 3.0, 0.0, closes="17:00"),
            school("B", 5.0, 2.0, closes="17:00"),
            school("C", 0.0, 4.0, closes="17:00"),
            school("D", -3.0, 1.0, closes="17:00"),
        ],
        [technician("T1", shift=("08:00", "17:00"))],
        [
            ticket("A1", "A", service_minutes=90),
            ticket("B1", "B", service_minutes=60),
            ticket("C1", "C", service_minutes=60),
            ticket("D1", "D", service_minutes=60),
        ],
        policy=LUNCH,
    )


def _published(world: Problem) -> Plan:
    """The morning's plan: A and B before the break taken 12:00-12:30, C and D after it."""
    home = world.base_of(world.technician_by_id["T1"])
    route = Route(
        "T1",
        DAY,
        (
            Stop("start", lat=home.lat, lon=home.lon, depart=at("08:00")),
            visit_stop(world, "A1", "08:30", "10:10"),
            visit_stop(world, "B1", "10:30", "11:40"),
            visit_stop(world, "C1", "12:45", "13:55"),
            visit_stop(world, "D1", "14:40", "15:50"),
            Stop("end", lat=home.lat, lon=home.lon, arrive=at("16:30")),
        ),
        distance_km=30.0,
        travel_minutes=60,
        cost_eur=10.0,
        lunch_break=LunchBreak(at("12:00"), at("12:30")),
    )
    plan = Plan(dates=(DAY,), routes=(route,), unassigned=(), remote=(), vendor=(), kpis={})
    report = check_plan(world, plan)
    assert report.ok, report.violations
    return plan


def _replanned(world: Problem, now: str, done: list[str], started: dict[str, str]) -> Plan:
    today = world.replace(tickets=tuple(t for t in world.tickets if t.ticket_id not in done))
    live = live_from_plan(
        today, _published(world), at(now), done=done, started={t: at(s) for t, s in started.items()}
    )
    plan = solve(today, DAY, time_limit_s=LIMIT, live=live).plan
    report = check_plan(today, plan)
    assert report.ok, report.violations
    audit = audit_plan(today, plan, road=road_times(today, default_travel_model(today)))
    assert audit.ok and not audit.not_audited, str(audit)
    return plan


def _route(plan: Plan) -> Route:
    (route,) = plan.routes
    return route


def test_a_break_taken_before_now_stays_and_none_is_planned_twice() -> None:
    world = _world()
    live = live_from_plan(world, _published(world), at("13:10"), done=["A1", "B1"])
    assert live.breaks == {"T1": LunchBreak(at("12:00"), at("12:30"))}
    # The solver is given no second break for T1 (one the same state without it would get).
    starts = live.completed(world, DAY).start_points(world, DAY)
    assert starts["T1"].break_taken
    now_s = live.now_s(DAY)
    assert model_of(world, starts=starts, now_s=now_s).instance.vehicle_break is None
    fresh = {t: dataclasses.replace(p, break_taken=False) for t, p in starts.items()}
    ahead = model_of(world, starts=fresh, now_s=now_s).instance.vehicle_break
    assert ahead is not None and ahead.tolist()[0][:3] == [now_s, 14 * 3600, 1800]
    route = _route(_replanned(world, "13:10", done=["A1", "B1"], started={"C1": "12:45"}))
    assert route.lunch_break == LunchBreak(at("12:00"), at("12:30"))
    assert {t for s in route.visits for t in s.ticket_ids} == {"C1", "D1"}
    for stop in route.visits:
        assert stop.start is not None and stop.start >= at("12:30")


def test_a_break_still_ahead_is_planned_in_the_window_after_now() -> None:
    world = _world()
    live = live_from_plan(world, _published(world), at("11:00"), done=["A1"])
    assert not live.breaks
    route = _route(_replanned(world, "11:00", done=["A1"], started={"B1": "10:30"}))
    lunch = route.lunch_break
    assert lunch is not None and lunch.minutes >= 30
    assert at("12:00") <= lunch.start and lunch.end <= at("14:30") and lunch.start >= at("11:00")


def test_a_break_taken_is_kept_when_the_window_has_passed() -> None:
    world = _world()
    route = _route(_replanned(world, "15:00", done=["A1", "B1", "C1"], started={"D1": "14:40"}))
    assert route.lunch_break == LunchBreak(at("12:00"), at("12:30"))
    assert [s.ticket_ids for s in route.visits] == [("D1",)]


def test_a_break_taken_is_kept_after_the_window_with_new_work_after_now() -> None:
    world = _world()
    late = dataclasses.replace(ticket("E1", "A", service_minutes=30), opened_at=at("14:50"))
    today = world.replace(tickets=(*world.tickets, late))
    done = ["A1", "B1", "C1", "D1"]
    live = live_from_plan(today, _published(world), at("15:00"), done=done)
    plan = solve(
        today.replace(tickets=tuple(t for t in today.tickets if t.ticket_id not in done)),
        DAY,
        time_limit_s=LIMIT,
        live=live,
    ).plan
    route = _route(plan)
    assert [s.ticket_ids for s in route.visits] == [("E1",)]
    assert route.lunch_break == LunchBreak(at("12:00"), at("12:30"))
    assert check_plan(today.replace(tickets=(late,)), plan).ok


def test_a_technician_with_nothing_left_after_now_has_no_break_to_show() -> None:
    # All done by 15:00: the re-planned route has no visits, so the rule asks for no break.
    world = _world()
    route = _route(_replanned(world, "16:00", done=["A1", "B1", "C1", "D1"], started={}))
    assert not route.visits and route.lunch_break is None


def test_a_break_under_way_at_now_is_kept_and_the_day_goes_on_after_it() -> None:
    world = _world()
    route = _route(_replanned(world, "12:10", done=["A1", "B1"], started={}))
    assert route.lunch_break == LunchBreak(at("12:00"), at("12:30"))
    for stop in route.visits:
        assert stop.arrive is not None and stop.arrive >= at("12:30")


def test_a_technician_finishing_its_last_visit_gets_the_break_still_ahead() -> None:
    # At 11:00 T1 is at B1 (started 10:30) and nothing else is left: the break comes after it.
    world = _world()
    route = _route(_replanned(world, "11:00", done=["A1", "C1", "D1"], started={"B1": "10:30"}))
    assert [s.ticket_ids for s in route.visits] == [("B1",)]
    lunch = route.lunch_break
    assert lunch is not None and at("12:00") <= lunch.start and lunch.end <= at("14:30")


def test_a_last_visit_running_late_takes_the_break_before_the_drive_home() -> None:
    # B1 turned out a 200-minute repair: started 10:30, it ends at 14:00, too late for a break at
    # home before 14:30, so the break comes first and the technician is home 30 minutes later.
    world = _world()
    today = world.replace(tickets=(dataclasses.replace(world.ticket_by_id["B1"], service_minutes=200),))
    live = live_from_plan(
        today, _published(world), at("11:00"), done=["A1", "C1", "D1"], started={"B1": at("10:30")}
    )
    plan = solve(today, DAY, time_limit_s=LIMIT, live=live).plan
    assert check_plan(today, plan).ok, check_plan(today, plan).violations
    route = _route(plan)
    (visit,) = route.visits
    assert visit.end == at("14:00")
    assert route.lunch_break == LunchBreak(at("14:00"), at("14:30"))
    assert route.stops[-1].arrive is not None and route.stops[-1].arrive > at("14:30")
    audit = audit_plan(today, plan, road=road_times(today, default_travel_model(today)))
    assert audit.ok and not audit.not_audited, str(audit)


def test_freeze_before_keeps_the_morning_and_its_break() -> None:
    world = _world()
    live = live_from_plan(world, _published(world), at("08:00"), freeze_until=at("13:00"))
    assert live.breaks == {"T1": LunchBreak(at("12:00"), at("12:30"))}
    plan = solve(world, DAY, time_limit_s=LIMIT, live=live).plan
    assert check_plan(world, plan).ok, check_plan(world, plan).violations
    route = _route(plan)
    assert route.lunch_break == LunchBreak(at("12:00"), at("12:30"))
    assert [s.ticket_ids for s in route.visits][:3] == [("A1",), ("B1",), ("C1",)]
    assert {t for s in route.visits for t in s.ticket_ids} == {"A1", "B1", "C1", "D1"}
