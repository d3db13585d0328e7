"""Route costs computed by hand: per km, per diem, overnight stays, ferry fares, tolls, employers' rules.

Problems and plans are built here directly (no solver) except in the last tests,
which price a solved plan's routes by hand, by the contract's rules.

Geometry: the base is Ioannina (39.665 N, 20.853 E); one degree of latitude is
111.195 km on the sphere the code uses, so a school 0.09 degrees north lies
10.0 km away and one 0.54 degrees north 60.0 km away.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from dromologio.dispatch import solve
from dromologio.dispatch.pricing import COST_PARTS, farthest_visit_km, km_rate, per_diem_eur, route_costs
from dromologio.models import (
    Base,
    Plan,
    Policy,
    Port,
    Problem,
    Route,
    Sailing,
    School,
    Stop,
    Technician,
    Ticket,
)
from dromologio.models.errors import InputError
from dromologio.models.readers import read_problem
from dromologio.models.writers import write_problem
from dromologio.planning.costs import MAINLAND, cost_policy_issues, cost_report, plan_cost_table
from dromologio.reports.costs import write_cost_csv, write_cost_xlsx

DAY = date(2026, 11, 23)  # a Monday
LAT, LON = 39.665, 20.853
KEPLINET = "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"
UNIVERSITY = "Πανεπιστήμιο Ιωαννίνων"
DPE, DDE = "Δ.Π.Ε. Ιωαννίνων", "Δ.Δ.Ε. Ιωαννίνων"
SYROS, TINOS = "Σύρος", "Τήνος"


def at(hhmm: str, day: date = DAY) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(day.year, day.month, day.day, int(hours), int(minutes))


SCHOOLS = (
    School("NEAR", "Σχολείο 10 km", LAT + 0.09, LON, DPE),
    School("NEAR2", "Γυμνάσιο 10 km", LAT + 0.09, LON + 0.001, DDE),
    School("FAR", "Σχολείο 60 km", LAT + 0.54, LON, DPE),
    School("S_TIN", "Γυμνάσιο Τήνου", 37.5420, 25.1630, "Δ.Δ.Ε. Κυκλάδων", TINOS),
)
BASES = (
    Base("IOA", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων", LAT, LON),
    Base("SYR", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Κυκλάδων", 37.4412, 24.9401, SYROS),
)
PORTS = (Port("JSY", "Σύρος", 37.4425, 24.9445, SYROS), Port("TIN", "Τήνος", 37.5375, 25.1615, TINOS))
SAILINGS = (
    Sailing("JSY", "TIN", 7 * 60 + 15, 50, frozenset({"Mon", "Tue", "Wed", "Thu", "Fri"}), 12.0),
    Sailing("TIN", "JSY", 13 * 60 + 30, 50, frozenset({"Mon", "Tue", "Wed", "Thu", "Fri"}), 11.5),
    Sailing("TIN", "JSY", 16 * 60, 50, fare_eur=None),
)
ALL_SKILLS = frozenset({"windows", "network", "hardware"})


def tech(
    technician_id: str,
    employer: str = KEPLINET,
    *,
    base_id: str = "IOA",
    cost_per_km: float | None = None,
    vehicle: str | None = None,
) -> Technician:
    return Technician(
        technician_id,
        f"Τεχνικός {technician_id}",
        base_id,
        ALL_SKILLS,
        employer,
        cost_per_km=cost_per_km,
        extra={"vehicle": vehicle} if vehicle is not None else {},
    )


TECHNICIANS = (
    tech("T1"),
    tech("T2", UNIVERSITY),
    tech("T3", cost_per_km=0.25),
    tech("T4", vehicle="service_car"),
    tech("T5", base_id="SYR"),
)


def tickets() -> tuple[Ticket, ...]:
    opened = datetime(2026, 11, 20, 9, 0)
    return tuple(
        Ticket(f"K{n}", school, opened, "δίκτυο", "network", "normal", 60)
        for n, school in enumerate(["NEAR", "NEAR", "NEAR2", "FAR", "S_TIN", "S_TIN", "NEAR"], start=1)
    )


def make_problem(policy: Policy | None = None) -> Problem:
    return Problem(SCHOOLS, BASES, TECHNICIANS, tickets(), PORTS, SAILINGS, policy or Policy(), "costs")


def start(
    hhmm: str = "08:00", *, lat: float = LAT, lon: float = LON, lodging: bool = False, island: str = ""
) -> Stop:
    return Stop(
        "start", lat=lat, lon=lon, depart=at(hhmm), lodging=lodging, island=island if lodging else None
    )


def end(hhmm: str, *, lat: float = LAT, lon: float = LON, lodging: bool = False, island: str = "") -> Stop:
    return Stop("end", lat=lat, lon=lon, arrive=at(hhmm), lodging=lodging, island=island if lodging else None)


def visit(school: School, ticket_ids: tuple[str, ...], begin: str, finish: str) -> Stop:
    return Stop(
        "visit",
        lat=school.lat,
        lon=school.lon,
        school_id=school.school_id,
        ticket_ids=ticket_ids,
        arrive=at(begin),
        start=at(begin),
        end=at(finish),
    )


def ferry(frm: str, to: str, depart: str, arrive: str) -> Stop:
    return Stop("ferry", from_port=frm, to_port=to, depart=at(depart), arrive=at(arrive))


NEAR, NEAR2, FAR, TINOS_SCHOOL = SCHOOLS


def route(technician_id: str, stops: list[Stop], km: float, cost_eur: float = 0.0) -> Route:
    return Route(technician_id, DAY, tuple(stops), km, 60, cost_eur)


def near_route(technician_id: str = "T1", km: float = 26.0) -> Route:
    return route(technician_id, [start(), visit(NEAR, ("K1", "K2"), "08:20", "10:20"), end("10:50")], km)


def far_route(technician_id: str = "T1", km: float = 156.0, back: str = "14:00") -> Route:
    return route(technician_id, [start(), visit(FAR, ("K4",), "09:30", "10:30"), end(back)], km)


# --- per km ---------------------------------------------------------------------


def test_per_km_only_near_the_base() -> None:
    costs = route_costs(make_problem(), near_route())
    # 26.0 km x 0.15 EUR/km (policy default); the school is 10 km away: no per diem
    assert costs == {
        "distance_eur": 3.90,
        "ferry_eur": 0.0,
        "per_diem_eur": 0.0,
        "overnight_eur": 0.0,
        "tolls_eur": 0.0,
        "overtime_eur": 0.0,
        "total": 3.90,
    }


def test_rate_per_km_technician_first_then_vehicle_then_employer() -> None:
    policy = Policy.from_dict({"employers": {UNIVERSITY: {"cost_per_km_eur": 0.20}}})
    problem = make_problem(policy)
    by_id = problem.technician_by_id
    assert km_rate(problem, by_id["T1"]) == 0.15  # policy default
    assert km_rate(problem, by_id["T2"]) == 0.20  # the university's own rate
    assert km_rate(problem, by_id["T3"]) == 0.25  # cost_per_km in technicians.csv wins
    assert km_rate(problem, by_id["T4"]) == 0.12  # service car: fuel only
    assert route_costs(problem, near_route("T2", km=30.0))["distance_eur"] == 6.00  # 30 x 0.20
    assert route_costs(problem, near_route("T3", km=30.0))["distance_eur"] == 7.50  # 30 x 0.25
    assert route_costs(problem, near_route("T4", km=50.0))["distance_eur"] == 6.00  # 50 x 0.12


def test_unknown_vehicle_is_named() -> None:
    problem = make_problem().replace(technicians=(tech("T1", vehicle="bicycle"),))
    with pytest.raises(ValueError, match=r"vehicle 'bicycle'.*private_car, service_car"):
        route_costs(problem, near_route())
    assert any("bicycle" in line for line in cost_policy_issues(problem))


def test_tolls_per_km_when_the_policy_says_so() -> None:
    problem = make_problem(Policy(toll_eur_per_km=0.05))
    costs = route_costs(problem, near_route(km=100.0))
    assert costs["tolls_eur"] == 5.00  # 100 x 0.05
    assert costs["total"] == 20.00  # 15.00 + 5.00


# --- per diem ---------------------------------------------------------------------


def test_per_diem_beyond_50_km_from_the_base() -> None:
    problem = make_problem()
    assert farthest_visit_km(problem, far_route()) == pytest.approx(60.0, abs=0.1)
    costs = route_costs(problem, far_route())
    # 156.0 x 0.15 = 23.40, plus the full per diem of 40
    assert costs["distance_eur"] == 23.40
    assert costs["per_diem_eur"] == 40.0
    assert costs["total"] == 63.40


def test_no_per_diem_within_the_threshold_and_a_raised_threshold() -> None:
    assert per_diem_eur(make_problem(), near_route()) == 0.0
    assert per_diem_eur(make_problem(Policy(per_diem_min_km=70.0)), far_route()) == 0.0


def test_employer_rules_for_per_diem_share_and_duration() -> None:
    policy = Policy.from_dict(
        {
            "employers": {
                UNIVERSITY: {
                    "per_diem_eur": 30,
                    "per_diem_same_day_share": 0.5,
                    "per_diem_min_hours": 6,
                    "cost_per_km_eur": 0.2,
                }
            }
        }
    )
    problem = make_problem(policy)
    # 08:00 to 13:00 is 5 h: under the university's 6 h threshold
    assert route_costs(problem, far_route("T2", back="13:00"))["per_diem_eur"] == 0.0
    # 08:00 to 14:30 is 6.5 h: half of 30 for a same-day return; 156 x 0.20 = 31.20
    costs = route_costs(problem, far_route("T2", back="14:30"))
    assert costs["per_diem_eur"] == 15.0
    assert costs["total"] == 46.20
    # KE.PLI.NE.T. keeps the defaults
    assert route_costs(problem, far_route("T1", back="13:00"))["per_diem_eur"] == 40.0


# --- islands: ferry fares and an overnight stay ------------------------------------


def island_days() -> tuple[Route, Route]:
    base, port = BASES[1], PORTS[1]
    first = route(
        "T5",
        [
            start("06:30", lat=base.lat, lon=base.lon),
            ferry("JSY", "TIN", "07:15", "08:05"),
            visit(TINOS_SCHOOL, ("K5",), "08:20", "13:00"),
            end("13:20", lat=port.lat, lon=port.lon, lodging=True, island=TINOS),
        ],
        5.0,
    )
    second = Route(
        "T5",
        date(2026, 11, 24),
        (
            Stop(
                "start",
                lat=port.lat,
                lon=port.lon,
                depart=at("08:00", date(2026, 11, 24)),
                lodging=True,
                island=TINOS,
            ),
            Stop(
                "visit",
                lat=TINOS_SCHOOL.lat,
                lon=TINOS_SCHOOL.lon,
                school_id="S_TIN",
                ticket_ids=("K6",),
                arrive=at("08:15", date(2026, 11, 24)),
                start=at("08:15", date(2026, 11, 24)),
                end=at("12:00", date(2026, 11, 24)),
            ),
            Stop(
                "ferry",
                from_port="TIN",
                to_port="JSY",
                depart=at("13:30", date(2026, 11, 24)),
                arrive=at("14:20", date(2026, 11, 24)),
            ),
            Stop("end", lat=base.lat, lon=base.lon, arrive=at("14:30", date(2026, 11, 24))),
        ),
        4.0,
        90,
        0.0,
    )
    return first, second


def test_ferry_fare_per_diem_and_overnight_on_a_night_away() -> None:
    first, second = island_days()
    problem = make_problem()
    # day 1: 5.0 x 0.15 = 0.75; fare 12.00; ends lodging: per diem 40 and a night 80
    assert route_costs(problem, first) == {
        "distance_eur": 0.75,
        "ferry_eur": 12.0,
        "per_diem_eur": 40.0,
        "overnight_eur": 80.0,
        "tolls_eur": 0.0,
        "overtime_eur": 0.0,
        "total": 132.75,
    }
    # day 2: 4.0 x 0.15 = 0.60; fare 11.50; starts lodging: per diem 40; home tonight
    assert route_costs(problem, second) == {
        "distance_eur": 0.60,
        "ferry_eur": 11.5,
        "per_diem_eur": 40.0,
        "overnight_eur": 0.0,
        "tolls_eur": 0.0,
        "overtime_eur": 0.0,
        "total": 52.10,
    }


def test_an_employer_overnight_rate_and_a_sailing_without_fare() -> None:
    first, _ = island_days()
    policy = Policy.from_dict({"employers": {KEPLINET: {"overnight_eur": 104.0}}})
    assert route_costs(make_problem(policy), first)["overnight_eur"] == 104.0
    late = route(
        "T5",
        [
            start("12:00", lat=PORTS[1].lat, lon=PORTS[1].lon),
            ferry("TIN", "JSY", "16:00", "16:50"),
            end("17:00", lat=BASES[1].lat, lon=BASES[1].lon),
        ],
        1.0,
    )
    assert route_costs(make_problem(), late)["ferry_eur"] == 0.0


def test_a_sailing_not_in_the_timetable_is_an_error() -> None:
    wrong = route("T5", [start("06:30"), ferry("JSY", "TIN", "07:45", "08:35"), end("12:00")], 5.0)
    with pytest.raises(ValueError, match=r"JSY → TIN at 2026-11-23 07:45 is not in ferries.csv"):
        route_costs(make_problem(), wrong)


# --- employers in policy.json --------------------------------------------------------


def test_for_employer_applies_overrides_and_keeps_the_rest() -> None:
    policy = Policy.from_dict(
        {
            "per_diem_eur": 45,
            "employers": {UNIVERSITY: {"cost_per_km_eur": 0.2, "vehicle_rates": {"service_car": 0.1}}},
        }
    )
    own = policy.for_employer(UNIVERSITY)
    assert own.cost_per_km_eur == 0.2
    assert dict(own.vehicle_rates) == {"private_car": 0.15, "service_car": 0.1}
    assert own.per_diem_eur == 45.0  # from the top level
    assert own.employers is None
    assert policy.for_employer("άλλος φορέας") is policy
    assert Policy().employers is None and Policy.from_dict({"employers": {}}).employers is None


@pytest.mark.parametrize(
    ("employers", "message"),
    [
        ({UNIVERSITY: {"per_diem": 30}}, r"\['per_diem'\] cannot be set per employer"),
        ({UNIVERSITY: {"solver_time_limit_s": 3}}, "cannot be set per employer"),
        ({UNIVERSITY: {"per_diem_eur": "30"}}, "per_diem_eur must be a number"),
        ({UNIVERSITY: {"allow_overnight": "no"}}, "allow_overnight must be true or false"),
        ({UNIVERSITY: {"overnight_eur": -5}}, "overnight_eur must not be negative"),
        ({UNIVERSITY: {"per_diem_same_day_share": 1.5}}, "between 0 and 1"),
        ({UNIVERSITY: {"vehicle_rates": {"van": 0.3}}}, "not among the vehicle kinds"),
        ({UNIVERSITY: 0.2}, "must be an object of policy fields"),
    ],
)
def test_employer_overrides_are_checked(employers: object, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        Policy.from_dict({"employers": employers})


def test_policy_json_with_employers_reads_writes_and_reports(tmp_path: Path) -> None:
    problem = make_problem()
    write_problem(problem, tmp_path / "p")
    document = json.loads((tmp_path / "p" / "policy.json").read_text(encoding="utf-8"))
    document["employers"] = {UNIVERSITY: {"per_diem_eur": 30, "allow_overnight": False}}
    (tmp_path / "p" / "policy.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    read = read_problem(tmp_path / "p")
    assert read.policy.for_employer(UNIVERSITY).per_diem_eur == 30.0
    assert read.policy.for_employer(UNIVERSITY).allow_overnight is False
    for form in ("again", "again.json", "again.xlsx"):
        write_problem(read, tmp_path / form)
        assert read_problem(tmp_path / form).policy == read.policy
    document["employers"] = {UNIVERSITY: {"per_diem_eur": "τριάντα"}}
    (tmp_path / "p" / "policy.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match=r"policy.json: employers\['Πανεπιστήμιο Ιωαννίνων'\].per_diem_eur"):
        read_problem(tmp_path / "p")


def test_an_employer_no_technician_has_is_reported() -> None:
    policy = Policy.from_dict({"employers": {"Πανεπιστημιο Ιωαννινων": {"per_diem_eur": 30}}})
    issues = cost_policy_issues(make_problem(policy))
    assert len(issues) == 1 and f"did you mean '{UNIVERSITY}'" in issues[0]


# --- tables and reports ---------------------------------------------------------------


def two_route_plan() -> Plan:
    mixed = route(
        "T2",
        [
            start(),
            visit(NEAR, ("K1", "K2", "K7"), "08:20", "11:20"),
            visit(NEAR2, ("K3",), "11:25", "12:25"),
            end("12:55"),
        ],
        40.0,
        cost_eur=8.0,
    )
    return Plan(
        (DAY,),
        (near_route("T1", 26.0), mixed, far_route("T3", 156.0), route("T4", [start(), end("08:00")], 0.0)),
    )


def test_plan_cost_table_has_a_row_per_route() -> None:
    policy = Policy.from_dict({"employers": {UNIVERSITY: {"cost_per_km_eur": 0.2}}})
    table = plan_cost_table(make_problem(policy), two_route_plan())
    assert list(table["technician_id"]) == ["T1", "T2", "T3", "T4"]
    assert list(table["employer"]) == [KEPLINET, UNIVERSITY, KEPLINET, KEPLINET]
    assert table.loc[1, "directorates"] == f"{DPE};{DDE}"
    assert list(table["total_eur"]) == [3.90, 8.00, 79.00, 0.0]  # 26x0.15; 40x0.2; 156x0.25+40; idle
    assert list(table["tickets_served"]) == [2, 4, 1, 0]
    assert list(table["school_visits"]) == [1, 2, 1, 0]
    assert table.loc[1, "plan_cost_eur"] == 8.0
    assert list(table["date"].unique()) == ["2026-11-23"]


def test_reports_by_employer_technician_and_day() -> None:
    policy = Policy.from_dict({"employers": {UNIVERSITY: {"cost_per_km_eur": 0.2}}})
    table = plan_cost_table(make_problem(policy), two_route_plan())
    by_employer = cost_report(table, "employer").set_index("employer")
    keplinet = by_employer.loc[KEPLINET]
    assert keplinet["total_eur"] == 82.90  # 3.90 + 79.00 + 0
    assert keplinet["per_diem_eur"] == 40.0
    assert keplinet["routes"] == 2  # the idle route is not counted
    assert keplinet["tickets_served"] == 3
    assert keplinet["eur_per_ticket"] == pytest.approx(27.63)  # 82.90 / 3
    assert keplinet["eur_per_school_visit"] == pytest.approx(41.45)  # 82.90 / 2
    assert by_employer.loc[UNIVERSITY, "eur_per_ticket"] == 2.0  # 8.00 / 4
    by_tech = cost_report(table, "technician", with_total=True)
    assert list(by_tech["technician_id"]) == ["T1", "T2", "T3", "T4", "Σ"]
    assert by_tech["total_eur"].iloc[-1] == 90.90
    assert by_tech["eur_per_ticket"].isna().tolist() == [False, False, False, True, False]
    by_day = cost_report(table, "day")
    assert list(by_day["date"]) == ["2026-11-23"] and by_day["total_eur"].iloc[0] == 90.90


def test_report_by_directorate_shares_a_route_by_tickets() -> None:
    policy = Policy.from_dict({"employers": {UNIVERSITY: {"cost_per_km_eur": 0.2}}})
    table = plan_cost_table(make_problem(policy), two_route_plan())
    report = cost_report(table, "directorate").set_index("directorate")
    # T2's 8.00 and 40 km: 3 of 4 tickets in the primary directorate, 1 in the secondary
    assert report.loc[DDE, "total_eur"] == 2.00
    assert report.loc[DDE, "distance_km"] == 10.0
    assert report.loc[DDE, "tickets_served"] == 1 and report.loc[DDE, "school_visits"] == 1
    assert report.loc[DPE, "total_eur"] == pytest.approx(3.90 + 6.00 + 79.00)
    assert report.loc[DPE, "tickets_served"] == 6
    assert report.loc[DPE, "routes"] == 3
    assert report["total_eur"].sum() == pytest.approx(90.90)
    islands = cost_report(table, "island")
    assert list(islands["island"]) == [MAINLAND]


def test_report_by_island_with_the_night_away() -> None:
    first, second = island_days()
    table = plan_cost_table(make_problem(), Plan((DAY, date(2026, 11, 24)), (first, second)))
    report = cost_report(table, ["island", "day"]).set_index(["island", "date"])
    assert report.loc[(TINOS, "2026-11-23"), "total_eur"] == 132.75
    assert report.loc[(TINOS, "2026-11-24"), "overnight_eur"] == 0.0
    assert list(table["islands"]) == [TINOS, TINOS]


def test_unknown_grouping_is_named() -> None:
    with pytest.raises(ValueError, match="did you mean 'directorate'"):
        cost_report(pd.DataFrame(), "directorates")


def test_csv_and_xlsx_round_trip(tmp_path: Path) -> None:
    table = plan_cost_table(make_problem(), two_route_plan())
    report = cost_report(table, "employer", with_total=True)
    csv_path = write_cost_csv(report, tmp_path / "out" / "report.csv")
    back = pd.read_csv(csv_path)
    assert list(back["employer"]) == list(report["employer"])
    assert back["total_eur"].tolist() == report["total_eur"].tolist()
    xlsx = write_cost_xlsx({"by_employer": report, "routes": table}, tmp_path / "report.xlsx")
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert set(sheets) == {"by_employer", "routes"}
    assert sheets["routes"]["technician_id"].tolist() == ["T1", "T2", "T3", "T4"]
    assert sheets["routes"]["places"].iloc[1].startswith("[{")
    assert "Δ.Π.Ε. Ιωαννίνων" in str(
        sheets["by_employer"].columns.tolist() + sheets["routes"]["directorates"].tolist()
    )
    assert cost_report(table.iloc[0:0], "employer").empty
    assert cost_report(table.iloc[3:4], "directorate").empty  # only an idle route: nothing to share


# --- against the solver -----------------------------------------------------------------


def solved_far_plan() -> tuple[Problem, Plan]:
    """One technician, one ticket 60 km away: the plan goes there, so a per diem is due."""
    problem = Problem(
        (FAR,),
        (BASES[0],),
        (tech("T1"),),
        (Ticket("K1", "FAR", datetime(2026, 11, 20, 9, 0), "δίκτυο", "network", "urgent", 60),),
        name="far",
    )
    return problem, solve(problem, DAY, time_limit_s=0.5).plan


def solved_island_plan() -> tuple[Problem, Plan]:
    """A day trip from Syros to Tinos on the 07:15, back on the 13:30: two fares."""
    problem = Problem(
        (TINOS_SCHOOL,),
        (BASES[1],),
        (Technician("T5", "Τεχνικός T5", "SYR", ALL_SKILLS, KEPLINET, shift_start_min=6 * 60 + 30),),
        (Ticket("K5", "S_TIN", datetime(2026, 11, 20, 9, 0), "δίκτυο", "network", "high", 150),),
        PORTS,
        SAILINGS,
        name="island",
    )
    return problem, solve(problem, DAY, time_limit_s=0.5).plan


def by_hand(km: float, *, fares: float = 0.0, per_diem: float = 0.0) -> dict[str, float]:
    """A KE.PLI.NE.T. day by the contract's default rules: road km x 0.15 EUR, the fares as paid,
    the per diem as due; no night away, no tolls.  Parts rounded to cents; zero parts left out, as
    the plan leaves them out."""
    parts = {"distance_eur": round(km * 0.15, 2), "ferry_eur": fares, "per_diem_eur": per_diem}
    return {name: value for name, value in parts.items() if value}


def test_a_solved_trip_60_km_away_costs_its_km_and_the_per_diem() -> None:
    """The school lies 60 km from the base: beyond the 50 km of the per diem (40 EUR in full, no
    minimum hours by default), no ferry, home the same day."""
    problem, plan = solved_far_plan()
    assert (problem.policy.cost_per_km_eur, problem.policy.per_diem_eur) == (0.15, 40.0)  # the defaults
    (trip,) = [r for r in plan.routes if r.visits]
    assert trip.distance_km >= 2 * 60.0  # there and back, at least as the crow flies
    expected = by_hand(trip.distance_km, per_diem=40.0)
    assert dict(trip.costs) == expected
    assert trip.cost_eur == pytest.approx(sum(expected.values()), abs=0.001)
    assert plan.kpis["cost_eur"] == pytest.approx(trip.cost_eur, abs=0.001)


def test_a_solved_island_day_trip_costs_its_km_and_both_fares() -> None:
    """Syros to Tinos on the 07:15 (12.00 EUR) and back on the 13:30 (11.50 EUR); Tinos lies
    about 23 km from the Syros base, within the 50 km of the per diem."""
    problem, plan = solved_island_plan()
    assert problem.policy.per_diem_min_km == 50.0
    (trip,) = [r for r in plan.routes if r.visits]
    ferries = [(s.from_port, s.to_port, f"{s.depart:%H:%M}") for s in trip.stops if s.type == "ferry"]
    assert ferries == [("JSY", "TIN", "07:15"), ("TIN", "JSY", "13:30")]
    expected = by_hand(trip.distance_km, fares=12.00 + 11.50)
    assert dict(trip.costs) == expected
    assert trip.cost_eur == pytest.approx(sum(expected.values()), abs=0.001)


def test_cost_parts_order() -> None:
    assert COST_PARTS == (
        "distance_eur",
        "ferry_eur",
        "per_diem_eur",
        "overnight_eur",
        "tolls_eur",
        "overtime_eur",
    )
