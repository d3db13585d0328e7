"""Independent re-scoring of VRPTW route sets under the DIMACS convention.

Nothing here uses a solver or the routing instance built for it: arcs are recomputed from the
raw integer coordinates with exact integer arithmetic (``isqrt(100 * d²) = floor(10 * euclid)``),
and the schedule is replayed from the file's ready/due/service values (times ×10).  A solution
counts as feasible only when every customer is served exactly once, no route exceeds the vehicle
capacity, every service starts inside its window, every route is back at the depot by the depot's
due date, and no more routes are used than the fleet has.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.solomon import SolomonData


@dataclass(frozen=True)
class Score:
    """The re-scored solution. ``distance_tenths`` is the sum of truncated arcs (integer tenths)."""

    distance_tenths: int
    vehicles: int
    errors: tuple[str, ...] = field(default=())

    @property
    def feasible(self) -> bool:
        return not self.errors

    @property
    def distance(self) -> float:
        return self.distance_tenths / 10


def arc_tenths(a: tuple[int, int], b: tuple[int, int]) -> int:
    """``floor(10 * euclid(a, b))`` computed exactly on integers."""
    dx, dy = a[0] - b[0], a[1] - b[1]
    return math.isqrt(100 * (dx * dx + dy * dy))


def score_routes(data: SolomonData, routes: Sequence[Sequence[int]], *, max_errors: int = 20) -> Score:
    """Re-score ``routes`` (customer numbers 1..n per route, depot omitted) against ``data``.

    Empty routes are ignored.  Every violation found is listed (up to ``max_errors``).
    """
    xy = [(round(float(x)), round(float(y))) for x, y in data.xy]
    if any(
        abs(float(x) - a) > 1e-9 or abs(float(y) - b) > 1e-9
        for (x, y), (a, b) in zip(data.xy, xy, strict=True)
    ):
        raise ValueError("the DIMACS convention needs integer coordinates")
    demand = [int(v) for v in data.demand]
    ready = [10 * int(v) for v in data.ready]
    due = [10 * int(v) for v in data.due]
    service = [10 * int(v) for v in data.service]
    num_customers = len(demand) - 1

    errors: list[str] = []
    used = [list(r) for r in routes if len(r) > 0]
    counts = Counter(c for r in used for c in r)
    for customer, count in sorted(counts.items()):
        if not 1 <= customer <= num_customers:
            errors.append(f"unknown customer {customer}")
        elif count > 1:
            errors.append(f"customer {customer} served {count} times")
    missing = [c for c in range(1, num_customers + 1) if c not in counts]
    if missing:
        shown = ", ".join(str(c) for c in missing[:10])
        errors.append(f"{len(missing)} customer(s) not served: {shown}{' ...' if len(missing) > 10 else ''}")
    if len(used) > data.num_vehicles:
        errors.append(f"{len(used)} routes for a fleet of {data.num_vehicles}")

    total = 0
    for k, route in enumerate(used, start=1):
        if any(not 1 <= c <= num_customers for c in route):
            continue  # already reported; cannot replay
        load = sum(demand[c] for c in route)
        if load > data.capacity:
            errors.append(f"route {k}: load {load} > capacity {data.capacity}")
        time = ready[0]
        previous = 0
        for customer in route:
            arc = arc_tenths(xy[previous], xy[customer])
            total += arc
            arrival = time + service[previous] + arc
            start = max(arrival, ready[customer])
            if start > due[customer]:
                errors.append(
                    f"route {k}: customer {customer} starts at {start / 10:g} > due {due[customer] / 10:g}"
                )
            time = start
            previous = customer
        arc = arc_tenths(xy[previous], xy[0])
        total += arc
        back = time + service[previous] + arc
        if back > due[0]:
            errors.append(f"route {k}: back at the depot at {back / 10:g} > {due[0] / 10:g}")
    if len(errors) > max_errors:
        errors = [*errors[:max_errors], f"... {len(errors) - max_errors} more"]
    return Score(distance_tenths=total, vehicles=len(used), errors=tuple(errors))


def read_routes(path: Path) -> list[list[int]]:
    """Routes of a CVRPLIB ``.sol`` file (``Route #k: c1 c2 ...``)."""
    routes: list[list[int]] = []
    for line in path.read_text().replace("\r", "").splitlines():
        match = re.match(r"\s*Route\s*#?\s*\d+\s*:(.*)", line)
        if match:
            routes.append([int(v) for v in match.group(1).split()])
    return routes
