"""How long to get there: one trip, by road and by the day's sailings, for each kind of vehicle.

:func:`plan_trip` answers a dispatcher's question between two places of a problem
(a school, a base, a port or a point): for a car and for a 4x4 vehicle, whether
the trip can be made that day, and if so its legs — road legs with their km,
minutes and the towns and trunk roads they go by, sailings with their departure,
arrival and fare — and the door-to-door km and minutes.

Road legs come from the problem's travel model (:func:`.known.travel_model_for`:
the embedded road model or a routing server, with ``access_min`` and known
travel times applied), exactly as the planner sees them.  Across water the
earliest chain of sailings that run that day is taken, leaving at ``leave_min``
and reaching each port ``ferry_check_in_min`` before its departure (as the
``ferry`` rule of the planner does); waiting at a port counts in the minutes.
A car cannot go to a school that needs a 4x4, nor where a closure bars cars
that day (:mod:`.closures`).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from dromologio.models.cells import check_in_greece
from dromologio.models.problem import Problem

from .closures import Closure, closed_on
from .known import school_place, travel_model_for
from .roads import SettlementRoadModel
from .travel import Place, TravelModel

#: the kinds of vehicle a trip is answered for (the closures' profiles).
VEHICLES = ("car", "4x4")


@dataclass(frozen=True)
class Endpoint:
    """One end of a trip: a school, base or port of the problem, or a point."""

    kind: str
    ident: str
    name: str
    place: Place
    needs_4x4: bool = False

    @property
    def label(self) -> str:
        return self.name if self.kind == "point" else f"{self.name} ({self.ident})"


@dataclass(frozen=True)
class Leg:
    """A road leg or a sailing; times in minutes after midnight of the day."""

    kind: str
    start: str
    end: str
    depart_min: int
    arrive_min: int
    km: float = 0.0
    via: tuple[str, ...] = ()
    roads: tuple[str, ...] = ()
    fare_eur: float | None = None

    @property
    def minutes(self) -> int:
        return self.arrive_min - self.depart_min


@dataclass(frozen=True)
class Trip:
    """The answer for one kind of vehicle."""

    vehicle: str
    possible: bool
    reason: str = ""
    legs: tuple[Leg, ...] = field(default_factory=tuple)
    #: when the trip leaves (minutes after midnight): waiting for the first sailing counts.
    leave_min: int = 0

    @property
    def km(self) -> float:
        return round(sum(leg.km for leg in self.legs), 1)

    @property
    def minutes(self) -> int:
        return self.legs[-1].arrive_min - self.leave_min if self.legs else 0

    @property
    def sailings(self) -> int:
        return sum(1 for leg in self.legs if leg.kind == "sailing")


def _clock(minutes: int) -> str:
    day, minute = divmod(minutes, 24 * 60)
    return f"{minute // 60:02d}:{minute % 60:02d}" + (f"+{day}" if day else "")


def trips_to_dict(
    origin: Endpoint, destination: Endpoint, day: date, leave_min: int, trips: Sequence[Trip]
) -> dict[str, object]:
    """The answer as JSON (``GET /travel``, ``dromologio travel --json``); times ``HH:MM`` of the day."""

    def end(e: Endpoint) -> dict[str, object]:
        return {
            "kind": e.kind,
            "id": e.ident if e.kind != "point" else None,
            "name": e.name,
            "lat": e.place.lat,
            "lon": e.place.lon,
            "island": e.place.island,
        }

    def leg(x: Leg) -> dict[str, object]:
        found: dict[str, object] = {
            "kind": x.kind,
            "from": x.start,
            "to": x.end,
            "depart": _clock(x.depart_min),
            "arrive": _clock(x.arrive_min),
            "minutes": x.minutes,
        }
        if x.kind == "road":
            found |= {"km": round(x.km, 1), "via": list(x.via), "roads": list(x.roads)}
        else:
            found["fare_eur"] = x.fare_eur
        return found

    return {
        "from": end(origin),
        "to": end(destination),
        "date": day.isoformat(),
        "leave": _clock(leave_min),
        "vehicles": [
            {
                "vehicle": t.vehicle,
                "possible": t.possible,
                "reason": t.reason or None,
                "km": t.km if t.possible else None,
                "minutes": t.minutes if t.possible else None,
                "sailings": t.sailings,
                "legs": [leg(x) for x in t.legs],
            }
            for t in trips
        ],
    }


class EndpointError(LookupError):
    """``FROM`` or ``TO`` names nothing of the problem (``unknown``), or a point outside Greece."""

    def __init__(self, message: str, *, unknown: bool = True) -> None:
        super().__init__(message)
        self.unknown = unknown


def endpoint(problem: Problem, text: str) -> Endpoint:
    """A school, base or port id of the problem, or ``lat,lon`` (on the island of its nearest place)."""
    text = text.strip()
    school = problem.school_by_id.get(text)
    if school is not None:
        return Endpoint("school", text, school.name, school_place(school), school.needs_4x4)
    base = problem.base_by_id.get(text)
    if base is not None:
        return Endpoint("base", text, base.name, Place(base.lat, base.lon, base.island, "plain"))
    port = problem.port_by_id.get(text)
    if port is not None:
        return Endpoint("port", text, port.name, Place(port.lat, port.lon, port.island, "plain"))
    lat_text, comma, lon_text = text.partition(",")
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        comma = ""
    if not comma or not (math.isfinite(lat) and math.isfinite(lon)):
        raise EndpointError(f"'{text}' is no school, base or port id of the problem, nor a point 'lat,lon'")
    outside = check_in_greece(lat, lon)
    if outside is not None:
        raise EndpointError(f"the point {text}: {outside[1]} ({outside[2]})", unknown=False)
    return Endpoint("point", text, f"{lat:.5f},{lon:.5f}", Place(lat, lon, _island_near(problem, lat, lon)))


def _island_near(problem: Problem, lat: float, lon: float) -> str:
    """The island of the problem's place nearest to the point (the mainland when there is none)."""
    from .roads import _haversine_km

    places = [
        *((s.lat, s.lon, s.island) for s in problem.schools),
        *((b.lat, b.lon, b.island) for b in problem.bases),
        *((p.lat, p.lon, p.island) for p in problem.ports),
    ]
    if not places:
        return ""
    nearest = min(places, key=lambda p: float(_haversine_km(lat, lon, p[0], p[1])))
    return nearest[2]


def plan_trip(
    problem: Problem,
    origin: Endpoint,
    destination: Endpoint,
    day: date,
    *,
    leave_min: int = 8 * 60,
    closures: Sequence[Closure] = (),
    travel: TravelModel | None = None,
) -> list[Trip]:
    """The trip for each kind of vehicle (:data:`VEHICLES`), leaving ``origin`` at ``leave_min`` on ``day``."""
    model = travel or travel_model_for(problem)
    legs, reason = _legs(problem, origin, destination, day, leave_min, model)
    trips = []
    for vehicle in VEHICLES:
        barred = _barred(origin, destination, day, vehicle, closures)
        if barred:
            trips.append(Trip(vehicle, False, barred))
        elif legs is None:
            trips.append(Trip(vehicle, False, reason))
        else:
            trips.append(Trip(vehicle, True, "", tuple(legs), leave_min))
    return trips


def _barred(
    origin: Endpoint, destination: Endpoint, day: date, vehicle: str, closures: Sequence[Closure]
) -> str:
    for end in (origin, destination):
        if end.needs_4x4 and vehicle == "car":
            return f"{end.label} needs a 4x4 vehicle"
        if end.kind != "point":
            closure = closed_on(closures, end.ident, day, place=end.place, profile=vehicle)
            if closure is not None:
                return f"{end.label}: {closure.describe(day)}"
    return ""


def _describe(model: TravelModel, a: Place, b: Place) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Towns and trunk roads of the road trip, when the model is (or wraps) the embedded road model."""
    inner = getattr(model, "inner", model)
    if isinstance(inner, SettlementRoadModel):
        route = inner.route(a, b)
        if route is not None:
            return route.via, route.roads
    return (), ()


def _legs(
    problem: Problem, origin: Endpoint, destination: Endpoint, day: date, leave_min: int, model: TravelModel
) -> tuple[list[Leg] | None, str]:
    ports = list(problem.ports)
    places = [origin.place, destination.place, *(Place(p.lat, p.lon, p.island, "plain") for p in ports)]
    matrices = model.matrices(places)
    minutes = matrices.duration_s // 60
    km = matrices.distance_m / 1000.0
    names = [origin.label, destination.label, *(f"{p.name} ({p.port_id})" for p in ports)]

    def road(i: int, j: int, depart: int) -> Leg:
        via, roads = _describe(model, places[i], places[j])
        return Leg(
            "road", names[i], names[j], depart, depart + int(minutes[i, j]), float(km[i, j]), via, roads
        )

    if origin.place.island == destination.place.island:
        if not matrices.reachable(0, 1):
            return None, "no road joins the two places"
        return (
            [road(0, 1, leave_min)]
            if (origin.place.lat, origin.place.lon) != (destination.place.lat, destination.place.lon)
            else []
        ), ""
    check_in = problem.policy.ferry_check_in_min
    runs = [s for s in problem.sailings if s.runs_on(day)]
    index = {p.port_id: 2 + k for k, p in enumerate(ports)}
    # Earliest time at each port (place index) and how it was reached: the place before, the
    # sailing taken (its index in ``runs``, -1 for a road) and when that leg left.  Waiting at a
    # port is allowed, so the earliest times are exact (a time-dependent Dijkstra over ports).
    best: dict[int, int] = {}
    before: dict[int, tuple[int, int, int]] = {}
    queue: list[tuple[int, int, int, int, int]] = []
    for k in index.values():
        if places[k].island == origin.place.island and matrices.reachable(0, k):
            heapq.heappush(queue, (leave_min + int(minutes[0, k]), k, 0, -1, leave_min))
    while queue:
        at, here, previous, taken, left = heapq.heappop(queue)
        if here in best:
            continue
        best[here] = at
        before[here] = (previous, taken, left)
        island = places[here].island
        for n, sailing in enumerate(runs):
            if index.get(sailing.from_port) == here and at + check_in <= sailing.depart_min:
                there = index[sailing.to_port]
                if there not in best:
                    arrive = sailing.depart_min + sailing.duration_min
                    heapq.heappush(queue, (arrive, there, here, n, sailing.depart_min))
        for there in index.values():
            if (
                there not in best
                and places[there].island == island
                and there != here
                and matrices.reachable(here, there)
            ):
                heapq.heappush(queue, (at + int(minutes[here, there]), there, here, -1, at))
    arrivals = [
        (best[k] + int(minutes[k, 1]), k)
        for k in best
        if places[k].island == destination.place.island and matrices.reachable(k, 1)
    ]
    if not arrivals:
        where = destination.place.island or "the mainland"
        return None, f"no chain of sailings of {day:%a %Y-%m-%d} from {_clock(leave_min)} on reaches {where}"
    _, last = min(arrivals)
    legs = [road(last, 1, best[last])]
    here = last
    while here != 0:
        previous, taken, left = before[here]
        if taken < 0:
            legs.append(road(previous, here, left))
        else:
            chosen = runs[taken]
            arrive = left + chosen.duration_min
            legs.append(Leg("sailing", names[previous], names[here], left, arrive, fare_eur=chosen.fare_eur))
        here = previous
    legs.reverse()
    return [leg for leg in legs if not (leg.kind == "road" and leg.minutes == 0 and leg.km == 0)], ""
