"""The live day: re-planning from now, with what already happened frozen.

A plan is published in the morning; during the day visits are started and done, and an
urgent ticket may come in.  Re-planning then starts from *now* and the *live state*
(:class:`LiveState`):

- visits done are history: their tickets are left out of the solve;
- a started visit is frozen with its technician, at its actual start; the technician is
  free at the school at ``max(now, start + setup + service)`` (:class:`Position`);
- a technician en route to a visit continues from its last position at ``now``: the school
  of its last visit done, or its base;
- no visit starts before ``now`` nor before its ticket was opened (the ``school_hours``
  rule's time windows, :meth:`~.rules.base.Day.earliest_visit_s`);
- the stability term (:func:`stability_cost`): a ticket of the published plan served by
  another technician than before costs ``move_eur`` (policy ``replan_move_eur``, default
  :data:`MOVE_EUR`), a cost per visit of every vehicle except the one that had it, so
  visits move only when moving pays clearly;
- "freeze before T" (:func:`live_from_plan` with ``freeze_until``): every visit planned to
  start before T stays as it was, and the day is re-planned from T;
- a lunch break already taken (begun before ``now``, :attr:`LiveState.breaks`) stays as the
  published route has it: the technician is free once it is over, the ``lunch_break`` rule plans
  no second one and the splice puts it back on the route; a break still ahead is planned by the
  solver, no earlier than the technician is free (or, for one idle once its frozen visits are
  over, by the splice: back home if the window still holds it, else before the drive home);
- pins of whole routes (:func:`pin_routes`, :func:`with_pinned`): a pinned technician's
  published route is kept as it is (its visits done left out) and the technician takes
  nothing new; the rest of the day is re-planned without it.

The solved routes are then spliced (:func:`splice`): the start at the base, the frozen
visits, then the new part — so a re-planned route reads as the technician's whole day
and the plan checker sees the same contract as any plan.  :func:`changes` lists, per
technician, the visits moved in and out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from dromologio.models import Plan, Problem, Route, Stop, Technician
from dromologio.models.plan import LunchBreak, overtime_minutes

from .rules.base import COST_UNITS_PER_EUR, DAY_S, InstanceDraft, StartPoint
from .rules.drop_value import MAX_PENALTY

if TYPE_CHECKING:
    from dromologio.geo import TravelModel

#: EUR per visit of the published plan given to another technician (policy ``replan_move_eur``).
MOVE_EUR = 30.0


@dataclass(frozen=True)
class Position:
    """Where a technician is at ``now``: a school (``None``: its base), and when it is free there."""

    school_id: str | None
    free_from: datetime


@dataclass(frozen=True)
class LiveState:
    """What happened so far today: the input of a re-plan from ``now``.

    ``done``: tickets served (left out); ``started``: ticket -> (technician, start of the
    visit); ``positions``: technician -> where it is and from when it is free (derived from
    ``started`` when absent: a started visit's school at the end of its work; else the base
    at ``now``); ``previous``: ticket -> technician of the published plan (the stability
    term); ``kept``: technician -> the frozen visits that begin its route, in order
    (derived from ``started`` when absent); ``departed``: technician -> when it left its
    base in the morning; ``breaks``: technician -> the lunch break it has taken (begun before
    ``now``), kept on its route.
    """

    now: datetime
    done: frozenset[str] = frozenset()
    started: Mapping[str, tuple[str, datetime]] = field(default_factory=dict)
    positions: Mapping[str, Position] = field(default_factory=dict)
    previous: Mapping[str, str] = field(default_factory=dict)
    kept: Mapping[str, tuple[Stop, ...]] = field(default_factory=dict)
    departed: Mapping[str, datetime] = field(default_factory=dict)
    move_eur: float | None = None
    #: technician -> the sailings of its published route already taken (departed before now).
    crossed: Mapping[str, tuple[Stop, ...]] = field(default_factory=dict)
    breaks: Mapping[str, LunchBreak] = field(default_factory=dict)

    def now_s(self, plan_date: date) -> int:
        """``now`` in seconds of the plan's day: 0 before it, the day's end after it."""
        if self.now.date() < plan_date:
            return 0
        if self.now.date() > plan_date:
            return DAY_S - 60
        return _seconds(self.now)

    def frozen(self) -> frozenset[str]:
        """Tickets the re-plan does not route: done, started, or in a frozen visit."""
        kept = {t for stops in self.kept.values() for s in stops for t in s.ticket_ids}
        return frozenset(self.done) | frozenset(self.started) | kept

    def move_cost_eur(self, problem: Problem) -> float:
        if self.move_eur is not None:
            return self.move_eur
        return float(getattr(problem.policy, "replan_move_eur", MOVE_EUR))

    def completed(self, problem: Problem, plan_date: date) -> LiveState:
        """This state with the kept visits and positions that ``started`` implies filled in."""
        now_s = self.now_s(plan_date)
        setup_s = problem.policy.visit_setup_min * 60
        kept = {t: list(stops) for t, stops in self.kept.items()}
        positions = dict(self.positions)
        in_kept = {t for stops in kept.values() for s in stops for t in s.ticket_ids}
        by_visit: dict[tuple[str, str], list[str]] = {}
        for ticket_id, (technician_id, _start) in self.started.items():
            if ticket_id in in_kept or ticket_id not in problem.ticket_by_id:
                continue
            school_id = problem.ticket_by_id[ticket_id].school_id
            by_visit.setdefault((technician_id, school_id), []).append(ticket_id)
        for (technician_id, school_id), ticket_ids in sorted(by_visit.items()):
            technician = problem.technician_by_id.get(technician_id)
            if technician is None:
                continue
            school = problem.school_by_id[school_id]
            begin = min(_seconds_on(self.started[t][1], plan_date) for t in ticket_ids)
            begin = min(begin, max(now_s, technician.shift_start_min * 60))
            work = setup_s + sum(problem.ticket_by_id[t].service_minutes * 60 for t in ticket_ids)
            stretch = now_s if self.now.date() == plan_date else 0
            end = max(begin + work, min(stretch, latest_end_s(problem, technician)))
            stop = Stop(
                "visit",
                lat=school.lat,
                lon=school.lon,
                school_id=school_id,
                ticket_ids=tuple(sorted(ticket_ids)),
                arrive=_at(plan_date, begin),
                start=_at(plan_date, begin),
                end=_at(plan_date, end),
            )
            kept.setdefault(technician_id, []).append(stop)
        for technician_id, stops in kept.items():
            stops.sort(key=lambda s: s.start or datetime.min)
            last = stops[-1]
            assert last.end is not None
            positions.setdefault(technician_id, Position(last.school_id, last.end))
        return replace(
            self, kept={t: tuple(s) for t, s in kept.items()}, positions=positions, move_eur=self.move_eur
        )

    def start_points(self, problem: Problem, plan_date: date) -> dict[str, StartPoint]:
        """Where each technician starts the re-plan, and from when it is free there."""
        now_s = self.now_s(plan_date)
        points: dict[str, StartPoint] = {}
        for technician in problem.technicians:
            position = self.positions.get(technician.technician_id)
            free = now_s if position is None else max(now_s, _seconds_on(position.free_from, plan_date))
            taken = self.breaks.get(technician.technician_id)
            if taken is not None:  # a break under way at now: free once it is over
                free = max(free, _seconds_on(taken.end, plan_date))
            if position is None or position.school_id is None:
                base = problem.base_of(technician)
                points[technician.technician_id] = StartPoint(
                    base.lat, base.lon, base.island, free_from_s=free, break_taken=taken is not None
                )
            else:
                school = problem.school_by_id[position.school_id]
                points[technician.technician_id] = StartPoint(
                    school.lat, school.lon, school.island, free_from_s=free, break_taken=taken is not None
                )
        return points


def live_from_plan(
    problem: Problem,
    published: Plan | Iterable[Route],
    now: datetime,
    *,
    done: Iterable[str] = (),
    started: Mapping[str, datetime | None] | None = None,
    freeze_until: datetime | None = None,
    move_eur: float | None = None,
) -> LiveState:
    """The live state of a published plan's day at ``now``.

    ``done``: tickets done (or otherwise closed) today; ``started``: ticket -> when its visit
    was started (``None`` or another day: its planned start).  With ``freeze_until`` every
    visit planned to start before it stays as it was and the day is re-planned from then.
    Each technician continues from its started visit (at the end of the work), else from
    the school of its last visit done, else from its base.  A lunch break of the published
    route begun before ``now`` is taken (``breaks``), unless a started visit's actual times
    overlap it (then it was not taken as published, and is planned again where the window allows).
    """
    routes = published.routes if isinstance(published, Plan) else tuple(published)
    started = dict(started or {})
    done_set = frozenset(done)
    plan_date = min((r.date for r in routes), default=now.date())
    if freeze_until is not None:
        now = max(now, freeze_until)
    now_s = LiveState(now).now_s(plan_date)
    setup_s = problem.policy.visit_setup_min * 60
    previous: dict[str, str] = {}
    kept: dict[str, tuple[Stop, ...]] = {}
    positions: dict[str, Position] = {}
    departed: dict[str, datetime] = {}
    crossed: dict[str, tuple[Stop, ...]] = {}
    breaks: dict[str, LunchBreak] = {}
    for route in routes:
        if route.date != plan_date:
            continue
        technician_id = route.technician_id
        technician = problem.technician_by_id.get(technician_id)
        frozen: list[Stop] = []
        last_done: str | None = None
        for stop in route.visits:
            previous.update({t: technician_id for t in stop.ticket_ids})
            ids = [t for t in stop.ticket_ids if t in problem.ticket_by_id or t in done_set]
            running = [t for t in ids if t in started and t not in done_set]
            assert stop.start is not None and stop.end is not None
            if running and technician is not None:
                times = [started[t] for t in running]
                actual = [_seconds_on(t, plan_date) for t in times if t is not None and t.date() == plan_date]
                begin = min(actual) if actual else _seconds(stop.start)
                begin = min(begin, max(now_s, _seconds(stop.start)))
                work = setup_s + sum(problem.ticket_by_id[t].service_minutes * 60 for t in running)
                # Work runs on until now (on the plan's day); a day already over keeps its times.
                stretch = now_s if now.date() == plan_date else 0
                end = max(begin + work, min(stretch, latest_end_s(problem, technician)))
                assert stop.arrive is not None
                frozen.append(
                    replace(
                        stop,
                        ticket_ids=tuple(running),
                        arrive=min(stop.arrive, _at(plan_date, begin)),
                        start=_at(plan_date, begin),
                        end=_at(plan_date, end),
                    )
                )
            elif freeze_until is not None and stop.start < freeze_until:
                kept_ids = tuple(
                    t for t in stop.ticket_ids if t in problem.ticket_by_id and t not in done_set
                )
                if kept_ids:
                    frozen.append(replace(stop, ticket_ids=kept_ids))
                elif stop.ticket_ids:
                    last_done = stop.school_id
            elif stop.ticket_ids and all(t in done_set for t in stop.ticket_ids):
                last_done = stop.school_id
        if route.stops and route.stops[0].type == "start" and route.stops[0].depart is not None:
            departed[technician_id] = route.stops[0].depart
        sailed = tuple(
            s
            for s in route.stops
            if s.type == "ferry" and s.depart is not None and s.depart < _at(plan_date, now_s)
        )
        if sailed and (frozen or last_done is not None):
            crossed[technician_id] = sailed
        lunch = route.lunch_break
        if (
            lunch is not None
            and lunch.start < _at(plan_date, now_s)
            and not any(_overlaps(lunch, s) for s in frozen)
        ):
            breaks[technician_id] = lunch
        if frozen:
            kept[technician_id] = tuple(frozen)
            last = frozen[-1]
            assert last.end is not None
            positions[technician_id] = Position(last.school_id, max(last.end, _at(plan_date, now_s)))
        elif last_done is not None:
            positions[technician_id] = Position(last_done, _at(plan_date, now_s))
    return LiveState(
        now=now,
        done=done_set,
        started={t: (previous.get(t, ""), s or now) for t, s in started.items() if t not in done_set},
        positions=positions,
        previous=previous,
        kept=kept,
        departed=departed,
        move_eur=move_eur,
        crossed=crossed,
        breaks=breaks,
    )


def _overlaps(lunch: LunchBreak, visit: Stop) -> bool:
    """Whether a visit's work overlaps the break."""
    assert visit.start is not None and visit.end is not None
    return lunch.start < visit.end and visit.start < lunch.end


def stability_cost(draft: InstanceDraft, previous: Mapping[str, str], move_eur: float) -> None:
    """The stability term: a ticket node of the published plan costs ``move_eur`` to every vehicle
    but the one that had it (``visit_cost``, paid once per visit), and as much more to leave
    undone (its ``drop_penalty``): taking a visit from its technician pays only when it saves
    more than ``move_eur``, whether it moves or is dropped."""
    units = round(move_eur * COST_UNITS_PER_EUR)
    for node, info in draft.of_kind("ticket"):
        if info.ticket is None:
            continue
        owner = draft.vehicle_of.get(previous.get(info.ticket.ticket_id, ""))
        if owner is None:
            continue
        column = draft.visit_cost[:, node]
        column += units
        column[owner] -= units
        if draft.drop_penalty[node] >= 0:  # a negative penalty is a visit that must be made
            draft.drop_penalty[node] = min(MAX_PENALTY, int(draft.drop_penalty[node]) + units)


def splice(
    problem: Problem,
    routes: list[Route],
    live: LiveState,
    travel: TravelModel,
) -> list[Route]:
    """The day's routes: each technician's start at its base, its frozen visits, then the re-plan.

    A technician that re-starts away from its base (a school) gets the road from its base
    there counted in its distance; an idle one is back home the time the road takes.  A lunch
    break already taken (``live.breaks``) is the route's break when it has visits.
    """
    from dromologio.geo import Place

    from .costs import route_costs

    out: list[Route] = []
    for route in routes:
        technician = problem.technician_by_id[route.technician_id]
        base = problem.base_of(technician)
        kept = live.kept.get(route.technician_id, ())
        # Sailings taken this morning lead to where it re-starts: its route keeps them.
        crossed = live.crossed.get(route.technician_id, ())
        start, *middle, end = route.stops
        assert start.lat is not None and start.lon is not None and start.depart is not None
        away = _km(start.lat, start.lon, base.lat, base.lon) > 0.05 and not start.lodging and not crossed
        if not kept and not away and not crossed:
            out.append(_with_taken_break(route, live))
            continue
        distance_km = route.distance_km
        travel_minutes = route.travel_minutes
        lunch = route.lunch_break
        if away:
            matrices = travel.matrices(
                [
                    Place(base.lat, base.lon, base.island),
                    Place(start.lat, start.lon, start.island or base.island),
                ]
            )
            distance_km = round(distance_km + int(matrices.distance_m[0, 1]) / 1000.0, 1)
            travel_minutes += int(matrices.duration_s[0, 1]) // 60
            if not middle and end.type == "end" and not end.lodging:
                # Idle for the rest of the day: home from where it is, once free.
                leave = max(start.depart, _at(route.date, live.now_s(route.date)))
                if kept and kept[-1].end is not None:
                    leave = max(leave, kept[-1].end)
                drive = timedelta(seconds=int(matrices.duration_s[1, 0]))
                if kept and route.technician_id not in live.breaks:
                    # Its last visit frozen and the break still ahead: after the return, or before it.
                    lunch = _break_ahead(problem, technician, route.date, leave, leave + drive)
                    if lunch is not None and lunch.start < leave + drive:
                        leave = lunch.end
                end = replace(end, arrive=leave + drive)
                distance_km = round(distance_km + int(matrices.distance_m[1, 0]) / 1000.0, 1)
                travel_minutes += int(matrices.duration_s[1, 0]) // 60
        first = crossed[0].depart if crossed else kept[0].arrive if kept else start.depart
        assert first is not None
        departed = live.departed.get(route.technician_id)
        shift_start = _at(route.date, technician.shift_start_min * 60)
        depart = departed if departed is not None and departed <= first else min(shift_start, first)
        home = Stop("start", lat=base.lat, lon=base.lon, depart=depart)
        spliced = replace(
            route, stops=(home, *crossed, *kept, *middle, end), distance_km=distance_km, lunch_break=lunch
        )
        spliced = _with_taken_break(replace(spliced, travel_minutes=travel_minutes), live)
        # The end moved (home from where it is): its overtime is what the policy pays for.
        crossing = int(problem.policy.for_employer(technician.employer).crossing_outside_shift_min)
        spliced = replace(spliced, overtime_min=overtime_minutes(spliced, technician.shift_end_min, crossing))
        costs = route_costs(problem, spliced)
        total = costs.pop("total")
        out.append(replace(spliced, cost_eur=total, costs={k: v for k, v in costs.items() if v}))
    return out


def _with_taken_break(route: Route, live: LiveState) -> Route:
    """The route with the break its technician has taken, when it has visits (the rule asks none of
    a route without)."""
    taken = live.breaks.get(route.technician_id)
    if taken is None or not route.visits:
        return route
    return replace(route, lunch_break=taken)


def _break_ahead(
    problem: Problem, technician: Technician, day: date, leave: datetime, back: datetime
) -> LunchBreak | None:
    """The break of a technician idle once its frozen visits are over (leaving at ``leave``, home at
    ``back``): at home if the window still holds it, else before the drive; None when the policy
    asks none or the window is over."""
    policy = problem.policy.for_employer(technician.employer)
    span = policy.lunch_span_min(technician.shift_start_min, technician.shift_end_min)
    if span is None:
        return None
    length = timedelta(minutes=policy.lunch_break_min)
    for earliest in (back, leave):
        begin = max(_at(day, span[0] * 60), earliest)
        begin += timedelta(seconds=-_seconds(begin) % 60)  # whole minutes, as the plan writes them
        if begin + length <= _at(day, span[1] * 60):
            return LunchBreak(begin, begin + length)
    return None


def latest_end_s(problem: Problem, technician: Technician) -> int:
    """Until when work running at ``now`` may stretch: the shift's end plus the overtime the
    employer's policy allows a day (and a week: the live day is the plan's first), as the day
    plan's ``shift`` rule bounds a route."""
    overtime = problem.policy.for_employer(technician.employer).overtime_today_min(0)
    return min(DAY_S - 60, (technician.shift_end_min + overtime) * 60)


def pin_routes(
    problem: Problem, published: Plan, pinned: Iterable[str], done: Iterable[str] = ()
) -> tuple[Problem, tuple[Route, ...]]:
    """The problem left to re-plan once ``pinned`` technicians keep their published routes.

    Returns the problem without the pinned technicians and without the tickets of their
    routes, and those routes of the plan's first day as they were, less the visits whose
    tickets are all ``done`` (and less the done tickets of the others) or are no longer in
    ``problem``.  Raises ``ValueError`` naming a pinned technician the problem does not have.
    """
    wanted = set(pinned)
    unknown = sorted(wanted - set(problem.technician_by_id))
    if unknown:
        raise ValueError(f"pinned technicians not in the plan: {', '.join(unknown)}")
    done_set = set(done)
    first_day = min(published.dates, default=None)
    kept: list[Route] = []
    for route in published.routes:
        if route.technician_id not in wanted or route.date != first_day:
            continue
        stops: list[Stop] = []
        for stop in route.stops:
            if stop.type == "visit":
                ids = tuple(t for t in stop.ticket_ids if t not in done_set and t in problem.ticket_by_id)
                if not ids:
                    continue
                stop = replace(stop, ticket_ids=ids)
            stops.append(stop)
        kept.append(replace(route, stops=tuple(stops)))
    taken = {t for r in kept for t in r.ticket_ids}
    rest = problem.replace(
        technicians=tuple(t for t in problem.technicians if t.technician_id not in wanted),
        tickets=tuple(t for t in problem.tickets if t.ticket_id not in taken),
    )
    return rest, tuple(kept)


def with_pinned(plan: Plan, pinned: Iterable[Route]) -> Plan:
    """``plan`` with the pinned routes added to its first day, counted in its KPIs."""
    routes = tuple(pinned)
    if not routes:
        return plan
    kpis = dict(plan.kpis)
    extra = {
        "visited": sum(len(r.ticket_ids) for r in routes),
        "visits": sum(len(r.visits) for r in routes),
        "technicians_used": sum(1 for r in routes if r.visits),
        "travel_minutes": sum(r.travel_minutes for r in routes),
    }
    for key, value in extra.items():
        kpis[key] = int(kpis.get(key) or 0) + value
    kpis["tickets"] = int(kpis.get("tickets") or 0) + extra["visited"]
    kpis["to_visit"] = int(kpis.get("to_visit") or 0) + extra["visited"]
    kpis["distance_km"] = round(float(kpis.get("distance_km") or 0) + sum(r.distance_km for r in routes), 1)
    kpis["cost_eur"] = round(float(kpis.get("cost_eur") or 0) + sum(r.cost_eur for r in routes), 2)
    kpis["pinned_routes"] = len(routes)
    ordered = sorted((*plan.routes, *routes), key=lambda r: (r.date, r.technician_id))
    return replace(plan, routes=tuple(ordered), kpis=kpis)


@dataclass(frozen=True)
class TechnicianChanges:
    """What a re-plan changed for one technician: tickets moved in (from someone else or new) and out."""

    technician_id: str
    moved_in: tuple[str, ...]
    moved_out: tuple[str, ...]
    new: tuple[str, ...] = ()


def changes(previous: Mapping[str, str], plan: Plan, frozen: Iterable[str] = ()) -> list[TechnicianChanges]:
    """Per technician, the tickets of the re-plan it gained (``moved_in``: from another technician;
    ``new``: not in the published plan) and lost (``moved_out``: to another technician or unassigned).
    Frozen tickets (done, started) do not move."""
    owner = {t: r.technician_id for r in plan.routes for t in r.ticket_ids}
    skip = set(frozen)
    moved_in: dict[str, list[str]] = {}
    moved_out: dict[str, list[str]] = {}
    new: dict[str, list[str]] = {}
    for ticket_id, technician_id in owner.items():
        before = previous.get(ticket_id)
        if before is None:
            new.setdefault(technician_id, []).append(ticket_id)
        elif before != technician_id:
            moved_in.setdefault(technician_id, []).append(ticket_id)
    for ticket_id, before in previous.items():
        if ticket_id in skip:
            continue
        if owner.get(ticket_id) != before:
            moved_out.setdefault(before, []).append(ticket_id)
    technicians = sorted(set(moved_in) | set(moved_out) | set(new))
    return [
        TechnicianChanges(
            t,
            tuple(sorted(moved_in.get(t, ()))),
            tuple(sorted(moved_out.get(t, ()))),
            tuple(sorted(new.get(t, ()))),
        )
        for t in technicians
    ]


def _seconds(moment: datetime) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def _seconds_on(moment: datetime, plan_date: date) -> int:
    if moment.date() < plan_date:
        return 0
    if moment.date() > plan_date:
        return DAY_S - 60
    return _seconds(moment)


def _at(day: date, seconds: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(seconds=seconds)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from dromologio.geo import haversine_km

    return float(haversine_km(lat1, lon1, lat2, lon2))
