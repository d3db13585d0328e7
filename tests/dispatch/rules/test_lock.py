"""lock: a locked ticket goes only to its technician, or is unassigned saying why."""

from __future__ import annotations

from dromologio.dispatch.build import precheck_ticket
from dromologio.dispatch.rules import lock
from tests.dispatch.rules import day_of, model_of, node_of
from tests.factories import problem, school, technician, ticket


def test_only_the_locked_technician_is_admitted_and_allowed() -> None:
    t1, t2 = technician("T1"), technician("T2")
    k1, k2 = ticket("K1", "S1"), ticket("K2", "S1")
    p = problem([school("S1", 5)], [t1, t2], [k1, k2])
    day = day_of(p, locks={"K1": "T2"})
    assert [lock.admits(day, t, k1) for t in (t1, t2)] == [False, True]
    assert [lock.admits(day, t, k2) for t in (t1, t2)] == [True, True]
    model = model_of(p, locks={"K1": "T2"})
    assert model.instance.allowed_vehicles[node_of(model, "K1")] == frozenset({1})
    assert model.instance.allowed_vehicles[node_of(model, "K2")] == frozenset({0, 1})


def test_a_lock_to_nobody_or_to_someone_who_cannot_go_is_the_reason() -> None:
    k1 = ticket("K1", "S1", "ltsp")
    p = problem([school("S1", 5)], [technician("T1"), technician("T2", ["windows"])], [k1])
    _, unknown = precheck_ticket(day_of(p, locks={"K1": "T9"}), k1)
    assert unknown is not None and unknown.code == lock.LOCKED
    assert "T9" in unknown.text and "not in the problem" in unknown.text
    _, cannot = precheck_ticket(day_of(p, locks={"K1": "T2"}), k1)
    assert cannot is not None and cannot.code == lock.LOCKED
    assert cannot.text == (
        "δεσμευμένο στον T2, που δεν μπορεί σήμερα: κανένας τεχνικός δεν έχει την ειδικότητα ltsp / "
        "locked to T2, who cannot serve it today: no technician has skill ltsp"
    )
