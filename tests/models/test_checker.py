"""The independent plan checker: a valid plan passes, each broken rule is reported alone."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import pytest

from dromologio.models import Base, Plan, Policy, Port, Problem, Sailing, School, Technician, Ticket
from dromologio.models import checker as c
from dromologio.models.checker import CheckReport, check_plan, haversine_km, min_road_minutes

MONDAY = "2026-11-23"
TUESDAY = "2026-11-24"
CORFU = "Κέρκυρα"
BASE = (39.665, 20.853)
HOTEL = (39.624, 19.920)


def make_problem(**changes: Any) -> Problem:
    schools = (
        School("S1", "1ο Δημοτικό Ιωαννίνων", 39.670, 20.800, "Ιωαννίνων"),
        School("S2", "2ο Γυμνάσιο Ιωαννίνων", 39.640, 20.880, "Ιωαννίνων"),
        School("S3", "Γυμνάσιο Μετσόβου", 39.770, 21.180, "Ιωαννίνων", needs_4x4=True, terrain="mountainous"),
        School("S4", "1ο ΓΕΛ Κέρκυρας", 39.620, 19.915, "Κέρκυρας", island=CORFU),
        School("S5", "Δημοτικό Σιδαρίου", 39.750, 19.870, "Κέρκυρας", island=CORFU),
    )
    bases = (Base("B1", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων", *BASE),)
    technicians = (
        Technician(
            "T01",
            "Νίκος",
            "B1",
            frozenset({"windows", "network", "hardware"}),
            "KE.PLI.NE.T.",
            max_km_per_day=200.0,
            has_4x4=True,
        ),
        Technician(
            "T02",
            "Ελένη",
            "B1",
            frozenset({"linux", "ltsp", "printer"}),
            "KE.PLI.NE.T.",
            max_km_per_day=400.0,
        ),
    )
    opened = datetime(2026, 11, 20, 9, 0)
    tickets = (
        Ticket("K1", "S1", opened, "Windows", "windows", "high", 30),
        Ticket("K2", "S1", opened, "network", "network", "normal", 20),
        Ticket("K3", "S3", opened, "PC", "hardware", "urgent", 60),
        Ticket("K4", "S4", opened, "LTSP server", "linux", "high", 45),
        Ticket("K5", "S2", opened, "printer", "printer", "low", 30, remote=True),
        Ticket("K6", "S2", opened, "PC", "hardware", "normal", 60, remote=True, warranty=True),
        Ticket("K7", "S2", opened, "myschool", "egov", "normal", 30),
        Ticket("K8", "S2", opened, "Windows", "windows", "low", 20),
        Ticket("K9", "S5", opened, "LTSP client", "linux", "normal", 60),
    )
    ports = (
        Port("IGO", "Ηγουμενίτσα", 39.503, 20.263),
        Port("CFU", "Κέρκυρα (νέο λιμάνι)", 39.626, 19.924, island=CORFU),
    )
    sailings = (
        Sailing("IGO", "CFU", 9 * 60 + 30, 90),
        Sailing("CFU", "IGO", 12 * 60 + 30, 90, days=frozenset({"Mon", "Tue", "Wed", "Thu", "Fri"})),
    )
    problem = Problem(schools, bases, technicians, tickets, ports, sailings, Policy(), "test")
    return problem.replace(**changes) if changes else problem


def start(day: str, hhmm: str, where: tuple[float, float] = BASE, **extra: Any) -> dict[str, Any]:
    return {"type": "start", "lat": where[0], "lon": where[1], "depart": f"{day}T{hhmm}", **extra}


def end(day: str, hhmm: str, where: tuple[float, float] = BASE, **extra: Any) -> dict[str, Any]:
    return {"type": "end", "lat": where[0], "lon": where[1], "arrive": f"{day}T{hhmm}", **extra}


def visit(
    day: str, school: School, tickets: list[str], arrive: str, begin: str, finish: str
) -> dict[str, Any]:
    return {
        "type": "visit",
        "school_id": school.school_id,
        "ticket_ids": tickets,
        "lat": school.lat,
        "lon": school.lon,
        "arrive": f"{day}T{arrive}",
        "start": f"{day}T{begin}",
        "end": f"{day}T{finish}",
    }


def ferry(day: str, from_port: str, to_port: str, depart: str, arrive: str) -> dict[str, Any]:
    return {
        "type": "ferry",
        "from_port": from_port,
        "to_port": to_port,
        "depart": f"{day}T{depart}",
        "arrive": f"{day}T{arrive}",
    }


def route(technician_id: str, day: str, stops: list[dict[str, Any]], km: float) -> dict[str, Any]:
    return {
        "technician_id": technician_id,
        "date": day,
        "stops": stops,
        "distance_km": km,
        "travel_minutes": 100,
        "cost_eur": 0.15 * km,
    }


def t01_route(p: Problem) -> dict[str, Any]:
    s = p.school_by_id
    return route(
        "T01",
        MONDAY,
        [
            start(MONDAY, "08:00"),
            visit(MONDAY, s["S1"], ["K1", "K2"], "08:15", "08:15", "09:30"),
            visit(MONDAY, s["S3"], ["K3"], "10:00", "10:00", "11:00"),
            end(MONDAY, "11:40"),
        ],
        95.0,
    )


def valid_plan(p: Problem) -> dict[str, Any]:
    """One Monday: T01 on the mainland (4x4 school included), T02 to Corfu and back by ferry."""
    s = p.school_by_id
    t02 = route(
        "T02",
        MONDAY,
        [
            start(MONDAY, "08:00"),
            ferry(MONDAY, "IGO", "CFU", "09:30", "11:00"),
            visit(MONDAY, s["S4"], ["K4"], "11:10", "11:10", "11:55"),
            ferry(MONDAY, "CFU", "IGO", "12:30", "14:00"),
            end(MONDAY, "15:30"),
        ],
        175.0,
    )
    return {
        "dates": [MONDAY],
        "routes": [t01_route(p), t02],
        "unassigned": [
            {"ticket_id": "K7", "reason": "no technician has skill egov", "code": "no_skill"},
            {"ticket_id": "K8", "reason": "no time left in T01's shift", "code": "capacity"},
            {
                "ticket_id": "K9",
                "reason": "Sidari cannot be reached and left by ferry in one shift",
                "code": "ferry",
            },
        ],
        "remote": ["K5"],
        "vendor": ["K6"],
        "kpis": {"tickets": 9, "visited": 4},
    }


def lodging_plan(p: Problem) -> dict[str, Any]:
    """Monday and Tuesday: T02 sleeps on Corfu between two island days."""
    s = p.school_by_id
    day1 = route(
        "T02",
        MONDAY,
        [
            start(MONDAY, "08:00"),
            ferry(MONDAY, "IGO", "CFU", "09:30", "11:00"),
            visit(MONDAY, s["S4"], ["K4"], "11:10", "11:10", "11:55"),
            end(MONDAY, "12:15", HOTEL, lodging=True, island=CORFU),
        ],
        72.0,
    )
    day2 = route(
        "T02",
        TUESDAY,
        [
            start(TUESDAY, "08:00", HOTEL, lodging=True, island=CORFU),
            visit(TUESDAY, s["S5"], ["K9"], "08:30", "08:30", "09:30"),
            ferry(TUESDAY, "CFU", "IGO", "12:30", "14:00"),
            end(TUESDAY, "15:30"),
        ],
        110.0,
    )
    return {
        "dates": [MONDAY, TUESDAY],
        "routes": [t01_route(p), day1, day2],
        "unassigned": [
            {"ticket_id": "K7", "reason": "no technician has skill egov"},
            {"ticket_id": "K8", "reason": "no time left in T01's shift"},
        ],
        "remote": ["K5"],
        "vendor": ["K6"],
    }


def stop_of(plan: dict[str, Any], technician_id: str, day: str, index: int) -> dict[str, Any]:
    for r in plan["routes"]:
        if r["technician_id"] == technician_id and r["date"] == day:
            stop: dict[str, Any] = r["stops"][index]
            return stop
    raise KeyError((technician_id, day))


def route_of(plan: dict[str, Any], technician_id: str, day: str = MONDAY) -> dict[str, Any]:
    found: dict[str, Any] = next(
        r for r in plan["routes"] if (r["technician_id"], r["date"]) == (technician_id, day)
    )
    return found


def assert_only(report: CheckReport, rule: str) -> None:
    assert report.rules == {rule}, str(report)


@pytest.fixture
def problem() -> Problem:
    return make_problem()


@pytest.fixture
def plan(problem: Problem) -> dict[str, Any]:
    return valid_plan(problem)


# ---------------------------------------------------------------- valid plans


def test_valid_plan_passes(problem: Problem, plan: dict[str, Any]) -> None:
    report = check_plan(problem, plan)
    assert report.ok, str(report)
    assert str(report) == "plan obeys every rule"


def test_valid_plan_passes_as_plan_object(problem: Problem, plan: dict[str, Any]) -> None:
    parsed = Plan.from_dict(plan)
    assert check_plan(problem, parsed).ok
    assert check_plan(problem, parsed.to_dict()).ok


def test_valid_lodging_plan_passes(problem: Problem) -> None:
    report = check_plan(problem, lodging_plan(problem))
    assert report.ok, str(report)


def test_haversine_matches_known_distance() -> None:
    assert haversine_km(*BASE, *BASE) == 0.0
    # one degree of latitude is about 111.2 km
    assert haversine_km(39.0, 20.0, 40.0, 20.0) == pytest.approx(111.19, abs=0.01)
    assert min_road_minutes(120.0) == pytest.approx(60.0)


# ---------------------------------------------------------------- the document


def test_malformed_document_is_a_violation(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T01", MONDAY, 1)["arrive"] = "not a time"
    report = check_plan(problem, plan)
    assert_only(report, c.MALFORMED)
    assert "routes[0].stops[1]" in report.violations[0].message


def test_values_of_the_wrong_kind_are_violations(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T01", MONDAY, 1)["lat"] = "39.670"
    plan["remote"] = [["K5"]]
    report = check_plan(problem, plan)
    assert_only(report, c.MALFORMED)
    assert len(report.violations) == 2


def test_missing_routes_is_a_violation(problem: Problem, plan: dict[str, Any]) -> None:
    del plan["routes"]
    assert_only(check_plan(problem, plan), c.MALFORMED)


# ---------------------------------------------------------------- tickets and triage


def test_missing_ticket(problem: Problem, plan: dict[str, Any]) -> None:
    plan["unassigned"] = [u for u in plan["unassigned"] if u["ticket_id"] != "K7"]
    report = check_plan(problem, plan)
    assert_only(report, c.TICKET_ONCE)
    assert "K7" in report.violations[0].message


def test_ticket_twice(problem: Problem, plan: dict[str, Any]) -> None:
    plan["unassigned"].append({"ticket_id": "K1", "reason": "twice"})
    report = check_plan(problem, plan)
    assert_only(report, c.TICKET_ONCE)
    assert "K1" in report.violations[0].message


def test_unknown_ticket(problem: Problem, plan: dict[str, Any]) -> None:
    plan["remote"].append("K99")
    assert_only(check_plan(problem, plan), c.UNKNOWN_TICKET)


def test_unassigned_without_reason(problem: Problem, plan: dict[str, Any]) -> None:
    plan["unassigned"][0]["reason"] = "  "
    assert_only(check_plan(problem, plan), c.UNASSIGNED_REASON)


def test_remote_ticket_must_be_remote(problem: Problem, plan: dict[str, Any]) -> None:
    plan["remote"] = []
    plan["unassigned"].append({"ticket_id": "K5", "reason": "no printer technician free"})
    assert_only(check_plan(problem, plan), c.TRIAGE)


def test_warranty_wins_over_remote(problem: Problem, plan: dict[str, Any]) -> None:
    plan["vendor"], plan["remote"] = [], ["K5", "K6"]
    report = check_plan(problem, plan)
    assert_only(report, c.TRIAGE)
    assert "K6" in report.violations[0].message


def test_ticket_needing_a_visit_not_in_vendor(problem: Problem, plan: dict[str, Any]) -> None:
    plan["unassigned"] = [u for u in plan["unassigned"] if u["ticket_id"] != "K7"]
    plan["vendor"].append("K7")
    assert_only(check_plan(problem, plan), c.TRIAGE)


# ---------------------------------------------------------------- visits


def test_ticket_of_another_school(problem: Problem, plan: dict[str, Any]) -> None:
    plan["unassigned"] = [u for u in plan["unassigned"] if u["ticket_id"] != "K8"]
    stop_of(plan, "T01", MONDAY, 1)["ticket_ids"].append("K8")  # K8 is at S2, the visit is to S1
    report = check_plan(problem, plan)
    assert_only(report, c.VISIT_SCHOOL)
    v = report.violations[0]
    assert (v.technician_id, v.stop_index) == ("T01", 1)
    assert "K8" in v.message and "S2" in v.message


def test_visit_not_at_its_school(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T01", MONDAY, 1)["lat"] += 0.01
    assert_only(check_plan(problem, plan), c.VISIT_LOCATION)


def test_missing_skill(problem: Problem, plan: dict[str, Any]) -> None:
    t01 = problem.technician_by_id["T01"]
    weaker = dataclasses.replace(t01, skills=frozenset({"windows", "hardware"}))
    report = check_plan(make_problem(technicians=(weaker, problem.technician_by_id["T02"])), plan)
    assert_only(report, c.SKILL)
    assert "K2" in report.violations[0].message and "network" in report.violations[0].message


def test_unknown_technician(problem: Problem, plan: dict[str, Any]) -> None:
    route_of(plan, "T01")["technician_id"] = "T99"
    assert_only(check_plan(problem, plan), c.UNKNOWN_TECHNICIAN)


def test_four_by_four(problem: Problem, plan: dict[str, Any]) -> None:
    t01 = dataclasses.replace(problem.technician_by_id["T01"], has_4x4=False)
    report = check_plan(make_problem(technicians=(t01, problem.technician_by_id["T02"])), plan)
    assert_only(report, c.FOUR_BY_FOUR)
    assert "S3" in report.violations[0].message


def test_service_time(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T01", MONDAY, 2)["end"] = f"{MONDAY}T10:30"
    report = check_plan(problem, plan)
    assert_only(report, c.SERVICE_TIME)
    assert "30 min" in report.violations[0].message and "60 min" in report.violations[0].message


def test_work_before_school_opens(problem: Problem, plan: dict[str, Any]) -> None:
    s1 = stop_of(plan, "T01", MONDAY, 1)
    s1["arrive"] = s1["start"] = f"{MONDAY}T08:05"
    report = check_plan(problem, plan)
    assert_only(report, c.SCHOOL_HOURS)
    assert "08:15" in report.violations[0].message


def test_work_after_school_closes(problem: Problem, plan: dict[str, Any]) -> None:
    s3 = dataclasses.replace(problem.school_by_id["S3"], closes_min=10 * 60 + 30)
    schools = tuple(s3 if s.school_id == "S3" else s for s in problem.schools)
    assert_only(check_plan(make_problem(schools=schools), plan), c.SCHOOL_HOURS)


# ---------------------------------------------------------------- the route's day


def test_depart_before_shift(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T01", MONDAY, 0)["depart"] = f"{MONDAY}T07:50"
    assert_only(check_plan(problem, plan), c.SHIFT)


def test_arrive_after_shift(problem: Problem, plan: dict[str, Any]) -> None:
    t01 = dataclasses.replace(problem.technician_by_id["T01"], shift_end_min=11 * 60 + 30)
    report = check_plan(make_problem(technicians=(t01, problem.technician_by_id["T02"])), plan)
    assert_only(report, c.SHIFT)
    assert "11:40" in report.violations[0].message


def early_shift_problem(problem: Problem, **policy: Any) -> Problem:
    """T01's shift ends at 11:30; its route (back at 11:40) is 10 min of overtime."""
    t01 = dataclasses.replace(problem.technician_by_id["T01"], shift_end_min=11 * 60 + 30)
    return make_problem(technicians=(t01, problem.technician_by_id["T02"]), policy=Policy.from_dict(policy))


def test_overtime_within_the_daily_limit_is_kept_when_stated(problem: Problem, plan: dict[str, Any]) -> None:
    allowed = early_shift_problem(problem, overtime_max_min_per_day=15)
    route_of(plan, "T01")["overtime_min"] = 10
    assert check_plan(allowed, plan).ok
    # Unstated, the overtime is a finding of its own; beyond the day's limit the shift is broken.
    del route_of(plan, "T01")["overtime_min"]
    unstated = check_plan(allowed, plan)
    assert_only(unstated, c.OVERTIME)
    assert "ends 10 min after the shift" in unstated.violations[0].message
    route_of(plan, "T01")["overtime_min"] = 10
    too_much = check_plan(early_shift_problem(problem, overtime_max_min_per_day=5), plan)
    assert_only(too_much, c.SHIFT)
    assert "the 5 min of overtime allowed" in too_much.violations[0].message


def test_overtime_over_the_weekly_limit(problem: Problem) -> None:
    s = problem.school_by_id
    days = []
    for day in (MONDAY, TUESDAY):
        days.append(
            route(
                "T01",
                day,
                [
                    start(day, "08:00"),
                    visit(day, s["S1"], ["K1", "K2"] if day == MONDAY else [], "08:15", "08:15", "09:30"),
                    end(day, "11:40"),
                ],
                12.0,
            )
        )
        days[-1]["overtime_min"] = 10
    days[1]["stops"].pop(1)
    plan = {
        "dates": [MONDAY, TUESDAY],
        "routes": days,
        "unassigned": [
            {"ticket_id": t, "reason": "not in this test", "code": "capacity"}
            for t in ("K3", "K4", "K7", "K8", "K9")
        ],
        "remote": ["K5"],
        "vendor": ["K6"],
    }
    daily = {"overtime_max_min_per_day": 15}
    assert check_plan(early_shift_problem(problem, **daily), plan).ok
    weekly = check_plan(early_shift_problem(problem, **daily, overtime_max_min_per_week=15), plan)
    assert_only(weekly, c.OVERTIME)
    assert "20 min of overtime in week 48 of 2026" in weekly.violations[0].message


def test_end_not_at_base(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T01", MONDAY, -1)["lat"] += 0.01
    report = check_plan(problem, plan)
    assert_only(report, c.ROUTE_ENDS_AT_BASE)
    assert report.violations[0].stop_index == 3


def test_route_without_end(problem: Problem, plan: dict[str, Any]) -> None:
    route_of(plan, "T01")["stops"].pop()
    assert_only(check_plan(problem, plan), c.ROUTE_SHAPE)


def test_two_routes_on_one_day(problem: Problem, plan: dict[str, Any]) -> None:
    plan["routes"].append(route("T01", MONDAY, [start(MONDAY, "12:00"), end(MONDAY, "12:30")], 0.0))
    assert_only(check_plan(problem, plan), c.ONE_ROUTE_PER_DAY)


def test_route_date_not_in_plan_dates(problem: Problem, plan: dict[str, Any]) -> None:
    t01 = route_of(plan, "T01")
    t01["date"] = TUESDAY
    for stop in t01["stops"]:
        for key in ("arrive", "start", "end", "depart"):
            if key in stop:
                stop[key] = stop[key].replace(MONDAY, TUESDAY)
    assert_only(check_plan(problem, plan), c.ROUTE_DATE)


def test_instant_on_another_date(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T01", MONDAY, -1)["arrive"] = f"{TUESDAY}T11:40"
    assert_only(check_plan(problem, plan), c.ROUTE_DATE)


def test_visit_starts_before_arrival(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T01", MONDAY, 1)["arrive"] = f"{MONDAY}T08:20"
    assert_only(check_plan(problem, plan), c.TIME_ORDER)


def test_stops_out_of_order(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T02", MONDAY, 2)["arrive"] = f"{MONDAY}T10:55"  # before the ferry is in at 11:00
    report = check_plan(problem, plan)
    assert_only(report, c.TIME_ORDER)
    assert report.violations[0].stop_index == 2


# ---------------------------------------------------------------- moves and ferries


def test_travel_too_fast(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T01", MONDAY, 2)["arrive"] = f"{MONDAY}T09:35"  # 34 km in 5 min
    report = check_plan(problem, plan)
    assert_only(report, c.TRAVEL_SPEED)
    v = report.violations[0]
    assert (v.technician_id, str(v.date), v.stop_index) == ("T01", MONDAY, 2)
    assert "34.4 km" in v.message


def test_crossing_without_ferry(problem: Problem, plan: dict[str, Any]) -> None:
    t02 = route_of(plan, "T02")
    t02["stops"] = [st for st in t02["stops"] if st["type"] != "ferry"]
    report = check_plan(problem, plan)
    assert_only(report, c.FERRY_CROSSING)
    assert len(report.violations) == 2  # there and back


def test_ferry_from_the_wrong_island(problem: Problem, plan: dict[str, Any]) -> None:
    t02 = route_of(plan, "T02")
    # the second crossing is made before the visit: the technician is then already on the mainland
    t02["stops"] = [t02["stops"][0], t02["stops"][1], t02["stops"][3], t02["stops"][2], t02["stops"][4]]
    report = check_plan(problem, plan)
    assert c.FERRY_CROSSING in report.rules


def test_ferry_not_in_timetable(problem: Problem, plan: dict[str, Any]) -> None:
    f = stop_of(plan, "T02", MONDAY, 1)
    f["depart"], f["arrive"] = f"{MONDAY}T09:00", f"{MONDAY}T10:30"
    report = check_plan(problem, plan)
    assert_only(report, c.FERRY_TIMETABLE)
    assert "09:30" in report.violations[0].message


def test_ferry_wrong_crossing_time(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T02", MONDAY, 3)["arrive"] = f"{MONDAY}T13:50"
    assert_only(check_plan(problem, plan), c.FERRY_TIMETABLE)


def test_ferry_not_running_that_weekday(problem: Problem, plan: dict[str, Any]) -> None:
    back = dataclasses.replace(problem.sailings[1], days=frozenset({"Tue"}))
    report = check_plan(make_problem(sailings=(problem.sailings[0], back)), plan)
    assert_only(report, c.FERRY_TIMETABLE)
    assert "Mon" in report.violations[0].message


def test_unknown_port(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T02", MONDAY, 1)["from_port"] = "PAT"
    report = check_plan(problem, plan)
    assert_only(report, c.FERRY_CROSSING)
    assert "PAT" in report.violations[0].message


def test_port_out_of_reach(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T02", MONDAY, 0)["depart"] = f"{MONDAY}T09:10"  # 54 km in 20 min
    assert_only(check_plan(problem, plan), c.FERRY_BOARDING)


def test_ferry_check_in(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T02", MONDAY, 0)["depart"] = f"{MONDAY}T08:45"  # at the port 18 min early at best
    report = check_plan(problem, plan)
    assert_only(report, c.FERRY_CHECK_IN)
    assert check_plan(make_problem(policy=Policy(ferry_check_in_min=10)), plan).ok


def test_km_cap(problem: Problem, plan: dict[str, Any]) -> None:
    parsed = Plan.from_dict(plan)
    longer = dataclasses.replace(parsed.routes[0], distance_km=250.0)
    report = check_plan(problem, dataclasses.replace(parsed, routes=(longer, parsed.routes[1])))
    assert_only(report, c.KM_CAP)
    assert "250.0" in report.violations[0].message and "200.0" in report.violations[0].message


def test_distance_shorter_than_straight_lines(problem: Problem, plan: dict[str, Any]) -> None:
    route_of(plan, "T01")["distance_km"] = 60.0  # the three legs are 69.2 km as the crow flies
    assert_only(check_plan(problem, plan), c.DISTANCE)


def test_distance_tolerates_one_percent(problem: Problem, plan: dict[str, Any]) -> None:
    route_of(plan, "T01")["distance_km"] = 68.6
    assert check_plan(problem, plan).ok


# ---------------------------------------------------------------- nights away


def test_lodging_moved_overnight(problem: Problem) -> None:
    plan = lodging_plan(problem)
    stop_of(plan, "T02", TUESDAY, 0)["lat"] += 0.01
    report = check_plan(problem, plan)
    assert_only(report, c.LODGING)
    assert report.violations[0].date is not None and str(report.violations[0].date) == TUESDAY


def test_lodging_on_the_last_day(problem: Problem) -> None:
    plan = lodging_plan(problem)
    plan["dates"] = [MONDAY]
    plan["routes"] = plan["routes"][:2]
    plan["unassigned"].append({"ticket_id": "K9", "reason": "tomorrow"})
    report = check_plan(problem, plan)
    assert_only(report, c.LODGING)
    assert "last day" in report.violations[0].message


def test_lodging_start_without_a_night_away(problem: Problem) -> None:
    plan = lodging_plan(problem)
    end_stop = stop_of(plan, "T02", MONDAY, -1)
    del end_stop["lodging"], end_stop["island"]
    report = check_plan(problem, plan)
    # the Monday end is now claimed to be at the base, and Tuesday's lodging start has no night before it
    assert report.rules == {c.ROUTE_ENDS_AT_BASE, c.FERRY_CROSSING, c.LODGING}, str(report)


def test_lodging_on_the_wrong_island(problem: Problem) -> None:
    plan = lodging_plan(problem)
    stop_of(plan, "T02", MONDAY, -1)["island"] = ""
    stop_of(plan, "T02", TUESDAY, 0)["island"] = ""
    assert_only(check_plan(problem, plan), c.FERRY_CROSSING)


def test_overnight_not_allowed_by_policy(problem: Problem) -> None:
    report = check_plan(make_problem(policy=Policy(allow_overnight=False)), lodging_plan(problem))
    assert_only(report, c.OVERNIGHT_ALLOWED)


# ---------------------------------------------------------------- the report


def test_report_is_readable(problem: Problem, plan: dict[str, Any]) -> None:
    stop_of(plan, "T01", MONDAY, 0)["depart"] = f"{MONDAY}T07:50"
    route_of(plan, "T01")["distance_km"] = 250.0
    report = check_plan(problem, plan)
    assert not report.ok
    text = str(report)
    assert text.splitlines()[0] == "2 violation(s):"
    assert "[SHIFT] technician T01, 2026-11-23, stop 0 (start): departs at 07:50" in text
    assert "[KM_CAP]" in text
    assert report.by_rule(c.SHIFT)[0].stop_index == 0


def test_rule_ids_are_distinct() -> None:
    assert len(set(c.RULES)) == len(c.RULES)
