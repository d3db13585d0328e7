"""preventive: due preventive visits fill the slack, never displace an urgent repair, and join a repair's visit."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from dromologio.dispatch.rules import preventive
from dromologio.models import Problem, School
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from dromologio.planning.preventive import (
    PreventivePlan,
    after_plan,
    coverage,
    due_visits,
    plan_with_preventive,
)
from tests.factories import DAY, problem, school, technician, ticket


def cared(school_id: str, north_km: float, interval: int, last_days_ago: int | None) -> School:
    extra = {"maintenance_days": str(interval)}
    if last_days_ago is not None:
        extra["last_maintenance"] = (DAY - timedelta(days=last_days_ago)).isoformat()
    return replace(school(school_id, north_km), extra=extra)


def checked(result: PreventivePlan) -> PreventivePlan:
    assert check_plan(result.problem, result.plan.to_dict()).ok
    assert audit_plan(result.problem, result.plan).ok
    return result


def test_visits_fall_due_after_their_interval_and_are_worth_more_the_later_they_are() -> None:
    p = problem(
        [cared("S1", 5, 30, 40), cared("S2", 6, 30, 10), cared("S3", 7, 90, None), school("S4", 8)],
        [technician("T1")],
        [],
    )
    due = {t.ticket_id: t for t in due_visits(p, DAY)}
    overdue_since = DAY - timedelta(days=10)
    assert set(due) == {f"PM-S1-{overdue_since.isoformat()}", f"PM-S3-{DAY.isoformat()}"}
    pm = due[f"PM-S1-{overdue_since.isoformat()}"]
    assert pm.opened_at.date() == overdue_since and pm.priority == "low" and pm.skill == "hardware"
    assert preventive.is_preventive(pm)
    # Within the lead days the next visit may already be planned; once made it is not made again.
    assert len(due_visits(p.replace(policy=replace(p.policy, preventive_lead_days=20)), DAY)) == 3
    assert due_visits(p.replace(tickets=tuple(due.values())), DAY) == ()
    assert coverage(p, DAY) == 1 / 3


def short_day() -> Problem:
    """One technician with room for one job: an urgent repair at S1 or the long-overdue preventive visit at S2."""
    return problem(
        [school("S1", 5), cared("S2", 5.5, 30, 200)],
        [technician("T1", shift=("08:00", "10:30"))],
        [ticket("K1", "S1", priority="urgent", service_minutes=90)],
    )


def test_an_urgent_repair_is_never_dropped_for_a_preventive_visit() -> None:
    result = checked(plan_with_preventive(short_day(), DAY, time_limit_s=1.0))
    assert result.plan.routes[0].ticket_ids == ("K1",)
    ((pm_id,),) = [result.preventive_ids]
    (left,) = result.plan.unassigned
    assert left.ticket_id == pm_id and left.code == preventive.NO_SLACK
    # A day with room serves both, and the school is seen within its interval afterwards.
    roomy = short_day().replace(technicians=(technician("T1"),))
    served = checked(plan_with_preventive(roomy, DAY, time_limit_s=1.0))
    assert not served.plan.unassigned
    later = after_plan(served.problem, [served.plan])
    assert coverage(later, DAY) == 1.0 and not due_visits(later, DAY)


def test_a_repair_and_a_due_preventive_visit_at_one_school_are_one_visit() -> None:
    p = problem(
        [cared("S1", 5, 30, 60)],
        [technician("T1")],
        [ticket("K1", "S1", service_minutes=45)],
    )
    result = checked(plan_with_preventive(p, DAY, time_limit_s=1.0))
    ((school_id, day, ticket_ids),) = result.combined_visits()
    assert school_id == "S1" and day == DAY and set(ticket_ids) == {"K1", *result.preventive_ids}
    (visit,) = [s for s in result.plan.routes[0].stops if s.type == "visit"]
    assert visit.start is not None and visit.end is not None
    assert visit.end - visit.start >= timedelta(minutes=45 + 60)
    # Without the preventive skill the repair goes alone and the preventive visit waits.
    windows_only = p.replace(technicians=(technician("T1", skills=("windows",)),))
    alone = checked(plan_with_preventive(windows_only, DAY, time_limit_s=1.0))
    assert not alone.combined_visits() and alone.plan.routes[0].ticket_ids == ("K1",)
    assert [u.code for u in alone.plan.unassigned] == ["no_skill"]
