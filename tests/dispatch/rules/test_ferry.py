"""ferry: water is crossed only on a timetabled sailing that runs today, boarded after check-in.

Syros (home, port JSY) and Tinos (port TIN), as in ``tests/dispatch/test_islands.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from dromologio.dispatch.build import precheck_ticket
from dromologio.dispatch.rules import ferry
from tests.dispatch.rules import day_of, model_of
from tests.dispatch.test_islands import island_problem, sailing
from tests.factories import DAY

TIMETABLE = [sailing("JSY", "TIN", "07:15", fare=12.5), sailing("TIN", "JSY", "13:30", fare=12.5)]


def test_reach_times_the_crossing_by_todays_timetable_after_check_in() -> None:
    p = island_problem(TIMETABLE)
    (k1,) = p.tickets
    day = day_of(p)
    start = day.start_of["T1"]
    arrive = day.reach.arrival(start, day.here(k1), 6 * 3600 + 30 * 60)
    # The 07:15 sailing takes 50 min; the school is a few minutes from the port.
    assert arrive is not None and 8 * 3600 + 5 * 60 <= arrive < 8 * 3600 + 20 * 60
    # Leaving too late to check in for the 07:15, nothing else sails to Tinos that day.
    assert day.reach.arrival(start, day.here(k1), 7 * 3600) is None


def test_when_the_sea_wins_the_ferry_rule_says_why() -> None:
    no_timetable = island_problem([])
    (k1,) = no_timetable.tickets
    _, water = precheck_ticket(day_of(no_timetable), k1)
    assert water is not None and water.code == ferry.WATER
    wednesdays = island_problem(
        [sailing("JSY", "TIN", "07:15", "Wed"), sailing("TIN", "JSY", "13:30", "Wed")]
    )
    _, monday = precheck_ticket(day_of(wednesdays), k1)
    assert monday is not None and monday.code == ferry.NO_SAILING and "Monday" in monday.text
    one_way = island_problem([sailing("JSY", "TIN", "07:15"), sailing("TIN", "JSY", "17:30")])
    (t1,) = one_way.technicians
    no_nights = one_way.replace(
        policy=replace(one_way.policy, employers={t1.employer: {"allow_overnight": False}})
    )
    _, stuck = precheck_ticket(day_of(no_nights), k1)
    assert stuck is not None and stuck.code == ferry.NO_ROUND_TRIP
    assert "08:" in stuck.text and "no overnight stay allowed today" in stuck.text


def test_a_one_day_plan_that_only_a_night_away_would_serve_needs_two_days() -> None:
    # Out at 07:15; back only at 17:30, after the shift, or the next morning at 08:00.
    timetable = [
        sailing("JSY", "TIN", "07:15"),
        sailing("TIN", "JSY", "17:30"),
        sailing("TIN", "JSY", "08:00"),
    ]
    p = island_problem(timetable)
    (k1,) = p.tickets
    _, reason = precheck_ticket(day_of(p), k1)
    assert reason is not None and reason.code == ferry.NO_ROUND_TRIP
    assert "needs a 2-day plan" in reason.text and "πλάνο δύο ημερών" in reason.text
    # The work is done within the shift; only the way home is missing.
    assert "ends at 10:55" in reason.text
    # Without the morning sailing a second day would not bring the technician home either.
    evening_only = island_problem(timetable[:2])
    _, stuck = precheck_ticket(day_of(evening_only), k1)
    assert stuck is not None and stuck.code == ferry.NO_ROUND_TRIP and "2-day" not in stuck.text


def test_sailing_nodes_are_exactly_the_timetable() -> None:
    p = island_problem(TIMETABLE)
    model = model_of(p)
    instance = model.instance
    sailings = [(n, info) for n, info in enumerate(model.nodes) if info.kind == "sailing"]
    assert [info.sailing.depart_s for _, info in sailings if info.sailing] == [
        7 * 3600 + 900,
        13 * 3600 + 1800,
    ]
    for node, info in sailings:
        assert info.sailing is not None
        assert instance.time_windows[node].tolist() == [info.sailing.depart_s] * 2
        assert instance.service[node] == 50 * 60
        assert instance.setup is not None and instance.setup[node] == p.policy.ferry_check_in_min * 60
        assert instance.entry_cost is not None and instance.entry_cost[node] == 125_000
        assert instance.allowed_vehicles[node] == frozenset({0})
        assert instance.drop_penalty[node] == 0 and instance.location[node] == -1 - node
    # On a day the timetable does not run, there is nothing to board.
    sunday_only = island_problem([sailing("JSY", "TIN", "07:15", "Sun")])
    assert model_of(sunday_only, DAY + timedelta(days=1)).num_sailing_nodes == 0


def test_the_reason_names_the_last_sailing_home() -> None:
    # Tinos is reached at 08:05; 300 min of work end at 13:25, after the 13:30 boat's check-in;
    # the 16:15 arrives at 17:05, after the 16:00 shift end.
    timetable = [
        sailing("JSY", "TIN", "07:15"),
        sailing("TIN", "JSY", "13:30"),
        sailing("TIN", "JSY", "16:15"),
    ]
    p = island_problem(timetable, service_minutes=300)
    (t1,) = p.technicians
    no_nights = p.replace(policy=replace(p.policy, employers={t1.employer: {"allow_overnight": False}}))
    (k1,) = p.tickets
    _, reason = precheck_ticket(day_of(no_nights), k1)
    assert reason is not None and reason.code == ferry.NO_ROUND_TRIP
    assert "the last sailing home leaves Τήνος at 13:30 (leave the school by 12:5" in reason.text
    assert "the work ends at 13:25 at the earliest" in reason.text
    assert "το τελευταίο πλοίο της επιστροφής φεύγει από Τήνος στις 13:30" in reason.text
    # With an hour of overtime the 16:15 still lands too late (17:05); with 70 minutes it serves.
    overtime = replace(no_nights.policy, overtime_max_min_per_day=60)
    _, still = precheck_ticket(day_of(no_nights.replace(policy=overtime)), k1)
    assert still is not None and "leaves Τήνος at 13:30" in still.text
    enough = replace(no_nights.policy, overtime_max_min_per_day=70)
    (pool, none) = precheck_ticket(day_of(no_nights.replace(policy=enough)), k1)
    assert none is None and pool == (t1,)
    # Without a way home at all today, the reason says so.
    one_way = island_problem(timetable[:1], service_minutes=300)
    one_way = one_way.replace(policy=replace(one_way.policy, allow_overnight=False))
    _, stuck = precheck_ticket(day_of(one_way), k1)
    assert (
        stuck is not None
        and "no sailing from Τήνος brings the technician home within the shift today" in stuck.text
    )
    assert "κανένα πλοίο από το νησί Τήνος" in stuck.text


def test_needs_two_days_names_the_last_sailing_it_misses() -> None:
    timetable = [
        sailing("JSY", "TIN", "07:15"),
        sailing("TIN", "JSY", "09:00"),
        sailing("TIN", "JSY", "08:00"),
    ]
    p = island_problem(timetable)
    (k1,) = p.tickets
    _, reason = precheck_ticket(day_of(p), k1)
    assert reason is not None and "needs a 2-day plan" in reason.text
    # The 09:00 leaves before the work is done (10:55), yet after the arrival at the school.
    assert "the last sailing home leaves Τήνος at 09:00 (leave the school by 08:29)" in reason.text
    # A boat home that leaves before the technician can even get there is not named.
    early = island_problem(
        [sailing("JSY", "TIN", "07:15"), sailing("TIN", "JSY", "07:30"), sailing("TIN", "JSY", "08:00")]
    )
    (k1,) = early.tickets
    _, none = precheck_ticket(day_of(early), k1)
    assert (
        none is not None
        and "no sailing from Τήνος brings the technician home within the shift today" in none.text
    )
