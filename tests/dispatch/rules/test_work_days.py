"""work_days: a part-time technician works only on its ``work_days``."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from dromologio.dispatch import solve
from dromologio.dispatch.build import precheck_ticket
from dromologio.dispatch.rules import work_days
from dromologio.models import Technician
from dromologio.models.audit import audit_plan
from dromologio.models.cells import CellError
from dromologio.models.checker import WORK_DAYS, check_plan
from dromologio.models.service_columns import parse_work_days
from tests.dispatch.rules import day_of
from tests.factories import DAY, base, problem, school, technician, ticket

#: a handful of visits: the first solution and the local search's first descent settle them
#: within milliseconds, so a short limit gives the plans a long one gives.
LIMIT_S = 0.3

TUESDAY = DAY + timedelta(days=1)  # DAY is a Monday


def part_time(technician_id: str, days: str) -> Technician:
    return replace(technician(technician_id), extra={"work_days": days})


def test_work_days_read_english_and_greek_and_name_bad_days() -> None:
    assert parse_work_days("Mon;wed") == {"Mon", "Wed"}
    assert parse_work_days("Τρι; Πέμπτη") == {"Tue", "Thu"}
    with pytest.raises(CellError, match="not a weekday") as bad:
        parse_work_days("Mon,Wed")
    assert "';'" in bad.value.fix


def test_nobody_at_work_today_says_who_works_when() -> None:
    k1 = ticket("K1", "S1")
    p = problem([school("S1", 5)], [part_time("T1", "Τρι;Πεμ")], [k1])
    monday, tuesday = day_of(p), day_of(p, TUESDAY)
    assert not work_days.admits(monday, p.technicians[0], k1)
    assert work_days.admits(tuesday, p.technicians[0], k1)
    _, reason = precheck_ticket(monday, k1)
    assert reason is not None and reason.code == work_days.NOT_WORK_DAY
    assert "T1 (Tue;Thu)" in reason.text and "Δευτέρα" in reason.text


def test_a_two_day_plan_uses_the_part_timer_only_on_its_day_and_the_checker_sees_it() -> None:
    near, far = part_time("T_PART", "Tue"), technician("T_FULL", base_id="B2")
    p = problem(
        [school("S1", 2), school("S2", 3)],
        [near, far],
        [ticket("K1", "S1", priority="urgent"), ticket("K2", "S2", priority="low")],
        bases=[base("B1"), base("B2", north_km=40)],
    )
    plan = solve(p, DAY, days=2, time_limit_s=LIMIT_S).plan
    assert check_plan(p, plan.to_dict()).ok
    assert audit_plan(p, plan).ok
    assert not [t for r in plan.routes if r.date == DAY and r.technician_id == "T_PART" for t in r.ticket_ids]
    # The urgent ticket is served on Monday by the full-timer: sent as the part-timer, it breaks WORK_DAYS.
    monday = next(r for r in plan.routes if r.date == DAY and "K1" in r.ticket_ids)
    assert monday.technician_id == "T_FULL"
    routes = [r for r in plan.routes if not (r.date == DAY and r.technician_id == "T_PART")]
    moved = replace(
        plan, routes=tuple(replace(r, technician_id="T_PART") if r is monday else r for r in routes)
    )
    found = [v for v in check_plan(p, moved.to_dict()).violations if v.rule == WORK_DAYS]
    assert len(found) == 1 and "works Tue" in found[0].message
