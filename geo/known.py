"""The travel model of a problem: a model's times corrected by what the dispatcher knows.

Two optional inputs of the problem folder correct the travel model (see
``docs/problem-format.md``, "Dromologio extensions"):

- ``access_min`` (a column of ``schools.csv``): minutes added to every trip to
  and from the school, e.g. 15 for a school up a track the model does not know,
  or -10 where the model is too slow; the trip never becomes faster than a
  straight road at :data:`~dromologio.geo.roads.MAX_STRAIGHT_KMH`;
- ``travel_times.csv``: door-to-door road times between two schools, bases or
  ports that the dispatcher knows (from_id, to_id, minutes, optional km and
  one_way): they replace the model's time (and km) for that pair, both ways
  unless ``one_way``; ``access_min`` is not added to them.

:func:`travel_model_for` is the travel model a problem is planned with: the
embedded road model (:class:`~dromologio.geo.roads.SettlementRoadModel`) with the
problem's policy, or a routing server when one is configured
(:mod:`.servers`), wrapped in :class:`KnownTimesModel` when the problem has
either correction.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from dromologio.models.problem import KnownTravelTime, Problem, School
from dromologio.models.readers import ACCESS_COLUMN, access_minutes

from .roads import MAX_STRAIGHT_KMH, SettlementRoadModel, _haversine_km
from .travel import UNREACHABLE_S, Place, TravelMatrices, TravelModel

#: environment variable naming a routing server to plan with instead of the embedded model.
ROUTING_VARIABLE = "DROMOLOGIO_ROUTING"


def school_place(school: School) -> Place:
    """The place of a school as the dispatcher's models see it (with its terrain)."""
    return Place(school.lat, school.lon, school.island, school.terrain)


def place_ids(problem: Problem) -> dict[Place, frozenset[str]]:
    """The ids at each place of the problem: schools with their terrain, bases and ports as plain."""
    found: dict[Place, set[str]] = {}
    for base in problem.bases:
        found.setdefault(Place(base.lat, base.lon, base.island, "plain"), set()).add(base.base_id)
    for port in problem.ports:
        found.setdefault(Place(port.lat, port.lon, port.island, "plain"), set()).add(port.port_id)
    for school in problem.schools:
        found.setdefault(school_place(school), set()).add(school.school_id)
    return {place: frozenset(ids) for place, ids in found.items()}


def access_of(problem: Problem) -> dict[str, float]:
    """``access_min`` of the schools that have one (not 0), by school id."""
    found = {}
    for school in problem.schools:
        minutes = access_minutes(school.extra.get(ACCESS_COLUMN, ""))
        if minutes:
            found[school.school_id] = minutes
    return found


@dataclass(frozen=True)
class KnownTimesModel:
    """``inner`` with the problem's ``access_min`` and known travel times applied (module docs)."""

    #: part of the cache key (:mod:`.cache`): bump when the same inputs give other matrices.
    cache_version: ClassVar[int] = 1

    inner: TravelModel
    #: the ids (school, base, port) at each place.
    place_ids: Mapping[Place, frozenset[str]] = field(default_factory=dict)
    #: minutes added to every trip to and from a school, by school id.
    access_min: Mapping[str, float] = field(default_factory=dict)
    known: tuple[KnownTravelTime, ...] = ()

    @classmethod
    def for_problem(cls, problem: Problem, inner: TravelModel) -> KnownTimesModel:
        return cls(inner, place_ids(problem), access_of(problem), tuple(problem.travel_times))

    def cache_fingerprint(self) -> str:
        from .cache import model_fingerprint

        return json.dumps(
            {
                "inner": model_fingerprint(self.inner),
                "places": sorted(
                    [p.lat, p.lon, p.island, p.terrain, sorted(ids)] for p, ids in self.place_ids.items()
                ),
                "access": sorted(self.access_min.items()),
                "known": [[k.from_id, k.to_id, k.minutes, k.km, k.one_way] for k in self.known],
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    def matrices(self, places: Sequence[Place]) -> TravelMatrices:
        found = self.inner.matrices(places)
        duration = np.array(found.duration_s, dtype=np.int64, copy=True)
        distance = np.array(found.distance_m, dtype=np.int64, copy=True)
        n = len(places)
        if n == 0:
            return TravelMatrices(distance, duration)
        ids = [self.place_ids.get(p, frozenset()) for p in places]
        access = np.array(
            [max((self.access_min.get(i, 0.0) for i in here), key=abs, default=0.0) for here in ids]
        )
        if access.any():
            lat = np.array([p.lat for p in places])
            lon = np.array([p.lon for p in places])
            straight_km = _haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
            island = np.array([p.island for p in places], dtype=object)
            moving = (straight_km > 0.0) & (island[:, None] == island[None, :]) & (duration < UNREACHABLE_S)
            extra_min = access[:, None] + access[None, :]
            floor_min = np.maximum(1.0, np.ceil(straight_km / MAX_STRAIGHT_KMH * 60.0 - 1e-9))
            minutes = np.maximum(duration / 60.0 + extra_min, floor_min)
            duration = np.where(moving, np.ceil(minutes - 1e-9).astype(np.int64) * 60, duration)
        for known in self.known:
            rows = [i for i, here in enumerate(ids) if known.from_id in here]
            cols = [j for j, here in enumerate(ids) if known.to_id in here]
            if not rows or not cols:
                continue
            pairs = [np.ix_(rows, cols)] + ([] if known.one_way else [np.ix_(cols, rows)])
            for grid in pairs:
                duration[grid] = known.minutes * 60
                if known.km is not None:
                    distance[grid] = round(known.km * 1000.0)
        np.fill_diagonal(duration, 0)
        np.fill_diagonal(distance, 0)
        return TravelMatrices(distance, duration)


def embedded_model(problem: Problem) -> SettlementRoadModel:
    """The embedded road model with the problem's policy (road speeds and circuity)."""
    return SettlementRoadModel.from_policy(problem.policy)


def travel_model_for(problem: Problem, *, routing: str | None = None) -> TravelModel:
    """The travel model to plan ``problem`` with.

    ``routing`` (default: the ``DROMOLOGIO_ROUTING`` environment variable) names a
    routing server, ``osrm:URL`` or ``valhalla:URL`` (:func:`.servers.server_model`);
    without one, the embedded road model.  The problem's ``access_min`` and known
    travel times apply either way.
    """
    spec = os.environ.get(ROUTING_VARIABLE, "") if routing is None else routing
    inner: TravelModel
    if spec.strip():
        from .servers import server_model

        inner = server_model(spec)
    else:
        inner = embedded_model(problem)
    if not problem.travel_times and not access_of(problem):
        return inner
    return KnownTimesModel.for_problem(problem, inner)
