"""Write the board's offline base map, ``static/basemap.geojson``.

Land: the Natural Earth 1:10m country polygons of Greece and its neighbours, as shipped
by the npm package ``world-atlas`` (``countries-10m.json``, TopoJSON), cut to the
Aegean and Ionian box and simplified.  Settlements: the sample's ELSTAT settlement
points (``dromologio/sample/data/settlements.csv``).

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python api/board/make_basemap.py package/countries-10m.json
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "static" / "basemap.geojson"
SETTLEMENTS = HERE.parent.parent / "dromologio" / "sample" / "data" / "settlements.csv"
#: Natural Earth ids (ISO 3166 numeric) drawn: Greece, Albania, North Macedonia, Bulgaria, Turkey, Cyprus.
COUNTRIES = {"300", "008", "807", "100", "792", "196"}
#: west, south, east, north (degrees): the box the board ever shows.
BOX = (18.5, 33.5, 30.5, 42.5)
#: simplification tolerance, degrees (about 400 m).
TOLERANCE_DEG = 0.004


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1) or 1e-12
        worst, at = 0.0, -1
        for i in range(first + 1, last):
            x0, y0 = points[i]
            distance = abs((x2 - x1) * (y1 - y0) - (x1 - x0) * (y2 - y1)) / length
            if distance > worst:
                worst, at = distance, i
        if worst > tolerance and at > 0:
            keep[at] = True
            stack.extend([(first, at), (at, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def _inside(ring: list[tuple[float, float]]) -> bool:
    west, south, east, north = BOX
    return any(west <= x <= east and south <= y <= north for x, y in ring)


def land(topology: dict[str, Any]) -> list[dict[str, Any]]:
    arcs = _arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if str(geometry.get("id")) not in COUNTRIES:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings_out = []
        for polygon in polygons:
            outer = _ring(arcs, polygon[0])
            if not _inside(outer):
                continue
            # A closed ring has no chord: simplify its two halves, split at the farthest point.
            x0, y0 = outer[0]
            far = max(range(len(outer)), key=lambda i: math.hypot(outer[i][0] - x0, outer[i][1] - y0))
            simple = [
                *_simplify(outer[: far + 1], TOLERANCE_DEG)[:-1],
                *_simplify(outer[far:], TOLERANCE_DEG),
            ]
            if len(simple) < 4:
                continue
            rings_out.append([[[round(x, 3), round(y, 3)] for x, y in simple]])
        if rings_out:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"kind": "land", "name": geometry["properties"]["name"]},
                    "geometry": {"type": "MultiPolygon", "coordinates": rings_out},
                }
            )
    return features


def settlements() -> list[dict[str, Any]]:
    with SETTLEMENTS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [
        {
            "type": "Feature",
            "properties": {"kind": "settlement", "name": row["name"], "pop": int(row["pop_2011"] or 0)},
            "geometry": {
                "type": "Point",
                "coordinates": [round(float(row["lon"]), 4), round(float(row["lat"]), 4)],
            },
        }
        for row in rows
    ]


def main(countries_10m: str) -> None:
    topology = json.loads(Path(countries_10m).read_text(encoding="utf-8"))
    document = {"type": "FeatureCollection", "features": [*land(topology), *settlements()]}
    OUT.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size} bytes, {len(document['features'])} features")


if __name__ == "__main__":
    main(sys.argv[1])
