"""closure: a school behind a closed road is not visited on the closed days."""

from __future__ import annotations

from datetime import timedelta

from dromologio.dispatch.build import precheck_ticket
from dromologio.dispatch.rules import closure
from dromologio.geo.closures import Closure
from tests.dispatch.rules import day_of, model_of
from tests.factories import DAY, problem, school, technician, ticket

SNOW = Closure(reason="closed by snow", start=DAY, end=DAY, place_ids=frozenset({"S1"}))
ICE = Closure(reason="ice", start=DAY, end=DAY, place_ids=frozenset({"S1"}), open_to_4x4=True)


def test_a_closed_road_keeps_everyone_out_and_says_so() -> None:
    car, jeep = technician("T1"), technician("T2", has_4x4=True)
    k1 = ticket("K1", "S1")
    p = problem([school("S1", 20, terrain="mountainous")], [car, jeep], [k1])
    day = day_of(p, closures=[SNOW])
    assert not closure.admits(day, car, k1) and not closure.admits(day, jeep, k1)
    _, reason = precheck_ticket(day, k1)
    assert reason is not None and reason.code == closure.CLOSED
    assert "closed by snow on 2026-11-23" in reason.text
    assert not closure.admits(day_of(p, closures=[ICE]), car, k1)
    assert closure.admits(day_of(p, closures=[ICE]), jeep, k1)


def test_a_closure_ends_and_a_locked_ticket_is_not_held_back() -> None:
    car = technician("T1")
    k1 = ticket("K1", "S1")
    p = problem([school("S1", 20, terrain="mountainous")], [car], [k1])
    assert closure.admits(day_of(p, DAY + timedelta(days=1), closures=[SNOW]), car, k1)
    # The lock is the dispatcher's decision: the closure does not hold the ticket back.
    locked = model_of(p, closures=[SNOW], locks={"K1": "T1"})
    assert locked.precheck_unassigned == {}
    assert model_of(p, closures=[SNOW]).precheck_unassigned["K1"].code == closure.CLOSED
