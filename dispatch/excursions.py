"""Island excursions for the first solution.

Insertion heuristics add one node at a time, but reaching an island takes
several at once: an outbound sailing, the visit, and a return sailing (or a
night's lodging).  None of them is feasible alone, so the solver would never
find island visits by itself.  This constructor takes the first solution and,
ticket by ticket in order of value, tries whole excursions — chains of up to
two timetabled sailings out and back — at every position of each candidate
technician's route, keeping the cheapest feasible one when it is worth the
ticket.  The local search then improves from there (and adds more tickets on
the same island one at a time, which it can).

A technician who starts the day away from home (after a night's lodging) is
first given a way home, or another night where they are when no sailing gets
them home within the shift; an excursion may then replace that way home with
one by the ticket's island (Andros to Tinos, the visit, Tinos to Syros).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from dromologio.models import Problem

from .build import DayModel, NodeInfo
from .engine import FeasibilityOracle
from .instance import IntArray, RoutingInstance

MAX_HOPS = 2
MAX_CHECKS_PER_TICKET = 120


@dataclass(frozen=True)
class _Leg:
    node: int
    from_island: str
    to_island: str
    depart_s: int
    arrive_s: int


class ExcursionBuilder:
    """A :data:`~dromologio.dispatch.engine.Constructor` for one day model."""

    def __init__(self, problem: Problem, model: DayModel) -> None:
        legs: dict[int, list[_Leg]] = {v: [] for v in range(len(model.technicians))}
        lodging: dict[tuple[int, str], int] = {}
        for node, info in enumerate(model.nodes):
            if info.kind == "sailing" and info.sailing is not None and info.vehicle is not None:
                sailing = info.sailing
                to_island = problem.port_by_id[sailing.sailing.to_port].island
                legs[info.vehicle].append(
                    _Leg(node, info.island, to_island, sailing.depart_s, sailing.arrive_s)
                )
            elif info.kind == "lodging" and info.vehicle is not None:
                lodging[(info.vehicle, info.island)] = node
        for vehicle_legs in legs.values():
            vehicle_legs.sort(key=lambda leg: leg.depart_s)
        home = [problem.base_of(t).island for t in model.technicians]
        self._set(model.instance, model.nodes, home, legs, lodging)

    def _set(
        self,
        instance: RoutingInstance,
        nodes: Sequence[NodeInfo],
        home: list[str],
        legs: dict[int, list[_Leg]],
        lodging: dict[tuple[int, str], int],
    ) -> None:
        # Arc costs and travel times are read arc by arc from the instance (RoutingInstance.arc_costs,
        # transit_between): a copy of each cost class's n x n matrix would cost more than the model.
        self.instance = instance
        self.nodes = tuple(nodes)
        self.home = home
        self.legs = legs
        self.lodging = lodging

    def part(
        self, instance: RoutingInstance, vehicles: Sequence[int], nodes: Sequence[int]
    ) -> ExcursionBuilder | None:
        """The same constructor for a part of the day (:mod:`.decompose`): ``instance`` holds the
        ``nodes`` (of this builder's instance, in that order) and the ``vehicles`` given.  None for
        a part without sailings: nothing to build there (and, as on a day without crossings, the
        engine may search with PyVRP)."""
        if not any(self.nodes[n].kind == "sailing" for n in nodes):
            return None
        node_index = {old: new for new, old in enumerate(nodes)}
        vehicle_index = {old: new for new, old in enumerate(vehicles)}
        view = object.__new__(ExcursionBuilder)
        view._set(
            instance,
            [self.nodes[n] for n in nodes],
            [self.home[v] for v in vehicles],
            {
                vehicle_index[v]: [
                    dataclasses.replace(leg, node=node_index[leg.node])
                    for leg in self.legs[v]
                    if leg.node in node_index
                ]
                for v in vehicles
            },
            {
                (vehicle_index[v], island): node_index[n]
                for (v, island), n in self.lodging.items()
                if v in vehicle_index and n in node_index
            },
        )
        return view

    def __call__(
        self, routes: list[list[int]], feasible: FeasibilityOracle, deadline: float
    ) -> list[list[int]]:
        routes = [list(r) for r in routes]
        away = [v for v in range(len(routes)) if self._start_island(v) != self.home[v]]
        for vehicle in away:
            # Another night where they are, until a way home is found: without it the empty
            # route of one technician away makes every trial of the others infeasible.
            stay = self.lodging.get((vehicle, self._start_island(vehicle)))
            if not routes[vehicle] and stay is not None:
                routes[vehicle] = [stay]
        for vehicle in away:
            self._ensure_way_home(vehicle, routes, feasible)
        visited = {n for r in routes for n in r}
        dropped = [
            n
            for n, info in enumerate(self.nodes)
            if info.kind == "ticket" and n not in visited and self._needs_crossing(n)
        ]
        dropped.sort(key=lambda n: -int(self.instance.drop_penalty[n]))
        for node in dropped:
            if time.monotonic() > deadline:
                break
            self._insert_excursion(node, routes, feasible)
        return routes

    # -- helpers -----------------------------------------------------------------

    def _needs_crossing(self, node: int) -> bool:
        island = self.nodes[node].island
        allowed = self.instance.allowed_vehicles[node]
        vehicles = allowed if allowed is not None else range(len(self.home))
        return any(self.home[v] != island for v in vehicles)

    def _island_at(self, vehicle: int, route: Sequence[int], position: int) -> str:
        """The island the technician is on just before ``position`` of the route."""
        if position == 0:
            return self.nodes[int(self.instance.vehicle_start[vehicle])].island
        node = route[position - 1]
        info = self.nodes[node]
        if info.kind == "sailing":
            return next(leg.to_island for leg in self.legs[vehicle] if leg.node == node)
        return info.island

    def _island_after(self, vehicle: int, route: Sequence[int], position: int) -> str:
        """The island the route needs the technician on at ``position`` (where the next stop is)."""
        if position == len(route):
            return self.home[vehicle]
        info = self.nodes[route[position]]
        return info.island

    def _chains(self, vehicle: int, origin: str, target: str, used: set[int]) -> Iterator[list[_Leg]]:
        """Chains of up to MAX_HOPS sailings from ``origin`` to ``target``, earliest first."""
        legs = [leg for leg in self.legs[vehicle] if leg.node not in used]
        for first in legs:
            if first.from_island != origin:
                continue
            if first.to_island == target:
                yield [first]
                continue
            if MAX_HOPS < 2:
                continue
            for second in legs:
                if (
                    second.from_island == first.to_island
                    and second.to_island == target
                    and second.depart_s >= first.arrive_s
                ):
                    yield [first, second]

    def _times_fit(self, vehicle: int, route: Sequence[int]) -> bool:
        """Earliest-start pass over the route: a quick necessary check before asking the model."""
        windows = self.instance.time_windows
        earliest, latest = (int(v) for v in self.instance.vehicle_windows[vehicle])
        path = self._path(vehicle, route)
        transit: list[int] = self.instance.transit_between(path[:-1], path[1:]).tolist()
        at = earliest
        for node, step in zip(route, transit, strict=False):
            at = max(at + step, int(windows[node, 0]))
            if at > windows[node, 1]:
                return False
        return at + transit[-1] <= latest

    def _path(self, vehicle: int, route: Sequence[int]) -> IntArray:
        start, end = int(self.instance.vehicle_start[vehicle]), int(self.instance.vehicle_end[vehicle])
        return np.array([start, *route, end], dtype=np.int64)

    def _cost(self, vehicle: int, route: Sequence[int]) -> int:
        path = self._path(vehicle, route)
        return int(np.sum(self.instance.arc_costs(vehicle, path[:-1], path[1:])))

    def _start_island(self, vehicle: int) -> str:
        return self.nodes[int(self.instance.vehicle_start[vehicle])].island

    def _ensure_way_home(self, vehicle: int, routes: list[list[int]], feasible: FeasibilityOracle) -> None:
        """Sailings home ahead of the route; else the route as it is (another night away)."""
        start_island = self._start_island(vehicle)
        if start_island == self.home[vehicle]:
            return
        stay = self.lodging.get((vehicle, start_island))
        route = [n for n in routes[vehicle] if n != stay]
        trial = [list(r) for r in routes]
        if any(self.nodes[n].kind == "sailing" for n in route):
            trial[vehicle] = route
            if feasible(trial):
                routes[vehicle] = route  # the first solution has a way home already
                return
        for chain in self._chains(vehicle, start_island, self.home[vehicle], set(route)):
            for candidate in ([*(leg.node for leg in chain), *route], [*(leg.node for leg in chain)]):
                trial[vehicle] = candidate
                if feasible(trial):
                    routes[vehicle] = candidate
                    return

    def _insert_excursion(self, node: int, routes: list[list[int]], feasible: FeasibilityOracle) -> None:
        allowed = self.instance.allowed_vehicles[node]
        vehicles = sorted(allowed) if allowed is not None else list(range(len(routes)))
        value = int(self.instance.drop_penalty[node])
        best: tuple[int, int, list[int]] | None = None
        for vehicle in vehicles:
            found = self._best_excursion(node, vehicle, routes[vehicle], routes, feasible, value, best)
            if found is not None:
                best = (found[0], vehicle, found[1])
        if best is not None:
            routes[best[1]] = best[2]
            return
        self._insert_by_handing_over(node, vehicles, routes, feasible, value)

    def _best_excursion(
        self,
        node: int,
        vehicle: int,
        route: list[int],
        routes: list[list[int]],
        feasible: FeasibilityOracle,
        value: int,
        best: tuple[int, int, list[int]] | None,
    ) -> tuple[int, list[int]] | None:
        """The cheapest feasible excursion to ``node`` in ``route`` worth less than ``value``."""
        island = self.nodes[node].island
        base_cost = self._cost(vehicle, route)
        found: tuple[int, list[int]] | None = None
        bound = value if best is None else min(value, best[0])
        checks = 0
        for kept, position in self._openings(vehicle, route):
            before = self._island_at(vehicle, kept, position)
            after = self._island_after(vehicle, kept, position)
            if before == island:
                continue  # already there: plain insertion is the local search's job
            used = set(kept)
            for out in self._chains(vehicle, before, island, used):
                out_nodes = [leg.node for leg in out]
                tails: list[list[int]] = [
                    [leg.node for leg in back]
                    for back in self._chains(vehicle, island, after, used | set(out_nodes))
                    if back[0].depart_s >= out[-1].arrive_s
                ]
                lodge = self.lodging.get((vehicle, island))
                if lodge is not None and position == len(kept):
                    tails.append([lodge])
                for tail in tails[:8]:
                    candidate = [*kept[:position], *out_nodes, node, *tail, *kept[position:]]
                    added = self._cost(vehicle, candidate) - base_cost
                    if added >= bound:
                        continue
                    if not self._times_fit(vehicle, candidate):
                        continue
                    trial = [list(r) for r in routes]
                    trial[vehicle] = candidate
                    checks += 1
                    if feasible(trial):
                        found = (added, candidate)
                        bound = added
                        break
                    if checks >= MAX_CHECKS_PER_TICKET:
                        return found
        return found

    def _openings(self, vehicle: int, route: list[int]) -> Iterator[tuple[list[int], int]]:
        """Where an excursion may go: every position of ``route``; and, for a technician who
        starts the day away, at the start of the route without the sailings that lead it (the
        way home), so that the way home itself may pass the ticket's island (Andros to Tinos,
        a visit, Tinos to Syros) instead of going straight home."""
        for position in range(len(route) + 1):
            yield route, position
        if self._start_island(vehicle) == self.home[vehicle]:
            return
        lead = 0
        while lead < len(route) and self.nodes[route[lead]].kind == "sailing":
            lead += 1
        if lead:
            yield route[lead:], 0

    def _insert_by_handing_over(
        self,
        node: int,
        vehicles: Sequence[int],
        routes: list[list[int]],
        feasible: FeasibilityOracle,
        value: int,
    ) -> None:
        """Make room for an excursion only some technicians can make.

        The technician who can reach the island (say, the only one whose shift makes the
        early sailing) may have a day full of work at home that colleagues could do.  Hand
        that work over to them (each visit to the colleague where it adds least), send the
        technician on the excursion, and keep the change when the whole is worth it: the
        ticket's value beats the extra travel of every route changed and the value of any
        visit no colleague could take.
        """
        best: tuple[int, list[list[int]]] | None = None
        for vehicle in vehicles:
            route = routes[vehicle]
            if any(self.nodes[n].kind != "ticket" for n in route):
                continue  # a route with crossings of its own: left to the local search
            handed = [n for n in route if self._others_may_serve(n, vehicle)]
            if not handed:
                continue
            kept = [n for n in route if n not in handed]
            trial = [list(r) for r in routes]
            trial[vehicle] = kept
            found = self._best_excursion(node, vehicle, kept, trial, feasible, value, None)
            if found is None:
                continue
            trial[vehicle] = found[1]
            gain = value - (self._cost(vehicle, found[1]) - self._cost(vehicle, route))
            for moved in sorted(handed, key=lambda n: -int(self.instance.drop_penalty[n])):
                placed = self._cheapest_insertion(moved, vehicle, trial)
                if placed is None:
                    gain -= int(self.instance.drop_penalty[moved])
                    continue
                other, candidate, added = placed
                trial[other] = candidate
                gain -= added
            if gain > 0 and (best is None or gain > best[0]) and feasible(trial):
                best = (gain, trial)
        if best is not None:
            routes[:] = best[1]

    def _others_may_serve(self, node: int, vehicle: int) -> bool:
        if self.nodes[node].kind != "ticket":
            return False
        allowed = self.instance.allowed_vehicles[node]
        return allowed is None or any(v != vehicle for v in allowed)

    def _cheapest_insertion(
        self, node: int, excluded: int, routes: list[list[int]]
    ) -> tuple[int, list[int], int] | None:
        """Where ``node`` adds least to another technician's route of home-island visits."""
        allowed = self.instance.allowed_vehicles[node]
        island = self.nodes[node].island
        best: tuple[int, list[int], int] | None = None
        for vehicle in sorted(allowed) if allowed is not None else range(len(routes)):
            route = routes[vehicle]
            if vehicle == excluded or self._start_island(vehicle) != island:
                continue
            if any(self.nodes[n].kind != "ticket" for n in route):
                continue
            base_cost = self._cost(vehicle, route)
            for position in range(len(route) + 1):
                candidate = [*route[:position], node, *route[position:]]
                added = self._cost(vehicle, candidate) - base_cost
                if best is not None and added >= best[2]:
                    continue
                if self._times_fit(vehicle, candidate):
                    best = (vehicle, candidate, added)
        return best
