"""The day solver on tiny problems whose answers can be checked by hand.

Every plan is judged by the independent checker (``assert_valid``), never by the
solver's own numbers.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from dromologio.dispatch import SearchParams, solve
from dromologio.dispatch.solve import Result
from dromologio.models import Problem
from dromologio.models.checker import check_plan
from tests.factories import DAY, problem, school, technician, ticket

#: the problems here have a handful of visits: the first solution and the local search's first
#: descent settle them within milliseconds, so a short limit gives the plans a long one gives.
LIMIT_S = 0.3


def solve_valid(p: Problem, time_limit_s: float = LIMIT_S, **kwargs: object) -> Result:
    result = solve(p, DAY, time_limit_s=time_limit_s, **kwargs)  # type: ignore[arg-type]
    report = check_plan(p, result.plan.to_dict())
    assert report.ok, str(report)
    return result


def reason_codes(result: Result) -> dict[str, str]:
    return {u.ticket_id: u.code for u in result.plan.unassigned}


def technician_of(result: Result) -> dict[str, str]:
    return {t: r.technician_id for r in result.plan.routes for t in r.ticket_ids}


def test_triage_sends_remote_and_warranty_tickets_away_from_routing() -> None:
    p = problem(
        [school("S1", 5)],
        [technician("T1")],
        [
            ticket("K1", "S1", remote=True),
            ticket("K2", "S1", warranty=True),
            ticket("K3", "S1", remote=True, warranty=True),
            ticket("K4", "S1"),
        ],
    )
    result = solve_valid(p)
    assert result.plan.remote == ("K1",)
    assert set(result.plan.vendor) == {"K2", "K3"}
    assert result.plan.visited_ticket_ids == ("K4",)


def test_tickets_at_one_school_are_served_in_a_single_visit() -> None:
    p = problem(
        [school("S1", 10), school("S2", -8, 3)],
        [technician("T1")],
        [
            ticket("K1", "S1", "windows", service_minutes=30),
            ticket("K2", "S1", "network", service_minutes=45),
            ticket("K3", "S2"),
            ticket("K4", "S1", "printer", service_minutes=20),
        ],
    )
    result = solve_valid(p)
    (route,) = [r for r in result.plan.routes if r.visits]
    visits = {v.school_id: set(v.ticket_ids) for v in route.visits}
    assert visits == {"S1": {"K1", "K2", "K4"}, "S2": {"K3"}}
    s1 = next(v for v in route.visits if v.school_id == "S1")
    assert s1.end is not None and s1.start is not None
    assert (s1.end - s1.start).total_seconds() / 60 >= 30 + 45 + 20


def test_only_technicians_with_the_skill_get_the_ticket() -> None:
    p = problem(
        [school("S1", 5), school("S2", -5)],
        [technician("T1", ["windows"]), technician("T2", ["ltsp"])],
        [ticket("K1", "S1", "ltsp"), ticket("K2", "S2", "windows")],
    )
    assert technician_of(solve_valid(p)) == {"K1": "T2", "K2": "T1"}


def test_ticket_with_a_skill_nobody_has_is_unassigned_with_that_reason() -> None:
    p = problem([school("S1", 5)], [technician("T1", ["windows"])], [ticket("K1", "S1", "ltsp")])
    result = solve_valid(p)
    assert reason_codes(result) == {"K1": "no_skill"}
    assert "ltsp" in result.plan.unassigned[0].reason


def test_4x4_school_gets_only_a_4x4_technician() -> None:
    p = problem(
        [school("S1", 20, needs_4x4=True, terrain="mountainous")],
        [technician("T1"), technician("T2", has_4x4=True)],
        [ticket("K1", "S1")],
    )
    assert technician_of(solve_valid(p)) == {"K1": "T2"}
    without = problem([school("S1", 20, needs_4x4=True)], [technician("T1")], [ticket("K1", "S1")])
    result = solve_valid(without)
    assert reason_codes(result) == {"K1": "no_4x4"}
    assert "4x4" in result.plan.unassigned[0].reason


def test_island_school_is_not_reached_across_water_without_the_network() -> None:
    p = problem(
        [school("S1", 5), school("S2", 30, island="Κέρκυρα")],
        [technician("T1")],
        [ticket("K1", "S1"), ticket("K2", "S2")],
    )
    result = solve_valid(p)
    assert reason_codes(result) == {"K2": "water"}
    assert "Κέρκυρα" in result.plan.unassigned[0].reason


def test_school_too_far_to_serve_inside_its_hours_gets_the_hours_reason() -> None:
    p = problem(
        [school("S1", 200, terrain="mountainous"), school("S2", 5, closes="09:00")],
        [technician("T1")],
        [ticket("K1", "S1"), ticket("K2", "S2", service_minutes=120)],
    )
    assert reason_codes(solve_valid(p)) == {"K1": "hours", "K2": "hours"}


def test_daily_km_cap_is_respected_and_explained() -> None:
    p = problem(
        [school("S1", 30), school("S2", 3)],
        [technician("T1", max_km_per_day=40)],
        [ticket("K1", "S1"), ticket("K2", "S2")],
    )
    result = solve_valid(p)
    assert reason_codes(result) == {"K1": "km_cap"}
    assert all(r.distance_km <= 40 for r in result.plan.routes)


def test_urgent_and_overdue_tickets_win_a_full_day() -> None:
    schools = [school(f"S{i}", 3 * (i % 4) - 4, 3 * (i // 4) - 4) for i in range(12)]
    tickets = [ticket(f"L{i}", f"S{i}", priority="low", service_minutes=90) for i in range(8)]
    tickets += [ticket("U1", "S8", priority="urgent", service_minutes=90)]
    tickets += [ticket("D1", "S9", service_minutes=90, due_by=datetime(2026, 11, 22, 12, 0))]
    p = problem(schools, [technician("T1")], tickets)
    result = solve_valid(p)
    served = set(result.plan.visited_ticket_ids)
    assert {"U1", "D1"} <= served
    assert len(served) < len(tickets)
    codes = reason_codes(result)
    assert set(codes.values()) == {"capacity"}
    assert set(codes) | served == {t.ticket_id for t in tickets}


def test_workload_is_spread_over_technicians() -> None:
    schools = [school(f"S{i}", 2 + i, 1) for i in range(4)]
    p = problem(
        schools,
        [technician("T1"), technician("T2")],
        [ticket(f"K{i}", f"S{i}", service_minutes=90) for i in range(4)],
    )
    # The balance is a span cost of the whole day: the guided search, not the first descent, finds it.
    per_technician = {
        r.technician_id: len(r.ticket_ids) for r in solve_valid(p, time_limit_s=1.0).plan.routes
    }
    assert per_technician == {"T1": 2, "T2": 2}


def test_same_seed_and_solution_limit_give_the_same_plan() -> None:
    schools = [school(f"S{i}", (i * 7) % 23 - 11, (i * 5) % 19 - 9) for i in range(15)]
    p = problem(schools, [technician("T1"), technician("T2")], [ticket(f"K{i}", f"S{i}") for i in range(15)])
    params = SearchParams(solution_limit=30)
    first = solve_valid(p, time_limit_s=5, seed=3, params=params).plan.to_dict()["routes"]
    second = solve_valid(p, time_limit_s=5, seed=3, params=params).plan.to_dict()["routes"]
    assert first == second


def test_no_technicians_means_every_ticket_is_unassigned_not_lost() -> None:
    p = problem([school("S1", 5)], [], [ticket("K1", "S1"), ticket("K2", "S1", remote=True)])
    result = solve_valid(p)
    assert reason_codes(result) == {"K1": "no_technicians"}
    assert result.plan.remote == ("K2",)


@pytest.mark.parametrize("priority", ["urgent", "low"])
def test_a_lone_reachable_ticket_is_always_served(priority: str) -> None:
    p = problem(
        [school("S1", 15, terrain="semi_mountainous")],
        [technician("T1")],
        [ticket("K1", "S1", priority=priority)],
    )
    result = solve_valid(p)
    assert result.plan.visited_ticket_ids == ("K1",)
    (route,) = result.plan.routes
    assert route.distance_km > 2 * 15 * 1.0
    assert route.cost_eur == pytest.approx(route.distance_km * 0.15, abs=0.01)


def test_a_trip_not_worth_its_cost_is_explained_as_such() -> None:
    far = problem(
        [school("S1", 60)],
        [technician("T1", cost_per_km=2.0)],
        [ticket("K1", "S1", priority="low", service_minutes=30)],
    )
    result = solve_valid(far)
    assert reason_codes(result) == {"K1": "not_worth"}


def test_a_locked_ticket_goes_to_its_technician_or_says_why_not() -> None:
    p = problem(
        [school("S1", 5), school("S2", 6, needs_4x4=True)],
        [technician("T1", has_4x4=True), technician("T2")],
        [ticket("K1", "S1"), ticket("K2", "S2")],
    )
    result = solve(p, DAY, time_limit_s=LIMIT_S, locks={"K1": "T2", "K2": "T2"})
    assert check_plan(p, result.plan.to_dict()).ok
    assert technician_of(result) == {"K1": "T2"}
    assert reason_codes(result) == {"K2": "locked"}
    assert "T2" in result.plan.unassigned[0].reason


def test_a_school_closed_by_snow_is_explained_and_open_again_the_next_day() -> None:
    from datetime import timedelta

    from dromologio.geo.closures import Closure

    snow = Closure(reason="closed by snow", start=DAY, end=DAY, place_ids=frozenset({"S1"}))
    p = problem(
        [school("S1", 20, terrain="mountainous"), school("S2", 3)],
        [technician("T1")],
        [ticket("K1", "S1"), ticket("K2", "S2")],
    )
    result = solve(p, DAY, time_limit_s=LIMIT_S, closures=[snow])
    assert check_plan(p, result.plan.to_dict()).ok
    assert reason_codes(result) == {"K1": "closed"}
    assert "closed by snow on 2026-11-23" in result.plan.unassigned[0].reason
    later = solve(p, DAY + timedelta(days=1), time_limit_s=LIMIT_S, closures=[snow])
    assert set(later.plan.visited_ticket_ids) == {"K1", "K2"}
