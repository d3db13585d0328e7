"""km_cap: a route's road km stay within the technician's ``max_km_per_day``.

The pre-check drops a ticket whose round trip alone is over every cap; the solver cuts
a route of tickets that each pass the pre-check but together go over it.
"""

from __future__ import annotations

from dromologio.dispatch import solve
from dromologio.dispatch.build import precheck_ticket
from dromologio.dispatch.rules import km_cap
from dromologio.models.checker import check_plan
from tests.dispatch.rules import day_of, model_of
from tests.factories import DAY, problem, school, technician, ticket

#: a handful of visits: the first solution and the local search's first descent settle them
#: within milliseconds, so a short limit gives the plans a long one gives.
LIMIT_S = 0.3


def test_a_round_trip_over_every_cap_is_the_reason() -> None:
    capped, free = technician("T1", max_km_per_day=40), technician("T2")
    k1 = ticket("K1", "S1")
    p = problem([school("S1", 30)], [capped, free], [k1])
    day = day_of(p)
    # About 30 km as the crow flies, 39 km by road (circuity 1.3), 78 km there and back.
    assert 77.5 < km_cap.round_trip_km(day, capped, k1) < 78.5
    assert [km_cap.admits(day, t, k1) for t in (capped, free)] == [False, True]
    only_capped = problem([school("S1", 30)], [capped], [k1])
    _, reason = precheck_ticket(day_of(only_capped), k1)
    assert reason is not None and reason.code == km_cap.KM_CAP and "(78 km)" in reason.text
    assert model_of(p).instance.vehicle_max_distance.tolist() == [40_000, -1]


def test_the_solver_cuts_a_route_whose_tickets_each_pass_the_precheck() -> None:
    # Two schools 12 km north and 12 km south: 31.2 km there and back each, within the
    # 40 km cap, but 62.4 km for both in one route.
    schools = [school("N", 12), school("S", -12)]
    tickets = [ticket("K1", "N", priority="urgent"), ticket("K2", "S", priority="urgent")]
    capped = problem(schools, [technician("T1", max_km_per_day=40)], tickets)
    model = model_of(capped)
    assert model.precheck_unassigned == {}
    assert model.instance.vehicle_max_distance.tolist() == [40_000]
    result = solve(capped, DAY, time_limit_s=LIMIT_S)
    assert check_plan(capped, result.plan.to_dict()).ok
    (route,) = result.plan.routes
    assert len(route.ticket_ids) == 1 and route.distance_km <= 40
    assert [u.code for u in result.plan.unassigned] == ["capacity"]
    # Without the cap the same technician serves both.
    free = problem(schools, [technician("T1")], tickets)
    assert set(solve(free, DAY, time_limit_s=LIMIT_S).plan.visited_ticket_ids) == {"K1", "K2"}
