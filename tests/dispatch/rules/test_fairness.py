"""fairness: a technician ahead of its employer's allowances pays a surcharge on new ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from dromologio.dispatch import solve
from dromologio.dispatch.costs import route_costs
from dromologio.dispatch.rules.base import COST_UNITS_PER_EUR
from dromologio.dispatch.rules.fairness import Allowances
from dromologio.models import Plan, Policy, Problem
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from tests.dispatch.rules import model_of
from tests.dispatch.test_islands import island_problem, sailing
from tests.factories import DAY, problem, school, technician, ticket

#: a handful of visits: the first solution and the local search's first descent settle them
#: within milliseconds, so a short limit gives the plans a long one gives.
LIMIT_S = 0.3

UNIVERSITY = "Πανεπιστήμιο Ιωαννίνων"
#: Syros to Tinos in the morning, back only after the shift or the next morning: a night away.
TIMETABLE = [sailing("JSY", "TIN", "07:15"), sailing("TIN", "JSY", "17:30"), sailing("TIN", "JSY", "08:00")]


def test_only_the_technician_ahead_of_its_employers_mean_pays_more_for_the_far_zone() -> None:
    # T1 and T2 work for one body, T3 for another: T3's 200 EUR count only against its own body.
    techs = [technician("T1"), technician("T2"), technician("T3", employer=UNIVERSITY)]
    p = problem([school("S1", 80)], techs, [ticket("K1", "S1")])
    p = p.replace(policy=replace(p.policy, fairness_eur_per_allowance_eur=0.5))
    so_far = {"T1": Allowances(80.0, 1), "T3": Allowances(200.0, 2)}
    cost = model_of(p, allowances_so_far=so_far).instance.zone_entry_cost
    assert cost is not None
    # T1 is 40 EUR above its body's mean of 40: each new per diem of 40 EUR costs 40 x 1.5.
    assert cost.tolist() == [60 * COST_UNITS_PER_EUR, 40 * COST_UNITS_PER_EUR, 40 * COST_UNITS_PER_EUR]
    # With the term at 0 (the default), nobody pays more.
    plain = p.replace(policy=replace(p.policy, fairness_eur_per_allowance_eur=0.0))
    plain_cost = model_of(plain, allowances_so_far=so_far).instance.zone_entry_cost
    assert plain_cost is not None and plain_cost.tolist() == [40 * COST_UNITS_PER_EUR] * 3


def test_a_night_away_costs_more_to_the_technician_ahead_on_nights() -> None:
    single = island_problem(TIMETABLE)
    p = single.replace(
        technicians=(*single.technicians, replace(single.technicians[0], technician_id="T2")),
        policy=replace(single.policy, fairness_eur_per_night=30.0, fairness_eur_per_allowance_eur=0.25),
    )
    model = model_of(
        p, allow_lodging=True, next_date=DAY + timedelta(days=1), allowances_so_far={"T1": Allowances(0.0, 1)}
    )
    assert model.instance.entry_cost is not None
    nights = {
        model.technicians[info.vehicle].technician_id: int(model.instance.entry_cost[node])
        for node, info in enumerate(model.nodes)
        if info.kind == "lodging" and info.vehicle is not None
    }
    # T1 is a night ahead (no money ahead): 80 + 40 EUR and 30 EUR for the night; T2 the allowances alone.
    assert nights == {"T1": (80 + 40 + 30) * COST_UNITS_PER_EUR, "T2": (80 + 40) * COST_UNITS_PER_EUR}


def _one_far_ticket_a_day(term: float) -> Problem:
    """Two technicians of one body and, on each of three days, one ticket 80 km away (a per diem);
    T1 drives for less, so without the term it would take every one."""
    tickets = tuple(
        replace(
            ticket(f"K{d}", f"S{d}", priority="high"),
            opened_at=datetime.combine(DAY + timedelta(days=d), datetime.min.time()),
        )
        for d in range(3)
    )
    return problem(
        [school(f"S{d}", 80, 3 * d) for d in range(3)],
        [technician("T1", cost_per_km=0.10), technician("T2", cost_per_km=0.20)],
        tickets,
        policy=Policy(fairness_eur_per_allowance_eur=term),
    )


def _allowances(plan: Plan) -> dict[str, float]:
    paid = {"T1": 0.0, "T2": 0.0}
    for route in plan.routes:
        paid[route.technician_id] += route.costs.get("per_diem_eur", 0.0) + route.costs.get(
            "overnight_eur", 0.0
        )
    return paid


def _planned(p: Problem) -> Plan:
    plan = solve(p, DAY, days=3, time_limit_s=LIMIT_S).plan
    assert check_plan(p, plan.to_dict()).ok
    assert audit_plan(p, plan).ok
    assert sorted(plan.visited_ticket_ids) == ["K0", "K1", "K2"]
    return plan


def test_with_the_term_the_per_diem_days_spread_across_the_body_and_the_money_stays_what_is_paid() -> None:
    off, on = _planned(_one_far_ticket_a_day(0.0)), _planned(_one_far_ticket_a_day(1.0))
    assert _allowances(off) == {"T1": 120.0, "T2": 0.0}
    # Day 2 T1 is 40 EUR ahead: 40 EUR more for its per diem outweigh the 20 EUR its cheaper km save.
    spread = _allowances(on)
    assert min(spread.values()) > 0 and max(spread.values()) - min(spread.values()) <= 40.0
    assert sum(spread.values()) == 120.0
    # The surcharge is in the objective only: each route costs what is paid for it.
    for route in on.routes:
        assert route.cost_eur == route_costs(_one_far_ticket_a_day(1.0), route)["total"]


@pytest.mark.parametrize("key", ["fairness_eur_per_allowance_eur", "fairness_eur_per_night"])
def test_a_negative_surcharge_is_refused_by_name(key: str) -> None:
    with pytest.raises(ValueError, match=key):
        Policy.from_dict({key: -1})
    with pytest.raises(ValueError, match=key):
        Policy.from_dict({"employers": {UNIVERSITY: {key: -1}}})
