"""The travel network: estimated roads on each island, ferry links between them.

No road graph of Greece is available offline, so the roads are *estimated*: a
link between two places is as long as the great-circle distance times the
circuity of the rougher of its two ends, and is driven at the average speed of
that terrain (the same rule as :class:`~dromologio.geo.travel.RoadEstimateModel`,
so a road with a mountainous end is longer and slower).  What the network adds
over the direct estimate is *structure*: a route is a chain of links, so a
closed mountain road, a snowed-in village or a track open only to 4x4 vehicles
changes the routes that used it, and nothing else.

Design
------

Nodes are places with ids (schools, bases, ports: any ``{id: Place}``); ports
named with the ``ports`` argument are added as plain places when absent.
Places on one island (or on the mainland) form one land component; there is no
road between components.

*Road links* join junctions.  When a component has at most ``max_junctions``
distinct points (default 1,000), every place is a junction: the road graph is
over the places themselves.  Its links are found on a local equirectangular
projection with :class:`scipy.spatial.cKDTree` and
:class:`scipy.spatial.Delaunay`: the ``k`` nearest neighbours (default 8), the
nearest in each of ``sectors`` equal angular sectors among the ``reach``
nearest (so each place has roads in every direction, not only within its own
cluster of villages), and the edges of the Delaunay triangulation, which keep
the component connected and bridge the gaps between clusters.  On open roads a
route is never shorter than the direct estimate (triangle inequality); on
clustered Greek settlements it is a median of about 2 % longer (95th
percentile about 5 %, see ``bench/geo_bench.py``).

*Large components* are thinned so that the all-pairs search, whose cost grows
with the square of the junction count, stays bounded: per terrain class, on the
finest square grid that leaves that class its share of ``max_junctions``
occupied cells, the place nearest the middle of each cell is a junction, and
every other place joins the nearest junction of its own class (so a closure
by terrain cuts exactly the places of that terrain).  Between two places of a
thinned component the trip is the direct estimate between them plus the
*excess* of the route between their junctions over the direct estimate between
the junctions, and never less than a straight road of the easiest terrain.  On
open roads this keeps the accuracy of the full graph (a closure shows up as a
larger excess), without snapping every trip to a junction; two places with one
junction are joined directly.  An area closure (``bbox``) is then as fine as
the junction grid: a place outside the area whose junction is inside is cut
off with it.

*Ferry links* come from timetabled sailings: one edge per sailing in
:attr:`TravelNetwork.graph` with ``kind="ferry"``, its departure, duration and
fare.  They are not part of the land matrices: the dispatcher routes sailings
itself as exact timetabled nodes, and the land matrix stays island-local.

*Closures and profiles* (:mod:`.closures`).  A closure of a place closes its
access: it cannot be reached or left, but roads past it stay open.  A closure
of an area closes every road link with an end in the area (and the access of
the places in it); a closure of links closes those road links.  A closure
marked ``open_to_4x4`` bars cars only.  Matrices are computed for a
``profile`` (``car`` or ``4x4``) and a ``day``: the closures in force that day
that bar that profile are left out (with no day, only closures without dates).

*All pairs at once.*  The open road links form a sparse matrix over the
junctions, and one call of :func:`scipy.sparse.csgraph.dijkstra` gives every
route.  Its weight packs time and length into one exact integer
(``deciseconds * 2**b + metres``, ``b`` chosen from a bound on the longest
route), so the routes are the fastest ones and the distance is the length of
the fastest route (the shortest among equally fast ones).  The place-to-place
matrices are then assembled with numpy in blocks of rows that stay in the CPU
cache.  Times are summed in deciseconds and rounded up to whole minutes at the
end, as the direct estimate does; unreachable pairs get ``UNREACHABLE_S`` /
``UNREACHABLE_M``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, ClassVar

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from dromologio.models import Policy, Port, Problem, Sailing
from dromologio.models.vocab import TERRAINS

from .closures import Closure, active_closures, check_profile, closed_on
from .distance import EARTH_RADIUS_KM
from .road_links import (
    BLOCK,
    FAR,
    TERRAIN_RANK,
    BoolArray,
    FloatArray,
    IntArray,
    Links,
    all_pairs,
    neighbour_pairs,
    pair_haversine_km,
    project,
    symmetric,
    thin,
    unique_pairs,
)
from .travel import UNREACHABLE_M, UNREACHABLE_S, Place, TravelMatrices


@dataclass(frozen=True)
class FerryLink:
    """One sailing of the network, between two port ids."""

    from_id: str
    to_id: str
    depart_s: int
    duration_s: int
    fare_eur: float | None
    sailing: Sailing


class TravelNetwork:
    """Estimated roads between places with ids, island by island, and the day's ferry links.

    ``graph`` is the network as a :class:`networkx.MultiDiGraph` (nodes are place
    ids; edges have ``kind`` ``road``, ``access`` or ``ferry``, with
    ``length_m``, ``duration_s``, ``terrain`` and the ``closures`` that can
    close them); :meth:`land_matrices` computes the matrices for a profile and
    a day.  See the module documentation for the design.
    """

    def __init__(
        self,
        places: Mapping[str, Place],
        *,
        speed_kmh: Mapping[str, float],
        circuity: Mapping[str, float],
        closures: Iterable[Closure] = (),
        four_by_four_only: Iterable[str] = (),
        ports: Iterable[Port] = (),
        sailings: Iterable[Sailing] = (),
        day: date | None = None,
        k: int = 8,
        sectors: int = 8,
        reach: int = 32,
        max_junctions: int = 1000,
    ) -> None:
        if k < 1 or sectors < 0 or max_junctions < 2:
            raise ValueError("k must be at least 1, sectors at least 0 and max_junctions at least 2")
        merged = dict(places)
        for port in ports:
            merged.setdefault(port.port_id, Place(port.lat, port.lon, port.island, "plain"))
        if "" in merged:
            raise ValueError("place ids must not be empty")
        self.ids: tuple[str, ...] = tuple(merged)
        self.places: tuple[Place, ...] = tuple(merged.values())
        self.index: dict[str, int] = {place_id: i for i, place_id in enumerate(self.ids)}
        speed = np.array([float(speed_kmh[t]) for t in TERRAINS])
        self._circuity = np.array([float(circuity[t]) for t in TERRAINS])
        if np.any(speed <= 0) or np.any(self._circuity < 1.0):
            raise ValueError("speeds must be positive and circuity at least 1")
        #: metres and deciseconds per great-circle km, by terrain rank.
        self._metres_per_km = self._circuity * 1000.0
        self._ds_per_km = self._circuity / speed * 36_000.0
        self.k, self.sectors, self.reach, self.max_junctions = k, sectors, reach, max_junctions
        n = len(self.places)
        self._lat = np.fromiter((p.lat for p in self.places), dtype=np.float64, count=n)
        self._lon = np.fromiter((p.lon for p in self.places), dtype=np.float64, count=n)
        self._phi = np.radians(self._lat)
        self._lam = np.radians(self._lon)
        self._cos = np.cos(self._phi)
        self._rank = np.fromiter((TERRAIN_RANK[p.terrain] for p in self.places), dtype=np.int64, count=n)
        self.islands: tuple[str, ...] = tuple(sorted({p.island for p in self.places}))
        code = {island: c for c, island in enumerate(self.islands)}
        self._island = np.fromiter((code[p.island] for p in self.places), dtype=np.int64, count=n)
        self._closures: list[Closure] = list(closures)
        restricted = sorted(set(four_by_four_only))
        if restricted:
            self._closures.append(
                Closure(reason="open to 4x4 vehicles only", place_ids=frozenset(restricted), open_to_4x4=True)
            )
        self._build_roads()
        self.ferries: tuple[FerryLink, ...] = self._ferry_links(sailings, day)
        self._graph: nx.MultiDiGraph | None = None
        self._tables: dict[tuple[str, date | None], tuple[FloatArray, FloatArray]] = {}

    # ------------------------------------------------------------------ building

    def _costs(self, a: IntArray, b: IntArray) -> tuple[IntArray, IntArray, IntArray]:
        """Length (m), time (ds) and rougher-terrain rank of links between places ``a`` and ``b``."""
        rank = np.maximum(self._rank[a], self._rank[b])
        km = pair_haversine_km(self._lat[a], self._lon[a], self._lat[b], self._lon[b])
        length = np.rint(km * self._metres_per_km[rank]).astype(np.int64)
        time = np.rint(km * self._ds_per_km[rank]).astype(np.int64)
        return length, time, rank

    def _direct(self, rows: IntArray, cols: IntArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Direct road length (m), time (ds) and great-circle km between places of ``rows`` and ``cols``.

        The great-circle distance is the equirectangular formula at the pair's
        mean latitude (within 0.1 % of the haversine up to a few hundred km); the
        road is that times the circuity of the rougher terrain, at its speed.
        """
        east = self._lam[cols][None, :] - self._lam[rows][:, None]
        east *= self._cos[cols][None, :] + self._cos[rows][:, None]
        east *= 0.5
        east *= east
        km = self._phi[cols][None, :] - self._phi[rows][:, None]
        km *= km
        km += east
        np.sqrt(km, out=km)
        km *= EARTH_RADIUS_KM
        rank = np.maximum(self._rank[rows][:, None], self._rank[cols][None, :])
        return km * self._metres_per_km[rank], km * self._ds_per_km[rank], km

    def _build_roads(self) -> None:
        n = len(self.places)
        junction = np.zeros(n, dtype=np.int64)
        group = np.full(n, -1, dtype=np.int64)
        reps: list[IntArray] = []
        road: list[IntArray] = []
        spans: list[tuple[int, int]] = []
        count = 0
        order = np.argsort(self._island, kind="stable")
        bounds = np.flatnonzero(np.diff(self._island[order], prepend=-1, append=len(self.islands) + 1))
        for start, stop in itertools.pairwise(bounds.tolist()):
            members = order[start:stop]
            xy = project(self._lat[members], self._lon[members])
            _, first, point = np.unique(xy, axis=0, return_index=True, return_inverse=True)
            if len(first) <= self.max_junctions:  # every distinct point is a junction
                chosen = first.astype(np.int64)
                attach = point.reshape(-1).astype(np.int64)
            else:  # thinned, terrain class by terrain class
                chosen, attach = self._thin_by_terrain(members, xy)
                group[members] = len(spans)
                spans.append((count, count + len(chosen)))
            junction[members] = attach + count
            reps.append(members[chosen])
            road.append(neighbour_pairs(xy[chosen], self.k, self.sectors, self.reach) + count)
            count += len(chosen)
        self._junction = junction
        self._group = group
        self._spans = spans
        self._rep: IntArray = np.concatenate(reps) if reps else np.zeros(0, dtype=np.int64)
        pairs = unique_pairs(np.concatenate(road)) if road else np.zeros((0, 2), np.int64)
        length, time, rank = self._costs(self._rep[pairs[:, 0]], self._rep[pairs[:, 1]])
        # a zero weight would read as "no link"
        self._road = Links(pairs[:, 0], pairs[:, 1], length, np.maximum(time, 1), rank)
        # pairs are sorted, so their keys are too: links are looked up by bisection
        self._link_keys = pairs[:, 0] * max(len(self._rep), 1) + pairs[:, 1]

    def _thin_by_terrain(self, members: IntArray, xy: FloatArray) -> tuple[IntArray, IntArray]:
        """Junctions of a large component, a share of ``max_junctions`` per terrain class.

        Each place joins the nearest junction of its own class, so a closure by
        terrain closes exactly the places of that class.
        """
        chosen: list[IntArray] = []
        attach = np.zeros(len(members), dtype=np.int64)
        found = 0
        rank = self._rank[members]
        for r in np.unique(rank).tolist():
            inside = np.flatnonzero(rank == r)
            budget = max(1, self.max_junctions * len(inside) // len(members))
            distinct = np.unique(xy[inside], axis=0, return_index=True)[1]
            picked = inside[distinct if len(distinct) <= budget else thin(xy[inside], budget)]
            nearest = cKDTree(xy[picked]).query(xy[inside])[1].astype(np.int64)
            attach[inside] = nearest + found
            attach[picked] = np.arange(len(picked)) + found
            chosen.append(picked)
            found += len(picked)
        return np.concatenate(chosen), attach

    def _ferry_links(self, sailings: Iterable[Sailing], day: date | None) -> tuple[FerryLink, ...]:
        links: list[FerryLink] = []
        for sailing in sailings:
            for port_id in (sailing.from_port, sailing.to_port):
                if port_id not in self.index:
                    raise ValueError(f"sailing names port '{port_id}', which is not in the network")
            if day is not None and not sailing.runs_on(day):
                continue
            links.append(
                FerryLink(
                    sailing.from_port,
                    sailing.to_port,
                    sailing.depart_min * 60,
                    sailing.duration_min * 60,
                    sailing.fare_eur,
                    sailing,
                )
            )
        return tuple(links)

    # ------------------------------------------------------------------ inspection

    @property
    def size(self) -> int:
        return len(self.places)

    @property
    def junction_count(self) -> int:
        return len(self._rep)

    @property
    def thinned_islands(self) -> tuple[str, ...]:
        """Components whose places join the roads through junctions (``""``: the mainland)."""
        return tuple(self.islands[int(self._island[self._rep[start]])] for start, _ in self._spans)

    def road_links(self) -> list[tuple[str, str]]:
        """The road links as pairs of place ids (of the junctions they join)."""
        return [
            (self.ids[int(self._rep[a])], self.ids[int(self._rep[b])])
            for a, b in zip(self._road.a, self._road.b, strict=True)
        ]

    def closures(self) -> tuple[Closure, ...]:
        return tuple(self._closures)

    def closure_of(self, place_id: str, day: date | None, profile: str = "car") -> Closure | None:
        """What keeps a ``profile`` vehicle from the place on ``day`` (see :func:`closed_on`)."""
        place = self.places[self.index[place_id]]
        return closed_on(self._closures, place_id, day, place=place, profile=profile)

    def restrict_link(
        self,
        a: str,
        b: str,
        *,
        reason: str = "open to 4x4 vehicles only",
        open_to_4x4: bool = True,
        start: date | None = None,
        end: date | None = None,
    ) -> Closure:
        """Close the road link between places ``a`` and ``b`` (to cars only, by default)."""
        if self._road_link(a, b) is None:
            raise KeyError(f"no road link between '{a}' and '{b}'")
        closure = Closure(
            reason=reason, start=start, end=end, links=frozenset({(a, b)}), open_to_4x4=open_to_4x4
        )
        self._closures.append(closure)
        self._tables.clear()
        self._graph = None
        return closure

    def _road_link(self, a: str, b: str) -> int | None:
        ia, ib = self.index.get(a), self.index.get(b)
        if ia is None or ib is None:
            return None
        ja, jb = int(self._junction[ia]), int(self._junction[ib])
        if self._rep[ja] != ia or self._rep[jb] != ib or ja == jb:
            return None
        key = min(ja, jb) * max(len(self._rep), 1) + max(ja, jb)
        link = int(np.searchsorted(self._link_keys, key))
        return link if link < len(self._link_keys) and self._link_keys[link] == key else None

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The network as a networkx multigraph (built on first use)."""
        if self._graph is None:
            self._graph = self._make_graph()
        return self._graph

    def _make_graph(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        rep_of_place = self._rep[self._junction]
        for i, (place_id, place) in enumerate(zip(self.ids, self.places, strict=True)):
            graph.add_node(
                place_id,
                lat=place.lat,
                lon=place.lon,
                island=place.island,
                terrain=place.terrain,
                junction=self.ids[int(rep_of_place[i])],
            )
        masks = [self._closure_masks(closure) for closure in self._closures]

        def closing(kind: int) -> list[tuple[Closure, ...]]:
            size = (len(self._road), self.size)[kind]
            if not masks:
                return [()] * size
            hit = np.stack([mask[kind] for mask in masks])
            return [
                tuple(self._closures[c] for c in np.flatnonzero(hit[:, e])) if hit[:, e].any() else ()
                for e in range(size)
            ]

        def add(
            a: int, b: int, kind: str, length: int, time: int, rank: int, found: tuple[Closure, ...]
        ) -> None:
            attrs: dict[str, Any] = {
                "kind": kind,
                "length_m": int(length),
                "duration_s": time / 10.0,
                "terrain": TERRAINS[rank],
                "closures": found,
            }
            graph.add_edge(self.ids[a], self.ids[b], key=kind, **attrs)
            graph.add_edge(self.ids[b], self.ids[a], key=kind, **attrs)

        road, road_closures = self._road, closing(0)
        for link in range(len(road)):
            a, b = int(self._rep[road.a[link]]), int(self._rep[road.b[link]])
            add(a, b, "road", road.length_m[link], road.time_ds[link], road.rank[link], road_closures[link])
        access_closures = closing(1)
        joined = np.flatnonzero(rep_of_place != np.arange(self.size))
        length, time, rank = self._costs(joined, rep_of_place[joined])
        for n, i in enumerate(joined.tolist()):
            add(i, int(rep_of_place[i]), "access", length[n], time[n], rank[n], access_closures[i])
        for n, ferry in enumerate(self.ferries):
            graph.add_edge(
                ferry.from_id,
                ferry.to_id,
                key=("ferry", n),
                kind="ferry",
                depart_s=ferry.depart_s,
                duration_s=float(ferry.duration_s),
                fare_eur=ferry.fare_eur,
                sailing=ferry.sailing,
            )
        return graph

    # ------------------------------------------------------------------ closures as masks

    def _area_mask(self, closure: Closure) -> BoolArray:
        mask = np.ones(self.size, dtype=bool)
        if closure.terrain is not None:
            mask &= self._rank >= TERRAIN_RANK[closure.terrain]
        if closure.island is not None:
            if closure.island not in self.islands:
                return np.zeros(self.size, dtype=bool)
            mask &= self._island == self.islands.index(closure.island)
        if closure.bbox is not None:
            south, west, north, east = closure.bbox
            mask &= (self._lat >= south) & (self._lat <= north) & (self._lon >= west) & (self._lon <= east)
        return mask

    def _closure_masks(self, closure: Closure) -> tuple[BoolArray, BoolArray]:
        """What ``closure`` closes: road links, and the access of each place."""
        road = np.zeros(len(self._road), dtype=bool)
        found = (self._road_link(a, b) for a, b in closure.links)
        road[[link for link in found if link is not None]] = True
        access = np.zeros(self.size, dtype=bool)
        access[[self.index[p] for p in closure.place_ids if p in self.index]] = True
        if closure.has_area:
            area = self._area_mask(closure)
            rep = self._rep
            road |= area[rep[self._road.a]] | area[rep[self._road.b]]
            access |= area | area[rep[self._junction]]
        return road, access

    def _closed(self, profile: str, day: date | None) -> tuple[BoolArray, BoolArray]:
        """Closed road links and accesses for ``profile`` on ``day``."""
        road = np.zeros(len(self._road), dtype=bool)
        access = np.zeros(self.size, dtype=bool)
        for closure in active_closures(self._closures, day, profile):
            closed_road, closed_access = self._closure_masks(closure)
            road |= closed_road
            access |= closed_access
        return road, access

    # ------------------------------------------------------------------ matrices

    def _junction_tables(
        self, profile: str, day: date | None, road_closed: BoolArray
    ) -> tuple[FloatArray, FloatArray]:
        """Time (ds) and length (m) between junctions, ``FAR`` where there is no route.

        Fastest routes; within a thinned component, their excess over the direct
        estimate between the two junctions instead.
        """
        key = (profile, day)
        if key not in self._tables:
            time, length = self._junction_paths(road_closed)
            for start, stop in self._spans:
                reps = self._rep[start:stop]
                direct_length, direct_time, _ = self._direct(reps, reps)
                length[start:stop, start:stop] -= direct_length
                time[start:stop, start:stop] -= direct_time
            for table in (time, length):
                table[np.isinf(table)] = FAR
            self._tables[key] = (time, length)
        return self._tables[key]

    def _junction_paths(self, road_closed: BoolArray) -> tuple[FloatArray, FloatArray]:
        """Time (ds) and length (m) of the fastest route between every two junctions (inf: none)."""
        m = self.junction_count
        keep = ~road_closed
        a, b = self._road.a[keep], self._road.b[keep]
        length = self._road.length_m[keep].astype(np.float64)
        time = self._road.time_ds[keep].astype(np.float64)
        if len(a) == 0:
            far = np.full((m, m), np.inf)
            np.fill_diagonal(far, 0.0)
            return far, far.copy()
        # Any fastest route is at most twice as long as the farthest junction from the
        # root of its component, and no link is faster than ``pace`` metres per ds:
        # that bounds both parts of the packed weight, so the packing is exact.
        by_time = symmetric(a, b, time, m)
        _, label = connected_components(by_time, directed=True, connection="weak")
        roots = np.unique(label, return_index=True)[1]
        from_root = dijkstra(by_time, directed=True, indices=roots, min_only=True)
        longest = 2.0 * float(from_root[np.isfinite(from_root)].max()) + 1.0
        pace = float((length / time).max())
        shift = 2.0 ** math.ceil(math.log2(longest * pace + 2.0))
        if longest * shift >= 2.0**52:  # too far to pack exactly: fastest times, shortest lengths
            return all_pairs(a, b, time, m), all_pairs(a, b, length, m)
        packed = all_pairs(a, b, time * shift + length, m)
        none = np.isinf(packed)
        packed[none] = 0.0
        total_time = np.floor(packed / shift)
        total_length = packed - total_time * shift
        total_time[none] = np.inf
        total_length[none] = np.inf
        return total_time, total_length

    def land_matrices(
        self, ids: Sequence[str] | None = None, *, profile: str = "car", day: date | None = None
    ) -> TravelMatrices:
        """Road matrices between ``ids`` (default: every place, in order) for ``profile`` on ``day``."""
        if ids is None:
            return self.matrices_at(np.arange(self.size, dtype=np.int64), profile=profile, day=day)
        try:
            at = np.fromiter((self.index[i] for i in ids), dtype=np.int64, count=len(ids))
        except KeyError as error:
            raise KeyError(f"place {error} is not in the network") from None
        return self.matrices_at(at, profile=profile, day=day)

    def matrices_at(self, at: IntArray, *, profile: str = "car", day: date | None = None) -> TravelMatrices:
        """Road matrices between the places at positions ``at`` (repeats allowed)."""
        check_profile(profile)
        unique, position = np.unique(at, return_inverse=True)
        matrices = self._matrices(unique.astype(np.int64), profile, day)
        if len(unique) == len(at) and np.array_equal(unique, at):
            return matrices
        grid = np.ix_(position.reshape(-1), position.reshape(-1))
        return TravelMatrices(matrices.distance_m[grid], matrices.duration_s[grid])

    def _matrices(self, places: IntArray, profile: str, day: date | None) -> TravelMatrices:
        n = len(places)
        if n == 0:
            empty = np.zeros((0, 0), dtype=np.int64)
            return TravelMatrices(empty, empty.copy())
        road_closed, access_closed = self._closed(profile, day)
        junction_time, junction_length = self._junction_tables(profile, day, road_closed)
        # Work in the order of (thinned component, junction): each thinned component is
        # then one square of the matrices, and rows gather from nearby table rows.
        order = np.lexsort((self._junction[places], self._group[places]))
        in_order = bool(np.array_equal(order, np.arange(n)))
        places = places[order]
        junction = self._junction[places]
        group = self._group[places]
        squares = [
            (int(np.searchsorted(group, g)), int(np.searchsorted(group, g, side="right")))
            for g in range(len(self._spans))
        ]
        penalty = np.where(access_closed[places], FAR, 0.0)
        any_closed = bool(penalty.any())
        whole = n == self.junction_count and np.array_equal(junction, np.arange(n))
        back = np.empty(n, dtype=np.int64)
        back[order] = np.arange(n)
        least_metres, least_ds = float(self._metres_per_km.min()), float(self._ds_per_km.min())
        duration = np.empty((n, n), dtype=np.int64)
        distance = np.empty((n, n), dtype=np.int64)
        rows = max(1, BLOCK // n)
        for top in range(0, n, rows):
            bottom = min(n, top + rows)
            if whole:
                time = junction_time[top:bottom].copy()
                length = junction_length[top:bottom].copy()
            else:
                here = junction[top:bottom]
                time = np.take(junction_time[here], junction, axis=1)
                length = np.take(junction_length[here], junction, axis=1)
            for first, last in squares:
                low, high = max(top, first), min(bottom, last)
                if low >= high:
                    continue
                direct_length, direct_time, km = self._direct(places[low:high], places[first:last])
                for table, direct, least in (
                    (length, direct_length, least_metres),
                    (time, direct_time, least_ds),
                ):
                    square = table[low - top : high - top, first:last]
                    square += direct
                    # no route is shorter or faster than a straight road of the easiest terrain
                    km_least = km * least
                    np.maximum(square, km_least, out=square)
            if any_closed:
                for table in (time, length):
                    table += penalty[top:bottom, None]
                    table += penalty[None, :]
            time /= 600.0
            np.ceil(time, out=time)
            time *= 60.0
            np.clip(time, 0.0, UNREACHABLE_S, out=time)
            np.rint(length, out=length)
            np.clip(length, 0.0, UNREACHABLE_M, out=length)
            if in_order:
                duration[top:bottom] = time
                distance[top:bottom] = length
            else:
                duration[order[top:bottom]] = time[:, back]
                distance[order[top:bottom]] = length[:, back]
        np.fill_diagonal(duration, 0)
        np.fill_diagonal(distance, 0)
        return TravelMatrices(distance, duration)


@dataclass(frozen=True)
class NetworkTravelModel:
    """A :class:`~dromologio.geo.travel.TravelModel` over the estimated road network.

    ``matrices(places)`` builds a :class:`TravelNetwork` over the places (the
    same physical place given twice is computed once) and returns its land
    matrices for ``profile`` on ``day``.  ``place_ids`` names places so that
    closures by id apply (see :meth:`for_problem`); unnamed places can still be
    closed by area.
    """

    #: part of the cache key (:mod:`.cache`): bump when the same inputs give other matrices.
    cache_version: ClassVar[int] = 1

    speed_kmh: Mapping[str, float]
    circuity: Mapping[str, float]
    profile: str = "car"
    day: date | None = None
    closures: tuple[Closure, ...] = ()
    place_ids: Mapping[Place, str] = field(default_factory=dict)
    four_by_four_only: frozenset[str] = frozenset()
    k: int = 8
    sectors: int = 8
    max_junctions: int = 1000

    def __post_init__(self) -> None:
        check_profile(self.profile)
        object.__setattr__(self, "closures", tuple(self.closures))
        object.__setattr__(self, "four_by_four_only", frozenset(self.four_by_four_only))

    @classmethod
    def from_policy(cls, policy: Policy, **options: Any) -> NetworkTravelModel:
        """Speeds and circuity of the policy; ``options`` are the other fields."""
        return cls(policy.road_speed_kmh, policy.road_circuity, **options)

    @classmethod
    def for_problem(cls, problem: Problem, **options: Any) -> NetworkTravelModel:
        """Speeds and circuity of the problem's policy, places named by their ids.

        Schools, bases and ports are named as the dispatcher sees them (a
        school with its terrain, bases and ports as plain places), so closures
        by school id apply; a school sharing a point with a base keeps its own id.
        """
        names: dict[Place, str] = {}
        for base in problem.bases:
            names[Place(base.lat, base.lon, base.island, "plain")] = base.base_id
        for port in problem.ports:
            names[Place(port.lat, port.lon, port.island, "plain")] = port.port_id
        for school in problem.schools:
            names[Place(school.lat, school.lon, school.island, school.terrain)] = school.school_id
        options.setdefault("place_ids", names)
        return cls.from_policy(problem.policy, **options)

    def on(self, day: date | None, profile: str | None = None) -> NetworkTravelModel:
        """The same model for another day (and profile)."""
        return replace(self, day=day, profile=profile or self.profile)

    def network(self, places: Sequence[Place]) -> tuple[TravelNetwork, IntArray]:
        """The network over the distinct places, and the position of each given place in it."""
        first: dict[Place, int] = {}
        position = np.fromiter(
            (first.setdefault(p, len(first)) for p in places), dtype=np.int64, count=len(places)
        )
        named: dict[str, Place] = {}
        for n, place in enumerate(first):
            name = self.place_ids.get(place)
            if name is None or name in named:
                name = f"#{n}" if name is None else f"{name}#{n}"
            named[name] = place
        network = TravelNetwork(
            named,
            speed_kmh=self.speed_kmh,
            circuity=self.circuity,
            closures=self.closures,
            four_by_four_only=self.four_by_four_only,
            k=self.k,
            sectors=self.sectors,
            max_junctions=self.max_junctions,
        )
        return network, position

    def matrices(self, places: Sequence[Place]) -> TravelMatrices:
        network, position = self.network(places)
        return network.matrices_at(position, profile=self.profile, day=self.day)
