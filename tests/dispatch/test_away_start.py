"""A technician who starts the day away from home (after a night on another island).

Syros is home (port JSY); Monday's Andros ticket takes a night there (the only sailing back
leaves after the shift).  On Tuesday the straight way home is Andros to Syros at 07:30, but
the 07:30 to Tinos, a visit there and the 13:30 Tinos to Syros serve Tuesday's Tinos ticket on
the way home.  Every plan is judged by the independent checker and the plan audit.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from dromologio.dispatch import solve
from dromologio.dispatch.engine import FeasibilityOracle
from dromologio.dispatch.excursions import ExcursionBuilder
from dromologio.dispatch.params import SearchParams
from dromologio.dispatch.repair import day_plan
from dromologio.dispatch.road_times import road_times
from dromologio.dispatch.search import search_instance
from dromologio.dispatch.solve import Result, default_travel_model
from dromologio.models import Base, Port, Problem, Sailing, School
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from tests.factories import DAY, problem, technician, ticket

SYROS, ANDROS, TINOS = "Σύρος", "Άνδρος", "Τήνος"
PORTS = (
    Port("JSY", "Σύρος", 37.4425, 24.9445, SYROS),
    Port("AND", "Γαύριο", 37.8911, 24.7339, ANDROS),
    Port("TIN", "Τήνος", 37.5375, 25.1615, TINOS),
)
BASE = Base("SYR", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Κυκλάδων", 37.4412, 24.9401, SYROS)
ANDROS_SCHOOL = School("S_AND", "Γυμνάσιο Γαυρίου", 37.8880, 24.7350, "Δ.Δ.Ε. Κυκλάδων", ANDROS)
TINOS_SCHOOL = School("S_TIN", "Δημοτικό Σχολείο Τήνου", 37.5420, 25.1630, "Δ.Δ.Ε. Κυκλάδων", TINOS)
TUESDAY = DAY + timedelta(days=1)


def sailing(frm: str, to: str, depart: str, minutes: int, days: str) -> Sailing:
    hours, mins = depart.split(":")
    return Sailing(frm, to, int(hours) * 60 + int(mins), minutes, frozenset(days.split(";")), 15.0)


TIMETABLE = [
    sailing("JSY", "AND", "08:00", 90, "Mon"),
    sailing("AND", "JSY", "17:30", 90, "Mon;Tue"),  # after the shift: Monday's Andros visit takes a night
    sailing("AND", "JSY", "07:30", 90, "Tue"),  # the straight way home
    sailing("AND", "TIN", "07:30", 90, "Tue"),
    sailing("TIN", "JSY", "13:30", 50, "Tue"),
]


def away_problem() -> Problem:
    monday = ticket("K_AND", "S_AND", priority="high", service_minutes=90)
    # Opened on Tuesday morning: Monday cannot serve it.
    tuesday = dataclasses.replace(
        ticket("K_TIN", "S_TIN", service_minutes=90), opened_at=datetime(2026, 11, 24, 7, 0)
    )
    return problem(
        [ANDROS_SCHOOL, TINOS_SCHOOL],
        [technician("T1", base_id="SYR", shift=("07:00", "15:30"))],
        [monday, tuesday],
        bases=[BASE],
        ports=PORTS,
        sailings=TIMETABLE,
    )


def solve_audited(p: Problem) -> Result:
    result = solve(p, DAY, days=2, time_limit_s=1.0)
    plan = result.plan.to_dict()
    report = check_plan(p, plan)
    assert report.ok, str(report)
    audit = audit_plan(p, plan, road=road_times(p, default_travel_model(p)))
    assert audit.ok, str(audit)
    return result


@pytest.fixture(scope="module")
def away_result() -> Result:
    """The two days of :func:`away_problem`, solved once for the tests that read them."""
    return solve_audited(away_problem())


def ferries(result: Result) -> list[tuple[str, str, str, str]]:
    return [
        (r.date.isoformat(), str(s.from_port), str(s.to_port), s.depart.strftime("%H:%M") if s.depart else "")
        for r in result.plan.routes
        for s in r.stops
        if s.type == "ferry"
    ]


def test_the_way_home_after_a_night_away_serves_a_ticket_on_another_island(away_result: Result) -> None:
    result = away_result
    monday, tuesday = result.plan.routes
    assert monday.ticket_ids == ("K_AND",) and monday.stops[-1].lodging
    assert tuesday.stops[0].lodging and tuesday.stops[0].island == ANDROS
    assert tuesday.ticket_ids == ("K_TIN",)
    assert ferries(result)[-2:] == [
        (TUESDAY.isoformat(), "AND", "TIN", "07:30"),
        (TUESDAY.isoformat(), "TIN", "JSY", "13:30"),
    ]
    assert result.plan.unassigned == ()


def test_the_first_solution_sends_a_technician_away_home_by_the_island_of_a_ticket(
    away_result: Result,
) -> None:
    """The excursion constructor alone, on Tuesday's model: the way home passes Tinos."""
    p = away_problem()
    model = away_result.days[1].model
    builder = ExcursionBuilder(p, model)
    built: list[list[list[int]]] = []

    def recording(routes: list[list[int]], feasible: FeasibilityOracle, deadline: float) -> list[list[int]]:
        built.append(builder(routes, feasible, deadline))
        return built[-1]

    search_instance(
        model.instance, time_limit_s=0.2, params=SearchParams(num_workers=1), constructor=recording
    )
    (routes,) = built
    stops = [(model.nodes[n].kind, model.nodes[n].island) for n in routes[0]]
    assert stops == [("sailing", ANDROS), ("ticket", TINOS), ("sailing", TINOS)]


def test_the_repair_audits_a_day_that_starts_after_a_night_away(away_result: Result) -> None:
    """The day's plan the repair audits carries the night before, so the checker accepts the day."""
    result = away_result
    monday_routes = [r for r in result.plan.routes if r.date == DAY]
    tuesday = result.days[1]
    alone = day_plan(away_problem(), tuesday.model, tuesday.solution)
    with_night = day_plan(away_problem(), tuesday.model, tuesday.solution, monday_routes)
    assert alone.dates == (TUESDAY,)
    assert with_night.dates == (DAY, TUESDAY)
    assert check_plan(away_problem(), with_night).ok
    assert not check_plan(away_problem(), alone).ok
