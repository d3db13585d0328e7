"""Independent checker of a plan against the rules of the file-format contract.

:func:`check_plan` verifies a plan (a :class:`~dromologio.models.plan.Plan` or its
JSON document) against a :class:`~dromologio.models.problem.Problem` using only the
rules written in ``docs/problem-format.md`` ("Rules a plan obeys") and straight-line
geometry of its own.  It never raises on a bad plan: every finding is a
:class:`Violation` of the :class:`CheckReport`.

Rule ids (module constants, the ``rule`` of a violation):

- ``MALFORMED``: the plan document cannot be read as a plan.
- ``TICKET_ONCE``: a ticket of the problem is missing from the plan or appears more than once.
- ``UNKNOWN_TICKET``: the plan names a ticket the problem does not have.
- ``UNASSIGNED_REASON``: an unassigned ticket has no reason.
- ``TRIAGE``: a warranty ticket is not in ``vendor``, a remote one is not in ``remote``,
  or a ticket that needs a visit is in ``remote`` or ``vendor``.
- ``UNKNOWN_TECHNICIAN``: a route names a technician the problem does not have.
- ``ONE_ROUTE_PER_DAY``: a technician has more than one route on a date.
- ``ROUTE_DATE``: a route's date is not one of the plan's ``dates``, or one of its
  instants is not on the route's date.
- ``ROUTE_SHAPE``: a route does not begin with its only ``start`` stop and finish with its
  only ``end`` stop, or has ferries outside a move between two places.
- ``VISIT_SCHOOL``: a visit names an unknown school or serves a ticket of another school.
- ``VISIT_LOCATION``: a visit's lat/lon is not its school's (more than 50 m away).
- ``SKILL``: the technician lacks a skill a visited ticket requires.
- ``FOUR_BY_FOUR``: a technician without a 4x4 visits a school that needs one.
- ``SERVICE_TIME``: a visit is shorter than the service minutes of its tickets.
- ``SCHOOL_HOURS``: work at a school starts before it opens or ends after it closes.
- ``SHIFT``: a route leaves before the shift starts or ends after the shift ends and the
  overtime its employer's policy allows a day (``overtime_max_min_per_day``, 0 by default);
  a day that starts lodging away may leave, and one that ends lodging away may arrive, up to
  the policy's ``crossing_outside_shift_min`` outside those bounds (a trip's crossings).
- ``OVERTIME``: a route's ``overtime_min`` is less than the minutes it ends after the shift
  (and, when it ends lodging, after the crossing allowed outside the shift),
  or a technician's overtime in one calendar (ISO) week of the plan is more than the
  policy's ``overtime_max_min_per_week``.  A policy rule, not a contract rule.
- ``ROUTE_ENDS_AT_BASE``: a start or end that is not a lodging stop is not at the base.
- ``LODGING``: a night away is not an ``end`` with lodging followed, on the next plan
  date, by a ``start`` with lodging at the same place and island (so the last day
  ends at the base, unless the plan ``continues``), a day that starts lodging does not
  start where the previous day's route (of the plan, or ``before`` it) ended lodging, a
  technician spends more nights in a row away than its employer's ``max_nights_away``,
  or a lodging stop lacks its island.
- ``TIME_ORDER``: a visit does not have arrive <= start <= end, or a stop begins
  before the previous stop is over.
- ``TRAVEL_SPEED``: a move by road is faster than the straight line at ``MAX_ROAD_SPEED_KMH``.
- ``FERRY_CROSSING``: a move between different islands (or an island and the mainland)
  is not made by a chain of ferries from the island left to the island reached, or a
  ferry names an unknown port.
- ``FERRY_TIMETABLE``: a ferry stop is not a sailing of the timetable that runs on that
  weekday at that time, arriving after the sailing's duration.
- ``FERRY_BOARDING``: the port cannot be reached (straight line at ``MAX_ROAD_SPEED_KMH``)
  before the ferry departs.
- ``FERRY_CHECK_IN``: the port is reached (same bound) less than the policy's
  ``ferry_check_in_min`` before departure.  A policy rule, not a contract rule.
- ``OVERNIGHT_ALLOWED``: a night away although the policy does not allow overnight stays.
  A policy rule, not a contract rule.
- ``WORK_DAYS``: a technician visits schools on a weekday that is not one of its
  ``work_days`` (optional column of ``technicians.csv``).  An extension rule.
- ``LUNCH_BREAK``: the policy of the technician's employer asks for a lunch break
  (``lunch_break_min`` > 0) and its shift overlaps the lunch window by at least the break,
  the route has visits, and its ``lunch_break`` is missing, shorter than ``lunch_break_min``,
  outside the lunch window or the shift, or overlaps a sailing or work at a school (a pause
  inside a visit, between its tickets, leaves the visit at least its tickets' service minutes),
  or leaves a move by road less time than the straight line at ``MAX_ROAD_SPEED_KMH`` needs.
  A policy rule, not a contract rule.
- ``KM_CAP``: a route's ``distance_km`` exceeds the technician's ``max_km_per_day``.
- ``DISTANCE``: a route's ``distance_km`` is less than the straight-line length of its
  moves by road.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from .plan import Plan, Route, Stop, overtime_minutes
from .problem import Port, Problem, Technician
from .service_columns import work_days
from .vocab import WEEKDAYS

MALFORMED: Final = "MALFORMED"
TICKET_ONCE: Final = "TICKET_ONCE"
UNKNOWN_TICKET: Final = "UNKNOWN_TICKET"
UNASSIGNED_REASON: Final = "UNASSIGNED_REASON"
TRIAGE: Final = "TRIAGE"
UNKNOWN_TECHNICIAN: Final = "UNKNOWN_TECHNICIAN"
ONE_ROUTE_PER_DAY: Final = "ONE_ROUTE_PER_DAY"
ROUTE_DATE: Final = "ROUTE_DATE"
ROUTE_SHAPE: Final = "ROUTE_SHAPE"
VISIT_SCHOOL: Final = "VISIT_SCHOOL"
VISIT_LOCATION: Final = "VISIT_LOCATION"
SKILL: Final = "SKILL"
FOUR_BY_FOUR: Final = "FOUR_BY_FOUR"
SERVICE_TIME: Final = "SERVICE_TIME"
SCHOOL_HOURS: Final = "SCHOOL_HOURS"
SHIFT: Final = "SHIFT"
OVERTIME: Final = "OVERTIME"
ROUTE_ENDS_AT_BASE: Final = "ROUTE_ENDS_AT_BASE"
LODGING: Final = "LODGING"
TIME_ORDER: Final = "TIME_ORDER"
TRAVEL_SPEED: Final = "TRAVEL_SPEED"
FERRY_CROSSING: Final = "FERRY_CROSSING"
FERRY_TIMETABLE: Final = "FERRY_TIMETABLE"
FERRY_BOARDING: Final = "FERRY_BOARDING"
FERRY_CHECK_IN: Final = "FERRY_CHECK_IN"
OVERNIGHT_ALLOWED: Final = "OVERNIGHT_ALLOWED"
KM_CAP: Final = "KM_CAP"
WORK_DAYS: Final = "WORK_DAYS"
LUNCH_BREAK: Final = "LUNCH_BREAK"
DISTANCE: Final = "DISTANCE"

#: Every rule id, in the order of the module docstring.
RULES: Final = (
    MALFORMED,
    TICKET_ONCE,
    UNKNOWN_TICKET,
    UNASSIGNED_REASON,
    TRIAGE,
    UNKNOWN_TECHNICIAN,
    ONE_ROUTE_PER_DAY,
    ROUTE_DATE,
    ROUTE_SHAPE,
    VISIT_SCHOOL,
    VISIT_LOCATION,
    SKILL,
    FOUR_BY_FOUR,
    SERVICE_TIME,
    SCHOOL_HOURS,
    SHIFT,
    OVERTIME,
    ROUTE_ENDS_AT_BASE,
    LODGING,
    TIME_ORDER,
    TRAVEL_SPEED,
    FERRY_CROSSING,
    FERRY_TIMETABLE,
    FERRY_BOARDING,
    FERRY_CHECK_IN,
    OVERNIGHT_ALLOWED,
    WORK_DAYS,
    LUNCH_BREAK,
    KM_CAP,
    DISTANCE,
)

#: No road move is faster than the straight line at this speed.
MAX_ROAD_SPEED_KMH: Final = 120.0
#: Mean earth radius used by the checker's own haversine.
EARTH_RADIUS_KM: Final = 6371.0088
#: Two points closer than this are the same place (a visit and its school, a stop and a base).
SAME_PLACE_KM: Final = 0.05
#: Slack on travel times for rounding instants to whole minutes.
TIME_TOLERANCE_MIN: Final = 1.0
#: Slack on ``distance_km`` against ``max_km_per_day`` (rounding to 0.1 km).
KM_CAP_TOLERANCE_KM: Final = 0.05
#: Relative slack on ``distance_km`` against the straight-line length of the moves by road.
DISTANCE_TOLERANCE: Final = 0.01


@dataclass(frozen=True)
class Violation:
    """One broken rule, in words that name what is wrong and the numbers involved."""

    rule: str
    message: str
    technician_id: str | None = None
    date: date | None = None
    stop_index: int | None = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass(frozen=True)
class CheckReport:
    """Every violation found in a plan; ``ok`` when there is none."""

    violations: tuple[Violation, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def rules(self) -> frozenset[str]:
        """The ids of the rules broken at least once."""
        return frozenset(v.rule for v in self.violations)

    def by_rule(self, rule: str) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.rule == rule)

    def __str__(self) -> str:
        if self.ok:
            return "plan obeys every rule"
        lines = [f"{len(self.violations)} violation(s):"]
        lines += [f"  - {v}" for v in self.violations]
        return "\n".join(lines)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def min_road_minutes(km: float) -> float:
    """The least plausible time by road for a straight-line distance."""
    return km / MAX_ROAD_SPEED_KMH * 60.0


def check_plan(
    problem: Problem,
    plan: Plan | Mapping[str, Any],
    *,
    before: Sequence[Route] = (),
    continues: bool = False,
) -> CheckReport:
    """Check ``plan`` (a :class:`Plan` or its JSON document) against the contract's rules.

    A plan that is one part of a longer one (a simulation planning day by day): ``before``
    holds the routes of the day before the plan's first date (a technician starting that date
    lodging away must start where its route of the day before ended lodging), and with
    ``continues`` the plan's last day may end lodging away (the next part starts there).
    """
    if not isinstance(plan, Plan):
        parsed, problems = _parse(plan)
        if parsed is None:
            return CheckReport(tuple(problems))
        plan = parsed
    malformed = _check_types(plan)
    if malformed:
        return CheckReport(tuple(malformed))
    return CheckReport(tuple(_Checker(problem, plan, before, continues).run()))


# --------------------------------------------------------------------------- parsing


def _parse(document: Mapping[str, Any]) -> tuple[Plan | None, list[Violation]]:
    try:
        return Plan.from_dict(document), []
    except Exception as exc:  # any shape error of a foreign document is a finding
        return None, [Violation(MALFORMED, f"plan document is malformed: {_locate(document, exc)}")]


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing key {exc}"
    return f"{type(exc).__name__}: {exc}"


def _locate(document: Any, exc: Exception) -> str:
    """Point at the first route or stop that does not parse, else describe ``exc``."""
    if not isinstance(document, Mapping):
        return f"expected a JSON object, got {type(document).__name__}"
    routes = document.get("routes")
    if isinstance(routes, list):
        for r, route in enumerate(routes):
            stops = route.get("stops") if isinstance(route, Mapping) else None
            if isinstance(stops, list):
                for s, stop in enumerate(stops):
                    try:
                        Stop.from_dict(stop)
                    except Exception as inner:
                        return f"routes[{r}].stops[{s}]: {_describe(inner)}"
            try:
                Route.from_dict(route)
            except Exception as inner:
                return f"routes[{r}]: {_describe(inner)}"
    return _describe(exc)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_types(plan: Plan) -> list[Violation]:
    """Values of the wrong kind that parsing lets through (a number given as text, a list as an id)."""
    found: list[str] = []
    if not all(isinstance(d, date) for d in plan.dates):
        found.append("dates must be ISO dates")
    for r, route in enumerate(plan.routes):
        if not isinstance(route.technician_id, str):
            found.append(f"routes[{r}].technician_id must be text")
        if not _is_number(route.distance_km):
            found.append(f"routes[{r}].distance_km must be a finite number")
        for s, stop in enumerate(route.stops):
            where = f"routes[{r}].stops[{s}]"
            for name in ("lat", "lon"):
                value = getattr(stop, name)
                if value is not None and not _is_number(value):
                    found.append(f"{where}.{name} must be a number, not {value!r}")
            for name in ("school_id", "from_port", "to_port", "island"):
                value = getattr(stop, name)
                if value is not None and not isinstance(value, str):
                    found.append(f"{where}.{name} must be text, not {value!r}")
            if not all(isinstance(t, str) for t in stop.ticket_ids):
                found.append(f"{where}.ticket_ids must be a list of ticket ids")
    for u, item in enumerate(plan.unassigned):
        if not isinstance(item.ticket_id, str):
            found.append(f"unassigned[{u}].ticket_id must be text")
    for name in ("remote", "vendor"):
        if not all(isinstance(t, str) for t in getattr(plan, name)):
            found.append(f"{name} must be a list of ticket ids")
    return [Violation(MALFORMED, f"plan document is malformed: {text}") for text in found]


# --------------------------------------------------------------------------- helpers


def _hhmm(minutes: float) -> str:
    m = round(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(minutes=minutes)


def _minutes(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60.0


def _instant(value: datetime | None) -> datetime:
    if value is None:  # a parsed Stop always has the instants of its type
        raise ValueError("stop lacks an instant its type requires")
    return value


def _first_instant(stop: Stop) -> datetime:
    return _instant(stop.arrive if stop.type in ("visit", "end") else stop.depart)


def _last_instant(stop: Stop) -> datetime:
    if stop.type == "visit":
        return _instant(stop.end)
    if stop.type == "ferry":
        return _instant(stop.arrive)
    if stop.type == "start":
        return _instant(stop.depart)
    return _instant(stop.arrive)


def _instants(stop: Stop) -> list[tuple[str, datetime]]:
    names = ("arrive", "start", "end", "depart")
    return [(n, v) for n in names if (v := getattr(stop, n)) is not None]


def _island(name: str) -> str:
    return f"island '{name}'" if name else "the mainland"


@dataclass(frozen=True)
class _Place:
    """A located point of a route and when the technician leaves it."""

    index: int
    label: str
    lat: float
    lon: float
    island: str | None
    arrive: datetime
    leave: datetime


class _Checker:
    def __init__(
        self, problem: Problem, plan: Plan, before: Sequence[Route] = (), continues: bool = False
    ) -> None:
        self.problem = problem
        self.plan = plan
        #: per technician, its latest route before the plan (a night away the plan continues).
        self.before = {r.technician_id: r for r in sorted(before, key=lambda r: r.date)}
        self.continues = continues
        self.found: list[Violation] = []
        self.dates = sorted(set(plan.dates))
        self.route_of: dict[tuple[str, date], Route] = {}
        for route in plan.routes:
            self.route_of.setdefault((route.technician_id, route.date), route)

    def run(self) -> list[Violation]:
        self._check_tickets()
        self._check_route_days()
        self._check_weekly_overtime()
        self._check_nights_in_a_row()
        for route in self.plan.routes:
            self._check_route(route)
        return self.found

    # ---------------------------------------------------------------- reporting

    def _add(
        self,
        rule: str,
        message: str,
        route: Route | None = None,
        stop_index: int | None = None,
    ) -> None:
        if route is not None:
            where = f"technician {route.technician_id}, {route.date.isoformat()}"
            if stop_index is not None:
                stop = route.stops[stop_index]
                what = f"{stop.type} {stop.school_id}" if stop.type == "visit" else stop.type
                if stop.type == "ferry":
                    what = f"ferry {stop.from_port}->{stop.to_port}"
                where += f", stop {stop_index} ({what})"
            message = f"{where}: {message}"
            self.found.append(Violation(rule, message, route.technician_id, route.date, stop_index))
        else:
            self.found.append(Violation(rule, message))

    # ---------------------------------------------------------------- tickets

    def _check_tickets(self) -> None:
        places: dict[str, list[str]] = defaultdict(list)
        for route in self.plan.routes:
            for i, stop in enumerate(route.stops):
                if stop.type == "visit":
                    visit = f"visit to {stop.school_id} by {route.technician_id} on {route.date} (stop {i})"
                    for ticket_id in stop.ticket_ids:
                        places[ticket_id].append(visit)
        for item in self.plan.unassigned:
            places[item.ticket_id].append("unassigned")
            if not isinstance(item.reason, str) or not item.reason.strip():
                self._add(UNASSIGNED_REASON, f"unassigned ticket {item.ticket_id} has no reason")
        for ticket_id in self.plan.remote:
            places[ticket_id].append("remote")
        for ticket_id in self.plan.vendor:
            places[ticket_id].append("vendor")

        tickets = self.problem.ticket_by_id
        for ticket_id, where in places.items():
            if ticket_id not in tickets:
                self._add(
                    UNKNOWN_TICKET, f"ticket {ticket_id} is not in the problem (found in {'; '.join(where)})"
                )
            elif len(where) > 1:
                self._add(TICKET_ONCE, f"ticket {ticket_id} appears {len(where)} times: {'; '.join(where)}")
        for ticket in self.problem.tickets:
            where = places.get(ticket.ticket_id, [])
            if not where:
                self._add(TICKET_ONCE, f"ticket {ticket.ticket_id} appears nowhere in the plan")
                continue
            if ticket.warranty:
                expected, bad = "vendor", [w for w in where if w != "vendor"]
            elif ticket.remote:
                expected, bad = "remote", [w for w in where if w != "remote"]
            else:
                expected, bad = "a visit or unassigned", [w for w in where if w in ("remote", "vendor")]
            for w in dict.fromkeys(bad):
                flags = "warranty" if ticket.warranty else "remote" if ticket.remote else "needs a visit"
                self._add(TRIAGE, f"ticket {ticket.ticket_id} ({flags}) belongs in {expected}, not in {w}")

    # ---------------------------------------------------------------- days and lodging

    def _check_route_days(self) -> None:
        counts = Counter((r.technician_id, r.date) for r in self.plan.routes)
        for (technician_id, day), n in counts.items():
            if n > 1:
                self._add(
                    ONE_ROUTE_PER_DAY,
                    f"technician {technician_id} has {n} routes on {day.isoformat()}",
                )
        plan_dates = set(self.plan.dates)
        for route in self.plan.routes:
            if route.date not in plan_dates:
                listed = ", ".join(d.isoformat() for d in self.dates)
                self._add(ROUTE_DATE, f"route date is not one of the plan dates ({listed})", route)
            technician = self.problem.technician_by_id.get(route.technician_id)
            if technician is None or not any(s.type == "visit" for s in route.stops):
                continue
            works = work_days(technician)
            if WEEKDAYS[route.date.weekday()] not in works:
                named = ";".join(d for d in WEEKDAYS if d in works)
                self._add(WORK_DAYS, f"visits on a {WEEKDAYS[route.date.weekday()]}; works {named}", route)

    def _check_weekly_overtime(self) -> None:
        """Each technician's overtime per calendar week of the plan within the weekly limit."""
        minutes: Counter[tuple[str, int, int]] = Counter()
        for route in self.plan.routes:
            technician = self.problem.technician_by_id.get(route.technician_id)
            if technician is None:
                continue
            year, week, _ = route.date.isocalendar()
            crossing = self.problem.policy.for_employer(technician.employer).crossing_outside_shift_min
            minutes[(technician.technician_id, year, week)] += overtime_minutes(
                route, technician.shift_end_min, int(crossing)
            )
        for (technician_id, year, week), total in sorted(minutes.items()):
            technician = self.problem.technician_by_id[technician_id]
            limit = self.problem.policy.for_employer(technician.employer).overtime_max_min_per_week
            if limit is not None and total > limit:
                self._add(
                    OVERTIME,
                    f"technician {technician_id} works {total} min of overtime in week {week} of {year}; "
                    f"the policy allows {int(limit)} min a week",
                )

    def _check_nights_in_a_row(self) -> None:
        """No technician away more nights in a row than its employer's ``max_nights_away``."""
        for technician in self.problem.technicians:
            limit = self.problem.policy.for_employer(technician.employer).max_nights_away
            run: list[Route] = []
            for day in self.dates:
                route = self.route_of.get((technician.technician_id, day))
                if route is None or not route.stops or not route.stops[-1].lodging:
                    run = []
                    continue
                run.append(route)
                if len(run) == limit + 1:
                    self._add(
                        LODGING,
                        f"spends {len(run)} nights in a row away from {run[0].date.isoformat()} on; the "
                        f"policy allows {limit} (max_nights_away)",
                        route,
                        len(route.stops) - 1,
                    )

    def _neighbour_route(self, route: Route, step: int) -> Route | None:
        if route.date not in self.dates:
            return None
        k = self.dates.index(route.date) + step
        if not 0 <= k < len(self.dates):
            return None
        return self.route_of.get((route.technician_id, self.dates[k]))

    def _check_ends(self, route: Route, technician: Technician | None) -> None:
        if not route.stops:
            return
        base = self.problem.base_of(technician) if technician is not None else None
        ends: list[tuple[int, Stop]] = []
        if route.stops[0].type == "start":
            ends.append((0, route.stops[0]))
        if len(route.stops) > 1 and route.stops[-1].type == "end":
            ends.append((len(route.stops) - 1, route.stops[-1]))
        for index, stop in ends:
            if stop.lodging:
                if stop.island is None:
                    self._add(LODGING, "lodging stop does not say which island it is on", route, index)
                if stop.type == "end":
                    if not self.problem.policy.allow_overnight:
                        self._add(
                            OVERNIGHT_ALLOWED,
                            "stays away overnight but the policy does not allow it",
                            route,
                            index,
                        )
                    self._check_lodging_end(route, index)
                else:
                    self._check_lodging_start(route, stop)
            elif base is not None:
                assert stop.lat is not None and stop.lon is not None
                km = haversine_km(stop.lat, stop.lon, base.lat, base.lon)
                if km > SAME_PLACE_KM:
                    self._add(
                        ROUTE_ENDS_AT_BASE,
                        f"{stop.type} at ({stop.lat:.5f}, {stop.lon:.5f}) is {km:.2f} km from base "
                        f"{base.base_id} ({base.lat:.5f}, {base.lon:.5f}) and is not a lodging stop",
                        route,
                        index,
                    )

    def _check_lodging_end(self, route: Route, index: int) -> None:
        following = self._neighbour_route(route, +1)
        nxt = following.stops[0] if following is not None and following.stops else None
        if following is None and self.continues and route.date == self.dates[-1]:
            return  # the plan continues: its next part starts where this night is spent
        if following is None:
            self._add(
                LODGING,
                "ends with a night away but has no route on the next plan date "
                "(the last day must end at the base)",
                route,
                index,
            )
        elif nxt is None or nxt.type != "start" or not nxt.lodging:
            self._add(
                LODGING,
                f"ends with a night away but the route of {following.date.isoformat()} "
                "does not begin with a lodging start",
                route,
                index,
            )

    def _check_lodging_start(self, route: Route, stop: Stop) -> None:
        before = self._neighbour_route(route, -1)
        if before is None and self.dates and route.date == self.dates[0]:
            before = self.before.get(route.technician_id)
        prev = before.stops[-1] if before is not None and before.stops else None
        if before is None or prev is None or prev.type != "end" or not prev.lodging:
            self._add(
                LODGING,
                "begins with a lodging start but the technician's route on the previous plan date "
                "does not end with a night away",
                route,
                0,
            )
            return
        assert stop.lat is not None and stop.lon is not None and prev.lat is not None and prev.lon is not None
        km = haversine_km(stop.lat, stop.lon, prev.lat, prev.lon)
        if km > SAME_PLACE_KM or (stop.island or "") != (prev.island or ""):
            self._add(
                LODGING,
                f"lodging start at ({stop.lat:.5f}, {stop.lon:.5f}) on {_island(stop.island or '')} is not "
                f"where the night of {before.date.isoformat()} was spent ({prev.lat:.5f}, {prev.lon:.5f}) "
                f"on {_island(prev.island or '')}: {km:.2f} km apart",
                route,
                0,
            )

    # ---------------------------------------------------------------- one route

    def _check_route(self, route: Route) -> None:
        technician = self.problem.technician_by_id.get(route.technician_id)
        if technician is None:
            self._add(UNKNOWN_TECHNICIAN, f"technician {route.technician_id} is not in the problem", route)
        self._check_shape(route)
        self._check_ends(route, technician)
        self._check_instants(route, technician)
        for i, stop in enumerate(route.stops):
            if stop.type == "visit":
                self._check_visit(route, i, stop, technician)
            elif stop.type == "ferry":
                self._check_sailing(route, i, stop)
        self._check_order(route)
        self._check_lunch_break(route, technician)
        land_km = self._check_moves(route, technician)
        self._check_distance(route, technician, land_km)

    def _check_shape(self, route: Route) -> None:
        stops = route.stops
        if not stops:
            self._add(ROUTE_SHAPE, "route has no stops", route)
            return
        if stops[0].type != "start":
            self._add(ROUTE_SHAPE, f"first stop is a {stops[0].type}, not the start", route, 0)
        if stops[-1].type != "end" or len(stops) < 2:
            self._add(ROUTE_SHAPE, f"last stop is a {stops[-1].type}, not the end", route, len(stops) - 1)
        for i, stop in enumerate(stops[1:-1], start=1):
            if stop.type in ("start", "end"):
                self._add(ROUTE_SHAPE, f"a {stop.type} stop in the middle of the route", route, i)

    def _check_instants(self, route: Route, technician: Technician | None) -> None:
        for i, stop in enumerate(route.stops):
            for name, value in _instants(stop):
                if value.date() != route.date:
                    self._add(
                        ROUTE_DATE,
                        f"{name} {value.isoformat(timespec='minutes')} is not on the route's date",
                        route,
                        i,
                    )
        if technician is None or not route.stops:
            return
        rules = self.problem.policy.for_employer(technician.employer)
        crossing = int(rules.crossing_outside_shift_min)
        first, last = route.stops[0], route.stops[-1]
        early = crossing if first.lodging else 0
        shift_start = _at(route.date, technician.shift_start_min - early)
        shift_end = _at(route.date, technician.shift_end_min)
        depart = first.depart if first.type == "start" else None
        if depart is not None and depart.date() == route.date and depart < shift_start:
            before = f" less the {early} min a crossing from a lodging may take" if early else ""
            self._add(
                SHIFT,
                f"departs at {depart:%H:%M}, before the shift starts at {_hhmm(technician.shift_start_min)}{before}",
                route,
                0,
            )
        arrive = last.arrive if last.type == "end" and len(route.stops) > 1 else None
        overtime = int(rules.overtime_max_min_per_day)
        late = crossing if last.lodging else 0
        worked = overtime_minutes(route, technician.shift_end_min, crossing)
        if (
            arrive is not None
            and arrive.date() == route.date
            and arrive > shift_end + timedelta(minutes=overtime + late)
        ):
            allowed = f" and the {overtime} min of overtime allowed" if overtime else ""
            if late:
                allowed += f" and the {late} min a crossing to a lodging may take"
            self._add(
                SHIFT,
                f"arrives at {arrive:%H:%M}, after the shift ends at {_hhmm(technician.shift_end_min)}{allowed}",
                route,
                len(route.stops) - 1,
            )
        elif route.overtime_min < worked:
            self._add(
                OVERTIME,
                f"ends {worked} min after the shift ends but states overtime_min {route.overtime_min}",
                route,
                len(route.stops) - 1,
            )

    def _check_visit(self, route: Route, index: int, stop: Stop, technician: Technician | None) -> None:
        school = self.problem.school_by_id.get(stop.school_id or "")
        if school is None:
            self._add(VISIT_SCHOOL, f"school {stop.school_id} is not in the problem", route, index)
        tickets = [t for tid in stop.ticket_ids if (t := self.problem.ticket_by_id.get(tid)) is not None]
        for ticket in tickets:
            if school is not None and ticket.school_id != school.school_id:
                self._add(
                    VISIT_SCHOOL,
                    f"ticket {ticket.ticket_id} belongs to school {ticket.school_id}, not {school.school_id}",
                    route,
                    index,
                )
            if technician is not None and ticket.skill not in technician.skills:
                have = ", ".join(sorted(technician.skills)) or "none"
                self._add(
                    SKILL,
                    f"ticket {ticket.ticket_id} needs skill {ticket.skill}; technician "
                    f"{technician.technician_id} has {have}",
                    route,
                    index,
                )
        start, end, arrive = _instant(stop.start), _instant(stop.end), _instant(stop.arrive)
        if not arrive <= start <= end:
            self._add(
                TIME_ORDER,
                f"arrive {arrive:%H:%M}, start {start:%H:%M}, end {end:%H:%M} are not in order",
                route,
                index,
            )
        needed = sum(t.service_minutes for t in tickets)
        spent = _minutes(end, start)
        if spent < needed:
            ids = ", ".join(t.ticket_id for t in tickets)
            self._add(
                SERVICE_TIME,
                f"works {spent:.0f} min ({start:%H:%M}-{end:%H:%M}) but tickets {ids} need {needed} min",
                route,
                index,
            )
        if school is None:
            return
        assert stop.lat is not None and stop.lon is not None
        km = haversine_km(stop.lat, stop.lon, school.lat, school.lon)
        if km > SAME_PLACE_KM:
            self._add(
                VISIT_LOCATION,
                f"visit at ({stop.lat:.5f}, {stop.lon:.5f}) is {km:.2f} km from school {school.school_id} "
                f"({school.lat:.5f}, {school.lon:.5f})",
                route,
                index,
            )
        if technician is not None and school.needs_4x4 and not technician.has_4x4:
            self._add(
                FOUR_BY_FOUR,
                f"school {school.school_id} needs a 4x4 and technician {technician.technician_id} has none",
                route,
                index,
            )
        opens, closes = _at(route.date, school.opens_min), _at(route.date, school.closes_min)
        if start.date() == route.date and start < opens:
            self._add(
                SCHOOL_HOURS,
                f"work starts at {start:%H:%M}, before school {school.school_id} opens at "
                f"{_hhmm(school.opens_min)}",
                route,
                index,
            )
        if end.date() == route.date and end > closes:
            self._add(
                SCHOOL_HOURS,
                f"work ends at {end:%H:%M}, after school {school.school_id} closes at "
                f"{_hhmm(school.closes_min)}",
                route,
                index,
            )

    def _check_sailing(self, route: Route, index: int, stop: Stop) -> None:
        depart, arrive = _instant(stop.depart), _instant(stop.arrive)
        ports = self.problem.port_by_id
        if stop.from_port not in ports or stop.to_port not in ports:
            return  # reported as FERRY_CROSSING with the move it belongs to
        line = [
            s for s in self.problem.sailings if (s.from_port, s.to_port) == (stop.from_port, stop.to_port)
        ]
        at_time = [s for s in line if s.depart_min == depart.hour * 60 + depart.minute]
        if not at_time:
            times = ", ".join(sorted(_hhmm(s.depart_min) for s in line)) or "none"
            self._add(
                FERRY_TIMETABLE,
                f"no sailing {stop.from_port}->{stop.to_port} departs at {depart:%H:%M} "
                f"(timetabled departures: {times})",
                route,
                index,
            )
            return
        running = [s for s in at_time if s.runs_on(depart)]
        if not running:
            days = ", ".join(sorted({d for s in at_time for d in s.days}))
            self._add(
                FERRY_TIMETABLE,
                f"sailing {stop.from_port}->{stop.to_port} at {depart:%H:%M} does not run on "
                f"{depart:%a} {depart.date().isoformat()} (runs {days})",
                route,
                index,
            )
            return
        if not any(arrive == depart + timedelta(minutes=s.duration_min) for s in running):
            durations = " or ".join(str(s.duration_min) for s in running)
            self._add(
                FERRY_TIMETABLE,
                f"ferry arrives at {arrive:%H:%M}, {_minutes(arrive, depart):.0f} min after departing at "
                f"{depart:%H:%M}, but the crossing takes {durations} min",
                route,
                index,
            )

    def _check_order(self, route: Route) -> None:
        stops = route.stops
        for i in range(1, len(stops)):
            before, after = _last_instant(stops[i - 1]), _first_instant(stops[i])
            if after < before:
                self._add(
                    TIME_ORDER,
                    f"begins at {after:%H:%M}, before stop {i - 1} ({stops[i - 1].type}) "
                    f"is over at {before:%H:%M}",
                    route,
                    i,
                )
            if stops[i].type == "ferry" and _instant(stops[i].arrive) < _instant(stops[i].depart):
                self._add(TIME_ORDER, "ferry arrives before it departs", route, i)

    def _check_lunch_break(self, route: Route, technician: Technician | None) -> None:
        """The break the policy asks for is there, long enough, in the window, and over no work or sailing."""
        if technician is None:
            return
        policy = self.problem.policy.for_employer(technician.employer)
        span = policy.lunch_span_min(technician.shift_start_min, technician.shift_end_min)
        lunch = route.lunch_break
        asked = f"{policy.lunch_break_min} min between {_hhmm(span[0])} and {_hhmm(span[1])}" if span else ""
        if lunch is None:
            if span is not None and route.visits:
                self._add(LUNCH_BREAK, f"no lunch break; the policy asks for {asked}", route)
            return
        if span is not None:
            if lunch.minutes < policy.lunch_break_min:
                self._add(
                    LUNCH_BREAK,
                    f"lunch break {lunch.start:%H:%M}-{lunch.end:%H:%M} lasts {lunch.minutes:.0f} min; "
                    f"the policy asks for {asked}",
                    route,
                )
            if lunch.start < _at(route.date, span[0]) or lunch.end > _at(route.date, span[1]):
                self._add(
                    LUNCH_BREAK,
                    f"lunch break {lunch.start:%H:%M}-{lunch.end:%H:%M} is outside the lunch window; "
                    f"the policy asks for {asked}",
                    route,
                )
        for i, stop in enumerate(route.stops):
            if stop.type == "visit":
                busy, what = (_instant(stop.start), _instant(stop.end)), "work at the school"
                # A pause between its tickets is no overlap when the work still fits around it.
                tickets = [
                    self.problem.ticket_by_id[t] for t in stop.ticket_ids if t in self.problem.ticket_by_id
                ]
                inside = lunch.start >= busy[0] and lunch.end <= busy[1]
                if inside and _minutes(busy[1], busy[0]) - lunch.minutes >= sum(
                    t.service_minutes for t in tickets
                ):
                    continue
            elif stop.type == "ferry":
                busy, what = (_instant(stop.depart), _instant(stop.arrive)), "the sailing"
            else:
                continue
            if lunch.start < busy[1] and busy[0] < lunch.end:
                self._add(
                    LUNCH_BREAK,
                    f"lunch break {lunch.start:%H:%M}-{lunch.end:%H:%M} overlaps {what} "
                    f"({busy[0]:%H:%M}-{busy[1]:%H:%M})",
                    route,
                    i,
                )

    def _break_within(self, route: Route, leave: datetime, arrive: datetime) -> float:
        """Minutes of the route's lunch break between ``leave`` and ``arrive`` (0 without a break)."""
        lunch = route.lunch_break
        if lunch is None:
            return 0.0
        return max(0.0, _minutes(min(arrive, lunch.end), max(leave, lunch.start)))

    def _short_of_break(
        self, route: Route, index: int, what: str, have: float, need: float, lunch: float
    ) -> None:
        """A move that has the time it needs, but not once the lunch break is taken out of it."""
        if lunch > 0 and have >= need - TIME_TOLERANCE_MIN and have - lunch < need - TIME_TOLERANCE_MIN:
            self._add(
                LUNCH_BREAK,
                f"the lunch break takes {lunch:.0f} of the {have:.0f} min of {what}, which needs at least "
                f"{need:.0f} min",
                route,
                index,
            )

    # ---------------------------------------------------------------- moves, ferries, km

    def _place(self, route: Route, index: int, stop: Stop, technician: Technician | None) -> _Place:
        assert stop.lat is not None and stop.lon is not None
        island: str | None
        if stop.type == "visit":
            school = self.problem.school_by_id.get(stop.school_id or "")
            island = school.island if school is not None else None
            label = f"school {stop.school_id}"
        elif stop.lodging:
            island = stop.island or ""
            label = f"lodging {stop.type}"
        else:
            island = self.problem.base_of(technician).island if technician is not None else None
            label = f"the {stop.type}"
        arrive = _first_instant(stop)
        return _Place(index, label, stop.lat, stop.lon, island, arrive, _last_instant(stop))

    def _check_moves(self, route: Route, technician: Technician | None) -> float:
        """Check every move between located stops; return the straight-line km driven."""
        land_km = 0.0
        previous: _Place | None = None
        ferries: list[int] = []
        for i, stop in enumerate(route.stops):
            if stop.type == "ferry":
                ferries.append(i)
                continue
            place = self._place(route, i, stop, technician)
            if previous is not None:
                land_km += self._check_move(route, previous, ferries, place)
            previous, ferries = place, []
        return land_km

    def _check_move(self, route: Route, a: _Place, ferries: list[int], b: _Place) -> float:
        if not ferries:
            if a.island is not None and b.island is not None and a.island != b.island:
                self._add(
                    FERRY_CROSSING,
                    f"moves from {a.label} on {_island(a.island)} to {b.label} on {_island(b.island)} "
                    "without a ferry",
                    route,
                    b.index,
                )
            return self._drive(route, a.lat, a.lon, a.label, a.leave, b, b.index)

        km = 0.0
        ports = self.problem.port_by_id
        lat: float | None = a.lat
        lon: float | None = a.lon
        label, leave, island = a.label, a.leave, a.island
        for i in ferries:
            stop = route.stops[i]
            origin: Port | None = ports.get(stop.from_port or "")
            target: Port | None = ports.get(stop.to_port or "")
            unknown = [p for p, port in ((stop.from_port, origin), (stop.to_port, target)) if port is None]
            if unknown:
                self._add(
                    FERRY_CROSSING, f"port {', '.join(map(str, unknown))} is not in the problem", route, i
                )
            if origin is not None:
                if island is not None and origin.island != island:
                    self._add(
                        FERRY_CROSSING,
                        f"ferry leaves port {origin.port_id} on {_island(origin.island)} but the technician "
                        f"is on {_island(island)} ({label})",
                        route,
                        i,
                    )
                if lat is not None and lon is not None:
                    km += self._board(route, i, lat, lon, label, leave, origin)
            if target is not None:
                lat, lon, island = target.lat, target.lon, target.island
                label = f"port {target.port_id}"
            else:
                lat = lon = island = None
                label = f"port {stop.to_port}"
            leave = _instant(stop.arrive)
        if island is not None and b.island is not None and island != b.island:
            self._add(
                FERRY_CROSSING,
                f"last ferry reaches {_island(island)} but {b.label} is on {_island(b.island)}",
                route,
                b.index,
            )
        if lat is not None and lon is not None:
            km += self._drive(route, lat, lon, label, leave, b, b.index)
        return km

    def _drive(
        self, route: Route, lat: float, lon: float, label: str, leave: datetime, b: _Place, index: int
    ) -> float:
        km = haversine_km(lat, lon, b.lat, b.lon)
        need = min_road_minutes(km)
        have = _minutes(b.arrive, leave)
        lunch = self._break_within(route, leave, b.arrive)
        self._short_of_break(route, index, f"the drive to {b.label} ({km:.1f} km)", have, need, lunch)
        if 0 <= have < need - TIME_TOLERANCE_MIN:  # going back in time is a TIME_ORDER finding
            self._add(
                TRAVEL_SPEED,
                f"{km:.1f} km from {label} (left {leave:%H:%M}) to {b.label} (arrived {b.arrive:%H:%M}) "
                f"in {have:.0f} min; at {MAX_ROAD_SPEED_KMH:.0f} km/h it takes at least {need:.0f} min",
                route,
                index,
            )
        return km

    def _board(
        self, route: Route, index: int, lat: float, lon: float, label: str, leave: datetime, port: Port
    ) -> float:
        stop = route.stops[index]
        depart = _instant(stop.depart)
        km = haversine_km(lat, lon, port.lat, port.lon)
        need = min_road_minutes(km)
        have = _minutes(depart, leave)
        check_in = self.problem.policy.ferry_check_in_min
        # The break may share the check-in (waiting at the port), not the drive there.
        lunch = self._break_within(route, leave, depart)
        self._short_of_break(route, index, f"the way to port {port.port_id} ({km:.1f} km)", have, need, lunch)
        if have < 0:
            pass  # going back in time is a TIME_ORDER finding
        elif have < need - TIME_TOLERANCE_MIN:
            self._add(
                FERRY_BOARDING,
                f"{km:.1f} km from {label} (left {leave:%H:%M}) to port {port.port_id} for the "
                f"{depart:%H:%M} departure leaves {have:.0f} min; at {MAX_ROAD_SPEED_KMH:.0f} km/h it takes "
                f"at least {need:.0f} min",
                route,
                index,
            )
        elif have - need < check_in - TIME_TOLERANCE_MIN:
            self._add(
                FERRY_CHECK_IN,
                f"reaches port {port.port_id} at the earliest {have - need:.0f} min before the "
                f"{depart:%H:%M} departure (left {label} at {leave:%H:%M}, {km:.1f} km); "
                f"the policy asks for {check_in} min",
                route,
                index,
            )
        return km

    def _check_distance(self, route: Route, technician: Technician | None, land_km: float) -> None:
        cap = technician.max_km_per_day if technician is not None else None
        if cap is not None and route.distance_km > cap + KM_CAP_TOLERANCE_KM:
            self._add(
                KM_CAP,
                f"distance {route.distance_km:.1f} km exceeds the technician's cap of {cap:.1f} km a day",
                route,
            )
        floor = land_km * (1.0 - DISTANCE_TOLERANCE)
        if route.distance_km < min(floor, land_km - KM_CAP_TOLERANCE_KM):
            self._add(
                DISTANCE,
                f"distance {route.distance_km:.1f} km is less than the {land_km:.1f} km of its moves by road "
                "in straight lines",
                route,
            )
