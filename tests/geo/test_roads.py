"""The embedded road model: real places, the rules every travel model keeps, routes named."""

from __future__ import annotations

import numpy as np
import pytest

from dromologio.geo import UNREACHABLE_S, CachedTravelModel, Place, RoadEstimateModel, haversine_km
from dromologio.geo.roads import MAX_STRAIGHT_KMH, SettlementRoadModel, forget_routes, load_trunk_roads
from dromologio.geo.settlements import MAINLAND, load_settlements
from dromologio.models import Policy

POLICY = Policy()
IOANNINA = Place(39.664341, 20.850914)
AETOMILITSA = Place(40.307919, 20.852856, terrain="mountainous")
MONODENDRI = Place(39.8801, 20.746014, terrain="mountainous")
KONITSA = Place(40.044548, 20.751759, terrain="mountainous")
METSOVO = Place(39.766594, 21.179991, terrain="mountainous")
ARTA = Place(39.158634, 20.9853)
NAXOS = Place(37.10395, 25.374582, "Νάξος")
APEIRANTHOS = Place(37.068783, 25.517282, "Νάξος", "semi_mountainous")
ERMOUPOLI = Place(37.441223, 24.940065, "Σύρος")


def model() -> SettlementRoadModel:
    return SettlementRoadModel.from_policy(POLICY)


def minutes(a: Place, b: Place, travel: SettlementRoadModel | RoadEstimateModel | None = None) -> int:
    return int((travel or model()).matrices([a, b]).duration_s[0, 1] // 60)


def test_the_shipped_settlements_are_all_of_greece_with_their_lands() -> None:
    settlements = load_settlements()
    assert len(settlements) > 13_000
    assert settlements.name[settlements.index_of("1806020101")] == "Αετομηλίτσα"
    lands = set(settlements.land)
    assert {MAINLAND, "Νάξος", "Σύρος", "~ΚΡΗΤΗ"} <= lands
    # Evia and Lefkada are bridged to the mainland; Skyros is not
    evia = [i for i, code in enumerate(settlements.code) if code.startswith("29")]
    assert {settlements.land[i] for i in evia} == {MAINLAND, "~ΣΚΥΡΟΥ"}


def test_every_trunk_road_joins_shipped_settlements() -> None:
    settlements = load_settlements()
    for road in load_trunk_roads():
        assert len(road.codes) >= 2, road.road
        for code in road.codes:
            settlements.index_of(code)


@pytest.mark.parametrize(
    ("place", "low", "high"),
    [(AETOMILITSA, 100, 150), (MONODENDRI, 40, 60), (KONITSA, 45, 65), (METSOVO, 35, 55), (ARTA, 45, 65)],
    ids=[
        "Aetomilitsa (about 2 h)",
        "Monodendri (45-50 min)",
        "Konitsa",
        "Metsovo (Egnatia)",
        "Arta (Ionia Odos)",
    ],
)
def test_ioannina_to_real_places_takes_about_as_long_as_the_published_drive(
    place: Place, low: int, high: int
) -> None:
    assert low <= minutes(IOANNINA, place) <= high


def test_the_mountain_village_is_no_longer_priced_at_the_rougher_end() -> None:
    old = RoadEstimateModel(POLICY.road_speed_kmh, POLICY.road_circuity)
    assert minutes(IOANNINA, AETOMILITSA, old) > 180  # the old estimate: 196 min
    assert minutes(IOANNINA, AETOMILITSA) < 150


def test_island_roads_stay_on_their_island() -> None:
    found = model().matrices([NAXOS, APEIRANTHOS, ERMOUPOLI])
    assert 25 <= found.duration_s[0, 1] / 60 <= 45  # published: about 40 min
    assert not found.reachable(0, 2)
    assert found.duration_s[1, 2] == UNREACHABLE_S


def test_matrices_keep_the_rules_of_every_travel_model() -> None:
    places = [IOANNINA, AETOMILITSA, MONODENDRI, KONITSA, METSOVO, ARTA, NAXOS, APEIRANTHOS, IOANNINA]
    found = model().matrices(places)
    assert found.size == len(places)
    assert np.all(np.diag(found.duration_s) == 0)
    reachable = found.duration_s < UNREACHABLE_S
    assert np.all(found.duration_s[reachable] % 60 == 0)
    assert found.duration_s[0, 8] == 0  # the same point twice
    for i, a in enumerate(places):
        for j, b in enumerate(places):
            if i == j or a.island != b.island or (a.lat, a.lon) == (b.lat, b.lon):
                continue
            straight = haversine_km(a.lat, a.lon, b.lat, b.lon)
            assert found.distance_m[i, j] >= straight * 1000 - 1
            assert found.duration_s[i, j] >= straight / MAX_STRAIGHT_KMH * 3600
            assert found.duration_s[i, j] == found.duration_s[j, i]


def test_a_pair_costs_the_same_whatever_else_is_asked() -> None:
    alone = model().matrices([IOANNINA, MONODENDRI])
    among = model().matrices([ARTA, IOANNINA, METSOVO, MONODENDRI, NAXOS])
    assert among.duration_s[1, 3] == alone.duration_s[0, 1]
    assert among.distance_m[1, 3] == alone.distance_m[0, 1]
    forget_routes()
    assert np.array_equal(model().matrices([IOANNINA, MONODENDRI]).duration_s, alone.duration_s)


def test_slower_policy_roads_give_longer_trips() -> None:
    slow = Policy(road_speed_kmh={"plain": 40.0, "semi_mountainous": 30.0, "mountainous": 20.0})
    assert minutes(IOANNINA, MONODENDRI, SettlementRoadModel.from_policy(slow)) > minutes(
        IOANNINA, MONODENDRI
    )


def test_a_route_names_its_towns_and_trunk_roads() -> None:
    route = model().route(IOANNINA, AETOMILITSA)
    assert route is not None
    assert "ΕΟ20" in route.roads
    assert "Κόνιτσα" in route.via
    assert route.minutes == minutes(IOANNINA, AETOMILITSA)
    assert model().route(IOANNINA, NAXOS) is None


def test_a_point_far_from_any_island_settlement_is_still_priced() -> None:
    rock = Place(36.0, 26.8, "Βράχος")
    other = Place(36.01, 26.81, "Βράχος")
    found = model().matrices([rock, other])
    assert found.reachable(0, 1)
    assert found.duration_s[0, 1] >= 60


def test_cached_matrices_equal_the_model_s(tmp_path: object) -> None:
    places = [IOANNINA, MONODENDRI, ARTA]
    cached = CachedTravelModel(model(), tmp_path)  # type: ignore[arg-type]
    first = cached.matrices(places)
    again = CachedTravelModel(model(), tmp_path).matrices(places)  # type: ignore[arg-type]
    assert np.array_equal(first.duration_s, again.duration_s)
    assert cached.misses == 1


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="max_grade"):
        SettlementRoadModel.from_policy(POLICY, max_grade=0.0)
    with pytest.raises(ValueError, match="circuity"):
        SettlementRoadModel.from_policy(POLICY, trunk_circuity={"motorway": 0.9, "main": 1.2})
