"""Why did this visit move? A re-plan's move weighed against the checked day that keeps it.

Hand-made days around Ioannina (``tests.factories``: plain terrain, a road move of ``d``
straight-line km is 1.3 d km): T1 had K2 at S2, next to its own K1 at S1, in the published
plan; the re-plans below give K2 to T2 (whose other school, S3, lies the other way), or
leave it undone.  Routes are timed with the contract's own day timing
(:func:`~dromologio.models.retime.time_day`), so each plan passes the checker.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from dromologio.models import Plan, Problem, Route, Unassigned
from dromologio.models.audit import day_objective_eur
from dromologio.models.checker import check_plan
from dromologio.models.retime import Travel, Visit, day_of, time_day
from dromologio.planning.moves import weigh_move
from tests.factories import DAY, problem, school, technician, ticket

MOVE_EUR = 30.0


def _problem(t1_shift: tuple[str, str] = ("08:00", "16:00"), km: float = 10) -> Problem:
    """S1 ``km`` north, S2 a little farther, S3 ``km`` south."""
    return problem(
        [school("S1", north_km=km), school("S2", north_km=km + 2), school("S3", north_km=-km)],
        [technician("T1", shift=t1_shift), technician("T2")],
        [
            ticket("K1", "S1", service_minutes=60),
            ticket("K2", "S2", service_minutes=60),
            ticket("K3", "S3", service_minutes=60),
        ],
    )


def _route(p: Problem, technician_id: str, visits: list[tuple[str, tuple[str, ...]]]) -> Route:
    tech = p.technician_by_id[technician_id]
    frame = day_of(p, tech, DAY, None)
    assert frame is not None
    schedule = time_day(p, Travel(p, DAY), frame, [Visit(s, t) for s, t in visits])
    assert schedule is not None, visits
    return schedule.route()


def _plan(p: Problem, routes: list[Route], unassigned: tuple[str, ...] = ()) -> Plan:
    plan = Plan(
        (DAY,), tuple(routes), tuple(Unassigned(t, "χωρίς χρόνο / no time", "capacity") for t in unassigned)
    )
    assert check_plan(p, plan).ok, check_plan(p, plan)
    return plan


def test_a_move_that_costs_more_than_keeping_breaks_the_rule() -> None:
    p = _problem()
    replan = _plan(
        p, [_route(p, "T1", [("S1", ("K1",))]), _route(p, "T2", [("S2", ("K2",)), ("S3", ("K3",))])]
    )
    weighed = weigh_move(p, replan, "K2", "T1", now=datetime(2026, 11, 23, 7, 0))
    assert weighed.to_technician == "T2" and weighed.kept_route is not None
    assert weighed.saved_eur is not None and weighed.saved_eur < 0 and not weighed.pays(MOVE_EUR)
    # The counterfactual is the checked day that keeps K2 with T1, and saved_eur its objective
    # minus the re-plan's, as the plan audit prices a day.
    kept = _plan(p, [weighed.kept_route, _route(p, "T2", [("S3", ("K3",))])])
    assert [s.ticket_ids for s in weighed.kept_route.visits] in ([("K1",), ("K2",)], [("K2",), ("K1",)])
    expected = day_objective_eur(p, kept, DAY) - day_objective_eur(p, replan, DAY)
    assert abs(weighed.saved_eur - expected) < 0.01


def test_a_move_is_allowed_when_keeping_fits_nowhere() -> None:
    p = _problem(t1_shift=("08:00", "10:00"))
    replan = _plan(
        p, [_route(p, "T1", [("S1", ("K1",))]), _route(p, "T2", [("S2", ("K2",)), ("S3", ("K3",))])]
    )
    weighed = weigh_move(p, replan, "K2", "T1", now=datetime(2026, 11, 23, 7, 0))
    assert weighed.saved_eur is None and weighed.kept_route is None and weighed.pays(MOVE_EUR)


def test_a_move_that_saves_more_than_the_move_cost_is_allowed() -> None:
    p = _problem(km=50)
    # T2's route goes past S2 on its way: T1 keeping K2 only adds a trip.
    replan = _plan(
        p, [_route(p, "T1", [("S3", ("K3",))]), _route(p, "T2", [("S1", ("K1",)), ("S2", ("K2",))])]
    )
    weighed = weigh_move(p, replan, "K2", "T1", now=datetime(2026, 11, 23, 7, 0))
    assert weighed.saved_eur is not None and weighed.saved_eur > MOVE_EUR and weighed.pays(MOVE_EUR)


def test_a_ticket_left_undone_counts_its_value() -> None:
    p = _problem()
    replan = _plan(p, [_route(p, "T1", [("S1", ("K1",))]), _route(p, "T2", [("S3", ("K3",))])], ("K2",))
    weighed = weigh_move(p, replan, "K2", "T1", now=datetime(2026, 11, 23, 7, 0))
    assert weighed.to_technician is None and weighed.kept_route is not None
    kept = _plan(p, [weighed.kept_route, _route(p, "T2", [("S3", ("K3",))])])
    expected = day_objective_eur(p, kept, DAY) - day_objective_eur(p, replan, DAY)
    assert weighed.saved_eur is not None and abs(weighed.saved_eur - expected) < 0.01
    assert not weighed.pays(MOVE_EUR)


def test_the_day_before_now_stays_and_nothing_is_put_before_now() -> None:
    p = _problem()
    t1 = _route(p, "T1", [("S1", ("K1",))])
    replan = _plan(p, [t1, _route(p, "T2", [("S2", ("K2",)), ("S3", ("K3",))])])
    # At 08:10 T1 has started K1 (at 08:15 as planned: a visit under way keeps its times).
    now = datetime(2026, 11, 23, 8, 10)
    weighed = weigh_move(p, replan, "K2", "T1", now=now, frozen={"K1"})
    assert weighed.kept_route is not None
    first, *rest = weighed.kept_route.visits
    assert first == t1.visits[0]
    assert [v.ticket_ids for v in rest] == [("K2",)]
    assert all(v.start is not None and first.end is not None and v.start >= first.end for v in rest)
    kept = replace(replan, routes=(weighed.kept_route, _route(p, "T2", [("S3", ("K3",))])))
    assert check_plan(p, kept).ok


def test_a_ticket_kept_later_in_the_day_starts_no_earlier_than_now() -> None:
    p = _problem()
    t1 = _route(p, "T1", [("S1", ("K1",))])
    replan = _plan(p, [t1, _route(p, "T2", [("S3", ("K3",))])], ("K2",))
    now = datetime(2026, 11, 23, 10, 0)
    weighed = weigh_move(p, replan, "K2", "T1", now=now)
    assert weighed.kept_route is not None
    first, second = weighed.kept_route.visits
    assert first == t1.visits[0] and second.ticket_ids == ("K2",)
    assert second.start is not None and second.start >= now
