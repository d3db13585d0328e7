"""Islands and overtime: the sample's island tickets over one and five days, with and without overtime.

    python -m bench.islands_overtime [--limit 5] [--days 5]

Plans the embedded sample from its first day (Mon 23 Nov 2026) over one day and over
``--days`` working days, rolling (each day alone, a night only when tomorrow brings the
technician home) and in tours (nights chained over the horizon, home by the last day), once
with the sample's policy
(the shift end is hard) and once with an hour of overtime a day and three a week
(``overtime_max_min_per_day`` 60, ``overtime_max_min_per_week`` 180, 20 EUR an hour).
Reports island tickets served and left at the end, nights away (and the longest run of
nights in a row), overtime, cost and objective; every plan goes through the independent checker.  Writes
``bench/results/islands_overtime.csv`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import csv
import time
from dataclasses import replace
from pathlib import Path

from dromologio.dispatch import solve
from dromologio.dispatch.solve import Horizon
from dromologio.dispatch.triage import triage
from dromologio.models import Plan, Problem
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem
from dromologio.sample import SAMPLE_DATE, sample_data_dir

RESULTS = Path(__file__).resolve().parent / "results" / "islands_overtime.csv"


def with_overtime(problem: Problem) -> Problem:
    policy = replace(
        problem.policy, overtime_max_min_per_day=60, overtime_max_min_per_week=180, overtime_eur_per_hour=20.0
    )
    return problem.replace(policy=policy)


def longest_tour(plan: Plan) -> int:
    """The most nights in a row any technician spends away."""
    longest = 0
    for technician in {r.technician_id for r in plan.routes}:
        run = 0
        for route in sorted((r for r in plan.routes if r.technician_id == technician), key=lambda r: r.date):
            run = run + 1 if route.stops and route.stops[-1].lodging else 0
            longest = max(longest, run)
    return longest


def run(problem: Problem, label: str, days: int, limit: float, horizon: Horizon) -> dict[str, object]:
    started = time.perf_counter()
    result = solve(problem, SAMPLE_DATE, days=days, time_limit_s=limit, seed=1, horizon=horizon)
    wall = time.perf_counter() - started
    plan = result.plan
    report = check_plan(problem, plan.to_dict())
    island_tickets = {
        t.ticket_id for t in triage(problem.tickets).to_visit if problem.school_by_id[t.school_id].island
    }
    served = set(plan.visited_ticket_ids)
    return {
        "policy": label,
        "days": days,
        "horizon": horizon if days > 1 else "-",
        "time_limit_s": limit,
        "island_tickets": len(island_tickets),
        "island_served": len(island_tickets & served),
        "island_left": len(island_tickets - served),
        "visited": len(served),
        "to_visit": plan.kpis["to_visit"],
        "nights_away": plan.kpis["nights_away"],
        "longest_tour": longest_tour(plan),
        "overtime_min": plan.kpis.get("overtime_minutes", 0),
        "cost_eur": plan.kpis["cost_eur"],
        "objective_eur": plan.kpis["objective_eur"],
        "checker": "ok" if report.ok else ",".join(sorted(report.rules)),
        "wall_s": round(wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=float, default=5.0, help="solver seconds per day")
    parser.add_argument("--days", type=int, default=5)
    args = parser.parse_args()
    sample = read_problem(sample_data_dir())
    runs: list[tuple[int, Horizon]] = [(1, "rolling"), (args.days, "rolling"), (args.days, "tours")]
    rows = [
        run(problem, label, days, args.limit, horizon)
        for days, horizon in runs
        for label, problem in (("hard shift end", sample), ("overtime 60/180", with_overtime(sample)))
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")


if __name__ == "__main__":
    main()
