"""The support service on the command line: ``service-report`` and ``slots``.

dromologio service-report DIR PLAN.json... --month 2026-11 [--directorate D] [--employer E] [--out FOLDER]
dromologio slots DIR SCHOOL --skill network [--minutes 60] [--days 5] [--plan PLAN.json ...] [--after DATE]
dromologio service-whatif SCENARIOS.yaml [--days 20] [--time-limit 1] [--month 2026-12] --out FOLDER

``service-report`` takes a month's plans as made (:mod:`dromologio.planning.service.sources`):
every visit made as planned, a ticket visited again later not solved by the earlier visit.
``slots`` inserts the visit into each working day's plan given with ``--plan`` (a day
without one: nobody's plan yet).  ``service-whatif`` simulates a scenario file's scenarios
(every daily plan through the checker) and writes preventive coverage by day, urgent response,
part-time days, km and € and each scenario's month report (:mod:`dromologio.planning.service.simulated`);
its ``problem: sample-zones`` is the sample with the Konitsa zone sub-station.
:func:`register` adds the commands to an application.
"""

from __future__ import annotations

from datetime import date, timedelta
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
    from dromologio.planning.preventive import coverage_by_area, maintained_by, visits_in_plans
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
    # Preventive coverage at the month's end: the schools' last visits moved by the plans' own.
    month_end = wanted.next_first_day - timedelta(days=1)
    in_scope = tuple(s for s in problem.schools if directorate in (None, s.directorate))
    by_area: dict[str, float | None] | None = None
    if in_scope:
        scoped = problem.replace(schools=in_scope, tickets=(), travel_times=())
        covered = coverage_by_area(maintained_by(scoped, visits_in_plans(read, until=month_end)), month_end)
        by_area = covered if covered["all"] is not None else None
    report = compute(
        histories_from_plans(problem, read),
        route_money(problem, read),
        wanted,
        directorate=directorate,
        employer=employer,
        preventive_coverage=by_area,
    )
    table = Table(title=report.title)
    for column in report.table.columns:
        table.add_column(COLUMN_TITLES[str(column)], overflow="fold")
    for row in report.table.itertuples(index=False):
        table.add_row(*("—" if value is None or value != value else str(value) for value in row))
    console.print(table)
    console.print(
        f"διαδρομές / routes {report.routes} · {report.distance_km:.1f} km · {report.cost_eur:.2f} € · "
        f"επαναλήψεις / repeat faults {len(report.repeats)} · προληπτική κάλυψη / preventive coverage "
        f"{report.table.iloc[0]['preventive_coverage']}",
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


def service_whatif(
    file: Annotated[Path, typer.Argument(help="scenario file (YAML or JSON)", show_default=False)],
    out: Annotated[
        Path, typer.Option("--out", help="folder for the tables, the chart and the reports")
    ] = Path("out/service-whatif"),
    days: Annotated[
        int | None, typer.Option(min=1, help="working days (default: the file's, else 20)")
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", help="solver seconds per day (default: the file's, else 1)"),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="random seed (default: the file's, else 1)")] = None,
    month: Annotated[
        str | None,
        typer.Option("--month", help="month of the service report, YYYY-MM (default: the busiest)"),
    ] = None,
) -> None:
    """Τι θα γινόταν αν, με προληπτικές επισκέψεις / what-if with preventive visits: coverage, urgent
    response, part-time days and the month's service report (every daily plan checked)."""
    from dromologio.cli_scenarios import named_problems
    from dromologio.planning.scenarios import ScenarioError, load_scenarios
    from dromologio.planning.service import simulated
    from dromologio.planning.service.report import Month
    from dromologio.planning.simulate import SimulationError, SimulationSettings, run_scenarios
    from dromologio.reports.service.whatif import write_whatif

    try:
        scenario_set = load_scenarios(file, named=named_problems())
        baseline = scenario_set.load_problem()
        wanted = Month.parse(month) if month else None
        settings = SimulationSettings(
            days=days or scenario_set.days or 20,
            start=scenario_set.start,
            time_limit_s=time_limit or scenario_set.time_limit_s or 1.0,
            seed=seed if seed is not None else scenario_set.seed if scenario_set.seed is not None else 1,
            check=True,
            keep_plans=True,
        )
        with console.status("Προσομοίωση / simulating…") as status:
            results = run_scenarios(
                baseline,
                scenario_set.scenarios,
                settings,
                arrivals=scenario_set.arrivals,
                scheduler="serial",
                reference=scenario_set.reference,
                progress=lambda name, done: status.update(f"Προσομοίωση / simulating: {name}, day {done}"),
            )
    except (OSError, ValueError, ScenarioError, SimulationError) as error:
        errors.print(f"[bold red]{file.name}: {error}[/]", highlight=False)
        raise typer.Exit(2 if not isinstance(error, SimulationError) else 1) from error
    import pandas as pd

    reported = wanted or simulated.busiest_month(results.horizon)
    summary = simulated.whatif_summary(baseline, results.runs)
    part_time = pd.DataFrame(
        [{"scenario": r.scenario, **p} for r in results.runs for p in simulated.part_time_days(baseline, r)]
    )
    reports = {r.scenario: simulated.month_report(baseline, r, reported) for r in results.runs}
    paths = write_whatif(out, summary, simulated.coverage_table(baseline, results.runs), part_time, reports)
    table = Table(
        title=f"{file.name}: {results.horizon[0]} .. {results.horizon[-1]}, {results.wall_seconds:.0f} s"
    )
    table.add_column("")
    for run in results.runs:
        table.add_column(run.scenario, overflow="fold")
    for column in summary.columns[1:]:
        table.add_row(str(column), *(str(v) for v in summary[column]))
    console.print(table)
    for name, report in reports.items():
        first = report.table.iloc[0]
        console.print(
            f"{name} · {reported}: {first['tickets']} αιτήματα / tickets, "
            f"απόκριση / response {first['response_h_mean']} h, επίλυση / resolution "
            f"{first['resolution_h_mean']} h, 1η επίσκεψη / first-visit fix {first['first_visit_fix_rate']}, "
            f"προληπτική κάλυψη / preventive coverage {first['preventive_coverage']}, "
            f"{report.distance_km:.0f} km, {report.cost_eur:.0f} €",
            highlight=False,
        )
    for name, path in paths.items():
        console.print(f"{name}: {path}", highlight=False)


def register(application: typer.Typer) -> None:
    """Add ``service-report``, ``slots`` and ``service-whatif`` to ``application``."""
    application.command("service-report")(service_report)
    application.command("slots")(slots)
    application.command("service-whatif")(service_whatif)


register(app)
