"""A model that grows with what is needed: sailing copies, per-diem rows, memory, neighbours."""

from __future__ import annotations

import numpy as np
import pytest

import dromologio.dispatch.build as build
from dromologio.dispatch import solve
from dromologio.dispatch.build import build_day
from dromologio.dispatch.parallel import fits_twice, model_bytes
from dromologio.dispatch.params import SearchParams
from dromologio.dispatch.rules.per_diem import haversine_km_from
from dromologio.dispatch.triage import triage
from dromologio.geo import RoadEstimateModel, haversine_km_matrix
from dromologio.models import Problem
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem
from dromologio.sample import SAMPLE_DATE, sample_data_dir


@pytest.fixture(scope="module")
def sample() -> Problem:
    return read_problem(sample_data_dir())


def estimate(problem: Problem) -> RoadEstimateModel:
    return RoadEstimateModel(problem.policy.road_speed_kmh, problem.policy.road_circuity)


def sailing_copies(problem: Problem) -> set[tuple[str, str, str, int]]:
    model = build_day(problem, triage(problem.tickets).to_visit, SAMPLE_DATE, estimate(problem))
    copies = set()
    for info in model.nodes:
        if info.kind == "sailing" and info.sailing is not None and info.vehicle is not None:
            sailing = info.sailing.sailing
            technician = model.technicians[info.vehicle].technician_id
            copies.add((technician, sailing.from_port, sailing.to_port, info.sailing.depart_s))
    return copies


def test_sailing_copies_only_where_a_technician_can_use_them(
    sample: Problem, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = sailing_copies(sample)
    with monkeypatch.context() as patched:
        patched.setattr(build, "_drop_unusable_sailings", lambda day, nodes: None)
        every = sailing_copies(sample)
        # What a model with every copy uses, the leaner model has too.
        result = solve(
            sample,
            SAMPLE_DATE,
            time_limit_s=2.0,
            seed=1,
            params=SearchParams(num_workers=1),
            travel=estimate(sample),
        )
    assert kept < every
    used = {
        (
            route.technician_id,
            str(stop.from_port),
            str(stop.to_port),
            stop.depart.hour * 3600 + stop.depart.minute * 60,
        )
        for route in result.plan.routes
        for stop in route.stops
        if stop.type == "ferry" and stop.depart is not None
    }
    assert used, "the sample's day crosses water"
    assert used <= kept


def test_per_diem_km_from_a_base_is_the_matrix_row() -> None:
    rng = np.random.default_rng(4)
    lat, lon = rng.uniform(36, 40, 50), rng.uniform(20, 26, 50)
    row = haversine_km_matrix(np.append(lat, 39.66), np.append(lon, 20.85))[-1, :-1]
    assert np.array_equal(haversine_km_from(39.66, 20.85, lat, lon), row)


def test_a_second_search_process_only_where_the_model_fits_twice(sample: Problem) -> None:
    instance = build_day(sample, triage(sample.tickets).to_visit, SAMPLE_DATE, estimate(sample)).instance
    needed = model_bytes(instance)
    assert needed >= 4 * instance.num_nodes**2 * 8
    assert fits_twice(instance, available=2 * needed)
    assert not fits_twice(instance, available=2 * needed - 1)


def test_large_models_limit_the_neighbours_each_operator_scans() -> None:
    params = SearchParams()
    assert params.neighbours_for(params.large_model_nodes - 1) == params
    large = params.neighbours_for(4 * params.large_model_nodes)
    assert large.ls_operator_neighbors_ratio * 4 * params.large_model_nodes == pytest.approx(
        params.large_model_neighbors
    )
    assert SearchParams(large_model_nodes=0).neighbours_for(10**6).ls_operator_neighbors_ratio == 1.0


def test_shared_cost_classes_price_every_arc_a_route_can_use_exactly(sample: Problem) -> None:
    instance = build_day(sample, triage(sample.tickets).to_visit, SAMPLE_DATE, estimate(sample)).instance
    of_vehicle, shared = instance.shared_cost_classes()
    assert len(shared) <= len({instance.cost_class(v) for v in range(instance.num_vehicles)})
    for vehicle, touched in enumerate(instance.relevant_nodes()):
        nodes = np.flatnonzero(touched)
        mine = instance.vehicle_arc_cost(vehicle)[np.ix_(nodes, nodes)]
        assert (instance.shared_arc_cost(shared[of_vehicle[vehicle]])[np.ix_(nodes, nodes)] == mine).all()


def test_a_large_model_with_shared_classes_gives_a_checked_plan(sample: Problem) -> None:
    params = SearchParams(num_workers=1, use_pyvrp=False, large_model_nodes=10)
    result = solve(sample, SAMPLE_DATE, time_limit_s=2.0, seed=1, params=params, travel=estimate(sample))
    report = check_plan(sample, result.plan.to_dict())
    assert report.ok, str(report)
    assert result.plan.kpis["visited"] > 0
