"""Priorities a Directorate would accept: ``priority_mode`` decides what one free slot goes to.

One technician, one slot of about five hours: either the urgent ticket opened 17 days ago
(own value 400 x 2.66 = 1065 EUR) or three normal tickets at one school, opened 10 days
ago and due tomorrow (100 x 1.96 x 2 = 392.5 EUR each, 1177.5 EUR together).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from dromologio.dispatch import solve
from dromologio.dispatch.road_times import road_times
from dromologio.dispatch.rules import drop_value
from dromologio.dispatch.solve import default_travel_model
from dromologio.models import Policy, Problem
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem
from dromologio.sample.generate import generate_problem_files
from tests.factories import DAY, problem, school, technician, ticket

#: a handful of visits: the first solution and the local search's first descent settle them
#: within milliseconds, so a short limit gives the plans a long one gives.
LIMIT_S = 0.3

DUE_TOMORROW = datetime(2026, 11, 24, 12, 0)


def one_slot(mode: str, *, urgent: str = "urgent") -> Problem:
    p = problem(
        [school("S1", 6), school("S2", east_km=6)],
        [technician("T1")],
        [
            ticket("U1", "S1", priority=urgent, service_minutes=300, days_open=17),
            *(
                ticket(f"N{i}", "S2", service_minutes=100, days_open=10, due_by=DUE_TOMORROW)
                for i in range(1, 4)
            ),
        ],
    )
    return p.replace(policy=replace(p.policy, priority_mode=mode))


def planned(p: Problem) -> tuple[set[str], dict[str, tuple[str, str]]]:
    # The first solution takes the single most valuable ticket; with seed 1 the local search's
    # first moves already trade it for the three when they are worth more (weighted).
    plan = solve(p, DAY, time_limit_s=LIMIT_S, seed=1).plan
    assert check_plan(p, plan.to_dict()).ok
    assert audit_plan(p, plan, road=road_times(p, default_travel_model(p))).ok
    return set(plan.visited_ticket_ids), {u.ticket_id: (u.code, u.reason) for u in plan.unassigned}


def test_the_weighted_values_let_three_normal_tickets_outweigh_an_old_urgent_one() -> None:
    p = one_slot("weighted")
    urgent = drop_value.ticket_value_eur(p.tickets[0], DAY, p.policy)
    normal = drop_value.ticket_value_eur(p.tickets[1], DAY, p.policy)
    assert urgent == pytest.approx(1065.0) and normal == pytest.approx(392.5) and 3 * normal > urgent
    served, unassigned = planned(p)
    assert served == {"N1", "N2", "N3"}
    code, reason = unassigned["U1"]
    # The visits that took the day have a lower priority: never "lower priority" for the urgent one.
    assert code == "capacity" and "lower priority than" not in reason and "(N1, N2, N3)" in reason


def test_urgent_first_serves_the_urgent_ticket_and_says_why_the_others_wait() -> None:
    served, unassigned = planned(one_slot("urgent_first"))
    assert served == {"U1"}
    for ticket_id in ("N1", "N2", "N3"):
        code, reason = unassigned[ticket_id]
        assert code == "capacity" and "lower priority than the visits that filled the day" in reason


def test_urgent_first_is_the_default() -> None:
    assert Policy().priority_mode == "urgent_first"
    assert Policy.from_dict({}).priority_mode == "urgent_first"


def test_strict_tiers_put_every_priority_above_all_lower_ones() -> None:
    # A high ticket (200 x 2.66 = 532 EUR) against the same three normal ones.
    assert planned(one_slot("urgent_first", urgent="high"))[0] == {"N1", "N2", "N3"}
    assert planned(one_slot("strict_tiers", urgent="high"))[0] == {"U1"}


def test_within_a_tier_age_still_orders_tickets() -> None:
    p = problem(
        [school("S1", 6), school("S2", east_km=6)],
        [technician("T1")],
        [
            ticket("U_OLD", "S1", priority="urgent", service_minutes=300, days_open=12),
            ticket("U_NEW", "S2", priority="urgent", service_minutes=300, days_open=2),
        ],
    )
    values = drop_value.day_values(p, DAY)
    assert values.value_eur(p.tickets[0]) > values.value_eur(p.tickets[1])
    served, unassigned = planned(p)
    assert served == {"U_OLD"}
    code, reason = unassigned["U_NEW"]
    assert code == "capacity" and "same or lower priority (U_OLD)" in reason


def test_an_urgent_ticket_outweighs_all_others_of_a_generated_problem(tmp_path: Path) -> None:
    folder = generate_problem_files(tmp_path / "p", num_tickets=60, num_technicians=6, seed=3, islands=True)
    p = read_problem(folder)
    values = drop_value.day_values(p, DAY)
    urgent = [t for t in p.tickets if t.priority == "urgent" and t.needs_visit]
    others = [t for t in p.tickets if t.priority != "urgent" and t.needs_visit]
    assert urgent and others
    lower = sum(values.value_eur(t) + p.policy.second_visit_eur for t in others)
    assert min(values.value_eur(t) for t in urgent) > lower + drop_value.day_cost_bound_eur(p, DAY)
    # Far below the cap: the solver's integers stay small.
    assert max(values.value_eur(t) for t in urgent) < drop_value.MAX_VALUE_EUR / 1000
