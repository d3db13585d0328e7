"""Nights that position a technician for tomorrow, also on a day solved in parts.

A generated island day of a two-day plan (70 tickets, 10 technicians, seed 5) offers one
positioning night; split into small parts, the part holding that night and a sailing to it
gets the positioning constructor around its island excursions, every other part only the
excursions (or nothing).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from dromologio.dispatch.build import DayModel, build_day
from dromologio.dispatch.decompose import PartConstructor, part_instance, split
from dromologio.dispatch.engine import FeasibilityOracle
from dromologio.dispatch.excursions import ExcursionBuilder
from dromologio.dispatch.params import SearchParams
from dromologio.dispatch.positioning import PositioningBuilder
from dromologio.dispatch.search import search_instance
from dromologio.dispatch.triage import triage
from dromologio.geo import RoadEstimateModel
from dromologio.models import Problem
from dromologio.models.readers import read_problem
from dromologio.sample import SAMPLE_DATE
from dromologio.sample.generate import generate_problem_files


@pytest.fixture(scope="module")
def problem(tmp_path_factory: pytest.TempPathFactory) -> Problem:
    folder = generate_problem_files(
        tmp_path_factory.mktemp("positioning") / "p", num_tickets=70, num_technicians=10, seed=5
    )
    return read_problem(folder)


@pytest.fixture(scope="module")
def model(problem: Problem) -> DayModel:
    travel = RoadEstimateModel(problem.policy.road_speed_kmh, problem.policy.road_circuity)
    tomorrow = SAMPLE_DATE + timedelta(days=1)
    return build_day(
        problem, triage(problem.tickets).to_visit, SAMPLE_DATE, travel, allow_lodging=True, next_date=tomorrow
    )


def test_the_part_with_a_positioning_night_gets_it_and_the_others_their_excursions(
    problem: Problem, model: DayModel
) -> None:
    excursions = ExcursionBuilder(problem, model)
    builder = PositioningBuilder(problem, model, excursions)
    assert isinstance(builder, PartConstructor)
    ((vehicle, night, _, _),) = builder.nights
    positioned = 0
    for vehicles, visits in split(model.instance, min_part_visits=4):
        part = part_instance(model.instance, vehicles, visits)
        view = builder.part(part.instance, part.vehicles, part.nodes)
        inner = excursions.part(part.instance, part.vehicles, part.nodes)
        if vehicle in part.vehicles and night in part.nodes:
            positioned += 1
            assert isinstance(view, PositioningBuilder)
            assert isinstance(view.inner, ExcursionBuilder)
            ((part_vehicle, part_night, worth, cost),) = view.nights
            assert (part.vehicles[part_vehicle], part.nodes[part_night]) == (vehicle, night)
            assert (worth, cost) == (builder.nights[0][2], builder.nights[0][3])
            island = model.nodes[night].island
            assert view.sailings[(part_vehicle, island)]
        else:
            assert type(view) is type(inner)
    assert positioned == 1


def test_the_part_s_first_solution_positions_the_technician_for_tomorrow(
    problem: Problem, model: DayModel
) -> None:
    builder = PositioningBuilder(problem, model, ExcursionBuilder(problem, model))
    ((vehicle, night, _, _),) = builder.nights
    vehicles, visits = next((v, n) for v, n in split(model.instance, min_part_visits=4) if vehicle in v)
    part = part_instance(model.instance, vehicles, visits)
    view = builder.part(part.instance, part.vehicles, part.nodes)
    assert isinstance(view, PositioningBuilder)
    built: list[list[list[int]]] = []

    def recording(routes: list[list[int]], feasible: FeasibilityOracle, deadline: float) -> list[list[int]]:
        built.append(view(routes, feasible, deadline))
        return built[-1]

    search_instance(
        part.instance, time_limit_s=0.2, params=SearchParams(num_workers=1), constructor=recording
    )
    (routes,) = built
    route = [part.nodes[n] for n in routes[part.vehicles.index(vehicle)]]
    assert route[-1] == night
    assert model.nodes[route[-2]].kind == "sailing"
