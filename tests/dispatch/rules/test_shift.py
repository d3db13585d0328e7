"""shift: a route starts and ends inside the technician's shift."""

from __future__ import annotations

from dromologio.dispatch.build import precheck_ticket
from dromologio.dispatch.rules import school_hours, shift
from tests.dispatch.rules import day_of, model_of
from tests.factories import problem, school, technician, ticket


def test_vehicle_windows_are_the_shifts() -> None:
    p = problem(
        [school("S1", 5)],
        [technician("T1", shift=("07:30", "15:30")), technician("T2", shift=("09:00", "13:00"))],
        [ticket("K1", "S1")],
    )
    model = model_of(p)
    assert model.instance.vehicle_windows.tolist() == [
        [7 * 3600 + 1800, 15 * 3600 + 1800],
        [9 * 3600, 13 * 3600],
    ]
    assert shift.RULE.encode is not None and shift.RULE.admits is None


def test_the_way_back_must_fit_the_shift() -> None:
    early, late = technician("T1", shift=("08:00", "11:00")), technician("T2")
    k1 = ticket("K1", "S1", service_minutes=150)
    p = problem([school("S1", 20)], [early, late], [k1])
    day = day_of(p)
    assert not school_hours.admits(day, early, k1)
    assert school_hours.admits(day, late, k1)
    _, reason = precheck_ticket(day_of(problem([school("S1", 20)], [early], [k1])), k1)
    # The school is open until 14:00: the shift, not the school's hours, is the limit.
    assert reason is not None and reason.code == shift.SHIFT
    assert "the shift ends" in reason.text and "the shift ends at 11:00" in reason.text
    assert "η βάρδια τελειώνει" in reason.text


def test_the_school_closing_first_is_the_hours_reason_not_the_shift() -> None:
    early = technician("T1", shift=("08:00", "11:00"))
    k1 = ticket("K1", "S1", service_minutes=150)
    p = problem([school("S1", 20, closes="10:30")], [early], [k1])
    _, reason = precheck_ticket(day_of(p), k1)
    assert reason is not None and reason.code == school_hours.HOURS
    assert "08:15–10:30" in reason.text and "shift" not in reason.text
