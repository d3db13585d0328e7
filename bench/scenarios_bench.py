"""Scenario simulation: serial against a Dask LocalCluster, on the scenarios of ``examples/scenarios.yaml``.

    python -m bench.scenarios_bench                       # 3 scenarios x 20 days at 3 s per day
    python -m bench.scenarios_bench --time-limit 1        # shorter, for a shared machine

The same scenarios, horizon, arrivals and seed run twice: one after another in this process
(``scheduler="serial"``), then as Dask tasks on an embedded ``LocalCluster`` of ``--workers``
processes with one thread each (each scenario a chain of day tasks, scenarios side by side).
The parallel time counts the cluster's start (its worker processes import the solver) and is
also given without it.  The solver stops on its time limit each day, so both runs spend
about the same solving time; the speed-up measures how well the days of different scenarios
overlap on the cores.  On a machine shared with other work the figures are noisy: note the
load average printed with them.

Appends one row per mode to ``bench/results/scenarios.csv`` (``--results DIR`` to write
elsewhere).
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

from bench.report import RESULTS_DIR, code_version, command_line, machine, now
from dromologio.cli_scenarios import named_problems
from dromologio.planning.scenarios import load_scenarios
from dromologio.planning.simulate import SimulationResults, SimulationSettings, make_arrivals, run_scenarios

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "scenarios.yaml"
#: what the parallel run should stay under for 3 scenarios x 20 days at 3 s on 2 cores.
TARGET_S = 120.0
FIELDS = (
    "when",
    "mode",
    "scenarios",
    "days",
    "time_limit_s",
    "workers",
    "wall_s",
    "startup_s",
    "run_s",
    "solve_s",
    "speedup",
    "served",
    "load_before",
    "load_after",
    "cpus",
    "machine",
    "code",
    "command",
)


def _served(results: SimulationResults) -> str:
    return ";".join(f"{run.scenario}={run.served}" for run in results.runs)


def _solve_seconds(results: SimulationResults) -> float:
    return round(sum(day.solve_seconds for run in results.runs for day in run.days), 1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--file", type=Path, default=EXAMPLE, help="scenario file (default: the example)")
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=3.0, help="solver seconds per day")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster

    scenario_set = load_scenarios(args.file, named=named_problems())
    problem = scenario_set.load_problem()
    arrivals = make_arrivals(scenario_set.arrivals, problem)
    settings = SimulationSettings(
        days=args.days, start=scenario_set.start, time_limit_s=args.time_limit, seed=args.seed
    )
    scenarios = scenario_set.scenarios
    common = {
        "when": now(),
        "scenarios": len(scenarios),
        "days": args.days,
        "time_limit_s": args.time_limit,
        "cpus": os.cpu_count(),
        "machine": machine(),
        "code": code_version(),
        "command": command_line("bench.scenarios_bench"),
    }
    print(f"{len(scenarios)} scenarios x {args.days} days at {args.time_limit:g} s/day; {machine()}")

    load = os.getloadavg()[0]
    started = time.perf_counter()
    serial = run_scenarios(
        problem, scenarios, settings, arrivals=arrivals, scheduler="serial", progress=False
    )
    serial_s = time.perf_counter() - started
    rows = [
        {
            **common,
            "mode": "serial",
            "workers": 1,
            "wall_s": round(serial_s, 1),
            "startup_s": 0.0,
            "run_s": round(serial_s, 1),
            "solve_s": _solve_seconds(serial),
            "speedup": 1.0,
            "served": _served(serial),
            "load_before": round(load, 2),
            "load_after": round(os.getloadavg()[0], 2),
        }
    ]
    print(f"serial: {serial_s:.1f} s (load {load:.2f})")

    load = os.getloadavg()[0]
    started = time.perf_counter()
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster, set_as_default=False) as client,  # type: ignore[no-untyped-call]
    ):
        # Workers import the solver on their first task: warm them so the start-up is counted apart.
        client.run(lambda: __import__("dromologio.planning.simulate"))
        startup_s = time.perf_counter() - started
        parallel = run_scenarios(
            problem, scenarios, settings, arrivals=arrivals, scheduler=client, progress=False
        )
    wall_s = time.perf_counter() - started
    rows.append(
        {
            **common,
            "mode": "dask-localcluster",
            "workers": args.workers,
            "wall_s": round(wall_s, 1),
            "startup_s": round(startup_s, 1),
            "run_s": round(wall_s - startup_s, 1),
            "solve_s": _solve_seconds(parallel),
            "speedup": round(serial_s / wall_s, 2),
            "served": _served(parallel),
            "load_before": round(load, 2),
            "load_after": round(os.getloadavg()[0], 2),
        }
    )
    verdict = "within" if wall_s <= TARGET_S else "over"
    print(
        f"LocalCluster ({args.workers} workers): {wall_s:.1f} s, of which start-up {startup_s:.1f} s; "
        f"speed-up {serial_s / wall_s:.2f} ({serial_s / (wall_s - startup_s):.2f} without start-up); "
        f"{verdict} the {TARGET_S:.0f} s target (load {load:.2f})"
    )

    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / "scenarios.csv"
    new = not path.exists()
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        if new:
            writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
