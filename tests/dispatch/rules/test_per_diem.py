"""per_diem: a day that goes beyond the employer's ``per_diem_min_km`` pays the allowance, once."""

from __future__ import annotations

from dataclasses import replace

from dromologio.dispatch.rules.base import COST_UNITS_PER_EUR
from tests.dispatch.rules import model_of, node_of
from tests.factories import problem, school, technician, ticket


def test_schools_beyond_the_distance_form_the_far_zone_entered_at_the_per_diem() -> None:
    near, far = school("S1", 10), school("S2", 80)
    ours, theirs = technician("T1"), technician("T2", employer="Πανεπιστήμιο Ιωαννίνων")
    p = problem([near, far], [ours, theirs], [ticket("K1", "S1"), ticket("K2", "S2")])
    p = p.replace(
        policy=replace(
            p.policy,
            employers={"Πανεπιστήμιο Ιωαννίνων": {"per_diem_min_km": 5.0, "per_diem_same_day_share": 0.5}},
        )
    )
    model = model_of(p)
    zone, cost = model.instance.zone, model.instance.zone_entry_cost
    assert zone is not None and cost is not None
    k1, k2 = node_of(model, "K1"), node_of(model, "K2")
    assert zone[0, [k1, k2]].tolist() == [False, True]
    assert zone[1, [k1, k2]].tolist() == [True, True]
    assert cost.tolist() == [40 * COST_UNITS_PER_EUR, 20 * COST_UNITS_PER_EUR]
    # Entering the zone from outside pays it; moving inside it does not.
    start = int(model.instance.vehicle_start[0])
    arcs = model.instance.vehicle_arc_cost(0) - model.instance.arc_cost(
        float(model.instance.vehicle_distance_cost[0]), float(model.instance.vehicle_time_cost[0])
    )
    assert arcs[start, k2] == 40 * COST_UNITS_PER_EUR and arcs[k1, k2] == 40 * COST_UNITS_PER_EUR
    assert arcs[start, k1] == 0 and arcs[k2, k1] == 0


def test_no_per_diem_no_zone() -> None:
    p = problem([school("S1", 80)], [technician("T1")], [ticket("K1", "S1")])
    p = p.replace(policy=replace(p.policy, per_diem_eur=0.0))
    model = model_of(p)
    assert model.instance.zone is not None and not model.instance.zone.any()
    assert model.instance.zone_entry_cost is not None and model.instance.zone_entry_cost.tolist() == [0]
