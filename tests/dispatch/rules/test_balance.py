"""balance: each hour of work on the busiest technician's day costs ``balance_eur_per_hour``."""

from __future__ import annotations

from dataclasses import replace

from dromologio.dispatch.rules.base import COST_UNITS_PER_EUR
from tests.dispatch.rules import model_of
from tests.factories import problem, school, technician, ticket


def test_the_balance_cost_is_the_policy_rate_per_second_of_work() -> None:
    p = problem([school("S1", 5)], [technician("T1"), technician("T2")], [ticket("K1", "S1")])
    assert model_of(p).instance.balance_cost == round(4.0 * COST_UNITS_PER_EUR / 3600) == 11
    steep = p.replace(policy=replace(p.policy, balance_eur_per_hour=36.0))
    assert model_of(steep).instance.balance_cost == 100
    off = p.replace(policy=replace(p.policy, balance_eur_per_hour=0.0))
    assert model_of(off).instance.balance_cost == 0
