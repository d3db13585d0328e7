"""Executors share the cores out: the searches of all their tasks, background ones included, never
outnumber the cores.  Counted, not timed: each task reports the searches its solve ran."""

from __future__ import annotations

import os
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from typing import Any

import pytest

from bench.solomon import first_customers, instance_path, read_solomon, to_instance
from dromologio.dispatch import SearchParams, solve_instance
from dromologio.dispatch.executor import (
    DaskExecutor,
    InlineExecutor,
    LocalExecutor,
    SolveExecutor,
    usable_cores,
)


def searches_of_one_solve(params: SearchParams) -> tuple[int, int]:
    """(this process's id, searches a solve with ``params`` ran): this one plus every process it started.

    Runs where the executor runs it, one task at a time per process.  The engine skips its
    background search under ``MIN_WORKER_TIME_S``; it is lowered for the solve, so that a short
    solve counts, and put back after.
    """
    from dromologio.dispatch import parallel

    started: list[str] = []
    original: Callable[[BaseProcess], None] = BaseProcess.start
    floor = parallel.MIN_WORKER_TIME_S

    def counting(process: BaseProcess) -> None:
        started.append(process.name)
        original(process)

    BaseProcess.start = counting  # type: ignore[method-assign,assignment]
    parallel.MIN_WORKER_TIME_S = 0.0
    try:
        instance = to_instance(first_customers(read_solomon(instance_path("C101")), 12))
        solve_instance(instance, time_limit_s=0.3, seed=1, params=params)
    finally:
        parallel.MIN_WORKER_TIME_S = floor
        BaseProcess.start = original  # type: ignore[method-assign,assignment]
    return os.getpid(), 1 + len(started)


def run_tasks(executor: SolveExecutor, tasks: int, params: SearchParams) -> list[tuple[int, int]]:
    futures = [executor.submit(searches_of_one_solve, params) for _ in range(tasks)]
    return [future.result() for future in futures]


@pytest.mark.slow
def test_a_solve_alone_runs_its_background_search() -> None:
    """What the executors must account for: the default settings run two searches."""
    if usable_cores() < 2:
        pytest.skip("one core: the engine runs one search")
    _, searches = searches_of_one_solve(SearchParams())
    assert searches == 2


@pytest.mark.parametrize("processes", [pytest.param(1, marks=pytest.mark.slow), 2])
def test_local_processes_never_run_more_searches_than_cores(processes: int) -> None:
    cores = usable_cores()
    with LocalExecutor(processes=processes) as executor:
        assert executor.slots == min(processes, cores)
        assert executor.cores_per_task == max(1, cores // executor.slots)
        params = SearchParams().for_cores(executor.cores_per_task)
        results = run_tasks(executor, 4, params)
    workers = {pid for pid, _ in results}
    assert 1 <= len(workers) <= executor.slots and os.getpid() not in workers
    assert all(searches == min(2, executor.cores_per_task) for _, searches in results)
    # the busiest moment: every worker solving at once, each with its searches
    assert executor.slots * max(searches for _, searches in results) <= cores


@pytest.mark.slow
def test_the_default_settings_in_every_process_would_oversubscribe() -> None:
    """Why tasks take ``for_cores``: without it, each of two processes runs two searches."""
    if usable_cores() < 2:
        pytest.skip("one core")
    with LocalExecutor(processes=2) as executor:
        results = run_tasks(executor, 2, SearchParams())
    assert [searches for _, searches in results] == [2, 2]


def test_inline_tasks_run_here_with_every_core() -> None:
    executor = InlineExecutor()
    assert (executor.slots, executor.cores_per_task) == (1, usable_cores())
    ((pid, searches),) = run_tasks(executor, 1, SearchParams().for_cores(executor.cores_per_task))
    assert pid == os.getpid() and searches == min(2, usable_cores())
    assert InlineExecutor(cores=1).cores_per_task == 1


def test_cores_and_processes_are_capped_and_checked() -> None:
    cores = usable_cores()
    assert LocalExecutor(cores=cores + 8).cores == cores
    assert LocalExecutor(processes=cores + 8).slots == cores
    assert LocalExecutor(cores=1, processes=2).cores_per_task == 1
    for bad in ({"cores": 0}, {"processes": 0}):
        with pytest.raises(ValueError, match="at least 1"):
            LocalExecutor(**bad)


def failing(message: str) -> None:
    raise RuntimeError(message)


@pytest.mark.parametrize("make", [InlineExecutor, LocalExecutor])
def test_a_task_error_comes_back_with_its_result(make: Callable[[], Any]) -> None:
    with make() as executor:
        future = executor.submit(failing, "no feed")
        with pytest.raises(RuntimeError, match="no feed"):
            future.result()


@pytest.mark.slow
def test_dask_workers_run_one_search_per_task() -> None:
    """A Dask worker thread is one core, and its process may not start others: one search a task."""
    import logging

    from distributed import Client, LocalCluster

    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster, set_as_default=False) as client,  # type: ignore[no-untyped-call]
    ):
        executor = DaskExecutor(client)
        assert isinstance(executor, SolveExecutor)
        assert (executor.slots, executor.cores_per_task, executor.workers) == (2, 1, 2)
        results = run_tasks(executor, 2, SearchParams().for_cores(executor.cores_per_task))
        shared = executor.share([1, 2, 3])
        assert executor.submit(sum, shared).result() == 6
    assert [searches for _, searches in results] == [1, 1]
