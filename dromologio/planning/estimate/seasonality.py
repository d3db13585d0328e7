"""How many tickets needing a visit a working day brings: the ticket history's seasonality.

A ticket counts on the working day it can first be planned (one opened at a weekend, on a
holiday or in a school break counts on the next working day of the school calendar,
:class:`~dromologio.models.calendar.WorkCalendar`).  A day's expected tickets are the
history's mean per working day x its weekday's factor x its month's factor; a factor is a
weekday's (month's) mean over the overall mean, pulled toward 1 by :data:`SHRINK_DAYS`
pseudo-days at the overall mean, so that a weekday seen once or twice does not swing the
projection.  Months the history does not cover have the factor 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from dromologio.models import Problem
from dromologio.models.calendar import WorkCalendar

__all__ = ["SHRINK_DAYS", "Seasonality", "history_seasonality"]

#: pseudo-days at the overall mean added to every weekday and month of the history.
SHRINK_DAYS = 4.0

_WEEKDAYS = ("Δε", "Τρ", "Τε", "Πε", "Πα", "Σα", "Κυ")
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Seasonality:
    """Expected tickets needing a visit per working day, by weekday and month of the year."""

    #: mean tickets needing a visit per working day of the history.
    per_day: float
    #: weekday (0 = Monday) -> factor; weekdays not in the history: 1.
    weekday: Mapping[int, float] = field(default_factory=dict)
    #: month (1-12) -> factor; months not in the history: 1.
    month: Mapping[int, float] = field(default_factory=dict)
    #: working days the history covers.
    days_seen: int = 0

    def demand(self, day: date) -> float:
        """Expected tickets needing a visit on ``day`` (a working day)."""
        return self.per_day * self.weekday.get(day.weekday(), 1.0) * self.month.get(day.month, 1.0)

    def describe(self) -> str:
        """The factors in words (Greek / English), e.g. ``Δε 1,12 · Τρ 0,97 …``."""
        weekdays = " · ".join(
            f"{_WEEKDAYS[d]} {f:.2f}".replace(".", ",") for d, f in sorted(self.weekday.items())
        )
        months = " · ".join(f"{m:02d}: {f:.2f}".replace(".", ",") for m, f in sorted(self.month.items()))
        weekdays_en = ", ".join(f"{_WEEKDAYS_EN[d]} {f:.2f}" for d, f in sorted(self.weekday.items()))
        months_en = ", ".join(f"{m:02d}: {f:.2f}" for m, f in sorted(self.month.items()))
        return (
            f"{self.per_day:.1f} αιτήματα ανά εργάσιμη ({self.days_seen} εργάσιμες ιστορικού); "
            f"ημέρα εβδομάδας {weekdays or '—'}; μήνας {months or '—'} / "
            f"{self.per_day:.1f} tickets per working day ({self.days_seen} working days of history); "
            f"weekday {weekdays_en or '—'}; month {months_en or '—'}"
        )


def _factors(
    days: Sequence[date], counts: Mapping[date, int], key: Callable[[date], int], mean: float
) -> dict[int, float]:
    seen: dict[int, list[int]] = {}
    for day in days:
        seen.setdefault(key(day), []).append(counts.get(day, 0))
    return {
        group: (sum(values) + SHRINK_DAYS * mean) / ((len(values) + SHRINK_DAYS) * mean)
        for group, values in sorted(seen.items())
    }


def history_seasonality(
    problem: Problem, calendar: WorkCalendar, directorates: Collection[str] = ()
) -> Seasonality:
    """The seasonality of the tickets of ``problem`` that need a visit (its history)."""
    needing = [t for t in problem.tickets if t.needs_visit]
    if not needing:
        return Seasonality(per_day=0.0)
    first = min(t.opened_at.date() for t in needing)
    last = max(t.opened_at.date() for t in needing)
    days = calendar.between(first, last, directorates)
    if not days:
        return Seasonality(per_day=0.0)
    counts = Counter(
        calendar.next_working_day(t.opened_at.date(), directorates, include=True) for t in needing
    )
    total = sum(counts.get(day, 0) for day in days)
    mean = total / len(days)
    if mean <= 0:
        return Seasonality(per_day=0.0, days_seen=len(days))
    return Seasonality(
        per_day=mean,
        weekday=_factors(days, counts, lambda d: d.weekday(), mean),
        month=_factors(days, counts, lambda d: d.month, mean),
        days_seen=len(days),
    )
