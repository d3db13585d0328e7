"""The plan as flat rows for spreadsheets: the contract's ``plan.csv`` columns and names beside ids.

The columns of :data:`~dromologio.models.plan_io.PLAN_CSV_COLUMNS` come first, as the contract
has them; :data:`NAME_COLUMNS` follow (optional columns, ``docs/problem-format.md``): the
technician's name and employer, the school's name, Directorate and island.  Rows of tickets
not visited name their school too.  ``lat`` and ``lon`` stay numbers, so that a dialect can
write them with a decimal comma.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

from dromologio.models import Plan, Problem
from dromologio.models.plan_io import PLAN_CSV_COLUMNS, plan_csv_rows

from .dialect import PLAIN, CsvDialect, csv_text, write_csv_rows

__all__ = ["NAMED_PLAN_COLUMNS", "NAME_COLUMNS", "named_plan_rows"]

#: the names written beside the ids (after the contract's columns).
NAME_COLUMNS: tuple[str, ...] = ("technician_name", "employer", "school_name", "directorate", "school_island")
#: every column of a plan CSV with names.
NAMED_PLAN_COLUMNS: tuple[str, ...] = (*PLAN_CSV_COLUMNS, *NAME_COLUMNS)


def _number(text: str) -> float | str:
    try:
        return float(text) if text else ""
    except ValueError:
        return text


def named_plan_rows(plan: Plan, problem: Problem) -> list[dict[str, Any]]:
    """One row per stop, then one per ticket not visited, with names beside the ids."""
    rows: list[dict[str, Any]] = []
    for base in plan_csv_rows(plan):
        row: dict[str, Any] = dict(base)
        row["lat"], row["lon"] = _number(base["lat"]), _number(base["lon"])
        technician = problem.technician_by_id.get(base["technician_id"])
        school_id = base["school_id"]
        if not school_id and base["type"] in ("unassigned", "remote", "vendor"):
            ticket = problem.ticket_by_id.get(base["ticket_ids"])
            school_id = ticket.school_id if ticket else ""
            row["school_id"] = school_id
        school = problem.school_by_id.get(school_id)
        row.update(
            technician_name=technician.name if technician else "",
            employer=technician.employer if technician else "",
            school_name=school.name if school else "",
            directorate=school.directorate if school else "",
            school_island=school.island if school else "",
        )
        rows.append(row)
    return rows


def plan_csv_text(plan: Plan, problem: Problem, dialect: CsvDialect = PLAIN) -> str:
    """The plan CSV with names, as text in ``dialect``."""
    return csv_text(named_plan_rows(plan, problem), NAMED_PLAN_COLUMNS, dialect)


def write_plan_csv(
    plan: Plan, problem: Problem, path: str | PathLike[str], dialect: CsvDialect = PLAIN
) -> Path:
    """Write the plan CSV with names to ``path`` in ``dialect``."""
    return write_csv_rows(named_plan_rows(plan, problem), NAMED_PLAN_COLUMNS, path, dialect)
