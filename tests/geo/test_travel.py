"""Travel matrices: agreement with geopy, circuity and speed, water, whole minutes."""

from __future__ import annotations

import numpy as np
import pytest

from dromologio.geo import (
    UNREACHABLE_S,
    Place,
    RoadEstimateModel,
    geodesic_km,
    haversine_km,
    haversine_km_matrix,
)
from dromologio.models import Policy

IOANNINA = (39.665, 20.853)
METSOVO = (39.7706, 21.1822)
ERMOUPOLI = (37.4412, 24.9401)
NAXOS = (37.1036, 25.3766)


@pytest.mark.parametrize("a,b", [(IOANNINA, METSOVO), (ERMOUPOLI, NAXOS), (IOANNINA, ERMOUPOLI)])
def test_haversine_agrees_with_geopy_geodesic_within_half_a_percent(
    a: tuple[float, float], b: tuple[float, float]
) -> None:
    exact = geodesic_km(*a, *b)
    assert haversine_km(*a, *b) == pytest.approx(exact, rel=0.005)


def test_matrix_is_symmetric_with_zero_diagonal() -> None:
    lat = np.array([IOANNINA[0], METSOVO[0], ERMOUPOLI[0]])
    lon = np.array([IOANNINA[1], METSOVO[1], ERMOUPOLI[1]])
    matrix = haversine_km_matrix(lat, lon)
    assert np.allclose(matrix, matrix.T)
    assert np.all(np.diag(matrix) == 0)


def model() -> RoadEstimateModel:
    policy = Policy()
    return RoadEstimateModel(policy.road_speed_kmh, policy.road_circuity)


def test_road_estimate_uses_circuity_and_speed_of_the_rougher_terrain() -> None:
    places = [Place(*IOANNINA, terrain="plain"), Place(*METSOVO, terrain="mountainous")]
    matrices = model().matrices(places)
    straight_km = haversine_km(*IOANNINA, *METSOVO)
    assert matrices.distance_m[0, 1] == round(straight_km * 1.6 * 1000)
    expected_minutes = np.ceil(straight_km * 1.6 / 35 * 60)
    assert matrices.duration_s[0, 1] == expected_minutes * 60
    assert matrices.duration_s[0, 1] % 60 == 0


def test_places_on_different_islands_are_unreachable_by_road() -> None:
    places = [
        Place(*ERMOUPOLI, island="Σύρος"),
        Place(*NAXOS, island="Νάξος"),
        Place(*ERMOUPOLI, island="Σύρος"),
    ]
    matrices = model().matrices(places)
    assert not matrices.reachable(0, 1)
    assert matrices.duration_s[1, 2] == UNREACHABLE_S
    assert matrices.reachable(0, 2)


def test_empty_place_list_gives_empty_matrices() -> None:
    assert model().matrices([]).size == 0
