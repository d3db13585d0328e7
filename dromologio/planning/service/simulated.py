"""The service seen through a scenario simulation: the month's report and the preventive what-if.

From a :class:`~dromologio.planning.simulate.ScenarioRun` kept with its plans
(``SimulationSettings(keep_plans=True)``):

- :func:`histories_from_run`: one history per repair ticket (triage ``visit``), its one
  visit starting at ``served_at`` and solving it at the visit's end (a simulated visit
  always solves its ticket);
- :func:`whatif_summary`: per scenario, preventive coverage at the end of the first and
  last day, preventive visits and repairs made, urgent response (opened → the visit's
  start), each part-time technician's days at work on and off its work days, km and €;
- :func:`month_report`: the service report of one month from the run's records and routes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd

from dromologio.models import WEEKDAYS, Plan, Problem
from dromologio.models.service_columns import WORK_DAYS, work_days
from dromologio.planning.preventive import coverage_by_area
from dromologio.planning.simulate import ScenarioRun
from dromologio.planning.simulate.preventive import TRIAGE, coverage_by_day, maintained

from .history import TicketHistory, Visit, area_of
from .report import Month, ServiceReport, service_report
from .sources import route_money


def plans_of(run: ScenarioRun) -> list[Plan]:
    """The run's daily plans (kept with ``keep_plans``)."""
    if not run.plans and run.days:
        raise ValueError(f"scenario '{run.scenario}' was run without keep_plans: its routes are not known")
    return [Plan.from_dict(p) for p in run.plans]


def histories_from_run(problem: Problem, run: ScenarioRun) -> list[TicketHistory]:
    """One history per repair ticket of ``run`` (preventive visits, remote and vendor tickets aside)."""
    employers = {t.technician_id: t.employer for t in problem.technicians}
    ends: dict[str, datetime] = {}
    for plan in plans_of(run):
        for route in plan.routes:
            for stop in route.visits:
                if stop.end is not None:
                    ends.update({t: stop.end for t in stop.ticket_ids})
    histories: list[TicketHistory] = []
    for record in run.tickets:
        if record.triage != "visit":
            continue
        school = problem.school_by_id[record.school_id]
        visits: tuple[Visit, ...] = ()
        if record.served_at is not None and record.technician_id is not None:
            employer = employers.get(record.technician_id, "")
            visits = (Visit(record.technician_id, employer, record.served_at, solved=True),)
        histories.append(
            TicketHistory(
                ticket_id=record.ticket_id,
                school_id=record.school_id,
                directorate=school.directorate,
                area=area_of(school.island, school.terrain),
                priority=record.priority,
                category=record.category,
                opened_at=record.opened_at,
                visits=visits,
                resolved_at=ends.get(record.ticket_id, record.served_at) if visits else None,
            )
        )
    return histories


def month_report(problem: Problem, run: ScenarioRun, month: Month) -> ServiceReport:
    """The service report of ``month`` (all Directorates and bodies) from the run, with the
    preventive coverage at the end of the run's last day in the month."""
    days = [d for d in run.horizon if month.contains(d)]
    if not days:
        raise ValueError(f"the run of '{run.scenario}' has no day in {month}")
    cared = maintained(problem, run.tickets, until=days[-1])
    return service_report(
        histories_from_run(problem, run),
        route_money(problem, plans_of(run)),
        month,
        preventive_coverage=coverage_by_area(cared, days[-1]),
    )


def _hours(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 3600


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _weekdays(days: Sequence[date]) -> str:
    return ";".join(sorted({WEEKDAYS[d.weekday()] for d in days}, key=WEEKDAYS.index))


def part_time_days(problem: Problem, run: ScenarioRun) -> list[dict[str, Any]]:
    """Each technician with ``work_days``: the horizon's days it may work, the days it visited
    schools on them and on other days (none, when the rule holds)."""
    rows: list[dict[str, Any]] = []
    for technician in problem.technicians:
        if not technician.extra.get(WORK_DAYS, "").strip():
            continue
        allowed = work_days(technician)
        worked = sorted(
            {s.date for s in run.shifts if s.technician_id == technician.technician_id and s.visits}
        )
        rows.append(
            {
                "technician_id": technician.technician_id,
                "work_days": ";".join(d for d in WEEKDAYS if d in allowed),
                "work_days_in_horizon": sum(1 for d in run.horizon if WEEKDAYS[d.weekday()] in allowed),
                "days_worked": len(worked),
                "days_worked_off_work_days": sum(1 for d in worked if WEEKDAYS[d.weekday()] not in allowed),
                "weekdays_worked": _weekdays(worked),
            }
        )
    return rows


def whatif_summary(problem: Problem, runs: Sequence[ScenarioRun]) -> pd.DataFrame:
    """One row per run: coverage, visits, urgent response, part-time days, km and € (see the module)."""
    rows: list[dict[str, Any]] = []
    for run in runs:
        by_day = coverage_by_day(problem, run)
        repairs = [r for r in run.tickets if r.triage == "visit"]
        urgent = [r for r in repairs if r.priority == "urgent" and not r.backlog]
        response = [_hours(r.served_at, r.opened_at) for r in urgent if r.served_at is not None]
        part_time = part_time_days(problem, run)
        rows.append(
            {
                "scenario": run.scenario,
                "days": f"{run.horizon[0].isoformat()} .. {run.horizon[-1].isoformat()}",
                "coverage_day_1": None if by_day[0][1] is None else round(by_day[0][1], 3),
                "coverage_last_day": None if by_day[-1][1] is None else round(by_day[-1][1], 3),
                "preventive_visits": sum(1 for r in run.tickets if r.triage == TRIAGE and r.served_at),
                "repair_tickets_visited": sum(1 for r in repairs if r.served_at is not None),
                "repair_tickets_open_at_end": sum(1 for r in repairs if r.served_at is None),
                "urgent_arrived": len(urgent),
                "urgent_visited": len(response),
                "urgent_response_h_mean": _mean(response),
                "part_time_days_worked": "; ".join(
                    f"{p['technician_id']} {p['days_worked']}/{p['work_days_in_horizon']} ({p['weekdays_worked']})"
                    for p in part_time
                ),
                "part_time_days_off_work_days": sum(p["days_worked_off_work_days"] for p in part_time),
                "distance_km": round(sum(d.distance_km for d in run.days), 1),
                "cost_eur": round(sum(d.cost_eur for d in run.days), 2),
                "plans_checked": len(run.days),
            }
        )
    return pd.DataFrame(rows)


def coverage_table(problem: Problem, runs: Sequence[ScenarioRun]) -> pd.DataFrame:
    """Preventive coverage at the end of each day, one column per run."""
    columns = {run.scenario: dict(coverage_by_day(problem, run)) for run in runs}
    days = sorted({d for c in columns.values() for d in c})
    return pd.DataFrame(
        {"date": [d.isoformat() for d in days], **{n: [c.get(d) for d in days] for n, c in columns.items()}}
    )


def busiest_month(horizon: Sequence[date]) -> Month:
    """The month holding most days of ``horizon`` (the earlier on a tie)."""
    counts: dict[tuple[int, int], int] = {}
    for day in horizon:
        counts[(day.year, day.month)] = counts.get((day.year, day.month), 0) + 1
    year, month = max(sorted(counts), key=lambda k: counts[k])
    return Month(year, month)
