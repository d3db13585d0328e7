"""Islands: exact sailings, overnight stays, and the reasons when the sea wins.

Syros (home, port JSY) and Tinos (port TIN) 22 km apart; every plan is judged
by the independent checker.
"""

from __future__ import annotations

from dromologio.dispatch import solve
from dromologio.dispatch.solve import Result
from dromologio.models import Base, Port, Problem, Sailing, School
from dromologio.models.checker import check_plan
from tests.factories import DAY, problem, technician, ticket

SYROS, TINOS = "Σύρος", "Τήνος"
PORTS = (Port("JSY", "Σύρος", 37.4425, 24.9445, SYROS), Port("TIN", "Τήνος", 37.5375, 25.1615, TINOS))
BASE = Base("SYR", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Κυκλάδων", 37.4412, 24.9401, SYROS)
TINOS_SCHOOL = School("S_TIN", "Γυμνάσιο Τήνου", 37.5420, 25.1630, "Δ.Δ.Ε. Κυκλάδων", TINOS)


def sailing(
    frm: str, to: str, depart: str, days: str = "Mon;Tue;Wed;Thu;Fri;Sat;Sun", fare: float = 12.0
) -> Sailing:
    hours, minutes = depart.split(":")
    return Sailing(frm, to, int(hours) * 60 + int(minutes), 50, frozenset(days.split(";")), fare)


def island_problem(sailings: list[Sailing], service_minutes: int = 150, priority: str = "normal") -> Problem:
    return problem(
        [TINOS_SCHOOL],
        [technician("T1", base_id="SYR", shift=("06:30", "16:00"))],
        [ticket("K1", "S_TIN", priority=priority, service_minutes=service_minutes)],
        bases=[BASE],
        ports=PORTS,
        sailings=sailings,
    )


def solve_checked(p: Problem, days: int = 1) -> Result:
    result = solve(p, DAY, days=days, time_limit_s=1.0)
    report = check_plan(p, result.plan.to_dict())
    assert report.ok, str(report)
    return result


def ferries(result: Result) -> list[tuple[str, str, str]]:
    return [
        (str(s.from_port), str(s.to_port), s.depart.strftime("%H:%M") if s.depart else "")
        for r in result.plan.routes
        for s in r.stops
        if s.type == "ferry"
    ]


def test_the_only_feasible_plan_takes_the_0715_and_returns_on_the_1330() -> None:
    timetable = [
        sailing("JSY", "TIN", "07:15"),
        sailing("JSY", "TIN", "10:00"),
        sailing("TIN", "JSY", "13:30"),
        sailing("TIN", "JSY", "17:30"),
    ]
    result = solve_checked(island_problem(timetable))
    assert result.plan.visited_ticket_ids == ("K1",)
    assert ferries(result) == [("JSY", "TIN", "07:15"), ("TIN", "JSY", "13:30")]
    (route,) = result.plan.routes
    assert route.costs["ferry_eur"] == 24.0
    assert route.cost_eur == round(route.costs["distance_eur"] + 24.0, 2)


def test_no_sailing_that_weekday_is_the_reason() -> None:
    timetable = [sailing("JSY", "TIN", "07:15", "Wed"), sailing("TIN", "JSY", "13:30", "Wed")]
    result = solve_checked(island_problem(timetable))
    (item,) = result.plan.unassigned
    assert item.code == "no_sailing"
    assert "Monday" in item.reason and "Δευτέρα" in item.reason and TINOS in item.reason


def test_without_a_return_sailing_one_day_leaves_the_ticket_with_its_reason() -> None:
    timetable = [sailing("JSY", "TIN", "07:15"), sailing("TIN", "JSY", "17:30")]
    result = solve_checked(island_problem(timetable))
    (item,) = result.plan.unassigned
    assert item.code == "no_round_trip"


def test_two_day_plan_stays_overnight_when_the_timetable_forces_it() -> None:
    timetable = [
        sailing("JSY", "TIN", "07:15"),
        sailing("TIN", "JSY", "17:30"),
        sailing("TIN", "JSY", "08:00"),
    ]
    # A night away costs fares, the overnight allowance and a per diem (80 + 40 + 24 EUR):
    # worth it for a high-priority ticket, not for a normal one.
    normal = solve_checked(island_problem(timetable), days=2)
    assert normal.plan.visited_ticket_ids == ()
    result = solve_checked(island_problem(timetable, priority="high"), days=2)
    assert result.plan.visited_ticket_ids == ("K1",)
    first, second = result.plan.routes
    assert first.stops[-1].lodging and first.stops[-1].island == TINOS
    assert second.stops[0].lodging and second.stops[0].island == TINOS
    assert ferries(result) == [("JSY", "TIN", "07:15"), ("TIN", "JSY", "08:00")]
    assert first.costs["overnight_eur"] == 80.0
    assert first.costs["per_diem_eur"] == 40.0 and second.costs["per_diem_eur"] == 40.0
    assert result.plan.kpis["nights_away"] == 1


def test_mainland_technician_cannot_cross_without_a_timetable() -> None:
    p = problem(
        [TINOS_SCHOOL],
        [technician("T1", base_id="ATH")],
        [ticket("K1", "S_TIN")],
        bases=[Base("ATH", "Αθήνα", 37.98, 23.73, "")],
        ports=PORTS,
    )
    result = solve_checked(p)
    assert [u.code for u in result.plan.unassigned] == ["water"]
