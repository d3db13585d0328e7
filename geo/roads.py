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
import hashlib
import itertools
import math
import os
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from dromologio.models import Policy
from dromologio.models.vocab import TERRAINS

from .cache import default_cache_dir
from .distance import EARTH_RADIUS_KM
from .settlements import MAINLAND, SETTLEMENTS_FILE, TRUNK_ROADS_FILE, Settlements, load_settlements
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
#: environment variable: ``off`` keeps land graphs and routes in memory only (see :func:`route_cache_dir`).
ROUTE_CACHE_VARIABLE = "DROMOLOGIO_ROUTE_CACHE"
#: bump when the files of the route store change layout.
ROUTES_FORMAT = 1
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

    link_a: IntArray
    link_b: IntArray
    link_m: FloatArray
    link_ds: FloatArray
    #: the trunk road of each link (its position in ``road_names``); -1 for a local road.
    link_road: IntArray
    road_names: tuple[str, ...]
    graph: csr_matrix

    def __init__(self, settlements: Settlements, land: str, pricing: _Pricing) -> None:
        self.land = land
        self.pricing = pricing
        self.nodes: IntArray = np.flatnonzero(settlements.land_codes == settlements.lands.index(land))
        self.lat = settlements.lat[self.nodes]
        self.lon = settlements.lon[self.nodes]
        self.altitude = settlements.altitude_m[self.nodes]
        self.rank = settlements.terrain[self.nodes]
        self.tree = cKDTree(_unit_vectors(self.lat, self.lon))
        self._settlements = settlements
        self.population = settlements.population[self.nodes]
        self._rows: OrderedDict[int, tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]] = OrderedDict()
        self._lock = threading.Lock()
        self.store = _store_for(land, pricing)
        stored = self.store.load_links(len(self.nodes)) if self.store is not None else None
        if stored is not None:
            (
                self.link_a,
                self.link_b,
                self.link_m,
                self.link_ds,
                self.link_road,
                self.road_names,
                self.graph,
            ) = stored
        else:
            self._build_links(settlements)
            weight = self.link_ds * _SHIFT + self.link_m
            # a trunk road may run beside a local link between the same settlements: the faster one counts
            self.graph = _min_duplicates(self.link_a, self.link_b, weight, len(self.nodes))
            if self.store is not None:
                self.store.save_links(self)

    def name(self, position: int) -> str:
        return self._settlements.name[int(self.nodes[position])]

    def road_of(self, link: int) -> str:
        """The trunk road of a link; empty for a local road."""
        code = int(self.link_road[link])
        return self.road_names[code] if code >= 0 else ""

    def _build_links(self, settlements: Settlements) -> None:
        """Local links and trunk road links, with their length (m) and time (ds)."""
        land, pricing = self.land, self.pricing
        position = {int(s): i for i, s in enumerate(self.nodes)}
        pairs = _local_pairs(self.lat, self.lon)
        a, b = pairs[:, 0], pairs[:, 1]
        km = _haversine_km(self.lat[a], self.lon[a], self.lat[b], self.lon[b])
        climb = np.abs(self.altitude[a] - self.altitude[b])
        length, seconds = pricing.local(km, (self.rank[a] + self.rank[b]) / 2.0, climb, land != MAINLAND)
        ends = [pairs]
        lengths, times = [length], [seconds]
        roads: list[int] = [-1] * len(pairs)
        names: list[str] = []
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
                if trunk.road not in names:
                    names.append(trunk.road)
                roads.append(names.index(trunk.road))
        links = np.concatenate(ends)
        self.link_a, self.link_b = links[:, 0], links[:, 1]
        self.link_m = np.maximum(np.rint(np.concatenate(lengths)), 1.0)
        self.link_ds = np.maximum(np.rint(np.concatenate(times) * 10.0), 1.0)
        self.link_road = np.array(roads, dtype=np.int64)
        self.road_names = tuple(names)

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
        if missing and self.store is not None:
            found = {x: row for x in missing if (row := self.store.load_row(x, len(self.nodes))) is not None}
            with self._lock:
                self._rows.update(found)
            missing = [x for x in missing if x not in found]
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
            if self.store is not None:
                for k, source in enumerate(missing):
                    self.store.save_row(source, seconds[k], length[k])
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


class _RouteStore:
    """Links and searched routes of one land graph on disk (``route_cache_dir()/<key>/``).

    ``links.npz`` holds the links and the routing graph; ``<settlement>.f32`` the routes
    from one settlement (time in s, then length in m, float32, for every settlement).

    As :mod:`.cache` does: a key that is the SHA-256 of everything the routes depend
    on, files written to a temporary name and renamed into place, unreadable files
    computed again; a read-only or full disk only means nothing is kept.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _write(self, name: str, save: Callable[[Any], None]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".routes-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    save(file)
                os.replace(temporary, self.folder / name)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass

    def load_links(self, n: int) -> tuple[Any, ...] | None:
        """Links, their trunk roads and the routing graph of a land of ``n`` settlements, as saved."""
        try:
            with np.load(self.folder / "links.npz", allow_pickle=False) as data:
                graph = csr_matrix((data["data"], data["indices"], data["indptr"]), shape=(n, n))
                names = tuple(str(x) for x in data["road_names"])
                found = (data["a"], data["b"], data["m"], data["ds"], data["road"], names, graph)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return None
        return found

    def save_links(self, graph: _LandGraph) -> None:
        csr = graph.graph

        def save(file: Any) -> None:
            np.savez(
                file,
                a=graph.link_a,
                b=graph.link_b,
                m=graph.link_m,
                ds=graph.link_ds,
                road=graph.link_road,
                road_names=np.array(graph.road_names, dtype=str),
                data=csr.data,
                indices=csr.indices,
                indptr=csr.indptr,
            )

        self._write("links.npz", save)

    def load_row(self, node: int, n: int) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]] | None:
        """Time (s) and length (m) of the routes from ``node``: raw float32, ``2 * n`` of them."""
        try:
            row = np.fromfile(self.folder / f"{node}.f32", dtype="<f4")
        except (OSError, ValueError):
            return None
        if row.shape != (2 * n,):
            return None
        return row[:n], row[n:]

    def save_row(self, node: int, seconds: npt.NDArray[np.float32], length: npt.NDArray[np.float32]) -> None:
        data = np.concatenate((seconds, length)).astype("<f4")
        self._write(f"{node}.f32", lambda file: file.write(data.tobytes()))


def route_cache_dir() -> Path | None:
    """Where land graphs keep their links and routes: ``routes`` in the matrices cache folder.

    ``DROMOLOGIO_ROUTE_CACHE=off`` keeps them in memory only; the folder follows
    ``DROMOLOGIO_CACHE_DIR`` (:func:`.cache.default_cache_dir`).
    """
    if os.environ.get(ROUTE_CACHE_VARIABLE, "").strip().lower() in ("off", "0", "no", "false"):
        return None
    return default_cache_dir() / "routes"


@lru_cache(maxsize=1)
def _data_digest() -> str:
    """What the land graphs are made of: the code's version and the two data files."""
    digest = hashlib.sha256(version("dromologio").encode())
    for path in (SETTLEMENTS_FILE, TRUNK_ROADS_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _store_for(land: str, pricing: _Pricing) -> _RouteStore | None:
    folder = route_cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(
        f"dromologio-routes/{ROUTES_FORMAT}/{ROUTE_LIMIT_MIN}/{_data_digest()}/{land}/{pricing!r}".encode()
    ).hexdigest()
    return _RouteStore(folder / key)


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


def forget_routes(*, graphs: bool = False) -> None:
    """Drop the routes kept in memory (and with ``graphs`` the land graphs): the next calls search
    again, or read what the route store on disk holds (:func:`route_cache_dir`)."""
    with _GRAPHS_LOCK:
        kept = list(_GRAPHS.values())
        if graphs:
            _GRAPHS.clear()
    for graph in kept:
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
        lat_all = np.fromiter((p.lat for p in places), dtype=np.float64, count=n)
        lon_all = np.fromiter((p.lon for p in places), dtype=np.float64, count=n)
        rank_all = np.fromiter((_RANK[p.terrain] for p in places), dtype=np.float64, count=n)
        for island, members in groups.items():
            at = np.array(members, dtype=np.int64)
            lat, lon, rank = lat_all[at], lon_all[at], rank_all[at]
            straight_km = _haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
            seconds = np.full(straight_km.shape, np.nan)
            length = np.full(straight_km.shape, np.nan)
            by_land: dict[str, list[int]] = {}
            for k, i in enumerate(members):
                land = lands[i]
                if land is not None:
                    by_land.setdefault(land, []).append(k)
            for land, ks in by_land.items():
                self._route_block(_land_graph(land, pricing), lat, lon, rank, ks, length, seconds)
            # pairs without a route (one settlement, no road found): a straight local road
            direct = np.isnan(seconds)
            if direct.any():
                rows, cols = np.nonzero(direct)
                metres, secs = pricing.local(
                    straight_km[direct], (rank[rows] + rank[cols]) / 2.0, np.zeros(len(rows)), island != ""
                )
                seconds[direct] = secs
                length[direct] = metres
            self._finish(straight_km, length, seconds)
            if len(members) == n:
                distance, duration = length, seconds
            else:
                grid = np.ix_(at, at)
                distance[grid] = length
                duration[grid] = seconds
        np.fill_diagonal(distance, 0.0)
        np.fill_diagonal(duration, 0.0)
        return TravelMatrices(distance.astype(np.int64), duration.astype(np.int64))

    def _route_block(
        self,
        graph: _LandGraph,
        lat: FloatArray,
        lon: FloatArray,
        rank: FloatArray,
        ks: list[int],
        length: FloatArray,
        seconds: FloatArray,
    ) -> None:
        """Routes over ``graph`` between the places ``ks`` (rows/columns of ``length``, ``seconds``)."""
        at = np.array(ks, dtype=np.int64)
        anchor, km = graph.nearest(lat[at], lon[at])
        access_m, access_s = graph.pricing.local(
            km, (rank[at] + graph.rank[anchor]) / 2.0, np.zeros_like(km), graph.land != MAINLAND
        )
        sources, which = np.unique(anchor, return_inverse=True)
        between_s, between_m = graph.between(sources)
        grid = np.ix_(which, which)
        route_s = access_s[:, None] + between_s[grid] + access_s[None, :]
        route_m = access_m[:, None] + between_m[grid] + access_m[None, :]
        unrouted = ~np.isfinite(route_s) | (anchor[:, None] == anchor[None, :])
        route_s[unrouted] = np.nan
        route_m[unrouted] = np.nan
        if len(ks) == len(seconds):
            seconds[:] = route_s
            length[:] = route_m
        else:
            block = np.ix_(at, at)
            seconds[block] = route_s
            length[block] = route_m

    def _finish(self, straight_km: FloatArray, length: FloatArray, seconds: FloatArray) -> None:
        """Trip overhead, the straight-line floors, whole minutes."""
        apart = straight_km > 0.0
        seconds += np.where(apart, self.trip_minutes * 60.0, 0.0)
        np.maximum(seconds, straight_km * (3600.0 / MAX_STRAIGHT_KMH), out=seconds)
        np.maximum(length, straight_km * 1000.0, out=length)
        seconds *= 1.0 / 60.0
        seconds -= 1e-9
        np.ceil(seconds, out=seconds)
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
            label = graph.road_of(graph.link_between(x, y))
            if label:
                trunk_towns |= {x, y}
                if not roads or roads[-1] != label:
                    roads.append(label)
        for step in steps[1:-1]:
            if step in trunk_towns or graph.population[step] >= 1000:
                name = graph.name(step)
                if not via or via[-1] != name:
                    via.append(name)
        return RoadRoute(km, minutes, tuple(via), tuple(roads))
