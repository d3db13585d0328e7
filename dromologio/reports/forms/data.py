"""What the forms say, from plans: a technician's travel days, trips and monthly statement.

Every amount is the route's price by its employer's travel rules
(:func:`dromologio.planning.costs.route_costs`), so the forms add up to the same numbers as
``dromologio costs`` and ``GET /costs``, less overtime (:data:`TRAVEL_PARTS`): overtime is
paid as work, not as a travel expense.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dromologio.dispatch.pricing import technician_of
from dromologio.models import Plan, Problem, Route
from dromologio.planning.costs import (
    ferry_fare_eur,
    km_rate,
    per_diem_days,
    route_costs,
    route_nights,
    vehicle_of,
)

__all__ = [
    "FerryLeg",
    "Statement",
    "Totals",
    "TravelDay",
    "Trip",
    "monthly_statement",
    "travel_days",
    "trips",
]

#: the parts of a route's cost that are travel expenses (overtime, paid as work, is not on the forms).
TRAVEL_PARTS: tuple[str, ...] = ("distance_eur", "ferry_eur", "per_diem_eur", "overnight_eur", "tolls_eur")

#: how the forms name a vehicle kind (``vehicle`` of technicians.csv).
VEHICLE_NAMES = {
    "private_car": "Ιδιωτικό όχημα / private car",
    "service_car": "Υπηρεσιακό όχημα / service car",
}


@dataclass(frozen=True)
class FerryLeg:
    """One sailing of a travel day, with its fare; the ticket number is left to fill in."""

    depart: datetime
    arrive: datetime
    from_port: str
    to_port: str
    fare_eur: float


@dataclass(frozen=True)
class TravelDay:
    """One technician's working day away from the desk, priced."""

    date: date
    technician_id: str
    technician: str
    employer: str
    base: str
    vehicle: str
    depart: datetime | None
    back: datetime | None
    #: the schools visited, in order, with their place (island or Directorate).
    destinations: tuple[str, ...]
    islands: tuple[str, ...]
    directorates: tuple[str, ...]
    tickets: tuple[str, ...]
    distance_km: float
    eur_per_km: float
    distance_eur: float
    ferries: tuple[FerryLeg, ...]
    ferry_eur: float
    per_diem_days: float
    per_diem_eur: float
    nights: int
    overnight_eur: float
    tolls_eur: float
    total_eur: float
    #: the day begins lodging away (it carries on the trip of the day before).
    starts_away: bool


@dataclass(frozen=True)
class Totals:
    distance_km: float
    distance_eur: float
    ferry_eur: float
    per_diem_days: float
    per_diem_eur: float
    nights: int
    overnight_eur: float
    tolls_eur: float
    total_eur: float
    tickets: int
    fares: int


def _totals(days: Sequence[TravelDay]) -> Totals:
    return Totals(
        distance_km=round(sum(d.distance_km for d in days), 1),
        distance_eur=round(sum(d.distance_eur for d in days), 2),
        ferry_eur=round(sum(d.ferry_eur for d in days), 2),
        per_diem_days=round(sum(d.per_diem_days for d in days), 2),
        per_diem_eur=round(sum(d.per_diem_eur for d in days), 2),
        nights=sum(d.nights for d in days),
        overnight_eur=round(sum(d.overnight_eur for d in days), 2),
        tolls_eur=round(sum(d.tolls_eur for d in days), 2),
        total_eur=round(sum(d.total_eur for d in days), 2),
        tickets=sum(len(d.tickets) for d in days),
        fares=sum(len(d.ferries) for d in days),
    )


@dataclass(frozen=True)
class Trip:
    """A travel order's trip: one day, or days joined by nights away."""

    days: tuple[TravelDay, ...]

    @property
    def first(self) -> TravelDay:
        return self.days[0]

    @property
    def last(self) -> TravelDay:
        return self.days[-1]

    @property
    def totals(self) -> Totals:
        return _totals(self.days)

    @property
    def destinations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d for day in self.days for d in day.destinations))

    @property
    def places(self) -> tuple[str, ...]:
        """Islands visited, else the Directorates."""
        islands = tuple(dict.fromkeys(i for day in self.days for i in day.islands))
        return islands or tuple(dict.fromkeys(x for day in self.days for x in day.directorates))


@dataclass(frozen=True)
class Statement:
    """A technician's monthly statement of travel expenses and daily allowances."""

    month: str
    technician_id: str
    technician: str
    employer: str
    base: str
    days: tuple[TravelDay, ...]

    @property
    def totals(self) -> Totals:
        return _totals(self.days)


def _port_name(problem: Problem, port_id: str | None) -> str:
    port = next((p for p in problem.ports if p.port_id == port_id), None)
    return port.name if port is not None else str(port_id or "")


def _travel_day(problem: Problem, route: Route) -> TravelDay:
    technician = technician_of(problem, route)
    costs = route_costs(problem, route)
    visits = [problem.school_by_id[s.school_id or ""] for s in route.visits]
    ferries = tuple(
        FerryLeg(
            depart=stop.depart,
            arrive=stop.arrive,
            from_port=_port_name(problem, stop.from_port),
            to_port=_port_name(problem, stop.to_port),
            fare_eur=round(ferry_fare_eur(problem, stop), 2),
        )
        for stop in route.stops
        if stop.type == "ferry" and stop.depart is not None and stop.arrive is not None
    )
    first, last = route.stops[0] if route.stops else None, route.stops[-1] if route.stops else None
    vehicle = vehicle_of(technician)
    return TravelDay(
        date=route.date,
        technician_id=technician.technician_id,
        technician=technician.name,
        employer=technician.employer,
        base=problem.base_of(technician).name,
        vehicle=VEHICLE_NAMES.get(vehicle or "", "Όχημα / vehicle"),
        depart=first.depart if first else None,
        back=last.arrive if last else None,
        destinations=tuple(dict.fromkeys(s.name for s in visits)),
        islands=tuple(dict.fromkeys(s.island for s in visits if s.island)),
        directorates=tuple(dict.fromkeys(s.directorate for s in visits)),
        tickets=route.ticket_ids,
        distance_km=round(route.distance_km, 1),
        eur_per_km=km_rate(problem, technician),
        distance_eur=costs["distance_eur"],
        ferries=ferries,
        ferry_eur=costs["ferry_eur"],
        per_diem_days=per_diem_days(problem, route, costs["per_diem_eur"]),
        per_diem_eur=costs["per_diem_eur"],
        nights=route_nights(route),
        overnight_eur=costs["overnight_eur"],
        tolls_eur=costs["tolls_eur"],
        total_eur=round(sum(costs[part] for part in TRAVEL_PARTS), 2),
        starts_away=bool(first and first.lodging),
    )


def travel_days(priced: Iterable[tuple[Problem, Plan]], technician_id: str) -> list[TravelDay]:
    """The technician's travel days in ``priced`` (problem, plan) pairs, oldest plan first.

    A day planned again in a later plan counts once, as the later plan has it.  Days without
    a visit and without cost (a technician left at the base) are not travel and are left out.
    """
    by_day: dict[date, TravelDay] = {}
    for problem, plan in priced:
        for route in plan.routes:
            if route.technician_id != technician_id:
                continue
            day = _travel_day(problem, route)
            if day.tickets or day.total_eur > 0:
                by_day[route.date] = day
            else:
                by_day.pop(route.date, None)
    return [by_day[d] for d in sorted(by_day)]


def trips(days: Sequence[TravelDay]) -> list[Trip]:
    """The days as trips: a day that starts lodging away joins the trip of the day before."""
    out: list[list[TravelDay]] = []
    for day in days:
        if out and day.starts_away and out[-1][-1].nights and (day.date - out[-1][-1].date).days == 1:
            out[-1].append(day)
        else:
            out.append([day])
    return [Trip(tuple(group)) for group in out]


def monthly_statement(
    problem: Problem, technician_id: str, days: Sequence[TravelDay], month: str
) -> Statement:
    """The statement of ``month`` (YYYY-MM) of a technician of ``problem`` from its travel days
    (days of other months are left out; a month without travel gives an empty statement)."""
    technician = problem.technician_by_id.get(technician_id)
    if technician is None:
        raise ValueError(f"technician '{technician_id}' is not in technicians.csv")
    return Statement(
        month=month,
        technician_id=technician_id,
        technician=technician.name,
        employer=technician.employer,
        base=problem.base_of(technician).name,
        days=tuple(d for d in days if d.date.isoformat().startswith(f"{month}-")),
    )
