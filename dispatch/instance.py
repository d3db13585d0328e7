"""The solver-level routing instance: numbers only, no domain words.

A :class:`RoutingInstance` is what the engine solves and what benchmarks feed
it (Solomon instances go through the very same class).  Nodes are integers;
vehicles start and end at nodes of their own; every other node is a *visit*
that may be dropped at a penalty.

Units are whatever the caller chooses, consistently: the product uses metres
and seconds; Solomon instances use tenths of a distance unit for both.
Costs are integers in *cost units* (the product: milli-euro).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: cap on any cumulated value, far above any day (and safe from int64 overflow).
HORIZON_CAP = 10**12


@dataclass(frozen=True)
class RoutingInstance:
    """A vehicle-routing problem with time windows, skills as allowed vehicles and optional visits.

    Arrays over nodes have length ``num_nodes``; arrays over vehicles ``num_vehicles``.
    """

    #: (n, n) travel distance between nodes.
    distance: IntArray
    #: (n, n) travel time between nodes (service time excluded).
    duration: IntArray
    #: (n,) time spent at the node before leaving it.
    service: IntArray
    #: (n, 2) earliest and latest *start of service* at each node.
    time_windows: IntArray
    #: (n,) penalty for leaving the node unvisited; -1 = the node must be visited.
    drop_penalty: IntArray
    #: per node, the vehicles allowed to visit it; None = any vehicle.
    allowed_vehicles: tuple[frozenset[int] | None, ...]
    #: (m,) start and end node of each vehicle.
    vehicle_start: IntArray
    vehicle_end: IntArray
    #: (m, 2) earliest departure and latest return of each vehicle.
    vehicle_windows: IntArray
    #: (m,) cost units per unit of distance and per unit of travel time, per vehicle.
    vehicle_distance_cost: FloatArray
    vehicle_time_cost: FloatArray
    #: (m,) most distance a vehicle may travel; -1 = no limit.
    vehicle_max_distance: IntArray
    #: (n,) location of each node; reaching a node from another location costs that
    #: node's ``setup`` time (parking and signing in at a school; check-in at a port).
    location: IntArray
    setup: IntArray | None = None
    #: (n,) cost units paid on entering a node (a ferry fare, a night's lodging).
    entry_cost: IntArray | None = None
    #: (n,) demand and (m,) capacity, for capacitated benchmarks; None = no capacity.
    demand: IntArray | None = None
    vehicle_capacity: IntArray | None = None
    #: (m, n) per vehicle, the nodes of its "far zone", and (m,) the cost paid each time the
    #: vehicle enters that zone from outside it (a daily allowance due beyond some distance).
    zone: npt.NDArray[np.bool_] | None = None
    zone_entry_cost: IntArray | None = None
    #: cost units per unit of service time on the busiest vehicle (workload balance).
    balance_cost: int = 0
    #: cost units added when a vehicle is used at all.
    vehicle_fixed_cost: int = 0
    #: (m, n) per vehicle, cost units paid on reaching the node from another location (what a
    #: visit costs that vehicle: a school outside its technician's Directorate, a school visited again).
    visit_cost: IntArray | None = None
    #: (m,) per vehicle, when its soft end is (a shift's end; ``vehicle_windows`` bound the overtime
    #: after it), and (m,) the cost units per unit of time it returns later than that; None = no overtime.
    vehicle_soft_end: IntArray | None = None
    vehicle_overtime_cost: IntArray | None = None
    #: (m,) per vehicle, the group it is planned with when a big day is solved in parts
    #: (:mod:`dispatch.decompose`: the technician's partner body, Directorate and island); None = by end depot.
    vehicle_group: IntArray | None = None
    #: (m, 4) per vehicle, a break of fixed length floating in a window: the earliest and latest
    #: start, the length (0: no break) and the guard kept free after it (a visit's setup, which
    #: the break must not overlap); it overlaps no node's service, and may fall while waiting,
    #: before the vehicle leaves or after it is back (:class:`VehicleBreak`).  None = no breaks.
    vehicle_break: IntArray | None = None
    #: (m,) per vehicle, the latest end of a route that visits one of the (n,) ``late_end_nodes``
    #: (a night's lodging reached by an evening crossing after the shift); other routes end by
    #: ``vehicle_windows``.  None = no such nodes.
    vehicle_late_end: IntArray | None = None
    late_end_nodes: npt.NDArray[np.bool_] | None = None
    name: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        n = self.num_nodes
        m = self.num_vehicles
        checks = {
            "distance": (self.distance.shape, (n, n)),
            "duration": (self.duration.shape, (n, n)),
            "service": (self.service.shape, (n,)),
            "time_windows": (self.time_windows.shape, (n, 2)),
            "drop_penalty": (self.drop_penalty.shape, (n,)),
            "location": (self.location.shape, (n,)),
            "vehicle_end": (self.vehicle_end.shape, (m,)),
            "vehicle_windows": (self.vehicle_windows.shape, (m, 2)),
            "vehicle_distance_cost": (self.vehicle_distance_cost.shape, (m,)),
            "vehicle_time_cost": (self.vehicle_time_cost.shape, (m,)),
            "vehicle_max_distance": (self.vehicle_max_distance.shape, (m,)),
        }
        for name, (shape, expected) in checks.items():
            if shape != expected:
                raise ValueError(f"{name} has shape {shape}, expected {expected}")
        if len(self.allowed_vehicles) != n:
            raise ValueError("allowed_vehicles needs one entry per node")
        if (self.time_windows[:, 0] > self.time_windows[:, 1]).any():
            bad = int(np.argmax(self.time_windows[:, 0] > self.time_windows[:, 1]))
            raise ValueError(f"node {bad} has an empty time window")
        if (self.vehicle_windows[:, 0] > self.vehicle_windows[:, 1]).any():
            raise ValueError("a vehicle has an empty time window")
        for array_name in ("distance", "duration", "service"):
            array = getattr(self, array_name)
            if array.size and (array.min() < 0 or array.max() >= HORIZON_CAP):
                raise ValueError(f"{array_name} values must lie in [0, {HORIZON_CAP})")
        for optional in ("setup", "entry_cost"):
            array = getattr(self, optional)
            if array is not None and array.shape != (n,):
                raise ValueError(f"{optional} has shape {array.shape}, expected {(n,)}")
        if (self.zone is None) != (self.zone_entry_cost is None):
            raise ValueError("zone and zone_entry_cost go together")
        if self.zone is not None and self.zone.shape != (m, n):
            raise ValueError(f"zone has shape {self.zone.shape}, expected {(m, n)}")
        if self.visit_cost is not None and self.visit_cost.shape != (m, n):
            raise ValueError(f"visit_cost has shape {self.visit_cost.shape}, expected {(m, n)}")
        if (self.vehicle_soft_end is None) != (self.vehicle_overtime_cost is None):
            raise ValueError("vehicle_soft_end and vehicle_overtime_cost go together")
        for vehicle_array in ("vehicle_soft_end", "vehicle_overtime_cost"):
            array = getattr(self, vehicle_array)
            if array is not None and array.shape != (m,):
                raise ValueError(f"{vehicle_array} has shape {array.shape}, expected {(m,)}")
        if self.vehicle_group is not None and self.vehicle_group.shape != (m,):
            raise ValueError(f"vehicle_group has shape {self.vehicle_group.shape}, expected {(m,)}")
        if self.vehicle_break is not None:
            if self.vehicle_break.shape != (m, 4):
                raise ValueError(f"vehicle_break has shape {self.vehicle_break.shape}, expected {(m, 4)}")
            if (self.vehicle_break < 0).any() or (self.vehicle_break[:, 0] > self.vehicle_break[:, 1]).any():
                raise ValueError("vehicle_break needs 0 <= earliest start <= latest start and a length >= 0")
        if (self.vehicle_late_end is None) != (self.late_end_nodes is None):
            raise ValueError("vehicle_late_end and late_end_nodes go together")
        if self.vehicle_late_end is not None and self.late_end_nodes is not None:
            if self.vehicle_late_end.shape != (m,) or self.late_end_nodes.shape != (n,):
                raise ValueError(f"vehicle_late_end needs shape {(m,)} and late_end_nodes {(n,)}")
            if (self.vehicle_late_end < self.vehicle_windows[:, 1]).any():
                raise ValueError("vehicle_late_end must not come before the vehicle window's end")
        if (self.demand is None) != (self.vehicle_capacity is None):
            raise ValueError("demand and vehicle_capacity go together")
        depots = set(self.vehicle_start.tolist()) | set(self.vehicle_end.tolist())
        if any(not 0 <= d < n for d in depots):
            raise ValueError("vehicle start/end nodes must be nodes of the instance")

    @property
    def num_nodes(self) -> int:
        return int(self.distance.shape[0])

    @property
    def num_vehicles(self) -> int:
        return int(self.vehicle_start.shape[0])

    @property
    def depot_nodes(self) -> frozenset[int]:
        return frozenset(self.vehicle_start.tolist()) | frozenset(self.vehicle_end.tolist())

    @property
    def visit_nodes(self) -> tuple[int, ...]:
        depots = self.depot_nodes
        return tuple(i for i in range(self.num_nodes) if i not in depots)

    @property
    def has_breaks(self) -> bool:
        """True when some vehicle takes a break (:attr:`vehicle_break`)."""
        return self.vehicle_break is not None and bool((self.vehicle_break[:, 2] > 0).any())

    def break_of(self, vehicle: int) -> VehicleBreak | None:
        """The vehicle's break, or None when it takes none."""
        if self.vehicle_break is None or int(self.vehicle_break[vehicle, 2]) <= 0:
            return None
        earliest, latest, length, guard = (int(v) for v in self.vehicle_break[vehicle])
        return VehicleBreak(earliest, latest, length, guard)

    def setup_of(self, node: int) -> int:
        return 0 if self.setup is None else int(self.setup[node])

    def transit_time(self) -> IntArray:
        """Time from the start of service at i to the start of service at j, waiting aside."""
        transit = self.service[:, None] + self.duration
        if self.setup is not None:
            transit = transit + np.where(
                self.location[:, None] != self.location[None, :], self.setup[None, :], 0
            )
        transit = np.minimum(transit, HORIZON_CAP - 1)
        np.fill_diagonal(transit, 0)
        result: IntArray = transit.astype(np.int64)
        return result

    def cost_class(self, vehicle: int) -> tuple[float, float, int, bytes]:
        """Vehicles with equal keys share one arc-cost matrix."""
        zone_cost = 0 if self.zone_entry_cost is None else int(self.zone_entry_cost[vehicle])
        zone = b"" if self.zone is None or zone_cost == 0 else np.packbits(self.zone[vehicle]).tobytes()
        if self.visit_cost is not None and self.visit_cost[vehicle].any():
            zone += b"visit" + self.visit_cost[vehicle].tobytes()
        return (
            float(self.vehicle_distance_cost[vehicle]),
            float(self.vehicle_time_cost[vehicle]),
            zone_cost,
            zone,
        )

    def vehicle_arc_cost(self, vehicle: int) -> IntArray:
        """Integer arc costs of one vehicle: its rates, entry costs, far-zone entries and visit costs."""
        cost = self.arc_cost(
            float(self.vehicle_distance_cost[vehicle]), float(self.vehicle_time_cost[vehicle])
        )
        if self.zone is not None and self.zone_entry_cost is not None and self.zone_entry_cost[vehicle]:
            inside = self.zone[vehicle]
            cost = cost + np.where(~inside[:, None] & inside[None, :], int(self.zone_entry_cost[vehicle]), 0)
        if self.visit_cost is not None and self.visit_cost[vehicle].any():
            elsewhere = self.location[:, None] != self.location[None, :]
            cost = cost + np.where(elsewhere, self.visit_cost[vehicle][None, :], 0)
        return cost

    def relevant_nodes(self) -> list[npt.NDArray[np.bool_]]:
        """Per vehicle, the nodes its routes can touch: its depots and the nodes it may visit."""
        anyone = np.array([a is None for a in self.allowed_vehicles], dtype=np.bool_)
        relevant = [anyone.copy() for _ in range(self.num_vehicles)]
        for node, allowed in enumerate(self.allowed_vehicles):
            for vehicle in allowed or ():
                relevant[vehicle][node] = True
        for vehicle in range(self.num_vehicles):
            relevant[vehicle][[int(self.vehicle_start[vehicle]), int(self.vehicle_end[vehicle])]] = True
        return relevant

    def shared_cost_classes(self) -> tuple[list[int], list[SharedClass]]:
        """Arc-cost classes shared by more vehicles than :meth:`cost_class` allows, exactly.

        A vehicle's arc costs matter only between nodes it can touch (:meth:`relevant_nodes`).
        Vehicles with the same rates and far-zone cost share a class when their far zones and
        visit costs agree on the nodes both can touch; the class takes each member's on its own
        nodes.  Every arc a route of a vehicle can use costs what :meth:`vehicle_arc_cost` says.
        Returns each vehicle's class and the classes.
        """
        relevant = self.relevant_nodes()
        classes: list[SharedClass] = []
        of_vehicle: list[int] = []
        no_zone = np.zeros(self.num_nodes, dtype=np.bool_)
        no_visit = np.zeros(self.num_nodes, dtype=np.int64)
        for vehicle in range(self.num_vehicles):
            zone_cost = 0 if self.zone_entry_cost is None else int(self.zone_entry_cost[vehicle])
            zone = self.zone[vehicle] if self.zone is not None and zone_cost else no_zone
            visit = self.visit_cost[vehicle] if self.visit_cost is not None else no_visit
            rates = (
                float(self.vehicle_distance_cost[vehicle]),
                float(self.vehicle_time_cost[vehicle]),
                zone_cost,
            )
            mine = relevant[vehicle]
            for index, shared in enumerate(classes):
                both = shared.touched & mine
                if (
                    shared.rates == rates
                    and np.array_equal(shared.zone[both], zone[both])
                    and np.array_equal(shared.visit[both], visit[both])
                ):
                    shared.zone[mine] = zone[mine]
                    shared.visit[mine] = visit[mine]
                    shared.touched |= mine
                    of_vehicle.append(index)
                    break
            else:
                classes.append(
                    SharedClass(rates, mine.copy(), np.where(mine, zone, False), np.where(mine, visit, 0))
                )
                of_vehicle.append(len(classes) - 1)
        return of_vehicle, classes

    def shared_arc_cost(self, shared: SharedClass) -> IntArray:
        """Integer arc costs of a shared class (:meth:`shared_cost_classes`)."""
        distance_cost, time_cost, zone_cost = shared.rates
        cost = self.arc_cost(distance_cost, time_cost)
        if zone_cost:
            cost = cost + np.where(~shared.zone[:, None] & shared.zone[None, :], zone_cost, 0)
        if shared.visit.any():
            cost = cost + np.where(self.location[:, None] != self.location[None, :], shared.visit[None, :], 0)
        return cost

    def arc_costs(self, vehicle: int, tails: IntArray, heads: IntArray) -> IntArray:
        """``vehicle_arc_cost(vehicle)[tails, heads]``, computed for those arcs only (no n x n matrix)."""
        tails = np.asarray(tails, dtype=np.int64)
        heads = np.asarray(heads, dtype=np.int64)
        rates = self.distance[tails, heads] * float(self.vehicle_distance_cost[vehicle])
        cost = np.rint(rates + self.duration[tails, heads] * float(self.vehicle_time_cost[vehicle])).astype(
            np.int64
        )
        if self.entry_cost is not None:
            cost = cost + self.entry_cost[heads]
        cost = np.where(tails == heads, 0, cost)
        if self.zone is not None and self.zone_entry_cost is not None and self.zone_entry_cost[vehicle]:
            inside = self.zone[vehicle]
            cost = cost + np.where(~inside[tails] & inside[heads], int(self.zone_entry_cost[vehicle]), 0)
        if self.visit_cost is not None and self.visit_cost[vehicle].any():
            elsewhere = self.location[tails] != self.location[heads]
            cost = cost + np.where(elsewhere, self.visit_cost[vehicle][heads], 0)
        result: IntArray = cost.astype(np.int64)
        return result

    def transit_between(self, tails: IntArray, heads: IntArray) -> IntArray:
        """``transit_time()[tails, heads]``, computed for those arcs only (no n x n matrix)."""
        tails = np.asarray(tails, dtype=np.int64)
        heads = np.asarray(heads, dtype=np.int64)
        transit = self.service[tails] + self.duration[tails, heads]
        if self.setup is not None:
            transit = transit + np.where(self.location[tails] != self.location[heads], self.setup[heads], 0)
        transit = np.minimum(transit, HORIZON_CAP - 1)
        result: IntArray = np.where(tails == heads, 0, transit).astype(np.int64)
        return result

    def arc_cost(self, distance_cost: float, time_cost: float) -> IntArray:
        """Integer arc costs for one cost class (distance and time rates, plus entry costs)."""
        cost = np.rint(self.distance * distance_cost + self.duration * time_cost).astype(np.int64)
        if self.entry_cost is not None:
            cost = cost + self.entry_cost[None, :]
        np.fill_diagonal(cost, 0)
        return cost


class VehicleBreak(NamedTuple):
    """A vehicle's break: its earliest and latest start, its length, and the guard after it.

    The model reserves ``length + guard``: the guard keeps the setup of the visit that follows
    clear of the break (OR-Tools keeps a break off a node's service only), at the price of up to
    ``guard`` of waiting.
    """

    earliest: int
    latest: int
    length: int
    guard: int = 0


@dataclass
class SharedClass:
    """An arc-cost class several vehicles share: rates (per distance, per time, far-zone entry),
    the nodes its members touch, and its far zone and visit costs there."""

    rates: tuple[float, float, int]
    touched: npt.NDArray[np.bool_]
    zone: npt.NDArray[np.bool_]
    visit: IntArray


@dataclass(frozen=True)
class InstanceSolution:
    """What the engine found: node sequences, service start times, dropped nodes."""

    #: per vehicle, the visit nodes in order (depots excluded).
    routes: tuple[tuple[int, ...], ...]
    #: start of service at every visited node, and departure/return times of each vehicle.
    service_start: dict[int, int]
    vehicle_departure: tuple[int, ...]
    vehicle_return: tuple[int, ...]
    dropped: tuple[int, ...]
    objective: int
    #: (seconds since the solve began, objective) for every improving solution.
    history: tuple[tuple[float, int], ...]
    solve_seconds: float
    status: str
    #: per vehicle, the start of its break in the solution (None: no break); empty when none has one.
    break_start: tuple[int | None, ...] = ()

    @property
    def first_solution_seconds(self) -> float | None:
        return self.history[0][0] if self.history else None
