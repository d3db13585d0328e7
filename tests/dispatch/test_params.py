"""Search settings: validation, dict round trip, what the engine makes of them, and the tuned defaults."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import numpy as np
import pytest
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from bench.rescore import score_routes
from bench.solomon import first_customers, instance_path, read_bks, read_solomon, to_instance
from dromologio.dispatch import ORTOOLS_DEFAULT, SearchParams, solve_instance
from dromologio.dispatch.instance import RoutingInstance
from dromologio.dispatch.parallel import MIN_WORKER_TIME_S, solve_instance_parallel, workers_for
from dromologio.dispatch.params import OPERATORS, TUNED_OPERATORS
from dromologio.dispatch.search import _search_parameters

# --------------------------------------------------------------------------- validation


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"unknown search parameter\(s\) \['time_limit'\]"):
        SearchParams.from_dict({"time_limit": 5})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_solution", "CHEAPEST_EVER"),
        ("first_solution_large", "CHEAPEST_EVER"),
        ("metaheuristic", "TABU"),
        ("ruin", "SISR2"),
        ("recreate", "SAVINGS"),
        ("acceptance", "RECORD_TO_RECORD"),
    ],
)
def test_a_bad_strategy_is_named(field: str, value: str) -> None:
    with pytest.raises(ValueError, match=rf"{field} '{value}' is not one of"):
        SearchParams.from_dict({field: value})


def test_unknown_operator_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown local search operator"):
        SearchParams.from_dict({"operators": {"three_opt": True}})
    with pytest.raises(ValueError, match="mapping"):
        SearchParams.from_dict({"operators": ["or_opt"]})


@pytest.mark.parametrize(
    "changes",
    [
        {"ruin_visits": 0},
        {"ruin_max_sequence": 0},
        {"num_workers": 0},
        {"solution_limit": -1},
        {"large_problem_nodes": -1},
        {"ruin_bypass_factor": 1.5},
        {"ls_operator_neighbors_ratio": 0.0},
        {"ls_operator_min_neighbors": 0},
        {"guided_local_search_lambda": 0.0},
        {"initial_temperature": 10.0},
        {"initial_temperature": 1.0, "final_temperature": 10.0},
    ],
)
def test_out_of_range_values_are_rejected(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SearchParams.from_dict(changes)


# --------------------------------------------------------------------------- dict round trip


def test_from_dict_round_trip() -> None:
    custom = SearchParams(
        first_solution="PATH_CHEAPEST_ARC",
        first_solution_large="LOCAL_CHEAPEST_INSERTION",
        large_problem_nodes=500,
        ruin="RANDOM_WALK",
        ruin_visits=12,
        recreate="LOCAL_CHEAPEST_COST_INSERTION",
        recreate_random_order=True,
        acceptance="GREEDY_DESCENT",
        initial_temperature=50.0,
        final_temperature=0.5,
        operators=(("or_opt", False), ("cross_exchange", True)),
        ils_operators={"two_opt": False},
        num_workers=3,
        solution_limit=100,
    )
    for params in (SearchParams(), ORTOOLS_DEFAULT, custom):
        data = params.to_dict()
        assert SearchParams.from_dict(data) == params
        assert SearchParams.from_dict(json.loads(json.dumps(data))) == params


def test_operator_switches() -> None:
    assert set(TUNED_OPERATORS) <= set(OPERATORS)
    defaults = SearchParams()
    assert defaults.operator_switches(iterated=True) == dict(TUNED_OPERATORS)
    # Guided local search (this process, by default) keeps OR-Tools' operators unless told otherwise.
    assert defaults.operator_switches() == {}
    params = SearchParams.from_dict(
        {"operators": {"lin_kernighan": True, "cross": False}, "ils_operators": {"or_opt": False}}
    )
    assert params.operator_switches(iterated=True) == {"or_opt": False, "lin_kernighan": True, "cross": False}
    assert params.operator_switches(iterated=False) == {"lin_kernighan": True, "cross": False}


def test_first_solution_by_size() -> None:
    params = SearchParams(first_solution_large="PATH_CHEAPEST_ARC", large_problem_nodes=500)
    assert params.first_solution_for(499) == "PARALLEL_CHEAPEST_INSERTION"
    assert params.first_solution_for(500) == "PATH_CHEAPEST_ARC"
    assert SearchParams().first_solution_for(10_000) == "PARALLEL_CHEAPEST_INSERTION"


# --------------------------------------------------------------------------- what OR-Tools gets


@pytest.mark.parametrize(
    "params",
    [
        SearchParams(),
        ORTOOLS_DEFAULT,
        SearchParams(use_iterated_local_search=True),
        SearchParams(
            use_iterated_local_search=True,
            ruin="SPATIALLY_CLOSE_ROUTES",
            acceptance="GREEDY_DESCENT",
            improve_perturbed=False,
        ),
        SearchParams(use_iterated_local_search=True, initial_temperature=100.0, final_temperature=0.01),
    ],
)
def test_ortools_accepts_the_parameters(params: SearchParams) -> None:
    search = _search_parameters(params, 1.0)
    assert pywrapcp.FindErrorInRoutingSearchParameters(search) == ""
    ils = params.use_iterated_local_search
    assert search.use_iterated_local_search == ils
    # The iterated local search descends greedily after each perturbation.
    expected = "GREEDY_DESCENT" if ils else params.metaheuristic
    assert search.local_search_metaheuristic == routing_enums_pb2.LocalSearchMetaheuristic.Value.Value(
        expected
    )


def test_operator_switches_reach_ortools() -> None:
    iterated = SearchParams(use_iterated_local_search=True, operators={"or_opt": False, "path_lns": True})
    search = _search_parameters(iterated, 1.0)
    operators = search.local_search_operators
    assert operators.use_or_opt == optional_boolean_pb2.BOOL_FALSE
    assert operators.use_path_lns == optional_boolean_pb2.BOOL_TRUE
    assert operators.use_lin_kernighan == optional_boolean_pb2.BOOL_FALSE
    guided = _search_parameters(SearchParams(), 1.0).local_search_operators
    assert (
        guided.use_lin_kernighan
        == pywrapcp.DefaultRoutingSearchParameters().local_search_operators.use_lin_kernighan
    )


# --------------------------------------------------------------------------- the engine with the defaults


@pytest.mark.slow
def test_tuned_defaults_solve_c101_to_a_plan_the_rescorer_accepts() -> None:
    data = read_solomon(instance_path("C101"))
    solution = solve_instance(to_instance(data), time_limit_s=2.0, seed=1)
    score = score_routes(data, solution.routes)
    assert not solution.dropped
    assert score.feasible, score.errors
    assert score.distance_tenths == solution.objective
    assert solution.status == "success"
    distance, _ = read_bks()["C101"]
    assert score.distance <= 1.01 * distance


def test_iterated_local_search_uses_the_whole_time_limit() -> None:
    """It used to stop at the first local optimum after a fraction of a second."""
    data = first_customers(read_solomon(instance_path("R101")), 50)
    params = SearchParams(use_iterated_local_search=True, num_workers=1, use_pyvrp=False)
    solution = solve_instance(to_instance(data), time_limit_s=1.5, seed=1, params=params)
    assert solution.solve_seconds >= 1.4
    assert score_routes(data, solution.routes).feasible


@pytest.mark.slow
def test_should_stop_is_honoured_with_the_defaults() -> None:
    """Asked to stop at once, the search keeps its first plan and its background search is gone.

    With 20 s to go, R101's search would find dozens of better plans; here it reports the first
    one, perhaps once more from the improvement phase's start, and nothing after.
    """
    data = read_solomon(instance_path("R101"))
    found: list[int] = []
    asked: list[bool] = []
    running = set(multiprocessing.active_children())

    def stop() -> bool:
        asked.append(True)
        return True

    solution = solve_instance(
        to_instance(data),
        time_limit_s=20.0,
        seed=1,
        on_solution=lambda _t, objective: found.append(objective),
        should_stop=stop,
    )
    assert asked and 1 <= len(found) <= 2
    assert solution.objective == min(found) and len(solution.history) <= 2
    assert set(multiprocessing.active_children()) <= running
    assert score_routes(data, solution.routes).feasible


@pytest.mark.slow
def test_parallel_seeds_keep_the_best_plan() -> None:
    data = first_customers(read_solomon(instance_path("RC101")), 30)
    instance = to_instance(data)
    best = solve_instance_parallel(instance, time_limit_s=2.0, seeds=[1, 2])
    assert score_routes(data, best.routes).feasible
    assert best.history and best.history[-1][1] == best.objective
    assert all(a[1] > b[1] for a, b in zip(best.history, best.history[1:], strict=False))


@pytest.mark.slow
def test_num_workers_keeps_the_callbacks() -> None:
    data = first_customers(read_solomon(instance_path("RC101")), 30)
    seen: list[int] = []
    solution = solve_instance(
        to_instance(data),
        time_limit_s=MIN_WORKER_TIME_S,
        seed=1,
        params=SearchParams(num_workers=2),
        on_solution=lambda _t, objective: seen.append(objective),
    )
    assert score_routes(data, solution.routes).feasible
    assert seen and min(seen) == solution.objective


def test_workers_only_for_time_limits_they_can_use() -> None:
    assert workers_for(SearchParams(num_workers=1), 60.0) == 1
    assert workers_for(SearchParams(num_workers=2), MIN_WORKER_TIME_S / 2) == 1
    assert workers_for(SearchParams(num_workers=2), 60.0) <= 2


def test_for_cores_never_asks_for_more_searches_than_cores() -> None:
    assert SearchParams().num_workers == 2
    assert SearchParams().for_cores(1).num_workers == 1
    assert SearchParams().for_cores(4) == SearchParams()
    assert SearchParams(num_workers=3).for_cores(2).num_workers == 2
    with pytest.raises(ValueError, match="cores"):
        SearchParams().for_cores(0)


def read_instance(path: Path) -> RoutingInstance:
    data = json.loads(path.read_text())
    values: dict[str, object] = {}
    for name, value in data.items():
        if isinstance(value, dict):
            values[name] = np.array(value["data"], dtype=value["dtype"])
        elif name == "allowed_vehicles":
            values[name] = tuple(None if v is None else frozenset(v) for v in value)
        else:
            values[name] = value
    return RoutingInstance(**values)  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_worker_whose_iterated_local_search_never_returns_is_killed_at_the_deadline() -> None:
    """A one-day model of the sample on which OR-Tools 9.15's SolveWithIteratedLocalSearch loops.

    The product runs that search only in a worker process, and the plan of this process's
    guided local search stands when the worker does not answer in time: the call returns with
    it, and no worker is left running.
    """
    instance = read_instance(Path(__file__).parent / "data" / "ils_never_returns.json")
    running = set(multiprocessing.active_children())
    solution = solve_instance(instance, time_limit_s=MIN_WORKER_TIME_S, seed=0)
    assert set(multiprocessing.active_children()) <= running
    assert solution.status == "success"
    alone = solve_instance(instance, time_limit_s=0.5, seed=0, params=SearchParams(num_workers=1))
    assert solution.objective <= alone.objective
