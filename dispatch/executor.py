"""Where solves run side by side, and how many cores each may keep busy.

Every search the engine runs keeps one core busy: :func:`dispatch.engine.solve_instance` with
``SearchParams(num_workers=n)`` runs one search in the calling process and ``n - 1`` in
background processes (:mod:`dispatch.parallel`).  Work that runs many solves at once (an
estimate's regions, a simulation's scenarios) hands its tasks to a :class:`SolveExecutor`, which
runs :attr:`~SolveExecutor.slots` tasks at once and gives each
:attr:`~SolveExecutor.cores_per_task` cores; a task solves with
``params.for_cores(executor.cores_per_task)``, so the searches of all its tasks together, the
engine's background searches included, never outnumber the executor's cores.

- :class:`InlineExecutor`: one task at a time, in this process, with every core;
- :class:`LocalExecutor`: worker processes on this machine, ``cores`` shared by ``processes``
  tasks (the default for parallel work);
- :class:`DaskExecutor`: the workers of a Dask cluster (a ``distributed.Client``; :meth:`DaskExecutor.local`
  starts a ``LocalCluster``, :func:`executor_for` reads a ``--scheduler``).  A Dask
  worker process is daemonic and may not start processes, and each worker thread is one core:
  each task runs one search.

Worker processes come from Python's ``forkserver`` (``spawn`` where there is none): the server
starts once, on the first parallel work, and imports the engine then; every later worker is a
fork of it, ready in a few milliseconds.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.reduction import ForkingPickler
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

if TYPE_CHECKING:
    from multiprocessing.context import ForkServerContext, SpawnContext

    from distributed import Client

__all__ = [
    "DaskExecutor",
    "InlineExecutor",
    "LocalExecutor",
    "SolveExecutor",
    "executor_for",
    "usable_cores",
    "worker_context",
]

T = TypeVar("T")

#: imported once by the forkserver, so that its forks start with the engine loaded.
_PRELOAD = "dromologio.dispatch.parallel"


def _read_only(items: dict[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(items)


def _reduce_read_only(proxy: MappingProxyType[Any, Any]) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    return _read_only, (dict(proxy),)


# Problems and their parts keep read-only mappings (types.MappingProxyType), which pickle cannot
# send to a worker process by itself: tasks and results carry them as a copy of their items.
ForkingPickler.register(MappingProxyType, _reduce_read_only)


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_context() -> ForkServerContext | SpawnContext:
    """Where worker processes come from: a forkserver that has imported the engine, or spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([_PRELOAD])
    return context


@runtime_checkable
class SolveExecutor(Protocol):
    """Runs tasks that solve, ``slots`` at once, each with ``cores_per_task`` cores.

    ``submit`` returns a :class:`concurrent.futures.Future`; a task's exception is raised by
    its ``result()``.  ``share`` prepares a value that many tasks take (sent to the workers once
    where the executor can); pass what it returns to ``submit``.
    """

    @property
    def slots(self) -> int:
        """Tasks that run at once."""
        ...

    @property
    def cores_per_task(self) -> int:
        """Searches one task may run at once (``SearchParams.for_cores``)."""
        ...

    @property
    def description(self) -> str:
        """Where the tasks run, in words."""
        ...

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]: ...

    def share(self, value: Any) -> Any: ...

    def close(self) -> None: ...


def executor_for(scheduler: str) -> SolveExecutor:
    """The executor a ``--scheduler`` names: ``local`` (a Dask ``LocalCluster`` here, one worker per
    core) or a Dask scheduler's address (``tcp://host:8786``).  Close it when done."""
    scheduler = scheduler.strip()
    if not scheduler:
        raise ValueError("scheduler: give 'local' or a Dask scheduler address such as tcp://host:8786")
    if scheduler == "local":
        return DaskExecutor.local()
    return DaskExecutor.connect(scheduler)


def _cores(cores: int | None) -> int:
    available = usable_cores()
    if cores is None:
        return available
    if cores < 1:
        raise ValueError("cores must be at least 1")
    return min(cores, available)


class InlineExecutor:
    """Each task runs in this process when it is submitted, with every core (``cores`` at most)."""

    def __init__(self, cores: int | None = None) -> None:
        self._cores = _cores(cores)

    @property
    def slots(self) -> int:
        return 1

    @property
    def cores_per_task(self) -> int:
        return self._cores

    @property
    def description(self) -> str:
        return "serial (this process)"

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args))
        except Exception as error:
            future.set_exception(error)
        return future

    def share(self, value: Any) -> Any:
        return value

    def close(self) -> None:
        return None

    def __enter__(self) -> InlineExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalExecutor:
    """Worker processes on this machine: ``processes`` tasks at once share ``cores`` cores.

    ``cores`` defaults to (and never exceeds) the cores this process may use; ``processes``
    defaults to ``cores`` and never exceeds it.  Each task gets ``cores // processes`` cores.
    The processes start with the first task and stop at :meth:`close`.
    """

    def __init__(self, cores: int | None = None, *, processes: int | None = None) -> None:
        self.cores = _cores(cores)
        if processes is not None and processes < 1:
            raise ValueError("processes must be at least 1")
        self.processes = min(self.cores if processes is None else processes, self.cores)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    @property
    def slots(self) -> int:
        return self.processes

    @property
    def cores_per_task(self) -> int:
        return max(1, self.cores // self.processes)

    @property
    def description(self) -> str:
        per_task = self.cores_per_task
        return f"local processes ({self.processes} × {per_task} core{'s' if per_task > 1 else ''})"

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=worker_context())
            return self._pool.submit(fn, *args)

    def share(self, value: Any) -> Any:
        return value

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DaskExecutor:
    """The workers of a Dask cluster; each task runs one search (see the module docstring).

    ``DaskExecutor(client)`` uses a client the caller keeps (and closes);
    :meth:`connect` opens one to a scheduler's address, closed by :meth:`close`.
    """

    def __init__(
        self, client: Client, *, description: str | None = None, owned: bool = False, cluster: Any = None
    ) -> None:
        self.client = client
        self._owned = owned
        #: a cluster this executor started (:meth:`local`), closed with it.
        self._cluster = cluster
        address = client.scheduler.address if client.scheduler else ""
        self._description = description or f"Dask client {address}"
        # A distributed future whose last reference goes is cancelled: keep each until it is done.
        self._running: set[Any] = set()
        self._lock = threading.Lock()

    @classmethod
    def connect(cls, address: str) -> DaskExecutor:
        """A client of the scheduler at ``address`` (``tcp://host:8786``), owned by the executor."""
        from distributed import Client

        client = Client(address, set_as_default=False)  # type: ignore[no-untyped-call]
        return cls(client, description=f"Dask scheduler {address}", owned=True)

    @classmethod
    def local(cls, workers: int | None = None) -> DaskExecutor:
        """A Dask ``LocalCluster`` on this machine: ``workers`` processes (default: one per core) of
        one thread each, started now and closed by :meth:`close`."""
        import logging

        from distributed import Client, LocalCluster

        count = usable_cores() if workers is None else workers
        if count < 1:
            raise ValueError("workers must be at least 1")
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster, set_as_default=False)  # type: ignore[no-untyped-call]
        return cls(client, description=f"Dask LocalCluster ({count} workers)", owned=True, cluster=cluster)

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    @property
    def slots(self) -> int:
        workers = self.client.scheduler_info().get("workers", {}).values()
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers))

    @property
    def cores_per_task(self) -> int:
        return 1

    @property
    def description(self) -> str:
        return self._description

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        remote = self.client.submit(fn, *args, pure=False)
        local: Future[T] = Future()
        with self._lock:
            self._running.add(remote)

        def settle(done: Any) -> None:
            try:
                local.set_result(done.result())
            except Exception as error:
                local.set_exception(error)
            finally:
                with self._lock:
                    self._running.discard(done)

        remote.add_done_callback(settle)  # type: ignore[no-untyped-call]
        return local

    def share(self, value: Any) -> Any:
        return self.client.scatter(value, hash=False)  # type: ignore[no-untyped-call]

    def close(self) -> None:
        if self._owned:
            self.client.close()  # type: ignore[no-untyped-call]
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
