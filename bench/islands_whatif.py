"""The 20-day what-if on the islands: each day ending at home, rolling, and tours over the horizon.

    python -m bench.islands_whatif [--days 20] [--time-limit 1] [--seed 1]

Simulates the baseline scenario of ``examples/scenarios.yaml`` (the sample, 30 new tickets a
weekday) once per way a day looks ahead (``SimulationSettings.horizon``): ``day`` (every day
ends at home: no nights away), ``rolling`` (a night only when tomorrow's sailings bring the
technician home) and ``tours`` (nights chained over the remaining days, home by a later one);
every daily plan goes through the independent checker.  ``--overtime 60`` runs the same with an
hour of overtime allowed a day; ``--crossing 120`` with two hours of a trip's crossings allowed
outside the shift (the evening boat to a lodging, the morning boat from one).  Reports, per day, the island
backlog (island tickets needing a visit still open at the end of the day) and, over the run,
the island technicians' utilisation ((work + travel) / shift) and nights away.  Writes
``bench/results/islands_whatif.csv`` and ``docs/scenarios/islands_tours.png`` and prints
markdown tables.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from dromologio.models import Problem
from dromologio.planning.scenarios import load_scenarios
from dromologio.planning.simulate import SimulationSettings, simulate
from dromologio.planning.simulate.records import SIMULATION_HORIZONS, ScenarioRun
from dromologio.sample import sample_data_dir

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "islands_whatif.csv"
CHART = ROOT / "docs" / "scenarios" / "islands_tours.png"


def island_backlog(run: ScenarioRun) -> list[int]:
    """Island tickets needing a visit, open at the end of each day of the run."""
    counts = []
    for day in run.horizon:
        counts.append(
            sum(
                1
                for t in run.tickets
                if t.area == "island"
                and t.triage == "visit"
                and t.first_planned <= day
                and (t.served_at is None or t.served_at.date() > day)
            )
        )
    return counts


def island_technicians(problem: Problem) -> list[str]:
    return [t.technician_id for t in problem.technicians if problem.base_of(t).island]


def utilisation(run: ScenarioRun, technician_id: str) -> float:
    shifts = [s for s in run.shifts if s.technician_id == technician_id]
    busy = sum(s.work_minutes + s.travel_minutes for s in shifts)
    return busy / max(1, sum(s.shift_minutes for s in shifts))


def nights_away(run: ScenarioRun) -> int:
    return sum(
        1
        for plan in run.plans
        for route in plan["routes"]
        if route["stops"] and route["stops"][-1].get("lodging")
    )


TITLE = "Νησιά: χωρίς διανυκτέρευση, κυλιόμενα, περιοδείες / islands: day, rolling, tours"


def chart(runs: dict[str, ScenarioRun], technicians: list[str], path: Path, title: str = TITLE) -> None:
    """The island backlog per day of each run, and each island technician's utilisation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (backlog, busy) = plt.subplots(1, 2, figsize=(11, 4))
    for name, run in runs.items():
        backlog.plot(range(1, len(run.horizon) + 1), island_backlog(run), marker="o", ms=3, label=name)
    backlog.set_xlabel("εργάσιμη ημέρα / working day")
    backlog.set_ylabel("ανοιχτά αιτήματα νησιών / island backlog")
    backlog.legend()
    width = 0.8 / len(runs)
    for k, (name, run) in enumerate(runs.items()):
        xs = [i + k * width for i in range(len(technicians))]
        busy.bar(xs, [100 * utilisation(run, t) for t in technicians], width, label=name)
    busy.set_xticks([i + width * (len(runs) - 1) / 2 for i in range(len(technicians))], technicians)
    busy.axhline(50, color="grey", lw=0.8, ls="--")
    busy.set_ylabel("αξιοποίηση / utilisation (%)")
    busy.legend()
    figure.suptitle(title)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--horizons", default=",".join(reversed(SIMULATION_HORIZONS)))
    parser.add_argument(
        "--overtime",
        type=int,
        default=0,
        help="overtime_max_min_per_day of the policy (default: the sample's 0)",
    )
    parser.add_argument(
        "--crossing",
        type=int,
        default=0,
        help="crossing_outside_shift_min of the policy: the evening boat to a lodging after the shift, "
        "the morning boat from it before (default: the sample's 0)",
    )
    parser.add_argument("--chart", type=Path, default=CHART)
    parser.add_argument("--csv", type=Path, default=RESULTS)
    args = parser.parse_args()
    scenario_set = load_scenarios(ROOT / "examples" / "scenarios.yaml", named={"sample": sample_data_dir()})
    problem = scenario_set.load_problem()
    if args.overtime:
        problem = problem.replace(policy=replace(problem.policy, overtime_max_min_per_day=args.overtime))
    if args.crossing:
        problem = problem.replace(policy=replace(problem.policy, crossing_outside_shift_min=args.crossing))
    baseline = scenario_set.scenarios[0]
    start: date | None = scenario_set.start
    runs: dict[str, ScenarioRun] = {}
    for horizon in args.horizons.split(","):
        settings = SimulationSettings(
            days=args.days,
            start=start,
            time_limit_s=args.time_limit,
            seed=args.seed,
            check=True,
            keep_plans=True,
            horizon=horizon,
        )
        started = time.perf_counter()
        runs[horizon] = simulate(problem, baseline, settings, arrivals=scenario_set.arrivals)
        print(f"{horizon}: {time.perf_counter() - started:.0f} s", flush=True)
    technicians = island_technicians(problem)
    write_backlog(args.csv, runs, "horizon")
    chart(runs, technicians, args.chart)
    names = list(runs)
    print("| day | " + " | ".join(names) + " |")
    print("|---:|" + "---:|" * len(names))
    backlogs = {h: island_backlog(r) for h, r in runs.items()}
    for k in range(args.days):
        print(f"| {k + 1} | " + " | ".join(str(backlogs[h][k]) for h in names) + " |")
    print()
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    print_run_rows(runs, technicians)


def write_backlog(path: Path, runs: dict[str, ScenarioRun], label: str) -> None:
    """The island backlog of each run per day, one CSV row each (``label`` names the runs' column)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([label, "day", "date", "island_backlog"])
        for name, run in runs.items():
            for number, (day, open_) in enumerate(zip(run.horizon, island_backlog(run), strict=True), 1):
                writer.writerow([name, number, day.isoformat(), open_])


def print_run_rows(runs: dict[str, ScenarioRun], technicians: list[str]) -> None:
    """Markdown rows, one column per run: utilisation per technician, island tickets served,
    nights away, cost, and the island tickets left at the end by reason."""
    names = list(runs)
    for technician in technicians:
        row = " | ".join(f"{100 * utilisation(runs[name], technician):.0f} %" for name in names)
        print(f"| {technician} | {row} |")
    print("| island tickets served | " + " | ".join(str(served(runs[name])) for name in names) + " |")
    print("| nights away | " + " | ".join(str(nights_away(runs[name])) for name in names) + " |")
    costs = (f"{sum(d.cost_eur for d in runs[name].days):,.0f}" for name in names)
    print("| cost (EUR) | " + " | ".join(costs) + " |")
    reasons = {name: left_by_reason(run) for name, run in runs.items()}
    for code in sorted(set().union(*reasons.values())):
        print(f"| left at the end, {code} | " + " | ".join(str(reasons[name][code]) for name in names) + " |")


def left_by_reason(run: ScenarioRun) -> Counter[str]:
    """The island tickets open after the last day, by the reason code of the last day's plan."""
    island = {t.ticket_id for t in run.tickets if t.area == "island"}
    return Counter(u["code"] for u in run.plans[-1]["unassigned"] if u["ticket_id"] in island)


def served(run: ScenarioRun) -> int:
    return sum(1 for t in run.tickets if t.area == "island" and t.served_at is not None)


if __name__ == "__main__":
    main()
