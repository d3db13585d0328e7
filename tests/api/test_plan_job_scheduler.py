"""Plan jobs and the ``scheduler`` setting: a day big enough to be solved in parts runs its parts
on the executor the setting names; a smaller day never opens one."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import date
from typing import Any, TypeVar

import pytest

from dromologio.api.solving import solve_plan
from dromologio.dispatch import InlineExecutor, SearchParams
from dromologio.dispatch import executor as executors
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem_dict

from .conftest import tiny_problem

T = TypeVar("T")
DAY = date(2026, 11, 23)


class CountingExecutor(InlineExecutor):
    """Runs each task here, counting tasks and whether it was closed."""

    def __init__(self) -> None:
        super().__init__()
        self.tasks = 0
        self.closed = False

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        self.tasks += 1
        return super().submit(fn, *args)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, CountingExecutor]]:
    calls: list[tuple[str, CountingExecutor]] = []

    def executor_for(scheduler: str) -> CountingExecutor:
        executor = CountingExecutor()
        calls.append((scheduler, executor))
        return executor

    monkeypatch.setattr(executors, "executor_for", executor_for)
    return calls


def test_a_big_day_runs_its_parts_on_the_scheduler(opened: list[tuple[str, CountingExecutor]]) -> None:
    problem = read_problem_dict(tiny_problem())
    # Two Directorates: a day "big" above two visits is solved in parts of one visit or more.
    params = SearchParams(num_workers=1, decompose_above_visits=2, decompose_min_part_visits=1)
    plan = solve_plan(problem, DAY, time_limit_s=1, scheduler="tcp://10.0.0.5:8786", params=params)
    assert [scheduler for scheduler, _ in opened] == ["tcp://10.0.0.5:8786"]
    executor = opened[0][1]
    assert executor.tasks >= 2 and executor.closed
    assert check_plan(problem, plan).ok


def test_a_small_day_or_no_scheduler_opens_none(opened: list[tuple[str, CountingExecutor]]) -> None:
    problem = read_problem_dict(tiny_problem())
    solve_plan(problem, DAY, time_limit_s=1, scheduler="tcp://10.0.0.5:8786")  # a few visits
    params = SearchParams(num_workers=1, decompose_above_visits=2)
    solve_plan(problem, DAY, time_limit_s=1, params=params)  # no scheduler set
    assert opened == []
