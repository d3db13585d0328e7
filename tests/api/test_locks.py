"""Ticket locks in the solve (no HTTP): a locked ticket is served by its technician or no one."""

from __future__ import annotations

from dromologio.api.solving import solve_plan
from dromologio.models.checker import check_plan
from tests.factories import DAY, base, problem, school, technician, ticket


def test_a_locked_ticket_goes_to_its_technician_even_when_another_is_closer() -> None:
    p = problem(
        [school("S1", 1, 0), school("S2", 20, 0)],
        [technician("NEAR"), technician("FAR", base_id="B2")],
        [ticket("K1", "S1"), ticket("K2", "S2")],
        bases=[base("B1"), base("B2", north_km=25)],
    )
    plan = solve_plan(p, DAY, locks={"K1": "FAR"}, time_limit_s=1)
    assert check_plan(p, plan).ok, str(check_plan(p, plan))
    owner = {t: r.technician_id for r in plan.routes for t in r.ticket_ids}
    assert owner["K1"] == "FAR"
    assert len(plan.visited_ticket_ids) + len(plan.unassigned) == 2


def test_a_ticket_locked_to_someone_absent_is_unassigned_with_the_reason() -> None:
    p = problem([school("S1", 1, 0)], [technician("A")], [ticket("K1", "S1"), ticket("K2", "S1")])
    plan = solve_plan(p, DAY, locks={"K1": "GONE"}, time_limit_s=1)
    assert check_plan(p, plan).ok
    [item] = plan.unassigned
    assert item.ticket_id == "K1" and "GONE" in item.reason and item.code == "locked"
    assert plan.kpis["tickets"] == 2 and plan.kpis["unassigned"] == 1
