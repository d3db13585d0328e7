"""Problem -> routing instance for one day.

Nodes, in order:

- *depots*: where technicians start (their base, or last night's lodging) and end;
- *tickets*: one node per ticket some technician can serve.  Tickets at one school
  share a location, so moving between them is free and the visit setup is paid
  once: one technician who can do them all serves them in a single visit;
- *sailings*: every timetabled departure that runs today, copied once per
  technician who might use it.  A sailing node is entered at its departure port
  and left at its arrival port; its time window is exactly its departure time,
  its "service" is the crossing, its setup is the policy's check-in and its
  entry cost the fare.  So a technician crosses water only on a real sailing,
  exactly as timetabled;
- *lodgings* (multi-day plans only): per technician and island away from home, an
  optional night's stay whose only successor is the route's end, at the
  overnight allowance; the next day starts there.

Cost units: 1 EUR = ``COST_UNITS_PER_EUR`` units (integers for OR-Tools).
Objective = travel money (road km x the technician's rate, fares, lodging) +
travelling time valued at ``policy.time_value_eur_per_hour`` + the value of
every ticket left undone (see :mod:`.value`) + the busiest technician's work
hours at ``policy.balance_eur_per_hour``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from dromologio.geo import (
    UNREACHABLE_M,
    UNREACHABLE_S,
    Place,
    TravelMatrices,
    TravelModel,
    haversine_km_matrix,
)
from dromologio.geo.closures import Closure, closed_on
from dromologio.geo.ferries import DaySailing, FerryNetwork
from dromologio.models import Base, Port, Problem, School, Technician, Ticket

from . import reasons
from .costs import employer_policy, km_rate
from .instance import RoutingInstance
from .reasons import Reason
from .value import ticket_value_eur

COST_UNITS_PER_EUR = 10_000

Location = Base | School | Port


@dataclass(frozen=True)
class StartPoint:
    """Where a technician starts the day: its base, or where it lodged last night."""

    lat: float
    lon: float
    island: str
    lodging: bool = False


@dataclass(frozen=True)
class NodeInfo:
    """What a node of the instance stands for."""

    kind: str  # "start", "end", "ticket", "sailing", "lodging"
    lat: float
    lon: float
    island: str
    ticket: Ticket | None = None
    sailing: DaySailing | None = None
    vehicle: int | None = None


@dataclass(frozen=True)
class DayModel:
    """The instance for one day and the maps back to the domain."""

    plan_date: date
    instance: RoutingInstance
    technicians: tuple[Technician, ...]
    nodes: tuple[NodeInfo, ...]
    #: tickets no technician can serve today, with the reason.
    precheck_unassigned: dict[str, Reason]
    #: per ticket node, the technicians who could serve it.
    candidates: dict[int, tuple[Technician, ...]]
    num_sailing_nodes: int = 0
    stats: dict[str, int] = field(default_factory=dict)

    def ticket_of(self, node: int) -> Ticket:
        ticket = self.nodes[node].ticket
        assert ticket is not None
        return ticket


def _place(location: Location | StartPoint) -> Place:
    terrain = location.terrain if isinstance(location, School) else "plain"
    return Place(location.lat, location.lon, location.island, terrain)


def build_day(
    problem: Problem,
    tickets: tuple[Ticket, ...],
    plan_date: date,
    travel: TravelModel,
    *,
    starts: Mapping[str, StartPoint] | None = None,
    allow_lodging: bool = False,
    next_date: date | None = None,
    locks: Mapping[str, str] | None = None,
    closures: Sequence[Closure] = (),
) -> DayModel:
    """Model one day: ``tickets`` are those that need a visit.

    ``starts`` overrides where technicians start (after a night away); with
    ``allow_lodging`` the day may end with a night away from home (with ``next_date``,
    the next plan date, only on islands from which that day's sailings bring the
    technician home within the shift); ``locks`` maps
    ticket ids to the only technician who may serve them; ``closures`` close
    schools on given dates (snow), except to 4x4 vehicles where they say so.
    """
    policy = problem.policy
    technicians = problem.technicians
    starts = dict(starts or {})
    setup_s = policy.visit_setup_min * 60
    check_in_s = policy.ferry_check_in_min * 60
    network = FerryNetwork(problem.ports, problem.sailings, plan_date)

    # Locations: bases, start points, schools, ports -> one land matrix.
    start_points = {
        t.technician_id: starts.get(t.technician_id) or _base_point(problem.base_of(t)) for t in technicians
    }
    locations: list[Location | StartPoint] = []
    location_of: dict[tuple[str, str], int] = {}

    def add_location(key: tuple[str, str], location: Location | StartPoint) -> int:
        if key not in location_of:
            location_of[key] = len(locations)
            locations.append(location)
        return location_of[key]

    home_of: dict[str, int] = {}
    start_of: dict[str, int] = {}
    for tech in technicians:
        home_of[tech.technician_id] = add_location(("base", tech.base_id), problem.base_of(tech))
        point = start_points[tech.technician_id]
        start_of[tech.technician_id] = add_location(("start", _point_key(point)), point)
    for ticket in tickets:
        add_location(("school", ticket.school_id), problem.school_by_id[ticket.school_id])
    port_location = {port.port_id: add_location(("port", port.port_id), port) for port in problem.ports}
    matrices = travel.matrices([_place(loc) for loc in locations])
    reach = _Reach(matrices, locations, network, port_location, check_in_s)

    # Pre-check every ticket: who could serve it alone today, or why nobody can.
    precheck: dict[str, Reason] = {}
    candidates_of_ticket: dict[str, tuple[Technician, ...]] = {}
    for ticket in tickets:
        school = problem.school_by_id[ticket.school_id]
        here = location_of[("school", ticket.school_id)]
        eligible, reason = _eligible(
            problem,
            ticket,
            school,
            here,
            start_of,
            home_of,
            reach,
            setup_s,
            allow_lodging,
            plan_date,
            (locks or {}).get(ticket.ticket_id),
            closures,
        )
        if eligible:
            candidates_of_ticket[ticket.ticket_id] = eligible
        else:
            precheck[ticket.ticket_id] = reason or reasons.no_technicians()
    routed = [t for t in tickets if t.ticket_id in candidates_of_ticket]

    # Nodes.
    nodes: list[NodeInfo] = []
    node_in: list[int] = []
    node_out: list[int] = []

    def add_node(info: NodeInfo, loc_in: int, loc_out: int | None = None) -> int:
        nodes.append(info)
        node_in.append(loc_in)
        node_out.append(loc_in if loc_out is None else loc_out)
        return len(nodes) - 1

    start_node: dict[str, int] = {}
    end_node: dict[str, int] = {}
    depot_at: dict[tuple[str, int], int] = {}
    for tech in technicians:
        point = start_points[tech.technician_id]
        key = ("start", start_of[tech.technician_id])
        if key not in depot_at:
            depot_at[key] = add_node(NodeInfo("start", point.lat, point.lon, point.island), key[1])
        start_node[tech.technician_id] = depot_at[key]
    for tech in technicians:
        base = problem.base_of(tech)
        key = ("end", home_of[tech.technician_id])
        if key not in depot_at:
            depot_at[key] = add_node(NodeInfo("end", base.lat, base.lon, base.island), key[1])
        end_node[tech.technician_id] = depot_at[key]
    vehicle_of = {t.technician_id: v for v, t in enumerate(technicians)}
    for ticket in routed:
        school = problem.school_by_id[ticket.school_id]
        info = NodeInfo("ticket", school.lat, school.lon, school.island, ticket=ticket)
        add_node(info, location_of[("school", ticket.school_id)])

    # Sailings, copied per technician who might cross today.
    ticket_islands_of: dict[str, set[str]] = {t.technician_id: set() for t in technicians}
    for ticket in routed:
        island = problem.school_by_id[ticket.school_id].island
        for tech in candidates_of_ticket[ticket.ticket_id]:
            ticket_islands_of[tech.technician_id].add(island)
    sailing_nodes = 0
    for vehicle, tech in enumerate(technicians):
        home_island = problem.base_of(tech).island
        start_island = start_points[tech.technician_id].island
        wanted = ticket_islands_of[tech.technician_id] | {home_island, start_island}
        if wanted == {home_island}:
            continue
        reachable = network.islands_reached_from(start_island) | network.islands_reached_from(home_island)
        for day_sailing in network.sailings:
            sailing = day_sailing.sailing
            from_island = problem.port_by_id[sailing.from_port].island
            to_island = problem.port_by_id[sailing.to_port].island
            if from_island not in reachable or to_island not in reachable:
                continue
            if (
                day_sailing.depart_s < tech.shift_start_min * 60
                or day_sailing.arrive_s > tech.shift_end_min * 60
            ):
                continue
            port = problem.port_by_id[sailing.from_port]
            info = NodeInfo("sailing", port.lat, port.lon, from_island, sailing=day_sailing, vehicle=vehicle)
            add_node(info, port_location[sailing.from_port], port_location[sailing.to_port])
            sailing_nodes += 1

    tomorrow = (
        _Reach(
            matrices,
            locations,
            FerryNetwork(problem.ports, problem.sailings, next_date),
            port_location,
            check_in_s,
        )
        if allow_lodging and next_date is not None
        else None
    )
    # Lodging: a night away on an island other than home, for multi-day plans.  A technician
    # who starts the day away may always stay another night where they are: when no sailing
    # takes them home within the shift (or lodging is not otherwise allowed, as on a plan's
    # last day), the day would have no plan at all without it.
    for vehicle, tech in enumerate(technicians):
        home = problem.base_of(tech).island
        islands: set[str] = set()
        if allow_lodging and employer_policy(problem, tech).allow_overnight:
            islands |= {
                island
                for island in ticket_islands_of[tech.technician_id] - {home}
                if tomorrow is None or _home_tomorrow(tomorrow, network, port_location, home_of, tech, island)
            }
        start_island = start_points[tech.technician_id].island
        if start_island != home:
            islands.add(start_island)
        for island in sorted(islands):
            ports = network.ports_on(island)
            if not ports:
                continue
            port = ports[0]
            info = NodeInfo("lodging", port.lat, port.lon, island, vehicle=vehicle)
            add_node(info, port_location[port.port_id])

    n = len(nodes)
    loc_in = np.array(node_in, dtype=np.int64)
    loc_out = np.array(node_out, dtype=np.int64)
    distance = matrices.distance_m[np.ix_(loc_out, loc_in)].copy()
    duration = matrices.duration_s[np.ix_(loc_out, loc_in)].copy()
    service = np.zeros(n, dtype=np.int64)
    windows = np.zeros((n, 2), dtype=np.int64)
    windows[:, 1] = 24 * 3600
    penalty = np.full(n, -1, dtype=np.int64)
    setup = np.zeros(n, dtype=np.int64)
    entry_cost = np.zeros(n, dtype=np.int64)
    location = loc_in.copy()
    allowed: list[frozenset[int] | None] = [None] * n
    candidates: dict[int, tuple[Technician, ...]] = {}
    end_nodes = sorted(set(end_node.values()))
    for node, info in enumerate(nodes):
        if info.kind == "ticket" and info.ticket is not None:
            ticket = info.ticket
            school = problem.school_by_id[ticket.school_id]
            service[node] = ticket.service_minutes * 60
            windows[node] = (school.opens_min * 60 + setup_s, school.closes_min * 60 - service[node])
            penalty[node] = round(ticket_value_eur(ticket, plan_date, policy) * COST_UNITS_PER_EUR)
            setup[node] = setup_s
            eligible = candidates_of_ticket[ticket.ticket_id]
            allowed[node] = frozenset(vehicle_of[t.technician_id] for t in eligible)
            candidates[node] = eligible
        elif info.kind == "sailing" and info.sailing is not None and info.vehicle is not None:
            crossing = info.sailing
            service[node] = crossing.arrive_s - crossing.depart_s
            windows[node] = (crossing.depart_s, crossing.depart_s)
            penalty[node] = 0
            setup[node] = check_in_s
            entry_cost[node] = round((crossing.sailing.fare_eur or 0.0) * COST_UNITS_PER_EUR)
            location[node] = -1 - node  # a boat is never "the same place" as anything else
            allowed[node] = frozenset({info.vehicle})
        elif info.kind == "lodging" and info.vehicle is not None:
            penalty[node] = 0
            # A night away earns the overnight allowance and the full per diem.
            rules = employer_policy(problem, technicians[info.vehicle])
            entry_cost[node] = round((rules.overnight_eur + rules.per_diem_eur) * COST_UNITS_PER_EUR)
            allowed[node] = frozenset({info.vehicle})
            # After a night away the route ends: only the end node follows, at no travel.
            duration[node, :] = UNREACHABLE_S
            distance[node, :] = UNREACHABLE_M
            for end in end_nodes:
                duration[node, end] = 0
                distance[node, end] = 0
            # ... and the lodging is only reached from the island itself (no extra crossing).
            location[node] = -1 - node

    zone, zone_cost = _per_diem_zones(problem, technicians, nodes)
    cost_scale = COST_UNITS_PER_EUR / 1000.0  # per metre
    instance = RoutingInstance(
        distance=distance,
        duration=duration,
        service=service,
        time_windows=windows,
        drop_penalty=penalty,
        allowed_vehicles=tuple(allowed),
        vehicle_start=np.array([start_node[t.technician_id] for t in technicians], dtype=np.int64),
        vehicle_end=np.array([end_node[t.technician_id] for t in technicians], dtype=np.int64),
        vehicle_windows=np.array(
            [(t.shift_start_min * 60, t.shift_end_min * 60) for t in technicians], dtype=np.int64
        ).reshape(-1, 2),
        vehicle_distance_cost=np.array([km_rate(problem, t) * cost_scale for t in technicians]),
        vehicle_time_cost=np.full(
            len(technicians), policy.time_value_eur_per_hour * COST_UNITS_PER_EUR / 3600
        ),
        vehicle_max_distance=np.array(
            [round(t.max_km_per_day * 1000) if t.max_km_per_day is not None else -1 for t in technicians],
            dtype=np.int64,
        ),
        location=location,
        setup=setup,
        entry_cost=entry_cost,
        zone=zone,
        zone_entry_cost=zone_cost,
        balance_cost=round(policy.balance_eur_per_hour * COST_UNITS_PER_EUR / 3600),
        name=f"{problem.name or 'problem'} {plan_date.isoformat()}",
    )
    return DayModel(
        plan_date=plan_date,
        instance=instance,
        technicians=technicians,
        nodes=tuple(nodes),
        precheck_unassigned=precheck,
        candidates=candidates,
        num_sailing_nodes=sailing_nodes,
        stats={"nodes": n, "tickets": len(routed), "sailing_nodes": sailing_nodes},
    )


def _per_diem_zones(
    problem: Problem, technicians: tuple[Technician, ...], nodes: list[NodeInfo]
) -> tuple[np.ndarray, np.ndarray]:
    """Per technician, the schools beyond its employer's per-diem distance, and what entering them costs.

    Entering the zone from outside pays ``per_diem_eur x per_diem_same_day_share``: a day
    that goes out once pays the allowance once, as the rules say (a day that goes out
    twice would pay it twice in the objective; the plan's costs are priced exactly).
    """
    m, n = len(technicians), len(nodes)
    zone = np.zeros((m, n), dtype=np.bool_)
    cost = np.zeros(m, dtype=np.int64)
    tickets = [i for i, info in enumerate(nodes) if info.kind == "ticket"]
    if not tickets or not m:
        return zone, cost
    lat = np.array([nodes[i].lat for i in tickets])
    lon = np.array([nodes[i].lon for i in tickets])
    for vehicle, tech in enumerate(technicians):
        rules = employer_policy(problem, tech)
        share = rules.per_diem_eur * rules.per_diem_same_day_share
        if share <= 0:
            continue
        base = problem.base_of(tech)
        km = haversine_km_matrix(np.append(lat, base.lat), np.append(lon, base.lon))[-1, :-1]
        zone[vehicle, tickets] = km > rules.per_diem_min_km
        cost[vehicle] = round(share * COST_UNITS_PER_EUR)
    return zone, cost


def _base_point(base: Base) -> StartPoint:
    return StartPoint(base.lat, base.lon, base.island)


def _home_tomorrow(
    tomorrow: _Reach,
    network: FerryNetwork,
    port_location: Mapping[str, int],
    home_of: Mapping[str, int],
    tech: Technician,
    island: str,
) -> bool:
    """Whether a night on ``island`` (at its first port) leaves a way home within tomorrow's shift."""
    ports = network.ports_on(island)
    if not ports:
        return False
    back = tomorrow.arrival(
        port_location[ports[0].port_id], home_of[tech.technician_id], tech.shift_start_min * 60
    )
    return back is not None and back <= tech.shift_end_min * 60


def _point_key(point: StartPoint) -> str:
    return f"{point.lat:.6f},{point.lon:.6f},{point.island}"


class _Reach:
    """Travel times between locations by road and, across water, by today's sailings."""

    def __init__(
        self,
        matrices: TravelMatrices,
        locations: list[Location | StartPoint],
        network: FerryNetwork,
        port_location: dict[str, int],
        check_in_s: int,
    ) -> None:
        self.matrices = matrices
        self.islands = [loc.island for loc in locations]
        self.network = network
        self.port_location = port_location
        self.check_in_s = check_in_s

    def road_s(self, a: int, b: int) -> int:
        return int(self.matrices.duration_s[a, b])

    def road_m(self, a: int, b: int) -> int:
        return int(self.matrices.distance_m[a, b])

    def same_island(self, a: int, b: int) -> bool:
        return self.islands[a] == self.islands[b]

    def arrival(self, origin: int, destination: int, leave_s: int) -> int | None:
        """Earliest arrival leaving at ``leave_s``, by road or by today's sailings."""
        if self.same_island(origin, destination):
            return leave_s + self.road_s(origin, destination)
        return self.network.earliest_arrival(
            origin,
            destination,
            leave_s,
            road_s=self.road_s,
            island_of=self.islands.__getitem__,
            port_location=self.port_location,
            check_in_s=self.check_in_s,
        )


def _eligible(
    problem: Problem,
    ticket: Ticket,
    school: School,
    here: int,
    start_of: Mapping[str, int],
    home_of: Mapping[str, int],
    reach: _Reach,
    setup_s: int,
    allow_lodging: bool,
    plan_date: date,
    locked_to: str | None = None,
    closures: Sequence[Closure] = (),
) -> tuple[tuple[Technician, ...], Reason | None]:
    """Technicians who could serve the ticket alone today, or the reason there are none.

    The checks narrow the pool in order (skill, 4x4, water, hours, km cap); the
    first that leaves nobody gives the reason.
    """
    if not problem.technicians:
        return (), reasons.no_technicians()
    if locked_to is not None:
        locked = [t for t in problem.technicians if t.technician_id == locked_to]
        if not locked:
            return (), reasons.locked_to_unknown(ticket, locked_to)
        eligible, reason = _eligible(
            problem.replace(technicians=tuple(locked)),
            ticket,
            school,
            here,
            start_of,
            home_of,
            reach,
            setup_s,
            allow_lodging,
            plan_date,
        )
        if reason is not None:
            return (), reasons.locked(ticket, locked_to, reason)
        return eligible, None
    pool = [t for t in problem.technicians if ticket.skill in t.skills]
    if not pool:
        return (), reasons.no_skill(ticket)
    if school.needs_4x4:
        pool = [t for t in pool if t.has_4x4]
        if not pool:
            return (), reasons.no_4x4(ticket, school)
    if closures:
        place = Place(school.lat, school.lon, school.island, school.terrain)
        shut = {
            t.technician_id: closed_on(
                closures, school.school_id, plan_date, place=place, profile="4x4" if t.has_4x4 else "car"
            )
            for t in pool
        }
        open_to = [t for t in pool if shut[t.technician_id] is None]
        if not open_to:
            closure = next(c for c in shut.values() if c is not None)
            return (), reasons.closed(ticket, school, closure.describe(plan_date))
        pool = open_to
    service_s = ticket.service_minutes * 60
    in_hours: list[Technician] = []
    first_arrival: int | None = None
    for tech in pool:
        start = start_of[tech.technician_id]
        arrive = reach.arrival(start, here, tech.shift_start_min * 60)
        if arrive is None:
            continue
        first_arrival = arrive if first_arrival is None else min(first_arrival, arrive)
        begin = max(arrive + setup_s, school.opens_min * 60 + setup_s)
        finish = begin + service_s
        if finish > school.closes_min * 60:
            continue
        back = reach.arrival(here, home_of[tech.technician_id], finish)
        returns_in_shift = back is not None and back <= tech.shift_end_min * 60
        may_lodge = allow_lodging and employer_policy(problem, tech).allow_overnight
        lodges = may_lodge and not reach.same_island(here, home_of[tech.technician_id])
        if returns_in_shift or (lodges and finish <= tech.shift_end_min * 60):
            in_hours.append(tech)
    if not in_hours:
        crossing = [t for t in pool if not reach.same_island(start_of[t.technician_id], here)]
        if crossing and len(crossing) == len(pool):
            if not problem.sailings:
                return (), reasons.across_water(ticket, school)
            if first_arrival is None:
                return (), reasons.no_sailing(ticket, school, plan_date)
            may_lodge = allow_lodging and any(employer_policy(problem, t).allow_overnight for t in pool)
            return (), reasons.no_round_trip(ticket, school, plan_date, first_arrival, may_lodge)
        return (), reasons.outside_hours(ticket, school)
    within_cap: list[Technician] = []
    shortest_km = float("inf")
    for tech in in_hours:
        start = start_of[tech.technician_id]
        if not reach.same_island(start, here):
            within_cap.append(tech)  # road km of a crossing day are capped inside the solver
            continue
        round_trip_km = (reach.road_m(start, here) + reach.road_m(here, home_of[tech.technician_id])) / 1000.0
        shortest_km = min(shortest_km, round_trip_km)
        if tech.max_km_per_day is None or round_trip_km <= tech.max_km_per_day:
            within_cap.append(tech)
    if not within_cap:
        return (), reasons.over_km_cap(ticket, school, shortest_km)
    return tuple(within_cap), None
