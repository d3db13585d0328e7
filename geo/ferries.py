"""The ferry network: ports, islands and the timetabled sailings of one day.

A networkx multigraph of ports (one edge per sailing that runs that weekday)
answers the questions the dispatcher asks before solving: can a technician
reach this island today, by when, and can they get back?  Answers are exact
over the timetable: a sailing is boarded only if the technician is at the
port ``check_in_s`` before departure.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import networkx as nx

from dromologio.models import Port, Sailing


@dataclass(frozen=True)
class DaySailing:
    """A sailing on a given day, in seconds after midnight."""

    index: int
    sailing: Sailing
    depart_s: int
    arrive_s: int


class FerryNetwork:
    """Ports, the islands they serve, and the sailings that run on ``day``."""

    def __init__(self, ports: Iterable[Port], sailings: Iterable[Sailing], day: date) -> None:
        self.day = day
        self.ports = {p.port_id: p for p in ports}
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        for port in self.ports.values():
            self.graph.add_node(port.port_id, island=port.island)
        self.sailings: list[DaySailing] = []
        for index, sailing in enumerate(sailings):
            if not sailing.runs_on(day):
                continue
            depart_s = sailing.depart_min * 60
            day_sailing = DaySailing(index, sailing, depart_s, depart_s + sailing.duration_min * 60)
            self.sailings.append(day_sailing)
            self.graph.add_edge(sailing.from_port, sailing.to_port, key=index, sailing=day_sailing)

    def ports_on(self, island: str) -> list[Port]:
        return [p for p in self.ports.values() if p.island == island]

    def islands_reached_from(self, island: str) -> set[str]:
        """Islands reachable from ``island`` by any chain of today's sailings (ignoring times).

        Ports on one island are joined by road: a sailing into Paros' Parikia leads on to the
        boats from Pounta to Antiparos."""
        reached: set[str] = {island}
        waiting = [island]
        while waiting:
            here = waiting.pop()
            for port in self.ports_on(here):
                for other in {self.ports[q].island for q in nx.descendants(self.graph, port.port_id)}:
                    if other not in reached:
                        reached.add(other)
                        waiting.append(other)
        return reached

    def served_islands(self) -> set[str]:
        """Islands with at least one arrival today."""
        return {self.ports[s.sailing.to_port].island for s in self.sailings}

    def earliest_arrival(
        self,
        origin: int,
        destination: int,
        leave_s: int,
        *,
        road_s: Callable[[int, int], int],
        island_of: Callable[[int], str],
        port_location: Mapping[str, int],
        check_in_s: int,
    ) -> int | None:
        """Earliest arrival (s) at ``destination`` leaving ``origin`` at ``leave_s``; None if impossible today.

        Places are location indices of a land matrix (``road_s`` between two on one
        island, ``port_location`` for ports).  Time-dependent Dijkstra over ports:
        a label is the earliest time the technician stands at a port; waiting is
        allowed, so earliest labels are exact.
        """
        if island_of(origin) == island_of(destination):
            return leave_s + road_s(origin, destination)
        best: dict[str, int] = {}
        queue: list[tuple[int, str]] = []
        for port in self.ports_on(island_of(origin)):
            heapq.heappush(queue, (leave_s + road_s(origin, port_location[port.port_id]), port.port_id))
        target_island = island_of(destination)
        arrival: int | None = None
        while queue:
            at, port_id = heapq.heappop(queue)
            if port_id in best:
                continue
            best[port_id] = at
            here = port_location[port_id]
            island = self.ports[port_id].island
            if island == target_island:
                candidate = at + road_s(here, destination)
                arrival = candidate if arrival is None else min(arrival, candidate)
                continue
            for _, to_port, data in self.graph.out_edges(port_id, data=True):
                sailing: DaySailing = data["sailing"]
                if at + check_in_s <= sailing.depart_s and to_port not in best:
                    heapq.heappush(queue, (sailing.arrive_s, to_port))
            for other in self.ports_on(island):
                if other.port_id not in best:
                    heapq.heappush(queue, (at + road_s(here, port_location[other.port_id]), other.port_id))
        return arrival
