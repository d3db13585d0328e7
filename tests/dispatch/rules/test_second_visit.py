"""second_visit: one technician per school and day, unless no single one has the skills or the time."""

from __future__ import annotations

from dataclasses import replace

from dromologio.dispatch import solve
from dromologio.dispatch.rules import drop_value, second_visit
from dromologio.dispatch.rules.base import COST_UNITS_PER_EUR
from dromologio.models import Problem
from dromologio.models.checker import check_plan
from tests.dispatch.rules import model_of, node_of
from tests.factories import DAY, problem, school, technician, ticket

#: a handful of visits: the first solution and the local search's first descent settle them
#: within milliseconds, so a short limit gives the plans a long one gives.
LIMIT_S = 0.3


def test_the_first_ticket_of_a_school_is_the_most_pressing_one_somebody_can_serve() -> None:
    p = problem(
        [school("S1", 5), school("S2", 8)],
        [technician("T1", ["windows", "network"])],
        [
            ticket("K1", "S1", days_open=3),
            ticket("K2", "S1", "network", priority="high", days_open=1),
            ticket("K3", "S1", "ltsp", priority="urgent"),  # nobody has ltsp
            ticket("K4", "S2", days_open=2),
            ticket("K5", "S2", days_open=2, remote=True),
        ],
    )
    assert second_visit.first_tickets(p) == {"K2", "K4"}


def test_every_visit_costs_it_and_the_first_ticket_carries_it_back() -> None:
    p = problem(
        [school("S1", 5)],
        [technician("T1"), technician("T2")],
        [ticket("K1", "S1", priority="high"), ticket("K2", "S1")],
    )
    model = model_of(p)
    instance = model.instance
    k1, k2 = node_of(model, "K1"), node_of(model, "K2")
    twenty = 20 * COST_UNITS_PER_EUR
    assert instance.visit_cost is not None and instance.visit_cost[:, [k1, k2]].tolist() == [[twenty] * 2] * 2
    values = drop_value.day_values(p, DAY)
    assert instance.drop_penalty[k1] == round(values.value_eur(p.tickets[0]) * COST_UNITS_PER_EUR) + twenty
    assert instance.drop_penalty[k2] == round(values.value_eur(p.tickets[1]) * COST_UNITS_PER_EUR)
    extra = instance.vehicle_arc_cost(1) - instance.arc_cost(
        float(instance.vehicle_distance_cost[1]), float(instance.vehicle_time_cost[1])
    )
    start = int(instance.vehicle_start[1])
    assert extra[start, k1] == extra[start, k2] == twenty and extra[k1, k2] == extra[k2, k1] == 0


def test_a_school_with_one_ticket_to_serve_cannot_be_visited_twice_and_costs_nothing() -> None:
    p = problem(
        [school("S1", 5), school("S2", 8)],
        [technician("T1", ["windows"])],
        [ticket("K1", "S1"), ticket("K2", "S2"), ticket("K3", "S2", "ltsp", priority="urgent")],
    )
    model = model_of(p)
    k1, k2 = node_of(model, "K1"), node_of(model, "K2")
    values = drop_value.day_values(p, DAY)
    assert model.instance.visit_cost is None  # K3 (nobody has ltsp) is no node: S2's one node is its first
    assert model.instance.drop_penalty[k1] == round(values.value_eur(p.tickets[0]) * COST_UNITS_PER_EUR)
    assert model.instance.drop_penalty[k2] == round(values.value_eur(p.tickets[1]) * COST_UNITS_PER_EUR)


def technicians_at(p: Problem) -> set[str]:
    result = solve(p, DAY, time_limit_s=LIMIT_S)
    assert check_plan(p, result.plan.to_dict()).ok
    assert result.plan.unassigned == ()
    return {r.technician_id for r in result.plan.routes if r.ticket_ids}


def test_one_technician_serves_a_school_unless_the_skills_or_the_time_need_two() -> None:
    both = [technician("T1"), technician("T2")]
    pair = [
        ticket("K1", "S1", "windows", service_minutes=120),
        ticket("K2", "S1", "network", service_minutes=120),
    ]
    p = problem([school("S1", 5)], both, pair)
    assert len(technicians_at(p)) == 1
    # Without the cost, spreading the work (the balance rule) sends both to the school.
    assert technicians_at(p.replace(policy=replace(p.policy, second_visit_eur=0.0))) == {"T1", "T2"}
    # Nobody has both skills: two technicians.
    split_skills = [technician("T1", ["windows"]), technician("T2", ["network"])]
    assert technicians_at(problem([school("S1", 5)], split_skills, pair)) == {"T1", "T2"}
    # Eight hours of work in a school open 08:15-14:00: the day needs two.
    long = [replace(k, service_minutes=240) for k in pair]
    assert technicians_at(problem([school("S1", 5)], both, long)) == {"T1", "T2"}
