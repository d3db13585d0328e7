"""own_directorate: a visit to a school outside the technician's own Directorate(s) costs ``outside_directorate_eur``."""

from __future__ import annotations

from dataclasses import replace

from dromologio.dispatch import solve
from dromologio.dispatch.rules import own_directorate
from dromologio.dispatch.rules.base import COST_UNITS_PER_EUR
from dromologio.models import Base, Problem
from dromologio.models.checker import check_plan
from tests.dispatch.rules import model_of, node_of
from tests.factories import DAY, base, problem, school, technician, ticket

#: a handful of visits: the first solution and the local search's first descent settle them
#: within milliseconds, so a short limit gives the plans a long one gives.
LIMIT_S = 0.3

IOANNINA = "Δ.Π.Ε. Ιωαννίνων"
THESPROTIA = "Δ.Π.Ε. Θεσπρωτίας"


def serving(directorate: str, north_km: float = 0.0, base_id: str = "B1") -> Base:
    """A base that serves ``directorate`` (the ``directorate`` column of bases.csv)."""
    return replace(base(base_id, north_km), extra={"directorate": directorate})


def test_visits_outside_the_own_directorates_cost_once_per_visit() -> None:
    home = serving(IOANNINA)
    unnamed = base("B2")
    t1 = technician("T1")
    t2 = technician("T2", base_id="B2")
    t3 = replace(technician("T3"), extra={"directorates": f"{THESPROTIA} ; "})
    inside, outside = school("S1", 5), replace(school("S2", 8), directorate="  δ.π.ε.  θεσπρωτίας ")
    p = problem(
        [inside, outside],
        [t1, t2, t3],
        [ticket("K1", "S1"), ticket("K2", "S2"), ticket("K3", "S2", "network")],
        bases=[home, unnamed],
    )
    p = p.replace(policy=replace(p.policy, second_visit_eur=0.0))
    key = own_directorate.directorate_key
    assert key("  δ.π.ε.  θεσπρωτίας ") == key(THESPROTIA)
    assert own_directorate.own_directorates(p, t1) == {key(IOANNINA)}
    assert own_directorate.own_directorates(p, t2) == frozenset()  # none named: no outside
    assert own_directorate.own_directorates(p, t3) == {key(IOANNINA), key(THESPROTIA)}
    model = model_of(p)
    instance = model.instance
    k1, k2, k3 = (node_of(model, k) for k in ("K1", "K2", "K3"))
    assert instance.visit_cost is not None
    fifteen = 15 * COST_UNITS_PER_EUR
    assert instance.visit_cost[:, [k1, k2, k3]].tolist() == [[0, fifteen, fifteen], [0, 0, 0], [0, 0, 0]]
    # Paid on reaching the school from elsewhere; the school's second ticket is the same visit.
    extra = instance.vehicle_arc_cost(0) - instance.arc_cost(
        float(instance.vehicle_distance_cost[0]), float(instance.vehicle_time_cost[0])
    )
    start = int(instance.vehicle_start[0])
    assert extra[start, k2] == extra[k1, k2] == fifteen
    assert extra[k2, k3] == 0 and extra[start, k1] == 0
    assert instance.cost_class(0) != instance.cost_class(1) and instance.cost_class(1) == instance.cost_class(
        2
    )


def two_bases() -> Problem:
    """S1 (Ioannina) lies 14 km north of T_OWN's base and 4 km from T_NEAR's, which serves Thesprotia."""
    return problem(
        [school("S1", 14)],
        [technician("T_OWN"), technician("T_NEAR", base_id="B2")],
        [ticket("K1", "S1")],
        bases=[serving(IOANNINA), serving(THESPROTIA, north_km=10, base_id="B2")],
    )


def served_by(p: Problem) -> str:
    result = solve(p, DAY, time_limit_s=LIMIT_S)
    assert check_plan(p, result.plan.to_dict()).ok
    (route,) = [r for r in result.plan.routes if r.ticket_ids]
    return route.technician_id


def test_a_technician_crosses_into_another_directorate_only_when_it_pays() -> None:
    p = two_bases()
    # About 9 EUR of extra travel for T_OWN, less than a visit outside (15 EUR) costs T_NEAR.
    assert served_by(p) == "T_OWN"
    assert served_by(p.replace(policy=replace(p.policy, outside_directorate_eur=0.0))) == "T_NEAR"
