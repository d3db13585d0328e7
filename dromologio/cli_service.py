"""The support service on the command line: ``service-report`` and ``slots``.

dromologio service-report DIR PLAN.json... --month 2026-11 [--directorate D] [--employer E] [--out FOLDER]
dromologio slots DIR SCHOOL --skill network [--minutes 60] [--days 5] [--plan PLAN.json ...] [--after DATE]

``service-report`` takes a month's plans as made (:mod:`dromologio.planning.service.sources`):
every visit made as planned, a ticket visited again later not solved by the earlier visit.
``slots`` inserts the visit into each working day's plan given with ``--plan`` (a day
without one: nobody's plan yet).  :func:`register` adds both commands to an application.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dromologio.models import Plan
from dromologio.reports.terminal import read_problem_or_exit

console = Console()
errors = Console(stderr=True)

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Η υπηρεσία υποστήριξης / the support service."
)

ProblemPath = Annotated[
    Path, typer.Argument(help="problem folder (CSV), .json document or .xlsx workbook", show_default=False)
]


def _read_plans(paths: list[Path]) -> list[Plan]:
    from dromologio.models.plan_io import read_plan_json

    plans: list[Plan] = []
    for path in paths:
        try:
            plans.append(read_plan_json(path))
        except (OSError, ValueError, KeyError) as error:
            errors.print(
                f"[bold red]{path.name}: δεν διαβάζεται ως πλάνο / cannot be read as a plan: {error}[/]",
                highlight=False,
            )
            raise typer.Exit(2) from error
    return plans


def service_report(
    path: ProblemPath,
    plans: Annotated[list[Path], typer.Argument(help="the month's plan JSON files", show_default=False)],
    month: Annotated[str, typer.Option("--month", help="YYYY-MM", show_default=False)],
    directorate: Annotated[str | None, typer.Option("--directorate", help="one Directorate")] = None,
    employer: Annotated[str | None, typer.Option("--employer", help="one partner body")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="folder for CSV, xlsx, PNG and HTML")] = None,
) -> None:
    """Αναφορά υπηρεσίας / service report of a month: times, fixes, repeats, km and €."""
    from dromologio.planning.service.report import COLUMN_TITLES, Month
    from dromologio.planning.service.report import service_report as compute
    from dromologio.planning.service.sources import histories_from_plans, route_money
    from dromologio.reports.service import write_service_report

    try:
        wanted = Month.parse(month)
    except ValueError as error:
        errors.print(f"[bold red]--month: {error}[/]", highlight=False)
        raise typer.Exit(2) from error
    problem = read_problem_or_exit(path)
    read = _read_plans(plans)
    report = compute(
        histories_from_plans(problem, read),
        route_money(problem, read),
        wanted,
        directorate=directorate,
        employer=employer,
    )
    table = Table(title=report.title)
    for column in report.table.columns:
        table.add_column(COLUMN_TITLES[str(column)], overflow="fold")
    for row in report.table.itertuples(index=False):
        table.add_row(*("—" if value is None or value != value else str(value) for value in row))
    console.print(table)
    console.print(
        f"διαδρομές / routes {report.routes} · {report.distance_km:.1f} km · {report.cost_eur:.2f} € · "
        f"επαναλήψεις / repeat faults {len(report.repeats)} · προληπτική κάλυψη / preventive coverage n/a",
        highlight=False,
    )
    if out is not None:
        for kind, written in write_service_report(report, out).items():
            console.print(f"{kind}: {written}", highlight=False)


def slots(
    path: ProblemPath,
    school: Annotated[str, typer.Argument(help="the school's id", show_default=False)],
    skill: Annotated[str, typer.Option("--skill", help="the skill the visit needs", show_default=False)],
    minutes: Annotated[int, typer.Option("--minutes", help="minutes of work on site", min=1, max=480)] = 60,
    days: Annotated[int, typer.Option("--days", help="working days to look at", min=1, max=20)] = 5,
    plan_files: Annotated[
        list[Path] | None, typer.Option("--plan", help="a plan JSON of some of those days (repeatable)")
    ] = None,
    after: Annotated[
        str, typer.Option("--after", help="look from the day after, YYYY-MM-DD (default: today)")
    ] = "",
    count: Annotated[int, typer.Option("--count", help="slots to suggest", min=1, max=10)] = 3,
) -> None:
    """Πότε μπορείτε να έρθετε; / when can you come? The cheapest feasible visit slots."""
    from dromologio.dispatch.road_times import road_times
    from dromologio.dispatch.solve import default_travel_model
    from dromologio.models.calendar import WorkCalendar, today
    from dromologio.planning.slots import DayPlan, SlotRequestError, slot_days, suggest_slots

    problem = read_problem_or_exit(path)
    if school not in problem.school_by_id:
        errors.print(
            f"[bold red]δεν υπάρχει σχολείο / no school '{school}' in {path.name}[/]", highlight=False
        )
        raise typer.Exit(2)
    try:
        start = date.fromisoformat(after) if after else today()
    except ValueError as error:
        errors.print(f"[bold red]--after '{after}' is not a date: write it as YYYY-MM-DD[/]", highlight=False)
        raise typer.Exit(2) from error
    by_day: dict[date, Plan] = {}
    for plan in _read_plans(plan_files or []):
        for day in plan.dates:
            by_day[day] = plan
    directorate = problem.school_by_id[school].directorate
    wanted = slot_days(WorkCalendar(), start, days, [directorate])
    absences = {d: frozenset(a.technician_id for a in problem.absences if a.covers(d)) for d in wanted}
    sources = {d: DayPlan(problem, by_day.get(d), absences[d]) for d in wanted}
    road = road_times(problem, default_travel_model(problem))
    try:
        found = suggest_slots(
            school, skill=skill, minutes=minutes, day_plans=sources, count=count, road=lambda _: road
        )
    except SlotRequestError as error:
        errors.print(f"[bold red]{error}[/]", highlight=False)
        raise typer.Exit(2) from error
    if not found:
        console.print("καμία θέση / no slot in these days", highlight=False)
        return
    table = Table(title=f"{school} · {skill} · {minutes} min")
    for column in (
        "ημέρα/day",
        "ώρα/time",
        "τεχνικός/technician",
        "+€",
        "+km",
        "μετά/after",
        "πριν/before",
        "πλάνο/plan",
    ):
        table.add_column(column, overflow="fold")
    for slot in found:
        table.add_row(
            slot.day.isoformat(),
            f"{slot.start:%H:%M}–{slot.end:%H:%M}",
            f"{slot.technician_id} {slot.technician}",
            f"{slot.added_eur:.2f}",
            f"{slot.added_km:.1f}",
            slot.after_school or "βάση/base",
            slot.before_school or "βάση/base",
            "ναι/yes" if slot.planned_day else "όχι/no",
        )
    console.print(table)


def register(application: typer.Typer) -> None:
    """Add ``service-report`` and ``slots`` to ``application``."""
    application.command("service-report")(service_report)
    application.command("slots")(slots)


register(app)
