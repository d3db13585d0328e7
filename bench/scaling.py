"""End-to-end scaling of the product on generated regional problems.

    python -m bench.scaling [--sizes 300,1000,3000] [--budgets 5,30,60] [--quick] [--max-memory-mb 8000]
    python -m bench.scaling --quick --compare legacy,default --seeds 1,2,3

For each size N a problem folder is generated (``generate_problem_files``, N tickets,
``max(6, round(N / 12))`` technicians, seed 1).  A fresh Python process then reads it with
``read_problem`` and plans 2026-11-23 with ``dromologio.dispatch.solve`` ONCE, with the largest
budget as time limit; the objective at each smaller budget is read from the engine's history of
improving solutions (the best objective found by then).  The same process reports the time to the
first plan and the peak memory of it and its search workers (:class:`TreeMemory`), so sizes do
not share memory or warm caches, and runs the independent checker on the plan.  Days above
``SearchParams.decompose_above_visits`` visits are solved in parts (:mod:`dromologio.dispatch.decompose`).
A run whose process tree goes over ``--max-memory-mb`` is stopped and reported as such.

Writes ``bench/results/scaling.csv`` (one row per size and budget), ``scaling_history.csv``
(every improving solution), ``scaling.png`` (objective against time, when matplotlib is installed),
``scaling_growth.png`` (time to the first plan and peak memory against tickets) and the scaling
section of ``docs/benchmarks.md`` (with the machine's load average beside the figures).

``--compare`` runs named search settings of :mod:`bench.configs` side by side instead (each size,
seed and setting in its own process, interleaved so that they share the machine's load) and writes
``scaling_configs.csv`` and the ``scaling-configs`` section of ``docs/benchmarks.md``: the objective
at each budget, median over the seeds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

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

PLAN_DATE = date(2026, 11, 23)
#: exit status of a worker stopped for going over the memory limit.
OVER_MEMORY_EXIT = 3
SEED = 1
#: what the product promises (issue "Scale"): tickets -> (first plan within s, peak memory within MB).
TARGETS: dict[int, tuple[float | None, float]] = {3000: (60.0, 4000.0), 1000: (None, 1000.0)}
#: a run whose process tree goes over this is stopped (the machine is shared).
MAX_MEMORY_MB = 8000.0

SCALING_FIELDS = (
    "tickets",
    "technicians",
    "to_visit",
    "budget_s",
    "objective_eur",
    "above_final_pct",
    "first_plan_s",
    "first_solution_s",
    "first_objective_eur",
    "read_s",
    "peak_rss_mb",
    "baseline_rss_mb",
    "visited",
    "unassigned",
    "technicians_used",
    "distance_km",
    "solve_wall_s",
    "status",
    "checker_ok",
    "load_1min",
)


def technicians_for(tickets: int) -> int:
    return max(6, round(tickets / 12))


def _rss_mb(kib: int) -> float:
    """``ru_maxrss`` is in KiB on Linux (bytes on macOS)."""
    return kib * (1 if sys.platform == "darwin" else 1024) / 1e6


class TreeMemory:
    """Peak memory of this process and its descendants together (search workers, forkserver).

    Samples the proportional set size (PSS: shared pages split between the processes sharing
    them, so forked workers are not counted twice) of the whole process tree every
    ``interval_s`` in a thread.  Needs psutil (the bench extra); without it, the peak is
    ``getrusage``'s of this process and its largest waited-for child.
    """

    def __init__(self, interval_s: float = 0.2, limit_mb: float | None = None) -> None:
        self.interval_s = interval_s
        self.limit_bytes = None if limit_mb is None else limit_mb * 1e6
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="tree-memory", daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        me = psutil.Process()
        while True:
            total = 0
            for process in (me, *me.children(recursive=True)):
                try:
                    total += process.memory_full_info().pss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self.peak_bytes = max(self.peak_bytes, total)
            if self.limit_bytes is not None and total > self.limit_bytes:
                print(f"over the memory limit: {total / 1e6:.0f} MB", file=sys.stderr, flush=True)
                for process in me.children(recursive=True):
                    process.kill()
                os._exit(OVER_MEMORY_EXIT)
            if self._stop.wait(self.interval_s):
                return

    def peak_mb(self) -> float:
        usage = max(
            _rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            _rss_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss),
        )
        return max(usage, self.peak_bytes / 1e6)


# --------------------------------------------------------------------------- worker (fresh process)


def worker(
    problem_dir: Path, time_limit_s: float, seed: int, config: str = "default", limit_mb: float | None = None
) -> dict[str, Any]:
    """Read and solve one problem in this process; return times, history and peak memory."""
    from bench.configs import config as named_config
    from dromologio.dispatch import solve
    from dromologio.dispatch.build import COST_UNITS_PER_EUR
    from dromologio.models.checker import check_plan
    from dromologio.models.readers import read_problem

    baseline = _rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    started = time.perf_counter()
    problem = read_problem(problem_dir)
    read_s = time.perf_counter() - started

    plans: list[float] = []
    with TreeMemory(limit_mb=limit_mb) as memory:
        call = time.perf_counter()
        result = solve(
            problem,
            PLAN_DATE,
            time_limit_s=time_limit_s,
            seed=seed,
            params=named_config(config),
            on_solution=lambda _t, _o: plans.append(time.perf_counter() - call),
        )
        solve_wall_s = time.perf_counter() - call
    kpis = result.plan.kpis
    report = check_plan(problem, result.plan.to_dict())
    return {
        "checker_ok": report.ok,
        "violations": [str(v) for v in report.violations[:5]],
        "load_1min": os.getloadavg()[0],
        "tickets": len(problem.tickets),
        "technicians": len(problem.technicians),
        "to_visit": kpis["to_visit"],
        "visited": kpis["visited"],
        "unassigned": kpis["unassigned"],
        "technicians_used": kpis["technicians_used"],
        "distance_km": kpis["distance_km"],
        "status": result.solution.status,
        "read_s": read_s,
        "first_plan_s": plans[0] if plans else None,
        "first_solution_s": result.solution.first_solution_seconds,
        "solve_wall_s": solve_wall_s,
        "history": [(t, o / COST_UNITS_PER_EUR) for t, o in result.solution.history],
        "peak_rss_mb": memory.peak_mb(),
        "baseline_rss_mb": baseline,
    }


# --------------------------------------------------------------------------- driver


def generate(target: Path, tickets: int, seed: int) -> Path:
    from dromologio.sample.generate import generate_problem_files

    return generate_problem_files(
        target, num_tickets=tickets, num_technicians=technicians_for(tickets), seed=seed
    )


def run_size(
    tickets: int,
    max_budget: float,
    seed: int,
    workdir: Path,
    config: str = "default",
    limit_mb: float = MAX_MEMORY_MB,
) -> dict[str, Any]:
    problem_dir = workdir / f"problem_{tickets}"
    if not problem_dir.exists():
        generate(problem_dir, tickets, SEED)
    out = workdir / f"result_{tickets}_{config}_{seed}.json"
    command = [
        sys.executable,
        "-m",
        "bench.scaling",
        "--worker",
        str(problem_dir),
        "--time-limit",
        str(max_budget),
        "--seed",
        str(seed),
        "--config",
        config,
        "--out",
        str(out),
        "--max-memory-mb",
        str(limit_mb),
    ]
    completed = subprocess.run(command, timeout=2 * max_budget + 600, capture_output=True, text=True)
    if completed.returncode == OVER_MEMORY_EXIT:
        return over_memory(tickets, limit_mb)
    if completed.returncode != 0:
        raise RuntimeError(f"size {tickets} failed:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def over_memory(tickets: int, limit_mb: float) -> dict[str, Any]:
    """The result of a run stopped for going over the memory limit."""
    return {
        "tickets": tickets,
        "technicians": technicians_for(tickets),
        "to_visit": "",
        "visited": "",
        "unassigned": "",
        "technicians_used": "",
        "distance_km": "",
        "status": f"stopped over {limit_mb:.0f} MB",
        "read_s": None,
        "first_plan_s": None,
        "first_solution_s": None,
        "solve_wall_s": None,
        "history": [],
        "peak_rss_mb": limit_mb,
        "baseline_rss_mb": 0.0,
        "checker_ok": False,
        "violations": [],
        "load_1min": os.getloadavg()[0],
    }


def best_by(history: Sequence[Sequence[float]], seconds: float) -> float | None:
    """Best objective found within ``seconds`` (history holds only improving solutions)."""
    found = [o for t, o in history if t <= seconds]
    return found[-1] if found else None


def rows_for(result: dict[str, Any], budgets: Sequence[float]) -> list[dict[str, object]]:
    history = result["history"]
    final = history[-1][1] if history else None
    rows: list[dict[str, object]] = []
    for budget in budgets:
        objective = best_by(history, budget)
        rows.append(
            {
                "tickets": result["tickets"],
                "technicians": result["technicians"],
                "to_visit": result["to_visit"],
                "budget_s": f"{budget:g}",
                "objective_eur": f"{objective:.2f}" if objective is not None else "",
                "above_final_pct": (
                    f"{100 * (objective - final) / final:.2f}" if objective is not None and final else ""
                ),
                "first_plan_s": _fmt(result["first_plan_s"], 3),
                "first_solution_s": _fmt(result["first_solution_s"], 3),
                "first_objective_eur": f"{history[0][1]:.2f}" if history else "",
                "read_s": _fmt(result["read_s"], 3),
                "peak_rss_mb": _fmt(result["peak_rss_mb"], 1),
                "baseline_rss_mb": _fmt(result["baseline_rss_mb"], 1),
                "visited": result["visited"],
                "unassigned": result["unassigned"],
                "technicians_used": result["technicians_used"],
                "distance_km": result["distance_km"],
                "solve_wall_s": _fmt(result["solve_wall_s"], 2),
                "status": result["status"],
                "checker_ok": result["checker_ok"],
                "load_1min": f"{result['load_1min']:.2f}",
            }
        )
    return rows


def _fmt(value: float | None, digits: int, missing: str = "") -> str:
    return missing if value is None else f"{value:.{digits}f}"


def plot(results: Sequence[dict[str, Any]], budgets: Sequence[float], path: Path) -> bool:
    """Best objective against time, one panel per size.  False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    count = len(results)
    cols = min(count, 3)
    rows = (count + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    for ax, result in zip(axes.flat, results, strict=False):
        history = result["history"]
        if history:
            times = [max(t, 1e-3) for t, _ in history] + [max(budgets)]
            values = [o for _, o in history] + [history[-1][1]]
            ax.step(times, values, where="post", color="tab:blue")
            ax.plot(times[:-1], values[:-1], ".", color="tab:blue", markersize=3)
        for budget in budgets:
            ax.axvline(budget, color="grey", linestyle=":", linewidth=0.8)
        ax.set_xscale("log")
        ax.set_title(f"{result['tickets']} tickets, {result['technicians']} technicians", fontsize=9)
        ax.set_xlabel("seconds (engine clock)", fontsize=8)
        ax.set_ylabel("objective (EUR, penalties included)", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[count:]:
        ax.set_visible(False)
    fig.suptitle(f"Best plan objective over time (seed {SEED}, plan date {PLAN_DATE})", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def plot_growth(results: Sequence[dict[str, Any]], path: Path) -> bool:
    """Time to the first plan and peak memory against tickets (log scale).  False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sizes = [int(r["tickets"]) for r in results]
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.4, 3.2))
    firsts = [(n, r["first_plan_s"]) for n, r in zip(sizes, results, strict=True) if r["first_plan_s"]]
    if firsts:
        left.plot(*zip(*firsts, strict=True), "o-", color="tab:blue")
    right.plot(sizes, [r["peak_rss_mb"] for r in results], "o-", color="tab:red")
    for tickets, (first_target, memory_target) in TARGETS.items():
        if first_target is not None:
            left.plot([tickets], [first_target], "v", color="grey")
        right.plot([tickets], [memory_target], "v", color="grey")
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    for ax, label in ((left, "first plan (s)"), (right, "peak memory (MB)")):
        ax.set_xscale("log")
        ax.set_xticks(sizes)
        ax.xaxis.set_major_formatter(ScalarFormatter())
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_ylim(bottom=0)
        ax.set_xlabel("tickets", fontsize=8)
        ax.set_ylabel(label, fontsize=8)
        ax.tick_params(labelsize=7)
    fig.suptitle("Growth with the size of the day (grey triangles: targets)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def doc_section(
    results: Sequence[dict[str, Any]], budgets: Sequence[float], command: str, plotted: bool, total_s: float
) -> str:
    header = [
        "tickets",
        "technicians",
        "to visit",
        "first plan (s)",
        "engine first solution (s)",
        "first plan objective (EUR)",
        "read (s)",
        "peak memory (MB)",
        *[f"objective @ {b:g} s (EUR)" for b in budgets],
        "visited / unassigned at the end",
        "checker",
        "load (1 min)",
    ]
    rows = []
    for r in results:
        history = r["history"]
        objectives = []
        for b in budgets:
            value = best_by(history, b)
            objectives.append(f"{value:,.2f}" if value is not None else "none yet")
        rows.append(
            [
                r["tickets"],
                r["technicians"],
                r["to_visit"],
                _fmt(r["first_plan_s"], 2),
                _fmt(r["first_solution_s"], 2),
                f"{history[0][1]:,.2f}" if history else "none",
                _fmt(r["read_s"], 2),
                _fmt(r["peak_rss_mb"], 0),
                *objectives,
                f"{r['visited']} / {r['unassigned']}",
                "ok" if r["checker_ok"] else "violations",
                f"{r['load_1min']:.2f}",
            ]
        )
    checks = []
    for r in results:
        target = TARGETS.get(int(r["tickets"]))
        if target is None:
            continue
        first_target, memory_target = target
        first = r["first_plan_s"]
        if first_target is not None:
            verdict = "met" if first is not None and first < first_target else "NOT met"
            checks.append(
                f"- First plan under {first_target:g} s at {r['tickets']} tickets: **{verdict}** "
                f"({_fmt(first, 1, 'none')} s from the call of `solve`, problem already read)."
            )
        verdict = "met" if r["peak_rss_mb"] < memory_target else "NOT met"
        checks.append(
            f"- Peak memory under {memory_target:g} MB at {r['tickets']} tickets: **{verdict}** "
            f"({r['peak_rss_mb']:.0f} MB; a bare process with the product imported holds "
            f"{r['baseline_rss_mb']:.0f} MB)."
        )
    failed = [str(r["tickets"]) for r in results if not r["checker_ok"]]
    checks.append(
        "- Every plan passes the independent checker: "
        + ("**yes**." if not failed else f"**NO** (tickets {', '.join(failed)}).")
    )
    parts = [
        "## End-to-end scaling on generated problems",
        "",
        f"- Date: {now()}",
        f"- Machine: {machine()}",
        f"- Versions: {versions(['dromologio', 'ortools'])}",
        f"- Code: {code_version()}",
        f"- Command: `{command}` ({total_s / 60:.1f} min)",
        f"- Problems: `generate_problem_files(num_tickets=N, num_technicians=max(6, round(N/12)), seed={SEED})`, "
        f"read with `read_problem`, planned for {PLAN_DATE} by `dromologio.dispatch.solve(..., "
        f"time_limit_s={max(budgets):g}, seed={SEED})` with the default policy and search, once per size in a "
        "fresh process.",
        "- *first plan*: from the call of `solve` (triage, travel matrices and model building included) to the "
        "first complete plan; *engine first solution*: the same on the engine's clock (`history[0][0]`). "
        "*objective @ b s*: the best objective the engine had found after b s of its own clock (one run, read "
        "from its history), costs plus penalties of unvisited tickets. *peak memory*: the most memory the process "
        "that read and solved the problem and its search workers held at once (proportional set size of the "
        "process tree, sampled every 0.2 s; at least the resident peak of the process itself).",
        "- *visited / unassigned*: tickets planned for the day against tickets left for later days (their "
        "penalties are part of the objective); with about one technician per 12 tickets most tickets cannot "
        "fit in one day, so the objective is dominated by those penalties.",
        "",
        markdown_table(header, rows, [True] * (len(header) - 3) + [False, False, True]),
        "",
        *checks,
    ]
    if plotted:
        parts += [
            "",
            "![time to the first plan and peak memory against tickets](../bench/results/scaling_growth.png)",
            "",
            "![objective over time](../bench/results/scaling.png)",
        ]
    return "\n".join(parts) + "\n"


COMPARE_FIELDS = (
    "tickets",
    "technicians",
    "to_visit",
    "config",
    "seed",
    "budget_s",
    "objective_eur",
    "visited",
)


def compare(
    sizes: Sequence[int],
    budgets: Sequence[float],
    configs: Sequence[str],
    seeds: Sequence[int],
    results_dir: Path,
    doc: bool,
) -> int:
    """Search settings side by side: objective at each budget, per size, median over seeds."""
    from bench.configs import DESCRIPTIONS

    started = time.monotonic()
    runs = len(sizes) * len(seeds) * len(configs)
    print(f"{runs} runs of {max(budgets):g} s (about {runs * max(budgets) / 60:.1f} min)")
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="dromologio-scaling-") as tmp:
        for tickets in sizes:
            for seed in seeds:
                for config in configs:
                    result = run_size(tickets, max(budgets), seed, Path(tmp), config)
                    for budget in budgets:
                        objective = best_by(result["history"], budget)
                        rows.append(
                            {
                                "tickets": tickets,
                                "technicians": result["technicians"],
                                "to_visit": result["to_visit"],
                                "config": config,
                                "seed": seed,
                                "budget_s": f"{budget:g}",
                                "objective_eur": f"{objective:.2f}" if objective is not None else "",
                                "visited": result["visited"],
                            }
                        )
                    print(
                        f"{tickets:>5} tickets seed {seed} {config:<18} "
                        + ", ".join(
                            f"@{b:g}s {_fmt(best_by(result['history'], b), 2, 'none')}" for b in budgets
                        )
                        + f" EUR; visited {result['visited']}/{result['to_visit']}",
                        flush=True,
                    )
    total_s = time.monotonic() - started
    results_dir.mkdir(parents=True, exist_ok=True)
    with (results_dir / "scaling_configs.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COMPARE_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    def median(tickets: int, config: str, budget: float) -> float | None:
        values = [
            float(str(r["objective_eur"]))
            for r in rows
            if (r["tickets"], r["config"], r["budget_s"]) == (tickets, config, f"{budget:g}")
            and r["objective_eur"] != ""
        ]
        return statistics.median(values) if values else None

    header = ["tickets", "budget", *[f"`{c}` (EUR)" for c in configs]]
    if len(configs) > 1:
        header += [f"`{c}` vs `{configs[0]}`" for c in configs[1:]]
    table: list[list[object]] = []
    for tickets in sizes:
        for budget in budgets:
            values = [median(tickets, c, budget) for c in configs]
            cells: list[object] = [
                tickets,
                f"{budget:g} s",
                *[_fmt(v, 2, "none") if v is None else f"{v:,.2f}" for v in values],
            ]
            base = values[0]
            for value in values[1:]:
                cells.append(f"{100 * (value - base) / base:+.2f} %" if value is not None and base else "–")
            table.append(cells)
    print(markdown_table(header, table))
    if doc:
        parts = [
            "## Search settings side by side on generated problems",
            "",
            f"- Date: {now()}",
            f"- Machine: {machine()}",
            f"- Versions: {versions(['dromologio', 'ortools'])}",
            f"- Code: {code_version()}",
            f"- Command: `{command_line('bench.scaling')}` ({total_s / 60:.1f} min)",
            f"- The problems of the scaling section, each planned once per setting and seed ({', '.join(str(s) for s in seeds)}) "
            f"in a fresh process with `time_limit_s={max(budgets):g}`, settings interleaved; objective (EUR, penalties of "
            "unvisited tickets included) found by each budget on the engine's clock, median over the seeds; lower is better.",
            *[f"- `{c}`: {DESCRIPTIONS.get(c, '')}" for c in configs],
            "",
            markdown_table(header, table, [True] * len(header)),
        ]
        replace_section("scaling-configs", "\n".join(parts) + "\n")
        print("updated docs/benchmarks.md")
    return 0


def parse_list(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated ticket counts (default 300,1000,3000)")
    parser.add_argument("--budgets", help="comma-separated seconds (default 5,30,60)")
    parser.add_argument("--quick", action="store_true", help="sizes 50,150,300 with budgets 5,15")
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    parser.add_argument(
        "--compare", help="comma-separated search settings of bench/configs.py to run side by side"
    )
    parser.add_argument("--seeds", help="solver seeds for --compare (default 1,2,3)")
    parser.add_argument("--config", default="default", help=argparse.SUPPRESS)
    parser.add_argument(
        "--results", type=Path, default=RESULTS_DIR, help="results folder (default bench/results)"
    )
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument(
        "--max-memory-mb",
        type=float,
        default=MAX_MEMORY_MB,
        help=f"stop a run whose processes hold more than this (default {MAX_MEMORY_MB:g})",
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--time-limit", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker is not None:
        result = worker(args.worker, args.time_limit, args.seed, args.config, args.max_memory_mb)
        args.out.write_text(json.dumps(result))
        return 0

    sizes = [int(s) for s in parse_list(args.sizes or ("50,150,300" if args.quick else "300,1000,3000"))]
    budgets = sorted(float(b) for b in parse_list(args.budgets or ("5,15" if args.quick else "5,30,60")))
    if not sizes or not budgets or min(sizes) < 1 or min(budgets) <= 0:
        parser.error("sizes and budgets must be positive")
    if args.compare:
        from bench.configs import CONFIGS

        configs = parse_list(args.compare)
        unknown = sorted(set(configs) - set(CONFIGS))
        if unknown or not configs:
            parser.error(f"unknown config(s) {unknown}; known: {', '.join(CONFIGS)}")
        seeds = [int(v) for v in parse_list(args.seeds or "1,2,3")]
        return compare(sizes, budgets, configs, seeds, args.results, not args.no_doc)
    started = time.monotonic()
    results: list[dict[str, Any]] = []
    print(
        f"{len(sizes)} size(s), one run of {max(budgets):g} s each (about {len(sizes) * max(budgets) / 60:.1f} min)"
    )
    with tempfile.TemporaryDirectory(prefix="dromologio-scaling-") as tmp:
        for tickets in sizes:
            result = run_size(tickets, max(budgets), args.seed, Path(tmp), limit_mb=args.max_memory_mb)
            results.append(result)
            print(
                f"{tickets:>5} tickets, {result['technicians']:>3} technicians: first plan "
                f"{_fmt(result['first_plan_s'], 2, 'none')} s (engine {_fmt(result['first_solution_s'], 2, 'none')} s), "
                f"peak {result['peak_rss_mb']:.0f} MB, checker {'ok' if result['checker_ok'] else 'FAILED'}, "
                + ", ".join(f"@{b:g}s {_fmt(best_by(result['history'], b), 2, 'none')}" for b in budgets)
                + f" EUR; visited {result['visited']}/{result['to_visit']}",
                flush=True,
            )
    total_s = time.monotonic() - started

    args.results.mkdir(parents=True, exist_ok=True)
    with (args.results / "scaling.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SCALING_FIELDS, lineterminator="\n")
        writer.writeheader()
        for result in results:
            writer.writerows(rows_for(result, budgets))
    with (args.results / "scaling_history.csv").open("w", newline="") as handle:
        history_writer = csv.writer(handle, lineterminator="\n")
        history_writer.writerow(["tickets", "seconds", "objective_eur"])
        for result in results:
            for t, o in result["history"]:
                history_writer.writerow([result["tickets"], f"{t:.3f}", f"{o:.2f}"])
    plotted = plot(results, budgets, args.results / "scaling.png")
    plotted = plot_growth(results, args.results / "scaling_growth.png") and plotted
    print(
        f"wrote {args.results / 'scaling.csv'}"
        + (" and scaling.png" if plotted else " (no matplotlib: no plot)")
    )
    if not args.no_doc:
        replace_section(
            "scaling", doc_section(results, budgets, command_line("bench.scaling"), plotted, total_s)
        )
        print("updated docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
