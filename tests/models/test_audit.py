"""The plan audit: tickets left undone that a technician could still take for a lower objective.

Tiny problems around Ioannina (``tests.factories``: plain terrain, so a road move of
``d`` straight-line km is 1.3 d km and takes ceil(1.3 d) minutes), plans written by
hand, and the sample day's solved plan (``data/sample_2026-11-23_plan.json``).  Every
finding must be a plan the checker accepts, and its ``delta_eur`` the change of the
day's objective.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dromologio.models import Plan, Policy, Port, Problem, Route, Sailing, Stop, Unassigned
from dromologio.models.audit import (
    IDLE_COULD_SERVE,
    INSERTABLE,
    KINDS,
    SWAP,
    AuditReport,
    Finding,
    apply_finding,
    audit_plan,
    day_objective_eur,
)
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem
from dromologio.models.retime import (
    Point,
    Travel,
    Visit,
    day_of,
    price_route,
    ticket_value_eur,
    time_day,
)
from tests.factories import DAY, base, problem, school, technician, ticket

DATA = Path(__file__).parent / "data"
SAMPLE_PLAN = DATA / "sample_2026-11-23_plan.json"
HOME = base()


def at(hhmm: str, day: date = DAY) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(day.year, day.month, day.day, int(hours), int(minutes))


def start(hhmm: str) -> Stop:
    return Stop("start", lat=HOME.lat, lon=HOME.lon, depart=at(hhmm))


def end(hhmm: str) -> Stop:
    return Stop("end", lat=HOME.lat, lon=HOME.lon, arrive=at(hhmm))


def visit(p: Problem, school_id: str, tickets: list[str], arrive: str, begin: str, finish: str) -> Stop:
    s = p.school_by_id[school_id]
    return Stop(
        "visit",
        lat=s.lat,
        lon=s.lon,
        school_id=school_id,
        ticket_ids=tuple(tickets),
        arrive=at(arrive),
        start=at(begin),
        end=at(finish),
    )


def idle(technician_id: str, hhmm: str = "08:00") -> Route:
    return Route(technician_id, DAY, (start(hhmm), end(hhmm)), 0.0, 0, 0.0)


def make_plan(p: Problem, routes: list[Route], unassigned: list[str]) -> Plan:
    plan = Plan(
        (DAY,),
        tuple(routes),
        tuple(Unassigned(t, "κανένας χρόνος / no time", "capacity") for t in unassigned),
    )
    report = check_plan(p, plan)
    assert report.ok, str(report)
    return plan


def assert_sound(p: Problem, plan: Plan, report: AuditReport) -> None:
    """Every finding, applied, is a plan the checker accepts, cheaper by exactly ``delta_eur``."""
    for finding in report.findings:
        changed = apply_finding(plan, finding)
        checked = check_plan(p, changed)
        assert checked.ok, f"{finding}\n{checked}"
        gain = day_objective_eur(p, changed, finding.date) - day_objective_eur(p, plan, finding.date)
        assert gain == pytest.approx(finding.delta_eur, abs=0.01)
        assert finding.delta_eur < 0
        assert finding.kind in KINDS
        greek, english = finding.message.split(" / ", 1)
        assert greek and english and finding.ticket_id in greek and finding.ticket_id in english


# ---------------------------------------------------------------- a mainland day


def mainland() -> Problem:
    """T1 serves S1 (10 km north) and S2 (10 km east); K3 at S3, 5 km north, waits."""
    return problem(
        [school("S1", north_km=10), school("S2", east_km=10), school("S3", north_km=5)],
        [technician("T1")],
        [
            ticket("K1", "S1", service_minutes=60),
            ticket("K2", "S2", service_minutes=60),
            ticket("K3", "S3", priority="high", service_minutes=45),
        ],
    )


def busy_t1(p: Problem) -> Route:
    stops = (
        start("08:00"),
        visit(p, "S1", ["K1"], "08:20", "08:20", "09:30"),
        visit(p, "S2", ["K2"], "09:55", "09:55", "11:05"),
        end("11:30"),
    )
    return Route("T1", DAY, stops, 45.0, 75, 6.75)


def test_an_unassigned_ticket_that_fits_a_day_with_slack_is_insertable() -> None:
    p = mainland()
    plan = make_plan(p, [busy_t1(p)], ["K3"])
    report = audit_plan(p, plan)
    assert [(f.kind, f.ticket_id, f.technician_id, f.date) for f in report.findings] == [
        (INSERTABLE, "K3", "T1", DAY)
    ]
    finding = report.findings[0]
    value = ticket_value_eur(p.ticket_by_id["K3"], DAY, p.policy)
    assert finding.ticket_value_eur == pytest.approx(value, abs=0.01)
    # a few km of detour against a high-priority ticket
    assert -value < finding.delta_eur < -value + 10
    (route,) = finding.routes
    assert route.technician_id == "T1" and sorted(route.ticket_ids) == ["K1", "K2", "K3"]
    assert "χωράει" in finding.message and "fits into" in finding.message
    assert_sound(p, plan, report)
    assert not report.ok and report.ticket_ids == {"K3"}
    assert report.to_dict()["findings"][0]["kind"] == INSERTABLE


def test_the_insertion_shares_the_visit_of_a_school_already_visited() -> None:
    p = mainland().replace(
        tickets=(*mainland().tickets[:2], ticket("K3", "S1", priority="high", service_minutes=30))
    )
    plan = make_plan(p, [busy_t1(p)], ["K3"])
    (finding,) = audit_plan(p, plan).findings
    visits = [(s.school_id, s.ticket_ids) for s in finding.routes[0].visits]
    assert ("S1", ("K1", "K3")) in visits or ("S1", ("K3", "K1")) in visits
    assert len(visits) == 2


def test_a_technician_with_an_empty_day_beside_a_ticket_they_can_serve() -> None:
    p = problem(
        [school("S1", north_km=10), school("S2", east_km=10), school("S3", north_km=-8)],
        [technician("T1", ["windows"]), technician("T2", ["printer"])],
        [
            ticket("K1", "S1", service_minutes=240),
            ticket("K2", "S2", service_minutes=60),
            ticket("K3", "S3", "printer", priority="urgent", service_minutes=90),
        ],
    )
    t1 = Route(
        "T1",
        DAY,
        (
            start("08:00"),
            visit(p, "S1", ["K1"], "08:20", "08:20", "12:30"),
            visit(p, "S2", ["K2"], "12:55", "12:55", "14:00"),
            end("14:30"),
        ),
        45.0,
        75,
        6.75,
    )
    plan = make_plan(p, [t1, idle("T2")], ["K3"])
    report = audit_plan(p, plan)
    assert [(f.kind, f.ticket_id, f.technician_id) for f in report.findings] == [
        (IDLE_COULD_SERVE, "K3", "T2")
    ]
    (finding,) = report.findings
    assert finding.displaced == ()
    assert "άδεια μέρα" in finding.message and "empty day" in finding.message
    (route,) = finding.routes
    assert [s.type for s in route.stops] == ["start", "visit", "end"]
    assert_sound(p, plan, report)


def test_a_technician_without_a_route_that_day_is_not_working() -> None:
    p = problem(
        [school("S3", north_km=-8)],
        [technician("T1", ["windows"]), technician("T2", ["printer"])],
        [ticket("K3", "S3", "printer", priority="urgent", service_minutes=90)],
    )
    assert not audit_plan(p, make_plan(p, [idle("T1"), idle("T2")], ["K3"])).ok
    assert audit_plan(p, make_plan(p, [idle("T1")], ["K3"])).ok


def test_a_short_day_could_serve_a_worthier_ticket_alone() -> None:
    """T2's short day serves a low ticket far from an urgent one it cannot also reach in hours."""
    p = problem(
        [school("S1", north_km=60), school("S2", north_km=-60)],
        [technician("T2")],
        [
            ticket("K1", "S1", priority="low", service_minutes=240),
            ticket("K2", "S2", priority="urgent", service_minutes=240),
        ],
    )
    t2 = Route(
        "T2",
        DAY,
        (start("08:15"), visit(p, "S1", ["K1"], "09:00", "09:00", "13:10"), end("14:00")),
        160.0,
        160,
        24.0,
    )
    plan = make_plan(p, [t2], ["K2"])
    assert 14 * 60 - (8 * 60 + 15) < 8 * 60  # ... yet not short: 5:45 of an 8-hour shift
    assert audit_plan(p, plan).ok
    report = audit_plan(p, plan, short_share=0.75)
    (finding,) = report.findings
    assert (finding.kind, finding.ticket_id, finding.technician_id) == (IDLE_COULD_SERVE, "K2", "T2")
    assert finding.displaced == ("K1",)
    assert "K1" in finding.message
    assert_sound(p, plan, report)


def test_a_plan_that_serves_every_ticket_it_can_has_no_findings() -> None:
    p = problem(
        [
            school("S1", north_km=10),
            school("S2", east_km=10),
            school("S3", north_km=5, island="Κέρκυρα"),
            school("S4", east_km=-180),
        ],
        [technician("T1", ["windows", "network"])],
        [
            ticket("K1", "S1", service_minutes=60),
            ticket("K2", "S2", service_minutes=60),
            ticket("K3", "S1", "ltsp"),  # nobody has the skill
            ticket("K4", "S3", "network"),  # on an island without sailings
            ticket("K5", "S2", "network", service_minutes=400),  # longer than the school is open
            ticket("K6", "S4", priority="low", service_minutes=30),  # 360 km there and back for 50 €
        ],
    )
    plan = make_plan(p, [busy_t1(p)], ["K3", "K4", "K5", "K6"])
    report = audit_plan(p, plan)
    assert report.ok, str(report)
    assert report.findings == () and report.not_audited == ()
    assert "no ticket is left undone without need" in str(report)


def test_nothing_to_audit_when_nothing_is_unassigned() -> None:
    p = mainland().replace(tickets=mainland().tickets[:2])
    plan = make_plan(p, [busy_t1(p)], [])
    assert audit_plan(p, plan).ok
    assert audit_plan(p, plan.to_dict()).ok


def test_closures_and_locks_keep_a_technician_from_a_ticket() -> None:
    p = mainland()
    plan = make_plan(p, [busy_t1(p)], ["K3"])
    assert not audit_plan(p, plan).ok
    assert audit_plan(p, plan, closed=lambda school_id, day, tech: school_id == "S3").ok
    assert audit_plan(p, plan, locks={"K3": "T9"}).ok
    assert not audit_plan(p, plan, locks={"K3": "T1"}).ok


def test_a_route_the_checker_rejects_is_not_audited() -> None:
    p = mainland()
    good = busy_t1(p)
    bad = replace(good, stops=(start("07:00"), *good.stops[1:]))  # before the shift
    plan = Plan((DAY,), (bad,), (Unassigned("K3", "no time"),))
    report = audit_plan(p, plan)
    assert report.ok
    assert any("T1" in line and "checker" in line for line in report.not_audited)


def test_a_ticket_opened_during_the_day_is_served_only_after_it_was_opened() -> None:
    late = replace(ticket("K3", "S3", priority="high", service_minutes=45), opened_at=at("12:50"))
    p = mainland().replace(tickets=(*mainland().tickets[:2], late))
    plan = make_plan(p, [busy_t1(p)], ["K3"])
    (finding,) = audit_plan(p, plan).findings
    served = next(s for s in finding.routes[0].visits if "K3" in s.ticket_ids)
    assert served.start is not None and served.start >= at("12:50")


# ---------------------------------------------------------------- across water


ISLAND = "Κέρκυρα"


def island_problem() -> Problem:
    """A mainland port at the base; the island port 60 km west; a sailing out at 09:00, back at 12:00."""
    ports = (
        Port("IGO", "Ηγουμενίτσα", HOME.lat, HOME.lon),
        Port("CFU", "Κέρκυρα", HOME.lat, HOME.lon - 60 / 85.5, island=ISLAND),
    )
    sailings = (
        Sailing("IGO", "CFU", 9 * 60, 60, fare_eur=10.0),
        Sailing("CFU", "IGO", 12 * 60, 60, fare_eur=10.0),
    )
    return problem(
        [school("S1", north_km=10), school("S9", north_km=3, east_km=-60, island=ISLAND)],
        [technician("T1")],
        [
            ticket("K1", "S1", service_minutes=30),
            ticket("K9", "S9", priority="urgent", service_minutes=45),
        ],
        ports=ports,
        sailings=sailings,
    )


def test_an_island_ticket_is_inserted_with_the_sailings_it_needs() -> None:
    p = island_problem()
    t1 = Route(
        "T1",
        DAY,
        (start("13:00"), visit(p, "S1", ["K1"], "13:15", "13:15", "13:55"), end("14:15")),
        26.0,
        26,
        3.9,
    )
    plan = make_plan(p, [t1], ["K9"])
    report = audit_plan(p, plan)
    (finding,) = report.findings
    assert (finding.kind, finding.ticket_id) == (INSERTABLE, "K9")
    (route,) = finding.routes
    ferries = [(s.from_port, s.to_port, f"{s.depart:%H:%M}") for s in route.stops if s.type == "ferry"]
    assert ferries == [("IGO", "CFU", "09:00"), ("CFU", "IGO", "12:00")]
    assert route.costs["ferry_eur"] == 20.0
    assert "IGO→CFU 09:00" in finding.message
    assert_sound(p, plan, report)


def test_an_island_ticket_is_not_offered_without_a_sailing_that_day() -> None:
    p = island_problem()
    sunday_only = tuple(replace(s, days=frozenset({"Sun"})) for s in p.sailings)
    p = p.replace(sailings=sunday_only)
    t1 = Route(
        "T1",
        DAY,
        (start("13:00"), visit(p, "S1", ["K1"], "13:15", "13:15", "13:55"), end("14:15")),
        26.0,
        26,
        3.9,
    )
    assert audit_plan(p, make_plan(p, [t1], ["K9"])).ok


# ---------------------------------------------------------------- swaps


def test_a_ticket_only_a_busy_technician_can_do_is_a_swap_when_an_idle_one_can_take_the_day() -> None:
    p = problem(
        [school("S1", north_km=10), school("S2", north_km=-10)],
        [technician("T1", ["windows", "ltsp"]), technician("T2", ["windows"])],
        [
            ticket("K1", "S1", priority="normal", service_minutes=270),
            ticket("K2", "S2", "ltsp", priority="urgent", service_minutes=240),
        ],
    )
    t1 = Route(
        "T1",
        DAY,
        (start("08:00"), visit(p, "S1", ["K1"], "08:20", "08:20", "13:00"), end("13:30")),
        26.0,
        26,
        3.9,
    )
    plan = make_plan(p, [t1, idle("T2")], ["K2"])
    report = audit_plan(p, plan)
    (finding,) = report.by_kind(SWAP)
    assert (finding.ticket_id, finding.technician_id) == ("K2", "T1")
    assert [(h.ticket_id, h.from_technician, h.to_technician) for h in finding.handovers] == [
        ("K1", "T1", "T2")
    ]
    assert {r.technician_id: r.ticket_ids for r in finding.routes} == {"T1": ("K2",), "T2": ("K1",)}
    assert "T2" in finding.message and "takes over K1" in finding.message
    assert report.by_kind(INSERTABLE) == () and report.by_kind(IDLE_COULD_SERVE) == ()
    assert_sound(p, plan, report)
    assert audit_plan(p, plan, swaps=False).ok


def test_overtime_the_policy_allows_opens_a_day_to_an_insertion() -> None:
    short = mainland().replace(technicians=(technician("T1", shift=("08:00", "11:35")),))
    plan = make_plan(short, [busy_t1(short)], ["K3"])
    assert audit_plan(short, plan).ok
    allowed = short.replace(policy=Policy(overtime_max_min_per_day=120, overtime_eur_per_hour=30.0))
    report = audit_plan(allowed, plan)
    (finding,) = report.findings
    assert finding.kind == INSERTABLE and finding.ticket_id == "K3"
    (route,) = finding.routes
    assert route.overtime_min > 0
    assert route.costs["overtime_eur"] == pytest.approx(route.overtime_min * 30.0 / 60, abs=0.01)
    assert_sound(allowed, plan, report)


# ---------------------------------------------------------------- the travel model


def test_a_rebuilt_day_prices_as_its_route() -> None:
    p = island_problem()
    travel = Travel(p, DAY)
    frame = day_of(p, p.technicians[0], DAY, None)
    assert frame is not None
    schedule = time_day(p, travel, frame, (Visit("S9", ("K9",)), Visit("S1", ("K1",))))
    assert schedule is not None
    route = schedule.route()
    assert check_plan(p, Plan((DAY,), (route,), (), ())).rules <= {"TICKET_ONCE"}
    assert price_route(p, travel, route) == schedule.price()
    # about 10 km straight, 1.3 road km a straight km (13.02 km), at 60 km/h rounded up: 14 minutes
    assert travel.road(frame.start, frame.start) == (0.0, 0)
    km, minutes = travel.road(frame.start, Point(p.schools[0].lat, p.schools[0].lon))
    assert km == pytest.approx(13.02, abs=0.01) and minutes == 14


# ---------------------------------------------------------------- the sample day


@pytest.fixture(scope="module")
def sample() -> tuple[Problem, Plan]:
    from dromologio.sample import sample_data_dir

    p = read_problem(sample_data_dir())
    document: dict[str, Any] = json.loads(SAMPLE_PLAN.read_text(encoding="utf-8"))
    plan = Plan.from_dict(document)
    report = check_plan(p, plan)
    assert report.ok, f"the stored sample plan no longer fits the sample: regenerate it\n{report}"
    return p, plan


def test_the_sample_day_reports_the_urgent_mykonos_ticket(sample: tuple[Problem, Plan]) -> None:
    p, plan = sample
    report = audit_plan(p, plan)
    assert "K0033" in report.ticket_ids
    swap = next(f for f in report.by_kind(SWAP) if f.ticket_id == "K0033")
    assert swap.technician_id == "T07"
    assert {(h.ticket_id, h.to_technician) for h in swap.handovers} == {("K0035", "T08"), ("K0043", "T08")}
    t07 = next(r for r in swap.routes if r.technician_id == "T07")
    ferries = [(s.from_port, s.to_port, f"{s.depart:%H:%M}") for s in t07.stops if s.type == "ferry"]
    assert ferries[0] == ("JSY", "JMK", "07:30")
    assert swap.delta_eur < -2000
    idle_t07 = next(f for f in report.by_kind(IDLE_COULD_SERVE) if f.technician_id == "T07")
    assert idle_t07.ticket_id == "K0033" and set(idle_t07.displaced) == {"K0035", "K0043"}
    assert_sound(p, plan, report)


def test_a_ticket_taken_out_of_the_sample_day_is_found_again(sample: tuple[Problem, Plan]) -> None:
    p, plan = sample
    routes = list(plan.routes)
    k = next(i for i, r in enumerate(routes) if r.technician_id == "T02")
    t02 = routes[k]
    dropped = t02.visits[1]
    routes[k] = replace(t02, stops=tuple(s for s in t02.stops if s is not dropped))
    unassigned = (*plan.unassigned, *(Unassigned(t, "test") for t in dropped.ticket_ids))
    taken = replace(plan, routes=tuple(routes), unassigned=unassigned)
    assert check_plan(p, taken).ok
    report = audit_plan(p, taken)
    assert set(dropped.ticket_ids) <= report.ticket_ids
    assert_sound(p, taken, report)


def finding_kinds(findings: tuple[Finding, ...]) -> list[str]:
    return [f.kind for f in findings]


def test_findings_are_listed_by_kind_then_gain(sample: tuple[Problem, Plan]) -> None:
    p, plan = sample
    report = audit_plan(p, plan)
    kinds = finding_kinds(report.findings)
    assert kinds == sorted(kinds, key=KINDS.index)
    for kind in KINDS:
        deltas = [f.delta_eur for f in report.by_kind(kind)]
        assert deltas == sorted(deltas)
    assert "K0033" in str(report)


# ---------------------------------------------------------------- generated problems (solver plans)


def generated(tmp: Path, tickets: int, technicians: int, seed: int) -> Problem:
    from dromologio.sample.generate import generate_problem_files

    folder = generate_problem_files(
        tmp / f"p{tickets}-{technicians}-{seed}",
        num_tickets=tickets,
        num_technicians=technicians,
        seed=seed,
        islands=True,
    )
    return read_problem(folder)


@pytest.mark.slow
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tickets=st.integers(min_value=5, max_value=40),
    technicians=st.integers(min_value=1, max_value=6),
    seed=st.integers(min_value=0, max_value=10_000),
    days=st.integers(min_value=1, max_value=2),
)
def test_every_finding_on_generated_problems_is_a_checked_cheaper_plan(
    tmp_path: Path, tickets: int, technicians: int, seed: int, days: int
) -> None:
    from dromologio.dispatch import solve
    from dromologio.geo import RoadEstimateModel
    from dromologio.sample import SAMPLE_DATE

    p = generated(tmp_path, tickets, technicians, seed)
    # The audit times legs by the policy's straight-line estimate: the plan is made with the
    # same times, so that a ticket taken out of it must be found again.
    travel = RoadEstimateModel(p.policy.road_speed_kmh, p.policy.road_circuity)
    plan = solve(p, SAMPLE_DATE, days=days, time_limit_s=0.5, travel=travel).plan
    assert_sound(p, plan, audit_plan(p, plan))
    # a served ticket taken out of the plan is found again
    served = [(r, s) for r in plan.routes for s in r.visits]
    if served:
        route, dropped = served[seed % len(served)]
        routes = tuple(
            replace(r, stops=tuple(s for s in r.stops if s is not dropped)) if r is route else r
            for r in plan.routes
        )
        taken = replace(
            plan,
            routes=routes,
            unassigned=(*plan.unassigned, *(Unassigned(t, "test") for t in dropped.ticket_ids)),
        )
        if check_plan(p, taken).ok:
            report = audit_plan(p, taken)
            assert_sound(p, taken, report)
            back = day_objective_eur(p, plan, route.date) - day_objective_eur(p, taken, route.date)
            if back < -0.01 and not report.not_audited:  # putting it back where it was pays
                assert report.ticket_ids & set(dropped.ticket_ids), str(report)


@pytest.mark.slow
def test_a_300_ticket_day_is_audited_soundly(tmp_path: Path) -> None:
    """How long it takes is measured apart (seconds at 300 tickets), not asserted here."""
    from dromologio.dispatch import solve
    from dromologio.sample import SAMPLE_DATE

    p = generated(tmp_path, 300, 25, 7)
    plan = solve(p, SAMPLE_DATE, time_limit_s=4.0).plan
    report = audit_plan(p, plan)
    assert report.seconds > 0
    assert_sound(p, plan, report)
