"""A national campaign end to end: N generated schools over W weeks by T teams.

Generates a region (``dromologio.sample.generate``: Epirus and the Cyclades, islands included)
with ``--schools`` schools and ``--teams`` technicians (all trained for the campaign's skill),
plans one visit to every school from ``--start`` for ``--weeks`` weeks
(:func:`dromologio.planning.campaign.plan_campaign`, one task per team on local processes or
``--scheduler``) and writes to ``--out``: ``campaign_<N>.json`` (summary, progress curve,
team-days), ``campaign_<N>_figures.json`` (time, peak memory of the process tree, days, cost)
and ``campaign_<N>_progress.png``.

    python -m bench.campaign                      # 2,000 schools, 8 weeks, 20 teams, 1 s per team-day
    python -m bench.campaign --schools 200 --weeks 2 --teams 4
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.scaling import TreeMemory
from dromologio.cli_campaign import write_progress_chart
from dromologio.dispatch import LocalExecutor
from dromologio.dispatch.executor import executor_for
from dromologio.models import Problem
from dromologio.models.readers import read_problem
from dromologio.planning.campaign import CampaignRequest, plan_campaign
from dromologio.sample.generate import generate_problem_files

RESULTS = Path(__file__).parent / "results"


def campaign_problem(schools: int, teams: int, skill: str, seed: int) -> Problem:
    """A generated region of ``schools`` schools and ``teams`` technicians, all with ``skill``."""
    with tempfile.TemporaryDirectory() as folder:
        generate_problem_files(
            Path(folder), num_tickets=0, num_technicians=teams, num_schools=schools, seed=seed
        )
        problem = read_problem(Path(folder))
    trained = tuple(replace(t, skills=t.skills | {skill}) for t in problem.technicians)
    return problem.replace(technicians=trained)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.campaign", description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2027, 1, 11))
    parser.add_argument("--minutes", type=int, default=60, help="minutes at each school")
    parser.add_argument("--skill", default="network")
    parser.add_argument("--time-limit", type=float, default=1.0, help="solver seconds per team-day at most")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scheduler", default="", help="local or tcp://host:8786 (default: local processes)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    problem = campaign_problem(args.schools, args.teams, args.skill, args.seed)
    request = CampaignRequest(
        school_ids=tuple(s.school_id for s in problem.schools),
        start=args.start,
        end=args.start + timedelta(weeks=args.weeks, days=-3),
        team_ids=tuple(t.technician_id for t in problem.technicians),
        skill=args.skill,
        service_minutes=args.minutes,
        label="network-check",
        time_limit_s=args.time_limit,
        seed=args.seed,
    )
    executor = executor_for(args.scheduler) if args.scheduler else LocalExecutor()

    def progress(done: int, total: int, schools_done: int) -> None:
        print(f"team {done}/{total}: {schools_done} schools planned", file=sys.stderr, flush=True)

    started = time.perf_counter()
    with TreeMemory() as memory:
        try:
            campaign = plan_campaign(problem, request, executor=executor, on_progress=progress)
        finally:
            executor.close()
    seconds = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"campaign_{args.schools}"
    (args.out / f"{stem}.json").write_text(
        json.dumps(campaign.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8"
    )
    chart = write_progress_chart(campaign, args.out / f"{stem}_progress.png")
    figures: dict[str, Any] = {
        **campaign.summary(),
        "seconds": round(seconds, 1),
        "peak_memory_mb": round(memory.peak_mb(), 0),
        "last_day_with_visits": max((d.date for d in campaign.days if d.school_ids), default=None),
        "executor": executor.description,
        "time_limit_s": args.time_limit,
        "minutes_per_school": args.minutes,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "load_1min_at_end": round(os.getloadavg()[0], 2),
        "date": date.today().isoformat(),
        "command": "python -m bench.campaign " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    (args.out / f"{stem}_figures.json").write_text(
        json.dumps(figures, indent=1, default=str, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(json.dumps(figures, indent=1, default=str, ensure_ascii=False))
    print(f"chart: {chart}")
    return 0 if not campaign.violations else 1


if __name__ == "__main__":
    raise SystemExit(main())
