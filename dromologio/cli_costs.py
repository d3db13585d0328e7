"""Cost commands of the ``dromologio`` command line.

dromologio costs DIR P.json --by employer [--csv R.csv] [--xlsx R.xlsx]   price a plan
dromologio estimate DIR --history H.csv --budget B.csv --out OUT          replay a period
dromologio estimate-demo DIR                                              demo inputs

:func:`register` adds them to an application (``dromologio.cli.app``); ``app``
here holds them alone.  The demo inputs (a ticket history and a budget over the embedded
sample) are written here, above the planning code, which reads no embedded data.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from dromologio.reports.terminal import (
    DecimalOption,
    ExcelOption,
    SepOption,
    csv_dialect_or_exit,
    read_problem_or_exit,
)
from dromologio.reports.width import WideOption, is_narrow, print_table

if TYPE_CHECKING:
    import pandas as pd

    from dromologio.models import InputError, Problem

console = Console()
errors = Console(stderr=True)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Κόστος μετακινήσεων / travel costs of plans and periods.",
)

#: first day of the demo history (a Monday).
DEMO_START = date(2026, 1, 5)


class GroupBy(StrEnum):
    """What a cost report adds up by."""

    employer = "employer"
    technician = "technician"
    directorate = "directorate"
    island = "island"
    day = "day"


ProblemPath = Annotated[
    Path, typer.Argument(help="problem folder (CSV), .json document or .xlsx workbook", show_default=False)
]


def _input_errors(error: InputError) -> typer.Exit:
    errors.print(f"[bold red]Σφάλματα εισόδου / input errors[/] ({len(error.issues)}):")
    for issue in error.issues:
        errors.print(f"  • {issue}", markup=False, highlight=False)
    return typer.Exit(2)


def _warn(lines: list[str] | tuple[str, ...]) -> None:
    for line in lines:
        errors.print(f"[yellow]Προσοχή / warning:[/] {line}", highlight=False)


def costs(
    path: ProblemPath,
    plan_path: Annotated[Path, typer.Argument(help="plan JSON", show_default=False)],
    by: Annotated[
        list[GroupBy] | None,
        typer.Option("--by", help="add up by employer, technician, directorate, island or day (repeatable)"),
    ] = None,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="write the report as CSV")] = None,
    xlsx_path: Annotated[
        Path | None, typer.Option("--xlsx", help="write the report and every route's costs as .xlsx")
    ] = None,
    excel: ExcelOption = False,
    sep: SepOption = None,
    decimal: DecimalOption = None,
    wide: WideOption = False,
    fairness: Annotated[
        bool,
        typer.Option(
            "--fairness", help="per employer, allowances and nights away per technician over the plan's days"
        ),
    ] = False,
    tolerance: Annotated[
        float, typer.Option(min=0.0, help="with --fairness: share of the mean a technician may stray from it")
    ] = 0.25,
) -> None:
    """Κόστος πλάνου / price a plan by the travel rules of each employer: km and € side by side."""
    from dromologio.models.plan_io import read_plan_json
    from dromologio.planning.costs import cost_policy_issues, cost_report, plan_cost_table
    from dromologio.reports.costs import cost_table, write_cost_csv, write_cost_xlsx

    dialect = csv_dialect_or_exit(excel, sep, decimal)
    problem = read_problem_or_exit(path)
    try:
        plan = read_plan_json(plan_path)
    except (OSError, ValueError, KeyError, TypeError) as error:
        errors.print(f"[bold red]Δεν διαβάζεται το πλάνο / cannot read the plan:[/] {error}", highlight=False)
        raise typer.Exit(2) from error
    _warn(cost_policy_issues(problem))
    keys = [g.value for g in (by or [GroupBy.employer])]
    try:
        table = plan_cost_table(problem, plan)
    except ValueError as error:
        errors.print(f"[bold red]Το πλάνο δεν ταιριάζει / the plan does not fit the problem:[/] {error}")
        raise typer.Exit(2) from error
    report = cost_report(table, keys, with_total=True)
    title = f"Κόστος / costs by {', '.join(keys)} · {plan_path.name}"
    print_table(console, cost_table(report, title, narrow=is_narrow(console, wide)), wide=wide)
    stated = round(float(table["plan_cost_eur"].sum()), 2) if not table.empty else 0.0
    priced = round(float(table["total_eur"].sum()), 2) if not table.empty else 0.0
    if abs(stated - priced) > 0.005:
        per_diem = round(float(table["per_diem_eur"].sum()), 2)
        console.print(
            f"[dim]Το πλάνο δηλώνει / the plan states {stated:,.2f} €; οι κανόνες δίνουν / the travel rules give "
            f"{priced:,.2f} € (ημερήσια / per diem {per_diem:,.2f} €).[/]"
        )
    if fairness:
        _print_fairness(problem, table, tolerance, wide)
    if csv_path is not None:
        console.print(f"CSV: [bold]{write_cost_csv(report, csv_path, dialect)}[/]")
    if xlsx_path is not None:
        sheets = {f"by_{'_'.join(keys)}": report, "routes": table}
        console.print(f"Excel: [bold]{write_cost_xlsx(sheets, xlsx_path)}[/]")


def _print_fairness(problem: Problem, table: pd.DataFrame, tolerance: float, wide: bool) -> None:
    """The fairness of allowances per employer of the problem (every technician of it counts)."""
    from dromologio.planning.costs import fairness_report
    from dromologio.reports.costs import fairness_table

    for employer in sorted({t.employer for t in problem.technicians}):
        roster = {
            t.technician_id: (t.name, t.employer) for t in problem.technicians if t.employer == employer
        }
        result = fairness_report(table, roster, tolerance=tolerance)
        print_table(console, fairness_table(result, employer, narrow=is_narrow(console, wide)), wide=wide)


def _day(text: str, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        errors.print(f"[bold red]{option} '{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-01-05[/]")
        raise typer.Exit(2) from error


def estimate(
    path: ProblemPath,
    history: Annotated[
        Path, typer.Option("--history", help="tickets CSV covering the period (columns of tickets.csv)")
    ],
    out: Annotated[Path, typer.Option("--out", help="folder for the tables, the chart and the daily plans")],
    budget_path: Annotated[
        Path | None, typer.Option("--budget", help="CSV employer,period,budget_eur (period 2026-01 or 2026)")
    ] = None,
    first: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD (default: first ticket)")] = "",
    last: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD (default: last ticket)")] = "",
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, help="solver seconds per day")] = 2.0,
    workers: Annotated[
        int,
        typer.Option(min=1, help="processes (at most one per core); regions that share no school run apart"),
    ] = 1,
    seed: Annotated[int, typer.Option(help="random seed of the search")] = 0,
    excel: ExcelOption = False,
    sep: SepOption = None,
    decimal: DecimalOption = None,
    wide: WideOption = False,
) -> None:
    """Εκτίμηση κόστους περιόδου / plan every working day of a period and compare with the budget."""
    from dromologio.models import InputError
    from dromologio.planning.estimate import estimate_costs, read_budget, read_history
    from dromologio.reports.costs import budget_table
    from dromologio.reports.estimate import write_estimate

    dialect = csv_dialect_or_exit(excel, sep, decimal)
    start, end = _day(first, "--from"), _day(last, "--to")
    try:
        problem = read_history(path, history)
        budget = read_budget(budget_path) if budget_path is not None else None
    except InputError as error:
        raise _input_errors(error) from error
    with console.status("Εκτίμηση / estimating…") as status:

        def progress(text: str) -> None:
            status.update(f"Επίλυση / solving {text} (≤ {time_limit:g} s/day)…")

        try:
            result = estimate_costs(
                problem,
                budget=budget,
                start=start,
                end=end,
                time_limit_s=time_limit,
                workers=workers,
                seed=seed,
                progress=progress,
            )
        except ValueError as error:
            errors.print(f"[bold red]{error}[/]")
            raise typer.Exit(2) from error
    _warn(result.warnings)
    written = write_estimate(result, out, dialect=dialect)
    print_table(console, budget_table(result, narrow=is_narrow(console, wide)), wide=wide)
    console.print(f"[dim]{result.method}[/]", highlight=False)
    queue = result.queue
    console.print(
        f"Αιτήματα / tickets: {int(queue['served'].sum())} εξυπηρετήθηκαν / served, "
        f"{int(queue['carried_over'].iloc[-1]) if len(queue) else 0} εκκρεμούν στο τέλος / still open at the end, "
        f"{result.no_visit} χωρίς επίσκεψη / without a visit (remote, vendor) · "
        f"σύνολο / total {result.total_eur:,.2f} €"
    )
    console.print(
        "Αρχεία / files: " + ", ".join(f"[bold]{p}[/]" for p in written.values()),
    )


def estimate_demo(
    target: Annotated[Path, typer.Argument(help="folder for the demo inputs")],
    weeks: Annotated[int, typer.Option(min=1, max=52, help="weeks of ticket history")] = 4,
    seed: Annotated[int, typer.Option(help="random seed of the history")] = 0,
) -> None:
    """Δεδομένα επίδειξης / write the sample problem, a ticket history and a budget to try `estimate`."""
    problem, history, budget = write_estimate_demo(target, weeks=weeks, seed=seed)
    last = DEMO_START.toordinal() + 7 * weeks - 3
    console.print(f"Γράφτηκαν / written: [bold]{problem}[/], [bold]{history}[/], [bold]{budget}[/]")
    console.print(
        "Δοκιμάστε / try:\n"
        f"  dromologio estimate {problem} --history {history} --budget {budget} "
        f"--from {DEMO_START.isoformat()} --to {date.fromordinal(last).isoformat()} "
        f"--time-limit 2 --workers 2 --out {target / 'estimate'}",
        highlight=False,
        soft_wrap=True,
    )


def register(application: typer.Typer) -> None:
    """Add ``costs``, ``estimate`` and ``estimate-demo`` to ``application``."""
    application.command("costs")(costs)
    application.command("estimate")(estimate)
    application.command("estimate-demo")(estimate_demo)


register(app)


# --- demo inputs over the embedded sample -----------------------------------------


def history_from_sample(
    weeks: int,
    seed: int = 0,
    *,
    path: str | PathLike[str],
    start: date = DEMO_START,
    per_day: float = 10.0,
    backlog: int = 8,
) -> Path:
    """Write a synthetic ticket history over the sample's schools to ``path`` (a tickets CSV).

    ``weeks`` weeks from ``start`` (a Monday): about ``per_day`` tickets each working day
    and a few at weekends, opened between 07:30 and 15:00, plus ``backlog`` tickets opened
    in the week before ``start``.  Skills, priorities, categories, service times and the
    shares of remote, warranty and due-dated tickets follow the sample's generator.  The
    same arguments always give the same file.
    """
    from dromologio.sample import sample_data_dir
    from dromologio.sample.generate import (
        PRIORITY_SHARES,
        REMOTE_SHARE,
        SERVICE_MINUTES,
        SKILL_WEIGHTS,
        TICKET_COLUMNS,
        WARRANTY_SHARE,
        TicketRow,
        category_for,
        read_csv,
        write_csv,
    )

    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    rng = random.Random(seed)
    schools = [row["school_id"] for row in read_csv(sample_data_dir() / "schools.csv")]
    opened: list[datetime] = []
    for offset in range(-7, 7 * weeks):
        day = start + timedelta(days=offset)
        if offset < 0:
            count = 0
        elif day.weekday() < 5:
            count = max(0, round(rng.gauss(per_day, math.sqrt(per_day))))
        else:
            count = 1 if rng.random() < 0.3 else 0
        for _ in range(count):
            minute = rng.randrange(7 * 60 + 30, 15 * 60, 5)
            opened.append(datetime.combine(day, time(minute // 60, minute % 60)))
    for _ in range(backlog):
        day = start - timedelta(days=rng.randint(3, 7))
        minute = rng.randrange(7 * 60 + 30, 15 * 60, 5)
        opened.append(datetime.combine(day, time(minute // 60, minute % 60)))
    opened.sort()
    rows: list[TicketRow] = []
    priorities = list(PRIORITY_SHARES)
    for number, instant in enumerate(opened, start=1):
        skill = rng.choices(list(SKILL_WEIGHTS), weights=list(SKILL_WEIGHTS.values()))[0]
        row = TicketRow(
            ticket_id=f"H{number:05d}",
            school_id=rng.choice(schools),
            opened_at=instant,
            category=category_for(skill, rng),
            skill=skill,
            priority=rng.choices(priorities, weights=list(PRIORITY_SHARES.values()))[0],
            service_minutes=rng.choice(SERVICE_MINUTES),
        )
        draw = rng.random()
        if skill in ("hardware", "printer") and draw < WARRANTY_SHARE:
            row.warranty = True
        elif skill != "hardware" and draw > 1.0 - REMOTE_SHARE:
            row.remote = True
        if rng.random() < 0.2:
            row.due_by = datetime.combine(instant.date() + timedelta(days=rng.randint(2, 7)), time(14, 0))
        rows.append(row)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_csv(target, TICKET_COLUMNS, (r.as_row() for r in rows))
    return target


def budget_for_sample(
    path: str | PathLike[str],
    periods: Iterable[str],
    *,
    per_technician_eur: float = 150.0,
    tight: Mapping[str, float] | None = None,
) -> Path:
    """Write a budget CSV for the sample's employers: ``per_technician_eur`` per technician per period.

    ``tight`` scales some employers' budgets (e.g. ``{"ΚΕ.ΠΛΗ.ΝΕ.Τ. Πρέβεζας": 0.5}``).
    """
    from dromologio.planning.estimate import BUDGET_COLUMNS
    from dromologio.sample import sample_data_dir
    from dromologio.sample.generate import read_csv, write_csv

    counts: dict[str, int] = {}
    for row in read_csv(sample_data_dir() / "technicians.csv"):
        counts[row["employer"]] = counts.get(row["employer"], 0) + 1
    scale = dict(tight or {})
    rows = [
        (employer, period, f"{per_technician_eur * count * scale.get(employer, 1.0):.0f}")
        for period in periods
        for employer, count in sorted(counts.items())
    ]
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_csv(target, BUDGET_COLUMNS, rows)
    return target


def write_estimate_demo(
    folder: str | PathLike[str], *, weeks: int = 4, seed: int = 0, start: date = DEMO_START
) -> tuple[Path, Path, Path]:
    """The sample problem, a ``weeks``-week ticket history and a monthly budget, in ``folder``.

    Returns the problem folder, the history CSV and the budget CSV.
    """
    from dromologio.sample import write_sample

    target = Path(folder)
    problem = write_sample(target / "problem")
    history = history_from_sample(weeks, seed, path=target / "tickets_history.csv", start=start)
    last = start + timedelta(days=7 * weeks - 1)
    months = sorted(
        {f"{d:%Y-%m}" for d in (start + timedelta(days=i) for i in range((last - start).days + 1))}
    )
    budget = budget_for_sample(target / "budget.csv", months)
    return problem, history, budget


if __name__ == "__main__":  # pragma: no cover
    app(prog_name="dromologio")
