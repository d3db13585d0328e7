"""Form commands of the ``dromologio`` command line: the forms a Greek office signs.

dromologio forms travel-order DIR P.json [P2.json ...] --technician T07 --out order.xlsx
dromologio forms statement DIR P.json [P2.json ...] --technician T07 --month 2026-11 --out st.html

The format follows ``--out``'s suffix: ``.xlsx`` (openpyxl) or ``.html`` (printable).  The
forms are built in :mod:`dromologio.reports.forms`; the service serves the same ones
(``GET /forms/...``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from dromologio.reports.terminal import read_problem_or_exit

if TYPE_CHECKING:
    from dromologio.models import Plan, Problem

console = Console()
errors = Console(stderr=True)

forms_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Έντυπα / forms: εντολή μετακίνησης (travel order), μηνιαία κατάσταση (monthly statement).",
)

ProblemPath = Annotated[
    Path, typer.Argument(help="problem folder (CSV), .json document or .xlsx workbook", show_default=False)
]
PlanPaths = Annotated[list[Path], typer.Argument(help="plan JSON files, oldest first", show_default=False)]
Technician = Annotated[str, typer.Option("--technician", help="the technician's id, e.g. T07")]
Out = Annotated[Path, typer.Option("--out", help="file to write: .xlsx or .html")]
SUFFIXES = (".xlsx", ".html")


def _fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]{message}[/]", highlight=False)
    return typer.Exit(2)


def _inputs(path: Path, plan_paths: list[Path], technician: str, out: Path) -> tuple[Problem, list[Plan]]:
    from dromologio.models.plan_io import read_plan_json

    if out.suffix.lower() not in SUFFIXES:
        raise _fail(f"--out '{out}': write .xlsx or .html (e.g. --out statement.xlsx)")
    problem = read_problem_or_exit(path)
    if technician not in problem.technician_by_id:
        raise _fail(f"--technician '{technician}' is not in technicians.csv of {path}")
    plans = []
    for plan_path in plan_paths:
        try:
            plans.append(read_plan_json(plan_path))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise _fail(f"Δεν διαβάζεται το πλάνο / cannot read the plan {plan_path}: {error}") from error
    return problem, plans


@forms_app.command("travel-order")
def travel_order(
    path: ProblemPath,
    plan_paths: PlanPaths,
    technician: Technician,
    out: Out,
    day: Annotated[
        str, typer.Option("--date", help="the trip of this day, YYYY-MM-DD (default: every trip)")
    ] = "",
) -> None:
    """Εντολή μετακίνησης / the travel order of each trip of a technician (one file per trip)."""
    from dromologio.reports.forms import (
        greek_eur,
        greek_number,
        travel_days,
        travel_order_html,
        travel_order_workbook,
        trips,
        write_workbook,
    )

    problem, plans = _inputs(path, plan_paths, technician, out)
    try:
        found = trips(travel_days([(problem, plan) for plan in plans], technician))
    except ValueError as error:
        raise _fail(f"Το πλάνο δεν ταιριάζει / the plan does not fit the problem: {error}") from error
    if day:
        found = [t for t in found if any(d.date.isoformat() == day for d in t.days)]
    if not found:
        raise _fail(f"{technician} has no trip{f' on {day}' if day else ''} in these plans")
    for trip in found:
        target = (
            out if len(found) == 1 else out.with_name(f"{out.stem}-{trip.first.date.isoformat()}{out.suffix}")
        )
        if target.suffix.lower() == ".xlsx":
            write_workbook(travel_order_workbook(trip), target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(travel_order_html(trip), encoding="utf-8")
        totals = trip.totals
        console.print(
            f"Εντολή μετακίνησης / travel order {trip.first.date:%d/%m/%Y}–{trip.last.date:%d/%m/%Y}: "
            f"{greek_number(totals.distance_km, 1)} km, {greek_eur(totals.total_eur)} → [bold]{target}[/]",
            highlight=False,
        )


@forms_app.command("statement")
def statement(
    path: ProblemPath,
    plan_paths: PlanPaths,
    technician: Technician,
    out: Out,
    month: Annotated[str, typer.Option("--month", help="YYYY-MM (default: the first plan's month)")] = "",
) -> None:
    """Μηνιαία κατάσταση / a technician's monthly statement of daily allowances and travel expenses."""
    from dromologio.reports.forms import (
        greek_eur,
        greek_number,
        monthly_statement,
        statement_html,
        statement_workbook,
        travel_days,
        write_workbook,
    )

    problem, plans = _inputs(path, plan_paths, technician, out)
    if month and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise _fail(f"--month '{month}' is not a month; write it as YYYY-MM, e.g. 2026-11")
    first_days = [d for plan in plans for d in plan.dates]
    chosen = month or (f"{min(first_days):%Y-%m}" if first_days else "")
    if not chosen:
        raise _fail("the plans have no days; say --month YYYY-MM")
    try:
        days = travel_days([(problem, plan) for plan in plans], technician)
        result = monthly_statement(problem, technician, days, chosen)
    except ValueError as error:
        raise _fail(f"Το πλάνο δεν ταιριάζει / the plan does not fit the problem: {error}") from error
    if out.suffix.lower() == ".xlsx":
        write_workbook(statement_workbook(result), out)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(statement_html(result), encoding="utf-8")
    totals = result.totals
    console.print(
        f"Κατάσταση / statement {chosen}: {len(result.days)} ημέρες / days, "
        f"{greek_number(totals.distance_km, 1)} km, {greek_eur(totals.total_eur)} → [bold]{out}[/]",
        highlight=False,
    )
