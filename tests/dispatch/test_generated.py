"""Generated regional problems: every plan passes the independent checker, nothing is lost.

Property-based (hypothesis) over random island/mountain problems, plus the
largest size the foundation promises (300 tickets, 25 technicians).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dromologio.dispatch import solve
from dromologio.dispatch.road_times import road_times
from dromologio.dispatch.solve import default_travel_model
from dromologio.models import Problem
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem
from dromologio.sample import SAMPLE_DATE
from dromologio.sample.generate import generate_problem_files


def generated(tmp: Path, *, tickets: int, technicians: int, seed: int, islands: bool = True) -> Problem:
    folder = generate_problem_files(
        tmp / f"p{tickets}-{technicians}-{seed}-{islands}",
        num_tickets=tickets,
        num_technicians=technicians,
        seed=seed,
        islands=islands,
    )
    return read_problem(folder)


def assert_accounted_for(problem: Problem, plan_dict: dict[str, object], *, audited: bool = True) -> None:
    """The checker accepts the plan and the audit, timing road moves as the solver does, finds no
    ticket left undone without need."""
    report = check_plan(problem, plan_dict)
    assert report.ok, str(report)
    if audited:
        audit = audit_plan(problem, plan_dict, road=road_times(problem, default_travel_model(problem)))
        assert audit.ok, str(audit)


def test_300_tickets_and_25_technicians_plan_passes_the_checker(tmp_path: Path) -> None:
    problem = generated(tmp_path, tickets=300, technicians=25, seed=7)
    result = solve(problem, SAMPLE_DATE, time_limit_s=4.0)
    # Far from converged after 4 s, but the audit's repair has its share of a big day (time per
    # visit) and takes what the audit finds.
    assert_accounted_for(problem, result.plan.to_dict())
    assert result.solution.history, "the search records every improving solution"
    assert result.plan.kpis["visited"] > 0


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tickets=st.integers(min_value=1, max_value=40),
    technicians=st.integers(min_value=1, max_value=6),
    seed=st.integers(min_value=0, max_value=10_000),
    days=st.integers(min_value=1, max_value=2),
)
# A night on Paros with no sailing home within the next (last) day's shift: never offered.
@example(tickets=10, technicians=4, seed=397, days=2)
# After a night on Andros the way home to Syros passes Tinos, where a ticket waits.
@example(tickets=31, technicians=6, seed=296, days=2)
def test_random_island_and_mountain_problems_always_give_checked_plans(
    tmp_path: Path, tickets: int, technicians: int, seed: int, days: int
) -> None:
    problem = generated(tmp_path, tickets=tickets, technicians=technicians, seed=seed)
    result = solve(problem, SAMPLE_DATE, days=days, time_limit_s=0.5)
    plan = result.plan.to_dict()
    assert_accounted_for(problem, plan)
    placed = [t for r in result.plan.routes for t in r.ticket_ids]
    placed += (
        [u.ticket_id for u in result.plan.unassigned] + list(result.plan.remote) + list(result.plan.vendor)
    )
    assert sorted(placed) == sorted(t.ticket_id for t in problem.tickets)


def test_the_sample_serves_islands_across_water_on_timetabled_sailings() -> None:
    from dromologio.sample import sample_data_dir

    problem = read_problem(sample_data_dir())
    result = solve(problem, SAMPLE_DATE, days=2, time_limit_s=2.0)
    assert_accounted_for(problem, result.plan.to_dict())
    crossings = [s for r in result.plan.routes for s in r.stops if s.type == "ferry"]
    island_visits = [
        v
        for r in result.plan.routes
        for v in r.visits
        if problem.school_by_id[str(v.school_id)].island
        and problem.school_by_id[str(v.school_id)].island
        != problem.base_of(problem.technician_by_id[r.technician_id]).island
    ]
    assert crossings and island_visits
