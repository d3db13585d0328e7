"""Solution -> Plan: node sequences become stops with domain ids and instants.

Consecutive tickets at one school become one visit.  Distances, travel
minutes and money are recomputed from the location matrices, not read from
the objective.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dromologio.models import Route, Stop, Technician, Unassigned

from . import reasons
from .build import COST_UNITS_PER_EUR, DayModel
from .instance import InstanceSolution


def _instant(day: date, seconds: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(seconds=seconds)


def extract_routes(model: DayModel, solution: InstanceSolution, cost_per_km: dict[str, float]) -> list[Route]:
    """One route per technician (an idle technician gets an empty start-end route)."""
    instance = model.instance
    matrices = model.matrices
    day = model.plan_date
    routes: list[Route] = []
    for vehicle, technician in enumerate(model.technicians):
        sequence = solution.routes[vehicle]
        base_node = int(instance.vehicle_start[vehicle])
        base = model.base_of_node[base_node]
        home = int(instance.location[base_node])
        departure = solution.vehicle_departure[vehicle] if sequence else technician.shift_start_min * 60
        stops: list[Stop] = [Stop("start", lat=base.lat, lon=base.lon, depart=_instant(day, departure))]
        distance_m = 0
        travel_s = 0
        previous_location = home
        leave_s = departure
        position = 0
        while position < len(sequence):
            node = sequence[position]
            here = int(instance.location[node])
            group = [node]
            while position + len(group) < len(sequence):
                following = sequence[position + len(group)]
                if int(instance.location[following]) != here:
                    break
                group.append(following)
            leg_s = int(matrices.duration_s[previous_location, here])
            distance_m += int(matrices.distance_m[previous_location, here])
            travel_s += leg_s
            school = model.locations[here]
            start_s = solution.service_start[group[0]] - instance.setup_of(group[0])
            end_s = solution.service_start[group[-1]] + int(instance.service[group[-1]])
            stops.append(
                Stop(
                    "visit",
                    lat=school.lat,
                    lon=school.lon,
                    school_id=model.ticket_of_node[node].school_id,
                    ticket_ids=tuple(model.ticket_of_node[g].ticket_id for g in group),
                    arrive=_instant(day, leave_s + leg_s),
                    start=_instant(day, start_s),
                    end=_instant(day, end_s),
                )
            )
            previous_location = here
            leave_s = end_s
            position += len(group)
        distance_m += int(matrices.distance_m[previous_location, home])
        travel_s += int(matrices.duration_s[previous_location, home])
        return_s = solution.vehicle_return[vehicle] if sequence else departure
        stops.append(Stop("end", lat=base.lat, lon=base.lon, arrive=_instant(day, return_s)))
        distance_km = distance_m / 1000.0
        distance_eur = distance_km * cost_per_km[technician.technician_id]
        routes.append(
            Route(
                technician_id=technician.technician_id,
                date=day,
                stops=tuple(stops),
                distance_km=round(distance_km, 1),
                travel_minutes=travel_s // 60,
                cost_eur=round(distance_eur, 2),
                costs={"distance_eur": round(distance_eur, 2)},
            )
        )
    return routes


def extract_unassigned(model: DayModel, solution: InstanceSolution) -> list[Unassigned]:
    """Tickets left out: the pre-check's reasons, then the solver's drops."""
    out = [Unassigned(ticket_id, r.text, r.code) for ticket_id, r in model.precheck_unassigned.items()]
    for node in solution.dropped:
        ticket = model.ticket_of_node[node]
        candidates: list[Technician] = list(model.candidates[node])
        reason = reasons.capacity(ticket, candidates)
        out.append(Unassigned(ticket.ticket_id, reason.text, reason.code))
    return out


def objective_eur(solution: InstanceSolution) -> float:
    return solution.objective / COST_UNITS_PER_EUR
