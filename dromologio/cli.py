"""The ``dromologio`` command line (typer + rich).

dromologio sample DIR                      write the embedded sample problem folder
dromologio validate DIR                    check the input files alone
dromologio plan DIR --date D --out P.json  plan a day, print it, write JSON + CSV
dromologio check DIR P.json                run the independent plan checker
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dromologio import ATTRIBUTION, __version__
from dromologio.cli_campaign import register as register_campaign_command
from dromologio.cli_costs import register as register_cost_commands
from dromologio.cli_forms import forms_app
from dromologio.cli_levels import register as register_level_command
from dromologio.cli_scenarios import scenarios_app
from dromologio.cli_service import register as register_service_commands
from dromologio.geo.closures import Closure
from dromologio.models import Plan, Problem, Stop
from dromologio.models.audit import AuditReport
from dromologio.reports.exports.route_times import driving_minutes, ferry_minutes
from dromologio.reports.terminal import (
    DecimalOption,
    ExcelOption,
    SepOption,
    csv_dialect_or_exit,
    parse_date_or_exit,
    read_problem_or_exit,
)
from dromologio.reports.width import WideOption, fold_columns, is_narrow, print_table

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Δρομολόγιο: ημερήσια πλάνα επισκέψεων τεχνικών σε σχολεία / daily visit plans for school IT support.",
)
app.add_typer(scenarios_app, name="scenarios")
app.add_typer(forms_app, name="forms")
console = Console()
errors = Console(stderr=True)

ProblemPath = Annotated[
    Path, typer.Argument(help="problem folder (CSV), .json document or .xlsx workbook", show_default=False)
]


@app.command()
def version() -> None:
    """Έκδοση / print the version."""
    console.print(f"dromologio {__version__}")


@app.command()
def sample(
    target: Annotated[Path, typer.Argument(help="folder to write the sample problem into")],
) -> None:
    """Γράφει το δείγμα (Ήπειρος και Κυκλάδες) / write the embedded sample region's problem folder."""
    from dromologio.sample import write_sample

    written = write_sample(target)
    console.print(f"Δείγμα γράφτηκε / sample written: [bold]{written}[/]")
    console.print(f"[dim]{ATTRIBUTION}[/]")


@app.command()
def validate(path: ProblemPath) -> None:
    """Ελέγχει τα αρχεία εισόδου / check the input files alone (exit 2 on errors)."""
    problem = read_problem_or_exit(path)
    visits = sum(1 for t in problem.tickets if t.needs_visit)
    console.print(
        f"[green]Εντάξει / valid[/]: {len(problem.schools)} σχολεία/schools, {len(problem.bases)} βάσεις/bases, "
        f"{len(problem.technicians)} τεχνικοί/technicians, {len(problem.tickets)} αιτήματα/tickets "
        f"({visits} need a visit), {len(problem.ports)} λιμάνια/ports, {len(problem.sailings)} δρομολόγια/sailings"
    )


class PlanHorizon(StrEnum):
    """How a plan of several days is made: tours over the horizon, or each day alone (fast)."""

    tours = "tours"
    rolling = "rolling"


@app.command()
def plan(
    path: ProblemPath,
    plan_date: Annotated[
        str, typer.Option("--date", help="day to plan, YYYY-MM-DD (default: the next working day)")
    ] = "",
    out: Annotated[Path, typer.Option(help="plan JSON to write; a CSV is written beside it")] = Path(
        "plan.json"
    ),
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="solver time limit in seconds (default: policy)")
    ] = None,
    days: Annotated[int, typer.Option(min=1, help="working days to plan (tickets roll over)")] = 1,
    horizon: Annotated[
        PlanHorizon,
        typer.Option(
            "--horizon",
            help="with --days > 1: tours (nights away chained over the days, home by the last one) "
            "or rolling (each day alone, a night only when tomorrow brings the technician home: fast)",
        ),
    ] = PlanHorizon.tours,
    seed: Annotated[int, typer.Option(help="random seed of the search")] = 0,
    quiet: Annotated[bool, typer.Option(help="do not print the plan")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="plan a day that is past or not a working day anyway")
    ] = False,
    excel: ExcelOption = False,
    sep: SepOption = None,
    decimal: DecimalOption = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx", help="also write the plan as an Excel workbook (routes, stops, unassigned, costs)"
        ),
    ] = None,
    wide: WideOption = False,
    scheduler: Annotated[
        str,
        typer.Option(
            "--scheduler",
            help="where the parts of a big day run: local (a Dask LocalCluster here) or a Dask scheduler "
            "address, e.g. tcp://host:8786 (default: local processes)",
        ),
    ] = "",
    preventive: Annotated[
        bool,
        typer.Option(
            "--preventive",
            help="also plan the preventive visits due (schools' maintenance_days, last_maintenance): "
            "each is visited or listed unassigned with its reason",
        ),
    ] = False,
) -> None:
    """Σχεδιάζει μια μέρα / plan a day: print it and write plan JSON + CSV (and .xlsx)."""
    from dromologio.dispatch import solve
    from dromologio.dispatch.executor import executor_for
    from dromologio.models.checker import check_plan
    from dromologio.models.plan_io import write_plan_json
    from dromologio.planning.preventive import relabel, with_preventive
    from dromologio.reports.exports import write_plan_csv, write_plan_xlsx

    dialect = csv_dialect_or_exit(excel, sep, decimal)
    problem = read_problem_or_exit(path)
    closures = _load_closures(path)
    day = _plan_day(problem, plan_date, force)
    limit = problem.policy.solver_time_limit_s if time_limit is None else time_limit
    best: list[float] = []
    with console.status(f"Επίλυση / solving {day.isoformat()} (≤ {limit:g} s)…") as status:

        def progress(elapsed: float, objective: int) -> None:
            best.append(objective / 10_000)
            status.update(
                f"Επίλυση / solving {day.isoformat()}: {elapsed:5.1f} s, "
                f"καλύτερο / best objective {objective / 10_000:,.2f} €"
            )

        executor = executor_for(scheduler) if scheduler else None
        if preventive:
            # The preventive visits due join the day's tickets (plan_with_preventive's steps,
            # with the command's progress and executor).
            problem = with_preventive(problem, day)
        try:
            result = solve(
                problem,
                day,
                days=days,
                time_limit_s=limit,
                seed=seed,
                on_solution=progress,
                closures=closures,
                executor=executor,
                horizon=horizon.value,
            )
        finally:
            if executor is not None:
                executor.close()
    made = relabel(problem, result.plan) if preventive else result.plan
    report = check_plan(problem, made)
    write_plan_json(made, out)
    csv_path = write_plan_csv(made, problem, out.with_suffix(".csv"), dialect)
    written = [out, csv_path]
    if xlsx is not None:
        written.append(write_plan_xlsx(made, problem, xlsx))
    if not quiet:
        print_plan(problem, made, wide=wide)
    console.print("Πλάνο / plan: " + ", ".join(f"[bold]{p}[/]" for p in written))
    if not report.ok:
        errors.print(f"[bold red]Ο έλεγχος απέτυχε / plan check failed[/]\n{report}")
        raise typer.Exit(1)


@app.command()
def check(
    path: ProblemPath,
    plan_path: Annotated[Path, typer.Argument(help="plan JSON")],
    audit: Annotated[
        bool,
        typer.Option(
            "--audit/--no-audit", help="also list tickets left undone without need (the plan audit)"
        ),
    ] = True,
    preventive: Annotated[
        bool,
        typer.Option(
            "--preventive", help="the plan was made with --preventive: its preventive visits are known"
        ),
    ] = False,
) -> None:
    """Ανεξάρτητος έλεγχος πλάνου / run the independent plan checker and audit (exit 1 on a violation)."""
    from dromologio.dispatch.repair import closed_schools
    from dromologio.dispatch.road_times import road_times
    from dromologio.dispatch.solve import default_travel_model
    from dromologio.models.audit import audit_plan
    from dromologio.models.checker import check_plan
    from dromologio.models.plan_io import read_plan_document

    problem = read_problem_or_exit(path)
    try:
        document = read_plan_document(plan_path)
    except (OSError, ValueError) as error:
        errors.print(f"[bold red]{error}[/]")
        raise typer.Exit(2) from error
    if preventive:
        from dromologio.planning.preventive import with_preventive

        # The visits due on the plan's first day; a plan without a good date is the checker's to fault.
        with suppress(KeyError, IndexError, TypeError, ValueError):
            problem = with_preventive(problem, date.fromisoformat(str(document["dates"][0])))
    report = check_plan(problem, document)
    if report.ok:
        console.print("[green]Το πλάνο τηρεί όλους τους κανόνες / the plan obeys every rule[/]")
    else:
        errors.print(f"[bold red]Παραβιάσεις / violations ({len(report.violations)})[/]")
        errors.print(str(report), markup=False, highlight=False, soft_wrap=True)
    if audit:
        closed = closed_schools(problem, _load_closures(path))
        # Road moves timed by the travel model plans are made with, as the solver timed them.
        road = road_times(problem, default_travel_model(problem))
        print_audit(audit_plan(problem, document, closed=closed, road=road))
    if not report.ok:
        raise typer.Exit(1)


def print_audit(report: AuditReport) -> None:
    """The audit's findings: unassigned tickets that some technician could still take for less."""
    if report.ok:
        console.print(
            "[green]Έλεγχος αναθέσεων: κανένα αίτημα δεν μένει χωρίς λόγο / "
            "audit: no ticket is left undone without need[/]"
        )
    else:
        console.print(
            "[bold yellow]Αιτήματα που το πλάνο θα μπορούσε να εξυπηρετήσει / "
            f"tickets the plan could still serve ({len(report.findings)})[/]"
        )
        for finding in report.findings:
            console.print(
                f"  • {finding.kind} {finding.delta_eur:+.2f} €: {finding.message}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    for line in report.not_audited:
        console.print(f"  ◦ {line}", markup=False, highlight=False, soft_wrap=True)


def _load_closures(path: Path) -> list[Closure]:
    """``closures.csv`` beside the problem files, when there is one (road closures by date)."""
    from dromologio.geo.closures import read_closures
    from dromologio.models.errors import InputError

    folder = path if path.is_dir() else path.parent
    file = folder / "closures.csv"
    if not file.exists():
        return []
    try:
        return read_closures(file)
    except InputError as error:
        errors.print(f"[bold red]Σφάλματα εισόδου / input errors[/] ({len(error.issues)}):")
        for issue in error.issues:
            errors.print(f"  • {issue}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from error


def _plan_day(problem: Problem, text: str, force: bool) -> date:
    """The day to plan: a working day from today on (the next one by default), unless ``force``."""
    from dromologio.dispatch.solve import problem_calendar
    from dromologio.models.calendar import date_problem, today

    calendar, directorates = problem_calendar(problem)
    day = parse_date_or_exit(text) if text else calendar.next_working_day(today(), directorates)
    refusal = date_problem(day, calendar, directorates, force_hint="--force")
    if refusal is not None and not force:
        errors.print(refusal, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if refusal is not None:
        errors.print(f"--force: {date_problem(day, calendar, directorates)}", markup=False, highlight=False)
    return day


def _hhmm(value: object) -> str:
    return value.strftime("%H:%M") if hasattr(value, "strftime") else ""


def print_plan(problem: Problem, plan: Plan, *, wide: bool = False) -> None:
    """Per technician: stops with times; then unassigned with reasons; then totals.

    Below 120 columns (unless ``wide``) the time on site shares the time's cell, so the table
    keeps three columns; no cell is ever cut to "…".
    """
    narrow = is_narrow(console, wide)
    for route in plan.routes:
        technician = problem.technician_by_id[route.technician_id]
        on_board = ferry_minutes(route)
        sailing = f" · {on_board} min πλοίο/ferry" if on_board else ""
        title = (
            f"{route.date.isoformat()} · {technician.name} ({technician.technician_id}, {technician.employer}) · "
            f"{route.distance_km:.1f} km · {driving_minutes(route)} min οδήγηση/driving{sailing} · "
            f"{route.cost_eur:.2f} €"
        )
        if not route.visits:
            console.print(f"[dim]{title} · χωρίς επισκέψεις / no visits[/]")
            continue
        table = Table(title=title, title_justify="left", show_lines=False)
        columns = ["ώρα/time", "στάση/stop", "αιτήματα/tickets"] + ([] if narrow else ["παραμονή/on site"])
        for column in columns:
            table.add_column(column)
        for stop in route.stops:
            cells = _stop_cells(problem, stop)
            if narrow:
                time_cell = cells[0] + (f"\n{cells[3]}" if cells[3] else "")
                table.add_row(time_cell, cells[1], cells[2])
            else:
                table.add_row(*cells)
        print_table(console, fold_columns(table), wide=wide)
    if plan.unassigned:
        table = Table(title="Χωρίς επίσκεψη / unassigned", title_justify="left")
        table.add_column("αίτημα/ticket")
        table.add_column("σχολείο/school")
        table.add_column("αιτία/reason")
        for item in plan.unassigned:
            ticket = problem.ticket_by_id[item.ticket_id]
            table.add_row(item.ticket_id, problem.school_by_id[ticket.school_id].name, item.reason)
        print_table(console, fold_columns(table), wide=wide)
    kpis = plan.kpis
    console.print(
        f"[bold]Σύνολα / totals[/]: {kpis.get('visited', 0)}/{kpis.get('to_visit', 0)} αιτήματα με επίσκεψη / "
        f"tickets visited, {len(plan.unassigned)} χωρίς / unassigned, {len(plan.remote)} απομακρυσμένα / remote, "
        f"{len(plan.vendor)} προμηθευτής / vendor · {kpis.get('distance_km', 0)} km · "
        f"{kpis.get('cost_eur', 0)} € · στόχος / objective {kpis.get('objective_eur', 0)} €"
    )


def _stop_cells(problem: Problem, stop: Stop) -> tuple[str, str, str, str]:
    """A stop as (time, place, tickets, time on site)."""
    if stop.type == "start":
        return _hhmm(stop.depart), "αναχώρηση από βάση / leave base", "", ""
    if stop.type == "visit" and stop.school_id is not None:
        school = problem.school_by_id[stop.school_id]
        place = f"{school.name}" + (f" ({school.island})" if school.island else "")
        return _hhmm(stop.arrive), place, ", ".join(stop.ticket_ids), f"{_hhmm(stop.start)}–{_hhmm(stop.end)}"
    if stop.type == "ferry":
        source, target = (problem.port_by_id.get(p or "") for p in (stop.from_port, stop.to_port))
        crossing = f"{source.name if source else stop.from_port} → {target.name if target else stop.to_port}"
        return f"{_hhmm(stop.depart)}–{_hhmm(stop.arrive)}", f"πλοίο / ferry {crossing}", "", ""
    return _hhmm(stop.arrive), "επιστροφή / back at base", "", ""


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url", help="SQLAlchemy URL (default: $DATABASE_URL, else sqlite:///dromologio.db)"
        ),
    ] = None,
    no_sample: Annotated[
        bool, typer.Option("--no-sample", help="do not seed an empty database with the sample")
    ] = False,
) -> None:
    """Υπηρεσία / run the dispatch service (HTTP API; docs at /docs)."""
    from dromologio.api.server import serve as run_service

    run_service(host, port, database_url, seed_sample=not no_sample)


register_cost_commands(app)
register_service_commands(app)
register_campaign_command(app)
register_level_command(app)


if __name__ == "__main__":  # pragma: no cover
    app(prog_name="dromologio")
