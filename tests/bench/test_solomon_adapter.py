"""The Solomon adapter and the independent re-scorer used by ``bench/solomon_bench.py``."""

from __future__ import annotations

import pytest

from bench.rescore import read_routes, score_routes
from bench.solomon import INSTANCE_DIR, first_customers, instance_path, read_bks, read_solomon, to_instance
from dromologio.dispatch import solve_instance


@pytest.mark.parametrize("name", ["C101", "R101", "RC208"])
def test_best_known_solutions_rescore_to_their_cost(name: str) -> None:
    data = read_solomon(instance_path(name))
    score = score_routes(data, read_routes(INSTANCE_DIR / f"{name}.sol"))
    distance, vehicles = read_bks()[name]
    assert score.feasible, score.errors
    assert score.distance == pytest.approx(distance, abs=1e-9)
    assert score.vehicles == vehicles


def test_engine_solution_is_accepted_and_its_distance_matches() -> None:
    data = first_customers(read_solomon(instance_path("R101")), 25)
    solution = solve_instance(to_instance(data), time_limit_s=1.0, seed=1)
    score = score_routes(data, solution.routes)
    assert not solution.dropped
    assert score.feasible, score.errors
    assert score.distance_tenths == solution.objective
    assert score.distance == solution.objective / 10


def test_rescorer_rejects_a_missed_customer() -> None:
    data = read_solomon(instance_path("C101"))
    routes = read_routes(INSTANCE_DIR / "C101.sol")
    missed = routes[0].pop(3)
    score = score_routes(data, routes)
    assert not score.feasible
    assert any(f"not served: {missed}" in e for e in score.errors)


def test_rescorer_rejects_a_customer_served_twice() -> None:
    data = read_solomon(instance_path("C101"))
    routes = read_routes(INSTANCE_DIR / "C101.sol")
    routes[1].append(routes[0][0])
    score = score_routes(data, routes)
    assert any("served 2 times" in e for e in score.errors)


def test_rescorer_rejects_a_violated_time_window() -> None:
    data = read_solomon(instance_path("C101"))
    routes = read_routes(INSTANCE_DIR / "C101.sol")
    routes[0].reverse()  # same customers, same distance, windows now far out of order
    score = score_routes(data, routes)
    assert not score.feasible
    assert any("starts at" in e and "> due" in e for e in score.errors)
    assert not any("not served" in e or "capacity" in e for e in score.errors)


def test_rescorer_rejects_an_overloaded_route() -> None:
    data = read_solomon(instance_path("C101"))
    routes = read_routes(INSTANCE_DIR / "C101.sol")
    merged = [routes[0] + routes[1] + routes[2], *routes[3:]]
    score = score_routes(data, merged)
    assert any("capacity" in e for e in score.errors)
