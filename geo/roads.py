"""Road travel over a proxy road network of the real settlements of Greece.

:class:`SettlementRoadModel` is the embedded travel model: no road graph of
Greece is available offline, so one is *estimated* from what is known of every
settlement (``geo/data/settlements.csv.gz``: ELSTAT point, altitude, terrain
class) and from the motorways and main roads (``geo/data/trunk_roads.csv``:
the towns each one joins), and trips are the fastest routes over it.

The network
-----------

*Lands.*  Each land (the mainland with its bridged islands, and each other
island, see :mod:`.settlements`) is one graph; there is no road between lands.

*Local roads* join neighbouring settlements of a land: the 6 nearest of each,
and the edges of its Delaunay triangulation, without the links that are long
for their neighbourhood (longer than twice the distance from either end to
its third nearest neighbour, and than 4 km, or longer than 15 km): those
mostly cross a gulf, a lake or a range where no road goes.  Pieces left apart
are joined by their shortest link when it is under 20 km.  A local link is
priced by the terrain of *both* its ends: the circuity (road km per
straight-line km) and the speed of the policy (``road_circuity``,
``road_speed_kmh``), interpolated at the mean of the two terrain classes
(plain 0, semi-mountainous 1, mountainous 2); a road climbs at most
``max_grade`` (8 %), so a link between settlements far apart in altitude is at
least ``climb / max_grade`` long.  Island roads are driven at
``island_speed_factor`` of the mainland speeds (narrow, winding roads).

*Trunk roads* (motorways and main national roads) join the towns they serve
in order, at ``trunk_speed_kmh`` over ``trunk_circuity`` times the straight
line.  Getting on and off them is at those towns: the rest is local roads.

*Places* (schools, bases, ports, any point) join the network at the nearest
settlement of their land by a local link (terrain of the place and of the
settlement).  Between two places the trip is the fastest route between their
settlements plus the two access links; two places at one settlement are
joined directly.  Every trip costs ``trip_minutes`` more (leaving, parking):
route planners' times, which the model is measured against, include them.
No trip is faster than the straight line at :data:`MAX_STRAIGHT_KMH` or
shorter than the straight line.

All pairs at once: one :func:`scipy.sparse.csgraph.dijkstra` call from the
distinct settlements the places join, on weights that pack time and length
into one exact integer (``deciseconds * 2**22 + metres``), so routes are the
fastest and their length is that of the fastest route.  Times are rounded up
to whole minutes at the end.  Places on different islands (``Place.island``)
are unreachable by road, as in every travel model here.

Accuracy and speed are measured by ``bench/travel_accuracy.py`` against a
table of typical published driving times (``docs/benchmarks.md``).
"""

from __future__ import annotations

import csv
import itertools
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from dromologio.models import Policy
from dromologio.models.vocab import TERRAINS

from .distance import EARTH_RADIUS_KM
from .settlements import MAINLAND, TRUNK_ROADS_FILE, Settlements, load_settlements
from .travel import UNREACHABLE_M, UNREACHABLE_S, Place, TravelMatrices

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: no road trip is faster than the straight line at this speed (the plan checker allows 120 km/h).
MAX_STRAIGHT_KMH = 110.0
#: trunk road classes and their defaults: speed (km/h) and circuity.
TRUNK_SPEED_KMH: Mapping[str, float] = {"motorway": 90.0, "main": 80.0}
TRUNK_CIRCUITY: Mapping[str, float] = {"motorway": 1.2, "main": 1.25}
#: routes are searched up to this long (a longer one-way trip is never a day's work); longer ones
#: are priced as a straight road (see :meth:`SettlementRoadModel.matrices`).
ROUTE_LIMIT_MIN = 240
#: packed weights: metres take the low bits, deciseconds the high ones.
_SHIFT = float(1 << 22)
_LIMIT_PACKED = (ROUTE_LIMIT_MIN * 600 + 1) * _SHIFT
#: bytes of routes kept per land graph between calls.
_ROW_MEMORY = 64 << 20
_RANK = {terrain: rank for rank, terrain in enumerate(TERRAINS)}
_NEIGHBOURS = 6
_REACH = 24
_SPACING_RANK = 3
_LOCAL_MIN_KM, _LOCAL_FACTOR, _LOCAL_MAX_KM, _BRIDGE_MAX_KM = 4.0, 2.0, 15.0, 20.0
#: an island place farther than this from every island settlement is joined to none.
_SNAP_MAX_KM = 30.0


@dataclass(frozen=True)
class TrunkRoad:
    """A motorway or main road: the settlements it joins, in order."""

    road: str
    kind: str
    codes: tuple[str, ...]
    towns: tuple[str, ...]


def load_trunk_roads(path: Any = TRUNK_ROADS_FILE) -> tuple[TrunkRoad, ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    roads: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        roads.setdefault(row["road"], []).append(row)
    found = []
    for road, parts in roads.items():
        parts.sort(key=lambda r: int(r["seq"]))
        kinds = {r["class"] for r in parts}
        if len(kinds) != 1 or not kinds <= set(TRUNK_SPEED_KMH):
            raise ValueError(f"trunk road {road}: one class of {', '.join(TRUNK_SPEED_KMH)} expected")
        found.append(
            TrunkRoad(
                road, kinds.pop(), tuple(r["elstat_code"] for r in parts), tuple(r["town"] for r in parts)
            )
        )
    return tuple(found)


@dataclass(frozen=True)
class RoadRoute:
    """One trip by road: length, time and what it goes by."""

    km: float
    minutes: int
    #: towns the route passes (trunk road towns and settlements of 1,000 people or more), in order.
    via: tuple[str, ...]
    #: trunk roads it takes, in order (e.g. ``("ΕΟ20",)``).
    roads: tuple[str, ...]


def _haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dlam = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin((phi2 - phi1) / 2.0) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    phi, lam = np.radians(lat), np.radians(lon)
    vectors: FloatArray = np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))
    return vectors


def _chord_km(km: float) -> float:
    """The chord (unit sphere) of a great-circle distance in km (for KD-tree radii)."""
    return 2.0 * math.sin(km / (2.0 * EARTH_RADIUS_KM))


@dataclass(frozen=True)
class _Pricing:
    """Per-km costs of local links by mean terrain (interpolated) and the rest of the parameters."""

    circuity: tuple[float, float, float]
    speed_kmh: tuple[float, float, float]
    max_grade: float
    island_speed_factor: float
    trunk_speed_kmh: tuple[tuple[str, float], ...]
    trunk_circuity: tuple[tuple[str, float], ...]

    def local(self, km: FloatArray, rank: FloatArray, climb_m: FloatArray, island: bool) -> tuple[Any, Any]:
        """Length (m) and time (s) of local links: ``km`` straight, mean terrain ``rank``, ``climb_m`` up or down."""
        grid = (0.0, 1.0, 2.0)
        road_km = np.maximum(km * np.interp(rank, grid, self.circuity), climb_m / 1000.0 / self.max_grade)
        speed = np.interp(rank, grid, self.speed_kmh) * (self.island_speed_factor if island else 1.0)
        return road_km * 1000.0, road_km / speed * 3600.0

    def trunk(self, kind: str, km: float, climb_m: float) -> tuple[float, float]:
        road_km = max(km * dict(self.trunk_circuity)[kind], climb_m / 1000.0 / self.max_grade)
        return road_km * 1000.0, road_km / dict(self.trunk_speed_kmh)[kind] * 3600.0


class _LandGraph:
    """The proxy roads of one land, over its settlements."""

    def __init__(self, settlements: Settlements, land: str, pricing: _Pricing) -> None:
        self.land = land
        self.pricing = pricing
        self.nodes: IntArray = np.flatnonzero(np.array([x == land for x in settlements.land]))
        self.lat = settlements.lat[self.nodes]
        self.lon = settlements.lon[self.nodes]
        self.altitude = settlements.altitude_m[self.nodes]
        self.rank = settlements.terrain[self.nodes]
        self.tree = cKDTree(_unit_vectors(self.lat, self.lon))
        n = len(self.nodes)
        position = {int(s): i for i, s in enumerate(self.nodes)}
        pairs = _local_pairs(self.lat, self.lon)
        a, b = pairs[:, 0], pairs[:, 1]
        km = _haversine_km(self.lat[a], self.lon[a], self.lat[b], self.lon[b])
        climb = np.abs(self.altitude[a] - self.altitude[b])
        length, seconds = pricing.local(km, (self.rank[a] + self.rank[b]) / 2.0, climb, land != MAINLAND)
        ends = [pairs]
        lengths, times = [length], [seconds]
        labels = [""] * len(pairs)
        for trunk in load_trunk_roads():
            chain = [position.get(settlements.index_of(code)) for code in trunk.codes]
            for x, y in itertools.pairwise(chain):
                if x is None or y is None:
                    continue
                straight = float(_haversine_km(self.lat[x], self.lon[x], self.lat[y], self.lon[y]))
                metres, secs = pricing.trunk(trunk.kind, straight, abs(self.altitude[x] - self.altitude[y]))
                ends.append(np.array([[x, y]], dtype=np.int64))
                lengths.append(np.array([metres]))
                times.append(np.array([secs]))
                labels.append(trunk.road)
        links = np.concatenate(ends)
        self.link_a, self.link_b = links[:, 0], links[:, 1]
        self.link_m = np.maximum(np.rint(np.concatenate(lengths)), 1.0)
        self.link_ds = np.maximum(np.rint(np.concatenate(times) * 10.0), 1.0)
        self.link_label = tuple(labels)
        weight = self.link_ds * _SHIFT + self.link_m
        # a trunk road may run beside a local link between the same settlements: the faster one counts
        self.graph: csr_matrix = _min_duplicates(self.link_a, self.link_b, weight, n)
        self.names = tuple(settlements.name[int(s)] for s in self.nodes)
        self.population = settlements.population[self.nodes]
        self._rows: OrderedDict[int, tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.nodes)

    def nearest(self, lat: FloatArray, lon: FloatArray) -> tuple[IntArray, FloatArray]:
        """Nearest settlement (position in this land) of each point, and its distance in km."""
        chord, found = self.tree.query(_unit_vectors(lat, lon))
        km = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))
        return np.asarray(found, dtype=np.int64), np.asarray(km, dtype=np.float64)

    def between(self, sources: IntArray) -> tuple[FloatArray, FloatArray]:
        """Time (s) and length (m) of the fastest routes between every two of ``sources`` (inf: none).

        Routes longer than :data:`ROUTE_LIMIT_MIN` are not searched (inf).  The
        routes from each source are kept (up to :data:`_ROW_MEMORY` bytes, the
        least recently used dropped first), so later calls with the same
        settlements only gather.
        """
        with self._lock:
            missing = [int(x) for x in dict.fromkeys(sources.tolist()) if int(x) not in self._rows]
        if missing:
            packed = dijkstra(self.graph, directed=True, indices=missing, limit=_LIMIT_PACKED)
            none = ~np.isfinite(packed)
            packed[none] = 0.0
            ds = np.floor(packed / _SHIFT)
            metres = packed - ds * _SHIFT
            seconds = (ds / 10.0).astype(np.float32)
            length = metres.astype(np.float32)
            seconds[none] = np.inf
            length[none] = np.inf
            with self._lock:
                for k, source in enumerate(missing):
                    self._rows[source] = (seconds[k], length[k])
        with self._lock:
            rows = [self._rows[int(x)] for x in sources.tolist()]
            for x in sources.tolist():
                self._rows.move_to_end(int(x))
            while len(self._rows) > max(len(sources), _ROW_MEMORY // max(1, 8 * len(self.nodes))):
                self._rows.popitem(last=False)
        time = np.stack([r[0][sources] for r in rows]).astype(np.float64)
        length_m = np.stack([r[1][sources] for r in rows]).astype(np.float64)
        return time, length_m

    def path(self, source: int, target: int) -> list[int]:
        """Settlements of the fastest route from ``source`` to ``target`` (positions), ends included."""
        _, previous = dijkstra(self.graph, directed=True, indices=[source], return_predecessors=True)
        steps = [target]
        while steps[-1] != source:
            before = int(previous[0, steps[-1]])
            if before < 0:
                return []
            steps.append(before)
        return steps[::-1]

    def link_between(self, a: int, b: int) -> int:
        """The fastest link joining settlements ``a`` and ``b`` (its index)."""
        hit = np.flatnonzero(
            ((self.link_a == a) & (self.link_b == b)) | ((self.link_a == b) & (self.link_b == a))
        )
        return int(hit[np.argmin(self.link_ds[hit])])


def _min_duplicates(a: IntArray, b: IntArray, weight: FloatArray, n: int) -> csr_matrix:
    """Both directions of each link as CSR, the least weight where two links join the same settlements."""
    rows, cols, values = np.r_[a, b], np.r_[b, a], np.r_[weight, weight]
    order = np.lexsort((values, cols, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    return csr_matrix((values[first], (rows[first], cols[first])), shape=(n, n))


def _project(lat: FloatArray, lon: FloatArray) -> FloatArray:
    scale = math.cos(math.radians(float(lat.mean()))) if len(lat) else 1.0
    xy: FloatArray = np.column_stack(
        (np.radians(lon) * scale * EARTH_RADIUS_KM, np.radians(lat) * EARTH_RADIUS_KM)
    )
    return xy


def _local_pairs(lat: FloatArray, lon: FloatArray) -> IntArray:
    """Local road links between the settlements of one land (see the module documentation)."""
    n = len(lat)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    xy = _project(lat, lon)
    tree = cKDTree(xy)
    width = min(_NEIGHBOURS + 1, n)
    distance, near = tree.query(xy, k=width)
    spacing = distance[:, min(_SPACING_RANK, width - 1)]
    rows = np.repeat(np.arange(n), width - 1)
    parts = [np.column_stack((rows, near[:, 1:].ravel()))]
    # the nearest settlement in each of 8 directions among the 24 nearest: roads leave a village
    # every way, not only towards its own cluster
    reach = min(_REACH + 1, n)
    _, around = tree.query(xy, k=reach)
    delta = xy[around[:, 1:]] - xy[:, None, :]
    sector = np.minimum(
        ((np.arctan2(delta[..., 1], delta[..., 0]) + np.pi) / (2 * np.pi) * 8).astype(np.int64), 7
    )
    for direction in range(8):
        hit = sector == direction
        found = hit.any(axis=1)
        first = hit.argmax(axis=1)
        parts.append(np.column_stack((np.flatnonzero(found), around[found, 1 + first[found]])))
    pairs = _unique_pairs(np.concatenate(parts).astype(np.int64), n)
    km = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
    local = np.maximum(_LOCAL_MIN_KM, _LOCAL_FACTOR * np.maximum(spacing[pairs[:, 0]], spacing[pairs[:, 1]]))
    kept = pairs[(km <= local) & (km <= _LOCAL_MAX_KM)]
    return _bridge(xy, kept)


def _unique_pairs(pairs: IntArray, n: int) -> IntArray:
    """Each undirected pair once, lower end first, without loops, in sorted order."""
    low, high = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    keys = np.unique((low * n + high)[low != high])
    return np.column_stack((keys // n, keys % n))


def _bridge(xy: FloatArray, pairs: IntArray) -> IntArray:
    """Join pieces of the graph by their shortest link while it is under ``_BRIDGE_MAX_KM``."""
    n = len(xy)
    while True:
        graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
        count, label = connected_components(graph, directed=False)
        if count <= 1:
            return pairs
        best: tuple[float, int, int] | None = None
        for piece in range(count):
            inside = np.flatnonzero(label == piece)
            outside = np.flatnonzero(label != piece)
            if len(inside) > len(outside):
                continue
            distance, nearest = cKDTree(xy[outside]).query(xy[inside])
            at = int(np.argmin(distance))
            if float(distance[at]) < _BRIDGE_MAX_KM and (best is None or distance[at] < best[0]):
                best = (float(distance[at]), int(inside[at]), int(outside[int(nearest[at])]))
        if best is None:
            return pairs
        pairs = _unique_pairs(np.vstack((pairs, [[best[1], best[2]]])), n)


_GRAPHS: dict[tuple[str, _Pricing], _LandGraph] = {}
_GRAPHS_LOCK = threading.Lock()


def _land_graph(land: str, pricing: _Pricing) -> _LandGraph:
    """The graph of ``land`` for ``pricing``, built on first use and kept for the process."""
    key = (land, pricing)
    with _GRAPHS_LOCK:
        found = _GRAPHS.get(key)
    if found is None:
        found = _LandGraph(load_settlements(), land, pricing)
        with _GRAPHS_LOCK:
            found = _GRAPHS.setdefault(key, found)
    return found


def forget_routes() -> None:
    """Drop the routes kept between calls (the land graphs stay): the next calls search again."""
    with _GRAPHS_LOCK:
        graphs = list(_GRAPHS.values())
    for graph in graphs:
        with graph._lock:
            graph._rows.clear()


@lru_cache(maxsize=1)
def _island_index() -> tuple[cKDTree, tuple[str, ...]]:
    """Every island settlement (any land but the mainland), for finding the land of an island place."""
    s = load_settlements()
    where = np.flatnonzero(np.array([land != MAINLAND for land in s.land]))
    return cKDTree(_unit_vectors(s.lat[where], s.lon[where])), tuple(s.land[int(i)] for i in where)


@dataclass(frozen=True)
class SettlementRoadModel:
    """The embedded road model: fastest routes over settlements and trunk roads (see the module docs).

    ``speed_kmh`` and ``circuity`` are the policy's by terrain class
    (``road_speed_kmh``, ``road_circuity``), applied to each local road link by
    the terrain of both its ends; the other fields are documented in the module.
    """

    #: part of the cache key (:mod:`.cache`): bump when the same inputs give other matrices.
    cache_version: ClassVar[int] = 1

    speed_kmh: Mapping[str, float]
    circuity: Mapping[str, float]
    max_grade: float = 0.08
    trip_minutes: float = 3.0
    island_speed_factor: float = 0.85
    trunk_speed_kmh: Mapping[str, float] = field(default_factory=lambda: dict(TRUNK_SPEED_KMH))
    trunk_circuity: Mapping[str, float] = field(default_factory=lambda: dict(TRUNK_CIRCUITY))

    def __post_init__(self) -> None:
        if not 0.0 < self.max_grade <= 0.3:
            raise ValueError("max_grade must be a slope between 0 and 0.3")
        if self.trip_minutes < 0 or not 0.0 < self.island_speed_factor <= 1.5:
            raise ValueError("trip_minutes must not be negative and island_speed_factor must be in (0, 1.5]")
        for name in ("speed_kmh", "trunk_speed_kmh"):
            if any(float(v) <= 0 for v in getattr(self, name).values()):
                raise ValueError(f"{name}: speeds must be positive")
        for name in ("circuity", "trunk_circuity"):
            if any(float(v) < 1.0 for v in getattr(self, name).values()):
                raise ValueError(f"{name}: circuity must be at least 1")

    @classmethod
    def from_policy(cls, policy: Policy, **options: Any) -> SettlementRoadModel:
        """Local road speeds and circuity of the policy; ``options`` are the other fields."""
        return cls(policy.road_speed_kmh, policy.road_circuity, **options)

    # ------------------------------------------------------------------ internals

    def _pricing(self) -> _Pricing:
        return _Pricing(
            circuity=tuple(float(self.circuity[t]) for t in TERRAINS),  # type: ignore[arg-type]
            speed_kmh=tuple(float(self.speed_kmh[t]) for t in TERRAINS),  # type: ignore[arg-type]
            max_grade=float(self.max_grade),
            island_speed_factor=float(self.island_speed_factor),
            trunk_speed_kmh=tuple(sorted((k, float(v)) for k, v in self.trunk_speed_kmh.items())),
            trunk_circuity=tuple(sorted((k, float(v)) for k, v in self.trunk_circuity.items())),
        )

    def land_of(self, places: Sequence[Place]) -> list[str | None]:
        """The land each place drives on: the mainland, or the land of its nearest island settlement."""
        lands: list[str | None] = [MAINLAND if p.island == "" else None for p in places]
        on_islands = [i for i, p in enumerate(places) if p.island != ""]
        if on_islands:
            tree, land = _island_index()
            lat = np.array([places[i].lat for i in on_islands])
            lon = np.array([places[i].lon for i in on_islands])
            chord, found = tree.query(_unit_vectors(lat, lon))
            for i, c, f in zip(on_islands, chord, found, strict=True):
                if c <= _chord_km(_SNAP_MAX_KM):
                    lands[i] = land[int(f)]
        return lands

    def _direct(self, a: Sequence[Place], b: Sequence[Place], island: bool) -> tuple[FloatArray, FloatArray]:
        """Length (m) and time (s) of a straight local road between every place of ``a`` and of ``b``."""
        lat_a = np.array([p.lat for p in a])[:, None]
        lon_a = np.array([p.lon for p in a])[:, None]
        lat_b = np.array([p.lat for p in b])[None, :]
        lon_b = np.array([p.lon for p in b])[None, :]
        km = _haversine_km(lat_a, lon_a, lat_b, lon_b)
        rank = (
            np.array([_RANK[p.terrain] for p in a], dtype=np.float64)[:, None]
            + np.array([_RANK[p.terrain] for p in b], dtype=np.float64)[None, :]
        ) / 2.0
        length, seconds = self._pricing().local(km, rank, np.zeros_like(km), island)
        return np.asarray(length, dtype=np.float64), np.asarray(seconds, dtype=np.float64)

    # ------------------------------------------------------------------ the interface

    def matrices(self, places: Sequence[Place]) -> TravelMatrices:
        n = len(places)
        distance = np.full((n, n), float(UNREACHABLE_M))
        duration = np.full((n, n), float(UNREACHABLE_S))
        if n == 0:
            return TravelMatrices(distance.astype(np.int64), duration.astype(np.int64))
        lands = self.land_of(places)
        groups: dict[str, list[int]] = {}
        for i, place in enumerate(places):
            groups.setdefault(place.island, []).append(i)
        pricing = self._pricing()
        for island, members in groups.items():
            here = [places[i] for i in members]
            length, seconds = self._direct(here, here, island != "")
            by_land: dict[str, list[int]] = {}
            for k, i in enumerate(members):
                land = lands[i]
                if land is not None:
                    by_land.setdefault(land, []).append(k)
            for land, ks in by_land.items():
                self._route_block(_land_graph(land, pricing), [here[k] for k in ks], ks, length, seconds)
            self._finish(here, length, seconds)
            grid = np.ix_(members, members)
            distance[grid] = length
            duration[grid] = seconds
        np.fill_diagonal(distance, 0.0)
        np.fill_diagonal(duration, 0.0)
        return TravelMatrices(distance.astype(np.int64), duration.astype(np.int64))

    def _route_block(
        self, graph: _LandGraph, places: list[Place], ks: list[int], length: FloatArray, seconds: FloatArray
    ) -> None:
        """Routes over ``graph`` between ``places`` (rows/columns ``ks`` of ``length``, ``seconds``)."""
        lat = np.array([p.lat for p in places])
        lon = np.array([p.lon for p in places])
        anchor, km = graph.nearest(lat, lon)
        rank = (np.array([_RANK[p.terrain] for p in places]) + graph.rank[anchor]) / 2.0
        access_m, access_s = graph.pricing.local(km, rank, np.zeros_like(km), graph.land != MAINLAND)
        sources, which = np.unique(anchor, return_inverse=True)
        between_s, between_m = graph.between(sources)
        between_s = between_s[np.ix_(which, which)]
        between_m = between_m[np.ix_(which, which)]
        route_s = access_s[:, None] + between_s + access_s[None, :]
        route_m = access_m[:, None] + between_m + access_m[None, :]
        routed = np.isfinite(route_s) & (anchor[:, None] != anchor[None, :])
        grid = np.ix_(ks, ks)
        block_s, block_m = seconds[grid], length[grid]
        block_s[routed] = route_s[routed]
        block_m[routed] = route_m[routed]
        seconds[grid] = block_s
        length[grid] = block_m

    def _finish(self, places: list[Place], length: FloatArray, seconds: FloatArray) -> None:
        """Trip overhead, the straight-line floors, whole minutes."""
        lat = np.array([p.lat for p in places])
        lon = np.array([p.lon for p in places])
        straight_km = _haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        apart = straight_km > 0.0
        seconds += np.where(apart, self.trip_minutes * 60.0, 0.0)
        np.maximum(seconds, straight_km / MAX_STRAIGHT_KMH * 3600.0, out=seconds)
        np.maximum(length, straight_km * 1000.0, out=length)
        np.ceil(seconds / 60.0 - 1e-9, out=seconds)
        seconds *= 60.0
        np.rint(length, out=length)
        np.clip(seconds, 0.0, UNREACHABLE_S, out=seconds)
        np.clip(length, 0.0, UNREACHABLE_M, out=length)

    # ------------------------------------------------------------------ one trip, described

    def route(self, a: Place, b: Place) -> RoadRoute | None:
        """The trip from ``a`` to ``b`` by road with the towns and trunk roads it goes by; None across water."""
        if a.island != b.island:
            return None
        matrices = self.matrices([a, b])
        if not matrices.reachable(0, 1):
            return None
        km = matrices.distance_m[0, 1] / 1000.0
        minutes = int(matrices.duration_s[0, 1] // 60)
        lands = self.land_of([a, b])
        if lands[0] is None or lands[0] != lands[1]:
            return RoadRoute(km, minutes, (), ())
        graph = _land_graph(lands[0], self._pricing())
        anchor, _ = graph.nearest(np.array([a.lat, b.lat]), np.array([a.lon, b.lon]))
        if anchor[0] == anchor[1]:
            return RoadRoute(km, minutes, (), ())
        steps = graph.path(int(anchor[0]), int(anchor[1]))
        roads: list[str] = []
        via: list[str] = []
        trunk_towns: set[int] = set()
        for x, y in itertools.pairwise(steps):
            label = graph.link_label[graph.link_between(x, y)]
            if label:
                trunk_towns |= {x, y}
                if not roads or roads[-1] != label:
                    roads.append(label)
        for step in steps[1:-1]:
            if step in trunk_towns or graph.population[step] >= 1000:
                name = graph.names[step]
                if not via or via[-1] != name:
                    via.append(name)
        return RoadRoute(km, minutes, tuple(via), tuple(roads))
