"""Cost commands of the ``dromologio`` command line.

dromologio costs DIR P.json --by employer [--csv R.csv] [--xlsx R.xlsx]   price a plan
dromologio estimate DIR --history H.csv --budget B.csv --out OUT          replay a period
dromologio estimate-demo DIR                                              demo inputs

:func:`register` adds them to an application (``dromologio.cli.app``); ``app``
here holds them alone.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

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

_HEADINGS = {
    "employer": "φορέας / employer",
    "technician_id": "τεχνικός / technician",
    "technician": "όνομα / name",
    "directorate": "διεύθυνση / directorate",
    "island": "νησί / island",
    "date": "ημέρα / day",
    "routes": "δρομολόγια / routes",
    "distance_km": "km",
    "distance_eur": "€ km",
    "ferry_eur": "€ πλοίο / ferry",
    "per_diem_eur": "€ ημερήσια / per diem",
    "overnight_eur": "€ διαν. / overnight",
    "tolls_eur": "€ διόδια / tolls",
    "total_eur": "€ σύνολο / total",
    "tickets_served": "αιτήματα / tickets",
    "school_visits": "επισκέψεις / visits",
    "eur_per_ticket": "€/αίτημα / ticket",
    "eur_per_school_visit": "€/επίσκεψη / visit",
}


def _load(path: Path) -> Problem:
    from dromologio.cli import _load as load_problem

    return load_problem(path)


def _input_errors(error: InputError) -> typer.Exit:
    errors.print(f"[bold red]Σφάλματα εισόδου / input errors[/] ({len(error.issues)}):")
    for issue in error.issues:
        errors.print(f"  • {issue}", markup=False, highlight=False)
    return typer.Exit(2)


def _warn(lines: list[str] | tuple[str, ...]) -> None:
    for line in lines:
        errors.print(f"[yellow]Προσοχή / warning:[/] {line}", highlight=False)


def _cell(value: Any, column: str) -> str:
    if isinstance(value, float):
        if value != value:  # NaN: nothing served, no ratio
            return "—"
        if column == "distance_km":
            return f"{value:,.1f}"
        if column.endswith("_eur") or column.startswith("eur_"):
            return f"{value:,.2f}"
        return f"{value:g}"
    return str(value)


def print_report(report: pd.DataFrame, title: str) -> None:
    """A cost report as a rich table: keys, then km and EUR side by side, then counts and ratios."""
    table = Table(title=title, title_justify="left")
    numeric = set(_HEADINGS) - {"employer", "technician_id", "technician", "directorate", "island", "date"}
    for column in report.columns:
        table.add_column(
            _HEADINGS.get(str(column), str(column)), justify="right" if column in numeric else "left"
        )
    rows = report.to_dict("records")
    totalled = bool(rows) and str(rows[-1][report.columns[0]]) == "Σ"
    for number, row in enumerate(rows):
        cells = [_cell(row[c], str(c)) for c in report.columns]
        is_total = totalled and number == len(rows) - 1
        table.add_row(
            *cells, style="bold" if is_total else None, end_section=totalled and number == len(rows) - 2
        )
    console.print(table)


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
) -> None:
    """Κόστος πλάνου / price a plan by the travel rules of each employer: km and € side by side."""
    from dromologio.dispatch.costs import (
        cost_policy_issues,
        cost_report,
        plan_cost_table,
        write_cost_csv,
        write_cost_xlsx,
    )
    from dromologio.models.plan_io import read_plan_json

    problem = _load(path)
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
    print_report(report, f"Κόστος / costs by {', '.join(keys)} · {plan_path.name}")
    stated = round(float(table["plan_cost_eur"].sum()), 2) if not table.empty else 0.0
    priced = round(float(table["total_eur"].sum()), 2) if not table.empty else 0.0
    if abs(stated - priced) > 0.005:
        per_diem = round(float(table["per_diem_eur"].sum()), 2)
        console.print(
            f"[dim]Το πλάνο δηλώνει / the plan states {stated:,.2f} €; οι κανόνες δίνουν / the travel rules give "
            f"{priced:,.2f} € (ημερήσια / per diem {per_diem:,.2f} €).[/]"
        )
    if csv_path is not None:
        console.print(f"CSV: [bold]{write_cost_csv(report, csv_path)}[/]")
    if xlsx_path is not None:
        sheets = {f"by_{'_'.join(keys)}": report, "routes": table}
        console.print(f"Excel: [bold]{write_cost_xlsx(sheets, xlsx_path)}[/]")


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
        int, typer.Option(min=1, help="processes; regions that share no school run apart")
    ] = 1,
    seed: Annotated[int, typer.Option(help="random seed of the search")] = 0,
) -> None:
    """Εκτίμηση κόστους περιόδου / plan every working day of a period and compare with the budget."""
    from dromologio.dispatch.estimate import estimate_costs, read_budget, read_history, write_estimate
    from dromologio.models import InputError

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
    written = write_estimate(result, out)
    summary = result.budget.drop(columns=["working_days"])
    table = Table(
        title=f"Εκτίμηση / estimate {result.start.isoformat()} – {result.end.isoformat()} "
        f"({len(result.days)} εργάσιμες / working days, {len(result.regions)} περιοχές / regions)",
        title_justify="left",
    )
    headings = {
        "employer": "φορέας / employer",
        "period": "περίοδος / period",
        "period_budget_eur": "€ προϋπ. / budget",
        "days_estimated": "ημέρες / days",
        "cost_eur": "€ εκτίμηση / estimate",
        "budget_pro_rata_eur": "€ προϋπ. ημερών / budget for days",
        "projected_period_eur": "€ προβολή / projected",
        "projected_share": "% προϋπ. / of budget",
        "status": "",
    }
    for column in summary.columns:
        table.add_column(
            headings.get(str(column), str(column)),
            justify="left" if column in ("employer", "period", "status") else "right",
        )
    for row in summary.to_dict("records"):
        cells = []
        for column in summary.columns:
            value = row[column]
            if column == "projected_share":
                cells.append("—" if value != value else f"{100 * float(value):.0f} %")
            else:
                cells.append(_cell(value, str(column)))
        style = "red" if str(row["status"]).startswith("υπέρβαση") else None
        table.add_row(*cells, style=style)
    console.print(table)
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
    from dromologio.dispatch.estimate import DEMO_START, write_estimate_demo

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


if __name__ == "__main__":  # pragma: no cover
    app(prog_name="dromologio")
