"""skill: a technician serves only tickets whose skill they have."""

from __future__ import annotations

from dromologio.dispatch.build import precheck_ticket
from dromologio.dispatch.rules import skill
from tests.dispatch.rules import day_of, model_of, node_of
from tests.factories import problem, school, technician, ticket


def test_only_technicians_with_the_skill_are_admitted_and_allowed() -> None:
    windows, ltsp = technician("T1", ["windows"]), technician("T2", ["ltsp"])
    k1 = ticket("K1", "S1", "ltsp")
    p = problem([school("S1", 5)], [windows, ltsp], [k1])
    day = day_of(p)
    assert not skill.admits(day, windows, k1)
    assert skill.admits(day, ltsp, k1)
    model = model_of(p)
    assert model.instance.allowed_vehicles[node_of(model, "K1")] == frozenset({1})


def test_a_skill_nobody_has_is_the_reason() -> None:
    k1 = ticket("K1", "S1", "egov")
    p = problem([school("S1", 5)], [technician("T1", ["windows"])], [k1])
    eligible, reason = precheck_ticket(day_of(p), k1)
    assert eligible == ()
    assert reason is not None and reason.code == skill.NO_SKILL == "no_skill"
    assert reason.text == "κανένας τεχνικός δεν έχει την ειδικότητα egov / no technician has skill egov"
    assert model_of(p).precheck_unassigned == {"K1": reason}
