"""four_by_four: a school that needs a 4x4 gets only technicians with one."""

from __future__ import annotations

from dromologio.dispatch.build import precheck_ticket
from dromologio.dispatch.rules import four_by_four
from tests.dispatch.rules import day_of, model_of, node_of
from tests.factories import problem, school, technician, ticket


def test_a_4x4_school_admits_only_4x4_technicians() -> None:
    car, jeep = technician("T1"), technician("T2", has_4x4=True)
    mountain, plain = ticket("K1", "S1"), ticket("K2", "S2")
    p = problem([school("S1", 20, needs_4x4=True), school("S2", 5)], [car, jeep], [mountain, plain])
    day = day_of(p)
    assert [four_by_four.admits(day, t, mountain) for t in (car, jeep)] == [False, True]
    assert [four_by_four.admits(day, t, plain) for t in (car, jeep)] == [True, True]
    model = model_of(p)
    assert model.instance.allowed_vehicles[node_of(model, "K1")] == frozenset({1})
    assert model.instance.allowed_vehicles[node_of(model, "K2")] == frozenset({0, 1})


def test_no_4x4_among_the_skilled_is_the_reason() -> None:
    k1 = ticket("K1", "S1", "ltsp")
    p = problem(
        [school("S1", 20, needs_4x4=True)],
        [technician("T1", ["ltsp"]), technician("T2", ["windows"], has_4x4=True)],
        [k1],
    )
    _, reason = precheck_ticket(day_of(p), k1)
    assert reason is not None and reason.code == four_by_four.NO_4X4
    assert "Σχολείο S1" in reason.text and "needs a 4x4" in reason.text and "skill ltsp" in reason.text
