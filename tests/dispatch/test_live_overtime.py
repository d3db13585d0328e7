"""The live day applies the policy's overtime as the day plan does: a visit running past the shift's
end stretches to now within the day's overtime, and the re-planned route pays the minutes it ends late."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from dromologio.dispatch import solve
from dromologio.dispatch.live import LiveState
from dromologio.models import Problem
from dromologio.models.checker import check_plan
from tests.dispatch.test_live import _world
from tests.factories import DAY, at


def short_shift() -> Problem:
    """The live tests' world with T1 on a shift that ends at 13:00 (its schools close at 14:00)."""
    world = _world()
    t1 = dataclasses.replace(world.technician_by_id["T1"], shift_end_min=13 * 60)
    return world.replace(technicians=tuple(t1 if t.technician_id == "T1" else t for t in world.technicians))


def with_overtime(world: Problem, minutes: int) -> Problem:
    policy = dataclasses.replace(world.policy, overtime_max_min_per_day=minutes, overtime_eur_per_hour=30.0)
    return world.replace(policy=policy)


def late_visit(world: Problem) -> LiveState:
    """T1 started A1 (60 min) at 12:00; at 13:50 it is still there."""
    return LiveState(now=at("13:50"), started={"A1": ("T1", at("12:00"))}).completed(world, DAY)


def running_until(world: Problem) -> datetime:
    """When the frozen visit of A1 ends in the live state."""
    (stop,) = late_visit(world).kept["T1"]
    assert stop.end is not None
    return stop.end


def test_work_running_at_now_stretches_into_the_overtime_allowed_and_no_further() -> None:
    world = short_shift()
    finished = at("12:00") + timedelta(minutes=60 + world.policy.visit_setup_min)
    assert running_until(world) == finished  # a hard shift end: the visit's own length
    assert running_until(with_overtime(world, 60)) == at("13:50")  # until now
    assert running_until(with_overtime(world, 30)) == max(finished, at("13:30"))


def test_the_replanned_route_ends_in_overtime_and_pays_for_it() -> None:
    world = with_overtime(short_shift(), 60)
    world = world.replace(tickets=tuple(t for t in world.tickets if t.ticket_id == "A1"))
    plan = solve(world, DAY, time_limit_s=0.3, seed=1, live=late_visit(world)).plan
    route = next(r for r in plan.routes if r.technician_id == "T1")
    assert route.ticket_ids == ("A1",)
    assert route.overtime_min > 0
    assert route.costs.get("overtime_eur") == round(route.overtime_min * 30.0 / 60.0, 2)
    report = check_plan(world, plan)
    assert report.ok, str(report)
