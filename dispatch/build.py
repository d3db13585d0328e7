"""Problem -> routing instance for one day.

Nodes: one depot node per base in use, then one node per ticket that some
technician can serve.  Tickets at one school share a location, so travel
between them is free and the visit setup is paid once: the solver serves them
in one visit when one technician can do them all.  Vehicles are technicians.

Cost units: 1 EUR = ``COST_UNITS_PER_EUR`` units (integers for OR-Tools).
Objective = travel money (km x the technician's rate) + travelling time valued
at ``policy.time_value_eur_per_hour`` + the value of every ticket left undone
(see :mod:`.value`) + the busiest technician's work hours at
``policy.balance_eur_per_hour``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from dromologio.geo import Place, TravelMatrices, TravelModel
from dromologio.models import Base, Problem, School, Technician, Ticket

from . import reasons
from .instance import RoutingInstance
from .reasons import Reason
from .value import ticket_value_eur

COST_UNITS_PER_EUR = 10_000


@dataclass(frozen=True)
class DayModel:
    """The instance for one day and the maps back to the domain."""

    plan_date: date
    instance: RoutingInstance
    technicians: tuple[Technician, ...]
    #: visit node -> ticket; depot node -> base.
    ticket_of_node: dict[int, Ticket]
    base_of_node: dict[int, Base]
    #: location matrices (bases then schools) and each node's location.
    locations: tuple[Base | School, ...]
    matrices: TravelMatrices
    #: tickets no technician can serve today, with the reason.
    precheck_unassigned: dict[str, Reason]
    #: per ticket node, the technicians who could serve it.
    candidates: dict[int, tuple[Technician, ...]]


def _place(location: Base | School) -> Place:
    terrain = location.terrain if isinstance(location, School) else "plain"
    return Place(location.lat, location.lon, location.island, terrain)


def build_day(
    problem: Problem,
    tickets: tuple[Ticket, ...],
    plan_date: date,
    travel: TravelModel,
) -> DayModel:
    """Model one day: ``tickets`` are those that need a visit."""
    policy = problem.policy
    technicians = problem.technicians
    bases = sorted({t.base_id for t in technicians})
    schools = sorted({t.school_id for t in tickets})
    locations: tuple[Base | School, ...] = tuple(
        [problem.base_by_id[b] for b in bases] + [problem.school_by_id[s] for s in schools]
    )
    location_index = {loc_id: i for i, loc_id in enumerate(bases + schools)}
    matrices = travel.matrices([_place(loc) for loc in locations])
    setup_s = policy.visit_setup_min * 60

    precheck: dict[str, Reason] = {}
    candidates_of_ticket: dict[str, tuple[Technician, ...]] = {}
    for ticket in tickets:
        school = problem.school_by_id[ticket.school_id]
        eligible, reason = _eligible(problem, ticket, school, location_index, matrices, setup_s)
        if eligible:
            candidates_of_ticket[ticket.ticket_id] = eligible
        else:
            precheck[ticket.ticket_id] = reason or reasons.no_technicians()
    routed = [t for t in tickets if t.ticket_id in candidates_of_ticket]

    num_depots = len(bases)
    node_location = np.array(
        list(range(num_depots)) + [location_index[t.school_id] for t in routed], dtype=np.int64
    )
    select = np.ix_(node_location, node_location)
    n = len(node_location)
    service = np.zeros(n, dtype=np.int64)
    windows = np.zeros((n, 2), dtype=np.int64)
    windows[:, 1] = 24 * 3600
    penalty = np.full(n, -1, dtype=np.int64)
    allowed: list[frozenset[int] | None] = [None] * n
    vehicle_of = {t.technician_id: v for v, t in enumerate(technicians)}
    ticket_of_node: dict[int, Ticket] = {}
    candidates: dict[int, tuple[Technician, ...]] = {}
    for offset, ticket in enumerate(routed):
        node = num_depots + offset
        school = problem.school_by_id[ticket.school_id]
        service[node] = ticket.service_minutes * 60
        windows[node] = (school.opens_min * 60 + setup_s, school.closes_min * 60 - service[node])
        penalty[node] = round(ticket_value_eur(ticket, plan_date, policy) * COST_UNITS_PER_EUR)
        eligible = candidates_of_ticket[ticket.ticket_id]
        allowed[node] = frozenset(vehicle_of[t.technician_id] for t in eligible)
        ticket_of_node[node] = ticket
        candidates[node] = eligible

    depot_of_base = {b: i for i, b in enumerate(bases)}
    cost_scale = COST_UNITS_PER_EUR / 1000.0  # per metre
    instance = RoutingInstance(
        distance=matrices.distance_m[select],
        duration=matrices.duration_s[select],
        service=service,
        time_windows=windows,
        drop_penalty=penalty,
        allowed_vehicles=tuple(allowed),
        vehicle_start=np.array([depot_of_base[t.base_id] for t in technicians], dtype=np.int64),
        vehicle_end=np.array([depot_of_base[t.base_id] for t in technicians], dtype=np.int64),
        vehicle_windows=np.array(
            [(t.shift_start_min * 60, t.shift_end_min * 60) for t in technicians], dtype=np.int64
        ).reshape(-1, 2),
        vehicle_distance_cost=np.array([problem.cost_per_km(t) * cost_scale for t in technicians]),
        vehicle_time_cost=np.full(
            len(technicians), policy.time_value_eur_per_hour * COST_UNITS_PER_EUR / 3600
        ),
        vehicle_max_distance=np.array(
            [round(t.max_km_per_day * 1000) if t.max_km_per_day is not None else -1 for t in technicians],
            dtype=np.int64,
        ),
        location=node_location,
        setup=np.where(np.arange(n) >= num_depots, setup_s, 0).astype(np.int64),
        balance_cost=round(policy.balance_eur_per_hour * COST_UNITS_PER_EUR / 3600),
        name=f"{problem.name or 'problem'} {plan_date.isoformat()}",
    )
    return DayModel(
        plan_date=plan_date,
        instance=instance,
        technicians=technicians,
        ticket_of_node=ticket_of_node,
        base_of_node={i: problem.base_by_id[b] for i, b in enumerate(bases)},
        locations=locations,
        matrices=matrices,
        precheck_unassigned=precheck,
        candidates=candidates,
    )


def _eligible(
    problem: Problem,
    ticket: Ticket,
    school: School,
    location_index: dict[str, int],
    matrices: TravelMatrices,
    setup_s: int,
) -> tuple[tuple[Technician, ...], Reason | None]:
    """Technicians who could serve the ticket alone today, or the reason there are none."""
    if not problem.technicians:
        return (), reasons.no_technicians()
    pool = [t for t in problem.technicians if ticket.skill in t.skills]
    if not pool:
        return (), reasons.no_skill(ticket)
    if school.needs_4x4:
        pool = [t for t in pool if t.has_4x4]
        if not pool:
            return (), reasons.no_4x4(ticket, school)
    here = location_index[school.school_id]
    pool = [t for t in pool if matrices.reachable(location_index[t.base_id], here)]
    if not pool:
        return (), reasons.across_water(ticket, school)
    service_s = ticket.service_minutes * 60
    in_hours = []
    for tech in pool:
        home = location_index[tech.base_id]
        arrive = tech.shift_start_min * 60 + int(matrices.duration_s[home, here]) + setup_s
        start = max(arrive, school.opens_min * 60 + setup_s)
        finish = start + service_s
        back = finish + int(matrices.duration_s[here, home])
        if finish <= school.closes_min * 60 and back <= tech.shift_end_min * 60:
            in_hours.append(tech)
    if not in_hours:
        return (), reasons.outside_hours(ticket, school)
    within_cap = []
    shortest_km = float("inf")
    for tech in in_hours:
        home = location_index[tech.base_id]
        round_trip_km = (int(matrices.distance_m[home, here]) + int(matrices.distance_m[here, home])) / 1000.0
        shortest_km = min(shortest_km, round_trip_km)
        if tech.max_km_per_day is None or round_trip_km <= tech.max_km_per_day:
            within_cap.append(tech)
    if not within_cap:
        return (), reasons.over_km_cap(ticket, school, shortest_km)
    return tuple(within_cap), None
