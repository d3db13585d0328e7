"""The Solomon harness's run plan: seeds per solver and budget, cores per run, resuming."""

from __future__ import annotations

import csv
from pathlib import Path

from bench.solomon_bench import Task, cores_used, main, seeds_for


def test_three_seeds_for_short_budgets_one_for_long_and_for_vroom() -> None:
    assert seeds_for("pyvrp", 5, None, quick=False) == [1, 2, 3]
    assert seeds_for("pyvrp", 30, None, quick=False) == [1]
    assert seeds_for("dromologio", 5, None, quick=True) == [1]
    assert seeds_for("vroom", 5, None, quick=False) == [1]
    assert seeds_for("dromologio", 30, [4, 5], quick=False) == [4, 5]
    assert seeds_for("vroom", 30, [4, 5], quick=False) == [4]


def test_only_the_portfolio_engine_needs_more_than_one_core() -> None:
    assert cores_used(Task("pyvrp", "C101", 30, 1)) == 1
    assert cores_used(Task("dromologio", "C101", 30, 1, "ils")) == 1
    assert cores_used(Task("ortools-default", "C101", 30, 1)) == 1
    # Short budgets are solved in one process.
    assert cores_used(Task("dromologio", "C101", 1, 1, "default")) == 1


def test_a_run_records_one_row_per_run_and_resumes_without_repeating(tmp_path: Path) -> None:
    args = ["--instances", "C101", "--budgets", "1", "--solvers", "dromologio", "--config", "ils,legacy"]
    args += ["--seeds", "1", "--jobs", "2", "--results", str(tmp_path), "--no-doc"]
    assert main(args) == 0
    runs_path = tmp_path / "solomon_runs.csv"
    runs = list(csv.DictReader(runs_path.open()))
    assert sorted(r["config"] for r in runs) == ["ils", "legacy"]
    assert all(r["feasible"] == "true" and float(r["gap_pct"]) >= 0 for r in runs)
    assert main(args) == 0
    assert len(list(csv.DictReader(runs_path.open()))) == 2
    summary = list(csv.DictReader((tmp_path / "solomon.csv").open()))
    assert {(r["solver"], r["config"], r["instance"], r["budget_s"]) for r in summary} == {
        ("dromologio", "ils", "C101", "1"),
        ("dromologio", "legacy", "C101", "1"),
    }
