"""Searches in parallel: one process per seed, the best plan wins.

OR-Tools routing searches on one thread.  Several searches of the same instance with
different seeds (``search_instance`` presents the nodes in a seeded order, which changes
construction and local search) explore differently; on a machine with idle cores, keeping
the best of them is a cheap way to better plans.  Each search is a separate process (OR-Tools
objects are not shared between processes), so every worker holds its own copy of the model:
memory grows with the number of workers.

Two entry points:

- :func:`solve_instance_parallel` runs one search per seed in worker processes (no callbacks),
  as many at once as there are cores (a :class:`~dispatch.executor.LocalExecutor`).
- ``engine.solve_instance(..., params=SearchParams(num_workers=n))`` (the default is 2) calls
  :func:`solve_with_workers`: the first seed runs in the calling process, with the callbacks
  and the constructor; the ``n - 1`` further seeds run in background processes without them
  (neither is picklable), with the iterated local search when
  ``workers_use_iterated_local_search`` is set, and are killed as soon as the caller asks to
  stop, or at the deadline plus a grace.

Workers come from Python's ``forkserver`` (``spawn`` where there is none; see
:func:`dispatch.executor.worker_context`): the server process starts once, on the first parallel
search, and imports this module then (about a second, spent while the search here already
runs); every later worker is a fork of it, ready in a few milliseconds.  Workers spend their
start-up out of the same time limit (all searches stop at the same wall-clock deadline).  The
background searches count against the cores a caller was given: ``params.num_workers`` is what a
:class:`~dispatch.executor.SolveExecutor` sets (``SearchParams.for_cores``).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from .executor import LocalExecutor, usable_cores, worker_context
from .instance import InstanceSolution, RoutingInstance
from .params import SearchParams
from .search import Constructor, ProgressCallback, StopCallback, search_instance

#: how long to wait for a background worker past the deadline (its first solution may be late).
GRACE_S = 2.0
#: below this time limit the workers would spend most of it starting: this process only.
MIN_WORKER_TIME_S = 3.0


def workers_for(params: SearchParams, time_limit_s: float) -> int:
    """How many searches ``engine.solve_instance`` runs at once for ``params`` and a time limit.

    ``params.num_workers``, capped by the cores this process may use; 1 for short time limits
    and inside daemonic processes (which may not start processes: Dask's and multiprocessing's
    pool workers).
    """
    if params.num_workers <= 1 or time_limit_s < MIN_WORKER_TIME_S:
        return 1
    if multiprocessing.current_process().daemon:
        return 1
    return max(1, min(params.num_workers, usable_cores()))


#: bytes per entry of an n x n matrix registered in OR-Tools (int64), and the instance's own copy of
#: the travel matrices a worker receives.
MATRIX_ENTRY_BYTES = 8


def memory_available_bytes() -> int | None:
    """Memory the machine can still give (psutil, else ``MemAvailable`` of /proc/meminfo); None unknown."""
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:
        pass
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def model_bytes(instance: RoutingInstance) -> int:
    """About what one search of ``instance`` holds: a matrix per arc-cost class, the time and
    distance matrices in OR-Tools, and the instance's own travel matrices."""
    classes = len({instance.cost_class(v) for v in range(instance.num_vehicles)})
    matrices = classes + 2 + 2
    return matrices * instance.num_nodes**2 * MATRIX_ENTRY_BYTES


def fits_twice(instance: RoutingInstance, available: int | None = None) -> bool:
    """Whether a second search process fits: twice the model within the memory left (True when
    the machine does not say)."""
    available = memory_available_bytes() if available is None else available
    return available is None or 2 * model_bytes(instance) <= available


#: how often the caller's should_stop is polled while waiting for the workers.
POLL_S = 0.05


def _solve_until(
    instance: RoutingInstance, deadline: float, seed: int, params: SearchParams
) -> tuple[float, InstanceSolution]:
    """Worker body: solve with the time left until ``deadline``; returns (start, solution).

    Both times are on the ``time.time()`` clock, which all processes share.
    """
    started = time.time()
    solution = search_instance(
        instance, time_limit_s=max(0.05, deadline - started), seed=seed, params=params.replace(num_workers=1)
    )
    return started, solution


def _background(
    connection: Connection, instance: RoutingInstance, deadline: float, seed: int, params: SearchParams
) -> None:
    try:
        connection.send(_solve_until(instance, deadline, seed, params))
    finally:
        connection.close()


def best_of(solutions: Sequence[InstanceSolution]) -> InstanceSolution:
    """The solution with the lowest objective (solutions without a plan, objective -1, last)."""
    found = [s for s in solutions if s.objective >= 0]
    if not found:
        return solutions[0]
    return min(found, key=lambda s: s.objective)


def solve_instance_parallel(
    instance: RoutingInstance,
    *,
    time_limit_s: float,
    seeds: Sequence[int],
    params: SearchParams | None = None,
) -> InstanceSolution:
    """One independent search per seed, each in its own process; the best plan wins.

    Every search gets the same wall-clock deadline (``time_limit_s`` from this call); as many
    run at once as there are cores, and a seed beyond that starts when one ends, with the time
    left.  The
    returned solution is the best one, its ``history`` the improving solutions over all
    searches (on the clock of this call) and ``solve_seconds`` the wall time of this call.
    """
    if not seeds:
        raise ValueError("at least one seed is needed")
    params = params or SearchParams()
    started = time.time()
    deadline = started + time_limit_s
    with LocalExecutor(processes=len(seeds)) as pool:
        futures = [pool.submit(_solve_until, instance, deadline, seed, params) for seed in seeds]
        results = [future.result() for future in futures]
    solutions = [solution for _, solution in results]
    offsets = [start - started for start, _ in results]
    return _merged(best_of(solutions), solutions, offsets, time.time() - started)


def solve_with_workers(
    instance: RoutingInstance,
    *,
    time_limit_s: float,
    seed: int,
    params: SearchParams,
    on_solution: ProgressCallback | None = None,
    should_stop: StopCallback | None = None,
    constructor: Constructor | None = None,
) -> InstanceSolution:
    """``params.num_workers`` searches: seed ``seed`` here, seeds ``seed + 1, ...`` in background.

    The search here gets the callbacks and the constructor; the background ones (plain
    ``search_instance`` runs, iterated local search included) are killed when ``should_stop``
    returns True, and otherwise given until the deadline plus :data:`GRACE_S`.  The best plan
    wins; ``on_solution`` is called once more when a background search beat this one.
    """
    started = time.time()
    deadline = started + time_limit_s
    single = params.replace(num_workers=1)
    background = single.replace(use_iterated_local_search=params.workers_use_iterated_local_search)
    workers = workers_for(params, time_limit_s)
    context = worker_context()
    running: list[tuple[BaseProcess, Connection]] = []

    def start_workers() -> None:
        # The first start blocks for a while (the forkserver's start-up): in a thread, so that
        # the search here starts at once.
        for extra in range(1, workers):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_background, args=(sender, instance, deadline, seed + extra, background), daemon=True
            )
            process.start()
            sender.close()
            running.append((process, receiver))

    starter = threading.Thread(target=start_workers, name="dromologio-workers", daemon=True)
    starter.start()
    try:
        here = search_instance(
            instance,
            time_limit_s=time_limit_s,
            seed=seed,
            params=single,
            on_solution=on_solution,
            should_stop=should_stop,
            constructor=constructor,
        )
        starter.join()
        solutions = [here]
        offsets = [0.0]
        for process, receiver in running:
            while not receiver.poll(POLL_S):
                stop = should_stop is not None and should_stop()
                if stop or not process.is_alive() or time.time() > deadline + GRACE_S:
                    break
            if receiver.poll():
                try:
                    start, found = receiver.recv()
                except EOFError:
                    continue
                solutions.append(found)
                offsets.append(start - started)
    finally:
        starter.join()
        for process, receiver in running:
            if process.is_alive():
                process.kill()
            process.join()
            receiver.close()
    elapsed = time.time() - started
    best = best_of(solutions)
    if best is not here and on_solution is not None:
        on_solution(elapsed, best.objective)
    return _merged(best, solutions, offsets, elapsed)


def _merged(
    best: InstanceSolution, solutions: Sequence[InstanceSolution], offsets: Sequence[float], elapsed: float
) -> InstanceSolution:
    """``best`` with the improving solutions of all searches as history and the call's wall time."""
    events = sorted(
        (t + offset, objective)
        for solution, offset in zip(solutions, offsets, strict=True)
        for t, objective in solution.history
    )
    history: list[tuple[float, int]] = []
    for t, objective in events:
        if not history or objective < history[-1][1]:
            history.append((t, objective))
    return dataclasses.replace(best, history=tuple(history), solve_seconds=elapsed)
