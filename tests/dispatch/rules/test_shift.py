"""shift: a route starts and ends inside the technician's shift, or the overtime the policy allows."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dromologio.dispatch.build import precheck_ticket
from dromologio.dispatch.rules import ferry, school_hours, shift
from dromologio.models import Policy, Problem, Route
from tests.dispatch.rules import day_of, model_of
from tests.dispatch.test_islands import ferries, island_problem, sailing, solve_checked
from tests.factories import problem, school, technician, ticket


def test_vehicle_windows_are_the_shifts() -> None:
    p = problem(
        [school("S1", 5)],
        [technician("T1", shift=("07:30", "15:30")), technician("T2", shift=("09:00", "13:00"))],
        [ticket("K1", "S1")],
    )
    model = model_of(p)
    assert model.instance.vehicle_windows.tolist() == [
        [7 * 3600 + 1800, 15 * 3600 + 1800],
        [9 * 3600, 13 * 3600],
    ]
    assert shift.RULE.encode is not None and shift.RULE.admits is None


def test_the_way_back_must_fit_the_shift() -> None:
    early, late = technician("T1", shift=("08:00", "11:00")), technician("T2")
    k1 = ticket("K1", "S1", service_minutes=150)
    p = problem([school("S1", 20)], [early, late], [k1])
    day = day_of(p)
    assert not school_hours.admits(day, early, k1)
    assert school_hours.admits(day, late, k1)
    _, reason = precheck_ticket(day_of(problem([school("S1", 20)], [early], [k1])), k1)
    # The school is open until 14:00: the shift, not the school's hours, is the limit.
    assert reason is not None and reason.code == shift.SHIFT
    assert "the shift ends" in reason.text and "the shift ends at 11:00" in reason.text
    assert "η βάρδια τελειώνει" in reason.text


def test_the_school_closing_first_is_the_hours_reason_not_the_shift() -> None:
    early = technician("T1", shift=("08:00", "11:00"))
    k1 = ticket("K1", "S1", service_minutes=150)
    p = problem([school("S1", 20, closes="10:30")], [early], [k1])
    _, reason = precheck_ticket(day_of(p), k1)
    assert reason is not None and reason.code == school_hours.HOURS
    assert "08:15–10:30" in reason.text and "shift" not in reason.text


# --- overtime: the 16:15 boat home ------------------------------------------------


def last_boat_problem(policy: Policy, tickets: int = 1) -> Problem:
    """Syros to Tinos at 07:15, back only on the 16:15 (50 min): home at 17:06, 41 min after a
    shift that ends at 16:25."""
    base_problem = island_problem([sailing("JSY", "TIN", "07:15"), sailing("TIN", "JSY", "16:15")])
    technicians = tuple(replace(t, shift_end_min=16 * 60 + 25) for t in base_problem.technicians)
    work = tuple(
        replace(base_problem.tickets[0], ticket_id=f"K{n}", service_minutes=300)
        for n in range(1, tickets + 1)
    )
    return base_problem.replace(technicians=technicians, tickets=work, policy=policy)


def test_the_last_boat_is_caught_with_overtime_when_the_policy_allows_it() -> None:
    allowed = last_boat_problem(Policy(overtime_max_min_per_day=60, overtime_eur_per_hour=30.0))
    model = model_of(allowed)
    shift_end = (16 * 60 + 25) * 60
    assert model.instance.vehicle_windows.tolist() == [[6 * 3600 + 1800, shift_end + 3600]]
    assert model.instance.vehicle_soft_end is not None and model.instance.vehicle_soft_end.tolist() == [
        shift_end
    ]
    # 30 EUR an hour: 30 x 10,000 / 3600 cost units a second.
    assert model.instance.vehicle_overtime_cost is not None
    assert model.instance.vehicle_overtime_cost.tolist() == [83]
    result = solve_checked(allowed)
    assert result.plan.visited_ticket_ids == ("K1",)
    assert ferries(result) == [("JSY", "TIN", "07:15"), ("TIN", "JSY", "16:15")]
    (route,) = result.plan.routes
    assert route.overtime_min == 41
    assert route.costs["overtime_eur"] == round(41 * 30.0 / 60, 2)
    assert route.to_dict()["overtime_min"] == 41
    assert Route.from_dict(route.to_dict()).overtime_min == 41


def test_with_a_hard_shift_end_or_too_little_overtime_the_ticket_waits() -> None:
    for policy in (Policy(), Policy(overtime_max_min_per_day=30)):
        p = last_boat_problem(replace(policy, allow_overnight=False))
        model = model_of(p)
        assert model.instance.vehicle_windows[0, 1] <= (16 * 60 + 55) * 60
        assert not [
            info
            for info in model.nodes
            if info.kind == "sailing" and info.sailing and info.sailing.depart_s == 16 * 3600 + 900
        ]
        result = solve_checked(p)
        assert result.plan.visited_ticket_ids == ()
        (item,) = result.plan.unassigned
        assert item.code == ferry.NO_ROUND_TRIP
        assert "overtime_min" not in result.plan.routes[0].to_dict()


@pytest.mark.slow  # a solver run of seconds: the full run has it
def test_the_weekly_limit_leaves_overtime_for_one_day_of_two() -> None:
    no_nights = Policy(overtime_max_min_per_day=60, allow_overnight=False)
    both = solve_checked(last_boat_problem(no_nights, tickets=2), days=2)
    assert sorted(both.plan.visited_ticket_ids) == ["K1", "K2"]
    assert [r.overtime_min for r in both.plan.routes] == [41, 41]
    weekly = replace(no_nights, overtime_max_min_per_week=60)
    one = solve_checked(last_boat_problem(weekly, tickets=2), days=2)
    assert len(one.plan.visited_ticket_ids) == 1
    assert sum(r.overtime_min for r in one.plan.routes) == 41
    assert one.plan.kpis["overtime_minutes"] == 41


def test_overtime_policy_fields_per_employer_and_their_errors() -> None:
    policy = Policy.from_dict(
        {
            "overtime_max_min_per_day": 30,
            "overtime_max_min_per_week": 45,
            "employers": {"ΚΕ.ΠΛΗ.ΝΕ.Τ.": {"overtime_max_min_per_day": 90, "overtime_eur_per_hour": 25}},
        }
    )
    assert policy.overtime_today_min() == 30 and policy.overtime_today_min(used_this_week_min=30) == 15
    assert policy.overtime_today_min(used_this_week_min=60) == 0
    partner = policy.for_employer("ΚΕ.ΠΛΗ.ΝΕ.Τ.")
    assert partner.overtime_today_min() == 45 and partner.overtime_eur_per_hour == 25
    assert Policy().overtime_today_min() == 0  # the default keeps the shift end hard
    for bad in (
        {"overtime_max_min_per_day": -5},
        {"overtime_max_min_per_week": -1},
        {"overtime_eur_per_hour": -1},
    ):
        with pytest.raises(ValueError, match="overtime"):
            Policy.from_dict(bad)
