"""The campaign command of the ``dromologio`` command line.

dromologio campaign SCHOOLS.csv --from D --to D [--teams T01,T02] [--problem DIR] [--scheduler ADDR]

:func:`register` adds it to an application (``dromologio.cli.app``).  The progress chart
(:func:`write_progress_chart`) is drawn here, above the planning code.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from dromologio.reports.terminal import parse_date_or_exit, read_problem_or_exit

if TYPE_CHECKING:
    from dromologio.planning.campaign import Campaign

console = Console()
errors = Console(stderr=True)


def write_progress_chart(campaign: Campaign, path: Path) -> Path:
    """The progress curve as a PNG: schools done per day (bars) and cumulative (line), cumulative € (right)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure

    points = campaign.progress()
    days = [float(date2num(p.date)) for p in points]  # type: ignore[no-untyped-call]
    figure = Figure(figsize=(10, 4.8), dpi=110)
    FigureCanvasAgg(figure)
    axis = figure.add_subplot()
    axis.bar(days, [p.done for p in points], color="#9ecae1", label="σχολεία ανά μέρα / schools per day")
    axis.plot(days, [p.cumulative for p in points], color="#08519c", lw=2, label="σωρευτικά / cumulative")
    axis.axhline(campaign.num_schools, color="#08519c", ls=":", lw=1)
    axis.set_ylabel("σχολεία / schools")
    money = axis.twinx()
    money.plot(
        days,
        [p.cumulative_cost_eur for p in points],
        color="#d95f0e",
        lw=1.5,
        label="€ σωρευτικά / cumulative €",
    )
    money.set_ylabel("€")
    axis.set_title(
        f"{campaign.label}: {campaign.num_done}/{campaign.num_schools} σχολεία / schools, "
        f"{campaign.cost_eur:,.0f} €, {len(campaign.working_days)} εργάσιμες / working days"
    )
    lines = axis.get_legend_handles_labels()
    more = money.get_legend_handles_labels()
    axis.legend(lines[0] + more[0], lines[1] + more[1], loc="upper left", fontsize=8)
    axis.xaxis_date()
    figure.autofmt_xdate()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    return path


def _print_summary(campaign: Campaign) -> None:
    table = Table(title="Εκστρατεία / campaign: " + campaign.label)
    for column in ("εβδομάδα / week", "σχολεία / schools", "σωρευτικά / cumulative", "€"):
        table.add_column(column, justify="right")
    weeks: dict[str, tuple[int, int, float]] = {}
    for point in campaign.progress():
        year, week, _ = point.date.isocalendar()
        key = f"{year}-W{week:02d}"
        done, _, cost = weeks.get(key, (0, 0, 0.0))
        weeks[key] = (done + point.done, point.cumulative, cost + point.cost_eur)
    for key, (done, cumulative, cost) in weeks.items():
        table.add_row(key, str(done), str(cumulative), f"{cost:,.2f}")
    console.print(table)
    summary = campaign.summary()
    console.print(
        f"σχολεία / schools {summary['done']}/{summary['schools']} · ομάδες / teams {summary['teams']} · "
        f"ημέρες-ομάδας / team-days {summary['team_days']} · {summary['distance_km']:,} km · "
        f"{summary['cost_eur']:,.2f} € · παραβάσεις / violations {summary['violations']}"
    )
    if campaign.left:
        console.print(
            f"[yellow]Έμειναν / left[/]: {len(campaign.left)} σχολεία / schools: {', '.join(list(campaign.left)[:20])}"
            + (" …" if len(campaign.left) > 20 else "")
        )


def campaign(
    schools: Annotated[
        Path,
        typer.Argument(
            help="CSV of the campaign's schools: school_id[, service_minutes]", show_default=False
        ),
    ],
    start: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD", show_default=False)],
    end: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD", show_default=False)],
    teams: Annotated[
        str, typer.Option(help="technician ids, comma-separated (default: every technician with the skill)")
    ] = "",
    problem_path: Annotated[
        Path | None,
        typer.Option("--problem", help="problem folder, .json or .xlsx (default: the folder of SCHOOLS.csv)"),
    ] = None,
    skill: Annotated[str, typer.Option(help="skill the work needs")] = "hardware",
    minutes: Annotated[int, typer.Option(min=1, max=1440, help="minutes at each school (default)")] = 90,
    label: Annotated[str, typer.Option(help="name of the campaign (the visits' category)")] = "campaign",
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="solver seconds per team-day at most")
    ] = 1.0,
    seed: Annotated[int, typer.Option(help="random seed: the same seed gives the same campaign")] = 0,
    scheduler: Annotated[
        str,
        typer.Option(
            "--scheduler",
            help="where the teams' tasks run: local (a Dask LocalCluster here) or a Dask scheduler address, "
            "e.g. tcp://host:8786 (default: local processes)",
        ),
    ] = "",
    out: Annotated[Path, typer.Option(help="campaign JSON to write (summary, progress, team-days)")] = Path(
        "campaign.json"
    ),
    plan_out: Annotated[
        Path | None, typer.Option("--plan", help="also write every route as one plan JSON of the contract")
    ] = None,
    chart: Annotated[Path | None, typer.Option(help="also draw the progress curve as a PNG")] = None,
) -> None:
    """Εκστρατεία / a campaign: one visit to each school between two dates by the given teams."""
    from dromologio.dispatch.executor import executor_for
    from dromologio.models.errors import InputError
    from dromologio.models.plan_io import write_plan_json
    from dromologio.planning.campaign import (
        CampaignError,
        CampaignRequest,
        CampaignTaskError,
        plan_campaign,
        read_campaign_schools,
    )

    try:
        school_ids, school_minutes = read_campaign_schools(schools)
    except InputError as error:
        errors.print(f"[red]{error.report()}[/]")
        raise typer.Exit(2) from error
    except OSError as error:
        errors.print(f"[red]{schools}: {error.strerror}[/]")
        raise typer.Exit(2) from error
    problem = read_problem_or_exit(problem_path or schools.parent)
    first: date = parse_date_or_exit(start)
    last: date = parse_date_or_exit(end)
    team_ids = tuple(t.strip() for t in teams.split(",") if t.strip()) or tuple(
        t.technician_id for t in problem.technicians if skill in t.skills
    )
    try:
        request = CampaignRequest(
            school_ids=school_ids,
            start=first,
            end=last,
            team_ids=team_ids,
            skill=skill,
            service_minutes=minutes,
            minutes=school_minutes,
            label=label,
            time_limit_s=time_limit,
            seed=seed,
        )
        request.check_against(problem)
    except CampaignError as error:
        errors.print(f"[red]{error}[/]")
        raise typer.Exit(2) from error
    executor = executor_for(scheduler) if scheduler else None
    where = executor.description if executor is not None else "local processes"
    console.print(f"{len(school_ids)} σχολεία / schools, {len(team_ids)} ομάδες / teams, σε / on {where}")

    def progress(done: int, total: int, schools_done: int) -> None:
        console.print(f"  ομάδα / team {done}/{total} · {schools_done} σχολεία / schools planned")

    try:
        result = plan_campaign(problem, request, executor=executor, on_progress=progress)
    except (CampaignError, CampaignTaskError) as error:
        errors.print(f"[red]{error}[/]")
        raise typer.Exit(1) from error
    finally:
        if executor is not None:
            executor.close()
    _print_summary(result)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(f"Γράφτηκε / written: {out}")
    if plan_out is not None:
        write_plan_json(result.plan(), plan_out)
        console.print(f"Γράφτηκε / written: {plan_out}")
    if chart is not None:
        console.print(f"Γράφτηκε / written: {write_progress_chart(result, chart)}")
    if result.violations:
        errors.print(f"[red]{len(result.violations)} παραβάσεις / violations[/]: {result.violations[:5]}")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``campaign`` to ``app``."""
    app.command("campaign")(campaign)
