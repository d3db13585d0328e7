"""Re-planning a 300-ticket day from now, at the default 5 s limit.

    python -m bench.replan_300 [--tickets 300] [--technicians 25] [--time-limit 5] [--now 11:00]

A generated problem (``generate_problem_files``, seed 1, mainland and islands) is planned for
2026-11-23 (the morning's published plan, same time limit).  At ``--now`` every visit planned
to end by then is done and the one under way is started; an urgent ticket opens at the
school of the first visit not yet begun.  The day is then re-planned from now with
:func:`dromologio.dispatch.solve` and its live state, as ``POST /plans/{id}/urgent`` does.

Reports the re-plan's answer time (the whole call: building the live state, the model, the
search and the splice), how many visits changed technician (``moved``), were dropped, or are
new, and the independent checker's verdict.  Writes ``bench/results/replan_300.json`` and the
``replan-300`` section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from bench.report import (
    RESULTS_DIR,
    code_version,
    command_line,
    machine,
    markdown_table,
    now,
    replace_section,
)
from dromologio.dispatch import SearchParams, solve
from dromologio.dispatch.live import changes, live_from_plan
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem
from dromologio.sample.generate import generate_problem_files

PLAN_DATE = date(2026, 11, 23)
SEED = 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--technicians", type=int, default=25)
    parser.add_argument("--time-limit", type=float, default=5.0, help="seconds, for the plan and the re-plan")
    parser.add_argument("--now", default="11:00", help="when the urgent ticket comes in (HH:MM)")
    args = parser.parse_args()
    at = datetime.combine(PLAN_DATE, datetime.strptime(args.now, "%H:%M").time())
    params = SearchParams(num_workers=1)

    with tempfile.TemporaryDirectory() as folder:
        generate_problem_files(
            Path(folder),
            num_tickets=args.tickets,
            num_technicians=args.technicians,
            seed=SEED,
            plan_date=PLAN_DATE,
        )
        problem = read_problem(Path(folder))
    began = time.perf_counter()
    published = solve(problem, PLAN_DATE, time_limit_s=args.time_limit, seed=SEED, params=params).plan
    plan_s = time.perf_counter() - began

    done: set[str] = set()
    started: dict[str, datetime | None] = {}
    next_school = None
    for route in published.routes:
        for stop in route.visits:
            assert stop.start is not None and stop.end is not None
            if stop.end <= at:
                done.update(stop.ticket_ids)
            elif stop.start <= at:
                started.update({t: stop.start for t in stop.ticket_ids})
            elif next_school is None:
                next_school = stop.school_id
    template = next(t for t in problem.tickets if t.school_id == next_school)
    urgent = dataclasses.replace(
        template, ticket_id="U-BENCH-001", priority="urgent", opened_at=at, service_minutes=30, due_by=None
    )
    today = problem.replace(
        tickets=(*(t for t in problem.tickets if t.ticket_id not in done), urgent),
    )

    began = time.perf_counter()
    live = live_from_plan(today, published, at, done=done, started=started)
    result = solve(today, PLAN_DATE, time_limit_s=args.time_limit, seed=SEED, params=params, live=live)
    replan_s = time.perf_counter() - began
    replanned = result.plan
    moved = changes(live.previous, replanned, live.frozen())
    report = check_plan(today, replanned)
    visits_before = sum(len(r.ticket_ids) for r in published.routes) - len(done)
    figures = {
        "date": now(),
        "command": command_line("bench.replan_300"),
        "code": code_version(),
        "machine": machine(),
        "load_average": os.getloadavg()[0],
        "tickets": args.tickets,
        "technicians": args.technicians,
        "time_limit_s": args.time_limit,
        "now": at.isoformat(timespec="minutes"),
        "plan_s": round(plan_s, 2),
        "replan_s": round(replan_s, 2),
        "visits_done": len(done),
        "visits_started": len(started),
        "visits_left": visits_before,
        "moved_to_another_technician": sum(len(c.moved_in) for c in moved),
        "dropped": sum(len(c.moved_out) for c in moved) - sum(len(c.moved_in) for c in moved),
        "new": sum(len(c.new) for c in moved),
        "check_ok": report.ok,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "replan_300.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    rows = [
        ("tickets / technicians", f"{args.tickets} / {args.technicians}"),
        ("time limit (plan and re-plan)", f"{args.time_limit:g} s"),
        ("morning plan solved in", f"{plan_s:.1f} s"),
        (f"at {args.now}: visits done / started / left", f"{len(done)} / {len(started)} / {visits_before}"),
        ("**re-plan answered in**", f"**{replan_s:.1f} s**"),
        ("visits moved to another technician", figures["moved_to_another_technician"]),
        ("visits dropped (unassigned)", figures["dropped"]),
        ("new visits (the urgent ticket, tickets unassigned this morning)", figures["new"]),
        ("independent checker", "ok" if report.ok else f"{len(report.violations)} violations"),
    ]
    body = (
        f"Run {figures['date']} on {figures['machine']} (load average {figures['load_average']:.1f}; "
        f"code {figures['code']}):\n\n    {figures['command']}\n\n"
        + markdown_table(("", "value"), rows, right=(False, True))
    )
    replace_section("replan-300", "## Re-planning a 300-ticket day from now\n\n" + body)
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
