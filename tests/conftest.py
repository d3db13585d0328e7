"""What every test shares: a fixed "today", and the fast lane.

Today is Friday 2026-11-20 for every test (``DROMOLOGIO_TODAY``), the working day before
the sample's Monday: plans of the sample's days are never refused as past, whatever the
clock of the machine says.  The fast lane: ``pytest -m "not slow" -n 2``.
The commands' tables are read on a wide terminal (200 columns, whatever the terminal running
the tests, or none under pytest-xdist); the width tests set 80 columns themselves.  Under
pytest-xdist each worker keeps to its own share of the cores.

Service tests (``tests/api``, ``tests/board``) run the application on a database of
their own per test, solve plans in worker processes and drive a browser: they are the
slow lane as a whole, and a lane that leaves out every slow test does not even import
them.  Beside them, tests marked slow one by one (solver runs of seconds, notebooks,
Dask clusters), and the end-to-end runs of :data:`END_TO_END` below.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression

SERVICE_TESTS = (Path(__file__).parent / "api", Path(__file__).parent / "board")
TEST_TODAY = "2026-11-20"

#: Whole runs — many solves, several processes, generated or large problems, simulations
#: and estimates over days, the benchmark harness, commands from the sample to a checked
#: plan or a report — each of seconds: the slow lane.  Their parts have fast tests of their own.
END_TO_END = frozenset(
    {
        "tests/bench/test_solomon_adapter.py::test_engine_solution_is_accepted_and_its_distance_matches",
        "tests/bench/test_solomon_harness.py::test_a_run_records_one_row_per_run_and_resumes_without_repeating",
        "tests/dispatch/test_executor.py::test_a_task_error_comes_back_with_its_result[LocalExecutor]",
        "tests/dispatch/test_executor.py::test_inline_tasks_run_here_with_every_core",
        "tests/dispatch/test_executor.py::test_local_processes_never_run_more_searches_than_cores[2]",
        "tests/dispatch/test_generated.py::test_300_tickets_and_25_technicians_plan_passes_the_checker",
        "tests/dispatch/test_generated.py::test_random_island_and_mountain_problems_always_give_checked_plans",
        "tests/dispatch/test_generated.py::test_the_sample_serves_islands_across_water_on_timetabled_sailings",
        "tests/dispatch/test_islands.py::test_two_day_plan_stays_overnight_when_the_timetable_forces_it",
        "tests/dispatch/test_params.py::test_iterated_local_search_uses_the_whole_time_limit",
        "tests/dispatch/test_scale.py::test_a_large_model_with_shared_classes_gives_a_checked_plan",
        "tests/dispatch/test_scale.py::test_sailing_copies_only_where_a_technician_can_use_them",
        "tests/dispatch/test_solve.py::test_same_seed_and_solution_limit_give_the_same_plan",
        "tests/models/test_calendar.py::test_the_plan_command_refuses_a_day_off_or_a_past_day_unless_forced",
        "tests/planning/test_estimate.py::test_costs_command",
        "tests/planning/test_estimate.py::test_read_history_from_a_workbook",
        "tests/planning/test_estimate.py::test_unserved_tickets_carry_over_and_served_ones_leave",
        "tests/planning/test_estimate_seasonality.py::test_the_report_sets_the_backlog_value_beside_the_travel_money",
        "tests/planning/test_service_cli.py::test_service_report_of_a_month",
        "tests/planning/test_service_outputs.py::test_workbook_page_and_files",
        "tests/planning/test_simulate.py::test_common_arrivals_and_seeds",
        "tests/planning/test_simulate.py::test_ferry_strike_cancels_the_days_sailings",
        "tests/planning/test_simulate.py::test_history_arrivals_replay_whole_days_moved_to_the_date",
        "tests/planning/test_slots.py::test_three_cheapest_days_each_checked",
        "tests/reports/test_period_costs.py::test_the_costs_command_reports_fairness",
        "tests/sample/test_sample_files.py::test_generator_respects_sizes[2500-250-None-2500]",
        "tests/test_cli.py::test_check_lists_the_audit_findings_of_a_plan_that_drops_a_ticket_it_could_serve",
        "tests/test_cli.py::test_sample_validate_plan_check",
    }
)

os.environ["COLUMNS"] = "200"


def _one_share_of_the_cores_per_xdist_worker() -> None:
    """Under ``pytest -n N`` each worker runs on its own share of the cores, so a solve there
    starts as many searches as its share holds and the workers never fight over one core."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if not worker.startswith("gw") or not hasattr(os, "sched_setaffinity"):
        return
    cores = sorted(os.sched_getaffinity(0))
    if count > len(cores):
        return
    os.sched_setaffinity(0, cores[int(worker[2:]) :: count])


_one_share_of_the_cores_per_xdist_worker()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    from dromologio.models.calendar import TODAY_ENV

    monkeypatch.setenv(TODAY_ENV, TEST_TODAY)


def _leaves_out_slow_tests(config: pytest.Config) -> bool:
    """The ``-m`` expression deselects every test marked slow (and nothing but its marks decides)."""
    expression = str(config.getoption("markexpr", "") or "").strip()

    def only_slow(mark: str, /, **_: str | int | bool | None) -> bool:
        return mark == "slow"

    return bool(expression) and not Expression.compile(expression).evaluate(only_slow)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The service tests are all slow: a lane without slow tests does not import them."""
    if _leaves_out_slow_tests(config) and any(collection_path.is_relative_to(f) for f in SERVICE_TESTS):
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        service = any(Path(item.path).is_relative_to(folder) for folder in SERVICE_TESTS)
        # Node ids are relative to the repository root (where pyproject.toml is).
        if service or item.nodeid in END_TO_END:
            item.add_marker(pytest.mark.slow)
