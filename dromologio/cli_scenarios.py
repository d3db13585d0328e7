"""``dromologio scenarios``: what-if scenarios simulated over weeks (typer sub-app).

dromologio scenarios validate FILE                        check a scenario file against its problem
dromologio scenarios run FILE --days 20 --out DIR         simulate, write KPIs, charts and report.md
    [--time-limit 3] [--seed 1] [--scheduler tcp://host:8786 | serial] [--workers 2]
    [--problem PATH] [--start YYYY-MM-DD] [--check] [--doc docs/scenarios.md]

A file's ``problem: sample`` is the embedded sample (:data:`NAMED_PROBLEMS`).
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Iterator, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from dromologio.reports.width import WideOption, fold_columns, is_narrow, print_table

if TYPE_CHECKING:
    from dromologio.models import Problem
    from dromologio.planning.scenarios import NamedProblems, ScenarioSet
    from dromologio.planning.simulate import Tick

scenarios_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Σενάρια «τι θα γινόταν αν» σε βάθος εβδομάδων / what-if scenarios simulated over weeks.",
)
console = Console()
errors = Console(stderr=True)

DEFAULT_DAYS = 20
DEFAULT_TIME_LIMIT_S = 3.0
DEFAULT_SEED = 1


class SimulationHorizon(StrEnum):
    """How each simulated day looks ahead (``SimulationSettings.horizon``)."""

    tours = "tours"
    rolling = "rolling"
    day = "day"


ScenarioFile = Annotated[
    Path, typer.Argument(help="scenario file (.yaml, .yml or .json)", show_default=False, exists=False)
]
ProblemOption = Annotated[
    Path | None,
    typer.Option("--problem", help="baseline problem (folder, .json, .xlsx); default: the file's 'problem'"),
]


def _fail(title: str, lines: list[str], code: int = 2) -> typer.Exit:
    errors.print(f"[bold red]{title}[/] ({len(lines)}):")
    for line in lines:
        errors.print(f"  • {line}", markup=False, highlight=False)
    return typer.Exit(code)


def named_problems() -> NamedProblems:
    """Problems a scenario file (or ``--problem``) may name: ``sample``, the embedded sample, and
    ``sample-zones``, the sample with the Konitsa zone sub-station and preventive care."""
    from dromologio.models import read_problem
    from dromologio.sample import sample_data_dir
    from dromologio.sample.zones import with_zone_substation

    return {
        "sample": sample_data_dir(),
        "sample-zones": lambda: with_zone_substation(read_problem(sample_data_dir())),
    }


def _load(file: Path, problem_path: Path | None) -> tuple[ScenarioSet, Problem]:
    from dromologio.models.errors import InputError
    from dromologio.planning.scenarios import ScenarioError, load_baseline, load_scenarios

    named = named_problems()
    try:
        baseline = load_baseline(str(problem_path), named=named) if problem_path is not None else None
        scenario_set = load_scenarios(file, baseline, named=named)
        return scenario_set, baseline or scenario_set.load_problem()
    except ScenarioError as error:
        raise _fail("Σφάλματα σεναρίων / scenario errors", error.issues) from error
    except InputError as error:
        raise _fail("Σφάλματα εισόδου / input errors", [str(i) for i in error.issues]) from error
    except (OSError, ValueError) as error:
        raise _fail("Σφάλμα / error", [str(error)]) from error


def _start(text: str | None, scenario_set: ScenarioSet) -> date | None:
    if not text:
        return scenario_set.start
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise _fail("Σφάλμα / error", [f"--start '{text}' is not a date; write it as YYYY-MM-DD"]) from error


@scenarios_app.command()
def validate(
    file: ScenarioFile,
    problem: ProblemOption = None,
    days: Annotated[int | None, typer.Option(min=1, help="working days of the horizon")] = None,
    start: Annotated[str | None, typer.Option(help="first working day, YYYY-MM-DD")] = None,
) -> None:
    """Ελέγχει ένα αρχείο σεναρίων / check a scenario file against its problem (exit 2 on errors)."""
    from dromologio.dispatch.solve import problem_calendar
    from dromologio.planning.scenarios import ScenarioError, prepare_scenarios
    from dromologio.planning.simulate import default_start

    scenario_set, baseline = _load(file, problem)
    calendar, directorates = problem_calendar(baseline)
    first = calendar.next_working_day(
        _start(start, scenario_set) or default_start(baseline), directorates, include=True
    )
    horizon = calendar.working_days(first, days or scenario_set.days or DEFAULT_DAYS, directorates)
    try:
        prepared = prepare_scenarios(baseline, scenario_set.scenarios, horizon)
    except ScenarioError as error:
        raise _fail("Σφάλματα σεναρίων / scenario errors", error.issues) from error
    table = Table(title=f"{file.name}: {len(prepared)} σενάρια / scenarios", title_justify="left")
    table.add_column("σενάριο / scenario")
    table.add_column("τεχνικοί / technicians", justify="right")
    table.add_column("αλλαγές / changes")
    for item in prepared:
        table.add_row(item.name, str(len(item.problem.technicians)), item.description)
    print_table(console, fold_columns(table))
    console.print(
        f"[green]Εντάξει / valid[/]: {len(horizon)} εργάσιμες / working days "
        f"{horizon[0].isoformat()} – {horizon[-1].isoformat()}; αναφορά / reference: {scenario_set.reference}"
    )


@scenarios_app.command()
def run(
    file: ScenarioFile,
    out: Annotated[Path, typer.Option("--out", help="folder for kpis.csv, days.csv, charts and report.md")],
    days: Annotated[
        int | None,
        typer.Option(min=1, help=f"working days to simulate (default: the file's, else {DEFAULT_DAYS})"),
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit",
            min=0.01,
            help=f"solver seconds per day (default: the file's, else {DEFAULT_TIME_LIMIT_S:g})",
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help=f"random seed (default: the file's, else {DEFAULT_SEED})")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address, e.g. tcp://host:8786 (default: local worker processes); "
            "'serial' runs every scenario in this process"
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="local worker processes (at most one per core), one scenario each")
    ] = 2,
    problem: ProblemOption = None,
    start: Annotated[
        str | None, typer.Option(help="first working day, YYYY-MM-DD (default: the file's)")
    ] = None,
    check: Annotated[bool, typer.Option(help="run the independent checker on every daily plan")] = False,
    horizon: Annotated[
        SimulationHorizon,
        typer.Option(
            "--horizon",
            help="how each day looks ahead: tours (nights chained over the remaining days), rolling "
            "(a night only when tomorrow brings the technician home) or day (every day ends at home)",
        ),
    ] = SimulationHorizon.tours,
    doc: Annotated[
        Path | None,
        typer.Option(help="also put the report into this markdown file (between scenario markers)"),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="no progress bars")] = False,
    wide: WideOption = False,
) -> None:
    """Προσομοιώνει τα σενάρια / simulate the scenarios; write KPIs (CSV), charts (PNG) and report.md."""
    from dromologio.models.errors import InputError
    from dromologio.planning.scenarios import ScenarioError
    from dromologio.planning.simulate import (
        SimulationError,
        SimulationSettings,
        make_arrivals,
        read_history,
        run_scenarios,
    )
    from dromologio.planning.simulate.kpis import summary
    from dromologio.reports.scenarios import scenario_table, update_doc, with_backlog_value, write_report

    scenario_set, baseline = _load(file, problem)
    settings = SimulationSettings(
        days=days or scenario_set.days or DEFAULT_DAYS,
        start=_start(start, scenario_set),
        time_limit_s=_first(time_limit, scenario_set.time_limit_s, DEFAULT_TIME_LIMIT_S),
        seed=int(_first(seed, scenario_set.seed, DEFAULT_SEED)),
        check=check,
        horizon=horizon.value,
    )
    try:
        history_path = scenario_set.history_path()
        history = read_history(history_path, baseline) if history_path is not None else None
        arrivals = make_arrivals(scenario_set.arrivals, baseline, history)
    except InputError as error:
        raise _fail("Σφάλματα ιστορικού / history errors", [str(i) for i in error.issues]) from error
    except (OSError, ValueError) as error:
        raise _fail("Σφάλμα αφίξεων / arrivals error", [str(error)]) from error
    names = [s.name for s in scenario_set.scenarios]
    try:
        with _progress(not quiet, names, settings.days) as tick:
            results = run_scenarios(
                baseline,
                scenario_set.scenarios,
                settings,
                arrivals=arrivals,
                scheduler=scheduler,
                n_workers=workers,
                reference=scenario_set.reference,
                progress=tick,
                on_error="collect",
            )
    except ScenarioError as error:
        raise _fail("Σφάλματα σεναρίων / scenario errors", error.issues) from error
    except SimulationError as error:  # pragma: no cover - on_error="collect" returns failures
        raise _fail("Αποτυχίες / failures", [str(f) for f in error.failures], 1) from error
    command = _command(
        file, out, settings.days, settings.time_limit_s, settings.seed, scheduler, problem, start, check, doc
    )
    files = write_report(results, out, command=command, policy=baseline.policy)
    if doc is not None:
        update_doc(doc, results, files, command=command, policy=baseline.policy)
    if results.runs:
        title = f"{results.wall_seconds:.0f} s, {results.scheduler}"
        table = with_backlog_value(summary(results.kpis()), results, baseline.policy)
        shown = scenario_table(table, title, narrow=is_narrow(console, wide))
        print_table(console, shown, wide=wide)
    console.print(f"Αναφορά / report: [bold]{files.report_md}[/], KPIs: [bold]{files.kpis_csv}[/]")
    if results.failures:
        raise _fail("Αποτυχίες / failures", [str(f) for f in results.failures], 1)


@contextlib.contextmanager
def _progress(show: bool, names: Sequence[str], days: int) -> Iterator[Tick | None]:
    """A progress bar per scenario on stderr (days done of ``days``), or nothing."""
    if not show:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True)) as bar:
        tasks = {name: bar.add_task(name, total=days) for name in dict.fromkeys(names)}

        def tick(name: str, done: int) -> None:
            bar.update(tasks[name], completed=done)

        yield tick


def _first(*values: float | None) -> float:
    """The first value given (the command line's, then the file's, then the default)."""
    return next(v for v in values if v is not None)


def _command(
    file: Path,
    out: Path,
    days: int,
    time_limit: float,
    seed: int,
    scheduler: str | None,
    problem: Path | None,
    start: str | None,
    check: bool,
    doc: Path | None = None,
) -> str:
    words = [
        "dromologio",
        "scenarios",
        "run",
        str(file),
        "--days",
        str(days),
        "--time-limit",
        f"{time_limit:g}",
    ]
    words += ["--seed", str(seed)]
    if scheduler:
        words += ["--scheduler", scheduler]
    if problem is not None:
        words += ["--problem", str(problem)]
    if start:
        words += ["--start", start]
    if check:
        words.append("--check")
    words += ["--out", str(out)]
    if doc is not None:
        words += ["--doc", str(doc)]
    return shlex.join(words)
