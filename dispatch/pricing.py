"""What one route costs, from the route and the problem alone (never from the solver).

:func:`route_costs` prices a route by the travel rules of the technician's employer
(``Policy.for_employer``).  The solver prices its arcs with the same rates (:func:`km_rate`,
:func:`employer_policy`) and states every plan's ``cost_eur`` with :func:`route_costs`; the
tables and reports over whole plans are in :mod:`dromologio.planning.costs`.  The rules, with
their example defaults, are in ``docs/costs.md``:

- ``distance_eur``: the route's road km x the technician's rate per km: their
  own ``cost_per_km``, else the employer's ``vehicle_rates`` for the vehicle
  named in the ``vehicle`` column of ``technicians.csv``, else the employer's
  ``cost_per_km_eur``;
- ``ferry_eur``: the fare of every ferry stop, looked up in the timetable by
  from port, to port and departure time (fares are reimbursed at cost);
- ``per_diem_eur``: the daily allowance, for a day that starts or ends lodging
  away (in full), or a day on which a school visited lies farther than
  ``per_diem_min_km`` great-circle km from the technician's base and which lasts
  at least ``per_diem_min_hours`` (``per_diem_same_day_share`` of it);
- ``overnight_eur``: ``overnight_eur`` when the route ends lodging away;
- ``tolls_eur``: road km x ``toll_eur_per_km`` (0 by default);
- ``overtime_eur``: the route's ``overtime_min`` x the employer's ``overtime_eur_per_hour`` / 60.

Each part is rounded to cents and ``total`` is the sum of the rounded parts.
"""

from __future__ import annotations

from dromologio.geo import haversine_km
from dromologio.models import Policy, Problem, Route, Sailing, Stop, Technician
from dromologio.models.policy import VEHICLE_KINDS

__all__ = [
    "COST_PARTS",
    "employer_policy",
    "farthest_visit_km",
    "ferry_fare_eur",
    "km_rate",
    "per_diem_eur",
    "route_costs",
    "technician_of",
    "vehicle_of",
]

#: the parts of a route's cost, in the order they are shown; ``total`` is their sum.
COST_PARTS: tuple[str, ...] = (
    "distance_eur",
    "ferry_eur",
    "per_diem_eur",
    "overnight_eur",
    "tolls_eur",
    "overtime_eur",
)


def technician_of(problem: Problem, route: Route) -> Technician:
    """The technician of ``route``; one missing from ``technicians.csv`` is an error naming the route."""
    technician = problem.technician_by_id.get(route.technician_id)
    if technician is None:
        raise ValueError(
            f"route of {route.date.isoformat()} names technician '{route.technician_id}', "
            "who is not in technicians.csv"
        )
    return technician


def employer_policy(problem: Problem, technician: Technician) -> Policy:
    """The travel rules of the technician's employer (the policy with that employer's overrides)."""
    return problem.policy.for_employer(technician.employer)


def vehicle_of(technician: Technician) -> str | None:
    """The vehicle kind of the ``vehicle`` column of ``technicians.csv`` (None when absent or empty)."""
    text = technician.extra.get("vehicle", "").strip().lower()
    return text or None


def km_rate(problem: Problem, technician: Technician) -> float:
    """EUR per road km: the technician's ``cost_per_km``, else the employer's rate for the vehicle, else
    the employer's ``cost_per_km_eur``."""
    if technician.cost_per_km is not None:
        return technician.cost_per_km
    policy = employer_policy(problem, technician)
    vehicle = vehicle_of(technician)
    if vehicle is None:
        return policy.cost_per_km_eur
    if vehicle not in policy.vehicle_rates:
        raise ValueError(
            f"technicians.csv: technician '{technician.technician_id}' has vehicle '{vehicle}', "
            f"which is not one of {', '.join(VEHICLE_KINDS)}"
        )
    return float(policy.vehicle_rates[vehicle])


def _sailing_of(problem: Problem, stop: Stop) -> Sailing:
    if stop.depart is None:
        raise ValueError(f"ferry stop {stop.from_port} → {stop.to_port} has no departure time")
    minute = stop.depart.hour * 60 + stop.depart.minute
    matches = [
        s
        for s in problem.sailings
        if s.from_port == stop.from_port and s.to_port == stop.to_port and s.depart_min == minute
    ]
    running = [s for s in matches if s.runs_on(stop.depart)]
    if running or matches:
        return (running or matches)[0]
    raise ValueError(
        f"ferry {stop.from_port} → {stop.to_port} at {stop.depart:%Y-%m-%d %H:%M} is not in ferries.csv"
    )


def ferry_fare_eur(problem: Problem, stop: Stop) -> float:
    """The timetable's fare of a ferry stop (0 when ``fare_eur`` is empty); an unknown sailing is an error."""
    return _sailing_of(problem, stop).fare_eur or 0.0


def farthest_visit_km(problem: Problem, route: Route) -> float:
    """Great-circle km from the technician's base to the farthest school visited (0 without visits)."""
    base = problem.base_of(technician_of(problem, route))
    farthest = 0.0
    for stop in route.visits:
        school = problem.school_by_id.get(stop.school_id or "")
        if school is None:
            raise ValueError(f"route of {route.technician_id} visits unknown school '{stop.school_id}'")
        farthest = max(farthest, haversine_km(base.lat, base.lon, school.lat, school.lon))
    return farthest


def _hours_away(route: Route) -> float:
    if not route.stops:
        return 0.0
    first, last = route.stops[0], route.stops[-1]
    leave = first.depart or first.arrive
    back = last.arrive or last.depart
    if leave is None or back is None:
        return 0.0
    return max(0.0, (back - leave).total_seconds() / 3600.0)


def _lodging_day(route: Route) -> bool:
    return bool(route.stops) and (route.stops[0].lodging or route.stops[-1].lodging)


def per_diem_eur(problem: Problem, route: Route) -> float:
    """The daily allowance of a route under its employer's rules.

    A day that starts or ends lodging away from home earns the full ``per_diem_eur``.
    Any other day earns ``per_diem_eur x per_diem_same_day_share`` when a school visited
    lies more than ``per_diem_min_km`` great-circle km from the technician's base and the
    route (start to end) lasts at least ``per_diem_min_hours``; otherwise nothing.
    """
    policy = employer_policy(problem, technician_of(problem, route))
    if _lodging_day(route):
        return policy.per_diem_eur
    if farthest_visit_km(problem, route) <= policy.per_diem_min_km:
        return 0.0
    if _hours_away(route) < policy.per_diem_min_hours:
        return 0.0
    return policy.per_diem_eur * policy.per_diem_same_day_share


def route_costs(problem: Problem, route: Route) -> dict[str, float]:
    """The parts of a route's cost (:data:`COST_PARTS`) and their ``total``, in EUR rounded to cents."""
    technician = technician_of(problem, route)
    policy = employer_policy(problem, technician)
    costs = {
        "distance_eur": round(route.distance_km * km_rate(problem, technician), 2),
        "ferry_eur": round(
            sum((ferry_fare_eur(problem, s) for s in route.stops if s.type == "ferry"), 0.0), 2
        ),
        "per_diem_eur": round(per_diem_eur(problem, route), 2),
        "overnight_eur": round(policy.overnight_eur if route.stops and route.stops[-1].lodging else 0.0, 2),
        "tolls_eur": round(route.distance_km * policy.toll_eur_per_km, 2),
        "overtime_eur": round(route.overtime_min * policy.overtime_eur_per_hour / 60.0, 2),
    }
    costs["total"] = round(sum(costs[p] for p in COST_PARTS), 2)
    return costs
