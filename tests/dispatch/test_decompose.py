"""Big days in parts: split, solved part by part, repaired across borders, one plan the checker accepts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dromologio.dispatch import solve
from dromologio.dispatch.build import DayModel, build_day
from dromologio.dispatch.decompose import (
    PartConstructor,
    num_visits,
    part_instance,
    repair_borders,
    route_cost,
    route_fits,
    solve_in_parts,
    split,
)
from dromologio.dispatch.engine import decomposes
from dromologio.dispatch.excursions import ExcursionBuilder
from dromologio.dispatch.executor import DaskExecutor, InlineExecutor, executor_for
from dromologio.dispatch.instance import RoutingInstance
from dromologio.dispatch.params import SearchParams
from dromologio.dispatch.triage import triage
from dromologio.geo import RoadEstimateModel
from dromologio.models import Problem
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem
from dromologio.sample import SAMPLE_DATE
from dromologio.sample.generate import generate_problem_files

#: small parts, so that a problem of a few dozen tickets splits.
IN_PARTS = SearchParams(decompose_above_visits=10, decompose_min_part_visits=4, num_workers=1)


@pytest.fixture(scope="module")
def problem(tmp_path_factory: pytest.TempPathFactory) -> Problem:
    folder = generate_problem_files(
        tmp_path_factory.mktemp("decompose") / "p", num_tickets=70, num_technicians=10, seed=3
    )
    return read_problem(folder)


@pytest.fixture(scope="module")
def model(problem: Problem) -> DayModel:
    travel = RoadEstimateModel(problem.policy.road_speed_kmh, problem.policy.road_circuity)
    return build_day(problem, triage(problem.tickets).to_visit, SAMPLE_DATE, travel)


@pytest.fixture(scope="module")
def instance(model: DayModel) -> RoutingInstance:
    return model.instance


def test_parts_with_sailings_get_the_island_excursions(problem: Problem, model: DayModel) -> None:
    builder = ExcursionBuilder(problem, model)
    assert isinstance(builder, PartConstructor)
    with_sailings = 0
    for vehicles, visits in split(model.instance, min_part_visits=4):
        part = part_instance(model.instance, vehicles, visits)
        sailings = [n for n in part.nodes if model.nodes[n].kind == "sailing"]
        view = builder.part(part.instance, part.vehicles, part.nodes)
        assert (view is None) == (not sailings)
        if view is not None:
            with_sailings += 1
            legs = [leg.node for vehicle_legs in view.legs.values() for leg in vehicle_legs]
            assert sorted(part.nodes[n] for n in legs) == sorted(sailings)
    assert with_sailings > 0


def test_every_visit_and_vehicle_lies_in_exactly_one_part(instance: RoutingInstance) -> None:
    layout = split(instance, min_part_visits=4)
    assert len(layout) > 1
    vehicles = [v for part_vehicles, _ in layout for v in part_vehicles]
    assert sorted(vehicles) == list(range(instance.num_vehicles))
    visits = [n for _, part_visits in layout for n in part_visits]
    assert len(visits) == len(set(visits))
    servable = {n for n in instance.visit_nodes if instance.allowed_vehicles[n] != frozenset()}
    assert set(visits) == servable
    for part_vehicles, part_visits in layout:
        for node in part_visits:
            allowed = instance.allowed_vehicles[node]
            if allowed is not None and len(allowed) == 1:  # a sailing: with its technician
                assert next(iter(allowed)) in part_vehicles


def test_a_part_instance_prices_and_times_arcs_as_the_whole(instance: RoutingInstance) -> None:
    part_vehicles, part_visits = split(instance, min_part_visits=4)[0]
    part = part_instance(instance, part_vehicles, part_visits)
    nodes = np.array(part.nodes)
    tails, heads = np.meshgrid(np.arange(len(nodes)), np.arange(len(nodes)), indexing="ij")
    for k, vehicle in enumerate(part.vehicles):
        whole = instance.vehicle_arc_cost(vehicle)[np.ix_(nodes, nodes)]
        assert (part.instance.vehicle_arc_cost(k) == whole).all()
        assert (instance.arc_costs(vehicle, nodes[tails], nodes[heads]) == whole).all()
    assert (part.instance.transit_time() == instance.transit_time()[np.ix_(nodes, nodes)]).all()


def test_small_days_stay_one_model(instance: RoutingInstance) -> None:
    assert not decomposes(instance, SearchParams())
    assert decomposes(instance, IN_PARTS) and num_visits(instance) > 10


def test_a_day_of_one_group_stays_one_model(instance: RoutingInstance) -> None:
    together = dataclasses.replace(instance, vehicle_group=np.zeros(instance.num_vehicles, dtype=np.int64))
    assert not decomposes(together, IN_PARTS)


def test_the_parts_make_one_solution_priced_as_the_whole_model(instance: RoutingInstance) -> None:
    solution = solve_in_parts(instance, time_limit_s=3.0, seed=1, params=IN_PARTS)
    assert solution.status.startswith("decomposed:") and int(solution.status.split(":")[1]) > 1
    visited = [n for route in solution.routes for n in route]
    assert len(visited) == len(set(visited))
    assert set(visited) | set(solution.dropped) == set(instance.visit_nodes)
    for vehicle, route in enumerate(solution.routes):
        assert route_fits(instance, vehicle, route)
    arcs = sum(route_cost(instance, v, r) for v, r in enumerate(solution.routes) if r)
    penalties = sum(int(instance.drop_penalty[n]) for n in solution.dropped if instance.drop_penalty[n] > 0)
    work = max(
        int(instance.service[int(instance.vehicle_start[v])]) + int(instance.service[list(r)].sum())
        for v, r in enumerate(solution.routes)
    )
    assert solution.objective == arcs + penalties + instance.balance_cost * work
    assert [t for t, _ in solution.history] == sorted(t for t, _ in solution.history)


def test_repair_inserts_a_dropped_visit_where_it_is_worth_it(instance: RoutingInstance) -> None:
    routes: list[list[int]] = [[] for _ in range(instance.num_vehicles)]
    worth = [
        n
        for n in instance.visit_nodes
        if instance.drop_penalty[n] > 0 and instance.allowed_vehicles[n] not in (None, frozenset())
    ]
    node = max(worth, key=lambda n: int(instance.drop_penalty[n]))
    assert repair_borders(instance, routes, deadline=float("inf")) > 0
    holder = [v for v, route in enumerate(routes) if node in route]
    assert len(holder) == 1 and route_fits(instance, holder[0], routes[holder[0]])


def test_a_day_in_parts_is_one_plan_the_checker_accepts(problem: Problem) -> None:
    result = solve(problem, SAMPLE_DATE, time_limit_s=3.0, seed=1, params=IN_PARTS)
    assert result.solution.status.startswith("decomposed:")
    plan = result.plan.to_dict()
    report = check_plan(problem, plan)
    assert report.ok, str(report)
    assert result.plan.kpis["visited"] > 0


@pytest.mark.slow
def test_the_parts_on_a_dask_cluster_give_the_same_plan_as_here(instance: RoutingInstance) -> None:
    """Greedy descents end at their local optimum well within the limit: the plan does not depend on
    where the parts run."""
    import logging

    from distributed import Client, LocalCluster

    settled = IN_PARTS.replace(use_pyvrp=False, metaheuristic="GREEDY_DESCENT")
    here = solve_in_parts(instance, time_limit_s=6.0, seed=2, params=settled, executor=InlineExecutor(1))
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster, set_as_default=False) as client,  # type: ignore[no-untyped-call]
    ):
        there = solve_in_parts(
            instance, time_limit_s=6.0, seed=2, params=settled, executor=DaskExecutor(client)
        )
    assert there.routes == here.routes
    assert there.objective == here.objective
    assert there.dropped == here.dropped


def test_a_scheduler_is_local_or_an_address() -> None:
    with pytest.raises(ValueError, match="local"):
        executor_for(" ")


@pytest.mark.slow
def test_a_day_in_parts_on_a_local_dask_cluster_is_one_checked_plan(problem: Problem) -> None:
    executor = executor_for("local")
    try:
        assert isinstance(executor, DaskExecutor) and executor.workers >= 1
        result = solve(problem, SAMPLE_DATE, time_limit_s=3.0, seed=1, params=IN_PARTS, executor=executor)
    finally:
        executor.close()
    assert result.solution.status.startswith("decomposed:")
    report = check_plan(problem, result.plan.to_dict())
    assert report.ok, str(report)
