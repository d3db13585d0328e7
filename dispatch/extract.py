"""Solution -> Plan: node sequences become stops with domain ids and instants.

Consecutive tickets at one school become one visit; sailing nodes become ferry
stops; a lodging node makes the day end away from home.  Distances, travel
minutes and money are recomputed from the instance's matrices, not read from
the objective.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from dromologio.models import Problem, Route, Stop, Unassigned
from dromologio.models.plan import LunchBreak, overtime_minutes

from .build import COST_UNITS_PER_EUR, DayModel, StartPoint
from .costs import route_costs
from .instance import InstanceSolution, VehicleBreak
from .rules.base import DAY_S
from .rules.drop_value import explain_drop


def _instant(day: date, seconds: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(seconds=seconds)


@dataclass(frozen=True)
class _Gap:
    """Time between leaving one place (``leave_s``) and what comes next (``next_s``: work at a
    school, a sailing's departure, the return, the next ticket at the same school), ``travel_s``
    of it on the road; ``stop`` is the visit whose arrival moves when the break is taken before
    the drive (None: nothing to move)."""

    leave_s: int
    next_s: int
    travel_s: int
    stop: int | None = None
    #: time the next thing needs on arrival that the break may share (the check-in before a sailing).
    ready_s: int = 0


#: where a break sits in a gap: after the drive (nothing moves), before it, or in its middle (the
#: arrival moves by the break); the first that fits the solver's start is taken.
_AFTER, _BEFORE, _BETWEEN = 0, 1, 2


def _break_slot(gaps: list[_Gap], window: VehicleBreak, wanted_s: int | None) -> tuple[int, _Gap, int] | None:
    """Where the break goes: its start (seconds), the gap it takes and how it sits there
    (``_AFTER``, ``_BEFORE``, ``_BETWEEN``); None when no gap holds it.  The solver's start
    (``wanted_s``) is kept where it fits."""
    length = window.length
    options: list[tuple[int, int, _Gap, int]] = []
    for gap in gaps:
        if gap.next_s - gap.ready_s - gap.leave_s - gap.travel_s < length:
            continue  # no room for it besides the drive
        for low, high, how in (
            (gap.leave_s + gap.travel_s, gap.next_s - length, _AFTER),
            (gap.leave_s, gap.next_s - gap.ready_s - gap.travel_s - length, _BEFORE),
            (gap.leave_s, min(gap.leave_s + gap.travel_s, gap.next_s - length), _BETWEEN),
        ):
            low, high = max(low, window.earliest), min(high, window.latest)
            if low <= high:
                options.append((low, high, gap, how))
    if not options:
        return None
    goal = window.earliest if wanted_s is None else wanted_s

    def distance(option: tuple[int, int, _Gap, int]) -> tuple[int, int]:
        low, high, _, how = option
        return max(low - goal, goal - high, 0), how

    low, high, gap, how = min(options, key=distance)
    start = min(max(goal, low), high)
    # Whole minutes where the gap allows, as the plan writes instants to the minute.
    rounded = -(-start // 60) * 60
    start = rounded if rounded <= high else start
    return start, gap, how


def _with_break(
    stops: list[Stop], gaps: list[_Gap], window: VehicleBreak | None, wanted_s: int | None, day: date
) -> LunchBreak | None:
    """The route's lunch break placed in its stops' free time (``stops`` updated where an arrival moves)."""
    if window is None or len(stops) <= 2:
        return None
    slot = _break_slot(gaps, window, wanted_s)
    if slot is None:
        return None
    start_s, gap, how = slot
    if how != _AFTER and gap.stop is not None:
        # The drive after the break (all of it, or what is left of it) moves the arrival.
        driven_s = 0 if how == _BEFORE else start_s - gap.leave_s
        arrive_s = start_s + window.length + gap.travel_s - driven_s
        stops[gap.stop] = replace(stops[gap.stop], arrive=_instant(day, arrive_s))
    return LunchBreak(_instant(day, start_s), _instant(day, start_s + window.length))


def extract_routes(
    problem: Problem, model: DayModel, solution: InstanceSolution
) -> tuple[list[Route], dict[str, StartPoint]]:
    """One route per technician (an idle one gets start-end), and where each one lodges tonight."""
    instance = model.instance
    day = model.plan_date
    routes: list[Route] = []
    lodgings: dict[str, StartPoint] = {}
    for vehicle, technician in enumerate(model.technicians):
        sequence = solution.routes[vehicle]
        start_node = int(instance.vehicle_start[vehicle])
        end_node = int(instance.vehicle_end[vehicle])
        start_info = model.nodes[start_node]
        departure = solution.vehicle_departure[vehicle] if sequence else technician.shift_start_min * 60
        stops: list[Stop] = [
            Stop(
                "start",
                lat=start_info.lat,
                lon=start_info.lon,
                depart=_instant(day, departure),
                lodging=start_info.kind == "start"
                and start_info.island != problem.base_of(technician).island,
                island=start_info.island,
            )
        ]
        distance_m = 0
        travel_s = 0
        previous = start_node
        leave_s = departure
        position = 0
        lodged_at: StartPoint | None = None
        window = instance.break_of(vehicle)
        # Before leaving the start: the break at the base (or where the technician lodged).
        gaps: list[_Gap] = [_Gap(0, departure, 0)]
        while position < len(sequence):
            node = sequence[position]
            info = model.nodes[node]
            leg_s = int(instance.duration[previous, node])
            if info.kind == "lodging":
                lodged_at = StartPoint(info.lat, info.lon, info.island, lodging=True)
                distance_m += int(instance.distance[previous, node])
                travel_s += leg_s
                gaps.append(_Gap(leave_s, solution.service_start[node], leg_s))
                leave_s = solution.service_start[node]
                position += 1
                previous = node
                continue
            distance_m += int(instance.distance[previous, node])
            travel_s += leg_s
            if info.kind == "sailing" and info.sailing is not None:
                sailing = info.sailing
                gaps.append(_Gap(leave_s, sailing.depart_s, leg_s, ready_s=instance.setup_of(node)))
                stops.append(
                    Stop(
                        "ferry",
                        from_port=sailing.sailing.from_port,
                        to_port=sailing.sailing.to_port,
                        depart=_instant(day, sailing.depart_s),
                        arrive=_instant(day, sailing.arrive_s),
                    )
                )
                travel_s += sailing.arrive_s - sailing.depart_s
                leave_s = sailing.arrive_s
                previous = node
                position += 1
                continue
            group = [node]
            while position + len(group) < len(sequence):
                following = sequence[position + len(group)]
                if (
                    model.nodes[following].kind != "ticket"
                    or instance.location[following] != instance.location[node]
                ):
                    break
                group.append(following)
            start_s = solution.service_start[group[0]] - instance.setup_of(group[0])
            end_s = solution.service_start[group[-1]] + int(instance.service[group[-1]])
            gaps.append(_Gap(leave_s, start_s, leg_s, stop=len(stops)))
            # Between two tickets at the school: a pause in the visit's work.
            gaps += [
                _Gap(solution.service_start[a] + int(instance.service[a]), solution.service_start[b], 0)
                for a, b in pairwise(group)
            ]
            stops.append(
                Stop(
                    "visit",
                    lat=info.lat,
                    lon=info.lon,
                    school_id=model.ticket_of(node).school_id,
                    ticket_ids=tuple(model.ticket_of(g).ticket_id for g in group),
                    arrive=_instant(day, leave_s + leg_s),
                    start=_instant(day, start_s),
                    end=_instant(day, end_s),
                )
            )
            previous = group[-1]
            leave_s = end_s
            position += len(group)
        if lodged_at is not None:
            end_s = back_s = leave_s
            stops.append(
                Stop(
                    "end",
                    lat=lodged_at.lat,
                    lon=lodged_at.lon,
                    arrive=_instant(day, end_s),
                    lodging=True,
                    island=lodged_at.island,
                )
            )
            lodgings[technician.technician_id] = lodged_at
        else:
            distance_m += int(instance.distance[previous, end_node])
            travel_s += int(instance.duration[previous, end_node])
            end_info = model.nodes[end_node]
            return_s = back_s = solution.vehicle_return[vehicle] if sequence else departure
            gaps.append(_Gap(leave_s, return_s, int(instance.duration[previous, end_node])))
            stops.append(Stop("end", lat=end_info.lat, lon=end_info.lon, arrive=_instant(day, return_s)))
        # After the end: the break back at the base (or where the technician lodges).
        gaps.append(_Gap(back_s, DAY_S, 0))
        wanted = solution.break_start[vehicle] if solution.break_start else None
        lunch = _with_break(stops, gaps, window, wanted, day)
        route = Route(
            technician_id=technician.technician_id,
            date=day,
            stops=tuple(stops),
            distance_km=round(distance_m / 1000.0, 1),
            travel_minutes=travel_s // 60,
            cost_eur=0.0,
            lunch_break=lunch,
        )
        crossing = int(problem.policy.for_employer(technician.employer).crossing_outside_shift_min)
        route = replace(route, overtime_min=overtime_minutes(route, technician.shift_end_min, crossing))
        # Money is priced by the employer's rules from the route itself, as any reader of the plan would.
        costs = route_costs(problem, route)
        total = costs.pop("total")
        routes.append(replace(route, cost_eur=total, costs={k: v for k, v in costs.items() if v}))
    return routes, lodgings


def extract_unassigned(model: DayModel, solution: InstanceSolution) -> list[Unassigned]:
    """Tickets left out: the pre-check's reasons, then the solver's drops (the ``drop_value`` rule's)."""
    out = [Unassigned(ticket_id, r.text, r.code) for ticket_id, r in model.precheck_unassigned.items()]
    idle = {t.technician_id for v, t in enumerate(model.technicians) if not solution.routes[v]}
    served = {
        t.technician_id: [model.ticket_of(n) for n in solution.routes[v] if model.nodes[n].kind == "ticket"]
        for v, t in enumerate(model.technicians)
    }
    for node in solution.dropped:
        if model.nodes[node].kind != "ticket":
            continue
        ticket = model.ticket_of(node)
        reason = explain_drop(ticket, model.candidates[node], idle, served, protected=node in model.protected)
        out.append(Unassigned(ticket.ticket_id, reason.text, reason.code))
    return out


def objective_eur(solution: InstanceSolution) -> float:
    return solution.objective / COST_UNITS_PER_EUR
