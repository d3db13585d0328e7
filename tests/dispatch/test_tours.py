"""Tours over the horizon on the sample's Cyclades: which nights lead home, and plans that take them.

The Naxos technician T09 (07:00–15:00) reaches Ios by the 12:45 boat (14:10) and is home the
next morning by the 08:20 from Ios; from Syros no boat brings it home within Tuesday's shift
(the 07:45 to Paros, for the boat on to Naxos, runs on Mondays, Wednesdays and Fridays), so a night there on Monday
leads home only after a second night.
A ticket on Ios (K0045, 08:15–14:00) cannot be served after the morning boat home, so serving it
takes a second night on Ios: a chain of two nights that only a tour plans.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

import pytest

from dromologio.dispatch import solve
from dromologio.dispatch.build import StartPoint, day_context
from dromologio.dispatch.road_times import road_times
from dromologio.dispatch.rules.base import Day
from dromologio.dispatch.solve import Horizon, default_travel_model
from dromologio.dispatch.tours import nights_home
from dromologio.dispatch.triage import triage
from dromologio.models import Plan, Problem, Route, Stop
from dromologio.models.audit import audit_plan
from dromologio.models.checker import LODGING, check_plan
from dromologio.models.readers import read_problem
from dromologio.sample import sample_data_dir

MON, TUE = date(2026, 11, 23), date(2026, 11, 24)
WED, THU, FRI = date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27)
IOS, SYROS = "Ίος", "Σύρος"


@pytest.fixture(scope="module")
def sample() -> Problem:
    return read_problem(sample_data_dir())


def monday(problem: Problem, horizon: tuple[date, ...], nights: dict[str, int] | None = None) -> Day:
    return day_context(
        problem,
        triage(problem.tickets).to_visit,
        MON,
        default_travel_model(problem),
        allow_lodging=True,
        next_date=TUE,
        horizon=horizon,
        nights_away=nights,
    )


def with_policy(problem: Problem, **values: Any) -> Problem:
    return problem.replace(policy=dataclasses.replace(problem.policy, **values))


def test_a_night_on_ios_leads_home_tomorrow_and_one_on_syros_only_after_a_second(sample: Problem) -> None:
    t09 = sample.technician_by_id["T09"]
    tour = monday(sample, (TUE, WED))
    assert nights_home(tour, t09, IOS) == 1
    assert nights_home(tour, t09, SYROS) == 2
    rolling = monday(sample, ())
    assert nights_home(rolling, t09, IOS) == 1
    assert nights_home(rolling, t09, SYROS) is None


def test_the_cap_on_nights_in_a_row_and_the_end_of_the_horizon_close_a_tour(sample: Problem) -> None:
    t09 = sample.technician_by_id["T09"]
    assert nights_home(monday(with_policy(sample, max_nights_away=1), (TUE, WED)), t09, SYROS) is None
    assert nights_home(monday(sample, (TUE, WED), {"T09": 3}), t09, SYROS) is None
    assert nights_home(monday(sample, (TUE,)), t09, SYROS) is None


def test_max_nights_away_must_allow_a_night() -> None:
    problem_policy = read_problem(sample_data_dir()).policy
    with pytest.raises(ValueError, match="max_nights_away"):
        dataclasses.replace(problem_policy, max_nights_away=0)


def ios_only(problem: Problem) -> Problem:
    """T09 alone, with the one ticket on Ios."""
    return problem.replace(
        technicians=(problem.technician_by_id["T09"],),
        tickets=tuple(t for t in problem.tickets if t.ticket_id == "K0045"),
    )


def ios_nights(problem: Problem, horizon: Horizon) -> tuple[list[tuple[date, str, str]], int]:
    problem = ios_only(problem)
    result = solve(problem, WED, days=3, time_limit_s=1.0, seed=1, horizon=horizon)
    plan = result.plan.to_dict()
    assert check_plan(problem, plan).ok, str(check_plan(problem, plan))
    audit = audit_plan(problem, plan, road=road_times(problem, default_travel_model(problem)))
    assert audit.ok, str(audit)
    last = [r for r in result.plan.routes if r.date == FRI]
    assert last and not any(r.stops[-1].lodging for r in last), "the horizon ends at home"
    nights = [
        (r.date, r.technician_id, r.stops[-1].island or "")
        for r in result.plan.routes
        if r.stops and r.stops[-1].lodging
    ]
    served = len(result.plan.visited_ticket_ids)
    return nights, served


@pytest.mark.slow  # a solver run of seconds: the full run has it
def test_a_chain_of_two_nights_on_ios_serves_its_ticket_when_it_pays(sample: Problem) -> None:
    nights, served = ios_nights(sample, "tours")
    assert (nights, served) == ([(WED, "T09", IOS), (THU, "T09", IOS)], 1)
    rolling, served = ios_nights(sample, "rolling")
    assert (THU, "T09", IOS) not in rolling and served == 0


def test_no_chain_when_the_nights_cost_more_than_the_ticket_is_worth(sample: Problem) -> None:
    dear = with_policy(sample, overnight_eur=2000.0)
    assert ios_nights(dear, "tours") == ([], 0)


def test_no_night_at_all_where_the_employer_forbids_it(sample: Problem) -> None:
    assert ios_nights(with_policy(sample, allow_overnight=False), "tours") == ([], 0)


@pytest.fixture(scope="module")
def chain(sample: Problem) -> tuple[Problem, Plan]:
    """T09's two nights on Ios (Wednesday and Thursday), home on Friday."""
    problem = ios_only(sample)
    plan = solve(problem, WED, days=3, time_limit_s=1.0, seed=1).plan
    assert [(r.date, r.stops[-1].lodging) for r in plan.routes] == [(WED, True), (THU, True), (FRI, False)]
    return problem, plan


def part(plan: Plan, *days: date) -> Plan:
    return dataclasses.replace(
        plan, dates=days, routes=tuple(r for r in plan.routes if r.date in days), unassigned=()
    )


def lodging_findings(problem: Problem, plan: Plan, **options: Any) -> list[str]:
    return [v.message for v in check_plan(problem, plan, **options).violations if v.rule == LODGING]


def test_a_part_of_a_tour_starts_where_the_night_before_it_was_spent(chain: tuple[Problem, Plan]) -> None:
    problem, plan = chain
    wednesday_routes = part(plan, WED).routes
    assert lodging_findings(problem, part(plan, THU, FRI))
    assert not lodging_findings(problem, part(plan, THU, FRI), before=wednesday_routes)
    elsewhere = [
        dataclasses.replace(
            r, stops=(*r.stops[:-1], dataclasses.replace(r.stops[-1], island="Νάξος", lat=37.1))
        )
        for r in wednesday_routes
    ]
    assert lodging_findings(problem, part(plan, THU, FRI), before=elsewhere)


def test_a_part_may_end_away_only_when_the_plan_continues(chain: tuple[Problem, Plan]) -> None:
    problem, plan = chain
    assert lodging_findings(problem, part(plan, WED, THU))
    assert not lodging_findings(problem, part(plan, WED, THU), continues=True)


def test_more_nights_in_a_row_than_the_policy_allows_is_a_finding(chain: tuple[Problem, Plan]) -> None:
    problem, plan = chain
    assert not lodging_findings(problem, plan)
    (finding,) = lodging_findings(with_policy(problem, max_nights_away=1), plan)
    assert "2 nights in a row" in finding and "max_nights_away" in finding


def test_a_technician_held_away_by_a_strike_stays_another_night_where_it_is(sample: Problem) -> None:
    """T07 slept on Andros; on Monday no boat runs: its day is one more night there, not an empty route."""
    andros = next(p for p in sample.ports if p.island == "Άνδρος")
    struck = sample.replace(sailings=(), tickets=(), technicians=(sample.technician_by_id["T07"],))
    monday, tuesday = date(2026, 11, 30), date(2026, 12, 1)
    night = StartPoint(andros.lat, andros.lon, andros.island, lodging=True)
    result = solve(struck, monday, time_limit_s=0.3, seed=1, continues=(tuesday,), starts={"T07": night})
    (route,) = result.plan.routes
    assert route.stops[0].lodging and route.stops[-1].lodging and route.stops[-1].island == andros.island
    friday = Route(
        "T07",
        date(2026, 11, 27),
        (
            Stop("start", lat=0.0, lon=0.0, depart=datetime(2026, 11, 27, 7, 0)),
            Stop(
                "end",
                lat=andros.lat,
                lon=andros.lon,
                arrive=datetime(2026, 11, 27, 15, 0),
                lodging=True,
                island=andros.island,
            ),
        ),
        distance_km=0.0,
        travel_minutes=0,
        cost_eur=0.0,
    )
    assert not lodging_findings(struck, result.plan, before=(friday,), continues=True)
    assert result.next_starts["T07"].island == andros.island and result.nights_away == {"T07": 1}


@pytest.mark.slow  # two solver runs of seconds: the full run has it
def test_the_service_solves_a_plan_as_tours_or_rolling_as_asked(sample: Problem) -> None:
    from dromologio.api.solving import solve_plan

    problem = ios_only(sample)
    tours = solve_plan(problem, WED, days=3, time_limit_s=1.0, seed=1, horizon="tours")
    rolling = solve_plan(problem, WED, days=3, time_limit_s=1.0, seed=1, horizon="rolling")
    for plan in (tours, rolling):
        assert check_plan(problem, plan.to_dict()).ok
    assert [sum(1 for r in p.routes if r.stops[-1].lodging) for p in (tours, rolling)] == [2, 0]
