"""drop_value: leaving a ticket undone costs its value — its priority tier's floor + priority x age x due."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from dromologio.dispatch.rules import drop_value
from dromologio.dispatch.rules.base import COST_UNITS_PER_EUR
from dromologio.models import Policy
from tests.dispatch.rules import model_of, node_of
from tests.factories import DAY, problem, school, technician, ticket


def test_value_grows_with_priority_age_and_a_due_date() -> None:
    policy = Policy()
    fresh = ticket("K1", "S1", priority="low", days_open=0)
    old = ticket("K2", "S1", priority="urgent", days_open=22)
    overdue = ticket("K3", "S1", days_open=1, due_by=datetime(2026, 11, 23, 12, 0))
    due_soon = ticket("K4", "S1", days_open=1, due_by=datetime(2026, 11, 24, 18, 0))
    assert drop_value.ticket_value_eur(fresh, DAY, policy) == 50.0  # opened on the day itself: no age
    assert drop_value.ticket_value_eur(old, DAY, policy) == pytest.approx(400 * 3.0)  # age factor capped
    # Opened at 09:00 the day before: 0.625 days old when the planned day starts.
    assert drop_value.ticket_value_eur(overdue, DAY, policy) == pytest.approx(100 * (1 + 0.1 * 15 / 24) * 4)
    assert drop_value.ticket_value_eur(due_soon, DAY, policy) == pytest.approx(100 * (1 + 0.1 * 15 / 24) * 2)


def test_ticket_nodes_may_be_dropped_at_their_value_and_depots_never() -> None:
    k1 = ticket("K1", "S1", priority="high")
    p = problem([school("S1", 5)], [technician("T1")], [k1])
    model = model_of(p)
    expected = round(drop_value.ticket_value_eur(k1, DAY, p.policy) * COST_UNITS_PER_EUR)
    assert model.instance.drop_penalty[node_of(model, "K1")] == expected
    assert {int(model.instance.drop_penalty[d]) for d in model.instance.depot_nodes} == {-1}
    assert model.protected == frozenset()  # a high ticket has no floor in urgent_first


def test_urgent_first_puts_urgent_tickets_above_every_other_ticket_and_the_days_travel() -> None:
    urgent = ticket("U1", "S1", priority="urgent", days_open=0)
    others = [ticket(f"N{i}", "S2", days_open=20, due_by=datetime(2026, 11, 23, 12, 0)) for i in range(5)]
    p = problem([school("S1", 5), school("S2", 8)], [technician("T1"), technician("T2")], [urgent, *others])
    values = drop_value.day_values(p, DAY)
    own = sum(drop_value.ticket_value_eur(t, DAY, p.policy) for t in others)
    bound = drop_value.day_cost_bound_eur(p, DAY)
    assert bound > 2 * 8 * 60 * 0.15  # two shifts driven at 60 km/h at least
    assert values.value_eur(urgent) > own + bound
    assert values.value_eur(others[0]) == drop_value.ticket_value_eur(others[0], DAY, p.policy)
    model = model_of(p)
    assert model.protected == frozenset({node_of(model, "U1")})
    weighted = drop_value.day_values(p.replace(policy=replace(p.policy, priority_mode="weighted")), DAY)
    assert weighted.value_eur(urgent) == 400.0 < weighted.value_eur(others[0]) * 5


def test_strict_tiers_stack_the_floors_and_values_stay_capped() -> None:
    tickets = [ticket(f"K{p}", "S1", priority=p) for p in ("low", "normal", "high", "urgent")]
    p = problem([school("S1", 5)], [technician("T1")], tickets)
    p = p.replace(policy=replace(p.policy, priority_mode="strict_tiers"))
    values = drop_value.day_values(p, DAY)
    low, normal, high, urgent = (values.value_eur(t) for t in tickets)
    assert values.floors["low"] == 0.0
    assert normal > low + drop_value.day_cost_bound_eur(p, DAY)
    assert high > low + normal and urgent > low + normal + high
    huge = p.replace(
        policy=replace(p.policy, priority_value_eur={**p.policy.priority_value_eur, "urgent": 1e12})
    )
    assert drop_value.day_values(huge, DAY).value_eur(tickets[3]) == drop_value.MAX_VALUE_EUR
    model = model_of(huge)
    assert int(model.instance.drop_penalty.max()) == drop_value.MAX_PENALTY == 10**14


def test_an_unknown_priority_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="priority_mode must be one of urgent_first, weighted, strict_tiers"):
        Policy(priority_mode="urgent")
    assert Policy.from_dict({"priority_mode": "weighted"}).priority_mode == "weighted"


def test_a_dropped_ticket_is_not_worth_it_when_someone_could_go_else_capacity() -> None:
    k1 = ticket("K1", "S1", priority="low")
    t1, t2 = technician("T1"), technician("T2")
    not_worth = drop_value.explain_drop(k1, (t1, t2), {"T2"})
    assert not_worth.code == drop_value.NOT_WORTH and "T2 could go" in not_worth.text
    assert "T1" not in not_worth.text
    # ... but never for a ticket that outweighs the day's travel.
    protected = drop_value.explain_drop(k1, (t1, t2), {"T2"}, protected=True)
    assert protected.code == drop_value.CAPACITY and "no route found" in protected.text


def test_lower_priority_only_when_every_visit_that_took_the_day_has_a_higher_one() -> None:
    k1 = ticket("K1", "S1", priority="normal")
    t1, t2 = technician("T1"), technician("T2")
    higher = {"T1": [ticket("H1", "S2", priority="high")], "T2": [ticket("U1", "S3", priority="urgent")]}
    lower = drop_value.explain_drop(k1, (t1, t2), set(), higher)
    assert lower.code == drop_value.CAPACITY and "lower priority than the visits" in lower.text
    assert "(T1, T2)" in lower.text
    mixed = {"T1": [ticket("H1", "S2", priority="high")], "T2": [ticket("L1", "S3", priority="low")]}
    full = drop_value.explain_drop(k1, (t1, t2), set(), mixed)
    assert full.code == drop_value.CAPACITY and "lower priority than" not in full.text
    assert "same or lower priority (L1)" in full.text and "H1" not in full.text
    # A protected ticket is displaced only by its own tier: lower visits are not why.
    urgent = ticket("U9", "S1", priority="urgent")
    alone = drop_value.explain_drop(urgent, (t1, t2), set(), mixed, protected=True)
    assert "no route found" in alone.text
