"""Re-planning from now: frozen visits, technicians continuing from where they are, nothing before
now or before a ticket was opened, the stability term, and locks that commit."""

from __future__ import annotations

import dataclasses

from dromologio.dispatch import solve
from dromologio.dispatch.build import build_day
from dromologio.dispatch.live import LiveState, changes, live_from_plan
from dromologio.dispatch.rules.base import COST_UNITS_PER_EUR
from dromologio.dispatch.solve import default_travel_model
from dromologio.models import Plan, Problem, Route, Stop
from dromologio.models.checker import check_plan
from tests.factories import DAY, at, base, problem, school, technician, ticket, visit_stop

#: four visits, but the stability term is only weighed by the local search, which a busy
#: machine may not reach within a shorter limit.
LIMIT = 1.0


def _world() -> Problem:
    return problem(
        [
            school("A", 2.0, 0.0),
            school("B", 4.0, 1.0),
            school("C", 0.0, 22.0),
            school("D", 2.0, 23.0),
            school("E", 3.0, 12.0),
        ],
        [technician("T1", base_id="B1"), technician("T2", base_id="B2")],
        [
            ticket("A1", "A", service_minutes=60),
            ticket("B1", "B", service_minutes=60),
            ticket("C1", "C", service_minutes=60),
            ticket("D1", "D", service_minutes=60),
        ],
        bases=[base("B1"), base("B2", 0.0, 21.0)],
    )


def _owner(plan: Plan) -> dict[str, str]:
    return {t: r.technician_id for r in plan.routes for t in r.ticket_ids}


def _route(world: Problem, technician_id: str, visits: list[Stop], back: str) -> Route:
    home = world.base_of(world.technician_by_id[technician_id])
    stops = (
        Stop("start", lat=home.lat, lon=home.lon, depart=at("08:00")),
        *visits,
        Stop("end", lat=home.lat, lon=home.lon, arrive=at(back)),
    )
    return Route(technician_id, DAY, stops, distance_km=60.0, travel_minutes=60, cost_eur=10.0)


def _published() -> tuple[Problem, Plan]:
    """The morning's plan, as published: T1 at A then B, T2 at C then D."""
    world = _world()
    routes = (
        _route(
            world,
            "T1",
            [visit_stop(world, "A1", "08:20", "09:30"), visit_stop(world, "B1", "09:45", "10:55")],
            "11:30",
        ),
        _route(
            world,
            "T2",
            [visit_stop(world, "C1", "08:30", "09:40"), visit_stop(world, "D1", "10:00", "11:10")],
            "11:40",
        ),
    )
    published = Plan(dates=(DAY,), routes=routes, unassigned=(), remote=(), vendor=(), kpis={})
    assert check_plan(world, published).ok, check_plan(world, published).violations
    return world, published


def test_the_day_is_replanned_from_now_keeping_what_happened() -> None:
    world, published = _published()
    owner = _owner(published)
    assert owner == {"A1": "T1", "B1": "T1", "C1": "T2", "D1": "T2"}, owner
    first, second = next(r for r in published.routes if r.technician_id == "T1").visits
    # T1 finished A1 and started B1 early, at 09:35; T2 is on its way to C1 (nothing reported).
    second = dataclasses.replace(second, start=at("09:35"))
    done, started = first.ticket_ids[0], second.ticket_ids[0]
    assert second.start is not None and second.start < at("09:40")
    urgent = dataclasses.replace(
        ticket("U1", "E", priority="urgent", service_minutes=30), opened_at=at("09:40")
    )
    today = world.replace(tickets=(*(t for t in world.tickets if t.ticket_id != done), urgent))
    now = at("09:40")
    live = live_from_plan(today, published, now, done=[done], started={started: second.start})

    plan = solve(today, DAY, time_limit_s=LIMIT, live=live).plan

    assert check_plan(today, plan).ok, check_plan(today, plan).violations
    new_owner = _owner(plan)
    assert new_owner[started] == "T1" and done not in new_owner
    t1 = next(r for r in plan.routes if r.technician_id == "T1")
    kept = t1.visits[0]
    assert kept.ticket_ids == (started,) and kept.start == second.start
    for route in plan.routes:
        for stop in route.visits:
            if started not in stop.ticket_ids:
                assert stop.start is not None and stop.start >= now, (route.technician_id, stop)
    assert "U1" in new_owner
    # Nothing forces T2's visits to move: the stability term keeps them.
    assert new_owner["C1"] == "T2" and new_owner["D1"] == "T2"
    moved = changes(live.previous, plan, live.frozen())
    assert all(not c.moved_out for c in moved), moved
    assert [c.new for c in moved if c.new] == [("U1",)]


def test_a_ticket_is_never_visited_before_it_was_opened() -> None:
    world = _world()
    late = dataclasses.replace(world.tickets[0], opened_at=at("11:30"))
    plan = solve(world.replace(tickets=(late, *world.tickets[1:])), DAY, time_limit_s=LIMIT).plan
    visit = next(s for r in plan.routes for s in r.visits if "A1" in s.ticket_ids)
    assert visit.start is not None and visit.start >= at("11:30")


def test_freeze_before_keeps_the_morning_as_planned() -> None:
    world, published = _published()
    until = at("10:00")
    live = live_from_plan(world, published, at("08:00"), freeze_until=until)
    plan = solve(world, DAY, time_limit_s=LIMIT, live=live).plan
    assert check_plan(world, plan).ok, check_plan(world, plan).violations
    before = {
        (r.technician_id, s.ticket_ids, s.start)
        for r in published.routes
        for s in r.visits
        if s.start is not None and s.start < until
    }
    after = {(r.technician_id, s.ticket_ids, s.start) for r in plan.routes for s in r.visits}
    assert before and before <= after


def test_a_technician_at_a_school_starts_there_when_free() -> None:
    world = _world()
    live = LiveState(now=at("10:00"), started={"A1": ("T1", at("09:30"))}).completed(world, DAY)
    points = live.start_points(world, DAY)
    assert points["T1"].free_from_s == (9 * 60 + 30 + 60 + world.policy.visit_setup_min) * 60
    assert points["T2"].free_from_s == 10 * 3600


def test_a_lock_commits_and_an_impossible_lock_says_why() -> None:
    world = _world()
    extra = [ticket("F1", "E", priority="low", service_minutes=30), ticket("G1", "A", skill="printer")]
    two = dataclasses.replace(world.technicians[1], skills=frozenset({"windows"}))
    locked = world.replace(tickets=(*world.tickets, *extra), technicians=(world.technicians[0], two))
    locks = {"F1": "T2", "G1": "T2"}
    model = build_day(locked, locked.tickets, DAY, default_travel_model(locked), locks=locks)
    node = next(
        n for n, info in enumerate(model.nodes) if info.ticket is not None and info.ticket.ticket_id == "F1"
    )
    assert int(model.instance.drop_penalty[node]) == -1
    plan = solve(locked, DAY, time_limit_s=LIMIT, locks=locks).plan
    assert _owner(plan)["F1"] == "T2"
    reason = next(u for u in plan.unassigned if u.ticket_id == "G1")
    assert reason.code == "locked" and "T2" in reason.reason
    assert check_plan(locked, plan).ok


def test_the_stability_term_prices_a_published_visit_left_undone_as_a_move() -> None:
    world, published = _published()
    previous = _owner(published)
    travel = default_travel_model(world)
    plain = build_day(world, world.tickets, DAY, travel)
    stable = build_day(world, world.tickets, DAY, travel, previous=previous, move_eur=30.0)
    units = round(30.0 * COST_UNITS_PER_EUR)
    assert previous
    for node, info in enumerate(stable.nodes):
        if info.ticket is None:
            continue
        owner = previous.get(info.ticket.ticket_id)
        before = int(plain.instance.drop_penalty[node])
        after = int(stable.instance.drop_penalty[node])
        expected = before + units if owner and before >= 0 else before
        assert after == expected, (info.ticket.ticket_id, before, after)
