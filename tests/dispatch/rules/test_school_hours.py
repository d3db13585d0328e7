"""school_hours: work at a school, as long as its tickets need, happens while it is open."""

from __future__ import annotations

from dromologio.dispatch.build import precheck_ticket
from dromologio.dispatch.rules import school_hours
from tests.dispatch.rules import day_of, model_of, node_of
from tests.factories import problem, school, technician, ticket


def test_a_visit_that_cannot_fit_the_school_day_is_not_admitted() -> None:
    t1 = technician("T1")
    near, far, short = ticket("K1", "S1"), ticket("K2", "S2"), ticket("K3", "S3", service_minutes=120)
    p = problem(
        [school("S1", 5), school("S2", 200, terrain="mountainous"), school("S3", 5, closes="09:00")],
        [t1],
        [near, far, short],
    )
    day = day_of(p)
    assert [school_hours.admits(day, t1, k) for k in (near, far, short)] == [True, False, False]
    _, reason = precheck_ticket(day, short)
    assert reason is not None and reason.code == school_hours.HOURS
    assert "08:15–09:00" in reason.text and "120 min" in reason.text


def test_ticket_nodes_carry_service_setup_and_the_school_window() -> None:
    p = problem(
        [school("S1", 5, opens="08:30", closes="13:00")],
        [technician("T1")],
        [ticket("K1", "S1", service_minutes=45), ticket("K2", "S1", service_minutes=90)],
    )
    model = model_of(p)
    setup_s = p.policy.visit_setup_min * 60
    for ticket_id, service_s in (("K1", 45 * 60), ("K2", 90 * 60)):
        node = node_of(model, ticket_id)
        assert model.instance.service[node] == service_s
        assert model.instance.setup is not None and model.instance.setup[node] == setup_s
        assert model.instance.time_windows[node].tolist() == [
            8 * 3600 + 30 * 60 + setup_s,
            13 * 3600 - service_s,
        ]
    # Tickets at one school share a location: the setup is paid once per visit.
    assert model.instance.location[node_of(model, "K1")] == model.instance.location[node_of(model, "K2")]
