"""travel_cost: road km at the technician's rate and hours on the road at the policy's value."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dromologio.dispatch.rules import travel_cost
from dromologio.dispatch.rules.base import COST_UNITS_PER_EUR
from tests.dispatch.rules import model_of, node_of
from tests.factories import problem, school, technician, ticket


def test_each_technician_pays_its_own_rate_per_metre_and_time_has_the_policy_value() -> None:
    own_rate, default_rate = technician("T1", cost_per_km=0.25), technician("T2")
    p = problem([school("S1", 5)], [own_rate, default_rate], [ticket("K1", "S1")])
    p = p.replace(policy=replace(p.policy, time_value_eur_per_hour=18.0))
    model = model_of(p)
    instance = model.instance
    per_metre = COST_UNITS_PER_EUR / 1000
    assert instance.vehicle_distance_cost.tolist() == pytest.approx([0.25 * per_metre, 0.15 * per_metre])
    assert instance.vehicle_time_cost.tolist() == pytest.approx([18 * COST_UNITS_PER_EUR / 3600] * 2)
    # The arc from the base to the school costs its metres and seconds at those rates.
    start, school_node = int(instance.vehicle_start[0]), node_of(model, "K1")
    assert instance.vehicle_arc_cost(0)[start, school_node] == round(
        instance.distance[start, school_node] * 0.25 * per_metre
        + instance.duration[start, school_node] * 18 * COST_UNITS_PER_EUR / 3600
    )
    assert travel_cost.RULE.hard is False and travel_cost.RULE.checker_rule is None
