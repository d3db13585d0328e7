"""Preventive visits in a simulated day: the hook of a scenario with the ``preventive_visits`` change.

Before each day's solve :func:`with_due_visits` adds to the day's open tickets the preventive
visits due (:func:`dromologio.planning.preventive.due_visits`, ticket ``PM-<school>-<due
date>``), each with a ticket record of triage ``preventive``.  A school's ``last_maintenance``
is the later of the baseline's and the last preventive visit made so far in the simulation
(:func:`maintained`, read from those records), so a visit made moves it as
:func:`dromologio.planning.preventive.after_plan` does for a published plan.  A visit left
undone is carried to the next day under its id, like a repair, until it is made.
:func:`coverage_by_day` is the KPI: the share of schools seen within their interval at each
day's end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from dromologio.models import Problem, School, Ticket
from dromologio.models.service_columns import LAST_MAINTENANCE, last_maintenance
from dromologio.planning.preventive import coverage, due_visits
from dromologio.planning.scenarios import PreparedScenario

from .records import ScenarioRun, TicketRecord, area_of

__all__ = ["TRIAGE", "coverage_by_day", "maintained", "with_due_visits"]

#: the triage of a preventive visit's ticket record.
TRIAGE = "preventive"


def _visited(records: Iterable[TicketRecord], until: date | None = None) -> dict[str, date]:
    """Per school, the day of the last preventive visit among ``records`` (up to ``until``)."""
    seen: dict[str, date] = {}
    for record in records:
        if record.triage != TRIAGE or record.served_at is None:
            continue
        day = record.served_at.date()
        if until is None or day <= until:
            seen[record.school_id] = max(day, seen.get(record.school_id, day))
    return seen


def _moved(school: School, visited: date | None) -> School:
    last = last_maintenance(school)
    if visited is None or (last is not None and last >= visited):
        return school
    return replace(school, extra={**school.extra, LAST_MAINTENANCE: visited.isoformat()})


def maintained(problem: Problem, records: Iterable[TicketRecord], until: date | None = None) -> Problem:
    """``problem`` with each school's ``last_maintenance`` moved to the preventive visits of ``records``."""
    seen = _visited(records, until)
    return problem.replace(schools=tuple(_moved(s, seen.get(s.school_id)) for s in problem.schools))


def with_due_visits(
    scenario: PreparedScenario,
    day: date,
    open_tickets: tuple[Ticket, ...],
    records: Mapping[str, TicketRecord],
) -> tuple[tuple[Ticket, ...], dict[str, TicketRecord]]:
    """The day's open tickets and records with the preventive visits due added (unchanged when
    the scenario plans none)."""
    if not scenario.preventive:
        return open_tickets, dict(records)
    problem = maintained(scenario.problem, records.values()).replace(tickets=open_tickets)
    due = due_visits(problem, day)
    schools = problem.school_by_id
    added = {
        t.ticket_id: TicketRecord(
            t.ticket_id,
            t.school_id,
            t.priority,
            area_of(schools[t.school_id]),
            t.opened_at,
            None,
            day,
            False,
            TRIAGE,
            category=t.category,
        )
        for t in due
    }
    return (*open_tickets, *due), {**records, **added}


def coverage_by_day(baseline: Problem, run: ScenarioRun) -> list[tuple[date, float | None]]:
    """Preventive coverage at the end of each simulated day of ``run`` (None: no preventive care)."""
    return [(day, coverage(maintained(baseline, run.tickets, until=day), day)) for day in run.horizon]
