"""The road graph's arithmetic: links as arrays, neighbour pairs, connectivity, thinning, all-pairs routes.

Pure numpy and scipy over projected points; :class:`~dromologio.geo.network.TravelNetwork`
builds its roads and matrices with these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import Delaunay, QhullError, cKDTree

from dromologio.models.vocab import TERRAINS

from .distance import EARTH_RADIUS_KM

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

TERRAIN_RANK = {terrain: rank for rank, terrain in enumerate(TERRAINS)}
#: stands for "no route" inside the float computations (far above any real route).
FAR = 1e13
#: elements per block of rows when the matrices are assembled (keeps temporaries in cache).
BLOCK = 1 << 18


@dataclass(frozen=True)
class Links:
    """Links as arrays: ends, length (m), time (ds) and the terrain rank of the rougher end."""

    a: IntArray
    b: IntArray
    length_m: IntArray
    time_ds: IntArray
    rank: IntArray

    def __len__(self) -> int:
        return len(self.a)


def pair_haversine_km(lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray) -> FloatArray:
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dlam = np.radians(lon2 - lon1)
    a = np.sin((phi2 - phi1) / 2.0) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2.0) ** 2
    km: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return km


def project(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Equirectangular km around the mean latitude (good enough to pick neighbours)."""
    scale = math.cos(math.radians(float(lat.mean()))) if len(lat) else 1.0
    xy: FloatArray = np.column_stack(
        (np.radians(lon) * scale * EARTH_RADIUS_KM, np.radians(lat) * EARTH_RADIUS_KM)
    )
    return xy


def unique_pairs(pairs: IntArray) -> IntArray:
    pairs = np.sort(pairs.reshape(-1, 2), axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    if len(pairs) == 0:
        return pairs
    unique: IntArray = np.unique(pairs, axis=0)
    return unique


def neighbour_pairs(xy: FloatArray, k: int, sectors: int, reach: int) -> IntArray:
    """Road links among points: the k nearest, the nearest per sector, Delaunay edges; connected."""
    n = len(xy)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    if n <= k + 1:
        i, j = np.triu_indices(n, 1)
        return np.column_stack((i, j)).astype(np.int64)
    tree = cKDTree(xy)
    width = min(max(k, reach) + 1, n)
    _, near = tree.query(xy, k=width)
    near = near.astype(np.int64)
    rows = np.arange(n, dtype=np.int64)
    parts = [np.column_stack((np.repeat(rows, k + 1), near[:, : k + 1].ravel()))]
    if sectors > 0:
        delta = xy[near] - xy[:, None, :]
        angle = np.arctan2(delta[..., 1], delta[..., 0])
        sector = np.minimum(((angle + np.pi) / (2.0 * np.pi) * sectors).astype(np.int64), sectors - 1)
        not_self = near != rows[:, None]
        for s in range(sectors):
            hit = (sector == s) & not_self
            found = hit.any(axis=1)
            first = hit.argmax(axis=1)
            parts.append(np.column_stack((rows[found], near[found, first[found]])))
    if n >= 4:
        try:
            simplices = Delaunay(xy, qhull_options="QJ").simplices.astype(np.int64)
            parts.append(simplices[:, [0, 1, 0, 2, 1, 2]].reshape(-1, 2))
        except (QhullError, ValueError):
            pass
    pairs = unique_pairs(np.concatenate(parts))
    return _connect(xy, pairs)


def _connect(xy: FloatArray, pairs: IntArray) -> IntArray:
    """Add the shortest links that join the pieces of a disconnected graph (rarely needed)."""
    n = len(xy)
    while True:
        graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
        count, label = connected_components(graph, directed=False)
        if count <= 1:
            return pairs
        smallest = int(np.argmin(np.bincount(label)))
        inside = np.flatnonzero(label == smallest)
        outside = np.flatnonzero(label != smallest)
        distance, nearest = cKDTree(xy[outside]).query(xy[inside])
        best = int(np.argmin(distance))
        bridge = np.array([[inside[best], outside[int(nearest[best])]]], dtype=np.int64)
        pairs = unique_pairs(np.concatenate((pairs, bridge)))


def thin(xy: FloatArray, target: int) -> IntArray:
    """Indices of at most ``target`` points, one per occupied cell of the finest square grid that allows it."""
    low = xy.min(axis=0)
    span = float(max(np.ptp(xy[:, 0]), np.ptp(xy[:, 1]), 1e-6))

    def cells(size: float) -> IntArray:
        grid = np.floor((xy - low) / size).astype(np.int64)
        keys = grid[:, 0] * (int(span / size) + 2) + grid[:, 1]
        inverse: IntArray = np.unique(keys, return_inverse=True)[1].astype(np.int64)
        return inverse

    small, large = span / (4.0 * len(xy)), span * 2.0  # every point alone / one cell for all
    for _ in range(40):
        middle = math.sqrt(small * large)
        if cells(middle).max() + 1 <= target:
            large = middle
        else:
            small = middle
        if large / small < 1.01:
            break
    cell = cells(large)
    count = np.bincount(cell).astype(np.float64)
    centre = np.column_stack((np.bincount(cell, xy[:, 0]) / count, np.bincount(cell, xy[:, 1]) / count))
    offset = np.hypot(*(xy - centre[cell]).T)
    order = np.lexsort((offset, cell))
    first = np.flatnonzero(np.diff(cell[order], prepend=-1))
    chosen: IntArray = order[first].astype(np.int64)
    return chosen


def symmetric(a: IntArray, b: IntArray, weight: FloatArray, m: int) -> Any:
    """Both directions of each link as one CSR matrix (faster for csgraph than ``directed=False``)."""
    return coo_matrix((np.concatenate((weight, weight)), (np.r_[a, b], np.r_[b, a])), shape=(m, m)).tocsr()


def all_pairs(a: IntArray, b: IntArray, weight: FloatArray, m: int) -> FloatArray:
    return cast(FloatArray, dijkstra(symmetric(a, b, weight, m), directed=True))
