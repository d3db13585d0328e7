"""The 20-day island what-if with a trip's crossings outside the shift, and with the skills the islands ask for.

    python -m bench.islands_crossing [--days 20] [--time-limit 1] [--seed 1] [--crossing 120]

Simulates the baseline scenario of ``examples/scenarios.yaml`` (the sample, 30 new tickets a
weekday) in tours over the horizon, every daily plan checked, three ways:

- ``within the shift``: the sample's policy (every crossing inside the shift);
- ``crossings outside``: ``crossing_outside_shift_min`` = ``--crossing`` (the evening boat to a
  night's lodging may land after the shift, the morning boat from it leave before);
- ``+ skills on Naxos``: the same, and the Naxos technician T09 also has ``ltsp`` and ``linux``
  (the skills most island tickets left open ask for, which only the Syros technicians have).

Reports the island backlog per day, the island technicians' utilisation ((work + travel) /
shift), island tickets served, nights away and cost.  Writes ``bench/results/islands_crossing.csv``
and ``docs/scenarios/islands_crossing.png`` and prints markdown tables.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from dromologio.models import Problem
from dromologio.planning.scenarios import load_scenarios
from dromologio.planning.simulate import SimulationSettings, simulate
from dromologio.planning.simulate.records import ScenarioRun
from dromologio.sample import sample_data_dir

from .islands_whatif import (
    chart,
    island_backlog,
    island_technicians,
    print_run_rows,
    write_backlog,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "islands_crossing.csv"
CHART = ROOT / "docs" / "scenarios" / "islands_crossing.png"
NAXOS_TECHNICIAN = "T09"
ISLAND_SKILLS = frozenset({"ltsp", "linux"})
TITLE = "Νησιά: διάπλους εκτός βάρδιας / islands: crossings outside the shift (tours over the horizon)"


def variants(problem: Problem, crossing_min: int) -> dict[str, Problem]:
    """The sample's policy, crossings outside the shift, and those with the skills on Naxos."""
    outside = problem.replace(policy=replace(problem.policy, crossing_outside_shift_min=crossing_min))
    skilled = tuple(
        replace(t, skills=t.skills | ISLAND_SKILLS) if t.technician_id == NAXOS_TECHNICIAN else t
        for t in outside.technicians
    )
    return {
        "within the shift": problem,
        "crossings outside": outside,
        "+ skills on Naxos": outside.replace(technicians=skilled),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--crossing", type=int, default=120, help="crossing_outside_shift_min (default 120)")
    parser.add_argument("--chart", type=Path, default=CHART)
    parser.add_argument("--csv", type=Path, default=RESULTS)
    args = parser.parse_args()
    scenario_set = load_scenarios(ROOT / "examples" / "scenarios.yaml", named={"sample": sample_data_dir()})
    problem = scenario_set.load_problem()
    settings = SimulationSettings(
        days=args.days,
        start=scenario_set.start,
        time_limit_s=args.time_limit,
        seed=args.seed,
        check=True,
        keep_plans=True,
        horizon="tours",
    )
    runs: dict[str, ScenarioRun] = {}
    for name, varied in variants(problem, args.crossing).items():
        started = time.perf_counter()
        runs[name] = simulate(varied, scenario_set.scenarios[0], settings, arrivals=scenario_set.arrivals)
        print(f"{name}: {time.perf_counter() - started:.0f} s", flush=True)
    technicians = island_technicians(problem)
    write_backlog(args.csv, runs, "variant")
    chart(runs, technicians, args.chart, TITLE)
    names = list(runs)
    backlogs = {name: island_backlog(run) for name, run in runs.items()}
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    marks = sorted({d for d in (5, 10, 15, 20, 25, 30) if d <= args.days} | {args.days})
    cells = [" / ".join(str(backlogs[name][d - 1]) for d in marks) for name in names]
    print(f"| island backlog after day {' / '.join(map(str, marks))} | " + " | ".join(cells) + " |")
    last_week = [max(backlogs[name][-5:]) - min(backlogs[name][-5:]) for name in names]
    print("| spread over the last 5 days | " + " | ".join(map(str, last_week)) + " |")
    print_run_rows(runs, technicians)


if __name__ == "__main__":
    main()
