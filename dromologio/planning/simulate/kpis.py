"""KPIs of simulated scenarios, as one tidy table.

:func:`kpi_table` gives one row per (scenario, metric, by, key) with a numeric ``value``:

- ``by = "all"``: the horizon as a whole: ``days``, ``backlog_start`` (tickets needing a visit
  open before the first day), ``arrivals`` and ``arrivals_to_visit``, ``to_visit`` (backlog
  plus arrivals needing a visit), ``served``, ``served_share``, ``remote``, ``vendor``,
  ``backlog_end``, ``time_to_visit_mean_days`` and ``time_to_visit_p95_days`` (from opening
  to the start of the visit, served tickets), ``sla_breaches`` = ``sla_served_late`` (visited
  after ``due_by``) + ``sla_open_overdue`` (still open at the end of the horizon past
  ``due_by``), ``distance_km``, ``cost_eur``, ``cost_per_served_eur``, ``held_closed``
  (ticket-days held back by winter closures), ``sailings_cancelled``, ``utilisation`` (work +
  travel minutes / shift minutes over every technician-day), ``overtime_minutes`` and
  ``solve_seconds``;
- ``by = "date"``, key the ISO date: ``backlog`` (open at the end of the day) and its parts
  ``backlog_island``, ``backlog_mountain``, ``backlog_mainland``, ``arrivals``, ``served``,
  ``unassigned``, ``held_closed``, ``distance_km``, ``cost_eur``, ``sailings_cancelled``;
- ``by = "priority"`` (urgent, high, normal, low), ``by = "area"`` (island, mountain,
  mainland) and ``by = "origin"`` (``backlog``: the tickets open before the first day;
  ``new``: those that arrived during the simulation): ``served``, ``backlog_end``,
  ``time_to_visit_mean_days``, ``time_to_visit_p95_days``, ``sla_breaches``;
- ``by = "technician"``: ``utilisation``, ``work_minutes``, ``travel_minutes``,
  ``shift_minutes``, ``overtime_minutes``, ``visits``, ``tickets``, ``distance_km``,
  ``cost_eur``.

Overtime is 0 by construction: every route starts and ends inside its technician's shift
(the solver's time windows, verified by the plan checker's ``SHIFT`` rule); it is reported so
that a comparison with other planning methods has the column.  Only tickets that need a visit
count for time-to-visit, SLA and backlog; remote and vendor tickets leave on the day they are
planned.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from typing import Final

import numpy as np
import pandas as pd

from dromologio.models.vocab import PRIORITIES

from .records import AREAS, ScenarioRun, TicketRecord

__all__ = [
    "COLUMNS",
    "GROUP_METRICS",
    "HEADLINE",
    "ORIGINS",
    "backlog",
    "compare",
    "days_table",
    "kpi_table",
    "summary",
]

COLUMNS: Final = ("scenario", "metric", "by", "key", "value")
#: the metrics of the comparison table, in order.
HEADLINE: Final = (
    "served",
    "served_share",
    "backlog_end",
    "time_to_visit_mean_days",
    "time_to_visit_p95_days",
    "sla_breaches",
    "distance_km",
    "cost_eur",
    "cost_per_served_eur",
    "utilisation",
    "overtime_minutes",
)

#: where a ticket came from: the opening backlog, or the arrivals simulated.
ORIGINS: Final = ("backlog", "new")
GROUP_METRICS: Final = (
    "served",
    "backlog_end",
    "time_to_visit_mean_days",
    "time_to_visit_p95_days",
    "sla_breaches",
)

Row = tuple[str, str, str, str, float]


def _group(record: TicketRecord, by: str) -> str:
    if by == "origin":
        return "backlog" if record.backlog else "new"
    return str(getattr(record, by))


def _days_open(record: TicketRecord) -> float:
    assert record.served_at is not None
    return (record.served_at - record.opened_at).total_seconds() / 86400.0


def _ticket_metrics(records: Sequence[TicketRecord], horizon_end: datetime) -> dict[str, float]:
    served = [r for r in records if r.served_at is not None]
    waits = np.array([_days_open(r) for r in served], dtype=float)
    late = sum(
        1 for r in served if r.due_by is not None and r.served_at is not None and r.served_at > r.due_by
    )
    overdue = sum(
        1 for r in records if r.served_at is None and r.due_by is not None and r.due_by < horizon_end
    )
    return {
        "served": float(len(served)),
        "backlog_end": float(len(records) - len(served)),
        "time_to_visit_mean_days": float(waits.mean()) if len(waits) else float("nan"),
        "time_to_visit_p95_days": float(np.percentile(waits, 95)) if len(waits) else float("nan"),
        "sla_served_late": float(late),
        "sla_open_overdue": float(overdue),
        "sla_breaches": float(late + overdue),
    }


def _run_rows(run: ScenarioRun) -> list[Row]:
    name = run.scenario
    rows: list[Row] = []

    def add(metric: str, value: float, by: str = "all", key: str = "") -> None:
        rows.append((name, metric, by, key, float(value)))

    if not run.days:
        return rows
    horizon_end = datetime.combine(run.days[-1].date + timedelta(days=1), time())
    visits = [r for r in run.tickets if r.triage == "visit"]
    totals = _ticket_metrics(visits, horizon_end)
    shift = sum(s.shift_minutes for s in run.shifts)
    busy = sum(s.work_minutes + s.travel_minutes for s in run.shifts)
    cost = sum(d.cost_eur for d in run.days)
    backlog_start = sum(1 for r in visits if r.backlog)
    to_visit = len(visits)
    add("days", len(run.days))
    add("backlog_start", backlog_start)
    add("arrivals", sum(d.arrivals for d in run.days))
    add("arrivals_to_visit", to_visit - backlog_start)
    add("to_visit", to_visit)
    add("served", totals["served"])
    add("served_share", totals["served"] / to_visit if to_visit else float("nan"))
    add("remote", sum(d.remote for d in run.days))
    add("vendor", sum(d.vendor for d in run.days))
    add("backlog_end", run.days[-1].backlog)
    for metric in ("time_to_visit_mean_days", "time_to_visit_p95_days", "sla_breaches", "sla_served_late"):
        add(metric, totals[metric])
    add("sla_open_overdue", totals["sla_open_overdue"])
    add("distance_km", round(sum(d.distance_km for d in run.days), 1))
    add("cost_eur", round(cost, 2))
    add("cost_per_served_eur", cost / totals["served"] if totals["served"] else float("nan"))
    add("held_closed", sum(d.held_closed for d in run.days))
    add("sailings_cancelled", sum(d.sailings_cancelled for d in run.days))
    add("utilisation", busy / shift if shift else float("nan"))
    add("overtime_minutes", 0.0)
    add("solve_seconds", round(sum(d.solve_seconds for d in run.days), 2))
    for day in run.days:
        key = day.date.isoformat()
        for metric, value in (
            ("backlog", day.backlog),
            ("arrivals", day.arrivals),
            ("served", day.served),
            ("unassigned", day.unassigned),
            ("held_closed", day.held_closed),
            ("distance_km", day.distance_km),
            ("cost_eur", day.cost_eur),
            ("sailings_cancelled", day.sailings_cancelled),
        ):
            add(metric, value, "date", key)
        still_open = Counter(
            r.area
            for r in visits
            if r.first_planned <= day.date and (r.served_at is None or r.served_at.date() > day.date)
        )
        for area in AREAS:
            add(f"backlog_{area}", still_open[area], "date", key)
    for by, keys in (("priority", PRIORITIES), ("area", AREAS), ("origin", ORIGINS)):
        for key in keys:
            group = [r for r in visits if _group(r, by) == key]
            metrics = _ticket_metrics(group, horizon_end)
            for metric in GROUP_METRICS:
                add(metric, metrics[metric], by, key)
    for technician in run.technicians:
        days = [s for s in run.shifts if s.technician_id == technician]
        shift_minutes = sum(s.shift_minutes for s in days)
        work = sum(s.work_minutes for s in days)
        travel = sum(s.travel_minutes for s in days)
        add(
            "utilisation",
            (work + travel) / shift_minutes if shift_minutes else float("nan"),
            "technician",
            technician,
        )
        add("work_minutes", work, "technician", technician)
        add("travel_minutes", travel, "technician", technician)
        add("shift_minutes", shift_minutes, "technician", technician)
        add("overtime_minutes", 0.0, "technician", technician)
        add("visits", sum(s.visits for s in days), "technician", technician)
        add("tickets", sum(s.tickets for s in days), "technician", technician)
        add("distance_km", round(sum(s.distance_km for s in days), 1), "technician", technician)
        add("cost_eur", round(sum(s.cost_eur for s in days), 2), "technician", technician)
    return rows


def kpi_table(runs: Iterable[ScenarioRun]) -> pd.DataFrame:
    """The tidy KPI table (columns :data:`COLUMNS`) of ``runs``, in their order."""
    rows = [row for run in runs for row in _run_rows(run)]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def summary(kpis: pd.DataFrame, metrics: Sequence[str] = HEADLINE) -> pd.DataFrame:
    """One row per scenario (in table order), one column per overall metric."""
    overall = kpis[(kpis["by"] == "all") & kpis["metric"].isin(list(metrics))]
    order = list(dict.fromkeys(overall["scenario"]))
    wide = overall.pivot(index="scenario", columns="metric", values="value")
    return wide.reindex(index=order, columns=[m for m in metrics if m in wide.columns])


def compare(kpis: pd.DataFrame, reference: str, metrics: Sequence[str] = HEADLINE) -> pd.DataFrame:
    """Each scenario's overall metrics less those of ``reference`` (the reference's row is 0)."""
    table = summary(kpis, metrics)
    if reference not in table.index:
        raise KeyError(f"reference '{reference}' is not among the scenarios {list(table.index)}")
    return table - table.loc[reference]


def backlog(kpis: pd.DataFrame, area: str | None = None) -> pd.DataFrame:
    """Tickets open at the end of each day (those of ``area`` only, when given): one row per date,
    one column per scenario."""
    metric = "backlog" if area is None else f"backlog_{area}"
    daily = kpis[(kpis["by"] == "date") & (kpis["metric"] == metric)]
    order = list(dict.fromkeys(daily["scenario"]))
    return daily.pivot(index="key", columns="scenario", values="value").reindex(columns=order)


def days_table(runs: Iterable[ScenarioRun]) -> pd.DataFrame:
    """One row per scenario and simulated working day (the fields of its day record)."""
    rows = [{"scenario": run.scenario, **dataclasses.asdict(day)} for run in runs for day in run.days]
    return pd.DataFrame(rows)
