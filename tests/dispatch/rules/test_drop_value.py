"""drop_value: leaving a ticket undone costs its value — priority x age factor x due factor."""

from __future__ import annotations

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


def test_a_dropped_ticket_is_not_worth_it_when_someone_could_go_else_capacity() -> None:
    k1 = ticket("K1", "S1", priority="low")
    t1, t2 = technician("T1"), technician("T2")
    not_worth = drop_value.explain_drop(k1, (t1, t2), {"T2"})
    assert not_worth.code == drop_value.NOT_WORTH and "T2 could go" in not_worth.text
    assert "T1" not in not_worth.text
    full = drop_value.explain_drop(k1, (t1, t2), set())
    assert full.code == drop_value.CAPACITY and "(T1, T2)" in full.text
