"""Travel matrices behind one small interface.

``dispatch`` asks a :class:`TravelModel` for the matrices between places and
never knows how they were made.  :class:`RoadEstimateModel` estimates road
travel from great-circle distance, a circuity factor and an average speed by
terrain class; crossing water is not possible on it (the travel network with
ferries plugs in behind the same interface).

Units: metres and seconds, integers; travel times are whole minutes (a
multiple of 60 s) so plans print exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from .distance import haversine_km_matrix

IntArray = npt.NDArray[np.int64]

#: travel time (s) and distance (m) between places that the model cannot join by land.
UNREACHABLE_S = 10**7
UNREACHABLE_M = 10**8

_TERRAIN_RANK = {"plain": 0, "semi_mountainous": 1, "mountainous": 2}


@dataclass(frozen=True)
class Place:
    """A point the technician may travel from or to."""

    lat: float
    lon: float
    island: str = ""
    terrain: str = "plain"


@dataclass(frozen=True)
class TravelMatrices:
    """Square matrices over the places, in the order given."""

    distance_m: IntArray
    duration_s: IntArray

    def __post_init__(self) -> None:
        if self.distance_m.shape != self.duration_s.shape or self.distance_m.ndim != 2:
            raise ValueError("distance and duration matrices must be square and of one shape")

    @property
    def size(self) -> int:
        return int(self.distance_m.shape[0])

    def reachable(self, i: int, j: int) -> bool:
        return bool(self.duration_s[i, j] < UNREACHABLE_S)


class TravelModel(Protocol):
    """Anything that turns places into travel matrices."""

    def matrices(self, places: Sequence[Place]) -> TravelMatrices: ...


@dataclass(frozen=True)
class RoadEstimateModel:
    """Road travel estimated from straight-line distance.

    Between two places the road distance is the great-circle distance times the
    circuity of the rougher terrain of the two, and the time is that distance at
    the average speed of the rougher terrain, rounded up to whole minutes.
    Places on different islands (or island and mainland) are unreachable.
    """

    speed_kmh: Mapping[str, float]
    circuity: Mapping[str, float]

    def matrices(self, places: Sequence[Place]) -> TravelMatrices:
        n = len(places)
        if n == 0:
            empty = np.zeros((0, 0), dtype=np.int64)
            return TravelMatrices(empty, empty.copy())
        lat = np.fromiter((p.lat for p in places), dtype=np.float64, count=n)
        lon = np.fromiter((p.lon for p in places), dtype=np.float64, count=n)
        rank = np.fromiter((_TERRAIN_RANK[p.terrain] for p in places), dtype=np.int64, count=n)
        rougher = np.maximum(rank[:, None], rank[None, :])
        terrains = sorted(_TERRAIN_RANK, key=_TERRAIN_RANK.__getitem__)
        circuity = np.array([self.circuity[t] for t in terrains])[rougher]
        speed_kmh = np.array([self.speed_kmh[t] for t in terrains])[rougher]
        road_km = haversine_km_matrix(lat, lon) * circuity
        distance_m = np.rint(road_km * 1000.0).astype(np.int64)
        duration_s = (np.ceil(road_km / speed_kmh * 60.0 - 1e-9) * 60.0).astype(np.int64)
        islands = np.array([p.island for p in places], dtype=object)
        across_water = islands[:, None] != islands[None, :]
        distance_m[across_water] = UNREACHABLE_M
        duration_s[across_water] = UNREACHABLE_S
        np.fill_diagonal(distance_m, 0)
        np.fill_diagonal(duration_s, 0)
        return TravelMatrices(distance_m, duration_s)
