"""Great-circle distances, vectorised.

Matrices use the haversine formula on the mean Earth radius (IUGG, 6371.0088 km):
it is within 0.5 % of the WGS84 ellipsoidal geodesic that :mod:`geopy` computes
(``tests/geo`` checks this against ``geopy.distance.geodesic``) and thousands of
times faster for whole matrices, which is what the solver needs.  Use
:func:`geodesic_km` for a single exact distance.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from geopy.distance import geodesic

EARTH_RADIUS_KM = 6371.0088

FloatArray = npt.NDArray[np.float64]


def haversine_km_matrix(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """All-pairs great-circle distance in km between points given in degrees."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    a = np.sin(dphi / 2.0) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2.0) ** 2
    distance: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return distance


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points."""
    matrix = haversine_km_matrix(np.array([lat1, lat2]), np.array([lon1, lon2]))
    return float(matrix[0, 1])


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Ellipsoidal (WGS84) geodesic distance in km, via geopy."""
    return float(geodesic((lat1, lon1), (lat2, lon2)).km)
