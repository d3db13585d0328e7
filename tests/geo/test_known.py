"""What the dispatcher knows: ``access_min`` of a school and ``travel_times.csv``, read and applied."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dromologio.geo import CachedTravelModel, Place, haversine_km
from dromologio.geo.known import KnownTimesModel, place_ids, travel_model_for
from dromologio.geo.roads import MAX_STRAIGHT_KMH, SettlementRoadModel
from dromologio.geo.servers import OsrmTableModel, ValhallaMatrixModel
from dromologio.models import (
    InputError,
    Problem,
    ProblemError,
    read_problem,
    read_problem_dict,
    write_problem,
)
from dromologio.models.problem import KnownTravelTime
from dromologio.models.writers import problem_to_dict
from tests.factories import base, problem, school, technician, ticket

FAR = school("S_FAR", 20, 10, terrain="mountainous")


def tiny(**changes: object) -> Problem:
    p = problem(
        [school("S1", 2), FAR, school("S3", -3, 1)],
        [technician("T1")],
        [ticket("K1", "S1"), ticket("K2", "S_FAR")],
    )
    return p.replace(**changes) if changes else p


def with_access(p: Problem, school_id: str, minutes: str) -> Problem:
    schools = [
        replace(s, extra={**s.extra, "access_min": minutes}) if s.school_id == school_id else s
        for s in p.schools
    ]
    return p.replace(schools=tuple(schools))


def places_of(p: Problem) -> list[Place]:
    b = p.bases[0]
    return [Place(b.lat, b.lon, b.island, "plain")] + [
        Place(s.lat, s.lon, s.island, s.terrain) for s in p.schools
    ]


def test_without_corrections_the_problem_is_planned_with_the_embedded_road_model() -> None:
    travel = travel_model_for(tiny(), routing="")
    assert isinstance(travel, SettlementRoadModel)


def test_access_minutes_are_added_to_every_trip_to_and_from_the_school() -> None:
    p = with_access(tiny(), "S_FAR", "15")
    travel = travel_model_for(p, routing="")
    assert isinstance(travel, KnownTimesModel)
    plain = travel.inner.matrices(places_of(p)).duration_s
    corrected = travel.matrices(places_of(p)).duration_s
    far = 2  # base, S1, S_FAR, S3
    difference = corrected - plain
    assert difference[0, far] == difference[far, 0] == difference[1, far] == 15 * 60
    assert difference[0, 1] == difference[1, 3] == 0
    assert np.all(np.diag(corrected) == 0)


def test_a_negative_access_never_makes_a_trip_faster_than_a_car_goes() -> None:
    p = with_access(tiny(), "S1", "-120")
    corrected = travel_model_for(p, routing="").matrices(places_of(p)).duration_s
    assert corrected[0, 1] >= 60
    a, b = places_of(p)[1], places_of(p)[2]
    straight_km = haversine_km(a.lat, a.lon, b.lat, b.lon)
    assert corrected[1, 2] >= straight_km / MAX_STRAIGHT_KMH * 3600  # about 21 km: 12 min at 110 km/h


def test_a_known_travel_time_replaces_the_model_s_both_ways_unless_one_way() -> None:
    known = (KnownTravelTime("B1", "S_FAR", 50, km=31.5), KnownTravelTime("S1", "S3", 9, one_way=True))
    p = with_access(tiny(travel_times=known), "S_FAR", "15")
    found = travel_model_for(p, routing="").matrices(places_of(p))
    assert found.duration_s[0, 2] == found.duration_s[2, 0] == 50 * 60  # access_min is not added
    assert found.distance_m[0, 2] == 31_500
    assert found.duration_s[1, 3] == 9 * 60
    assert found.duration_s[3, 1] != 9 * 60


def test_known_times_must_name_places_on_one_island() -> None:
    with pytest.raises(ProblemError, match="no school, base or port"):
        tiny(travel_times=(KnownTravelTime("B1", "NOWHERE", 10),))
    tinos = school("S_TIN", 0, 0, island="Τήνος")
    p = tiny()
    with pytest.raises(ProblemError, match="crosses water"):
        p.replace(schools=(*p.schools, tinos), travel_times=(KnownTravelTime("S1", "S_TIN", 60),))


def test_the_fingerprint_changes_with_the_corrections(tmp_path: Path) -> None:
    p = with_access(tiny(), "S_FAR", "15")
    first = travel_model_for(p, routing="")
    second = travel_model_for(with_access(tiny(), "S_FAR", "20"), routing="")
    cached = CachedTravelModel(first, tmp_path)
    cached.matrices(places_of(p))
    assert cached.path_for(places_of(p)) != CachedTravelModel(second, tmp_path).path_for(places_of(p))
    again = CachedTravelModel(first, tmp_path)
    again.matrices(places_of(p))
    assert again.hits == 1


def test_a_routing_server_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DROMOLOGIO_ROUTING", "osrm:http://127.0.0.1:5000")
    assert isinstance(travel_model_for(tiny()), OsrmTableModel)
    travel = travel_model_for(with_access(tiny(), "S1", "5"), routing="valhalla:http://127.0.0.1:8002")
    assert isinstance(travel, KnownTimesModel)
    assert isinstance(travel.inner, ValhallaMatrixModel)


def test_place_ids_name_every_school_base_and_port() -> None:
    found = place_ids(tiny())
    assert set().union(*found.values()) == {"B1", "S1", "S_FAR", "S3"}


# ------------------------------------------------------------------ reading and writing


def write_folder(folder: Path, rows: list[dict[str, object]], access: dict[str, str] | None = None) -> Path:
    p = tiny()
    if access:
        for school_id, minutes in access.items():
            p = with_access(p, school_id, minutes)
    write_problem(p, folder)
    with (folder / "travel_times.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["from_id", "to_id", "minutes", "km", "one_way"])
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_travel_times_csv_and_access_min_are_read_from_the_folder(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path / "p",
        [{"from_id": "B1", "to_id": "S_FAR", "minutes": 50, "km": "31.5", "one_way": ""}],
        access={"S1": "7.5"},
    )
    p = read_problem(folder)
    assert p.travel_times == (KnownTravelTime("B1", "S_FAR", 50, 31.5, False),)
    assert p.school_by_id["S1"].extra["access_min"] == "7.5"
    out = tmp_path / "out"
    write_problem(p, out)
    assert read_problem(out).travel_times == p.travel_times
    document = problem_to_dict(p)
    assert document["travel_times"][0]["minutes"] == 50
    assert read_problem_dict(json.loads(json.dumps(document))).travel_times == p.travel_times


def test_bad_known_times_are_reported_by_row_and_column(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path / "p",
        [
            {"from_id": "B1", "to_id": "S9", "minutes": 20},
            {"from_id": "B1", "to_id": "S_FAR", "minutes": 3},
            {"from_id": "B1", "to_id": "S_FAR", "minutes": 40, "km": "2"},
            {"from_id": "B1", "to_id": "S1", "minutes": "0"},
        ],
        access={"S3": "soon"},
    )
    with pytest.raises(InputError) as caught:
        read_problem(folder)
    issues = {(i.file, i.row, i.column) for i in caught.value.issues}
    assert ("travel_times.csv", 2, "to_id") in issues
    assert ("travel_times.csv", 3, "minutes") in issues
    assert ("travel_times.csv", 4, "km") in issues
    assert ("travel_times.csv", 5, "minutes") in issues
    assert ("schools.csv", 4, "access_min") in issues


def test_access_min_out_of_range_is_an_input_error(tmp_path: Path) -> None:
    write_problem(with_access(tiny(), "S1", "900"), tmp_path / "p")
    with pytest.raises(InputError, match="access"):
        read_problem(tmp_path / "p")


def test_known_times_on_different_islands_are_refused_by_the_reader() -> None:
    p = tiny()
    tinos = school("S_TIN", 0, 0, island="Τήνος")
    document = problem_to_dict(p.replace(schools=(*p.schools, tinos), bases=(base(),)))
    document["ports"] = [{"port_id": "TIN", "name": "Τήνος", "lat": 37.54, "lon": 25.16, "island": "Τήνος"}]
    document["travel_times"] = [{"from_id": "S1", "to_id": "S_TIN", "minutes": 90}]
    with pytest.raises(InputError, match="different islands"):
        read_problem_dict(document)
