"""lunch_break: a route with visits holds a break of fixed length inside the lunch window."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from dromologio.dispatch import solve
from dromologio.dispatch.pyvrp_search import expressible
from dromologio.dispatch.road_times import road_times
from dromologio.dispatch.rules import lunch_break
from dromologio.dispatch.solve import default_travel_model
from dromologio.models import Plan, Policy, Problem, Route
from dromologio.models.audit import audit_plan
from dromologio.models.checker import LUNCH_BREAK, check_plan
from dromologio.models.plan import LunchBreak
from dromologio.models.plan_io import plan_csv_rows
from dromologio.models.readers import read_problem
from dromologio.models.retime import Travel, day_of, time_day, visits_of
from dromologio.planning.slots import PROBE_ID, DayPlan, suggest_slots
from dromologio.reports.exports import route_sheet_html
from dromologio.sample import SAMPLE_DATE, sample_data_dir
from tests.dispatch.rules import model_of
from tests.factories import DAY, problem, school, technician, ticket

LUNCH = Policy(lunch_break_min=30, lunch_window_start="12:00", lunch_window_end="14:30")


def at(hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime.combine(DAY, datetime.min.time()) + timedelta(hours=int(hours), minutes=int(minutes))


def long_day(policy: Policy, *, second_minutes: int = 150) -> Problem:
    """Two long repairs 5 km either side of the base, at schools open until 16:00: one technician's day."""
    return problem(
        [school("S1", 5, closes="16:00"), school("S2", -5, closes="16:00")],
        [technician("T1")],
        [ticket("K1", "S1", service_minutes=200), ticket("K2", "S2", service_minutes=second_minutes)],
        policy=policy,
    )


def only_route(plan: Plan) -> Route:
    (route,) = [r for r in plan.routes if r.visits]
    return route


def assert_break_clear_of_work(route: Route, length_min: int = 30) -> LunchBreak:
    lunch = route.lunch_break
    assert lunch is not None and lunch.minutes >= length_min
    assert at("12:00") <= lunch.start and lunch.end <= at("14:30")
    for stop in route.visits:
        assert stop.start is not None and stop.end is not None
        assert lunch.end <= stop.start or stop.end <= lunch.start
    return lunch


def test_each_technician_whose_shift_meets_the_window_gets_its_break() -> None:
    employers = {"Πανεπιστήμιο": {"lunch_break_min": 45, "lunch_window_start": "13:00"}}
    p = problem(
        [school("S1", 5)],
        [
            technician("T1"),
            technician("T_MORNING", shift=("07:00", "12:15")),
            technician("T_UNI", employer="Πανεπιστήμιο"),
        ],
        [ticket("K1", "S1")],
        policy=replace(LUNCH, employers=employers),
    )
    breaks = model_of(p).instance.vehicle_break
    assert breaks is not None
    assert breaks.tolist() == [
        [12 * 3600, 14 * 3600, 1800, 600],  # starts 12:00 to 14:00, 30 min, a setup's guard
        [0, 0, 0, 0],  # works only 15 min of the window: no break
        [13 * 3600, 13 * 3600 + 45 * 60, 45 * 60, 600],  # its employer's 45 min from 13:00
    ]
    assert model_of(replace(p, policy=Policy())).instance.vehicle_break is None
    # Re-planned from 13:10, the break is still ahead; from 14:10 the window has passed.
    later = model_of(p, now_s=13 * 3600 + 600).instance.vehicle_break
    assert later is not None and later[0].tolist() == [13 * 3600 + 600, 14 * 3600, 1800, 600]
    passed = model_of(p, now_s=14 * 3600 + 600).instance.vehicle_break
    assert passed is None or not passed[:, 2].any()
    assert lunch_break.RULE.hard and lunch_break.RULE.admits is None


def test_a_day_with_breaks_is_not_handed_to_pyvrp() -> None:
    tickets = [ticket(f"K{i}", f"S{i}") for i in range(10)]
    schools = [school(f"S{i}", i, -i) for i in range(10)]
    plain = problem(schools, [technician("T1"), technician("T2")], tickets)
    assert expressible(model_of(plain).instance)
    assert not expressible(model_of(replace(plain, policy=LUNCH)).instance)


def test_a_long_day_takes_its_break_between_the_repairs_and_passes_checker_and_audit() -> None:
    p = long_day(LUNCH)
    plan = solve(p, DAY, time_limit_s=1.0).plan
    route = only_route(plan)
    assert set(route.ticket_ids) == {"K1", "K2"}
    lunch = assert_break_clear_of_work(route)
    first, second = route.visits
    assert first.end is not None and second.start is not None
    assert first.end <= lunch.start and lunch.end <= second.start
    assert check_plan(p, plan.to_dict()).ok
    assert audit_plan(p, plan, road=road_times(p, default_travel_model(p))).ok


def test_the_break_costs_a_repair_that_fits_only_without_it_and_the_audit_agrees() -> None:
    without = solve(long_day(Policy(), second_minutes=200), DAY, time_limit_s=1.0).plan
    assert set(only_route(without).ticket_ids) == {"K1", "K2"}
    p = long_day(LUNCH, second_minutes=200)
    plan = solve(p, DAY, time_limit_s=1.0).plan
    assert len(only_route(plan).ticket_ids) == 1 and len(plan.unassigned) == 1
    assert check_plan(p, plan.to_dict()).ok
    # Taking the second repair would leave no room for the break: the audit proposes nothing.
    assert audit_plan(p, plan, road=road_times(p, default_travel_model(p))).ok


def test_the_checker_wants_the_break_long_enough_in_the_window_and_clear_of_work() -> None:
    p = long_day(LUNCH)
    plan = solve(p, DAY, time_limit_s=1.0).plan
    route = only_route(plan)
    lunch = assert_break_clear_of_work(route)

    def with_break(value: LunchBreak | None) -> Plan:
        return replace(
            plan, routes=tuple(replace(r, lunch_break=value) if r is route else r for r in plan.routes)
        )

    def findings(value: LunchBreak | None) -> list[str]:
        report = check_plan(p, with_break(value).to_dict())
        return [v.message for v in report.violations if v.rule == LUNCH_BREAK]

    assert findings(lunch) == []
    (missing,) = findings(None)
    assert "no lunch break" in missing and "30 min between 12:00 and 14:00" not in missing
    assert "30 min between 12:00 and 14:30" in missing
    assert any(
        "lasts 20 min" in m for m in findings(LunchBreak(lunch.start, lunch.start + timedelta(minutes=20)))
    )
    assert any("outside the lunch window" in m for m in findings(LunchBreak(at("11:00"), at("11:30"))))
    first = route.visits[0]
    assert first.end is not None
    over_work = LunchBreak(first.end - timedelta(minutes=15), first.end + timedelta(minutes=15))
    assert any("overlaps work at the school" in m for m in findings(over_work))
    # Without the policy nobody needs a break: the same plan without it is fine.
    assert check_plan(replace(p, policy=Policy()), with_break(None).to_dict()).ok


def test_the_plan_keeps_its_break_through_json_csv_and_a_retimed_day() -> None:
    p = long_day(LUNCH)
    plan = solve(p, DAY, time_limit_s=1.0).plan
    route = only_route(plan)
    document = plan.to_dict()
    assert Plan.from_dict(document).to_dict() == document
    assert route.lunch_break is not None
    assert document["routes"][0]["lunch_break"] == route.lunch_break.to_dict()
    assert set(route.lunch_break.to_dict()) == {"start", "end"}
    old = {
        **document,
        "routes": [{k: v for k, v in r.items() if k != "lunch_break"} for r in document["routes"]],
    }
    assert all(r.lunch_break is None for r in Plan.from_dict(old).routes)
    rows = [row for row in plan_csv_rows(plan) if row["type"] == "break"]
    assert len(rows) == 1 and rows[0]["technician_id"] == "T1" and rows[0]["seq"] == ""
    assert rows[0]["start"] == route.lunch_break.to_dict()["start"]
    frame = day_of(p, p.technicians[0], DAY, route)
    assert frame is not None
    timed = time_day(p, Travel(p, DAY), frame, visits_of(route))
    assert timed is not None
    retimed = timed.route()
    assert_break_clear_of_work(retimed)
    assert check_plan(p, replace(plan, routes=(retimed,)).to_dict()).ok


@pytest.mark.parametrize(
    "bad", [{"lunch_window_start": "12"}, {"lunch_break_min": 30, "lunch_window_end": "12:20"}]
)
def test_a_bad_lunch_policy_names_the_field(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="lunch_window"):
        Policy.from_dict(bad)


@pytest.mark.slow  # a solver run of seconds: the full run has it
def test_the_sample_with_a_half_hour_lunch_break_passes_checker_and_audit() -> None:
    sample = read_problem(sample_data_dir())
    p = replace(sample, policy=replace(sample.policy, lunch_break_min=30))
    plan = solve(p, SAMPLE_DATE, time_limit_s=3.0, seed=1).plan
    worked = [r for r in plan.routes if r.visits]
    assert worked
    for route in worked:
        technician = p.technician_by_id[route.technician_id]
        span = p.policy.lunch_span_min(technician.shift_start_min, technician.shift_end_min)
        assert span is not None and route.lunch_break is not None
        start = datetime.combine(SAMPLE_DATE, datetime.min.time())
        assert start + timedelta(minutes=span[0]) <= route.lunch_break.start
        assert route.lunch_break.end <= start + timedelta(minutes=span[1])
        assert route.lunch_break.minutes >= 30
    assert check_plan(p, plan.to_dict()).ok
    audit = audit_plan(p, plan, road=road_times(p, default_travel_model(p)))
    assert audit.ok and not audit.not_audited, str(audit)


def test_the_route_sheet_shows_the_break_between_the_stops_around_it() -> None:
    p = long_day(LUNCH)
    plan = solve(p, DAY, time_limit_s=1.0).plan
    lunch = only_route(plan).lunch_break
    assert lunch is not None
    text = " ".join(re.sub(r"<[^>]+>", " ", route_sheet_html(plan, p, "T1")).split())
    shown = f"{lunch.start:%H:%M}–{lunch.end:%H:%M} Διάλειμμα (30′)"
    assert shown in text
    # After the first school's work, before the return to base.
    assert text.index("Σχολείο") < text.index(shown) < text.index("Επιστροφή στη βάση")


def test_a_break_between_two_tickets_at_one_school_pauses_the_visit() -> None:
    # A window from 10:00 to 10:40 and 3 h 40 of work at a school open until 12:45: the only
    # room is between the two repairs.
    p = problem(
        [school("S1", 5, closes="12:45")],
        [technician("T1")],
        [ticket("K1", "S1", service_minutes=90), ticket("K2", "S1", service_minutes=120)],
        policy=replace(LUNCH, lunch_window_start="10:00", lunch_window_end="10:40"),
    )
    plan = solve(p, DAY, time_limit_s=1.0).plan
    route = only_route(plan)
    (visit,) = route.visits
    lunch = route.lunch_break
    assert lunch is not None and visit.start is not None and visit.end is not None
    assert visit.start < lunch.start and lunch.end < visit.end
    assert check_plan(p, plan.to_dict()).ok
    report = audit_plan(p, plan, road=road_times(p, default_travel_model(p)))
    assert report.ok and not report.not_audited
    # The visit's work must still fit around the pause: 30 minutes shorter, it no longer does.
    short = replace(visit, end=visit.end - timedelta(minutes=30))
    squeezed = replace(route, stops=tuple(short if s is visit else s for s in route.stops))
    found = check_plan(p, replace(plan, routes=(squeezed,)).to_dict()).violations
    assert any(v.rule == LUNCH_BREAK and "overlaps work at the school" in v.message for v in found)


def test_slot_suggestions_keep_the_break_of_the_day_they_join() -> None:
    p = long_day(LUNCH, second_minutes=60)
    plan = solve(p, DAY, time_limit_s=1.0).plan
    (slot,) = suggest_slots("S1", skill="network", minutes=30, day_plans={DAY: DayPlan(p, plan)}, count=1)
    assert_break_clear_of_work(slot.route)
    probe = replace(p.tickets[0], ticket_id=PROBE_ID, skill="network", service_minutes=30)
    day_problem = p.replace(tickets=(*p.tickets, probe))
    others = tuple(r for r in plan.routes if r.technician_id != slot.technician_id)
    assert check_plan(day_problem, replace(plan, routes=(*others, slot.route), unassigned=())).ok
