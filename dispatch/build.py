"""Problem -> routing instance for one day, by walking the rule registry.

The steps, in the order of the OR-Tools samples:

1. *data* (:func:`day_context`): places (bases, start points, schools, ports), one land
   travel matrix over them, today's sailings, and travel across water by them;
2. *pre-check* (:func:`precheck_ticket`): the hard rules' pre-checks, in the registry's
   order, narrow each ticket's technicians; the first that leaves nobody gives the
   ticket's reason;
3. *nodes*: depots (where technicians start — their base, or last night's lodging — and
   end), one node per ticket some technician can serve (tickets at one school share a
   location, so moving between them is free and the visit setup is paid once), then each
   rule's own nodes (the ``ferry`` rule's sailings, the ``lodging`` rule's nights away);
4. *encodings*: who may visit each ticket (the pre-check's candidates), then each rule's
   arrays, hard rules then soft ones (:mod:`.rules`);
5. the :class:`~dromologio.dispatch.instance.RoutingInstance`.

Cost units: 1 EUR = ``COST_UNITS_PER_EUR`` units (integers for OR-Tools).  The objective
is the sum of the soft rules' terms (travel cost, per diem, visits outside the own
Directorate, workload balance, the value of every ticket left undone by its priority tier,
visits beyond a school's first) and of the fares and allowances the hard rules' nodes carry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from dromologio.geo import Place, TravelModel
from dromologio.geo.closures import Closure
from dromologio.geo.ferries import FerryNetwork
from dromologio.models import Base, Problem, School, Technician, Ticket

from . import reasons
from .instance import RoutingInstance
from .live import stability_cost
from .reasons import Reason
from .rules import PRECHECKS, RULES
from .rules.base import (
    COST_UNITS_PER_EUR,
    Day,
    InstanceDraft,
    Location,
    NodeInfo,
    NodeList,
    Pool,
    Rule,
    StartPoint,
)
from .rules.fairness import Allowances
from .rules.ferry import Reach
from .rules.lodging import may_stay_overnight
from .rules.shift import latest_return_s

__all__ = [
    "COST_UNITS_PER_EUR",
    "DayModel",
    "NodeInfo",
    "StartPoint",
    "build_day",
    "day_context",
    "precheck_ticket",
]


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
    #: ticket nodes whose value outweighs every lower-priority ticket and the day's travel.
    protected: frozenset[int] = frozenset()

    def ticket_of(self, node: int) -> Ticket:
        ticket = self.nodes[node].ticket
        assert ticket is not None
        return ticket


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
    rules: Sequence[Rule] = RULES,
    now_s: int = 0,
    commit_locks: bool = True,
    previous: Mapping[str, str] | None = None,
    move_eur: float = 0.0,
    overtime_used_min: Mapping[str, int] | None = None,
    allowances_so_far: Mapping[str, Allowances] | None = None,
    horizon: Sequence[date] = (),
    nights_away: Mapping[str, int] | None = None,
) -> DayModel:
    """Model one day: ``tickets`` are those that need a visit.

    ``starts`` overrides where technicians start (after a night away); with
    ``allow_lodging`` the day may end with a night away from home (with ``next_date``,
    the next plan date, only on islands from which that day's sailings bring the
    technician home within the shift); ``locks`` maps
    ticket ids to the only technician who may serve them; ``closures`` close
    schools on given dates (snow), except to 4x4 vehicles where they say so.
    ``rules`` are the rules to model, in order (default: the whole registry).

    Re-planned from now (:mod:`.live`): ``now_s`` (seconds of the day) is when the day
    stands — nothing starts before it — ``starts`` say where each technician is and from
    when it is free; ``previous`` maps tickets to their technician in the published plan,
    and moving one to someone else costs ``move_eur`` (the stability term).  With
    ``commit_locks`` (the default) a locked ticket its technician can serve is mandatory.
    ``overtime_used_min``: per technician, the overtime planned earlier in the same week;
    ``allowances_so_far``: per technician, the allowances of the plan's earlier days (``fairness``).
    ``horizon``: the plan's working days after this one, for tours over several nights
    (:mod:`.tours`; empty: rolling); ``nights_away``: nights in a row spent away so far.
    """
    # 1. Data.
    day = day_context(
        problem,
        tickets,
        plan_date,
        travel,
        starts=starts,
        allow_lodging=allow_lodging,
        next_date=next_date,
        locks=locks,
        closures=closures,
        now_s=now_s,
        commit_locks=commit_locks,
        overtime_used_min=overtime_used_min,
        allowances_so_far=allowances_so_far,
        horizon=horizon,
        nights_away=nights_away,
    )

    # 2. Pre-check every ticket: who could serve it alone today, or why nobody can.
    prechecks = tuple(r for r in rules if r in PRECHECKS)
    precheck: dict[str, Reason] = {}
    candidates_of_ticket: dict[str, tuple[Technician, ...]] = {}
    for ticket in tickets:
        eligible, reason = precheck_ticket(day, ticket, prechecks)
        if eligible:
            candidates_of_ticket[ticket.ticket_id] = eligible
        else:
            precheck[ticket.ticket_id] = reason or reasons.no_technicians()
    routed = [t for t in tickets if t.ticket_id in candidates_of_ticket]

    # 3. Nodes: depots, tickets, then the rules' own (sailings, lodgings).
    nodes = NodeList(day, routed, candidates_of_ticket)
    _add_depots(day, nodes)
    for ticket in routed:
        school = day.school_of(ticket)
        nodes.add(NodeInfo("ticket", school.lat, school.lon, school.island, ticket=ticket), day.here(ticket))
    for rule in rules:
        if rule.add_nodes is not None:
            rule.add_nodes(day, nodes)
    _drop_unusable_sailings(day, nodes)

    # 4. Encodings: who may visit each ticket (every pre-check's verdict), then each rule's arrays.
    draft = InstanceDraft(day, nodes)
    for node, info in draft.of_kind("ticket"):
        assert info.ticket is not None
        eligible = candidates_of_ticket[info.ticket.ticket_id]
        draft.allowed_vehicles[node] = frozenset(draft.vehicle_of[t.technician_id] for t in eligible)
        draft.candidates[node] = eligible
    for rule in rules:
        if rule.encode is not None:
            rule.encode(day, draft)
    if previous and move_eur > 0:
        stability_cost(draft, previous, move_eur)

    # 5. The instance.
    instance = draft.instance(name=f"{problem.name or 'problem'} {plan_date.isoformat()}")
    instance = dataclasses.replace(instance, vehicle_group=vehicle_groups(problem, day.technicians))
    sailing_nodes = len(draft.of_kind("sailing"))
    return DayModel(
        plan_date=plan_date,
        instance=instance,
        technicians=day.technicians,
        nodes=draft.nodes,
        precheck_unassigned=precheck,
        candidates=draft.candidates,
        num_sailing_nodes=sailing_nodes,
        stats={"nodes": instance.num_nodes, "tickets": len(routed), "sailing_nodes": sailing_nodes},
        protected=frozenset(draft.protected),
    )


def day_context(
    problem: Problem,
    tickets: Sequence[Ticket],
    plan_date: date,
    travel: TravelModel,
    *,
    starts: Mapping[str, StartPoint] | None = None,
    allow_lodging: bool = False,
    next_date: date | None = None,
    locks: Mapping[str, str] | None = None,
    closures: Sequence[Closure] = (),
    now_s: int = 0,
    commit_locks: bool = True,
    overtime_used_min: Mapping[str, int] | None = None,
    allowances_so_far: Mapping[str, Allowances] | None = None,
    horizon: Sequence[date] = (),
    nights_away: Mapping[str, int] | None = None,
) -> Day:
    """The day's data every rule reads: places, one land travel matrix, today's sailings.

    Locations, in order: per technician its base and start point, the schools of
    ``tickets``, the ports (each place once).
    """
    starts = dict(starts or {})
    technicians = problem.technicians
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
    check_in_s = problem.policy.ferry_check_in_min * 60
    network = FerryNetwork(problem.ports, problem.sailings, plan_date)
    reach = Reach(matrices, locations, network, port_location, check_in_s)
    tomorrow = (
        Reach(
            matrices,
            locations,
            FerryNetwork(problem.ports, problem.sailings, next_date),
            port_location,
            check_in_s,
        )
        if allow_lodging and next_date is not None
        else None
    )
    return Day(
        problem=problem,
        plan_date=plan_date,
        tickets=tuple(tickets),
        start_points=start_points,
        locations=tuple(locations),
        location_of=location_of,
        home_of=home_of,
        start_of=start_of,
        port_location=port_location,
        matrices=matrices,
        network=network,
        reach=reach,
        tomorrow=tomorrow,
        allow_lodging=allow_lodging,
        next_date=next_date,
        locks=dict(locks or {}),
        closures=tuple(closures),
        now_s=now_s,
        commit_locks=commit_locks,
        overtime_used_min=dict(overtime_used_min or {}),
        allowances_so_far=dict(allowances_so_far or {}),
        horizon=tuple(horizon) if allow_lodging else (),
        nights_away=dict(nights_away or {}),
    )


def precheck_ticket(
    day: Day, ticket: Ticket, prechecks: Sequence[Rule] = PRECHECKS
) -> tuple[Pool, Reason | None]:
    """Technicians who could serve the ticket alone today, or the reason there are none.

    The pre-checks narrow the pool in order; the first that leaves nobody gives the
    reason, as the rules passed before it restate it (a lock names its technician).
    """
    pool = day.technicians
    if not pool:
        return (), reasons.no_technicians()
    for position, rule in enumerate(prechecks):
        kept, reason = rule.narrow(day, ticket, pool)
        if reason is not None:
            for earlier in reversed(prechecks[:position]):
                if earlier.restate is not None:
                    reason = earlier.restate(day, ticket, reason)
            return (), reason
        pool = kept
    return pool, None


def vehicle_groups(problem: Problem, technicians: Sequence[Technician]) -> npt.NDArray[np.int64]:
    """Per technician, its group for a day solved in parts: its partner body, its base's Directorate
    (the base's ``directorate`` column when given, else the base) and island, numbered in order."""
    labels = []
    for tech in technicians:
        base = problem.base_of(tech)
        directorate = str(base.extra.get("directorate") or base.base_id)
        labels.append((tech.employer, directorate, base.island))
    number = {label: k for k, label in enumerate(sorted(set(labels)))}
    return np.array([number[label] for label in labels], dtype=np.int64)


def _drop_unusable_sailings(day: Day, nodes: NodeList) -> None:
    """Keep a technician's copy of a sailing only when it could board it and still end its day.

    Boarding: from its start point, leaving when it is free, it reaches the port (by road or by
    earlier sailings) by the check-in.  Ending: from the port of arrival it gets home within the
    shift (and the overtime allowed), unless it may stay the night away or starts the day away.
    A copy that fails either is in no feasible route: it only made the model bigger.
    """
    keep: list[int] = []
    for index, info in enumerate(nodes.nodes):
        if info.kind == "sailing" and info.vehicle is not None and info.sailing is not None:
            tech = day.technicians[info.vehicle]
            if not _may_use(day, tech, info.sailing.depart_s, info.sailing.arrive_s, nodes, index):
                continue
        keep.append(index)
    if len(keep) == len(nodes.nodes):
        return
    nodes.nodes = [nodes.nodes[i] for i in keep]
    nodes.node_in = [nodes.node_in[i] for i in keep]
    nodes.node_out = [nodes.node_out[i] for i in keep]


def _may_use(day: Day, tech: Technician, depart_s: int, arrive_s: int, nodes: NodeList, index: int) -> bool:
    at_port = day.reach.arrival(day.start_of[tech.technician_id], nodes.node_in[index], day.departure_s(tech))
    if at_port is None or at_port + day.check_in_s > depart_s:
        return False
    starts_away = day.start_points[tech.technician_id].island != day.problem.base_of(tech).island
    if starts_away or may_stay_overnight(day, tech):
        return True
    back = day.reach.arrival(nodes.node_out[index], day.home_of[tech.technician_id], arrive_s)
    return back is not None and back <= latest_return_s(day, tech)


def _add_depots(day: Day, nodes: NodeList) -> None:
    """Start nodes (one per start location), then end nodes (one per base), shared by technicians."""
    depot_at: dict[tuple[str, int], int] = {}
    for tech in day.technicians:
        point = day.start_points[tech.technician_id]
        key = ("start", day.start_of[tech.technician_id])
        if key not in depot_at:
            depot_at[key] = nodes.add(NodeInfo("start", point.lat, point.lon, point.island), key[1])
        nodes.start_node[tech.technician_id] = depot_at[key]
    for tech in day.technicians:
        base = day.problem.base_of(tech)
        key = ("end", day.home_of[tech.technician_id])
        if key not in depot_at:
            depot_at[key] = nodes.add(NodeInfo("end", base.lat, base.lon, base.island), key[1])
        nodes.end_node[tech.technician_id] = depot_at[key]


def _place(location: Location | StartPoint) -> Place:
    terrain = location.terrain if isinstance(location, School) else "plain"
    return Place(location.lat, location.lon, location.island, terrain)


def _base_point(base: Base) -> StartPoint:
    return StartPoint(base.lat, base.lon, base.island)


def _point_key(point: StartPoint) -> str:
    return f"{point.lat:.6f},{point.lon:.6f},{point.island}"
