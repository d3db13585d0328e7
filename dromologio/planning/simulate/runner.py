"""Many scenarios over the same horizon and arrivals, side by side on a :class:`SolveExecutor`.

The days of one scenario depend on each other (carry-over), so each scenario is a chain of
day tasks (:func:`~.day.advance`), each taking the previous day's state; scenarios run side
by side.  Where they run is an executor (:mod:`dromologio.dispatch.executor`): this process
(``"serial"``), local processes (the default), or a Dask cluster; each day's solve gets its
share of the executor's cores.  A failing day is reported with its scenario, its date and the
error; the other scenarios run on.
"""

from __future__ import annotations

import dataclasses
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from dromologio.dispatch import SearchParams
from dromologio.dispatch.executor import DaskExecutor, InlineExecutor, LocalExecutor, SolveExecutor
from dromologio.dispatch.solve import problem_calendar
from dromologio.models import Problem, Ticket
from dromologio.planning.scenarios import ArrivalSettings, Scenario, prepare_scenarios

from .arrivals import ArrivalSource, make_arrivals
from .day import DayContext, advance, default_start, finish, start_state
from .kpis import kpi_table
from .records import ScenarioRun, SimulationSettings, SimulationState

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Client

__all__ = [
    "ScenarioFailure",
    "SimulationError",
    "SimulationResults",
    "Tick",
    "run_scenarios",
    "simulate",
]

#: told (scenario name, working days done) after every simulated day.
Tick = Callable[[str, int], None]


def _contexts(
    baseline: Problem,
    scenarios: Sequence[Scenario],
    settings: SimulationSettings,
    arrivals: ArrivalSettings | ArrivalSource | None,
    history: Sequence[Ticket] | None,
) -> tuple[tuple[date, ...], list[DayContext]]:
    calendar, directorates = problem_calendar(baseline)
    first = calendar.next_working_day(settings.start or default_start(baseline), directorates, include=True)
    horizon = calendar.working_days(first, settings.days, directorates)
    prepared = prepare_scenarios(baseline, scenarios, horizon)
    if arrivals is None or isinstance(arrivals, ArrivalSettings):
        source = make_arrivals(arrivals or ArrivalSettings(), baseline, history)
    else:
        source = arrivals
    return horizon, [DayContext(p, source, settings) for p in prepared]


def simulate(
    baseline: Problem,
    scenario: Scenario,
    settings: SimulationSettings | None = None,
    *,
    arrivals: ArrivalSettings | ArrivalSource | None = None,
    history: Sequence[Ticket] | None = None,
) -> ScenarioRun:
    """One scenario over ``settings.days`` working days, in this process."""
    settings = settings or SimulationSettings()
    _, (context,) = _contexts(baseline, [scenario], settings, arrivals, history)
    state = start_state(context)
    for _ in context.scenario.horizon:
        state = advance(context, state)
    return finish(context, state)


@dataclass(frozen=True)
class ScenarioFailure:
    """A scenario whose simulation failed: on which day, and why."""

    scenario: str
    day: date | None
    error: str
    traceback: str = ""

    def __str__(self) -> str:
        when = f" on {self.day.isoformat()}" if self.day else ""
        return f"scenario '{self.scenario}' failed{when}: {self.error}"


class SimulationError(RuntimeError):
    """Some scenarios failed; ``failures`` says which, when and why."""

    def __init__(self, failures: Sequence[ScenarioFailure]) -> None:
        super().__init__("\n".join(str(f) for f in failures))
        self.failures = tuple(failures)


@dataclass(frozen=True)
class SimulationResults:
    """Every scenario's run (in the order given), the failures, and how it ran."""

    runs: tuple[ScenarioRun, ...]
    settings: SimulationSettings
    horizon: tuple[date, ...]
    reference: str
    failures: tuple[ScenarioFailure, ...] = ()
    scheduler: str = ""
    workers: int = 0
    wall_seconds: float = 0.0
    descriptions: Mapping[str, str] = field(default_factory=dict)

    def run(self, name: str) -> ScenarioRun:
        for run in self.runs:
            if run.scenario == name:
                return run
        raise KeyError(f"no run of scenario '{name}' (runs: {', '.join(r.scenario for r in self.runs)})")

    def kpis(self) -> pd.DataFrame:
        """The tidy KPI table of every run (see :func:`dromologio.planning.simulate.kpis.kpi_table`)."""
        return kpi_table(self.runs)


def run_scenarios(
    baseline: Problem,
    scenarios: Sequence[Scenario],
    settings: SimulationSettings | None = None,
    *,
    arrivals: ArrivalSettings | ArrivalSource | None = None,
    history: Sequence[Ticket] | None = None,
    scheduler: str | Client | SolveExecutor | None = None,
    n_workers: int = 2,
    reference: str | None = None,
    progress: Tick | Literal[False] | None = None,
    on_error: Literal["raise", "collect"] = "raise",
) -> SimulationResults:
    """Simulate every scenario over the same horizon and arrivals.

    ``scheduler``: None runs the scenarios side by side in ``n_workers`` local processes (at
    most one per core); ``"serial"`` runs everything in this process, one day after another;
    an address (``tcp://host:8786``) or a ``distributed.Client`` uses that Dask cluster (its
    workers need ``dromologio`` installed); a :class:`SolveExecutor` is used as it is.  Every
    day's solve gets its share of the executor's cores (``SearchParams.for_cores``).
    ``progress`` is told (scenario name, days done) after every day (None or False: nothing).
    Invalid scenarios raise :class:`~dromologio.planning.scenarios.ScenarioError` before
    anything runs.  A failed scenario raises :class:`SimulationError` after the others have
    finished (``on_error="collect"`` returns it in ``failures`` instead).
    """
    settings = settings or SimulationSettings()
    started = time.perf_counter()
    horizon, contexts = _contexts(baseline, scenarios, settings, arrivals, history)
    reference = reference or contexts[0].scenario.name
    if reference not in {c.scenario.name for c in contexts}:
        raise ValueError(f"reference '{reference}' is not one of the scenarios")
    executor, owned = _executor(scheduler, n_workers)
    try:
        cores = executor.cores_per_task
        runs, failures = _run_chains(
            [_with_cores(c, cores) for c in contexts], executor, progress or (lambda name, days: None)
        )
        where, workers = executor.description, executor.slots
    finally:
        if owned:
            executor.close()
    if failures and on_error == "raise":
        raise SimulationError(failures)
    return SimulationResults(
        runs=tuple(runs),
        settings=settings,
        horizon=horizon,
        reference=reference,
        failures=tuple(failures),
        scheduler=where,
        workers=workers,
        wall_seconds=round(time.perf_counter() - started, 2),
        descriptions={c.scenario.name: c.scenario.description for c in contexts},
    )


def _executor(scheduler: str | Client | SolveExecutor | None, n_workers: int) -> tuple[SolveExecutor, bool]:
    """The executor of ``scheduler``, and whether this call owns it (and closes it)."""
    if isinstance(scheduler, SolveExecutor):
        return scheduler, False
    if scheduler == "serial":
        return InlineExecutor(), True
    if scheduler is None:
        if n_workers < 1:
            raise ValueError("n_workers must be at least 1")
        return LocalExecutor(processes=n_workers), True
    if isinstance(scheduler, str):
        return DaskExecutor.connect(scheduler), True
    return DaskExecutor(scheduler), False


def _with_cores(context: DayContext, cores: int) -> DayContext:
    params = (context.settings.params or SearchParams()).for_cores(cores)
    return dataclasses.replace(context, settings=dataclasses.replace(context.settings, params=params))


def _failure(name: str, day: date | None, error: BaseException) -> ScenarioFailure:
    trace = "".join(traceback.format_exception(error))
    return ScenarioFailure(name, day, f"{type(error).__name__}: {error}", trace)


def _run_chains(
    contexts: Sequence[DayContext], executor: SolveExecutor, tick: Tick
) -> tuple[list[ScenarioRun], list[ScenarioFailure]]:
    """Every scenario's chain of days on ``executor``: the next day is sent when the last one is back."""
    runs: dict[int, ScenarioRun] = {}
    failures: dict[int, ScenarioFailure] = {}
    shared = [executor.share(c) for c in contexts]
    running: dict[Future[SimulationState], tuple[int, date]] = {}

    def next_day(index: int, state: SimulationState) -> None:
        context = contexts[index]
        horizon = context.scenario.horizon
        if state.next_day >= len(horizon):
            runs[index] = finish(context, state)
            return
        running[executor.submit(advance, shared[index], state)] = (index, horizon[state.next_day])

    for index, context in enumerate(contexts):
        try:
            first = start_state(context)
        except Exception as error:
            failures[index] = _failure(context.scenario.name, None, error)
            continue
        next_day(index, first)
    while running:
        done, _ = wait(list(running), return_when=FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: running[f]):
            index, day = running.pop(future)
            name = contexts[index].scenario.name
            try:
                state = future.result()
            except Exception as error:
                failures[index] = _failure(name, day, error)
                continue
            tick(name, state.next_day)
            next_day(index, state)
    return [runs[i] for i in sorted(runs)], [failures[i] for i in sorted(failures)]
