"""New tickets each day of a simulation: drawn from rates fitted to a history, or whole days replayed.

Arrivals are drawn per calendar day (:class:`ArrivalSource`); the day loop (:mod:`.day`) seeds
the generator, so that every scenario sees the same base arrivals.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final, Protocol

import numpy as np

from dromologio.models import Problem, School, Ticket
from dromologio.planning.scenarios import ArrivalSettings

__all__ = ["ArrivalSource", "HistoryArrivals", "TicketGenerator", "make_arrivals", "read_history"]

_FIRST_MINUTE: Final = 7 * 60 + 30
_LAST_MINUTE: Final = 15 * 60


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
