"""Nights that position a technician for tomorrow, in the first solution.

The ``lodging`` rule offers a night on an island whose tickets nobody can serve today but
the technician could serve tomorrow starting there (:func:`.rules.lodging.positioning`), at
the value of those tickets.  Reaching it takes two nodes at once — a sailing out and the
night — which no insertion heuristic adds, so this constructor, after the island
excursions, appends them to each technician's day where the timetable allows (the latest
sailing straight from the island where the day ends that lands in time) and the night is
worth more than its fare and allowances.  In a tour over several days (:mod:`.tours`) a
technician who starts the day away may do better staying one more night where it is and
working there than taking the morning boat home: swapping the way home for the island's
tickets and a night takes several moves at once, so this constructor tries it too (the
island's most valuable tickets it can serve, then the night), kept when the tickets are worth
more than the night; one held away with no way home today (a strike) gets its night at once.
The local search improves from there.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from dromologio.models import Problem

from .build import DayModel, NodeInfo
from .decompose import PartConstructor
from .engine import FeasibilityOracle
from .instance import RoutingInstance
from .rules.drop_value import MAX_PENALTY

Constructor = Callable[[list[list[int]], FeasibilityOracle, float], list[list[int]]]


class PositioningBuilder:
    """A constructor that runs ``inner`` (if any), then adds the nights worth positioning."""

    def __init__(self, problem: Problem, model: DayModel, inner: Constructor | None = None) -> None:
        instance = model.instance
        #: the vehicle's sailing nodes to each island, the latest departure first.
        found: dict[tuple[int, str], list[tuple[int, int]]] = {}
        for node, info in enumerate(model.nodes):
            if info.kind == "sailing" and info.sailing is not None and info.vehicle is not None:
                island = problem.port_by_id[info.sailing.sailing.to_port].island
                found.setdefault((info.vehicle, island), []).append((info.sailing.depart_s, node))
        sailings = {key: [n for _, n in sorted(pairs, reverse=True)] for key, pairs in found.items()}
        nights = [
            (info.vehicle, node)
            for node, info in enumerate(model.nodes)
            if info.kind == "lodging" and info.vehicle is not None and instance.drop_penalty[node] > 0
        ]
        self._set(instance, model.nodes, inner, nights, sailings, _stays(model))

    def _set(
        self,
        instance: RoutingInstance,
        nodes: Sequence[NodeInfo],
        inner: Constructor | None,
        nights: Sequence[tuple[int, int]],
        sailings: dict[tuple[int, str], list[int]],
        stays: Sequence[tuple[int, int, tuple[int, ...]]] = (),
    ) -> None:
        self.nodes = tuple(nodes)
        self.penalty = [int(p) for p in instance.drop_penalty]
        #: (vehicle, its night where it starts, the island's ticket nodes it may serve, best first).
        self.stays = list(stays)
        self.inner = inner
        entry = instance.entry_cost
        self.entry = [0] * len(self.nodes) if entry is None else [int(c) for c in entry]
        #: (vehicle, lodging node, what skipping it costs, what it costs to enter).
        self.nights = [
            (vehicle, node, int(instance.drop_penalty[node]), self.entry[node]) for vehicle, node in nights
        ]
        self.sailings = sailings

    def part(
        self, instance: RoutingInstance, vehicles: Sequence[int], nodes: Sequence[int]
    ) -> Constructor | None:
        """The constructor of a part of the day (:mod:`.decompose`): the inner constructor's part,
        with the positioning nights of the part's vehicles when the part also holds a sailing of
        theirs to the night's island; else the inner part alone (None when that is None too)."""
        inner = (
            self.inner.part(instance, vehicles, nodes) if isinstance(self.inner, PartConstructor) else None
        )
        node_index = {old: new for new, old in enumerate(nodes)}
        vehicle_index = {old: new for new, old in enumerate(vehicles)}
        sailings = {
            (vehicle_index[v], island): [node_index[n] for n in chain if n in node_index]
            for (v, island), chain in self.sailings.items()
            if v in vehicle_index
        }
        sailings = {key: chain for key, chain in sailings.items() if chain}
        nights = [
            (vehicle_index[v], node_index[n])
            for v, n, _, _ in self.nights
            if v in vehicle_index and n in node_index and (vehicle_index[v], self.nodes[n].island) in sailings
        ]
        stays = [
            (vehicle_index[v], node_index[n], tuple(node_index[t] for t in work if t in node_index))
            for v, n, work in self.stays
            if v in vehicle_index and n in node_index
        ]
        if not nights and not stays:
            return inner
        view = object.__new__(PositioningBuilder)
        view._set(instance, [self.nodes[n] for n in nodes], inner, nights, sailings, stays)
        return view

    def __call__(
        self, routes: list[list[int]], feasible: FeasibilityOracle, deadline: float
    ) -> list[list[int]]:
        if self.inner is not None:
            routes = self.inner(routes, feasible, deadline)
        routes = [list(r) for r in routes]
        nodes = self.nodes
        for vehicle, night, worth, cost in sorted(self.nights, key=lambda n: -n[2]):
            if time.monotonic() >= deadline:
                break
            route = routes[vehicle]
            if any(nodes[n].kind == "lodging" for n in route):
                continue
            for sailing in self.sailings.get((vehicle, nodes[night].island), []):
                if sailing in route or worth <= cost + self.entry[sailing]:
                    continue  # taken already (out to an excursion), or the night is not worth it
                candidate = [list(r) for r in routes]
                candidate[vehicle] = [*route, sailing, night]
                if feasible(candidate):
                    routes = candidate
                    break
        for vehicle, night, work in self.stays:
            if time.monotonic() >= deadline:
                break
            routes = self._stay(routes, vehicle, night, work, feasible)
        return routes

    def _stay(
        self,
        routes: list[list[int]],
        vehicle: int,
        night: int,
        work: Sequence[int],
        feasible: FeasibilityOracle,
    ) -> list[list[int]]:
        """The vehicle's day as one more night where it starts, working there, when that pays."""
        route = routes[vehicle]
        if night in route or any(self.nodes[n].kind != "sailing" for n in route):
            return routes  # already staying, or serving tickets on its way: leave it to the search
        if route and self.penalty[night] >= MAX_PENALTY:
            return routes  # held away, yet a sailing leaves: leave it to the search
        taken = {n for r in routes for n in r}
        kept: list[int] = []
        for node in work:
            if node in taken:
                continue
            candidate = [list(r) for r in routes]
            candidate[vehicle] = [*kept, node, night]
            if feasible(candidate):
                kept.append(node)
        gained = sum(self.penalty[n] for n in kept)
        saved = sum(self.entry[n] for n in route)
        held = self.penalty[night] >= MAX_PENALTY  # no way home today: the night is a must
        if not held and (not kept or gained + saved <= self.entry[night]):
            return routes
        candidate = [list(r) for r in routes]
        candidate[vehicle] = [*kept, night]
        return candidate if feasible(candidate) else routes


def _stays(model: DayModel) -> list[tuple[int, int, tuple[int, ...]]]:
    """Per vehicle that starts the day away: its night where it starts and the ticket nodes on
    that island it may serve, the most valuable first."""
    instance = model.instance
    found: list[tuple[int, int, tuple[int, ...]]] = []
    for node, info in enumerate(model.nodes):
        vehicle = info.vehicle
        if info.kind != "lodging" or vehicle is None:
            continue
        start = model.nodes[int(instance.vehicle_start[vehicle])]
        if (
            start.island != info.island
            or model.nodes[int(instance.vehicle_end[vehicle])].island == info.island
        ):
            continue
        work = [
            n
            for n, other in enumerate(model.nodes)
            if other.kind == "ticket"
            and other.island == info.island
            and (instance.allowed_vehicles[n] is None or vehicle in (instance.allowed_vehicles[n] or ()))
        ]
        work.sort(key=lambda n: -int(instance.drop_penalty[n]))
        found.append((vehicle, node, tuple(work)))
    return found
