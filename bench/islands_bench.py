"""Islands: the sample solved at several time limits, and model size against timetable size.

    python -m bench.islands_bench [--limits 1,5,15] [--scales 1,2,4] [--days 2]

Part 1 plans the embedded sample (Epirus and the Cyclades) over ``--days`` working
days at each time limit and reports the objective, tickets visited, sailings
taken and nights away; every plan is checked by the independent checker.
Part 2 thickens the sample's timetable (each sailing repeated ``scale`` times,
shifted by 40 minutes each time) and reports how many sailing nodes the model
copies per technician, the model's size, build time and the objective at 5 s.
Writes ``bench/results/islands.csv`` and prints markdown tables.
"""

from __future__ import annotations

import argparse
import csv
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from dromologio.dispatch import solve
from dromologio.dispatch.build import build_day
from dromologio.dispatch.solve import default_travel_model
from dromologio.dispatch.triage import triage
from dromologio.models import Problem, Sailing
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem
from dromologio.sample import SAMPLE_DATE, sample_data_dir

RESULTS = Path(__file__).resolve().parent / "results" / "islands.csv"


def thicken(problem: Problem, scale: int) -> Problem:
    """Each sailing ``scale`` times, 40 minutes apart (within the day)."""
    sailings: list[Sailing] = []
    for sailing in problem.sailings:
        for k in range(scale):
            depart = sailing.depart_min + 40 * k
            if depart + sailing.duration_min < 24 * 60:
                sailings.append(replace(sailing, depart_min=depart))
    return problem.replace(sailings=tuple(sailings))


def part_one(problem: Problem, limits: list[float], days: int, day: date) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for limit in limits:
        started = time.perf_counter()
        result = solve(problem, day, days=days, time_limit_s=limit, seed=1)
        wall = time.perf_counter() - started
        report = check_plan(problem, result.plan.to_dict())
        routes = result.plan.routes
        rows.append(
            {
                "part": "sample",
                "days": days,
                "time_limit_s": limit,
                "scale": 1,
                "wall_s": round(wall, 2),
                "objective_eur": result.plan.kpis["objective_eur"],
                "visited": result.plan.kpis["visited"],
                "to_visit": result.plan.kpis["to_visit"],
                "sailings_taken": sum(1 for r in routes for s in r.stops if s.type == "ferry"),
                "nights_away": result.plan.kpis["nights_away"],
                "cost_eur": result.plan.kpis["cost_eur"],
                "checker_ok": report.ok,
            }
        )
        print(rows[-1])
    return rows


def part_two(problem: Problem, scales: list[int], day: date) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    tickets = triage(problem.tickets).to_visit
    travel = default_travel_model(problem)
    island_technicians = sum(1 for t in problem.technicians if problem.base_of(t).island)
    for scale in scales:
        variant = thicken(problem, scale)
        started = time.perf_counter()
        model = build_day(variant, tickets, day, travel)
        build_s = time.perf_counter() - started
        result = solve(variant, day, time_limit_s=5.0, seed=1)
        rows.append(
            {
                "part": "timetable",
                "days": 1,
                "time_limit_s": 5.0,
                "scale": scale,
                "sailings": len(variant.sailings),
                "sailing_nodes": model.num_sailing_nodes,
                "sailing_nodes_per_island_technician": round(
                    model.num_sailing_nodes / max(1, island_technicians), 1
                ),
                "nodes": model.instance.num_nodes,
                "build_s": round(build_s, 3),
                "objective_eur": result.plan.kpis["objective_eur"],
                "visited": result.plan.kpis["visited"],
                "sailings_taken": sum(1 for r in result.plan.routes for s in r.stops if s.type == "ferry"),
                "checker_ok": check_plan(variant, result.plan.to_dict()).ok,
            }
        )
        print(rows[-1])
    return rows


def markdown(rows: list[dict[str, object]]) -> str:
    if not rows:
        return ""
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limits", default="1,5,15")
    parser.add_argument("--scales", default="1,2,4")
    parser.add_argument("--days", type=int, default=2)
    args = parser.parse_args()
    problem = read_problem(sample_data_dir())
    first = part_one(problem, [float(x) for x in args.limits.split(",")], args.days, SAMPLE_DATE)
    second = part_two(problem, [int(x) for x in args.scales.split(",")], date(2026, 11, 24))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    columns = sorted({k for row in first + second for k in row})
    with RESULTS.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(first + second)
    print(markdown(first))
    print()
    print(markdown(second))
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
