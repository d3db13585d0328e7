"""A technician's day timed and priced from the contract alone, for the plan audit.

Nothing here reads the solver's numbers: a day is rebuilt from the schools it visits,
in order, with the travel model and the money rules that ``docs/problem-format.md``
and ``docs/costs.md`` write down, and the result is an ordinary
:class:`~dromologio.models.plan.Route` that the checker can verify.

Travel (:class:`Travel`)
    A move by road between two points on one island (or both on the mainland) takes the
    road km and minutes of the travel model the caller gives (:data:`RoadTimes`: the
    solver's own, so that the audit and the plan agree), else of the contract's estimate:
    the great-circle distance (the checker's :func:`~dromologio.models.checker.haversine_km`)
    times the policy's ``road_circuity``, at the policy's ``road_speed_kmh``, both of the
    rougher terrain of the two ends (bases and ports are ``plain``), rounded up to whole
    minutes.  A move across water is the earliest
    chain of timetabled sailings that run on the day, each boarded at least
    ``ferry_check_in_min`` before it departs and arriving within the day, with road
    moves to, between and from the ports.  Waiting is always allowed, so the earliest
    arrival at every stop is the best one for keeping every later rule.

A day (:func:`time_day`)
    Leaves its start at the shift start (moved later when that changes nothing), and at
    each school works ``visit_setup_min`` plus the service minutes of its tickets, after
    it opens, after each ticket was opened, and before it closes; returns to its end
    within the shift, or within the overtime the employer allows a day
    (``overtime_max_min_per_day``), and drives no more than ``max_km_per_day``.

Money (:func:`price_route`), the contract's objective for one route
    road km x the technician's rate per km (own ``cost_per_km``, else the employer's
    rate for its ``vehicle``, else the employer's ``cost_per_km_eur``) + tolls
    (``toll_eur_per_km``) + the fares of its sailings + the per diem and overnight
    allowance of ``docs/costs.md`` + minutes after the shift's end x ``overtime_eur_per_hour`` / 60
    + hours driving x ``time_value_eur_per_hour`` +
    ``outside_directorate_eur`` per visit outside the technician's own Directorate(s) +
    ``outside_zone_eur`` per visit outside its home zone +
    ``second_visit_eur`` per visit that does not serve its school's first ticket
    (:func:`visits_eur`).  Its ``work_minutes`` (service minutes of its tickets plus time
    aboard) feed the workload term, and :func:`day_values` gives the value of a ticket
    left undone (its own value, :func:`ticket_value_eur`, above its priority tier's floor).
    These rules are re-derived from the documents; ``dispatch/costs.py`` (``km_rate``,
    ``per_diem_eur``) and ``dispatch/value.py`` hold the solver's own copies.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .checker import haversine_km
from .plan import LunchBreak, Route, Stop, overtime_minutes
from .policy import Policy
from .problem import Problem, Sailing, School, Technician, Ticket
from .service_columns import home_zone, outside_zone_eur, school_zone
from .vocab import TERRAINS, WEEKDAYS

#: Minutes in a day: every instant of a route lies on the route's date.
DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class Point:
    """A place a technician can be: where, on which island (empty: mainland), which terrain."""

    lat: float
    lon: float
    island: str = ""
    terrain: str = "plain"


@dataclass(frozen=True)
class Crossing:
    """One sailing taken, in minutes of the day."""

    sailing: Sailing
    depart: int
    arrive: int


@dataclass(frozen=True)
class Move:
    """Getting from one stop to the next: when it arrives, its road km and minutes, its sailings.

    ``lead_minutes`` is the road time before the first sailing is boarded (all of
    ``road_minutes`` for a move by road alone).
    """

    arrive: int
    road_km: float
    road_minutes: int
    crossings: tuple[Crossing, ...] = ()
    lead_minutes: int = 0


def school_point(school: School) -> Point:
    return Point(school.lat, school.lon, school.island, school.terrain)


def _rougher(a: str, b: str) -> str:
    return a if TERRAINS.index(a) >= TERRAINS.index(b) else b


#: Road km and whole minutes from one point to another on the same island (or both on the
#: mainland), by the caller's travel model; the audit's own estimate when none is given.
RoadTimes = Callable[[Point, Point], tuple[float, int]]


class Travel:
    """Moves by road and by the day's timetabled sailings (see the module docstring).

    ``road``: the road times of the caller's travel model (the solver's); None: the estimate.
    """

    def __init__(self, problem: Problem, day: date, road: RoadTimes | None = None) -> None:
        self.problem = problem
        self.day = day
        self.road_times = road
        policy = problem.policy
        self.speed = policy.road_speed_kmh
        self.circuity = policy.road_circuity
        self.check_in = policy.ferry_check_in_min
        weekday = WEEKDAYS[day.weekday()]
        self.departures: dict[str, list[Sailing]] = defaultdict(list)
        for sailing in problem.sailings:
            if weekday in sailing.days and sailing.depart_min + sailing.duration_min < DAY_MINUTES:
                self.departures[sailing.from_port].append(sailing)
        for line in self.departures.values():
            line.sort(key=lambda s: s.depart_min)
        self._depart_minutes = {port: [s.depart_min for s in line] for port, line in self.departures.items()}
        self.port_point = {p.port_id: Point(p.lat, p.lon, p.island) for p in problem.ports}
        self.ports_on: dict[str, list[str]] = defaultdict(list)
        for port in problem.ports:
            self.ports_on[port.island].append(port.port_id)
        self._road: dict[tuple[Point, Point], tuple[float, int]] = {}
        self._moves: dict[tuple[Point, int, Point], Move | None] = {}
        self._linked: dict[str, frozenset[str]] = {}
        self._fares: dict[tuple[str, str, int], float] = {}
        self._first: frozenset[str] | None = None

    @property
    def first_tickets(self) -> frozenset[str]:
        """Per school, the ticket a visit there should serve (:func:`first_tickets`)."""
        if self._first is None:
            self._first = first_tickets(self.problem)
        return self._first

    # ------------------------------------------------------------------ road

    def road(self, a: Point, b: Point) -> tuple[float, int]:
        """Road km and whole minutes from ``a`` to ``b`` (same island)."""
        key = (a, b)
        found = self._road.get(key)
        if found is None:
            if (a.lat, a.lon) == (b.lat, b.lon):
                found = (0.0, 0)
            elif self.road_times is not None:
                found = self.road_times(a, b)
            else:
                terrain = _rougher(a.terrain, b.terrain)
                km = haversine_km(a.lat, a.lon, b.lat, b.lon) * self.circuity[terrain]
                found = (km, math.ceil(km / self.speed[terrain] * 60.0 - 1e-9))
            self._road[key] = found
        return found

    # ------------------------------------------------------------------ water

    def islands_linked(self, island: str) -> frozenset[str]:
        """Islands reachable from ``island`` by the day's sailings at all (times aside)."""
        found = self._linked.get(island)
        if found is None:
            seen = {island}
            todo = [island]
            while todo:
                here = todo.pop()
                for port in self.ports_on.get(here, ()):
                    for sailing in self.departures.get(port, ()):
                        there = self.port_point[sailing.to_port].island
                        if there not in seen:
                            seen.add(there)
                            todo.append(there)
            found = frozenset(seen)
            self._linked[island] = found
        return found

    def move(self, a: Point, leave: int, b: Point) -> Move | None:
        """The earliest way from ``a`` (left at minute ``leave``) to ``b``; None when there is none today."""
        if a.island == b.island:
            km, minutes = self.road(a, b)
            return Move(leave + minutes, km, minutes, (), minutes)
        key = (a, leave, b)
        if key not in self._moves:
            self._moves[key] = self._cross(a, leave, b)
        return self._moves[key]

    def _cross(self, a: Point, leave: int, b: Point) -> Move | None:
        """Earliest arrival over the day's sailings (Dijkstra on ports; fares break ties)."""
        if b.island not in self.islands_linked(a.island):
            return None
        # label per port: (minute ready at the port, fares so far, road km so far)
        best: dict[str, tuple[int, float, float]] = {}
        back: dict[str, tuple[str | None, Sailing | None]] = {}
        heap: list[tuple[int, float, float, str]] = []

        def reach(
            port: str, label: tuple[int, float, float], came: tuple[str | None, Sailing | None]
        ) -> None:
            if port not in best or label < best[port]:
                best[port] = label
                back[port] = came
                heapq.heappush(heap, (*label, port))

        for port in self.ports_on.get(a.island, ()):
            km, minutes = self.road(a, self.port_point[port])
            reach(port, (leave + minutes, 0.0, km), (None, None))
        done: set[str] = set()
        while heap:
            ready, fares, km, port = heapq.heappop(heap)
            if port in done or (ready, fares, km) != best[port]:
                continue
            done.add(port)
            here = self.port_point[port]
            line = self.departures.get(port, [])
            first = bisect.bisect_left(self._depart_minutes.get(port, []), ready + self.check_in)
            for sailing in line[first:]:
                arrive = sailing.depart_min + sailing.duration_min
                reach(sailing.to_port, (arrive, fares + (sailing.fare_eur or 0.0), km), (port, sailing))
            for other in self.ports_on.get(here.island, ()):
                if other != port:
                    more_km, minutes = self.road(here, self.port_point[other])
                    reach(other, (ready + minutes, fares, km + more_km), (port, None))
        finish: tuple[int, float, float, str] | None = None
        for port in self.ports_on.get(b.island, ()):
            if port not in best or back[port][0] is None:
                continue  # a port of b's island reached without sailing is a's island: not a crossing
            ready, fares, km = best[port]
            more_km, minutes = self.road(self.port_point[port], b)
            candidate = (ready + minutes, fares, km + more_km, port)
            if finish is None or candidate < finish:
                finish = candidate
        if finish is None:
            return None
        cursor: str | None = finish[3]
        hops: list[Sailing | None] = []
        while cursor is not None:
            cursor, hop = back[cursor]
            hops.append(hop)
        hops.reverse()
        return self._assemble(a, leave, b, hops)

    def _assemble(self, a: Point, leave: int, b: Point, hops: list[Sailing | None]) -> Move | None:
        """The chain's move, driving straight from each place to the next port (as the checker does)."""
        here = a
        ready = leave
        road_km = 0.0
        road_minutes = 0
        lead = 0
        crossings: list[Crossing] = []
        for hop in hops:
            if hop is None:
                continue
            port = self.port_point[hop.from_port]
            km, minutes = self.road(here, port)
            road_km += km
            road_minutes += minutes
            if not crossings:
                lead = road_minutes
            if ready + minutes > hop.depart_min - self.check_in:
                return None
            arrive = hop.depart_min + hop.duration_min
            crossings.append(Crossing(hop, hop.depart_min, arrive))
            here, ready = self.port_point[hop.to_port], arrive
        if not crossings:
            return None
        km, minutes = self.road(here, b)
        return Move(ready + minutes, road_km + km, road_minutes + minutes, tuple(crossings), lead)

    def fare(self, from_port: str, to_port: str, depart_min: int) -> float:
        """The fare of a sailing by its ports and departure: one running today first (0 when none)."""
        key = (from_port, to_port, depart_min)
        if key not in self._fares:
            matches = [s for s in self.problem.sailings if (s.from_port, s.to_port, s.depart_min) == key]
            running = [s for s in matches if WEEKDAYS[self.day.weekday()] in s.days]
            chosen = (running or matches)[:1]
            self._fares[key] = (chosen[0].fare_eur or 0.0) if chosen else 0.0
        return self._fares[key]


# ---------------------------------------------------------------------- a day


@dataclass(frozen=True)
class Visit:
    """A stop at one school for some of its tickets."""

    school_id: str
    ticket_ids: tuple[str, ...]


@dataclass(frozen=True)
class Day:
    """Where a technician's day begins and ends (its base, or a lodging away)."""

    technician: Technician
    date: date
    start: Point
    end: Point
    start_lodging: bool = False
    end_lodging: bool = False


def _minute(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def _instant(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(minutes=minutes)


def stop_point(problem: Problem, technician: Technician, stop: Stop) -> Point | None:
    """Where a located stop is (None for a ferry or an unknown school)."""
    if stop.type == "visit":
        school = problem.school_by_id.get(stop.school_id or "")
        return school_point(school) if school is not None else None
    if stop.type == "ferry" or stop.lat is None or stop.lon is None:
        return None
    island = (stop.island or "") if stop.lodging else problem.base_of(technician).island
    return Point(stop.lat, stop.lon, island)


def day_of(problem: Problem, technician: Technician, day: date, route: Route | None) -> Day | None:
    """The day's frame of ``route`` (its start and end), or of a day at home without one."""
    if route is None:
        base = problem.base_of(technician)
        home = Point(base.lat, base.lon, base.island)
        return Day(technician, day, home, home)
    if len(route.stops) < 2 or route.stops[0].type != "start" or route.stops[-1].type != "end":
        return None
    first, last = route.stops[0], route.stops[-1]
    start = stop_point(problem, technician, first)
    end = stop_point(problem, technician, last)
    if start is None or end is None:
        return None
    return Day(technician, day, start, end, first.lodging, last.lodging)


def visits_of(route: Route | None) -> tuple[Visit, ...]:
    if route is None:
        return ()
    return tuple(Visit(s.school_id or "", tuple(s.ticket_ids)) for s in route.visits)


@dataclass(frozen=True)
class Stay:
    """A visit as timed: the move that reaches it, work begins and ends (minutes of the day)."""

    move: Move
    visit: Visit
    begin: int
    end: int


class Schedule:
    """A timed day: its visits in order, the way home, when it leaves and comes back.

    :meth:`price` prices it exactly as :func:`price_route` prices :meth:`route`, without
    building the route.
    """

    def __init__(
        self,
        problem: Problem,
        travel: Travel,
        day: Day,
        stays: tuple[Stay, ...],
        home: Move,
        depart: int,
        finish: int,
        lunch: int | None = None,
    ) -> None:
        self.problem = problem
        self.travel = travel
        self.day = day
        self.stays = stays
        self.home = home
        self.depart = depart
        self.finish = finish
        #: when the lunch break starts (minutes of the day); None: the day takes none.
        self.lunch = lunch
        self._price: Price | None = None

    @property
    def visits(self) -> tuple[Visit, ...]:
        return tuple(s.visit for s in self.stays)

    @property
    def moves(self) -> tuple[Move, ...]:
        return (*(s.move for s in self.stays), self.home)

    @property
    def road_km(self) -> float:
        return sum(m.road_km for m in self.moves)

    def visit_ends(self) -> list[int]:
        return [s.end for s in self.stays]

    def price(self) -> Price:
        if self._price is None:
            crossings = [c for m in self.moves for c in m.crossings]
            schools = [self.problem.school_by_id[s.visit.school_id] for s in self.stays]
            self._price = _price(
                self.problem,
                self.day.technician,
                road_km=self.road_km,
                driving=sum(m.road_minutes for m in self.moves),
                fares=sum(
                    self.travel.fare(c.sailing.from_port, c.sailing.to_port, c.depart) for c in crossings
                ),
                aboard=sum(c.arrive - c.depart for c in crossings),
                tickets=[t for s in self.stays for t in s.visit.ticket_ids],
                schools=schools,
                visits=[(s.visit.school_id, s.visit.ticket_ids) for s in self.stays],
                first=self.travel.first_tickets,
                hours=(max(self.finish, self.depart) - self.depart) / 60.0,
                start_lodging=self.day.start_lodging,
                end_lodging=self.day.end_lodging,
                overtime_min=self.overtime_min,
            )
        return self._price

    @property
    def overtime_min(self) -> int:
        """Minutes the day ends after the technician's shift ends (a crossing to a lodging allowed
        outside the shift not counted)."""
        technician = self.day.technician
        crossing = self.problem.policy.for_employer(technician.employer).crossing_outside_shift_min
        grace = int(crossing) if self.day.end_lodging else 0
        return max(0, max(self.finish, self.depart) - technician.shift_end_min - grace)

    def route(self) -> Route:
        """The day as a plan route, money filled in."""
        d = self.day.date
        day = self.day
        stops: list[Stop] = [
            Stop(
                "start",
                lat=day.start.lat,
                lon=day.start.lon,
                depart=_instant(d, self.depart),
                lodging=day.start_lodging,
                island=day.start.island if day.start_lodging else None,
            )
        ]
        for k, stay in enumerate(self.stays):
            move = stay.move
            stops += _ferry_stops(d, move)
            arrive = move.arrive
            if k == 0 and not move.crossings:
                arrive = self.depart + move.road_minutes
            school = self.problem.school_by_id[stay.visit.school_id]
            stops.append(
                Stop(
                    "visit",
                    lat=school.lat,
                    lon=school.lon,
                    school_id=school.school_id,
                    ticket_ids=stay.visit.ticket_ids,
                    arrive=_instant(d, arrive),
                    start=_instant(d, stay.begin),
                    end=_instant(d, stay.end),
                )
            )
        stops += _ferry_stops(d, self.home)
        stops.append(
            Stop(
                "end",
                lat=day.end.lat,
                lon=day.end.lon,
                arrive=_instant(d, max(self.finish, self.depart)),
                lodging=day.end_lodging,
                island=day.end.island if day.end_lodging else None,
            )
        )
        minutes = sum(m.road_minutes + sum(c.arrive - c.depart for c in m.crossings) for m in self.moves)
        price = self.price()
        return Route(
            day.technician.technician_id,
            d,
            tuple(stops),
            round(self.road_km, 1),
            minutes,
            round(sum(price.parts.values()), 2),
            dict(price.parts),
            self.overtime_min,
            self._lunch_break(),
        )

    def _lunch_break(self) -> LunchBreak | None:
        if self.lunch is None:
            return None
        length = self.problem.policy.for_employer(self.day.technician.employer).lunch_break_min
        return LunchBreak(_instant(self.day.date, self.lunch), _instant(self.day.date, self.lunch + length))


#: where a day's lunch break goes: ("before", k) where the technician is, before the move to
#: visit k (k = the number of visits: the move home); ("port", k) at the port, waiting for the first
#: sailing of that move; ("arrive", k) on arriving at visit k, before work; ("within", k) between two
#: tickets of visit k; ("back", 0) once back.
_LunchPlace = tuple[str, int]


@dataclass(frozen=True)
class _Lunch:
    """A lunch break to place: where, its window (minutes of the day), its length, and the guard
    kept free after it on the way (a visit's setup, as the solver's model keeps it)."""

    place: _LunchPlace
    earliest: int
    latest_end: int
    length: int
    guard: int

    def starts(self, clock: int) -> int | None:
        """When a break that may start from ``clock`` starts, or None when it no longer fits."""
        start = max(clock, self.earliest)
        return start if start + self.length <= self.latest_end else None

    def at_port(self, move: Move, clock: int, check_in: int) -> int | None:
        """The break while waiting at the port of ``move``'s first sailing (left at ``clock``)."""
        if not move.crossings:
            return None
        depart = move.crossings[0].depart
        start = self.starts(clock + move.lead_minutes)
        if start is None or start + self.length + self.guard > depart:
            return None
        if depart - clock < move.lead_minutes + check_in + self.length + self.guard:
            return None
        return start


def time_day(problem: Problem, travel: Travel, day: Day, visits: Sequence[Visit]) -> Schedule | None:
    """The day that serves ``visits`` in this order as early as the rules allow, or None.

    None when a school cannot be reached, or worked at, within its hours, the shift
    cannot hold the day, or the km cap is passed.  When the employer's policy asks for a
    lunch break (``lunch_break_min``) and the day has visits, the break is tried at every
    place it can go (before each move, at the port waiting for a sailing, on arriving at each
    school, between two tickets at one school, once back) and the day that ends earliest is kept; None when it fits nowhere.  A
    break taken on the way keeps ``visit_setup_min`` more free, as the solver's model does.
    """
    policy = problem.policy.for_employer(day.technician.employer)
    span = policy.lunch_span_min(day.technician.shift_start_min, day.technician.shift_end_min)
    if span is None or not visits:
        return _timed(problem, travel, day, visits, None)
    moves = range(len(visits) + 1)
    places: list[_LunchPlace] = [("before", k) for k in moves] + [("port", k) for k in moves]
    places += [("arrive", k) for k in range(len(visits))] + [("back", 0)]
    places += [("within", k) for k, visit in enumerate(visits) if len(visit.ticket_ids) > 1]
    best: Schedule | None = None
    for place in places:
        lunch = _Lunch(place, span[0], span[1], policy.lunch_break_min, problem.policy.visit_setup_min)
        timed = _timed(problem, travel, day, visits, lunch)
        if timed is not None and (best is None or timed.finish < best.finish):
            best = timed
    return best


def _pause_within(problem: Problem, visit: Visit, work_from: int, lunch: _Lunch) -> tuple[int, int] | None:
    """The break between two tickets of one visit whose work starts at ``work_from``: when it starts,
    and the minutes it adds to the visit (waiting for the window, the break, its guard); None when
    it fits between none of them."""
    services = [problem.ticket_by_id[t].service_minutes for t in visit.ticket_ids]
    between = [work_from + sum(services[:j]) for j in range(1, len(services))]
    if not between:
        return None
    # The last boundary before the window opens, else the first one in it.
    ready = [c for c in between if c <= lunch.earliest]
    boundary = max(ready) if ready else min(between)
    start = lunch.starts(boundary)
    if start is None:
        return None
    return start, start - boundary + lunch.length + lunch.guard


def _timed(
    problem: Problem, travel: Travel, day: Day, visits: Sequence[Visit], lunch: _Lunch | None
) -> Schedule | None:
    """The day in this order as early as the rules allow, with the lunch break where ``lunch``
    says; None when it cannot be."""
    technician = day.technician
    policy = problem.policy
    crossing = int(policy.for_employer(technician.employer).crossing_outside_shift_min)
    shift_start = technician.shift_start_min - (crossing if day.start_lodging else 0)
    shift_end = latest_return_min(problem, technician)
    clock = shift_start
    here = day.start
    stays: list[Stay] = []
    road_km = 0.0
    schools = problem.school_by_id
    tickets = problem.ticket_by_id
    place = lunch.place if lunch is not None else ("", -1)
    lunch_start: int | None = None
    first_leave = clock
    for k in range(len(visits) + 1):
        if lunch is not None and place == ("before", k):
            lunch_start = lunch.starts(clock)
            if lunch_start is None:
                return None
            clock = lunch_start + lunch.length + lunch.guard
        if k == 0:
            first_leave = clock
        if k == len(visits):
            break
        visit = visits[k]
        school = schools.get(visit.school_id)
        if school is None:
            return None
        target = school_point(school)
        move = travel.move(here, clock, target)
        if move is None:
            return None
        if lunch is not None and place == ("port", k):
            lunch_start = lunch.at_port(move, clock, travel.check_in)
            if lunch_start is None:
                return None
        begin = max(move.arrive, school.opens_min)
        if lunch is not None and place == ("arrive", k):
            lunch_start = lunch.starts(move.arrive)
            if lunch_start is None:
                return None
            begin = max(begin, lunch_start + lunch.length, move.arrive + lunch.length + lunch.guard)
        work = policy.visit_setup_min
        for ticket_id in visit.ticket_ids:
            ticket = tickets[ticket_id]
            work += ticket.service_minutes
            if ticket.opened_at.date() >= day.date:
                begin = max(begin, _opened_minute(ticket, day.date))
        if lunch is not None and place == ("within", k):
            pause = _pause_within(problem, visit, begin + policy.visit_setup_min, lunch)
            if pause is None:
                return None
            lunch_start, paused = pause
            work += paused
        end = begin + work
        if end > school.closes_min or end > shift_end:
            return None
        stays.append(Stay(move, visit, begin, end))
        road_km += move.road_km
        clock, here = end, target
    home = travel.move(here, clock, day.end)
    if home is None:
        return None
    if lunch is not None and place == ("port", len(visits)):
        lunch_start = lunch.at_port(home, clock, travel.check_in)
        if lunch_start is None:
            return None
    road_km += home.road_km
    finish = home.arrive if stays or here != day.end else clock
    if finish > min(DAY_MINUTES - 1, shift_end + (crossing if day.end_lodging else 0)):
        return None
    if lunch is not None and place[0] == "back":
        lunch_start = lunch.starts(finish)
        if lunch_start is None:
            return None
    cap = technician.max_km_per_day
    if cap is not None and round(road_km, 1) > cap:
        return None
    depart = max(
        first_leave, _latest_departure(stays[0] if stays else None, home, shift_start, travel.check_in)
    )
    if lunch_start is not None and stays and place in (("arrive", 0), ("port", 0)):
        # Reach the first school (or port) by the break: the drive never runs into it.
        first = stays[0].move
        if place == ("port", 0) or not first.crossings:
            depart = min(depart, max(first_leave, lunch_start - first.lead_minutes))
    return Schedule(problem, travel, day, tuple(stays), home, depart, finish, lunch_start)


def latest_return_min(problem: Problem, technician: Technician) -> int:
    """The latest a route of the technician may end: the shift's end plus the overtime its
    employer allows a day (minutes of the day, before midnight)."""
    overtime = int(problem.policy.for_employer(technician.employer).overtime_max_min_per_day)
    return min(DAY_MINUTES - 1, technician.shift_end_min + overtime)


def _opened_minute(ticket: Ticket, day: date) -> int:
    """The first minute of ``day`` the ticket exists (past the day when opened later)."""
    opened = ticket.opened_at
    if opened.date() < day:
        return 0
    if opened.date() > day:
        return DAY_MINUTES
    return _minute(opened) + (1 if opened.second or opened.microsecond else 0)


def _latest_departure(first: Stay | None, home: Move, shift_start: int, check_in: int) -> int:
    """Leave as late as keeps the first fixed moment (first sailing, or first visit's start)."""
    move = first.move if first is not None else home
    if move.crossings:
        needed = move.crossings[0].depart - check_in
    elif first is not None:
        needed = first.begin
    else:
        return shift_start
    return max(shift_start, needed - move.lead_minutes)


def _ferry_stops(day: date, move: Move) -> list[Stop]:
    return [
        Stop(
            "ferry",
            from_port=c.sailing.from_port,
            to_port=c.sailing.to_port,
            depart=_instant(day, c.depart),
            arrive=_instant(day, c.arrive),
        )
        for c in move.crossings
    ]


# ---------------------------------------------------------------------- money


@dataclass(frozen=True)
class Price:
    """A route's part of the objective, in EUR, and its work for the workload term."""

    distance_eur: float = 0.0
    tolls_eur: float = 0.0
    ferry_eur: float = 0.0
    per_diem_eur: float = 0.0
    overnight_eur: float = 0.0
    overtime_eur: float = 0.0
    time_eur: float = 0.0
    #: visits outside the technician's own Directorate(s) and visits beyond a school's first.
    visits_eur: float = 0.0
    road_km: float = 0.0
    driving_minutes: int = 0
    work_minutes: int = 0
    #: the non-zero money parts, rounded to cents (as a route's ``costs``).
    parts: Mapping[str, float] = field(default_factory=dict, compare=False)

    @property
    def money_eur(self) -> float:
        """What the route costs to pay for (the route's ``cost_eur``)."""
        return (
            self.distance_eur
            + self.tolls_eur
            + self.ferry_eur
            + self.per_diem_eur
            + self.overnight_eur
            + self.overtime_eur
        )

    @property
    def objective_eur(self) -> float:
        """Money plus the value of the time spent driving and the cost of the visits."""
        return self.money_eur + self.time_eur + self.visits_eur


def km_rate(problem: Problem, technician: Technician) -> float:
    """EUR per road km: own ``cost_per_km``, else the employer's rate for the ``vehicle``, else
    the employer's ``cost_per_km_eur`` (docs/costs.md)."""
    if technician.cost_per_km is not None:
        return technician.cost_per_km
    policy = problem.policy.for_employer(technician.employer)
    vehicle = technician.extra.get("vehicle", "").strip().lower()
    if vehicle and vehicle in policy.vehicle_rates:
        return float(policy.vehicle_rates[vehicle])
    return policy.cost_per_km_eur


def price_route(problem: Problem, travel: Travel, route: Route | None) -> Price:
    """The route's part of the objective, from its stops alone (nothing for no route)."""
    if route is None or not route.stops:
        return Price()
    technician = problem.technician_by_id[route.technician_id]
    road_km = 0.0
    driving = 0
    aboard = 0
    fares = 0.0
    previous: Point | None = None
    for stop in route.stops:
        if stop.type == "ferry":
            origin = travel.port_point.get(stop.from_port or "")
            target = travel.port_point.get(stop.to_port or "")
            if previous is not None and origin is not None:
                km, minutes = travel.road(previous, origin)
                road_km, driving = road_km + km, driving + minutes
            previous = target
            if stop.depart is not None:
                fares += travel.fare(stop.from_port or "", stop.to_port or "", _minute(stop.depart))
                if stop.arrive is not None:
                    aboard += int((stop.arrive - stop.depart).total_seconds() // 60)
            continue
        point = stop_point(problem, technician, stop)
        if point is not None and previous is not None:
            km, minutes = travel.road(previous, point)
            road_km, driving = road_km + km, driving + minutes
        previous = point
    first, last = route.stops[0], route.stops[-1]
    hours = 0.0
    if first.depart is not None and last.arrive is not None:
        hours = max(0.0, (last.arrive - first.depart).total_seconds() / 3600.0)
    return _price(
        problem,
        technician,
        road_km=road_km,
        driving=driving,
        fares=fares,
        aboard=aboard,
        tickets=[t for t in route.ticket_ids if t in problem.ticket_by_id],
        schools=[s for v in route.visits if (s := problem.school_by_id.get(v.school_id or ""))],
        visits=[(v.school_id or "", v.ticket_ids) for v in route.visits],
        first=travel.first_tickets,
        hours=hours,
        start_lodging=first.lodging,
        end_lodging=last.lodging,
        overtime_min=overtime_minutes(
            route,
            technician.shift_end_min,
            int(problem.policy.for_employer(technician.employer).crossing_outside_shift_min),
        ),
    )


def _price(
    problem: Problem,
    technician: Technician,
    *,
    road_km: float,
    driving: int,
    fares: float,
    aboard: int,
    tickets: Sequence[str],
    schools: Sequence[School],
    visits: Sequence[tuple[str, Sequence[str]]],
    first: frozenset[str],
    hours: float,
    start_lodging: bool,
    end_lodging: bool,
    overtime_min: int = 0,
) -> Price:
    rules = problem.policy.for_employer(technician.employer)
    base = problem.base_of(technician)
    per_diem = 0.0
    if start_lodging or end_lodging:
        per_diem = rules.per_diem_eur
    elif schools and hours >= rules.per_diem_min_hours:
        farthest = max(haversine_km(base.lat, base.lon, s.lat, s.lon) for s in schools)
        if farthest > rules.per_diem_min_km:
            per_diem = rules.per_diem_eur * rules.per_diem_same_day_share
    parts = {
        "distance_eur": road_km * km_rate(problem, technician),
        "tolls_eur": road_km * rules.toll_eur_per_km,
        "ferry_eur": fares,
        "per_diem_eur": per_diem,
        "overnight_eur": rules.overnight_eur if end_lodging else 0.0,
        "overtime_eur": overtime_min * rules.overtime_eur_per_hour / 60.0,
    }
    service = sum(problem.ticket_by_id[t].service_minutes for t in tickets)
    return Price(
        **parts,
        time_eur=driving / 60.0 * problem.policy.time_value_eur_per_hour,
        visits_eur=visits_eur(problem, technician, visits, first),
        road_km=road_km,
        driving_minutes=driving,
        work_minutes=service + aboard,
        parts={k: round(v, 2) for k, v in parts.items() if round(v, 2)},
    )


def ticket_value_eur(ticket: Ticket, day: date, policy: Policy) -> float:
    """A ticket's own value on ``day``: priority value x age factor x due factor.

    Age factor: 1 + ``age_bonus_per_day`` per day open at the start of ``day``, at most
    ``max_age_factor``; due factor: ``overdue_factor`` when ``due_by`` is by the end of
    ``day``, ``due_soon_factor`` within ``due_soon_hours`` after it, else 1.  What leaving
    it undone costs adds the floor of its priority tier (:func:`day_values`).
    """
    day_start = datetime.combine(day, time())
    day_end = day_start + timedelta(days=1)
    days_open = max(0.0, (day_start - ticket.opened_at).total_seconds() / 86400.0)
    age = min(policy.max_age_factor, 1.0 + policy.age_bonus_per_day * days_open)
    due = 1.0
    if ticket.due_by is not None:
        if ticket.due_by <= day_end:
            due = policy.overdue_factor
        elif ticket.due_by <= day_end + timedelta(hours=policy.due_soon_hours):
            due = policy.due_soon_factor
    return policy.priority_value_eur[ticket.priority] * age * due


#: priorities from the lowest tier up.
TIERS = ("low", "normal", "high", "urgent")
#: the most a ticket is worth, in EUR (docs/problem-format.md, ``priority_mode``).
MAX_VALUE_EUR = 1e10


def day_cost_bound_eur(problem: Problem, day: date) -> float:
    """The most the routes of ``day`` could add to the objective (``priority_mode`` in
    docs/problem-format.md): per technician, the whole shift driven at the fastest road
    speed, a per diem, an outside-Directorate visit and a second visit at every visit the
    shift has time for, a night away, the dearest fare on every sailing the shift has time
    for; and the longest shift at ``balance_eur_per_hour``."""
    policy = problem.policy
    tickets = [t for t in problem.tickets if t.needs_visit]
    if not tickets or not problem.technicians:
        return 0.0
    fastest = max(policy.road_speed_kmh.values())
    schools = len({t.school_id for t in tickets})
    shortest_visit = max(1, policy.visit_setup_min + min(t.service_minutes for t in tickets))
    sailings = [s for s in problem.sailings if s.runs_on(day)]
    dearest = max((s.fare_eur or 0.0 for s in sailings), default=0.0)
    shortest_crossing = max(1, policy.ferry_check_in_min + min((s.duration_min for s in sailings), default=0))
    total = 0.0
    longest = 0.0
    for technician in problem.technicians:
        rules = policy.for_employer(technician.employer)
        overtime = int(rules.overtime_max_min_per_day)
        minutes = technician.shift_end_min - technician.shift_start_min + overtime
        hours = minutes / 60.0
        total += overtime / 60.0 * rules.overtime_eur_per_hour
        visits = min(schools, minutes // shortest_visit)
        crossings = min(len(sailings), minutes // shortest_crossing)
        total += hours * (fastest * (km_rate(problem, technician) + rules.toll_eur_per_km))
        total += hours * policy.time_value_eur_per_hour
        total += visits * (
            rules.per_diem_eur
            + policy.outside_directorate_eur
            + outside_zone_eur(problem)
            + policy.second_visit_eur
        )
        total += rules.overnight_eur + rules.per_diem_eur + crossings * dearest
        longest = max(longest, hours)
    return total + longest * policy.balance_eur_per_hour


@dataclass(frozen=True)
class DayValues:
    """What leaving each ticket undone on one day costs: the floor of its tier + its own value."""

    day: date
    policy: Policy
    floors: Mapping[str, float]

    def value_eur(self, ticket: Ticket) -> float:
        return min(
            MAX_VALUE_EUR, self.floors[ticket.priority] + ticket_value_eur(ticket, self.day, self.policy)
        )


def day_values(problem: Problem, day: date) -> DayValues:
    """The values of ``problem``'s tickets on ``day`` under its ``priority_mode``: ``weighted``, no
    floors; ``urgent_first``, urgent tickets above the sum of every other ticket's own value (and a
    second visit each) plus :func:`day_cost_bound_eur`; ``strict_tiers``, each priority so above all
    lower ones (their floors included)."""
    policy = problem.policy
    floors = dict.fromkeys(TIERS, 0.0)
    if policy.priority_mode != "weighted":
        own = dict.fromkeys(TIERS, 0.0)
        count = dict.fromkeys(TIERS, 0)
        for ticket in problem.tickets:
            if ticket.needs_visit:
                own[ticket.priority] += ticket_value_eur(ticket, day, policy) + policy.second_visit_eur
                count[ticket.priority] += 1
        bound = day_cost_bound_eur(problem, day)
        if policy.priority_mode == "urgent_first":
            floors["urgent"] = min(MAX_VALUE_EUR, sum(own[p] for p in TIERS[:-1]) + bound)
        else:
            below = 0.0
            for position, tier in enumerate(TIERS):
                if position:
                    floors[tier] = min(MAX_VALUE_EUR, below + bound)
                below += own[tier] + count[tier] * floors[tier]
    return DayValues(day, policy, floors)


def first_tickets(problem: Problem) -> frozenset[str]:
    """Per school, the ticket a visit there should serve: of its tickets that need a visit, one
    some technician has the skill (and 4x4) for, of the highest priority, opened first, smallest id."""

    def rank(ticket: Ticket) -> tuple[bool, int, datetime, str]:
        needs_4x4 = problem.school_by_id[ticket.school_id].needs_4x4
        servable = any(ticket.skill in t.skills and (t.has_4x4 or not needs_4x4) for t in problem.technicians)
        return (not servable, -TIERS.index(ticket.priority), ticket.opened_at, ticket.ticket_id)

    first: dict[str, str] = {}
    for ticket in sorted((t for t in problem.tickets if t.needs_visit), key=rank):
        first.setdefault(ticket.school_id, ticket.ticket_id)
    return frozenset(first.values())


def _directorate_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def own_directorates(problem: Problem, technician: Technician) -> frozenset[str]:
    """The technician's own Directorates: its base's ``directorate`` and its ``directorates`` list."""
    names = [problem.base_of(technician).extra.get("directorate", "")]
    names += technician.extra.get("directorates", "").split(";")
    return frozenset(key for name in names if (key := _directorate_key(name)))


def visits_eur(
    problem: Problem,
    technician: Technician,
    visits: Sequence[tuple[str, Sequence[str]]],
    first: frozenset[str],
) -> float:
    """``outside_directorate_eur`` per visit outside the technician's own Directorate(s) (none named:
    no outside) + ``outside_zone_eur`` per visit outside its home zone (none: no outside) + ``second_visit_eur`` per visit that does not serve its school's first ticket."""
    policy = problem.policy
    own = own_directorates(problem, technician)
    home = home_zone(technician)
    total = 0.0
    for school_id, ticket_ids in visits:
        school = problem.school_by_id.get(school_id)
        if school is None:
            continue
        if own and _directorate_key(school.directorate) not in own:
            total += policy.outside_directorate_eur
        if home and school_zone(school) != home:
            total += policy.outside_zone_eur
        if first.isdisjoint(ticket_ids):
            total += policy.second_visit_eur
    return total
