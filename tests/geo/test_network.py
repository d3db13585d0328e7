"""The travel network: agreement with the direct estimate, islands, closures, 4x4 roads, ferries."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from dromologio.dispatch.build import build_day
from dromologio.geo import (
    UNREACHABLE_M,
    UNREACHABLE_S,
    Closure,
    NetworkTravelModel,
    Place,
    RoadEstimateModel,
    TravelMatrices,
    TravelNetwork,
    closed_on,
    read_closures,
)
from dromologio.models import InputError, Policy, Port, Sailing
from tests.factories import DAY, problem, school, technician, ticket

SNOW_DAY = date(2026, 12, 3)
POLICY = Policy()


def direct() -> RoadEstimateModel:
    return RoadEstimateModel(POLICY.road_speed_kmh, POLICY.road_circuity)


def network(places: dict[str, Place], **options: object) -> TravelNetwork:
    return TravelNetwork(
        places,
        speed_kmh=POLICY.road_speed_kmh,
        circuity=POLICY.road_circuity,
        **options,  # type: ignore[arg-type]
    )


def scattered(n: int, seed: int = 1, *, island: str = "", terrain: str = "plain") -> list[Place]:
    """``n`` places in clusters within about 40 km of Ioannina."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform((39.4, 20.6), (39.9, 21.1), size=(max(1, n // 10), 2))
    pick = centres[rng.integers(len(centres), size=n)] + rng.normal(0.0, 0.02, size=(n, 2))
    return [Place(float(lat), float(lon), island, terrain) for lat, lon in pick]


def ratios(network_m: TravelMatrices, direct_m: TravelMatrices) -> np.ndarray:
    apart = direct_m.distance_m > 1000
    return network_m.distance_m[apart] / direct_m.distance_m[apart]


# ------------------------------------------------------------------ agreement with the direct estimate


@pytest.mark.parametrize("max_junctions", [1000, 25], ids=["every place a junction", "thinned"])
def test_open_plain_roads_agree_with_the_direct_estimate_or_are_a_little_longer(max_junctions: int) -> None:
    places = scattered(150)
    estimate = direct().matrices(places)
    routed = NetworkTravelModel.from_policy(POLICY, max_junctions=max_junctions).matrices(places)
    ratio = ratios(routed, estimate)
    assert ratio.min() >= 0.998  # never shorter than the straight-line estimate (rounding aside)
    assert np.median(ratio) <= 1.05
    assert np.percentile(ratio, 95) <= 1.15
    minutes = routed.duration_s / 60
    assert np.all(routed.duration_s % 60 == 0)
    assert np.all(minutes >= estimate.duration_s / 60 - 1)


def test_neighbours_are_joined_by_exactly_the_direct_estimate() -> None:
    ioannina, perama = Place(39.665, 20.853), Place(39.694, 20.850)
    routed = NetworkTravelModel.from_policy(POLICY).matrices([ioannina, perama])
    estimate = direct().matrices([ioannina, perama])
    assert abs(int(routed.distance_m[0, 1]) - int(estimate.distance_m[0, 1])) <= 1
    assert routed.duration_s[0, 1] == estimate.duration_s[0, 1]


def test_mountain_links_are_longer_and_slower() -> None:
    plain = [Place(39.665, 20.853), Place(39.77, 21.18)]
    mountain = [Place(39.665, 20.853), Place(39.77, 21.18, terrain="mountainous")]
    model = NetworkTravelModel.from_policy(POLICY)
    flat, steep = model.matrices(plain), model.matrices(mountain)
    assert steep.distance_m[0, 1] > flat.distance_m[0, 1] * 1.2
    assert steep.duration_s[0, 1] > flat.duration_s[0, 1] * 1.5


def test_matrices_are_symmetric_with_zero_diagonal() -> None:
    places = scattered(80, seed=3)
    places[::7] = [Place(p.lat, p.lon, p.island, "mountainous") for p in places[::7]]
    for max_junctions in (1000, 20):
        routed = NetworkTravelModel.from_policy(POLICY, max_junctions=max_junctions).matrices(places)
        assert np.array_equal(routed.distance_m, routed.distance_m.T)
        assert np.array_equal(routed.duration_s, routed.duration_s.T)
        assert not np.diag(routed.duration_s).any() and not np.diag(routed.distance_m).any()


def test_the_same_place_twice_is_no_distance_apart() -> None:
    a, b = Place(39.665, 20.853), Place(39.70, 20.90)
    routed = NetworkTravelModel.from_policy(POLICY).matrices([a, b, a])
    assert routed.size == 3
    assert routed.distance_m[0, 2] == 0 and routed.duration_s[2, 0] == 0
    assert routed.distance_m[1, 2] == routed.distance_m[1, 0]


def test_places_on_other_islands_are_unreachable_by_road() -> None:
    syros = [Place(37.44, 24.94, "Σύρος"), Place(37.42, 24.91, "Σύρος")]
    tinos = [Place(37.54, 25.16, "Τήνος"), Place(37.58, 25.22, "Τήνος")]
    places = [*syros, *tinos, Place(39.665, 20.853)]
    routed = NetworkTravelModel.from_policy(POLICY).matrices(places)
    estimate = direct().matrices(places)
    assert np.array_equal(routed.duration_s < UNREACHABLE_S, estimate.duration_s < UNREACHABLE_S)
    assert routed.duration_s[0, 2] == UNREACHABLE_S and routed.distance_m[0, 2] == UNREACHABLE_M
    assert routed.reachable(0, 1) and routed.reachable(2, 3) and not routed.reachable(3, 4)


def test_large_islands_are_thinned_and_still_respect_islands() -> None:
    places = scattered(120) + scattered(30, seed=5, island="Νάξος")
    net = network({f"p{i}": p for i, p in enumerate(places)}, max_junctions=40)
    assert net.thinned_islands == ("",)
    assert net.junction_count <= 40 + 3 + 30
    routed = net.land_matrices()
    assert np.all(routed.duration_s[:120, 120:] == UNREACHABLE_S)
    assert np.all(routed.duration_s[:120, :120] < UNREACHABLE_S)


# ------------------------------------------------------------------ closures and profiles


def test_a_school_closed_by_snow_is_unreachable_that_day_and_reachable_the_day_after() -> None:
    places = scattered(30, seed=2)
    names = {place: f"S{i}" for i, place in enumerate(places)}
    snow = Closure("closed by snow", SNOW_DAY, SNOW_DAY, place_ids=frozenset({"S4"}))
    model = NetworkTravelModel.from_policy(POLICY, place_ids=names, closures=(snow,))
    for profile in ("car", "4x4"):
        closed = model.on(SNOW_DAY, profile).matrices(places)
        assert np.all(np.delete(closed.duration_s[4], 4) == UNREACHABLE_S)
        assert np.all(np.delete(closed.distance_m[:, 4], 4) == UNREACHABLE_M)
        others = np.delete(np.delete(closed.duration_s, 4, axis=0), 4, axis=1)
        assert np.all(others < UNREACHABLE_S)  # roads past the school stay open
    after = model.on(SNOW_DAY + timedelta(days=1)).matrices(places)
    before = model.on(SNOW_DAY - timedelta(days=1)).matrices(places)
    assert np.all(after.duration_s < UNREACHABLE_S)
    assert np.array_equal(after.duration_s, before.duration_s)
    found = closed_on([snow], "S4", SNOW_DAY)
    assert found is snow and found.describe(SNOW_DAY) == "closed by snow on 2026-12-03"
    assert closed_on([snow], "S4", SNOW_DAY + timedelta(days=1)) is None
    assert closed_on([snow], "S5", SNOW_DAY) is None


def test_snow_on_mountain_roads_cuts_mountain_villages_only() -> None:
    places = scattered(60, seed=4)
    places = [
        Place(p.lat, p.lon, p.island, "mountainous" if i % 5 == 0 else "plain") for i, p in enumerate(places)
    ]
    snow = Closure("closed by snow", SNOW_DAY, SNOW_DAY + timedelta(days=2), terrain="mountainous")
    mountain = np.array([p.terrain == "mountainous" for p in places])
    for max_junctions in (1000, 20):
        model = NetworkTravelModel.from_policy(POLICY, closures=(snow,), max_junctions=max_junctions)
        open_day = model.on(SNOW_DAY - timedelta(days=1)).matrices(places)
        snowed = model.on(SNOW_DAY).matrices(places)
        cut = snowed.duration_s >= UNREACHABLE_S
        np.fill_diagonal(cut, False)
        expected = mountain[:, None] | mountain[None, :]
        np.fill_diagonal(expected, False)
        assert np.array_equal(cut, expected)
        plain = ~mountain
        # plain places are still joined, at worst by a detour round the closed roads
        assert np.all(snowed.duration_s[np.ix_(plain, plain)] >= open_day.duration_s[np.ix_(plain, plain)])
        assert closed_on([snow], "x", SNOW_DAY, place=places[0]) is snow
        assert closed_on([snow], "x", SNOW_DAY, place=places[1]) is None


def test_a_4x4_only_link_is_used_by_4x4_vehicles_only() -> None:
    places = {
        "A": Place(39.60, 20.80),
        "B": Place(39.60, 20.90),
        "C": Place(39.70, 20.85),
    }
    net = network(places)
    assert ("A", "B") in net.road_links()
    closure = net.restrict_link("A", "B", reason="unpaved: 4x4 only")
    assert closure.open_to_4x4
    car = net.land_matrices(profile="car")
    four = net.land_matrices(profile="4x4")
    straight = direct().matrices(list(places.values()))
    assert abs(int(four.distance_m[0, 1]) - int(straight.distance_m[0, 1])) <= 1
    # the car goes round by C
    assert car.distance_m[0, 1] == pytest.approx(car.distance_m[0, 2] + car.distance_m[2, 1], abs=2)
    assert car.duration_s[0, 1] > four.duration_s[0, 1]
    assert np.array_equal(car.duration_s[2], four.duration_s[2])
    with pytest.raises(KeyError):
        net.restrict_link("A", "nowhere")


def test_a_place_reached_only_by_a_4x4_road_is_unreachable_by_car() -> None:
    places = {"base": Place(39.665, 20.853), "village": Place(39.80, 20.95, terrain="mountainous")}
    net = network(places, four_by_four_only={"village"})
    assert not net.land_matrices(profile="car").reachable(0, 1)
    assert net.land_matrices(profile="4x4").reachable(0, 1)
    reason = net.closure_of("village", DAY)
    assert reason is not None and reason.describe() == "open to 4x4 vehicles only"
    assert net.closure_of("village", DAY, profile="4x4") is None


def test_a_link_closed_on_some_days_only() -> None:
    places = {"A": Place(39.60, 20.80), "B": Place(39.60, 20.90)}
    net = network(places)
    net.restrict_link("A", "B", reason="landslide", open_to_4x4=False, start=SNOW_DAY, end=SNOW_DAY)
    assert not net.land_matrices(day=SNOW_DAY, profile="4x4").reachable(0, 1)
    assert net.land_matrices(day=SNOW_DAY + timedelta(days=1)).reachable(0, 1)
    assert net.land_matrices().reachable(0, 1)  # no day: dated closures do not apply


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="profile"):
        NetworkTravelModel.from_policy(POLICY, profile="tractor")


# ------------------------------------------------------------------ ferries and the graph


def test_ferry_links_are_edges_of_the_graph_but_not_roads() -> None:
    ports = [Port("JSY", "Σύρος", 37.4425, 24.9445, "Σύρος"), Port("TIN", "Τήνος", 37.5375, 25.1615, "Τήνος")]
    sailings = [
        Sailing("JSY", "TIN", 7 * 60, 50, frozenset({"Mon"}), 12.5),
        Sailing("TIN", "JSY", 17 * 60, 50, frozenset({"Mon", "Tue"}), 12.5),
    ]
    places = {"S1": Place(37.45, 24.92, "Σύρος"), "S2": Place(37.55, 25.15, "Τήνος")}
    net = network(places, ports=ports, sailings=sailings, day=DAY)  # a Monday
    assert net.ids == ("S1", "S2", "JSY", "TIN")
    ferries = [(a, b, d) for a, b, d in net.graph.edges(data=True) if d["kind"] == "ferry"]
    assert sorted((a, b, d["duration_s"], d["fare_eur"]) for a, b, d in ferries) == [
        ("JSY", "TIN", 3000.0, 12.5),
        ("TIN", "JSY", 3000.0, 12.5),
    ]
    assert {d["kind"] for _, _, d in net.graph.edges(data=True)} == {"road", "ferry"}
    land = net.land_matrices(["S1", "JSY", "TIN", "S2"])
    assert land.reachable(0, 1) and land.reachable(2, 3) and not land.reachable(1, 2)
    tuesday = network(places, ports=ports, sailings=sailings, day=DAY + timedelta(days=1))
    assert len(tuesday.ferries) == 1


def test_graph_edges_carry_length_time_terrain_and_closures() -> None:
    places = {"A": Place(39.60, 20.80), "B": Place(39.60, 20.90, terrain="mountainous")}
    snow = Closure("closed by snow", SNOW_DAY, SNOW_DAY, terrain="mountainous")
    net = network(places, closures=[snow])
    edge = net.graph.edges["A", "B", "road"]
    assert edge["terrain"] == "mountainous"
    assert edge["closures"] == (snow,)
    assert edge["length_m"] == net.land_matrices().distance_m[0, 1]


# ------------------------------------------------------------------ closures.csv and the dispatcher


def test_closures_csv_is_read_and_bad_cells_are_all_reported(tmp_path: Path) -> None:
    good = tmp_path / "closures.csv"
    good.write_text(
        "school_id,from_date,to_date,reason\nS1,2026-12-03,2026-12-05,closed by snow\nS2,2026-12-04,,\n",
        encoding="utf-8",
    )
    first, second = read_closures(good)
    assert first.place_ids == {"S1"} and (first.start, first.end) == (SNOW_DAY, date(2026, 12, 5))
    assert second.end == second.start == date(2026, 12, 4) and second.reason == "closed"
    assert closed_on([first, second], "S1", date(2026, 12, 5)) is first
    area = tmp_path / "area.csv"
    area.write_text(
        "school_id,from_date,to_date,reason,terrain,open_to_4x4\n,2026-12-03,,snow chains,mountainous,yes\n",
        encoding="utf-8",
    )
    (chains,) = read_closures(area)
    assert chains.terrain == "mountainous" and chains.open_to_4x4 and not chains.place_ids
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "school_id,from_date,to_date,reason\nS1,03/12/2026,,\nS2,2026-12-05,2026-12-04,\n,2026-12-01,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        read_closures(bad)
    assert [(i.row, i.column) for i in error.value.issues] == [
        (2, "from_date"),
        (3, "to_date"),
        (4, "school_id"),
    ]


def test_the_dispatcher_leaves_a_snowed_in_school_for_another_day() -> None:
    schools = [school("S1", 5, 5), school("S2", -4, 6)]
    p = problem(schools, [technician("T1")], [ticket("K1", "S1"), ticket("K2", "S2")])
    snow = Closure("closed by snow", DAY, DAY, place_ids=frozenset({"S1"}))
    travel = NetworkTravelModel.for_problem(p, closures=(snow,), day=DAY)
    day = build_day(p, p.tickets, DAY, travel)
    assert set(day.precheck_unassigned) == {"K1"}
    next_day = build_day(p, p.tickets, DAY + timedelta(days=1), travel.on(DAY + timedelta(days=1)))
    assert not next_day.precheck_unassigned
