"""Solomon VRPTW benchmark: the product's engine against OR-Tools defaults, PyVRP and VROOM.

    python -m bench.solomon_bench [--quick] [--budgets 5,30] [--seeds 1,2,3]
        [--solvers dromologio,ortools-default,pyvrp,vroom] [--instances R101,RC101] [--jobs 2]
        [--config default,legacy] [--section tuning] [--results DIR]

Every solver gets the same integer matrix ``floor(10 * euclid)`` as distances and travel times
(times ×10), the same capacity, windows and service times, and at most 25 vehicles.  Every
solution is re-scored by :mod:`bench.rescore`, which does not use the solvers' numbers: the
recomputed distance is what is reported, and a solution that misses a customer or breaks a
capacity or window is recorded as infeasible.  Gaps are against the DIMACS rows of
``bench/instances/bks.csv`` (proven optima).

``--config`` runs ``dromologio`` once per named search setting of :mod:`bench.configs`
(``default`` = the product's ``SearchParams()``), side by side in the same run; the setting's
name is the ``config`` column of every file.

Runs that keep one core busy (the peers, one-process configs) go first, ``--jobs`` at a time
(default: every core this process may use); then the runs of the product's engine, which starts
its own search processes, one at a time.  VROOM has no seed and runs once per instance and budget.

One row per run is appended to ``bench/results/solomon_runs.csv``; runs already there are
skipped, so an interrupted run picks up where it stopped.  The summaries
(``solomon.csv``, ``solomon_classes.csv`` and the Solomon section of ``docs/benchmarks.md``)
are rebuilt from every run recorded in that file.  With ``--section tuning`` the same goes
for ``tuning_runs.csv``, ``tuning.csv``, ``tuning_classes.csv`` and the "Tuning steps" section:
experiments with search settings stay out of the main table.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from bench.configs import CONFIGS, DESCRIPTIONS
from bench.report import (
    RESULTS_DIR,
    code_version,
    command_line,
    machine,
    markdown_table,
    now,
    replace_section,
    versions,
)
from bench.rescore import score_routes
from bench.solomon import SolomonData, instance_class, instance_names, instance_path, read_bks, read_solomon

SOLVERS = ("dromologio", "ortools-default", "pyvrp", "vroom")
CLASSES = ("C1", "C2", "R1", "R2", "RC1", "RC2")
QUICK_INSTANCES = ("C101", "C201", "R101", "R201", "RC101", "RC201")
#: VROOM has no time budget: it runs its search at exploration level 5 to the end.
VROOM_EXPLORATION = 5
#: about how long that takes on a Solomon instance (for the run-time estimate only).
VROOM_SECONDS = 5.0
#: budgets from this one up get one seed by default (their results vary less between seeds).
LONG_BUDGET_S = 30.0

#: the ``config`` of solvers that take none.
NO_CONFIG = ""

RUN_FIELDS = (
    "solver",
    "config",
    "instance",
    "class",
    "budget_s",
    "seed",
    "feasible",
    "distance",
    "vehicles",
    "bks",
    "gap_pct",
    "reported_distance",
    "wall_s",
    "status",
    "errors",
    "finished_at",
)
SUMMARY_FIELDS = (
    "solver",
    "config",
    "instance",
    "class",
    "budget_s",
    "distance",
    "vehicles",
    "bks",
    "gap_pct",
    "feasible",
    "seeds",
    "feasible_seeds",
    "best_distance",
    "worst_distance",
    "wall_s",
)
CLASS_FIELDS = (
    "solver",
    "config",
    "budget_s",
    "class",
    "instances",
    "mean_gap_pct",
    "max_gap_pct",
    "infeasible",
    "mean_vehicles",
)

console = Console(highlight=False, soft_wrap=True)


@dataclass(frozen=True)
class Task:
    solver: str
    instance: str
    budget_s: float
    seed: int
    config: str = NO_CONFIG

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.solver, self.config, self.instance, fmt_budget(self.budget_s), str(self.seed))


@dataclass(frozen=True)
class SolverOutput:
    #: customer numbers per route (depot omitted).
    routes: list[list[int]]
    #: the solver's own distance in tenths, when it reports one.
    reported_tenths: int | None
    status: str


def fmt_budget(budget_s: float) -> str:
    return f"{budget_s:g}"


def label(solver: str, config: str) -> str:
    """Column name of a (solver, config): ``dromologio`` for the product default."""
    return solver if config in (NO_CONFIG, "default") else f"{solver}:{config}"


def seeds_for(solver: str, budget_s: float, explicit: Sequence[int] | None, *, quick: bool) -> list[int]:
    """The seeds a solver runs at a budget: ``explicit`` if given, else 1, 2, 3 below
    :data:`LONG_BUDGET_S` and 1 from it (1 with ``--quick``); VROOM, which has no seed, the first only.
    """
    if explicit:
        seeds = list(explicit)
    elif quick or budget_s >= LONG_BUDGET_S:
        seeds = [1]
    else:
        seeds = [1, 2, 3]
    return seeds[:1] if solver == "vroom" else seeds


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cores_used(task: Task) -> int:
    """How many processes a run keeps busy: the product's engine may run several searches."""
    if task.solver != "dromologio" or task.config not in CONFIGS:
        return 1
    from dromologio.dispatch.parallel import workers_for

    return workers_for(CONFIGS[task.config], task.budget_s)


def run_key(run: dict[str, str]) -> tuple[str, str, str, str, str]:
    return (run["solver"], run["config"], run["instance"], run["budget_s"], run["seed"])


# --------------------------------------------------------------------------- solvers


@contextmanager
def _no_first_solution_floor() -> Iterator[None]:
    """OR-Tools' own time limit for the first solution too, as OR-Tools alone would run.

    The product's engine waits up to ``FIRST_SOLUTION_FLOOR_S`` (120 s) for a first plan, whatever
    the time limit; with OR-Tools' default first-solution strategy (PATH_CHEAPEST_ARC) and every
    customer mandatory, R1 and RC1 instances have none to give, so every such run would last 120 s
    to end without a solution all the same.
    """
    from dromologio.dispatch import search as engine  # the search reads the floor

    floor = engine.FIRST_SOLUTION_FLOOR_S
    engine.FIRST_SOLUTION_FLOOR_S = 0.0
    try:
        yield
    finally:
        engine.FIRST_SOLUTION_FLOOR_S = floor


def solve_dromologio(data: SolomonData, budget_s: float, seed: int, config: str = "default") -> SolverOutput:
    """The product's engine with the named search settings (``default`` = ``SearchParams()``)."""
    from bench.solomon import to_instance
    from dromologio.dispatch import ORTOOLS_DEFAULT, solve_instance

    instance = to_instance(data)
    if config == "ortools-default":
        with _no_first_solution_floor():
            solution = solve_instance(instance, time_limit_s=budget_s, seed=seed, params=ORTOOLS_DEFAULT)
    else:
        solution = solve_instance(instance, time_limit_s=budget_s, seed=seed, params=CONFIGS[config])
    status = solution.status
    if solution.dropped:
        status += f", {len(solution.dropped)} dropped"
    return SolverOutput(
        routes=[list(r) for r in solution.routes],
        reported_tenths=solution.objective if solution.objective >= 0 else None,
        status=status,
    )


def solve_pyvrp(data: SolomonData, budget_s: float, seed: int, config: str = NO_CONFIG) -> SolverOutput:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    matrix: Any = data.matrix()  # pyvrp's stubs spell the array type in their own way
    depot_early, depot_late = int(data.ready[0]) * 10, int(data.due[0]) * 10
    problem = pyvrp.ProblemData(
        locations=[pyvrp.Location(float(x), float(y)) for x, y in data.xy],
        clients=[
            pyvrp.Client(
                location=i,
                delivery=[int(data.demand[i])],
                service_duration=int(data.service[i]) * 10,
                tw_early=int(data.ready[i]) * 10,
                tw_late=int(data.due[i]) * 10,
                name=str(i),
            )
            for i in range(1, len(data.demand))
        ],
        depots=[pyvrp.Depot(location=0, tw_early=depot_early, tw_late=depot_late)],
        vehicle_types=[
            pyvrp.VehicleType(
                num_available=data.num_vehicles,
                capacity=[data.capacity],
                tw_early=depot_early,
                tw_late=depot_late,
            )
        ],
        distance_matrices=[matrix],
        duration_matrices=[matrix],
    )
    result = pyvrp.solve(problem, stop=MaxRuntime(budget_s), seed=seed, collect_stats=False, display=False)
    clients = problem.clients()
    routes = [
        [int(clients[a.idx].location) for a in route.schedule() if a.is_client()]
        for route in result.best.routes()
    ]
    feasible = result.is_feasible()
    return SolverOutput(
        routes=routes,
        reported_tenths=int(result.best.distance()),
        status=f"{'feasible' if feasible else 'infeasible'}, {result.num_iterations} iterations",
    )


def solve_vroom(data: SolomonData, budget_s: float, seed: int, config: str = NO_CONFIG) -> SolverOutput:
    """VROOM ignores ``budget_s`` and ``seed``: it has neither (the run's wall time is recorded)."""
    import vroom

    matrix = data.matrix().tolist()
    problem = vroom.Input()
    problem.set_durations_matrix("car", matrix)
    problem.set_costs_matrix("car", matrix)
    window = vroom.TimeWindow(int(data.ready[0]) * 10, int(data.due[0]) * 10)
    for v in range(data.num_vehicles):
        problem.add_vehicle(
            vroom.Vehicle(v + 1, start=0, end=0, capacity=[data.capacity], time_window=window)
        )
    for i in range(1, len(data.demand)):
        problem.add_job(
            vroom.Job(
                i,
                location=i,
                default_service=int(data.service[i]) * 10,
                delivery=[int(data.demand[i])],
                time_windows=[vroom.TimeWindow(int(data.ready[i]) * 10, int(data.due[i]) * 10)],
            )
        )
    solution = problem.solve(exploration_level=VROOM_EXPLORATION, nb_threads=1)
    steps = solution.routes
    jobs = steps[steps["type"] == "job"]
    routes = [
        [int(j) for j in group["id"]] for _, group in jobs.groupby("vehicle_id", sort=True, observed=True)
    ]
    unassigned = len(solution.unassigned) if solution.unassigned is not None else 0
    return SolverOutput(
        routes=routes,
        reported_tenths=int(solution.summary.cost),
        status=f"{unassigned} unassigned" if unassigned else "done",
    )


def solve_ortools_default(
    data: SolomonData, budget_s: float, seed: int, config: str = NO_CONFIG
) -> SolverOutput:
    return solve_dromologio(data, budget_s, seed, "ortools-default")


SOLVER_FUNCTIONS: dict[str, Callable[[SolomonData, float, int, str], SolverOutput]] = {
    "dromologio": solve_dromologio,
    "ortools-default": solve_ortools_default,
    "pyvrp": solve_pyvrp,
    "vroom": solve_vroom,
}


# --------------------------------------------------------------------------- one run


def run_task(task: Task) -> dict[str, str]:
    """Solve one (solver, instance, budget, seed), re-score it and return the run's CSV row."""
    data = read_solomon(instance_path(task.instance))
    bks = read_bks()[task.instance][0]
    row = {
        "solver": task.solver,
        "config": task.config,
        "instance": task.instance,
        "class": instance_class(task.instance),
        "budget_s": fmt_budget(task.budget_s),
        "seed": str(task.seed),
        "bks": f"{bks:.1f}",
    }
    started = time.perf_counter()
    try:
        output = SOLVER_FUNCTIONS[task.solver](data, task.budget_s, task.seed, task.config)
    except Exception as error:  # a crash is a result too: recorded as an infeasible run
        row |= {
            "feasible": "false",
            "distance": "",
            "vehicles": "",
            "gap_pct": "",
            "reported_distance": "",
            "wall_s": f"{time.perf_counter() - started:.2f}",
            "status": "error",
            "errors": f"{type(error).__name__}: {error}"[:300],
            "finished_at": now(),
        }
        return row
    wall = time.perf_counter() - started
    score = score_routes(data, output.routes)
    row |= {
        "feasible": "true" if score.feasible else "false",
        "distance": f"{score.distance:.1f}",
        "vehicles": str(score.vehicles),
        "gap_pct": f"{100 * (score.distance - bks) / bks:.2f}" if score.feasible else "",
        "reported_distance": f"{output.reported_tenths / 10:.1f}"
        if output.reported_tenths is not None
        else "",
        "wall_s": f"{wall:.2f}",
        "status": output.status,
        "errors": "; ".join(score.errors),
        "finished_at": now(),
    }
    return row


# --------------------------------------------------------------------------- results files


def read_runs(path: Path) -> list[dict[str, str]]:
    if not path.exists() or path.stat().st_size == 0:
        return []
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != RUN_FIELDS:
            raise SystemExit(
                f"{path} has columns {reader.fieldnames}, expected {list(RUN_FIELDS)}; move it away"
            )
        return list(reader)


def append_run(path: Path, row: dict[str, str]) -> None:
    new = not path.exists() or path.stat().st_size == 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=RUN_FIELDS, lineterminator="\n")
        if new:
            writer.writeheader()
        writer.writerow(row)


def write_csv(path: Path, fields: Sequence[str], rows: Iterable[dict[str, object]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _order(name: str) -> tuple[int, int]:
    """Sort key of a solver or ``solver:config`` label: solvers in SOLVERS order, configs in CONFIGS order."""
    solver, _, config = name.partition(":")
    configs = list(CONFIGS)
    return (
        SOLVERS.index(solver) if solver in SOLVERS else len(SOLVERS),
        configs.index(config) if config in configs else (-1 if not config else len(configs)),
    )


def labelled(rows: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """Copies of summary rows whose ``solver`` is the (solver, config) label."""
    return [{**r, "solver": label(str(r["solver"]), str(r["config"]))} for r in rows]


def summarise(runs: Sequence[dict[str, str]]) -> list[dict[str, object]]:
    """One row per (solver, instance, budget): the median over seeds of the feasible runs.

    ``vehicles`` is that of the median run (the lower median for an even count); ``feasible`` is
    true only when every seed gave a feasible solution.
    """
    groups: dict[tuple[str, str, str, str], list[dict[str, str]]] = defaultdict(list)
    for run in runs:
        groups[(run["solver"], run["config"], run["instance"], run["budget_s"])].append(run)
    rows: list[dict[str, object]] = []
    for (solver, config, instance, budget), group in groups.items():
        ok = sorted((r for r in group if r["feasible"] == "true"), key=lambda r: float(r["distance"]))
        bks = float(group[0]["bks"])
        distance = statistics.median(float(r["distance"]) for r in ok) if ok else None
        rows.append(
            {
                "solver": solver,
                "config": config,
                "instance": instance,
                "class": instance_class(instance),
                "budget_s": budget,
                "distance": f"{distance:.1f}" if distance is not None else "",
                "vehicles": ok[(len(ok) - 1) // 2]["vehicles"] if ok else "",
                "bks": f"{bks:.1f}",
                "gap_pct": f"{100 * (distance - bks) / bks:.2f}" if distance is not None else "",
                "feasible": "true" if len(ok) == len(group) else "false",
                "seeds": len(group),
                "feasible_seeds": len(ok),
                "best_distance": ok[0]["distance"] if ok else "",
                "worst_distance": ok[-1]["distance"] if ok else "",
                "wall_s": f"{statistics.median(float(r['wall_s']) for r in group):.2f}",
            }
        )
    rows.sort(
        key=lambda r: (
            float(str(r["budget_s"])),
            _order(label(str(r["solver"]), str(r["config"]))),
            str(r["class"]),
            str(r["instance"]),
        )
    )
    return rows


def summarise_classes(summary: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """Mean gap per (solver, config, budget, class) over the instances whose median is feasible, plus 'all'."""
    groups: dict[tuple[str, str, str, str], list[dict[str, object]]] = defaultdict(list)
    for row in summary:
        for cls in (str(row["class"]), "all"):
            groups[(str(row["solver"]), str(row["config"]), str(row["budget_s"]), cls)].append(row)
    rows: list[dict[str, object]] = []
    for (solver, config, budget, cls), group in groups.items():
        gaps = [float(str(r["gap_pct"])) for r in group if r["gap_pct"] != ""]
        vehicles = [int(str(r["vehicles"])) for r in group if r["vehicles"] != ""]
        rows.append(
            {
                "solver": solver,
                "config": config,
                "budget_s": budget,
                "class": cls,
                "instances": len(group),
                "mean_gap_pct": f"{statistics.fmean(gaps):.2f}" if gaps else "",
                "max_gap_pct": f"{max(gaps):.2f}" if gaps else "",
                "infeasible": sum(1 for r in group if r["distance"] == ""),
                "mean_vehicles": f"{statistics.fmean(vehicles):.1f}" if vehicles else "",
            }
        )
    class_order = {c: i for i, c in enumerate((*CLASSES, "all"))}
    rows.sort(
        key=lambda r: (
            float(str(r["budget_s"])),
            _order(label(str(r["solver"]), str(r["config"]))),
            class_order[str(r["class"])],
        )
    )
    return rows


# --------------------------------------------------------------------------- docs


def _cell(row: dict[str, object] | None) -> str:
    if row is None:
        return "–"
    if row["distance"] == "":
        return "infeasible"
    gap = float(str(row["gap_pct"]))
    text = f"{row['distance']} ({gap:+.2f} %)"
    if row["feasible"] != "true":
        text += f" [{row['feasible_seeds']}/{row['seeds']} feasible]"
    return text


def _class_cell(row: dict[str, object] | None) -> str:
    if row is None:
        return "–"
    text = f"{float(str(row['mean_gap_pct'])):+.2f}" if row["mean_gap_pct"] != "" else "–"
    if int(str(row["infeasible"])):
        text += f" ({row['infeasible']} infeasible)"
    return text


def _header(title: str, runs_path: Path, command: str, summary: Sequence[dict[str, object]]) -> list[str]:
    budgets = sorted({str(r["budget_s"]) for r in summary}, key=float)
    seeds = sorted({int(str(r["seeds"])) for r in summary})
    instances = {str(r["instance"]) for r in summary}
    return [
        f"## {title}",
        "",
        f"- Date: {now()}",
        f"- Machine: {machine()}",
        f"- Solvers: {versions(['ortools', 'pyvrp', 'pyvroom'])}",
        f"- Code: {code_version()}",
        f"- Command: `{command}` (the tables cover every run recorded in `{_relative(runs_path)}`)",
        f"- {len(instances)} instance(s), budget(s) {', '.join(b + ' s' for b in budgets)}, "
        f"{'/'.join(str(s) for s in seeds)} seed(s) per cell; each cell is the median over seeds of the "
        "independently re-scored distance (floor(10·euclid)/10 arcs, truncated times), gap against the "
        "proven optimum (`bench/instances/bks.csv`, DIMACS rows).",
    ]


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(RESULTS_DIR.parent.parent))
    except ValueError:
        return str(path)


def _config_notes(labels: Sequence[str]) -> list[str]:
    configs = [name.partition(":")[2] for name in labels if ":" in name]
    return [f"- `dromologio:{c}`: {DESCRIPTIONS.get(c, '')} (`bench/configs.py`)" for c in configs]


def doc_section(
    runs: Sequence[dict[str, str]],
    summary: Sequence[dict[str, object]],
    classes: Sequence[dict[str, object]],
    command: str,
    runs_path: Path,
) -> str:
    summary = labelled(summary)
    classes = labelled(classes)
    solvers = sorted({str(r["solver"]) for r in summary}, key=_order)
    budgets = sorted({str(r["budget_s"]) for r in summary}, key=float)
    instances = sorted({str(r["instance"]) for r in summary}, key=lambda n: (instance_class(n), n))
    by_key = {(str(r["solver"]), str(r["instance"]), str(r["budget_s"])): r for r in summary}
    by_class = {(str(r["solver"]), str(r["budget_s"]), str(r["class"])): r for r in classes}
    right = [False, *[True] * len(solvers)]
    parts = [
        *_header("Solomon VRPTW (DIMACS convention)", runs_path, command, summary),
        "- `dromologio` = the product's engine with its default `SearchParams()`; `ortools-default` = the same "
        "model with OR-Tools' default search (`ORTOOLS_DEFAULT`); `pyvrp` = PyVRP `solve(..., MaxRuntime)`; "
        f"`vroom` = pyvroom, exploration level {VROOM_EXPLORATION}, one thread. VROOM has no time budget: it "
        "stops when its search ends, so its rows repeat across budgets and seeds; its time is in the last table.",
        *_config_notes(solvers),
        "",
        "### Mean gap to the optimum per class (%)",
        "",
        "Means are over the instances each solver solved feasibly; the last row compares all solvers on the "
        "same instances.",
        "",
    ]
    for budget in budgets:
        rows: list[list[object]] = []
        for cls in (*CLASSES, "all"):
            present = [by_class[(s, budget, cls)] for s in solvers if (s, budget, cls) in by_class]
            if not present:
                continue
            cells = [_class_cell(by_class.get((solver, budget, cls))) for solver in solvers]
            rows.append([f"{cls} ({present[0]['instances']})", *cells])
        common = [
            name
            for name in instances
            if all(by_key.get((s, name, budget), {}).get("distance", "") != "" for s in solvers)
        ]
        if len(solvers) > 1 and common and len(common) < len(instances):
            cells = [
                f"{statistics.fmean(float(str(by_key[(s, n, budget)]['gap_pct'])) for n in common):+.2f}"
                for s in solvers
            ]
            rows.append([f"feasible for all ({len(common)})", *cells])
        parts += [f"Budget {budget} s:", "", markdown_table(["class", *solvers], rows, right), ""]

    gains = _gains(by_key, instances, budgets)
    if gains:
        parts += [
            "### The tuned engine against OR-Tools defaults, per class",
            "",
            "Mean over the class of (OR-Tools defaults − dromologio) / optimum, in percentage points of the "
            "optimum, on the instances both solved feasibly; positive = dromologio shorter. Instances on which "
            "only dromologio found a feasible solution are counted in the last column.",
            "",
            markdown_table(
                ["budget", "class", "instances compared", "gain (points)", "only dromologio feasible"],
                gains,
                [False, False, True, True, True],
            ),
            "",
        ]

    parts += ["### Per instance: distance (gap to the optimum)", ""]
    for budget in budgets:
        rows = []
        for name in instances:
            first = next((by_key[(s, name, budget)] for s in solvers if (s, name, budget) in by_key), None)
            if first is not None:
                rows.append([name, first["bks"], *[_cell(by_key.get((s, name, budget))) for s in solvers]])
        table = markdown_table(["instance", "optimum", *solvers], rows, [False, True, *right[1:]])
        parts += [f"Budget {budget} s:", "", table, ""]

    parts += ["### Wall time per run (median over instances and seeds, s)", ""]
    rows = []
    for budget in budgets:
        cells = []
        for solver in solvers:
            times = [
                float(str(r["wall_s"])) for r in summary if (r["solver"], r["budget_s"]) == (solver, budget)
            ]
            cells.append(f"{statistics.median(times):.2f}" if times else "–")
        rows.append([f"{budget} s", *cells])
    parts += [markdown_table(["budget", *solvers], rows, right), ""]
    parts += _failed_runs(runs, runs_path)
    return "\n".join(parts)


def _gains(
    by_key: dict[tuple[str, str, str], dict[str, object]], instances: Sequence[str], budgets: Sequence[str]
) -> list[list[object]]:
    rows: list[list[object]] = []
    for budget in budgets:
        for cls in (*CLASSES, "all"):
            names = [n for n in instances if cls in ("all", instance_class(n))]
            pairs = [
                (by_key.get(("dromologio", n, budget)), by_key.get(("ortools-default", n, budget)))
                for n in names
            ]
            both = [
                (ours, theirs)
                for ours, theirs in pairs
                if ours is not None
                and theirs is not None
                and ours["distance"] != ""
                and theirs["distance"] != ""
            ]
            only_ours = sum(
                1
                for ours, theirs in pairs
                if ours is not None
                and theirs is not None
                and ours["distance"] != ""
                and theirs["distance"] == ""
            )
            if not both and not only_ours:
                continue
            gain = (
                f"{statistics.fmean(float(str(t['gap_pct'])) - float(str(o['gap_pct'])) for o, t in both):+.2f}"
                if both
                else "–"
            )
            rows.append([f"{budget} s", cls, len(both), gain, only_ours])
    return rows


def _failed_runs(runs: Sequence[dict[str, str]], runs_path: Path) -> list[str]:
    failed = sorted(
        (r for r in runs if r["feasible"] != "true"),
        key=lambda r: (
            _order(label(r["solver"], r["config"])),
            float(r["budget_s"]),
            instance_class(r["instance"]),
            r["instance"],
        ),
    )
    if not failed:
        return []
    parts = [f"### Infeasible runs ({len(failed)})", ""]
    rows = [
        [
            label(r["solver"], r["config"]),
            r["instance"],
            f"{r['budget_s']} s",
            r["seed"],
            r["status"],
            r["errors"][:90],
        ]
        for r in failed[:30]
    ]
    parts += [markdown_table(["solver", "instance", "budget", "seed", "status", "first problems"], rows), ""]
    if len(failed) > 30:
        parts += [f"... and {len(failed) - 30} more in `{_relative(runs_path)}`.", ""]
    return parts


def tuning_section(
    runs: Sequence[dict[str, str]],
    summary: Sequence[dict[str, object]],
    classes: Sequence[dict[str, object]],
    command: str,
    runs_path: Path,
) -> str:
    """The "Tuning steps" table: one row per search setting (and peer), mean gap per class."""
    summary = labelled(summary)
    classes = labelled(classes)
    names = sorted({str(r["solver"]) for r in summary}, key=_order)
    budgets = sorted({str(r["budget_s"]) for r in summary}, key=float)
    by_class = {(str(r["solver"]), str(r["budget_s"]), str(r["class"])): r for r in classes}
    present = [c for c in (*CLASSES, "all") if any((n, b, c) in by_class for n in names for b in budgets)]
    parts = [
        *_header("Tuning steps (Solomon, DIMACS convention)", runs_path, command, summary),
        "- One row per search setting of `bench/configs.py`, all run side by side in the same run (same "
        "machine load); `dromologio` alone is the product default (`SearchParams()`). Rows in table order "
        "are the steps taken; the rows after `dromologio` are variants tried and not kept. Peers for scale.",
        "",
    ]
    for budget in budgets:
        rows: list[list[object]] = []
        for name in names:
            if not any((name, budget, c) in by_class for c in present):
                continue
            solver, _, config = name.partition(":")
            what = DESCRIPTIONS.get(config or ("default" if solver == "dromologio" else ""), "")
            if solver == "ortools-default":
                what = "OR-Tools' default search (first solution, greedy descent)"
            elif solver in ("pyvrp", "vroom"):
                what = "peer"
            rows.append([f"`{name}`", *[_class_cell(by_class.get((name, budget, c))) for c in present], what])
        counts = {
            c: next((by_class[(n, budget, c)]["instances"] for n in names if (n, budget, c) in by_class), 0)
            for c in present
        }
        header = ["config", *[f"{c} ({counts[c]})" for c in present], "what changed"]
        parts += [
            f"Mean gap to the optimum per class (%), budget {budget} s:",
            "",
            markdown_table(header, rows, [False, *[True] * len(present), False]),
            "",
        ]
    parts += _failed_runs(runs, runs_path)
    return "\n".join(parts)


# --------------------------------------------------------------------------- main


def parse_list(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.solomon_bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="C101,C201,R101,R201,RC101,RC201; 5 s; seed 1")
    parser.add_argument("--budgets", help="comma-separated seconds per run (default 5,30)")
    parser.add_argument(
        "--seeds",
        help="comma-separated seeds for every budget (default: 1,2,3 under 30 s, 1 from 30 s; --quick: 1); "
        "VROOM, which has no seed, runs with the first only",
    )
    parser.add_argument("--solvers", default=",".join(SOLVERS), help=f"subset of {','.join(SOLVERS)}")
    parser.add_argument("--instances", help="comma-separated names (default: all 56)")
    parser.add_argument(
        "--jobs",
        type=int,
        help="one-core runs at once, one process each (default: the cores this process may use); the "
        "product's engine, which starts its own processes, runs alone after them",
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS_DIR, help="results folder (default bench/results)"
    )
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument(
        "--config",
        default="default",
        help=f"comma-separated search settings for dromologio, side by side (default: default); known: "
        f"{', '.join(CONFIGS)}",
    )
    parser.add_argument(
        "--section",
        choices=("solomon", "tuning"),
        default="solomon",
        help="the results tables (solomon: solomon_*.csv) or the tuning experiments, one row per config "
        "(tuning: tuning_*.csv), each with its section of docs/benchmarks.md; default solomon",
    )
    args = parser.parse_args(argv)

    budgets = [float(b) for b in parse_list(args.budgets or ("5" if args.quick else "5,30"))]
    solvers = parse_list(args.solvers)
    unknown = sorted(set(solvers) - set(SOLVERS))
    if unknown:
        parser.error(f"unknown solver(s) {unknown}; known: {', '.join(SOLVERS)}")
    if args.instances:
        names = [n.upper() for n in parse_list(args.instances)]
    elif args.quick:
        names = list(QUICK_INSTANCES)
    else:
        names = instance_names()
    for name in names:
        instance_path(name)
    jobs = args.jobs or usable_cores()
    if jobs < 1:
        parser.error("--jobs must be at least 1")
    configs = parse_list(args.config)
    unknown = sorted(set(configs) - set(CONFIGS))
    if unknown or not configs:
        parser.error(f"unknown config(s) {unknown}; known: {', '.join(CONFIGS)}")

    # The main table and the tuning experiments keep their runs apart: solomon_* and tuning_*.
    runs_path: Path = args.results / f"{args.section}_runs.csv"
    done = {run_key(r) for r in read_runs(runs_path)}
    explicit_seeds = [int(s) for s in parse_list(args.seeds)] if args.seeds else None
    tasks = [
        Task(solver, name, budget, seed, config)
        for budget in budgets
        for name in names
        for solver in solvers
        for seed in seeds_for(solver, budget, explicit_seeds, quick=args.quick)
        for config in (configs if solver == "dromologio" else [NO_CONFIG])
    ]
    todo = [t for t in tasks if t.key not in done]
    wide = [t for t in todo if cores_used(t) > 1]
    narrow = [t for t in todo if cores_used(t) == 1]
    expected = (
        sum(t.budget_s for t in wide)
        + sum(VROOM_SECONDS if t.solver == "vroom" else t.budget_s for t in narrow) / jobs
    )
    console.print(
        f"{len(tasks)} runs, {len(tasks) - len(todo)} already in {runs_path}, {len(todo)} to do "
        f"(about {expected / 60:.1f} min with --jobs {jobs}: {len(narrow)} one-core runs {jobs} at a time, "
        f"then {len(wide)} runs of the {jobs}-process engine one at a time)"
    )

    started = time.monotonic()
    count = 0

    def report(row: dict[str, str]) -> None:
        nonlocal count
        count += 1
        append_run(runs_path, row)
        if row["feasible"] == "true":
            result = f"{row['distance']:>7} ({float(row['gap_pct']):+6.2f} %) {row['vehicles']:>2} veh"
            reported = row["reported_distance"]
            if reported and abs(float(reported) - float(row["distance"])) > 0.05:
                result += f" [yellow](solver said {reported})[/yellow]"
        else:
            result = f"[red]infeasible[/red] {row['status']}: {row['errors'][:120]}"
        console.print(
            f"[{count:>{len(str(len(todo)))}}/{len(todo)}] {time.monotonic() - started:6.0f}s "
            f"{label(row['solver'], row['config']):<27} {row['instance']:<6} {row['budget_s']:>4}s "
            f"seed {row['seed']}: "
            f"{result}  {row['wall_s']} s"
        )

    if jobs == 1:
        for task in narrow:
            report(run_task(task))
    elif narrow:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures: list[Future[dict[str, str]]] = [pool.submit(run_task, t) for t in narrow]
            for future in as_completed(futures):
                report(future.result())
    # The product's engine starts its own worker processes: here, one run at a time (the pool's
    # processes are daemonic and may not start any).
    for task in wide:
        report(run_task(task))

    runs = read_runs(runs_path)
    summary = summarise(runs)
    classes = summarise_classes(summary)
    summary_path = args.results / f"{args.section}.csv"
    classes_path = args.results / f"{args.section}_classes.csv"
    write_csv(summary_path, SUMMARY_FIELDS, summary)
    write_csv(classes_path, CLASS_FIELDS, classes)
    console.print(f"wrote {summary_path} and {classes_path}")
    for row in labelled(classes):
        if row["class"] == "all":
            console.print(
                f"  {row['solver']:<27} {row['budget_s']:>4}s: mean gap {row['mean_gap_pct'] or '–':>6} % over "
                f"the feasible ones of {row['instances']} instance(s); {row['infeasible']} infeasible"
            )
    if not args.no_doc:
        write = doc_section if args.section == "solomon" else tuning_section
        command = command_line("bench.solomon_bench")
        replace_section(args.section, write(runs, summary, classes, command, runs_path))
        console.print(f"updated the {args.section} section of docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
