"""Nights that position a technician for tomorrow, in the first solution.

The ``lodging`` rule offers a night on an island whose tickets nobody can serve today but
the technician could serve tomorrow starting there (:func:`.rules.lodging.positioning`), at
the value of those tickets.  Reaching it takes two nodes at once — a sailing out and the
night — which no insertion heuristic adds, so this constructor, after the island
excursions, appends them to each technician's day where the timetable allows (the latest
sailing straight from the island where the day ends that lands in time) and the night is
worth more than its fare and allowances.  The local search improves from there.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from dromologio.models import Problem

from .build import DayModel
from .engine import FeasibilityOracle

Constructor = Callable[[list[list[int]], FeasibilityOracle, float], list[list[int]]]


class PositioningBuilder:
    """A constructor that runs ``inner`` (if any), then adds the nights worth positioning."""

    def __init__(self, problem: Problem, model: DayModel, inner: Constructor | None = None) -> None:
        self.problem = problem
        self.model = model
        self.inner = inner
        instance = model.instance
        #: (vehicle, lodging node, what skipping it costs, what it costs to enter).
        self.nights = [
            (info.vehicle, node, int(instance.drop_penalty[node]), _entry(model, node))
            for node, info in enumerate(model.nodes)
            if info.kind == "lodging" and info.vehicle is not None and instance.drop_penalty[node] > 0
        ]

    def __call__(
        self, routes: list[list[int]], feasible: FeasibilityOracle, deadline: float
    ) -> list[list[int]]:
        if self.inner is not None:
            routes = self.inner(routes, feasible, deadline)
        routes = [list(r) for r in routes]
        nodes = self.model.nodes
        for vehicle, night, worth, cost in sorted(self.nights, key=lambda n: -n[2]):
            if time.monotonic() >= deadline:
                break
            route = routes[vehicle]
            if any(nodes[n].kind == "lodging" for n in route):
                continue
            island = nodes[night].island
            for sailing in self._sailings_to(vehicle, island):
                if worth <= cost + _entry(self.model, sailing):
                    continue
                candidate = [list(r) for r in routes]
                candidate[vehicle] = [*route, sailing, night]
                if feasible(candidate):
                    routes = candidate
                    break
        return routes

    def _sailings_to(self, vehicle: int, island: str) -> list[int]:
        """The vehicle's sailing nodes to ``island``, the latest departure first."""
        found = []
        for node, info in enumerate(self.model.nodes):
            if info.kind != "sailing" or info.vehicle != vehicle or info.sailing is None:
                continue
            if self.problem.port_by_id[info.sailing.sailing.to_port].island == island:
                found.append((info.sailing.depart_s, node))
        return [node for _, node in sorted(found, reverse=True)]


def _entry(model: DayModel, node: int) -> int:
    entry = model.instance.entry_cost
    return 0 if entry is None else int(entry[node])
