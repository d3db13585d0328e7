"""No unforced drops: the independent audit's findings, fed back to the exact model.

After a day is solved, :func:`dromologio.models.audit.audit_plan` looks for tickets
left undone that some technician could still take with every rule kept and a lower
objective (inserted into a day, served by an idle technician, or made room for by
handing visits over).  Each finding comes with the changed routes; here they are
turned back into node sequences of the day's model, handed to OR-Tools as its
starting point (so the model of record checks them and prices them exactly) and
polished briefly.  A finding is kept only when the model's objective goes down;
the loop ends when the audit has nothing left or the time is spent.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from dromologio.geo import Place
from dromologio.geo.closures import Closure, closed_on
from dromologio.models import Plan, Problem, Route, Technician
from dromologio.models.audit import Finding, audit_plan
from dromologio.models.retime import RoadTimes

from .build import DayModel
from .extract import extract_routes, extract_unassigned
from .instance import InstanceSolution
from .params import SearchParams
from .search import search_instance

#: rounds of audit and repair per day.
MAX_ROUNDS = 10
#: findings tried one by one in a round when applying them together fails.
MAX_TRIES_PER_ROUND = 3
#: seconds past the day's deadline the repair's polishes may use while they improve the plan.
GRACE_S = 2.0
#: seconds past that the repair goes on at all: each round then only applies the audit's
#: findings with a short polish, while they improve the plan and some are left (a busy machine
#: slows the audit, never the promise that no ticket is left undone without need).
LATE_LIMIT_S = 30.0
#: least and most seconds OR-Tools is given to read and polish the findings of a round.
POLISH_S = 0.2
POLISH_MAX_S = 1.0
#: seconds of a day's time kept for the repair per visit of the day at least: a round (the audit
#: and a polish) takes about 2 s on an island day of 300 tickets and 25 technicians, whatever the
#: time limit, so a fixed share of a short limit left big days no round before the deadline.
REPAIR_S_PER_VISIT = 0.005
#: the most of a day's time the repair is given by that count.
MAX_REPAIR_SHARE = 0.4


def repair_share(model: DayModel, time_limit_s: float, params: SearchParams) -> float:
    """The share of a day's time kept for the audit's repair: ``params.audit_repair_share``, or
    more on a big day (:data:`REPAIR_S_PER_VISIT` a visit, at most :data:`MAX_REPAIR_SHARE`);
    0 when the repair is off."""
    share = params.audit_repair_share
    if share <= 0 or time_limit_s <= 0:
        return 0.0
    visits = sum(1 for info in model.nodes if info.kind == "ticket")
    by_size = min(MAX_REPAIR_SHARE, REPAIR_S_PER_VISIT * visits / time_limit_s)
    return max(share, by_size)


def day_plan(
    problem: Problem, model: DayModel, solution: InstanceSolution, previous: Sequence[Route] = ()
) -> Plan:
    """One solved day as a plan the audit can read.

    ``previous``: the routes of the plan date before.  Those that end with the night from which
    a technician starts today come along (the checker accepts a day that starts away from home
    only after that night, and the audit looks only at technicians whose routes it accepts).
    """
    routes, _ = extract_routes(problem, model, solution)
    away = {r.technician_id for r in routes if r.stops and r.stops[0].lodging}
    nights = tuple(r for r in previous if r.technician_id in away and r.date < model.plan_date)
    dates = (*sorted({r.date for r in nights}), model.plan_date)
    return Plan(dates=dates, routes=(*nights, *routes), unassigned=tuple(extract_unassigned(model, solution)))


def closed_schools(
    problem: Problem, closures: Sequence[Closure]
) -> Callable[[str, date, Technician], bool] | None:
    """Road closures as the audit asks for them: is this school closed to this technician that day?"""
    if not closures:
        return None

    def closed(school_id: str, day: date, technician: Technician) -> bool:
        school = problem.school_by_id[school_id]
        place = Place(school.lat, school.lon, school.island, school.terrain)
        profile = "4x4" if technician.has_4x4 else "car"
        return closed_on(closures, school_id, day, place=place, profile=profile) is not None

    return closed


def node_routes(
    model: DayModel, current: Sequence[Sequence[int]], finding: Finding
) -> list[list[int]] | None:
    """The day's routes with the finding's changed routes in place; None when a stop has no node."""
    vehicle_of = {t.technician_id: v for v, t in enumerate(model.technicians)}
    ticket_node: dict[str, int] = {}
    sailing_node: dict[tuple[int, str, str, int], int] = {}
    lodging_node: dict[tuple[int, str], int] = {}
    for node, info in enumerate(model.nodes):
        if info.kind == "ticket" and info.ticket is not None:
            ticket_node[info.ticket.ticket_id] = node
        elif info.kind == "sailing" and info.sailing is not None and info.vehicle is not None:
            sailing = info.sailing.sailing
            sailing_node[(info.vehicle, sailing.from_port, sailing.to_port, info.sailing.depart_s)] = node
        elif info.kind == "lodging" and info.vehicle is not None:
            lodging_node[(info.vehicle, info.island)] = node
    routes = [list(r) for r in current]
    changed: dict[int, list[int]] = {}
    for route in finding.routes:
        if route.date != model.plan_date or route.technician_id not in vehicle_of:
            return None
        vehicle = vehicle_of[route.technician_id]
        nodes = _nodes_of(route, vehicle, ticket_node, sailing_node, lodging_node)
        if nodes is None:
            return None
        changed[vehicle] = nodes
    taken = {n for nodes in changed.values() for n in nodes}
    for vehicle in range(len(routes)):
        routes[vehicle] = changed.get(vehicle, [n for n in routes[vehicle] if n not in taken])
    return routes


def _nodes_of(
    route: Route,
    vehicle: int,
    ticket_node: Mapping[str, int],
    sailing_node: Mapping[tuple[int, str, str, int], int],
    lodging_node: Mapping[tuple[int, str], int],
) -> list[int] | None:
    nodes: list[int] = []
    for stop in route.stops:
        if stop.type == "visit":
            for ticket_id in stop.ticket_ids:
                if ticket_id not in ticket_node:
                    return None
                nodes.append(ticket_node[ticket_id])
        elif stop.type == "ferry" and stop.depart is not None:
            depart_s = stop.depart.hour * 3600 + stop.depart.minute * 60
            key = (vehicle, str(stop.from_port), str(stop.to_port), depart_s)
            if key not in sailing_node:
                return None
            nodes.append(sailing_node[key])
        elif stop.type == "end" and stop.lodging:
            key_lodging = (vehicle, str(stop.island))
            if key_lodging not in lodging_node:
                return None
            nodes.append(lodging_node[key_lodging])
    return nodes


def repair_by_audit(
    problem: Problem,
    model: DayModel,
    solution: InstanceSolution,
    *,
    deadline: float,
    seed: int,
    params: SearchParams,
    locks: Mapping[str, str] | None = None,
    closures: Sequence[Closure] = (),
    grace_s: float = GRACE_S,
    road: RoadTimes | None = None,
    previous: Sequence[Route] = (),
    should_stop: Callable[[], bool] | None = None,
) -> InstanceSolution:
    """``solution`` improved by the audit findings the exact model accepts.

    Each round applies every finding that touches other technicians and tickets than
    the better ones at once; when the model refuses the whole, the findings are tried one
    by one.  Rounds go on while the audit finds something and they improve, since a plan with
    an obvious gain left in it is worse than a late one: past ``deadline`` + ``grace_s`` each
    polish is short (``POLISH_S``), and past :data:`LATE_LIMIT_S` more the repair stops.  ``road``: the road
    times of the travel model the day was planned with (:mod:`.road_times`), for the audit.
    ``previous``: the routes of the plan date before, so that technicians who start the day
    where they spent the night are audited too (:func:`day_plan`).  ``should_stop``: the caller
    asks to stop (a cancelled job): no further round starts.
    """
    closed = closed_schools(problem, closures)
    one_process = params.replace(num_workers=1, use_iterated_local_search=False)
    hard_deadline = deadline + grace_s
    started = time.monotonic()
    original = solution
    for round_number in range(MAX_ROUNDS):
        if round_number and time.monotonic() >= hard_deadline + LATE_LIMIT_S:
            break
        if should_stop is not None and should_stop():
            break  # the caller stopped the solve: its plan is the one it has
        report = audit_plan(
            problem, day_plan(problem, model, solution, previous), closed=closed, locks=locks, road=road
        )
        # Findings on the night before are not this model's to take.
        findings = sorted(
            (f for f in report.findings if f.date == model.plan_date), key=lambda f: f.delta_eur
        )
        if not findings:
            break
        improved = None
        together = _disjoint(findings)
        if len(together) > 1:
            improved = _try(model, solution, together, hard_deadline, seed, one_process)
        if improved is None:
            for finding in findings[:MAX_TRIES_PER_ROUND]:
                improved = _try(model, solution, [finding], hard_deadline, seed, one_process)
                if improved is not None or time.monotonic() >= hard_deadline:
                    break
        if improved is None:
            break
        solution = improved
    if solution is original:
        return original
    # The day's search history goes on where the first search left it.
    elapsed = original.solve_seconds + time.monotonic() - started
    return dataclasses.replace(
        solution,
        history=(*original.history, (elapsed, solution.objective)),
        solve_seconds=elapsed,
        status=original.status,
    )


def _disjoint(findings: Sequence[Finding]) -> list[Finding]:
    """The best findings that change other technicians' days and tickets than the ones before them."""
    chosen: list[Finding] = []
    technicians: set[str] = set()
    tickets: set[str] = set()
    for finding in findings:
        touched_technicians = {r.technician_id for r in finding.routes}
        touched_tickets = {t for r in finding.routes for t in r.ticket_ids} | {finding.ticket_id}
        if touched_technicians & technicians or touched_tickets & tickets:
            continue
        chosen.append(finding)
        technicians |= touched_technicians
        tickets |= touched_tickets
    return chosen


def _try(
    model: DayModel,
    solution: InstanceSolution,
    findings: Sequence[Finding],
    deadline: float,
    seed: int,
    params: SearchParams,
) -> InstanceSolution | None:
    """The solution with ``findings`` applied and polished, when the model accepts it and it is better."""
    routes: list[list[int]] | None = [list(r) for r in solution.routes]
    for finding in findings:
        routes = None if routes is None else node_routes(model, routes, finding)
    if routes is None:
        return None
    found = _polish(model, routes, deadline, seed, params)
    return found if found is not None and found.objective < solution.objective else None


def _polish(
    model: DayModel, routes: list[list[int]], deadline: float, seed: int, params: SearchParams
) -> InstanceSolution | None:
    """OR-Tools from ``routes`` (None when the model rejects them), polished briefly."""
    solution = search_instance(
        model.instance,
        time_limit_s=max(POLISH_S, min(POLISH_MAX_S, deadline - time.monotonic())),
        seed=seed,
        params=params,
        initial_routes=routes,
    )
    return None if solution.status == "rejected" or solution.objective < 0 else solution
