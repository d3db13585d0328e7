"""lodging: a night away across water, in a multi-day plan, where the employer allows it.

Syros (home, port JSY) and Tinos (port TIN), as in ``tests/dispatch/test_islands.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from dromologio.dispatch.rules import lodging, school_hours
from dromologio.geo import UNREACHABLE_S
from tests.dispatch.rules import day_of, model_of
from tests.dispatch.test_islands import TINOS, ferries, island_problem, sailing, solve_checked
from tests.factories import DAY

#: out in the morning, back only after the shift, or the next morning.
TIMETABLE = [sailing("JSY", "TIN", "07:15"), sailing("TIN", "JSY", "17:30"), sailing("TIN", "JSY", "08:00")]
TOMORROW = DAY + timedelta(days=1)


def test_a_night_away_only_in_a_multi_day_plan_where_the_employer_allows_it() -> None:
    p = island_problem(TIMETABLE)
    (k1,) = p.tickets
    (t1,) = p.technicians
    last_day, multi_day = day_of(p), day_of(p, allow_lodging=True, next_date=TOMORROW)
    assert not lodging.may_stay_overnight(last_day, t1)
    assert lodging.may_stay_overnight(multi_day, t1)
    # Only a night away makes the visit possible: no sailing home within the shift.
    assert not school_hours.admits(last_day, t1, k1)
    assert school_hours.admits(multi_day, t1, k1)
    forbidden = p.replace(policy=replace(p.policy, employers={t1.employer: {"allow_overnight": False}}))
    assert not lodging.may_stay_overnight(day_of(forbidden, allow_lodging=True, next_date=TOMORROW), t1)


def test_the_lodging_node_costs_the_allowances_and_ends_the_route() -> None:
    p = island_problem(TIMETABLE, priority="high")
    model = model_of(p, allow_lodging=True, next_date=TOMORROW)
    instance = model.instance
    (stay,) = [n for n, info in enumerate(model.nodes) if info.kind == "lodging"]
    assert model.nodes[stay].island == TINOS
    assert instance.entry_cost is not None and instance.entry_cost[stay] == (80 + 40) * 10_000
    assert instance.drop_penalty[stay] == 0 and instance.allowed_vehicles[stay] == frozenset({0})
    (end,) = set(instance.vehicle_end.tolist())
    assert instance.duration[stay, end] == 0 and instance.distance[stay, end] == 0
    others = [n for n in range(instance.num_nodes) if n != end]
    assert (instance.duration[stay, others] == UNREACHABLE_S).all()


def test_no_night_where_tomorrows_sailings_do_not_bring_the_technician_home() -> None:
    no_way_back = island_problem([sailing("JSY", "TIN", "07:15"), sailing("TIN", "JSY", "08:00", "Wed")])
    model = model_of(no_way_back, allow_lodging=True, next_date=TOMORROW)
    assert not [info for info in model.nodes if info.kind == "lodging"]


def test_a_night_that_positions_the_technician_serves_what_no_day_trip_can() -> None:
    # The only boat to Tinos lands at 13:50, too late for 150 min of work before 14:00; the
    # 15:00 brings the technician home at 15:50.  Sleeping on Tinos, the work is done the next
    # morning and the 15:00 still makes it home within the shift.
    timetable = [sailing("JSY", "TIN", "13:00"), sailing("TIN", "JSY", "15:00")]
    p = island_problem(timetable, priority="high")
    one_day = solve_checked(p)
    (item,) = one_day.plan.unassigned
    assert item.code == "hours"
    model = model_of(p, allow_lodging=True, next_date=DAY + timedelta(days=1))
    (night,) = [n for n, info in enumerate(model.nodes) if info.kind == "lodging"]
    assert model.instance.drop_penalty[night] > 0  # what the night opens tomorrow
    two_days = solve_checked(p, days=2)
    assert two_days.plan.visited_ticket_ids == ("K1",)
    first, second = two_days.plan.routes
    assert first.stops[-1].lodging and first.stops[-1].island == TINOS and not first.visits
    assert second.stops[0].lodging and second.ticket_ids == ("K1",)
    assert ferries(two_days) == [("JSY", "TIN", "13:00"), ("TIN", "JSY", "15:00")]
    # Where the employer allows no night away, nothing is positioned.
    (t1,) = p.technicians
    no_nights = p.replace(policy=replace(p.policy, employers={t1.employer: {"allow_overnight": False}}))
    assert solve_checked(no_nights, days=2).plan.visited_ticket_ids == ()
