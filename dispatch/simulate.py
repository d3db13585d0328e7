"""Scenarios simulated over weeks: daily arrivals, one real solve per working day, carry-over.

Each working day of the horizon the day's problem is the scenario's problem with the
tickets still open (their ``opened_at`` kept, so they age and gain value) plus the day's
new arrivals, and the timetable of that day (less the sailings a strike cancels).  It is
planned by :func:`dromologio.dispatch.solve` for that one day.  Tickets visited, solved
remotely or sent to the vendor leave; the rest are carried over to the next working day.
Tickets at schools closed by snow are held back that day (not given to the solver) and
appear in the plan as unassigned with the reason
``κλειστό λόγω χιονιού στις <date> / closed by snow on <date>`` (code ``closed``).

Arrivals (:class:`TicketGenerator` or :class:`HistoryArrivals`) are drawn per calendar day:
the tickets opened from one working day up to the day before the next are planned on that
next day (Monday's plan takes Friday's, Saturday's and Sunday's).  The first simulated day
starts with the baseline's tickets as the open backlog.

Determinism: arrivals use a NumPy generator seeded by ``(seed, calendar day)``, so every
scenario sees the same base arrivals (common random numbers: differences between scenarios
come from their changes, not from different luck); a scenario that scales the volume draws
its extra tickets from a stream seeded by ``(seed, day, scenario name)``.  The solver runs
with ``seed`` too, but under a time limit how far its search gets depends on the machine's
load: plans (and so the KPIs) repeat exactly only when the search stops on a solution
count first, e.g. ``SimulationSettings(params=SearchParams(solution_limit=20))`` with a time
limit that is not reached.

Parallel runs (:func:`run_scenarios`) use Dask distributed: an embedded
``LocalCluster`` (2 worker processes of 1 thread, no dashboard) by default, or an
existing scheduler given by its address.  The days of one scenario depend on each
other (carry-over), so each scenario is a chain of day tasks, each taking the previous
day's state; scenarios run side by side.  Progress is shown per scenario and day; a
failing task is reported with its scenario, its day and the error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import time
import traceback
import uuid
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

import numpy as np

from dromologio.models import Problem, School, Ticket, Unassigned
from dromologio.models.checker import check_plan

from . import reasons
from .params import SearchParams
from .scenarios import ArrivalSettings, PreparedScenario, Scenario, prepare_scenarios
from .solve import solve, working_days

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Client

__all__ = [
    "AREAS",
    "ArrivalSource",
    "DayContext",
    "DayRecord",
    "HistoryArrivals",
    "PlanCheckError",
    "ScenarioFailure",
    "ScenarioRun",
    "ShiftRecord",
    "SimulationError",
    "SimulationResults",
    "SimulationSettings",
    "SimulationState",
    "TicketGenerator",
    "TicketRecord",
    "advance",
    "area_of",
    "closed_reason",
    "default_start",
    "finish",
    "make_arrivals",
    "read_history",
    "run_scenarios",
    "simulate",
    "start_state",
]

#: where a school lies, for KPIs: on an island, in mountainous terrain (mainland), or elsewhere.
AREAS: Final = ("island", "mountain", "mainland")
_FIRST_MINUTE: Final = 7 * 60 + 30
_LAST_MINUTE: Final = 15 * 60


def area_of(school: School) -> str:
    if school.island:
        return "island"
    return "mountain" if school.terrain == "mountainous" else "mainland"


def closed_reason(day: date) -> str:
    """The reason given for a ticket held back at a school closed by snow."""
    return f"κλειστό λόγω χιονιού στις {day.isoformat()} / closed by snow on {day.isoformat()}"


# --------------------------------------------------------------------------- arrivals


class ArrivalSource(Protocol):
    """Tickets opened on one calendar day."""

    def draw(self, day: date, rng: np.random.Generator, factor: float, prefix: str) -> list[Ticket]:
        """The tickets opened on ``day``, ``factor`` times the usual volume, ids starting ``prefix``."""
        ...


def _ticket_id(prefix: str, day: date, number: int) -> str:
    return f"{prefix}{day:%y%m%d}-{number:03d}"


def _instant(day: date, minute: int) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)


def _shares(counts: Mapping[Any, float]) -> tuple[tuple[Any, ...], tuple[float, ...]]:
    keys = tuple(sorted(counts, key=str))
    total = float(sum(counts[k] for k in keys))
    return keys, tuple(counts[k] / total for k in keys)


def _weekday_rates(history: Sequence[Ticket]) -> tuple[float, float]:
    """Mean tickets opened per weekday and per weekend day over the span of ``history``."""
    first = min(t.opened_at.date() for t in history)
    last = max(t.opened_at.date() for t in history)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    weekdays = sum(1 for d in days if d.weekday() < 5)
    weekends = len(days) - weekdays
    on_weekdays = sum(1 for t in history if t.opened_at.weekday() < 5)
    weekday_rate = on_weekdays / max(1, weekdays)
    weekend_rate = (len(history) - on_weekdays) / weekends if weekends else 0.0
    return weekday_rate, weekend_rate


@dataclass(frozen=True)
class TicketGenerator:
    """Tickets drawn from rates and mixes fitted to a history (see :meth:`fit`).

    Each calendar day brings Poisson(rate) tickets (the weekday or the weekend rate); each
    ticket's school, category (and so skill), priority, service minutes, remote and warranty
    flags and due time are drawn independently from the fitted shares.
    """

    school_ids: tuple[str, ...]
    school_p: tuple[float, ...]
    categories: tuple[tuple[str, str], ...]
    category_p: tuple[float, ...]
    priorities: tuple[str, ...]
    priority_p: tuple[float, ...]
    #: by skill: share of tickets solved remotely, share under warranty, service minutes seen.
    remote_share: Mapping[str, float]
    warranty_share: Mapping[str, float]
    service_minutes: Mapping[str, tuple[int, ...]]
    #: share of tickets with a due time, and the hours from opening to due seen.
    due_share: float
    due_hours: tuple[float, ...]
    weekday_rate: float
    weekend_rate: float

    @classmethod
    def fit(
        cls,
        history: Sequence[Ticket],
        schools: Sequence[School],
        *,
        tickets_per_day: float | None = None,
        school_smoothing: float = 0.5,
    ) -> TicketGenerator:
        """Fit to ``history``: per-school rates (counts plus ``school_smoothing`` each, so schools
        without history still get some), category, priority and service-time mixes, remote and
        warranty shares per skill, the share with a due time and its lead time.  ``tickets_per_day``
        sets the mean per weekday (the weekend rate keeps its ratio to it).
        """
        if not history:
            raise ValueError("cannot fit ticket arrivals to an empty history")
        if not schools:
            raise ValueError("cannot draw tickets without schools")
        by_school = Counter(t.school_id for t in history)
        school_ids = tuple(s.school_id for s in schools)
        weights = np.array([by_school.get(s, 0) + school_smoothing for s in school_ids], dtype=float)
        if weights.sum() <= 0:
            raise ValueError("no school has any ticket in the history and school_smoothing is 0")
        categories, category_p = _shares(Counter((t.category, t.skill) for t in history))
        priorities, priority_p = _shares(Counter(t.priority for t in history))
        by_skill: defaultdict[str, list[Ticket]] = defaultdict(list)
        for ticket in history:
            by_skill[ticket.skill].append(ticket)
        remote = {s: sum(t.remote for t in ts) / len(ts) for s, ts in by_skill.items()}
        warranty = {s: sum(t.warranty for t in ts) / len(ts) for s, ts in by_skill.items()}
        minutes = {s: tuple(sorted(t.service_minutes for t in ts)) for s, ts in by_skill.items()}
        leads = tuple(
            sorted(
                (t.due_by - t.opened_at).total_seconds() / 3600.0
                for t in history
                if t.due_by is not None and t.due_by > t.opened_at
            )
        )
        weekday_rate, weekend_rate = _weekday_rates(history)
        if tickets_per_day is not None:
            ratio = weekend_rate / weekday_rate if weekday_rate > 0 else 0.0
            weekday_rate, weekend_rate = tickets_per_day, tickets_per_day * ratio
        return cls(
            school_ids=school_ids,
            school_p=tuple(float(w) for w in weights / weights.sum()),
            categories=categories,
            category_p=category_p,
            priorities=priorities,
            priority_p=priority_p,
            remote_share=remote,
            warranty_share=warranty,
            service_minutes=minutes,
            due_share=sum(1 for t in history if t.due_by is not None) / len(history) if leads else 0.0,
            due_hours=leads,
            weekday_rate=weekday_rate,
            weekend_rate=weekend_rate,
        )

    def rate(self, day: date) -> float:
        """Mean tickets opened on ``day``."""
        return self.weekday_rate if day.weekday() < 5 else self.weekend_rate

    def draw(self, day: date, rng: np.random.Generator, factor: float, prefix: str) -> list[Ticket]:
        count = int(rng.poisson(self.rate(day) * factor))
        if count == 0:
            return []
        schools = rng.choice(len(self.school_ids), size=count, p=self.school_p)
        categories = rng.choice(len(self.categories), size=count, p=self.category_p)
        priorities = rng.choice(len(self.priorities), size=count, p=self.priority_p)
        minutes = (
            np.sort(rng.integers(0, (_LAST_MINUTE - _FIRST_MINUTE) // 5 + 1, size=count)) * 5 + _FIRST_MINUTE
        )
        draws = rng.random((count, 4))
        tickets: list[Ticket] = []
        for n in range(count):
            category, skill = self.categories[int(categories[n])]
            service = self.service_minutes[skill]
            remote = bool(draws[n, 0] < self.remote_share[skill])
            warranty = not remote and bool(draws[n, 1] < self.warranty_share[skill])
            opened = _instant(day, int(minutes[n]))
            due = None
            if self.due_hours and draws[n, 2] < self.due_share:
                lead = self.due_hours[min(len(self.due_hours) - 1, int(draws[n, 3] * len(self.due_hours)))]
                due = opened + timedelta(hours=max(4.0, lead))
            tickets.append(
                Ticket(
                    ticket_id=_ticket_id(prefix, day, n + 1),
                    school_id=self.school_ids[int(schools[n])],
                    opened_at=opened,
                    category=category,
                    skill=skill,
                    priority=self.priorities[int(priorities[n])],
                    service_minutes=service[int(rng.integers(len(service)))],
                    remote=remote,
                    warranty=warranty,
                    due_by=due,
                )
            )
        return tickets


@dataclass(frozen=True)
class HistoryArrivals:
    """Whole days of a history replayed: each calendar day gets the tickets of a day of the
    history picked at random among weekdays (or weekend days), moved to that date.

    ``factor`` 2 replays two days; a fraction of a day is a random share of one more.
    ``scale`` multiplies every factor (to set a mean per weekday different from the history's).
    """

    weekdays: tuple[tuple[Ticket, ...], ...]
    weekends: tuple[tuple[Ticket, ...], ...]
    scale: float = 1.0

    @classmethod
    def from_history(
        cls, history: Sequence[Ticket], *, tickets_per_day: float | None = None
    ) -> HistoryArrivals:
        if not history:
            raise ValueError("cannot replay an empty history")
        first = min(t.opened_at.date() for t in history)
        last = max(t.opened_at.date() for t in history)
        by_day: defaultdict[date, list[Ticket]] = defaultdict(list)
        for ticket in sorted(history, key=lambda t: (t.opened_at, t.ticket_id)):
            by_day[ticket.opened_at.date()].append(ticket)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        weekdays = tuple(tuple(by_day[d]) for d in days if d.weekday() < 5)
        weekends = tuple(tuple(by_day[d]) for d in days if d.weekday() >= 5)
        scale = 1.0
        if tickets_per_day is not None:
            mean = sum(len(d) for d in weekdays) / max(1, len(weekdays))
            scale = tickets_per_day / mean if mean > 0 else 0.0
        return cls(weekdays, weekends, scale)

    def draw(self, day: date, rng: np.random.Generator, factor: float, prefix: str) -> list[Ticket]:
        pool = self.weekdays if day.weekday() < 5 or not self.weekends else self.weekends
        factor *= self.scale
        if not pool or factor <= 0:
            return []
        out: list[Ticket] = []
        whole = math.floor(factor)
        for replay in range(math.ceil(factor)):
            source = pool[int(rng.integers(len(pool)))]
            keep = rng.random(len(source)) < (1.0 if replay < whole else factor - whole)
            for ticket, kept in zip(source, keep, strict=True):
                if not kept:
                    continue
                shift = day - ticket.opened_at.date()
                out.append(
                    dataclasses.replace(
                        ticket,
                        ticket_id=_ticket_id(prefix, day, len(out) + 1),
                        opened_at=ticket.opened_at + shift,
                        due_by=None if ticket.due_by is None else ticket.due_by + shift,
                    )
                )
        return out


def read_history(path: Any, problem: Problem) -> tuple[Ticket, ...]:
    """The tickets of a history: a ``tickets.csv`` (checked against ``problem``'s schools) or a problem."""
    import csv
    from pathlib import Path

    from dromologio.models import problem_to_dict, read_problem, read_problem_dict

    location = Path(path)
    if location.suffix.lower() != ".csv":
        return read_problem(location).tickets
    with location.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    document = problem_to_dict(problem)
    document["tickets"] = rows
    return read_problem_dict(document, source=location.name).tickets


def make_arrivals(
    settings: ArrivalSettings, problem: Problem, history: Sequence[Ticket] | None = None
) -> ArrivalSource:
    """The arrival source of ``settings``, fitted to ``history`` (default: ``problem``'s tickets)."""
    tickets = problem.tickets if history is None else tuple(history)
    unknown = sorted({t.school_id for t in tickets} - set(problem.school_by_id))
    if unknown:
        shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        raise ValueError(f"the history names {len(unknown)} school(s) the problem does not have: {shown}")
    if settings.model == "history":
        return HistoryArrivals.from_history(tickets, tickets_per_day=settings.tickets_per_day)
    return TicketGenerator.fit(
        tickets,
        problem.schools,
        tickets_per_day=settings.tickets_per_day,
        school_smoothing=settings.school_smoothing,
    )


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class SimulationSettings:
    """How a simulation runs.  ``time_limit_s`` is the solver's limit per working day."""

    days: int = 20
    start: date | None = None
    time_limit_s: float = 3.0
    seed: int = 1
    params: SearchParams | None = None
    #: run the independent checker on every daily plan and fail on any violation.
    check: bool = False
    #: keep every daily plan (as its JSON document) in the result.
    keep_plans: bool = False

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("days must be at least 1")
        if self.time_limit_s <= 0:
            raise ValueError("time_limit_s must be positive")


@dataclass(frozen=True)
class TicketRecord:
    """One ticket's life in a simulation."""

    ticket_id: str
    school_id: str
    priority: str
    area: str
    opened_at: datetime
    due_by: datetime | None
    #: the working day it was first planned (the first day for the opening backlog).
    first_planned: date
    #: True for tickets of the opening backlog (the baseline's tickets).
    backlog: bool
    #: "visit", "remote" or "vendor".
    triage: str
    #: start of the visit that served it (None while open).
    served_at: datetime | None = None
    technician_id: str | None = None


@dataclass(frozen=True)
class DayRecord:
    """Figures of one simulated working day."""

    date: date
    day: int
    arrivals: int
    to_visit: int
    served: int
    remote: int
    vendor: int
    unassigned: int
    held_closed: int
    backlog: int
    distance_km: float
    cost_eur: float
    travel_minutes: int
    technicians_used: int
    sailings: int
    sailings_cancelled: int
    solve_seconds: float
    status: str


@dataclass(frozen=True)
class ShiftRecord:
    """One technician's working day: minutes at work, on the road and in the shift."""

    technician_id: str
    date: date
    shift_minutes: int
    work_minutes: int
    travel_minutes: int
    visits: int
    tickets: int
    distance_km: float
    cost_eur: float


@dataclass(frozen=True)
class SimulationState:
    """Where a scenario's simulation stands before working day ``next_day`` (0-based)."""

    scenario: str
    next_day: int
    open_tickets: tuple[Ticket, ...]
    tickets: Mapping[str, TicketRecord]
    days: tuple[DayRecord, ...] = ()
    shifts: tuple[ShiftRecord, ...] = ()
    plans: tuple[dict[str, Any], ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class ScenarioRun:
    """A scenario simulated over its horizon."""

    scenario: str
    description: str
    horizon: tuple[date, ...]
    days: tuple[DayRecord, ...]
    tickets: tuple[TicketRecord, ...]
    shifts: tuple[ShiftRecord, ...]
    technicians: tuple[str, ...]
    #: every daily plan as its JSON document (only with ``keep_plans``).
    plans: tuple[dict[str, Any], ...] = ()
    seconds: float = 0.0

    @property
    def served(self) -> int:
        return sum(d.served for d in self.days)

    @property
    def backlog(self) -> tuple[int, ...]:
        """Tickets needing a visit still open at the end of each day."""
        return tuple(d.backlog for d in self.days)


@dataclass(frozen=True)
class DayContext:
    """What every day of one scenario needs (sent once to the workers)."""

    scenario: PreparedScenario
    arrivals: ArrivalSource
    settings: SimulationSettings


class PlanCheckError(AssertionError):
    """A daily plan broke a rule of the independent checker (``check=True``)."""


# --------------------------------------------------------------------------- one day


def _rng(seed: int, day: date, *salt: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, day.toordinal(), *salt]))


def _arrivals(context: DayContext, day: date) -> list[Ticket]:
    """Tickets opened on calendar ``day``: the common draw, scaled for this scenario."""
    settings = context.settings
    scale = context.scenario.ticket_scale
    common = context.arrivals.draw(day, _rng(settings.seed, day), 1.0, "N")
    if scale == 1.0:
        return common
    own = _rng(settings.seed, day, zlib.crc32(context.scenario.name.encode("utf-8")))
    if scale < 1.0:
        keep = own.random(len(common)) < scale
        return [t for t, kept in zip(common, keep, strict=True) if kept]
    return common + context.arrivals.draw(day, own, scale - 1.0, "X")


def start_state(context: DayContext) -> SimulationState:
    """The state before the first day: the baseline's tickets are the open backlog."""
    scenario = context.scenario
    first = scenario.horizon[0]
    schools = scenario.problem.school_by_id
    records = {
        t.ticket_id: _record(t, schools[t.school_id], first, backlog=True) for t in scenario.problem.tickets
    }
    return SimulationState(scenario.name, 0, scenario.problem.tickets, records)


def _record(ticket: Ticket, school: School, day: date, *, backlog: bool) -> TicketRecord:
    triage = "vendor" if ticket.warranty else "remote" if ticket.remote else "visit"
    return TicketRecord(
        ticket.ticket_id,
        ticket.school_id,
        ticket.priority,
        area_of(school),
        ticket.opened_at,
        ticket.due_by,
        day,
        backlog,
        triage,
    )


def advance(context: DayContext, state: SimulationState) -> SimulationState:
    """Plan the next working day of ``state``; returns the state after it (``state`` is not changed)."""
    started = time.perf_counter()
    scenario = context.scenario
    settings = context.settings
    number = state.next_day
    if number >= len(scenario.horizon):
        raise ValueError(f"scenario '{scenario.name}' has no working day {number + 1} in its horizon")
    day = scenario.horizon[number]
    arrivals: list[Ticket] = []
    if number > 0:
        calendar = scenario.horizon[number - 1]
        while calendar < day:
            arrivals += _arrivals(context, calendar)
            calendar += timedelta(days=1)
    problem = scenario.problem
    records = dict(state.tickets)
    for ticket in arrivals:
        records[ticket.ticket_id] = _record(
            ticket, problem.school_by_id[ticket.school_id], day, backlog=False
        )
    open_tickets = (*state.open_tickets, *arrivals)
    closed = scenario.closed_on(day)
    held = tuple(t for t in open_tickets if t.needs_visit and t.school_id in closed)
    held_ids = {t.ticket_id for t in held}
    sailings = scenario.sailings_on(day)
    day_problem = problem.replace(
        tickets=tuple(t for t in open_tickets if t.ticket_id not in held_ids), sailings=sailings
    )
    result = solve(
        day_problem, day, time_limit_s=settings.time_limit_s, seed=settings.seed, params=settings.params
    )
    plan = result.plan
    if held:
        reason = closed_reason(day)
        kpis = {**plan.kpis, "tickets": len(open_tickets), "held_closed": len(held)}
        plan = dataclasses.replace(
            plan,
            unassigned=(*plan.unassigned, *(Unassigned(t.ticket_id, reason, reasons.CLOSED) for t in held)),
            kpis=kpis,
        )
    if settings.check:
        report = check_plan(problem.replace(tickets=open_tickets, sailings=sailings), plan)
        if not report.ok:
            raise PlanCheckError(f"scenario '{scenario.name}', plan of {day.isoformat()}: {report}")
    shifts: list[ShiftRecord] = []
    for route in plan.routes:
        technician = problem.technician_by_id[route.technician_id]
        work = sum(int((s.end - s.start).total_seconds() // 60) for s in route.visits if s.end and s.start)
        shifts.append(
            ShiftRecord(
                route.technician_id,
                day,
                technician.shift_end_min - technician.shift_start_min,
                work,
                route.travel_minutes,
                len(route.visits),
                len(route.ticket_ids),
                route.distance_km,
                route.cost_eur,
            )
        )
        for stop in route.visits:
            for ident in stop.ticket_ids:
                records[ident] = dataclasses.replace(
                    records[ident], served_at=stop.start, technician_id=route.technician_id
                )
    leaving = set(plan.visited_ticket_ids) | set(plan.remote) | set(plan.vendor)
    carried = tuple(t for t in open_tickets if t.ticket_id not in leaving)
    record = DayRecord(
        date=day,
        day=number + 1,
        arrivals=len(arrivals),
        to_visit=sum(1 for t in open_tickets if t.needs_visit),
        served=len(plan.visited_ticket_ids),
        remote=len(plan.remote),
        vendor=len(plan.vendor),
        unassigned=len(plan.unassigned) - len(held),
        held_closed=len(held),
        backlog=len(carried),
        distance_km=round(sum(r.distance_km for r in plan.routes), 1),
        cost_eur=round(sum(r.cost_eur for r in plan.routes), 2),
        travel_minutes=sum(r.travel_minutes for r in plan.routes),
        technicians_used=sum(1 for r in plan.routes if r.visits),
        sailings=sum(1 for s in sailings if s.runs_on(day)),
        sailings_cancelled=sum(1 for s in problem.sailings if s.runs_on(day))
        - sum(1 for s in sailings if s.runs_on(day)),
        solve_seconds=float(plan.kpis.get("solve_seconds") or 0.0),
        status=str(plan.kpis.get("status", "")),
    )
    return SimulationState(
        scenario=state.scenario,
        next_day=number + 1,
        open_tickets=carried,
        tickets=records,
        days=(*state.days, record),
        shifts=(*state.shifts, *shifts),
        plans=(*state.plans, plan.to_dict()) if settings.keep_plans else state.plans,
        seconds=state.seconds + time.perf_counter() - started,
    )


def finish(context: DayContext, state: SimulationState) -> ScenarioRun:
    scenario = context.scenario
    return ScenarioRun(
        scenario=scenario.name,
        description=scenario.description,
        horizon=scenario.horizon[: state.next_day],
        days=state.days,
        tickets=tuple(state.tickets.values()),
        shifts=state.shifts,
        technicians=tuple(t.technician_id for t in scenario.problem.technicians),
        plans=state.plans,
        seconds=round(state.seconds, 3),
    )


def default_start(problem: Problem) -> date:
    """The first working day after the newest ticket's opening day (today's date without tickets)."""
    if not problem.tickets:
        return date.today()
    day = max(t.opened_at for t in problem.tickets).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _contexts(
    baseline: Problem,
    scenarios: Sequence[Scenario],
    settings: SimulationSettings,
    arrivals: ArrivalSettings | ArrivalSource | None,
    history: Sequence[Ticket] | None,
) -> tuple[tuple[date, ...], list[DayContext]]:
    horizon = working_days(settings.start or default_start(baseline), settings.days)
    prepared = prepare_scenarios(baseline, scenarios, horizon)
    if arrivals is None or isinstance(arrivals, ArrivalSettings):
        source = make_arrivals(arrivals or ArrivalSettings(), baseline, history)
    else:
        source = arrivals
    return horizon, [DayContext(p, source, settings) for p in prepared]


def simulate(
    baseline: Problem,
    scenario: Scenario,
    settings: SimulationSettings | None = None,
    *,
    arrivals: ArrivalSettings | ArrivalSource | None = None,
    history: Sequence[Ticket] | None = None,
) -> ScenarioRun:
    """One scenario over ``settings.days`` working days, in this process."""
    settings = settings or SimulationSettings()
    _, (context,) = _contexts(baseline, [scenario], settings, arrivals, history)
    state = start_state(context)
    for _ in context.scenario.horizon:
        state = advance(context, state)
    return finish(context, state)


# --------------------------------------------------------------------------- many scenarios


@dataclass(frozen=True)
class ScenarioFailure:
    """A scenario whose simulation failed: on which day, and why."""

    scenario: str
    day: date | None
    error: str
    traceback: str = ""

    def __str__(self) -> str:
        when = f" on {self.day.isoformat()}" if self.day else ""
        return f"scenario '{self.scenario}' failed{when}: {self.error}"


class SimulationError(RuntimeError):
    """Some scenarios failed; ``failures`` says which, when and why."""

    def __init__(self, failures: Sequence[ScenarioFailure]) -> None:
        super().__init__("\n".join(str(f) for f in failures))
        self.failures = tuple(failures)


@dataclass(frozen=True)
class SimulationResults:
    """Every scenario's run (in the order given), the failures, and how it ran."""

    runs: tuple[ScenarioRun, ...]
    settings: SimulationSettings
    horizon: tuple[date, ...]
    reference: str
    failures: tuple[ScenarioFailure, ...] = ()
    scheduler: str = ""
    workers: int = 0
    wall_seconds: float = 0.0
    descriptions: Mapping[str, str] = field(default_factory=dict)

    def run(self, name: str) -> ScenarioRun:
        for run in self.runs:
            if run.scenario == name:
                return run
        raise KeyError(f"no run of scenario '{name}' (runs: {', '.join(r.scenario for r in self.runs)})")

    def kpis(self) -> pd.DataFrame:
        """The tidy KPI table of every run (see :func:`dromologio.dispatch.kpis.kpi_table`)."""
        from .kpis import kpi_table

        return kpi_table(self.runs)


def run_scenarios(
    baseline: Problem,
    scenarios: Sequence[Scenario],
    settings: SimulationSettings | None = None,
    *,
    arrivals: ArrivalSettings | ArrivalSource | None = None,
    history: Sequence[Ticket] | None = None,
    scheduler: str | Client | None = None,
    n_workers: int = 2,
    reference: str | None = None,
    progress: bool = True,
    on_error: Literal["raise", "collect"] = "raise",
) -> SimulationResults:
    """Simulate every scenario over the same horizon and arrivals.

    ``scheduler``: None starts an embedded Dask ``LocalCluster`` of ``n_workers`` processes
    (1 thread each, no dashboard) for this call; ``"serial"`` runs everything in this
    process, one day after another; an address (``tcp://host:8786``) or a
    ``distributed.Client`` uses that cluster (its workers need ``dromologio`` installed).
    Invalid scenarios raise :class:`~dromologio.dispatch.scenarios.ScenarioError` before
    anything runs.  A failed scenario raises :class:`SimulationError` after the others have
    finished (``on_error="collect"`` returns it in ``failures`` instead).
    """
    settings = settings or SimulationSettings()
    started = time.perf_counter()
    horizon, contexts = _contexts(baseline, scenarios, settings, arrivals, history)
    reference = reference or contexts[0].scenario.name
    if reference not in {c.scenario.name for c in contexts}:
        raise ValueError(f"reference '{reference}' is not one of the scenarios")
    with _progress(progress, contexts) as tick:
        if scheduler == "serial":
            runs, failures = _run_serial(contexts, tick)
            where, workers = "serial (this process)", 1
        else:
            with _client(scheduler, n_workers) as (client, where):
                workers = len(client.scheduler_info().get("workers", {}))
                runs, failures = _run_dask(client, contexts, tick)
    if failures and on_error == "raise":
        raise SimulationError(failures)
    return SimulationResults(
        runs=tuple(runs),
        settings=settings,
        horizon=horizon,
        reference=reference,
        failures=tuple(failures),
        scheduler=where,
        workers=workers,
        wall_seconds=round(time.perf_counter() - started, 2),
        descriptions={c.scenario.name: c.scenario.description for c in contexts},
    )


Tick = Callable[[str, int], None]


@contextlib.contextmanager
def _progress(show: bool, contexts: Sequence[DayContext]) -> Iterator[Tick]:
    if not show:
        yield lambda name, days: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as bar:
        tasks = {
            c.scenario.name: bar.add_task(c.scenario.name, total=len(c.scenario.horizon)) for c in contexts
        }

        def tick(name: str, days: int) -> None:
            bar.update(tasks[name], completed=days)

        yield tick


def _failure(name: str, day: date | None, error: BaseException, trace: str = "") -> ScenarioFailure:
    return ScenarioFailure(name, day, f"{type(error).__name__}: {error}", trace)


def _run_serial(
    contexts: Sequence[DayContext], tick: Tick
) -> tuple[list[ScenarioRun], list[ScenarioFailure]]:
    runs: list[ScenarioRun] = []
    failures: list[ScenarioFailure] = []
    for context in contexts:
        state = start_state(context)
        try:
            for day in context.scenario.horizon:
                try:
                    state = advance(context, state)
                except Exception as error:
                    failures.append(_failure(context.scenario.name, day, error, traceback.format_exc()))
                    raise
                tick(context.scenario.name, state.next_day)
        except Exception:
            continue
        runs.append(finish(context, state))
    return runs, failures


@contextlib.contextmanager
def _client(scheduler: str | Client | None, n_workers: int) -> Iterator[tuple[Client, str]]:
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler, f"Dask client {scheduler.scheduler.address if scheduler.scheduler else ''}"
        return
    if scheduler:
        with Client(scheduler, set_as_default=False) as client:  # type: ignore[no-untyped-call]
            yield client, f"Dask scheduler {scheduler}"
        return
    if n_workers < 1:
        raise ValueError("n_workers must be at least 1")
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster, set_as_default=False) as client,  # type: ignore[no-untyped-call]
    ):
        yield client, f"Dask LocalCluster ({n_workers} processes × 1 thread)"


def _run_dask(
    client: Client, contexts: Sequence[DayContext], tick: Tick
) -> tuple[list[ScenarioRun], list[ScenarioFailure]]:
    from distributed import as_completed

    token = uuid.uuid4().hex[:8]
    # future key -> (scenario index, day index; -1 for the final assembly)
    where: dict[str, tuple[int, int]] = {}
    futures: list[Any] = []
    finals: dict[int, Any] = {}
    for index, context in enumerate(contexts):
        shared = client.scatter(context, hash=False)  # type: ignore[no-untyped-call]
        state: Any = client.submit(start_state, shared, key=f"sim-{token}-{index}-start", pure=False)
        futures.append(state)
        where[str(state.key)] = (index, -2)
        for number in range(len(context.scenario.horizon)):
            state = client.submit(
                advance, shared, state, key=f"sim-{token}-{index}-day{number + 1:03d}", pure=False
            )
            futures.append(state)
            where[str(state.key)] = (index, number)
        final = client.submit(finish, shared, state, key=f"sim-{token}-{index}-finish", pure=False)
        futures.append(final)
        where[str(final.key)] = (index, -1)
        finals[index] = final
    first_error: dict[int, tuple[int, BaseException, str]] = {}
    for future in as_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
        index, number = where[str(future.key)]
        name = contexts[index].scenario.name
        if future.status == "finished":
            if number >= 0:
                tick(name, number + 1)
            continue
        if future.status != "error":
            continue
        error = future.exception()
        trace = "".join(traceback.format_tb(future.traceback())) if future.traceback() else ""
        known = first_error.get(index)
        # the start state fails before any day; the final assembly after every day
        order = {-2: -1, -1: 10**6}.get(number, number)
        if known is None or order < known[0]:
            first_error[index] = (order, error, trace)
    runs: list[ScenarioRun] = []
    failures: list[ScenarioFailure] = []
    for index, context in enumerate(contexts):
        if index in first_error:
            order, error, trace = first_error[index]
            horizon = context.scenario.horizon
            day = horizon[order] if 0 <= order < len(horizon) else None
            failures.append(_failure(context.scenario.name, day, error, trace))
            continue
        run: ScenarioRun = finals[index].result()
        runs.append(run)
    return runs, failures
