"""Handing home-island work over so the one technician who can reach an island goes.

T_EARLY (06:30–14:30) alone makes the 07:15 sailing to Tinos (and is back on the 13:30); T_LATE
starts at 08:00 and could only do the Syros visits.  A first plan that gives both
Syros visits to T_EARLY must not leave the urgent Tinos ticket undone.
"""

from __future__ import annotations

from datetime import date

import pytest

from dromologio.dispatch import solve
from dromologio.models import School
from dromologio.models.checker import check_plan
from tests.dispatch.test_islands import BASE, PORTS, SYROS, TINOS_SCHOOL, sailing
from tests.factories import DAY, problem, technician, ticket

SYROS_SCHOOLS = [
    School("S_SY1", "1ο Δημοτικό Ερμούπολης", 37.4440, 24.9420, "Δ.Π.Ε. Κυκλάδων", SYROS),
    School("S_SY2", "Δημοτικό Άνω Σύρου", 37.4580, 24.9300, "Δ.Π.Ε. Κυκλάδων", SYROS),
]


def test_the_early_technician_goes_to_the_island_and_the_late_one_takes_the_home_visits() -> None:
    p = problem(
        [TINOS_SCHOOL, *SYROS_SCHOOLS],
        [
            technician("T_EARLY", base_id="SYR", shift=("06:30", "14:30")),
            technician("T_LATE", base_id="SYR", shift=("08:00", "16:00")),
        ],
        [
            ticket("K_TIN", "S_TIN", priority="urgent", service_minutes=60),
            ticket("K_SY1", "S_SY1", priority="normal", service_minutes=90),
            ticket("K_SY2", "S_SY2", priority="normal", service_minutes=90),
        ],
        bases=[BASE],
        ports=PORTS,
        sailings=[sailing("JSY", "TIN", "07:15"), sailing("TIN", "JSY", "13:30")],
    )
    result = solve(p, DAY, time_limit_s=1.0)
    assert check_plan(p, result.plan.to_dict()).ok
    served_by = {t: r.technician_id for r in result.plan.routes for t in r.ticket_ids}
    assert served_by.get("K_TIN") == "T_EARLY"
    assert served_by.get("K_SY1") == served_by.get("K_SY2") == "T_LATE"
    assert not result.plan.unassigned


@pytest.mark.slow
def test_the_readme_sample_day_serves_the_urgent_mykonos_ticket_and_keeps_syros_busy() -> None:
    """`dromologio plan sample --date 2026-11-23` at the policy's time limit."""
    from dromologio.models.readers import read_problem
    from dromologio.sample import sample_data_dir

    p = read_problem(sample_data_dir())
    result = solve(p, date(2026, 11, 23), seed=0)
    assert check_plan(p, result.plan.to_dict()).ok
    served_by = {t: r.technician_id for r in result.plan.routes for t in r.ticket_ids}
    assert served_by.get("K0033") == "T07"
    assert any(r.technician_id == "T08" and r.visits for r in result.plan.routes)
