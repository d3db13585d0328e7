"""A trip's crossings outside the shift (the policy's ``crossing_outside_shift_min``).

Koufonisia is reached by the 14:00 boat from Naxos, landing at 16:35, or by the 06:30 from
Amorgos (07:55), and left by the 07:55 to Naxos (10:30): the Naxos technician T09 (07:00–15:00)
can serve its school (08:15–14:00) only by landing there the evening before, after the shift,
or by sleeping on Amorgos and taking the boat that leaves before the shift starts; either way a
second night follows before the morning boat home.  With two hours of crossing allowed outside
the shift, a 3-day tour does just that; within the shift, nobody can.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from dromologio.dispatch import solve
from dromologio.dispatch.road_times import road_times
from dromologio.dispatch.solve import default_travel_model
from dromologio.models import Plan, Problem
from dromologio.models.audit import audit_plan
from dromologio.models.checker import SHIFT, check_plan
from dromologio.models.readers import read_problem
from dromologio.sample import sample_data_dir

MON, TUE, WED = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)
KOUFONISIA = "Κουφονήσια"
CROSSING_MIN = 120


def koufonisia(crossing_min: int) -> Problem:
    """T09 alone, with the Koufonisia ticket turned into one of its skills."""
    sample = read_problem(sample_data_dir())
    (ticket,) = (t for t in sample.tickets if sample.school_by_id[t.school_id].island == KOUFONISIA)
    return sample.replace(
        technicians=(sample.technician_by_id["T09"],),
        tickets=(dataclasses.replace(ticket, skill="windows"),),
        policy=dataclasses.replace(sample.policy, crossing_outside_shift_min=crossing_min),
    )


def three_day_tour(problem: Problem) -> Plan:
    result = solve(problem, MON, days=3, time_limit_s=1.0, seed=1, horizon="tours")
    plan = result.plan.to_dict()
    assert check_plan(problem, plan).ok, str(check_plan(problem, plan))
    audit = audit_plan(problem, plan, road=road_times(problem, default_travel_model(problem)))
    assert audit.ok, str(audit)
    return result.plan


@pytest.mark.slow  # three 1-second solves: the full run has it
def test_the_evening_boat_after_the_shift_serves_an_island_the_shift_cannot_reach() -> None:
    within = three_day_tour(koufonisia(0))
    assert not within.visited_ticket_ids
    problem = koufonisia(CROSSING_MIN)
    plan = three_day_tour(problem)
    assert len(plan.visited_ticket_ids) == 1
    nights = [(r.date, r.stops[-1].island) for r in plan.routes if r.stops[-1].lodging]
    assert len(nights) == 2 and nights[-1] == (TUE, KOUFONISIA)
    technician = problem.technician_by_id["T09"]
    outside = [
        r
        for r in plan.routes
        if (
            r.stops[0].lodging
            and r.stops[0].depart is not None
            and _minute(r.stops[0].depart) < technician.shift_start_min
        )
        or (
            r.stops[-1].lodging
            and r.stops[-1].arrive is not None
            and _minute(r.stops[-1].arrive) > technician.shift_end_min
        )
    ]
    assert outside, "a crossing outside the shift serves the island"
    # the crossing is a trip's travel, not overtime
    assert all(r.overtime_min == 0 for r in plan.routes)
    # the same plan breaks the shift under a policy that keeps crossings within it
    found = check_plan(koufonisia(0), plan.to_dict())
    assert found.violations and {v.rule for v in found.violations} == {SHIFT}
    assert {(v.technician_id, v.date) for v in found.violations} == {("T09", r.date) for r in outside}


def _minute(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def test_a_crossing_outside_the_shift_must_not_be_negative() -> None:
    policy = read_problem(sample_data_dir()).policy
    with pytest.raises(ValueError, match="crossing_outside_shift_min"):
        dataclasses.replace(policy, crossing_outside_shift_min=-1)
