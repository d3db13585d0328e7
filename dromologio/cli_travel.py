"""``dromologio travel DIR FROM TO``: how long to get there, by car and by 4x4.

dromologio travel DIR FROM TO [--date D] [--at HH:MM] [--json]

``FROM`` and ``TO`` are school, base or port ids of the problem, or points
``lat,lon``.  For each kind of vehicle it prints the km and minutes door to door
and the legs: road legs with the towns and trunk roads they go by, sailings with
their times and fares (the earliest chain of that day's sailings).  Closures of
``closures.csv`` beside the problem apply on the date.  ``--json`` prints the
answer of the service's ``GET /travel``.

:func:`register` adds the command to an application (``dromologio.cli.app``);
``app`` here holds it alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from dromologio.reports.terminal import parse_date_or_exit, read_problem_or_exit

if TYPE_CHECKING:
    from dromologio.geo.closures import Closure

console = Console()
errors = Console(stderr=True)

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Χρόνοι διαδρομών / travel times.")

ProblemPath = Annotated[
    Path, typer.Argument(help="problem folder (CSV), .json document or .xlsx workbook", show_default=False)
]


def _clock(minutes: int) -> str:
    day, minute = divmod(minutes, 24 * 60)
    return f"{minute // 60:02d}:{minute % 60:02d}" + (f" (+{day})" if day else "")


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def _parse_clock(text: str) -> int:
    hours, colon, minutes = text.partition(":")
    if colon and hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60:
        return int(hours) * 60 + int(minutes)
    errors.print(f"[bold red]--at '{text}' is not a time of day; write it as HH:MM, e.g. 07:30[/]")
    raise typer.Exit(2)


def _closures(path: Path) -> list[Closure]:
    """``closures.csv`` beside the problem files, when there is one."""
    from dromologio.geo.closures import read_closures
    from dromologio.models.errors import InputError

    file = (path if path.is_dir() else path.parent) / "closures.csv"
    if not file.exists():
        return []
    try:
        return read_closures(file)
    except InputError as error:
        errors.print(f"[bold red]Σφάλματα εισόδου / input errors[/] ({len(error.issues)}):")
        for issue in error.issues:
            errors.print(f"  • {issue}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from error


def travel(
    path: ProblemPath,
    origin: Annotated[str, typer.Argument(help="school, base or port id, or lat,lon", show_default=False)],
    destination: Annotated[
        str, typer.Argument(help="school, base or port id, or lat,lon", show_default=False)
    ],
    plan_date: Annotated[
        str, typer.Option("--date", help="day of the trip, YYYY-MM-DD (default: tomorrow)")
    ] = "",
    at: Annotated[str, typer.Option("--at", help="time of leaving, HH:MM")] = "08:00",
    as_json: Annotated[
        bool, typer.Option("--json", help="print the answer as JSON (as GET /travel)")
    ] = False,
) -> None:
    """Πόση ώρα ως εκεί; / how long to get there: km, minutes and legs by car and by 4x4."""
    from dromologio.geo.journey import EndpointError, endpoint, plan_trip, trips_to_dict

    problem = read_problem_or_exit(path)
    day = parse_date_or_exit(plan_date)
    leave = _parse_clock(at)
    try:
        start, end = endpoint(problem, origin), endpoint(problem, destination)
    except EndpointError as error:
        errors.print(f"[bold red]{error}[/]", highlight=False)
        raise typer.Exit(2) from error
    trips = plan_trip(problem, start, end, day, leave_min=leave, closures=_closures(path))
    if as_json:
        answer = trips_to_dict(start, end, day, leave, trips)
        console.print_json(json.dumps(answer, ensure_ascii=False))
        return
    console.print(
        f"[bold]{start.label}[/] → [bold]{end.label}[/] · {day:%a %Y-%m-%d}, αναχώρηση / leaving {_clock(leave)}",
        highlight=False,
    )
    table = Table(show_lines=True)
    for column in ("όχημα/vehicle", "km", "χρόνος/time", "σκέλη/legs"):
        table.add_column(column, overflow="fold")
    for trip in trips:
        if not trip.possible:
            table.add_row(trip.vehicle, "—", "—", f"[yellow]δεν γίνεται / not possible:[/] {trip.reason}")
            continue
        lines = []
        for leg in trip.legs:
            when = f"{_clock(leg.depart_min)}–{_clock(leg.arrive_min)}"
            if leg.kind == "sailing":
                fare = f", {leg.fare_eur:.2f} €" if leg.fare_eur is not None else ""
                lines.append(f"{when} πλοίο / sailing {leg.start} → {leg.end} ({leg.minutes} min{fare})")
            else:
                towns = f" via {', '.join(leg.via)}" if leg.via else ""
                roads = f" ({' · '.join(leg.roads)})" if leg.roads else ""
                lines.append(
                    f"{when} δρόμος / road {leg.start} → {leg.end}: {leg.km:.1f} km, {leg.minutes} min{towns}{roads}"
                )
        when = f"{_duration(trip.minutes)}" + (
            f" ({_clock(trip.leave_min)} → {_clock(trip.legs[-1].arrive_min)})" if trip.legs else ""
        )
        table.add_row(trip.vehicle, f"{trip.km:.1f}", when, "\n".join(lines) or "ίδιο σημείο / same place")
    console.print(table)


def register(application: typer.Typer) -> None:
    """Add ``travel`` to ``application``."""
    application.command("travel")(travel)


register(app)
