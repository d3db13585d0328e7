"""zone: a technician with a home zone pays ``outside_zone_eur`` per visit outside it."""

from __future__ import annotations

from dataclasses import replace

from dromologio.dispatch import solve
from dromologio.dispatch.rules.base import COST_UNITS_PER_EUR
from dromologio.models import Problem
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from tests.dispatch.rules import model_of, node_of
from tests.factories import DAY, base, problem, school, technician, ticket

#: a handful of visits: the first solution and the local search's first descent settle them
#: within milliseconds, so a short limit gives the plans a long one gives.
LIMIT_S = 0.3


def test_visits_outside_the_home_zone_cost_once_per_visit_and_zone_less_staff_pay_nothing() -> None:
    zoned = replace(technician("T1"), extra={"home_zone": " Ζαγόρι "})
    centre = technician("T2")
    inside = replace(school("S1", 5), extra={"zone": "ζαγόρι"})
    outside = replace(school("S2", 8), extra={"zone": "Κόνιτσα"})
    none = school("S3", 3)
    p = problem(
        [inside, outside, none],
        [zoned, centre],
        [ticket("K1", "S1"), ticket("K2", "S2"), ticket("K3", "S3")],
    )
    p = p.replace(policy=replace(p.policy, second_visit_eur=0.0))
    model = model_of(p)
    cost = model.instance.visit_cost
    assert cost is not None
    ten = 10 * COST_UNITS_PER_EUR
    nodes = [node_of(model, k) for k in ("K1", "K2", "K3")]
    assert cost[:, nodes].tolist() == [[0, ten, ten], [0, 0, 0]]


def sub_station() -> Problem:
    """S1 lies outside zone Z, 4 km from the zone technician's base and 6 km from the centre's."""
    return problem(
        [replace(school("S1", 10), extra={"zone": "Y"})],
        [replace(technician("T_ZONE"), extra={"home_zone": "Z"}), technician("T_CENTRE", base_id="B2")],
        [ticket("K1", "S1"), ticket("K2", "S1", "network")],
        bases=[base("B1", 6), base("B2", 16)],
    )


def served_by(p: Problem) -> str:
    plan = solve(p, DAY, time_limit_s=LIMIT_S).plan
    assert check_plan(p, plan.to_dict()).ok and audit_plan(p, plan).ok
    (route,) = [r for r in plan.routes if r.ticket_ids]
    return route.technician_id


def test_the_zone_technician_leaves_its_zone_only_when_it_pays() -> None:
    p = sub_station()
    # About 1.5 EUR of extra travel for the centre's technician, less than a visit outside the zone.
    assert served_by(p) == "T_CENTRE"
    assert served_by(p.replace(policy=replace(p.policy, outside_zone_eur=0.0))) == "T_ZONE"
    in_zone = p.replace(schools=(replace(p.schools[0], extra={"zone": "z"}),))
    assert served_by(in_zone) == "T_ZONE"
