"""One trip, by road and by the day's sailings, for a car and a 4x4 vehicle."""

from __future__ import annotations

from datetime import date

import pytest

from dromologio.geo.closures import Closure
from dromologio.geo.journey import EndpointError, endpoint, plan_trip, trips_to_dict
from dromologio.models import Base, Port, Problem, Sailing, School
from tests.factories import DAY, problem, school, technician

SYROS, TINOS = "Σύρος", "Τήνος"
PORTS = (Port("JSY", "Σύρος", 37.4425, 24.9445, SYROS), Port("TIN", "Τήνος", 37.5375, 25.1615, TINOS))
SYROS_BASE = Base("SYR", "ΚΕ.ΠΛΗ.ΝΕ.Τ. Κυκλάδων", 37.4412, 24.9401, SYROS)
TINOS_SCHOOL = School("S_TIN", "Γυμνάσιο Τήνου", 37.5420, 25.1630, "Δ.Δ.Ε. Κυκλάδων", TINOS)


def sailing(frm: str, to: str, depart: str, days: str = "Mon;Tue;Wed;Thu;Fri") -> Sailing:
    hours, minutes = depart.split(":")
    return Sailing(frm, to, int(hours) * 60 + int(minutes), 50, frozenset(days.split(";")), 12.0)


def mainland() -> Problem:
    return problem(
        [school("S1", 3, 1), school("S_UP", 30, 5, needs_4x4=True, terrain="mountainous")],
        [technician("T1")],
        [],
    )


def islands(sailings: list[Sailing]) -> Problem:
    return problem(
        [TINOS_SCHOOL],
        [technician("T1", base_id="SYR")],
        [],
        bases=[SYROS_BASE],
        ports=PORTS,
        sailings=sailings,
    )


def test_endpoints_are_ids_or_points() -> None:
    p = mainland()
    assert endpoint(p, "S1").kind == "school"
    assert endpoint(p, " B1 ").kind == "base"
    point = endpoint(p, "39.70,20.90")
    assert point.kind == "point" and point.place.island == ""
    with pytest.raises(EndpointError) as unknown:
        endpoint(p, "S9")
    assert unknown.value.unknown
    with pytest.raises(EndpointError) as outside:
        endpoint(p, "51.5,-0.12")
    assert not outside.value.unknown


def test_a_road_trip_by_car_and_by_4x4() -> None:
    p = mainland()
    car, four = plan_trip(p, endpoint(p, "B1"), endpoint(p, "S1"), DAY)
    assert car.possible and four.possible
    assert car.minutes == four.minutes > 0
    assert car.legs[0].kind == "road" and car.legs[0].depart_min == 8 * 60


def test_a_car_cannot_reach_a_school_that_needs_a_4x4() -> None:
    p = mainland()
    car, four = plan_trip(p, endpoint(p, "B1"), endpoint(p, "S_UP"), DAY, leave_min=7 * 60)
    assert not car.possible and "4x4" in car.reason
    assert four.possible and four.legs[0].depart_min == 7 * 60


def test_closures_of_the_day_bar_the_vehicles_they_bar() -> None:
    p = mainland()
    snow = Closure(reason="closed by snow", start=DAY, end=DAY, place_ids=frozenset({"S1"}), open_to_4x4=True)
    car, four = plan_trip(p, endpoint(p, "B1"), endpoint(p, "S1"), DAY, closures=[snow])
    assert not car.possible and "closed by snow on 2026-11-23" in car.reason
    assert four.possible
    later = date(2026, 11, 24)
    car, _ = plan_trip(p, endpoint(p, "B1"), endpoint(p, "S1"), later, closures=[snow])
    assert car.possible


def test_across_water_the_earliest_sailing_after_check_in_is_taken() -> None:
    p = islands([sailing("JSY", "TIN", "07:15"), sailing("JSY", "TIN", "10:00")])
    car, _ = plan_trip(p, endpoint(p, "SYR"), endpoint(p, "S_TIN"), DAY, leave_min=7 * 60)
    assert car.possible
    kinds = [leg.kind for leg in car.legs]
    assert kinds == ["road", "sailing", "road"]
    crossing = car.legs[1]
    assert crossing.depart_min == 10 * 60  # 07:15 leaves before the 30 min check-in is done
    assert crossing.fare_eur == 12.0
    assert car.minutes == car.legs[-1].arrive_min - 7 * 60
    document = trips_to_dict(endpoint(p, "SYR"), endpoint(p, "S_TIN"), DAY, 7 * 60, [car])
    assert document["vehicles"][0]["legs"][1]["depart"] == "10:00"  # type: ignore[index]


def test_no_sailing_that_day_is_a_reason() -> None:
    p = islands([sailing("JSY", "TIN", "10:00", days="Sat")])
    car, four = plan_trip(p, endpoint(p, "SYR"), endpoint(p, "S_TIN"), DAY)
    assert not car.possible and not four.possible
    assert "sailings" in car.reason and TINOS in car.reason
