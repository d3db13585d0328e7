"""Why did this visit move? A re-plan's move of a ticket weighed against keeping it.

A re-plan from *now* (``docs/api.md``, the live day) may give a visit of the published
plan to another technician, or leave it undone; the stability rule says that happens
only when keeping it fits nowhere or the move saves at least ``replan_move_eur``.  :func:`weigh_move` builds the
counterfactual day in which the ticket stays with the technician who had it:

- the ticket is taken out of its new technician's route (or out of the unassigned
  list), and that route's visits after now are re-timed without it;
- it is put into the old technician's re-planned route after the visits frozen at now
  (started, or begun before now), at every place (joined to a visit of its school, or
  alone), each day timed from where the technician stands at now
  (:func:`~dromologio.planning.slots.timed_insertions`);
- the cheapest of those whose day passes the independent checker is the counterfactual.

Both days are priced from their stops alone with the contract's objective
(:func:`~dromologio.models.retime.price_route`: money, driving time, the visits'
costs), plus the busiest technician's work x ``balance_eur_per_hour`` and, for a ticket
left undone, its value (:func:`~dromologio.models.retime.day_values`).  Where a
technician re-starts from the school of a visit done earlier, that school is priced as
an empty visit right after the frozen part, on both sides.  ``saved_eur`` is what the
move saved: the counterfactual's objective minus the re-plan's.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from dromologio.models import Plan, Problem, Route, Stop
from dromologio.models.checker import check_plan
from dromologio.models.retime import (
    Day,
    Point,
    Price,
    RoadTimes,
    Travel,
    Visit,
    day_of,
    day_values,
    latest_return_min,
    price_route,
    school_point,
    time_day,
)

from .slots import first_accepted, timed_insertions


@dataclass(frozen=True)
class Standing:
    """Where a technician is at now: a school (None: its base), and from when it is free there."""

    school_id: str | None
    free_from: datetime


@dataclass(frozen=True)
class MoveWeighed:
    """A moved ticket weighed against keeping it with the technician who had it."""

    ticket_id: str
    from_technician: str
    #: the technician who has it in the re-plan (None: left undone).
    to_technician: str | None
    #: the counterfactual objective minus the re-plan's (EUR); None: no checked place to keep it
    #: (or it did not move).
    saved_eur: float | None
    #: the old technician's counterfactual route, checked (None: no place).
    kept_route: Route | None

    def pays(self, move_eur: float, tolerance_eur: float = 0.0) -> bool:
        """The stability rule: keeping it was impossible, or the move saved at least ``move_eur``."""
        return self.saved_eur is None or self.saved_eur >= move_eur - tolerance_eur


def weigh_move(
    problem: Problem,
    replan: Plan,
    ticket_id: str,
    from_technician: str,
    *,
    now: datetime,
    frozen: Collection[str] = (),
    standing: Mapping[str, Standing] | None = None,
    road: RoadTimes | None = None,
) -> MoveWeighed:
    """Weigh the move of ``ticket_id`` away from ``from_technician`` in the re-plan ``replan``.

    ``problem``: the re-plan's problem; ``now``: when the re-plan starts; ``frozen``: the
    tickets of visits under way (their stops stay as they are); ``standing``: where each
    technician re-starts (default: the school of its last frozen visit, else its base).
    Raises ``KeyError`` when the ticket or the technician is not in the problem.
    """
    ticket = problem.ticket_by_id[ticket_id]
    technician = problem.technician_by_id[from_technician]
    day = min(replan.dates)
    travel = Travel(problem, day, road)
    routes = {r.technician_id: r for r in replan.routes if r.date == day}
    other_days = tuple(r for r in replan.routes if r.date != day)
    to_technician = next((t for t, r in routes.items() if ticket_id in r.ticket_ids), None)
    old = routes.get(from_technician)
    if old is None or to_technician == from_technician:
        return MoveWeighed(ticket_id, from_technician, to_technician, None, None)
    places = standing or {}
    cut = _Cut.of(old, now, frozen)
    frame = _frame(problem, technician.technician_id, day, old, cut, now, places)
    if frame is None:
        return MoveWeighed(ticket_id, from_technician, to_technician, None, None)
    changed: dict[str, Route] = {}
    if to_technician is not None:
        changed[to_technician] = _without(
            problem, travel, routes[to_technician], ticket_id, now, frozen, places
        )
    unassigned = tuple(u for u in replan.unassigned if u.ticket_id != ticket_id)

    def priced(route: Route) -> Price:
        return _price(problem, travel, route, places.get(route.technician_id))

    def kept_route(suffix: Route) -> Route:
        spliced = _spliced(old, cut, suffix)
        # The km as the plan reports them: the re-plan's, plus what keeping the ticket adds.
        added_km = priced(spliced).road_km - priced(old).road_km
        return replace(spliced, distance_km=round(old.distance_km + added_km, 1))

    def accept(route: Route) -> bool:
        day_routes = {**routes, **changed, from_technician: kept_route(route)}
        plan = replace(replan, routes=(*other_days, *day_routes.values()), unassigned=unassigned)
        return check_plan(problem, plan).ok

    schedules = timed_insertions(problem, travel, frame, cut.visits, ticket.school_id, ticket_id)
    schedules = sorted(schedules, key=lambda s: priced(_spliced(old, cut, s.route())).objective_eur)
    found = first_accepted(schedules, accept, checks=None)
    if found is None:
        return MoveWeighed(ticket_id, from_technician, to_technician, None, None)
    kept = kept_route(found[1])
    before = {t: routes[t] for t in (from_technician, to_technician) if t is not None}
    after = {**changed, from_technician: kept}
    saved = sum(priced(r).objective_eur for r in after.values())
    saved -= sum(priced(r).objective_eur for r in before.values())
    saved += _balance_eur(problem, {**routes, **after}) - _balance_eur(problem, routes)
    if to_technician is None:
        saved -= day_values(problem, day).value_eur(ticket)
    return MoveWeighed(ticket_id, from_technician, to_technician, round(saved, 2), kept)


@dataclass(frozen=True)
class _Cut:
    """A route split at now: its frozen stops (start, sailings taken, visits under way) and the visits after."""

    prefix: tuple[Stop, ...]
    visits: tuple[Visit, ...]

    @classmethod
    def of(cls, route: Route, now: datetime, frozen: Collection[str]) -> _Cut:
        last = max((i for i, s in enumerate(route.stops) if _frozen(s, now, frozen)), default=0)
        rest = route.stops[last + 1 :]
        visits = tuple(Visit(s.school_id or "", tuple(s.ticket_ids)) for s in rest if s.type == "visit")
        return cls(route.stops[: last + 1], visits)


def _frozen(stop: Stop, now: datetime, frozen: Collection[str]) -> bool:
    """A visit under way or begun before now, or a sailing that left before now."""
    if stop.type == "visit":
        under_way = not set(stop.ticket_ids).isdisjoint(frozen)
        return under_way or (stop.start is not None and stop.start < now)
    return stop.type == "ferry" and stop.depart is not None and stop.depart < now


def _frame(
    problem: Problem,
    technician_id: str,
    day: date,
    route: Route,
    cut: _Cut,
    now: datetime,
    places: Mapping[str, Standing],
) -> Day | None:
    """The day after the cut: from where the technician stands, no earlier than now, to the route's end."""
    technician = problem.technician_by_id[technician_id]
    whole = day_of(problem, technician, day, route)
    if whole is None:
        return None
    last = cut.prefix[-1]
    free = now
    start: Point = whole.start
    place = places.get(technician_id)
    if last.type == "visit" and last.school_id in problem.school_by_id:
        start = school_point(problem.school_by_id[last.school_id or ""])
        free = max(now, last.end or now)
    elif place is not None and place.school_id is not None:
        start = school_point(problem.school_by_id[place.school_id])
        free = max(now, place.free_from)
    elif last.type == "ferry" and last.to_port is not None and last.arrive is not None:
        port = next(p for p in problem.ports if p.port_id == last.to_port)
        start = Point(port.lat, port.lon, port.island)
        free = max(now, last.arrive)
    free_min = max(technician.shift_start_min, free.hour * 60 + free.minute + (1 if free.second else 0))
    if free.date() != day or free_min >= latest_return_min(problem, technician):
        return None
    # The day after the cut is timed as a shift that begins when the technician is free.
    later = replace(technician, shift_start_min=free_min)
    return replace(whole, technician=later, start=start, start_lodging=False)


def _spliced(route: Route, cut: _Cut, suffix: Route) -> Route:
    """``route``'s frozen stops followed by the re-timed ``suffix`` (its start left out); a route
    frozen at its start alone leaves when the suffix needs it to (or as it did, if earlier)."""
    prefix = cut.prefix
    first, leave = prefix[0], suffix.stops[0].depart
    if len(prefix) == 1 and first.depart is not None and leave is not None and leave < first.depart:
        prefix = (replace(first, depart=leave),)
    return replace(route, stops=(*prefix, *suffix.stops[1:]))


def _without(
    problem: Problem,
    travel: Travel,
    route: Route,
    ticket_id: str,
    now: datetime,
    frozen: Collection[str],
    places: Mapping[str, Standing],
) -> Route:
    """``route`` without ``ticket_id``: its visits after now re-timed (as they were, when that fails)."""
    cut = _Cut.of(route, now, frozen)
    visits = tuple(Visit(v.school_id, tuple(t for t in v.ticket_ids if t != ticket_id)) for v in cut.visits)
    visits = tuple(v for v in visits if v.ticket_ids)
    frame = _frame(problem, route.technician_id, route.date, route, cut, now, places)
    schedule = time_day(problem, travel, frame, visits) if frame is not None else None
    if schedule is None:
        stops = tuple(
            replace(s, ticket_ids=tuple(t for t in s.ticket_ids if t != ticket_id))
            for s in route.stops
            if s.type != "visit" or set(s.ticket_ids) != {ticket_id}
        )
        return replace(route, stops=stops)
    return _spliced(route, cut, schedule.route())


def _price(problem: Problem, travel: Travel, route: Route, place: Standing | None) -> Price:
    """The route priced from its stops; a re-start from a school done earlier is priced as an
    empty visit there, after the stops that end before the technician is free there."""
    stops = route.stops
    if place is not None and place.school_id is not None:
        school = problem.school_by_id[place.school_id]
        there = any(
            s.type == "visit"
            and s.school_id == place.school_id
            and s.start is not None
            and s.start <= place.free_from
            for s in stops
        )
        if not there:
            at = 1 + max(
                (
                    i
                    for i, s in enumerate(stops[1:], 1)
                    if (s.end or s.arrive or place.free_from) <= place.free_from
                ),
                default=0,
            )
            marker = Stop(
                "visit",
                lat=school.lat,
                lon=school.lon,
                school_id=school.school_id,
                ticket_ids=(),
                arrive=place.free_from,
                start=place.free_from,
                end=place.free_from,
            )
            stops = (*stops[:at], marker, *stops[at:])
    return price_route(problem, travel, replace(route, stops=stops))


def _balance_eur(problem: Problem, routes: Mapping[str, Route]) -> float:
    """The busiest technician's work (service minutes and time aboard) x ``balance_eur_per_hour``."""

    def work(route: Route) -> int:
        service = sum(
            problem.ticket_by_id[t].service_minutes for t in route.ticket_ids if t in problem.ticket_by_id
        )
        aboard = sum(
            int((s.arrive - s.depart).total_seconds() // 60)
            for s in route.stops
            if s.type == "ferry" and s.arrive is not None and s.depart is not None
        )
        return service + aboard

    busiest = max((work(r) for r in routes.values()), default=0)
    return busiest / 60.0 * problem.policy.balance_eur_per_hour
