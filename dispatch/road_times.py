"""The plan audit's road times from the travel model the plan is made with.

The audit (:mod:`dromologio.models.audit`) lives below ``geo`` and keeps a straight-line
estimate of its own; handed :func:`road_times`, it times road moves as the solver does
(the embedded road model, a routing server, the dispatcher's known times and
``access_min``), so that a day the solver planned is rebuilt with the same minutes and
the audit's findings are ones the solver can take.
"""

from __future__ import annotations

import math

from dromologio.geo import Place, TravelMatrices, TravelModel
from dromologio.models import Problem
from dromologio.models.retime import Point, RoadTimes

#: places are matched at the precision the plan JSON keeps (6 decimals).
_DECIMALS = 6


def _key(lat: float, lon: float, island: str) -> tuple[float, float, str]:
    return (round(lat, _DECIMALS), round(lon, _DECIMALS), island)


class ModelRoadTimes:
    """Road km and whole minutes between two points by a travel model (a :data:`RoadTimes`).

    The matrices of the problem's places (bases, ports and the schools of tickets that need a
    visit) are computed once, on the first call; other points are timed pair by pair.  Minutes
    are the model's seconds rounded up.
    """

    def __init__(self, problem: Problem, travel: TravelModel) -> None:
        self.travel = travel
        places: list[Place] = [Place(b.lat, b.lon, b.island) for b in problem.bases]
        places += [Place(p.lat, p.lon, p.island) for p in problem.ports]
        schools = {t.school_id for t in problem.tickets if t.needs_visit}
        places += [
            Place(s.lat, s.lon, s.island, s.terrain) for s in problem.schools if s.school_id in schools
        ]
        self.places: tuple[Place, ...] = tuple(dict.fromkeys(places))
        self.index = {_key(p.lat, p.lon, p.island): k for k, p in enumerate(self.places)}
        self._matrices: TravelMatrices | None = None
        self._pairs: dict[tuple[Place, Place], tuple[float, int]] = {}

    def place(self, point: Point) -> Place:
        """The problem's place at ``point`` (its terrain as the solver sees it), or the point itself."""
        found = self.index.get(_key(point.lat, point.lon, point.island))
        return (
            self.places[found]
            if found is not None
            else Place(point.lat, point.lon, point.island, point.terrain)
        )

    def __call__(self, a: Point, b: Point) -> tuple[float, int]:
        i = self.index.get(_key(a.lat, a.lon, a.island))
        j = self.index.get(_key(b.lat, b.lon, b.island))
        if i is not None and j is not None:
            if self._matrices is None:
                self._matrices = self.travel.matrices(self.places)
            return _km_minutes(self._matrices, i, j)
        pair = (self.place(a), self.place(b))
        if pair not in self._pairs:
            self._pairs[pair] = _km_minutes(self.travel.matrices(list(pair)), 0, 1)
        return self._pairs[pair]


def _km_minutes(matrices: TravelMatrices, i: int, j: int) -> tuple[float, int]:
    return matrices.distance_m[i, j] / 1000.0, math.ceil(int(matrices.duration_s[i, j]) / 60.0 - 1e-9)


def road_times(problem: Problem, travel: TravelModel) -> RoadTimes:
    """The audit's road times by ``travel`` for ``problem`` (see :class:`ModelRoadTimes`)."""
    return ModelRoadTimes(problem, travel)


__all__ = ["ModelRoadTimes", "road_times"]
