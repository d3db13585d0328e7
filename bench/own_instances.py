"""The product's own routing instances: the engine against PyVRP, side by side, same cores each.

Generated mainland days (Epirus schools and bases, no ferries) of 60 to 300 tickets go
through the product's own model (``dispatch.build.build_day``) with travel time,
workload balance and the per diem set to zero, so that PyVRP can express the very
same instance: skills, several depots, shifts, school hours, km caps, per-technician
km rates and the value of every ticket left undone.  Both solvers get one core and
the same budget; every solution is re-priced and checked by :func:`reprice` below,
which neither solver wrote (time windows, shifts, skills, km caps; cost = arc costs
of the instance + the drop value of every ticket left out).

    python -m bench.own_instances                  # 6 days x 5 s and 30 s, ~7 min
    python -m bench.own_instances --quick          # 3 days x 5 s, ~1 min
    python -m bench.own_instances --sizes 60,300 --budgets 5 --seeds 1,2

Writes ``bench/results/own_instances.csv`` and the "own instances" section of
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import numpy as np

from bench.report import RESULTS_DIR, code_version, machine, replace_section, versions
from dromologio.dispatch.instance import RoutingInstance

DAY = date(2026, 11, 24)
SIZES = (60, 120, 180, 240, 300, 300)
SOLVERS = ("dromologio", "ortools", "pyvrp")


def instance_for(tickets: int, seed: int, workdir: Path) -> RoutingInstance:
    """A generated mainland day as the product models it, with the terms PyVRP lacks set to zero."""
    from dromologio.dispatch.build import build_day
    from dromologio.dispatch.solve import default_travel_model
    from dromologio.dispatch.triage import triage
    from dromologio.models.readers import read_problem
    from dromologio.sample.generate import generate_problem_files

    folder = workdir / f"mainland_{tickets}_{seed}"
    if not folder.exists():
        generate_problem_files(
            folder, num_tickets=tickets, num_technicians=max(3, tickets // 12), seed=seed, islands=False
        )
    problem = read_problem(folder)
    policy = dataclasses.replace(
        problem.policy, time_value_eur_per_hour=0.0, balance_eur_per_hour=0.0, per_diem_eur=0.0
    )
    problem = dataclasses.replace(problem, policy=policy)
    return build_day(problem, triage(problem.tickets).to_visit, DAY, default_travel_model(problem)).instance


def reprice(instance: RoutingInstance, routes: Sequence[Sequence[int]]) -> int:
    """Cost of ``routes`` on ``instance`` after checking every rule; raises ValueError on a broken one."""
    seen: set[int] = set()
    total = 0
    transit = instance.transit_time()
    for vehicle, route in enumerate(routes):
        if not route:
            continue
        start, end = int(instance.vehicle_start[vehicle]), int(instance.vehicle_end[vehicle])
        path = [start, *route, end]
        at = int(instance.vehicle_windows[vehicle, 0])
        for previous, node in itertools.pairwise(path):
            if node in seen:
                raise ValueError(f"node {node} visited twice")
            allowed = instance.allowed_vehicles[node]
            if allowed is not None and vehicle not in allowed:
                raise ValueError(f"vehicle {vehicle} may not visit node {node}")
            at = max(at + int(transit[previous, node]), int(instance.time_windows[node, 0]))
            if node != end and at > instance.time_windows[node, 1]:
                raise ValueError(f"node {node} served at {at}, after its window")
            if node != end:
                seen.add(node)
        if at > instance.vehicle_windows[vehicle, 1]:
            raise ValueError(f"vehicle {vehicle} back at {at}, after its shift")
        distance = int(np.sum(instance.distance[path[:-1], path[1:]]))
        cap = int(instance.vehicle_max_distance[vehicle])
        if 0 <= cap < distance:
            raise ValueError(f"vehicle {vehicle} drives {distance} over its cap {cap}")
        arcs = instance.arc_cost(
            float(instance.vehicle_distance_cost[vehicle]), float(instance.vehicle_time_cost[vehicle])
        )
        total += int(np.sum(arcs[path[:-1], path[1:]]))
    for node in instance.visit_nodes:
        if node not in seen:
            if instance.drop_penalty[node] < 0:
                raise ValueError(f"required node {node} left out")
            total += int(instance.drop_penalty[node])
    return total


def run_solver(solver: str, instance: RoutingInstance, budget_s: float, seed: int) -> list[list[int]]:
    if solver == "pyvrp":
        from dromologio.dispatch.pyvrp_search import search_routes

        return search_routes(instance, time_limit_s=budget_s, seed=seed) or []
    from dromologio.dispatch.engine import solve_instance
    from dromologio.dispatch.params import SearchParams

    params = SearchParams(num_workers=1)
    if solver == "ortools":
        params = dataclasses.replace(params, use_pyvrp=False)
    solution = solve_instance(instance, time_limit_s=budget_s, seed=seed, params=params)
    return [list(r) for r in solution.routes]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="3 days at 5 s")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--budgets", default="5,30")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--solvers", default=",".join(SOLVERS))
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args(argv)
    sizes = [60, 180, 300] if args.quick else [int(s) for s in args.sizes.split(",")]
    budgets = [5.0] if args.quick else [float(b) for b in args.budgets.split(",")]
    seeds = [int(s) for s in args.seeds.split(",")]
    solvers = args.solvers.split(",")
    rows: list[dict[str, object]] = []
    started = datetime.now()
    with tempfile.TemporaryDirectory(prefix="dromologio-own-") as temp:
        for number, size in enumerate(sizes):
            instance = instance_for(size, 100 + number, Path(temp))
            for budget in budgets:
                for seed in seeds:
                    for solver in solvers:
                        clock = time.perf_counter()
                        routes = run_solver(solver, instance, budget, seed)
                        wall = time.perf_counter() - clock
                        cost = reprice(instance, routes)
                        row = {
                            "day": f"mainland_{size}_{100 + number}",
                            "visits": len(instance.visit_nodes),
                            "technicians": instance.num_vehicles,
                            "budget_s": budget,
                            "seed": seed,
                            "solver": solver,
                            "objective_eur": round(cost / 10_000, 2),
                            "served": sum(len(r) for r in routes),
                            "wall_s": round(wall, 2),
                        }
                        rows.append(row)
                        print(row, flush=True)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "own_instances.csv"
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    table = summary(rows, budgets, solvers)
    print(table)
    if not args.no_doc:
        replace_section(
            "own_instances",
            "\n".join(
                [
                    "## The product's own instances against PyVRP",
                    "",
                    f"- Run: {started:%Y-%m-%d %H:%M}, {machine()}",
                    f"- Code: {code_version()}; {versions(['ortools', 'pyvrp'])}",
                    f"- Command: `python -m bench.own_instances {' '.join(argv or [])}`".rstrip(),
                    "- Each solver one process, one core; objective re-priced and checked by "
                    "`bench.own_instances.reprice` (arc costs + value of tickets left undone, EUR).",
                    "- `dromologio` = the product engine (PyVRP search, then OR-Tools on the exact model); "
                    "`ortools` = the OR-Tools search alone; `pyvrp` = PyVRP alone on the same instance.",
                    "",
                    table,
                ]
            ),
        )
    return 0


def summary(rows: Sequence[dict[str, object]], budgets: Sequence[float], solvers: Sequence[str]) -> str:
    """Per budget: mean objective per solver and each solver's mean gap to PyVRP."""
    lines = [
        "| budget | " + " | ".join(solvers) + " | " + " | ".join(f"{s} vs pyvrp" for s in solvers) + " |"
    ]
    lines.append("|" + "---|" * (1 + 2 * len(solvers)))
    for budget in budgets:
        chosen = [r for r in rows if r["budget_s"] == budget]
        means = []
        gaps = []
        for solver in solvers:
            values = [float(str(r["objective_eur"])) for r in chosen if r["solver"] == solver]
            means.append(f"{statistics.fmean(values):,.1f} €" if values else "")
            pairs = [
                (float(str(a["objective_eur"])), float(str(b["objective_eur"])))
                for a in chosen
                for b in chosen
                if a["solver"] == solver
                and b["solver"] == "pyvrp"
                and a["day"] == b["day"]
                and a["seed"] == b["seed"]
            ]
            gaps.append(f"{statistics.fmean(100 * (x - y) / y for x, y in pairs):+.2f} %" if pairs else "")
        lines.append(f"| {budget:g} s | " + " | ".join(means) + " | " + " | ".join(gaps) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
