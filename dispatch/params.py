"""Search settings of the routing engine, as a small object loadable from a dict.

The defaults are the product's tuned settings; ``docs/benchmarks.md`` ("Tuning steps")
records what each setting changed on the Solomon benchmark, and ``bench/README.md`` how
to compare variants (``python -m bench.solomon_bench --config ...``).

In short:

- ``first_solution`` matters most on tight time windows: PATH_CHEAPEST_ARC may find
  nothing at all there, while PARALLEL_CHEAPEST_INSERTION always returns a plan
  (dropping visits when it must).
- The improvement phase is a *portfolio* on two cores.  This process runs guided local search
  (``metaheuristic``, ``guided_local_search_lambda``) from the first plan: it reports every
  improving plan, can be stopped at any time (the API's cancel) and keeps what a constructor built
  (island excursions).  A second process (``num_workers``) runs OR-Tools' *iterated local search*
  (ruin and recreate: SISR string removals, reinsertion in random order at the cheapest place, a
  greedy descent after each perturbation, simulated annealing acceptance with temperatures derived
  from the arc costs); the better plan wins.
- The iterated local search runs in a process of its own for a reason: OR-Tools runs it only
  through ``RoutingModel.SolveWithIteratedLocalSearch``, which cannot be interrupted, and which
  on some small models with several start and end depots (OR-Tools 9.15) never returns.  Its
  process is killed at the deadline (plus a short grace), so the worst case is the guided local
  search's plan.  ``use_iterated_local_search`` runs it in this process instead (benchmarks only).
- ``SolveWithParameters`` ignores ``use_iterated_local_search``: set alone, the flag gives OR-Tools'
  greedy descent, which stops at the first local optimum.
- With the iterated local search, the large-neighbourhood operators that rebuild whole paths by
  insertion are switched off (``ils_operators``): each descent then takes a fraction of the
  time, and the ruin-and-recreate step does what they did.  Guided local search keeps OR-Tools'
  operators.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ortools.constraint_solver import routing_enums_pb2, routing_parameters_pb2

FIRST_SOLUTION_STRATEGIES = tuple(routing_enums_pb2.FirstSolutionStrategy.Value.keys())
METAHEURISTICS = tuple(routing_enums_pb2.LocalSearchMetaheuristic.Value.keys())
#: local search operators that can be switched, named as in OR-Tools without the ``use_`` prefix.
OPERATORS = tuple(
    name.removeprefix("use_")
    for name in routing_parameters_pb2.RoutingSearchParameters.LocalSearchNeighborhoodOperators.DESCRIPTOR.fields_by_name
)
#: how the iterated local search perturbs the current solution.
RUIN_STRATEGIES = ("SISR", "RANDOM_WALK", "SPATIALLY_CLOSE_ROUTES")
#: how it puts the removed visits back (the insertion heuristics OR-Tools supports there).
RECREATE_HEURISTICS = (
    "LOCAL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_COST_INSERTION",
    "PARALLEL_CHEAPEST_INSERTION",
    "SEQUENTIAL_CHEAPEST_INSERTION",
)
#: when a perturbed and improved solution replaces the current one.
ACCEPTANCE_STRATEGIES = ("SIMULATED_ANNEALING", "GREEDY_DESCENT")

#: operators switched off with the iterated local search (see the module docstring).
TUNED_OPERATORS: Mapping[str, bool] = {
    "global_cheapest_insertion_path_lns": False,
    "local_cheapest_insertion_path_lns": False,
    "relocate_path_global_cheapest_insertion_insert_unperformed": False,
    "global_cheapest_insertion_visit_types_lns": False,
    "local_cheapest_insertion_visit_types_lns": False,
    "lin_kernighan": False,
    "relocate_expensive_chain": False,
    "relocate_subtrip": False,
    "exchange_subtrip": False,
    "relocate_pair": False,
    "light_relocate_pair": False,
    "exchange_pair": False,
}


def _operator_items(value: Mapping[str, bool] | Iterable[tuple[str, bool]]) -> tuple[tuple[str, bool], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(name), bool(on)) for name, on in items))


@dataclass(frozen=True)
class SearchParams:
    """How the engine searches.  Time limits are given to ``solve`` separately."""

    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    #: first-solution strategy used instead of ``first_solution`` on models with at least
    #: ``large_problem_nodes`` nodes (None or 0 = never).
    first_solution_large: str | None = None
    large_problem_nodes: int = 0

    #: improvement phase in this process: iterated local search (ruin and recreate) when True and
    #: the caller cannot cancel, otherwise ``metaheuristic``.  It may not return on some models
    #: (see the module docstring): the product runs it in a worker process instead.
    use_iterated_local_search: bool = False
    #: the improvement phase of the worker processes (``num_workers`` > 1).
    workers_use_iterated_local_search: bool = True
    #: SISR: strings of at most ``ruin_max_sequence`` visits, ``ruin_visits`` visits removed on
    #: average; RANDOM_WALK: ``ruin_visits`` visits along a walk; SPATIALLY_CLOSE_ROUTES:
    #: ``ruin_routes`` neighbouring routes emptied.
    ruin: str = "SISR"
    ruin_visits: int = 20
    ruin_max_sequence: int = 10
    ruin_bypass_factor: float = 0.01
    ruin_routes: int = 2
    recreate: str = "LOCAL_CHEAPEST_INSERTION"
    #: insert the removed visits in random order (else OR-Tools' default order).
    recreate_random_order: bool = True
    #: local search after each perturbation (False: ruin and recreate only).
    improve_perturbed: bool = True
    acceptance: str = "SIMULATED_ANNEALING"
    #: simulated annealing temperatures in cost units, decreasing exponentially over the time
    #: limit; 0 and 0 = automatic (a tenth and a thousandth of the average arc cost).
    initial_temperature: float = 0.0
    final_temperature: float = 0.0

    #: guided local search, used when the iterated local search is not.
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    guided_local_search_lambda: float = 0.1

    #: local search operators switched on or off (names without ``use_``) in every search;
    #: others keep OR-Tools' defaults.  A mapping is accepted; both are stored as sorted pairs.
    operators: Mapping[str, bool] | tuple[tuple[str, bool], ...] = ()
    #: further switches for the iterated local search only (``operators`` wins on a conflict).
    ils_operators: Mapping[str, bool] | tuple[tuple[str, bool], ...] = field(
        default_factory=lambda: _operator_items(TUNED_OPERATORS)
    )
    #: neighbours each operator considers per node: max(min_neighbors, ratio x visits).
    #: Below 1 the descent stalls on time-windowed problems (see docs/benchmarks.md).
    ls_operator_neighbors_ratio: float = 1.0
    ls_operator_min_neighbors: int = 1
    #: on models of at least ``large_model_nodes`` nodes (0 = never) each operator considers only
    #: the ``large_model_neighbors`` nearest nodes: scanning every node costs n^2 per move there.
    large_model_nodes: int = 2000
    large_model_neighbors: int = 100

    #: searches run at once: this process and ``num_workers - 1`` worker processes, each with its
    #: own seed; the best plan wins (see ``dispatch.parallel``).  1 = this process only.  Capped
    #: by the machine's cores; short time limits run in this process only.  Solves run side by
    #: side get their share of the cores through :meth:`for_cores` (see ``dispatch.executor``).
    num_workers: int = 2
    #: on days without crossings, PyVRP searches first and OR-Tools polishes its routes on the
    #: exact model for this share of the time (see dispatch.engine.solve_with_pyvrp).
    use_pyvrp: bool = True
    pyvrp_polish_share: float = 0.15
    #: share of each day's time kept for feeding the independent audit's findings back to the
    #: model (see dispatch.repair); 0 turns it off.
    audit_repair_share: float = 0.15
    #: big days in parts (:mod:`dispatch.decompose`): a day with more visits than this (tickets;
    #: sailings and nights away not counted) is split by partner body, Directorate and island, the
    #: parts solved side by side and the borders repaired (instead of the audit's repair, which
    #: needs the whole model); 0 = always one model.
    decompose_above_visits: int = 500
    #: a part with fewer visits than this joins the neighbouring part that shares most of them.
    decompose_min_part_visits: int = 150
    #: stop after this many solutions (0 = no limit; the time limit still applies).
    solution_limit: int = 0
    log_search: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "operators", _operator_items(self.operators))
        object.__setattr__(self, "ils_operators", _operator_items(self.ils_operators))
        _one_of("first_solution", self.first_solution, FIRST_SOLUTION_STRATEGIES)
        if self.first_solution_large is not None:
            _one_of("first_solution_large", self.first_solution_large, FIRST_SOLUTION_STRATEGIES)
        _one_of("metaheuristic", self.metaheuristic, METAHEURISTICS)
        _one_of("ruin", self.ruin, RUIN_STRATEGIES)
        _one_of("recreate", self.recreate, RECREATE_HEURISTICS)
        _one_of("acceptance", self.acceptance, ACCEPTANCE_STRATEGIES)
        for name in ("operators", "ils_operators"):
            names = [operator for operator, _ in _operator_items(getattr(self, name))]
            unknown = sorted(set(names) - set(OPERATORS))
            if unknown:
                raise ValueError(f"unknown local search operator(s) {unknown}; known: {', '.join(OPERATORS)}")
            if len(set(names)) != len(names):
                raise ValueError(f"{name} names a local search operator twice")
        for name in (
            "large_problem_nodes",
            "solution_limit",
            "decompose_above_visits",
            "decompose_min_part_visits",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for name in (
            "ruin_visits",
            "ruin_max_sequence",
            "ruin_routes",
            "ls_operator_min_neighbors",
            "large_model_neighbors",
            "num_workers",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if not 0.0 <= self.audit_repair_share < 1.0:
            raise ValueError("audit_repair_share must lie in [0, 1[")
        if not 0.0 < self.pyvrp_polish_share < 1.0:
            raise ValueError("pyvrp_polish_share must lie in ]0, 1[")
        if not 0.0 <= self.ruin_bypass_factor <= 1.0:
            raise ValueError("ruin_bypass_factor must lie in [0, 1]")
        if not 0.0 < self.ls_operator_neighbors_ratio <= 1.0:
            raise ValueError("ls_operator_neighbors_ratio must lie in ]0, 1]")
        if self.guided_local_search_lambda <= 0:
            raise ValueError("guided_local_search_lambda must be positive")
        automatic = self.initial_temperature == 0 and self.final_temperature == 0
        if not automatic and not 0 < self.final_temperature <= self.initial_temperature:
            raise ValueError(
                "temperatures must both be 0 (automatic) or satisfy 0 < final_temperature <= initial_temperature"
            )

    @property
    def automatic_temperatures(self) -> bool:
        return self.initial_temperature == 0 and self.final_temperature == 0

    def first_solution_for(self, num_nodes: int) -> str:
        """The first-solution strategy for a model of ``num_nodes`` nodes."""
        if self.first_solution_large and self.large_problem_nodes and num_nodes >= self.large_problem_nodes:
            return self.first_solution_large
        return self.first_solution

    def neighbours_for(self, num_nodes: int) -> SearchParams:
        """These settings for a model of ``num_nodes`` nodes: the neighbour limit of large models."""
        if not self.large_model_nodes or num_nodes < self.large_model_nodes:
            return self
        ratio = min(self.ls_operator_neighbors_ratio, self.large_model_neighbors / num_nodes)
        return self.replace(
            ls_operator_neighbors_ratio=ratio,
            ls_operator_min_neighbors=min(self.ls_operator_min_neighbors, self.large_model_neighbors),
        )

    def operator_switches(self, iterated: bool | None = None) -> dict[str, bool]:
        """Operator switches of a search: ``ils_operators`` then ``operators`` for the iterated
        local search (``iterated`` defaults to ``use_iterated_local_search``), ``operators`` otherwise."""
        if iterated is None:
            iterated = self.use_iterated_local_search
        switches = dict(_operator_items(self.ils_operators)) if iterated else {}
        switches.update(_operator_items(self.operators))
        return switches

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SearchParams:
        """Settings from a plain mapping (JSON); unknown keys are an error, missing ones keep their default.

        ``operators`` and ``ils_operators`` are mappings of operator name to on/off; each *replaces*
        its default switches.
        """
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown search parameter(s) {unknown}; known: {', '.join(sorted(known))}")
        values = dict(data)
        for name in ("operators", "ils_operators"):
            if name in values:
                if not isinstance(values[name], Mapping):
                    raise ValueError(f"{name} must be a mapping of operator name to true/false")
                values[name] = _operator_items(values[name])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The inverse of :meth:`from_dict` (operator switches as mappings)."""
        data = dataclasses.asdict(self)
        for name in ("operators", "ils_operators"):
            data[name] = dict(_operator_items(getattr(self, name)))
        return data

    def replace(self, **changes: Any) -> SearchParams:
        return dataclasses.replace(self, **changes)

    def for_cores(self, cores: int) -> SearchParams:
        """These settings for a solve that may keep ``cores`` cores busy: at most that many searches
        at once (``num_workers``), the one in the calling process included."""
        if cores < 1:
            raise ValueError("cores must be at least 1")
        return self if self.num_workers <= cores else self.replace(num_workers=cores)


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} {value!r} is not one of {', '.join(allowed)}")


#: OR-Tools with its default search (first solution, then a greedy descent to the first local
#: optimum), for comparison.
ORTOOLS_DEFAULT = SearchParams(
    first_solution="AUTOMATIC", metaheuristic="AUTOMATIC", use_iterated_local_search=False, num_workers=1
)
