"""The service report of a month, per Directorate and partner body: pure computation.

For the tickets *opened* in the month (within the Directorate; for a partner body, those
its technicians visited):

- response time: opened → the start of the first visit, in hours (tickets visited);
- time to resolution: opened → solved (a visit done, or closed as solved without a visit);
- first-visit fix rate: of the tickets visited, the share the first visit solved;
- repeat faults: a ticket is a repeat when the same school opened a ticket of the same
  category in the :data:`REPEAT_WINDOW_DAYS` days before it (earlier tickets count even
  when opened before the month);

by priority and by area (island, mountain, mainland), and the km and euros of the
month's routes (a route's money is shared between Directorates by its tickets).
Preventive coverage (the share of schools with ``maintenance_days`` seen within their
interval, :func:`dromologio.planning.preventive.coverage_by_area`) is given by the caller
for all schools and by area; ``n/a`` where it is not given (and for the priority rows).
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from .history import AREA_TITLES, AREAS, RouteMoney, TicketHistory

#: a fault of the same school and category within this many days is a repeat.
REPEAT_WINDOW_DAYS = 30
PRIORITY_ORDER = ("urgent", "high", "normal", "low")
#: what the preventive coverage column says until preventive visits exist.
NOT_AVAILABLE = "n/a"

#: the columns of :attr:`ServiceReport.table`, in order.
COLUMNS: tuple[str, ...] = (
    "group",
    "value",
    "tickets",
    "visited",
    "resolved",
    "response_h_mean",
    "response_h_median",
    "resolution_h_mean",
    "resolution_h_median",
    "first_visit_fix_rate",
    "repeat_faults",
    "preventive_coverage",
)
#: Greek first, English second.
COLUMN_TITLES: dict[str, str] = {
    "group": "ομάδα / group",
    "value": "τιμή / value",
    "tickets": "αιτήματα / tickets",
    "visited": "με επίσκεψη / visited",
    "resolved": "επιλύθηκαν / resolved",
    "response_h_mean": "απόκριση μ.ο. (ώρες) / response mean (h)",
    "response_h_median": "απόκριση διάμεσος (ώρες) / response median (h)",
    "resolution_h_mean": "επίλυση μ.ο. (ώρες) / resolution mean (h)",
    "resolution_h_median": "επίλυση διάμεσος (ώρες) / resolution median (h)",
    "first_visit_fix_rate": "επίλυση με την 1η επίσκεψη / first-visit fix rate",
    "repeat_faults": "επαναλαμβανόμενες βλάβες / repeat faults",
    "preventive_coverage": "προληπτική κάλυψη / preventive coverage",
}


@dataclass(frozen=True)
class Month:
    """A calendar month, ``YYYY-MM``."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        try:
            first = datetime.strptime(text.strip(), "%Y-%m")
        except ValueError:
            raise ValueError(f"month '{text}' is not a month: write it as YYYY-MM, e.g. 2026-11") from None
        return cls(first.year, first.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first_day(self) -> date:
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)

    def contains(self, when: datetime | date) -> bool:
        day = when.date() if isinstance(when, datetime) else when
        return self.first_day <= day < self.next_first_day

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class ServiceReport:
    """The month's service report: ``table`` (:data:`COLUMNS`, rows for all tickets, each
    priority and each area), ``repeats`` (school, category, repeat tickets) and the money."""

    month: Month
    directorate: str | None
    employer: str | None
    table: pd.DataFrame
    repeats: pd.DataFrame
    distance_km: float
    cost_eur: float
    routes: int

    @property
    def title(self) -> str:
        scope = " · ".join(s for s in (self.directorate, self.employer) if s) or "όλες / all"
        return f"Αναφορά υπηρεσίας / service report {self.month} · {scope}"


def _hours(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 3600.0


def _mean(values: Sequence[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def repeat_ticket_ids(histories: Iterable[TicketHistory], window_days: int = REPEAT_WINDOW_DAYS) -> set[str]:
    """Tickets opened within ``window_days`` after another ticket of the same school and category."""
    by_fault: dict[tuple[str, str], list[TicketHistory]] = defaultdict(list)
    for history in histories:
        by_fault[(history.school_id, history.category)].append(history)
    window = timedelta(days=window_days)
    repeats: set[str] = set()
    for tickets in by_fault.values():
        tickets.sort(key=lambda t: (t.opened_at, t.ticket_id))
        for earlier, later in itertools.pairwise(tickets):
            if later.opened_at - earlier.opened_at <= window:
                repeats.add(later.ticket_id)
    return repeats


def _row(
    group: str,
    value: str,
    tickets: Sequence[TicketHistory],
    repeats: set[str],
    preventive: float | None = None,
) -> dict[str, object]:
    visited = [t for t in tickets if t.visits]
    response = [_hours(v.start, t.opened_at) for t in visited if (v := t.first_visit) is not None]
    resolution = [_hours(t.resolved_at, t.opened_at) for t in tickets if t.resolved_at is not None]
    fixed_first = [t for t in visited if (v := t.first_visit) is not None and v.solved]
    return {
        "group": group,
        "value": value,
        "tickets": len(tickets),
        "visited": len(visited),
        "resolved": len(resolution),
        "response_h_mean": _mean(response),
        "response_h_median": _median(response),
        "resolution_h_mean": _mean(resolution),
        "resolution_h_median": _median(resolution),
        "first_visit_fix_rate": round(len(fixed_first) / len(visited), 3) if visited else None,
        "repeat_faults": sum(1 for t in tickets if t.ticket_id in repeats),
        "preventive_coverage": NOT_AVAILABLE if preventive is None else round(preventive, 3),
    }


def _in_scope(history: TicketHistory, directorate: str | None, employer: str | None) -> bool:
    if directorate is not None and history.directorate != directorate:
        return False
    return employer is None or any(v.employer == employer for v in history.visits)


def service_report(
    histories: Iterable[TicketHistory],
    routes: Iterable[RouteMoney],
    month: Month,
    *,
    directorate: str | None = None,
    employer: str | None = None,
    preventive_coverage: Mapping[str, float | None] | None = None,
) -> ServiceReport:
    """The service report of ``month`` for one Directorate and/or partner body (None: all).

    ``histories`` may hold tickets opened before the month (they count as earlier faults
    for repeats only); ``routes`` may hold routes of other days (only the month's count).
    ``preventive_coverage``: the month-end share of schools seen within their interval, by
    ``"all"`` and by area (``island``, ``mountain``, ``mainland``).
    """
    every = list(histories)
    repeats = repeat_ticket_ids(every)
    tickets = [h for h in every if month.contains(h.opened_at) and _in_scope(h, directorate, employer)]
    tickets.sort(key=lambda t: (t.opened_at, t.ticket_id))
    cover = preventive_coverage or {}
    rows = [_row("all", "όλα / all", tickets, repeats, cover.get("all"))]
    seen = {t.priority for t in tickets}
    priorities = [p for p in PRIORITY_ORDER if p in seen] + sorted(seen - set(PRIORITY_ORDER))
    for priority in priorities:
        rows.append(_row("priority", priority, [t for t in tickets if t.priority == priority], repeats))
    for area in AREAS:
        part = [t for t in tickets if t.area == area]
        if part:
            rows.append(_row("area", AREA_TITLES[area], part, repeats, cover.get(area)))
    repeat_rows: dict[tuple[str, str], int] = defaultdict(int)
    for ticket in tickets:
        if ticket.ticket_id in repeats:
            repeat_rows[(ticket.school_id, ticket.category)] += 1
    km = eur = 0.0
    count = 0
    for route in routes:
        if not month.contains(date.fromisoformat(route.day)):
            continue
        if employer is not None and route.employer != employer:
            continue
        share = 1.0
        if directorate is not None:
            total = sum(route.tickets_by_directorate.values())
            share = route.tickets_by_directorate.get(directorate, 0) / total if total else 0.0
        if share <= 0:
            continue
        km += route.distance_km * share
        eur += route.cost_eur * share
        count += 1
    return ServiceReport(
        month=month,
        directorate=directorate,
        employer=employer,
        table=pd.DataFrame(rows, columns=list(COLUMNS)),
        repeats=pd.DataFrame(
            [
                {"school_id": school, "category": category, "repeat_faults": n}
                for (school, category), n in sorted(repeat_rows.items())
            ],
            columns=["school_id", "category", "repeat_faults"],
        ),
        distance_km=round(km, 1),
        cost_eur=round(eur, 2),
        routes=count,
    )
