"""Plan audit: unassigned tickets that the plan could still have served for less.

:func:`audit_plan` looks at every ticket a plan leaves ``unassigned`` and asks whether
some technician could still take it with every rule of the checker kept and a lower
objective.  It works beside the checker and never reads the solver's numbers: each
candidate day is rebuilt from the schools it visits with the contract's travel model
(:mod:`.retime`: road speeds and circuity of the policy, sailings of the timetable
with check-in), priced with the contract's objective, and the changed days are then
run through :func:`~dromologio.models.checker.check_plan`.  A finding is reported only
when the checker accepts the changed days.

Finding kinds (:data:`KINDS`):

``insertable``
    An unassigned ticket fits into a technician's day (a day with visits), at the
    best place in its order, with the sailings it needs chosen from the timetable, and
    the ticket's value (what leaving it undone costs) is more than the added km,
    fares, allowances, driving time and workload.  One finding per ticket: the
    technician for whom the objective drops most.
``idle_could_serve``
    A technician with an *empty* day (no visits) or a *short* day (from leaving to
    coming back, less than ``short_share`` of the shift: half by default) could serve
    an unassigned ticket alone, as a round trip from where the day starts, and the
    objective drops.  For a short day the round trip replaces the day and the
    tickets it served count as left undone (they are named in ``displaced``); when the
    ticket simply fits into the short day it is an ``insertable`` finding instead.
    One finding per technician and day: the ticket that lowers the objective most.
``swap``
    An unassigned ticket that no day can take as it is, but which technician A can
    take once other technicians take over some of A's visits (one visit, two, or all
    of them, each placed at its best place in another day); the moves are in
    ``handovers``.  Sought only for tickets that no ``insertable`` finding covers.

The objective change of a finding (``delta_eur``, negative = better) is the
contract's: change in route money (km x rate, tolls, fares, per diem, overnight) +
change in hours driving x ``time_value_eur_per_hour`` + change in the visits' costs
(outside the technician's Directorate, beyond a school's first ticket) + change in the
busiest technician's work (time on site and aboard) x ``balance_eur_per_hour`` - the
value of the ticket(s) served instead of left undone, their priority tier's floor
included (+ the value of displaced tickets).

A technician without a route on a plan date is not working that day (the contract
gives one route per technician per working day) and is never offered work on it.
Not audited (listed in :attr:`AuditReport.not_audited`): technicians whose routes the
checker already rejects, and days the travel model cannot rebuild.  Road closures and
dispatcher locks are not in the problem files: pass them as ``closed`` and ``locks``.
Each finding stands alone: two findings may use the same technician's time.
"""

from __future__ import annotations

import itertools
import time as clock
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from .checker import Violation, check_plan
from .plan import Plan, Route, Unassigned
from .problem import Problem, Technician, Ticket
from .retime import (
    Day,
    DayValues,
    Price,
    RoadTimes,
    Schedule,
    Travel,
    Visit,
    day_of,
    day_values,
    price_route,
    time_day,
    visits_of,
)
from .service_columns import works_on
from .vocab import PRIORITY_LABELS_EL

INSERTABLE: Final = "insertable"
IDLE_COULD_SERVE: Final = "idle_could_serve"
SWAP: Final = "swap"
#: Every finding kind, in the order reports list them.
KINDS: Final = (INSERTABLE, IDLE_COULD_SERVE, SWAP)

#: A day is short when it lasts less than this share of the shift (leaving to coming back).
SHORT_SHARE: Final = 0.5
#: Objective changes smaller than this (EUR) are rounding, not findings.
MIN_GAIN_EUR: Final = 0.01
#: Swaps try every pair of a day's visits up to this many visits (singles and all always).
SWAP_PAIRS_UP_TO: Final = 6

#: ``closed(school_id, day, technician)``: the school cannot be reached by that technician that day.
Closed = Callable[[str, date, Technician], bool]


@dataclass(frozen=True)
class Handover:
    """A ticket that moves from one technician's day to another's."""

    ticket_id: str
    from_technician: str
    to_technician: str


@dataclass(frozen=True)
class Finding:
    """An unassigned ticket that the plan could still serve for a lower objective."""

    kind: str
    ticket_id: str
    technician_id: str
    date: date
    #: objective change in EUR of the plan with this finding applied (negative: better).
    delta_eur: float
    #: Greek first, then English.
    message: str
    #: what leaving the ticket undone costs on that day.
    ticket_value_eur: float = 0.0
    #: the changed days, timed and priced, each accepted by the checker.
    routes: tuple[Route, ...] = ()
    #: tickets moved between technicians (``swap``).
    handovers: tuple[Handover, ...] = ()
    #: tickets the technician's day no longer serves (``idle_could_serve`` on a short day).
    displaced: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"[{self.kind}] {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ticket_id": self.ticket_id,
            "technician_id": self.technician_id,
            "date": self.date.isoformat(),
            "delta_eur": round(self.delta_eur, 2),
            "ticket_value_eur": round(self.ticket_value_eur, 2),
            "message": self.message,
            "handovers": [
                {"ticket_id": h.ticket_id, "from": h.from_technician, "to": h.to_technician}
                for h in self.handovers
            ],
            "displaced": list(self.displaced),
            "routes": [r.to_dict() for r in self.routes],
        }


@dataclass(frozen=True)
class AuditReport:
    """Every finding of the audit; ``ok`` when the plan leaves no ticket undone without need."""

    findings: tuple[Finding, ...] = ()
    #: days the audit did not look into, and why.
    not_audited: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.findings

    def by_kind(self, kind: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == kind)

    @property
    def ticket_ids(self) -> frozenset[str]:
        return frozenset(f.ticket_id for f in self.findings)

    def __str__(self) -> str:
        if self.ok:
            text = "κανένα αίτημα δεν μένει χωρίς λόγο / no ticket is left undone without need"
        else:
            lines = [f"{len(self.findings)} εύρημα(τα) / finding(s):"]
            lines += [f"  - {f}" for f in self.findings]
            text = "\n".join(lines)
        if self.not_audited:
            text += "\nδεν ελέγχθηκαν / not audited:\n" + "\n".join(f"  - {n}" for n in self.not_audited)
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "findings": [f.to_dict() for f in self.findings],
            "not_audited": list(self.not_audited),
            "seconds": round(self.seconds, 3),
        }


def audit_plan(
    problem: Problem,
    plan: Plan | Mapping[str, Any],
    *,
    closed: Closed | None = None,
    locks: Mapping[str, str] | None = None,
    short_share: float = SHORT_SHARE,
    swaps: bool = True,
    road: RoadTimes | None = None,
) -> AuditReport:
    """Audit ``plan`` (a :class:`Plan` or its JSON document) for tickets left undone without need.

    ``closed`` says which schools a technician cannot reach on a day (road closures);
    ``locks`` maps ticket ids to the only technician who may serve them;
    ``short_share`` sets what a short day is; ``swaps=False`` skips the ``swap`` search;
    ``road`` gives the road times of the travel model the plan was made with (the solver's:
    ``dromologio.dispatch.road_times``), else the contract's straight-line estimate is used.
    """
    started = clock.perf_counter()
    if not isinstance(plan, Plan):
        try:
            plan = Plan.from_dict(plan)
        except Exception as error:  # a foreign document that does not parse is the checker's finding
            return AuditReport((), (f"το πλάνο δεν διαβάζεται / the plan cannot be read: {error}",))
    audit = _Audit(problem, plan, closed, dict(locks or {}), short_share, road)
    audit.run(swaps)
    return AuditReport(tuple(audit.ordered()), tuple(audit.not_audited), clock.perf_counter() - started)


def apply_finding(plan: Plan, finding: Finding) -> Plan:
    """``plan`` with the finding's days in place and its tickets no longer unassigned."""
    changed = {(r.technician_id, r.date): r for r in finding.routes}
    routes = [changed.pop((r.technician_id, r.date), r) for r in plan.routes]
    routes += changed.values()
    served = {t for r in finding.routes for t in r.ticket_ids}
    unassigned = [u for u in plan.unassigned if u.ticket_id not in served]
    unassigned += [
        Unassigned(
            t,
            f"παραχωρήθηκε για το {finding.ticket_id} / made way for {finding.ticket_id}",
            "capacity",
        )
        for t in finding.displaced
    ]
    return Plan(plan.dates, tuple(routes), tuple(unassigned), plan.remote, plan.vendor, plan.kpis)


def day_objective_eur(problem: Problem, plan: Plan, day: date, road: RoadTimes | None = None) -> float:
    """The contract's objective of one plan date, priced as the audit prices it.

    Routes of ``day`` (money and driving time), the value on ``day`` of every ticket
    left undone by its end (unassigned, or served on a later date) and the busiest
    technician's work that day.  The ``delta_eur`` of a finding is the change of this
    figure on the finding's date (with the same ``road`` times as the audit).
    """
    travel = Travel(problem, day, road)
    values = day_values(problem, day)
    routes = [r for r in plan.routes if r.date == day]
    total = sum(price_route(problem, travel, r).objective_eur for r in routes)
    later = [t for r in plan.routes if r.date > day for t in r.ticket_ids]
    undone = [u.ticket_id for u in plan.unassigned] + later
    for ticket_id in undone:
        ticket = problem.ticket_by_id.get(ticket_id)
        if ticket is not None and ticket.needs_visit and ticket.opened_at.date() <= day:
            total += values.value_eur(ticket)
    busiest = max((_work_minutes(problem, r) for r in routes), default=0)
    return total + busiest / 60.0 * problem.policy.balance_eur_per_hour


# ---------------------------------------------------------------------------- internals


@dataclass
class _Candidate:
    """A changed set of days and what the change does to the objective."""

    delta: float
    routes: dict[str, Schedule]
    value: float
    handovers: tuple[Handover, ...] = ()
    displaced: tuple[str, ...] = ()
    cost: float = 0.0


@dataclass
class _DayState:
    """One plan date: each technician's day as the plan has it and as the audit rebuilds it."""

    day: date
    travel: Travel
    #: what leaving each ticket undone that day costs.
    values: DayValues
    frames: dict[str, Day] = field(default_factory=dict)
    visits: dict[str, tuple[Visit, ...]] = field(default_factory=dict)
    plan_route: dict[str, Route | None] = field(default_factory=dict)
    prices: dict[str, Price] = field(default_factory=dict)
    work: dict[str, int] = field(default_factory=dict)
    #: days already timed, by technician and visits in order (None: not feasible).
    days: dict[tuple[str, tuple[Visit, ...]], Schedule | None] = field(default_factory=dict)
    #: best insertions already found, by technician, visits in order and the visit put in.
    insertions: dict[tuple[str, tuple[Visit, ...], Visit], Schedule | None] = field(default_factory=dict)

    #: whether a ticket could go to a technician other than the one named, days as planned.
    placeable: dict[tuple[str, str], bool] = field(default_factory=dict)

    def time(self, problem: Problem, tid: str, visits: tuple[Visit, ...]) -> Schedule | None:
        key = (tid, visits)
        if key not in self.days:
            self.days[key] = time_day(problem, self.travel, self.frames[tid], visits)
        return self.days[key]


class _Audit:
    def __init__(
        self,
        problem: Problem,
        plan: Plan,
        closed: Closed | None,
        locks: dict[str, str],
        short_share: float,
        road: RoadTimes | None = None,
    ) -> None:
        self.problem = problem
        self.road = road
        self.plan = plan
        self.closed = closed
        self.locks = locks
        self.short_share = short_share
        self.policy = problem.policy
        self.not_audited: list[str] = []
        self.findings: list[Finding] = []
        served = set(plan.visited_ticket_ids)
        self.pending = [
            t
            for u in dict.fromkeys(u.ticket_id for u in plan.unassigned)
            if (t := problem.ticket_by_id.get(u)) is not None and t.needs_visit and u not in served
        ]
        self.states: list[_DayState] = []

    # ------------------------------------------------------------------ setup

    def _prepare(self) -> None:
        report = check_plan(self.problem, self.plan)
        rejected = {v.technician_id for v in report.violations if v.technician_id is not None}
        for technician_id in sorted(rejected):
            self.not_audited.append(
                f"{technician_id}: ο έλεγχος απορρίπτει τη διαδρομή / the checker rejects the route"
            )
        routes: dict[tuple[str, date], Route] = {}
        for planned in self.plan.routes:
            routes.setdefault((planned.technician_id, planned.date), planned)
        for day in sorted(set(self.plan.dates)):
            state = _DayState(day, Travel(self.problem, day, self.road), day_values(self.problem, day))
            for technician in self.problem.technicians:
                tid = technician.technician_id
                route = routes.get((tid, day))
                state.work[tid] = _work_minutes(self.problem, route)
                if tid in rejected or route is None:
                    continue  # no route: not a working day of the technician (one route a working day)
                if not works_on(technician, day):
                    continue  # not one of its work days (``work_days``): offered no work
                if any(t not in self.problem.ticket_by_id for t in route.ticket_ids):
                    continue  # the checker reports the unknown ticket
                frame = day_of(self.problem, technician, day, route)
                visits = visits_of(route)
                timed = time_day(self.problem, state.travel, frame, visits) if frame is not None else None
                if frame is None or timed is None:
                    self.not_audited.append(
                        f"{tid} {day.isoformat()}: η μέρα δεν ξαναχτίζεται με τους χρόνους διαδρομής του "
                        "συμβολαίου / the day cannot be rebuilt with the contract's travel times"
                    )
                    continue
                state.frames[tid] = frame
                state.visits[tid] = visits
                state.days[(tid, visits)] = timed
                state.plan_route[tid] = route
                state.prices[tid] = price_route(self.problem, state.travel, route)
            self.states.append(state)

    # ------------------------------------------------------------------ run

    def run(self, swaps: bool) -> None:
        if not self.pending:
            return
        self._prepare()
        best_insert: dict[str, Finding] = {}
        inserted: set[tuple[str, str, date]] = set()
        for state in self.states:
            for ticket in self.pending:
                for tid, candidate in self._insertions_of(state, ticket):
                    inserted.add((ticket.ticket_id, tid, state.day))
                    finding = self._finding(INSERTABLE, state, ticket, tid, candidate)
                    held = best_insert.get(ticket.ticket_id)
                    if finding is not None and (held is None or finding.delta_eur < held.delta_eur):
                        best_insert[ticket.ticket_id] = finding
        self.findings += best_insert.values()
        for state in self.states:
            self._idle(state, inserted)
        if swaps:
            for ticket in self.pending:
                if ticket.ticket_id not in best_insert:
                    self._swaps(ticket)

    def ordered(self) -> list[Finding]:
        rank = {kind: k for k, kind in enumerate(KINDS)}
        return sorted(self.findings, key=lambda f: (rank[f.kind], f.delta_eur, f.ticket_id, f.technician_id))

    # ------------------------------------------------------------------ who, where

    def _can_take(self, state: _DayState, ticket: Ticket, tid: str) -> bool:
        frame = state.frames.get(tid)
        if frame is None:
            return False
        technician = frame.technician
        school = self.problem.school_by_id[ticket.school_id]
        if ticket.skill not in technician.skills or (school.needs_4x4 and not technician.has_4x4):
            return False
        locked = self.locks.get(ticket.ticket_id)
        if locked is not None and locked != tid:
            return False
        if self.closed is not None and self.closed(school.school_id, state.day, technician):
            return False
        if ticket.opened_at.date() > state.day:
            return False
        linked = state.travel.islands_linked
        return school.island in linked(frame.start.island) and frame.end.island in linked(school.island)

    def _best_insertion(
        self, state: _DayState, tid: str, new: Visit, visits: tuple[Visit, ...]
    ) -> Schedule | None:
        """The cheapest feasible day of ``visits`` with ``new`` put in (merged into a visit of its school)."""
        key = (tid, visits, new)
        if key in state.insertions:
            return state.insertions[key]
        problem = self.problem
        timed = state.time(problem, tid, visits)
        best: Schedule | None = None
        if timed is not None:
            school = problem.school_by_id[new.school_id]
            work = self.policy.visit_setup_min + sum(
                problem.ticket_by_id[t].service_minutes for t in new.ticket_ids
            )
            latest_leave = school.closes_min - work
            ends = timed.visit_ends()
            seen: set[tuple[Visit, ...]] = set()
            for k in range(len(visits) + 1):
                if k > 0 and ends[k - 1] > latest_leave:
                    break  # leaving a later visit never reaches the school earlier
                if k > 0 and visits[k - 1].school_id == new.school_id:
                    merged = Visit(new.school_id, visits[k - 1].ticket_ids + new.ticket_ids)
                    order = (*visits[: k - 1], merged, *visits[k:])
                elif k < len(visits) and visits[k].school_id == new.school_id:
                    merged = Visit(new.school_id, new.ticket_ids + visits[k].ticket_ids)
                    order = (*visits[:k], merged, *visits[k + 1 :])
                else:
                    order = (*visits[:k], new, *visits[k:])
                if order in seen:
                    continue
                seen.add(order)
                schedule = time_day(problem, state.travel, state.frames[tid], order)
                if schedule is not None and (
                    best is None or schedule.price().objective_eur < best.price().objective_eur
                ):
                    best = schedule
        state.insertions[key] = best
        return best

    def _insertions_of(self, state: _DayState, ticket: Ticket) -> Iterable[tuple[str, _Candidate]]:
        """Per technician with visits today, the best insertion of ``ticket`` if it lowers the objective."""
        value = state.values.value_eur(ticket)
        new = Visit(ticket.school_id, (ticket.ticket_id,))
        for tid, visits in state.visits.items():
            if not visits or not self._can_take(state, ticket, tid):
                continue
            found = self._best_insertion(state, tid, new, visits)
            if found is None:
                continue
            candidate = self._candidate(state, {tid: found}, value)
            if candidate.delta < -MIN_GAIN_EUR:
                yield tid, candidate

    def _candidate(
        self,
        state: _DayState,
        routes: dict[str, Schedule],
        value: float,
        displaced_value: float = 0.0,
    ) -> _Candidate:
        cost = 0.0
        work = dict(state.work)
        for tid, schedule in routes.items():
            after = schedule.price()
            cost += after.objective_eur - state.prices[tid].objective_eur
            work[tid] = after.work_minutes
        before_max = max(state.work.values(), default=0)
        after_max = max(work.values(), default=0)
        balance = (after_max - before_max) / 60.0 * self.policy.balance_eur_per_hour
        delta = cost + balance - value + displaced_value
        return _Candidate(delta, routes, value, cost=cost + balance)

    # ------------------------------------------------------------------ findings

    def _finding(
        self, kind: str, state: _DayState, ticket: Ticket, tid: str, candidate: _Candidate
    ) -> Finding | None:
        """The finding, once the checker accepts every changed day; None when it does not."""
        routes = {t: schedule.route() for t, schedule in candidate.routes.items()}
        if self._violations(state.day, routes):
            return None
        message = self._message(kind, state, ticket, tid, candidate, routes)
        return Finding(
            kind,
            ticket.ticket_id,
            tid,
            state.day,
            round(candidate.delta, 2),
            message,
            round(candidate.value, 2),
            tuple(routes[t] for t in sorted(routes)),
            candidate.handovers,
            candidate.displaced,
        )

    def _violations(self, day: date, routes: Mapping[str, Route]) -> tuple[Violation, ...]:
        """The checker's findings on the changed technicians' days (other days as in the plan)."""
        changed = {(tid, day): route for tid, route in routes.items()}
        keep = [
            changed.pop((r.technician_id, r.date), r) for r in self.plan.routes if r.technician_id in routes
        ]
        keep += changed.values()
        report = check_plan(self.problem, Plan(self.plan.dates, tuple(keep)))
        return tuple(v for v in report.violations if v.technician_id in routes)

    # ------------------------------------------------------------------ idle days

    def _day_minutes(self, tid: str, state: _DayState) -> int | None:
        """Minutes from leaving to coming back of the plan's day (None without visits)."""
        route = state.plan_route.get(tid)
        if route is None or not route.visits:
            return None
        first, last = route.stops[0], route.stops[-1]
        if first.depart is None or last.arrive is None:
            return None
        return int((last.arrive - first.depart).total_seconds() // 60)

    def _idle(self, state: _DayState, inserted: set[tuple[str, str, date]]) -> None:
        for tid, frame in state.frames.items():
            technician = frame.technician
            shift = technician.shift_end_min - technician.shift_start_min
            busy = self._day_minutes(tid, state)
            if busy is not None and busy >= self.short_share * shift:
                continue
            current = state.visits[tid]
            displaced = tuple(t for v in current for t in v.ticket_ids)
            displaced_value = sum(state.values.value_eur(self.problem.ticket_by_id[t]) for t in displaced)
            best: tuple[_Candidate, Ticket] | None = None
            for ticket in self.pending:
                if (ticket.ticket_id, tid, state.day) in inserted or not self._can_take(state, ticket, tid):
                    continue
                route = state.time(self.problem, tid, (Visit(ticket.school_id, (ticket.ticket_id,)),))
                if route is None:
                    continue
                value = state.values.value_eur(ticket)
                candidate = self._candidate(state, {tid: route}, value, displaced_value)
                candidate.displaced = displaced
                if candidate.delta < -MIN_GAIN_EUR and (best is None or candidate.delta < best[0].delta):
                    best = (candidate, ticket)
            if best is not None:
                finding = self._finding(IDLE_COULD_SERVE, state, best[1], tid, best[0])
                if finding is not None:
                    self.findings.append(finding)

    # ------------------------------------------------------------------ swaps

    def _swaps(self, ticket: Ticket) -> None:
        best: tuple[_Candidate, _DayState, str] | None = None
        for state in self.states:
            value = state.values.value_eur(ticket)
            new = Visit(ticket.school_id, (ticket.ticket_id,))
            for tid, visits in state.visits.items():
                if not visits or not self._can_take(state, ticket, tid):
                    continue
                if state.time(self.problem, tid, (new,)) is None:
                    continue  # cannot serve it even alone
                candidate = self._best_swap(state, tid, new, visits, value)
                if candidate is not None and (best is None or candidate.delta < best[0].delta):
                    best = (candidate, state, tid)
        if best is not None:
            candidate, state, tid = best
            finding = self._finding(SWAP, state, ticket, tid, candidate)
            if finding is not None:
                self.findings.append(finding)

    def _subsets(self, n: int) -> Iterable[tuple[int, ...]]:
        seen: set[tuple[int, ...]] = set()
        sizes = [1, 2] if n <= SWAP_PAIRS_UP_TO else [1]
        for size in sizes:
            for subset in itertools.combinations(range(n), size):
                seen.add(subset)
                yield subset
        everything = tuple(range(n))
        if everything not in seen:
            yield everything

    def _best_swap(
        self, state: _DayState, tid: str, new: Visit, visits: tuple[Visit, ...], value: float
    ) -> _Candidate | None:
        best: _Candidate | None = None
        movable = [all(self._placeable(state, t, tid) for t in v.ticket_ids) for v in visits]
        for subset in self._subsets(len(visits)):
            if not all(movable[i] for i in subset):
                continue
            rest = tuple(v for i, v in enumerate(visits) if i not in subset)
            found = self._best_insertion(state, tid, new, rest)
            if found is None:
                continue
            routes = {tid: found}
            plans = dict(state.visits)
            plans[tid] = found.visits
            handovers = self._hand_over(state, tid, [visits[i] for i in subset], routes, plans)
            if handovers is None:
                continue
            candidate = self._candidate(state, routes, value)
            candidate.handovers = handovers
            if candidate.delta < -MIN_GAIN_EUR and (best is None or candidate.delta < best.delta):
                best = candidate
        return best

    def _placeable(self, state: _DayState, ticket_id: str, giver: str) -> bool:
        """Whether another technician's day, as the plan has it, could take the ticket."""
        key = (ticket_id, giver)
        if key not in state.placeable:
            ticket = self.problem.ticket_by_id[ticket_id]
            new = Visit(ticket.school_id, (ticket_id,))
            state.placeable[key] = any(
                self._best_insertion(state, tid, new, visits) is not None
                for tid, visits in state.visits.items()
                if tid != giver and self._can_take(state, ticket, tid)
            )
        return state.placeable[key]

    def _hand_over(
        self,
        state: _DayState,
        giver: str,
        moving: Sequence[Visit],
        routes: dict[str, Schedule],
        plans: dict[str, tuple[Visit, ...]],
    ) -> tuple[Handover, ...] | None:
        """Give each ticket of ``moving`` to another day, cheapest first (None: one of them cannot go)."""
        problem = self.problem
        handovers: list[Handover] = []
        tickets = [problem.ticket_by_id[t] for v in moving for t in v.ticket_ids]
        tickets.sort(key=lambda t: -state.values.value_eur(t))
        for ticket in tickets:
            new = Visit(ticket.school_id, (ticket.ticket_id,))
            best: tuple[float, str, Schedule] | None = None
            for tid in state.frames:
                if tid == giver or not self._can_take(state, ticket, tid):
                    continue
                found = self._best_insertion(state, tid, new, plans[tid])
                if found is None:
                    continue
                before = routes[tid].price() if tid in routes else state.prices[tid]
                cost = found.price().objective_eur - before.objective_eur
                if best is None or cost < best[0]:
                    best = (cost, tid, found)
            if best is None:
                return None
            _, taker, schedule = best
            routes[taker] = schedule
            plans[taker] = schedule.visits
            handovers.append(Handover(ticket.ticket_id, giver, taker))
        return tuple(handovers)

    # ------------------------------------------------------------------ words

    def _message(
        self,
        kind: str,
        state: _DayState,
        ticket: Ticket,
        tid: str,
        candidate: _Candidate,
        routes: Mapping[str, Route],
    ) -> str:
        school = self.problem.school_by_id[ticket.school_id]
        where = school.name + (f", {school.island}" if school.island else "")
        what_el = f"Το αίτημα {ticket.ticket_id} ({PRIORITY_LABELS_EL[ticket.priority]}, {where})"
        what_en = f"ticket {ticket.ticket_id} ({ticket.priority}, {where})"
        visit_el, visit_en = _visit_words(routes[tid], ticket.ticket_id)
        gain = -candidate.delta
        money_el = (
            f"ο στόχος πέφτει κατά {gain:.2f} € (αξία αιτήματος {candidate.value:.2f} €, "
            f"μεταβολή κόστους διαδρομών {candidate.cost:+.2f} €)"
        )
        money_en = (
            f"the objective drops by {gain:.2f} € (ticket value {candidate.value:.2f} €, "
            f"change in route costs {candidate.cost:+.2f} €)"
        )
        day = state.day.isoformat()
        if kind == INSERTABLE:
            el = f"{what_el} χωράει στη μέρα του τεχνικού {tid} στις {day}: {visit_el}· {money_el}"
            en = f"{what_en} fits into technician {tid}'s day on {day}: {visit_en}; {money_en}"
        elif kind == IDLE_COULD_SERVE:
            shown = candidate.displaced
            if shown:
                busy = self._day_minutes(tid, state) or 0
                left = ", ".join(shown)
                day_el = f"σύντομη μέρα στις {day} ({busy // 60}:{busy % 60:02d} ώρες)"
                day_en = f"a short day on {day} ({busy // 60}:{busy % 60:02d} h)"
                extra_el = f", αφήνοντας τα {left} για άλλη μέρα"
                extra_en = f", leaving {left} for another day"
            else:
                day_el, day_en = f"άδεια μέρα στις {day}", f"an empty day on {day}"
                extra_el = extra_en = ""
            el = (
                f"Ο τεχνικός {tid} έχει {day_el} και μπορεί να εξυπηρετήσει μόνος του το "
                f"{ticket.ticket_id} ({PRIORITY_LABELS_EL[ticket.priority]}, {where}) με επιστροφή: "
                f"{visit_el}{extra_el}· {money_el}"
            )
            en = (
                f"technician {tid} has {day_en} and could serve {what_en} alone as a round trip: "
                f"{visit_en}{extra_en}; {money_en}"
            )
        else:
            takers: dict[str, list[str]] = {}
            for h in candidate.handovers:
                takers.setdefault(h.to_technician, []).append(h.ticket_id)
            moves_el = "; ".join(f"ο {t} αναλάβει τα {', '.join(ids)}" for t, ids in takers.items())
            moves_en = "; ".join(f"{t} takes over {', '.join(ids)}" for t, ids in takers.items())
            el = f"{what_el} το παίρνει ο τεχνικός {tid} στις {day} αν {moves_el}: {visit_el}· {money_el}"
            en = f"technician {tid} can take {what_en} on {day} if {moves_en}: {visit_en}; {money_en}"
        return f"{el} / {en}"


def _visit_words(route: Route, ticket_id: str) -> tuple[str, str]:
    """When the ticket is served in ``route``, and the sailings of the day."""
    visit = next(s for s in route.visits if ticket_id in s.ticket_ids)
    assert visit.start is not None and visit.end is not None
    span = f"{visit.start:%H:%M}–{visit.end:%H:%M}"
    sailings = [f"{s.from_port}→{s.to_port} {s.depart:%H:%M}" for s in route.stops if s.type == "ferry"]
    el = f"επίσκεψη {span}"
    en = f"visit {span}"
    if sailings:
        el += f", πλοία {', '.join(sailings)}"
        en += f", sailings {', '.join(sailings)}"
    return el, en


def _work_minutes(problem: Problem, route: Route | None) -> int:
    """Time on site (service minutes of the tickets served) and aboard, for the workload term."""
    if route is None:
        return 0
    service = sum(t.service_minutes for tid in route.ticket_ids if (t := problem.ticket_by_id.get(tid)))
    aboard = sum(
        int((s.arrive - s.depart).total_seconds() // 60)
        for s in route.stops
        if s.type == "ferry" and s.arrive is not None and s.depart is not None
    )
    return service + aboard


__all__ = [
    "IDLE_COULD_SERVE",
    "INSERTABLE",
    "KINDS",
    "SWAP",
    "AuditReport",
    "Finding",
    "Handover",
    "apply_finding",
    "audit_plan",
    "day_objective_eur",
]
