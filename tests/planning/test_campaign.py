"""The campaign planner: 40 generated schools (mainland and islands) over two weeks by four teams."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dromologio.dispatch import InlineExecutor
from dromologio.models import Problem
from dromologio.models.calendar import CalendarEntry, WorkCalendar
from dromologio.models.errors import InputError
from dromologio.models.readers import read_problem
from dromologio.planning.campaign import (
    Campaign,
    CampaignError,
    CampaignRequest,
    CampaignTaskError,
    plan_campaign,
    read_campaign_schools,
)
from dromologio.planning.campaign.assign import assign_schools
from dromologio.planning.campaign.team import plan_team
from dromologio.sample.generate import generate_problem_files

START = date(2026, 11, 23)  # a Monday
END = date(2026, 12, 4)  # the Friday after
SKILL = "network"


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Problem:
    """40 schools (a share on the Cyclades) and four technicians, all trained for the campaign."""
    folder = generate_problem_files(
        tmp_path_factory.mktemp("campaign"), num_tickets=0, num_technicians=4, num_schools=40, seed=3
    )
    problem = read_problem(folder)
    return problem.replace(
        technicians=tuple(replace(t, skills=t.skills | {SKILL}) for t in problem.technicians)
    )


def request_for(problem: Problem, **changes: Any) -> CampaignRequest:
    values: dict[str, Any] = {
        "school_ids": tuple(s.school_id for s in problem.schools),
        "start": START,
        "end": END,
        "team_ids": tuple(t.technician_id for t in problem.technicians),
        "skill": SKILL,
        "service_minutes": 60,
        "time_limit_s": 1.0,
        "seed": 4,
    }
    values.update(changes)
    return CampaignRequest(**values)


@pytest.fixture(scope="module")
def campaign(region: Problem) -> Campaign:
    return plan_campaign(region, request_for(region), executor=InlineExecutor(1), audit=True)


@pytest.mark.slow
def test_every_day_plan_passes_the_checker_and_the_audit(campaign: Campaign) -> None:
    assert campaign.days, "the campaign planned no day"
    assert campaign.violations == ()


@pytest.mark.slow
def test_every_school_is_visited_once_or_left_with_a_reason(region: Problem, campaign: Campaign) -> None:
    visited = [s for d in campaign.days for s in d.school_ids]
    assert len(visited) == len(set(visited))
    assert set(visited).isdisjoint(campaign.left)
    assert set(visited) | set(campaign.left) == {s.school_id for s in region.schools}
    assert all(reason for reason in campaign.left.values())
    assert campaign.num_done == len(visited) >= 30


@pytest.mark.slow
def test_each_route_is_the_teams_and_visits_its_schools(region: Problem, campaign: Campaign) -> None:
    for day in campaign.days:
        assert day.route is not None and day.route.technician_id == day.technician_id
        assert day.route.date == day.date
        assert tuple(stop.school_id for stop in day.route.visits) == day.school_ids
    plan = campaign.plan()
    assert len(plan.routes) == len(campaign.days)
    assert plan.dates == tuple(sorted({d.date for d in campaign.days}))


@pytest.mark.slow
def test_days_are_working_days_of_the_schools(region: Problem, campaign: Campaign) -> None:
    calendar = WorkCalendar(region.calendar)
    assert campaign.working_days == calendar.between(START, END, {s.directorate for s in region.schools})
    for day in campaign.days:
        assert day.date.weekday() < 5
        for school_id in day.school_ids:
            assert calendar.is_working_day(day.date, [region.school_by_id[school_id].directorate])


@pytest.mark.slow
def test_progress_curve_adds_up(campaign: Campaign) -> None:
    points = campaign.progress()
    assert [p.date for p in points] == list(campaign.working_days)
    assert [p.cumulative for p in points] == [
        sum(q.done for q in points[: i + 1]) for i in range(len(points))
    ]
    assert points[-1].cumulative == campaign.num_done
    assert points[-1].cumulative_cost_eur == pytest.approx(campaign.cost_eur)
    assert campaign.cost_eur == pytest.approx(sum(d.route.cost_eur for d in campaign.days if d.route))
    document = campaign.to_dict()
    assert document["summary"]["done"] == campaign.num_done
    assert len(document["progress"]) == len(points)


def test_island_schools_stay_with_one_team(region: Problem) -> None:
    teams = {t.technician_id: 10 for t in region.technicians}
    shares = assign_schools(region, [s.school_id for s in region.schools], teams)
    owner = {s: t for t, ids in shares.items() for s in ids}
    assert sorted(owner) == sorted(s.school_id for s in region.schools)
    islands: dict[str, set[str]] = {}
    for school in region.schools:
        if school.island:
            islands.setdefault(school.island, set()).add(owner[school.school_id])
    assert islands and all(len(teams_there) == 1 for teams_there in islands.values())


@pytest.mark.slow
def test_a_local_holiday_keeps_the_teams_out_of_its_schools(region: Problem) -> None:
    directorate = region.schools[0].directorate
    closed = CalendarEntry(
        start=date(2026, 11, 24), end=date(2026, 11, 26), kind="holiday", directorate=directorate
    )
    problem = region.replace(calendar=(closed,))
    result = plan_campaign(problem, request_for(problem), executor=InlineExecutor(1))
    on_holiday = [
        s
        for d in result.days
        if closed.covers(d.date)
        for s in d.school_ids
        if problem.school_by_id[s].directorate == directorate
    ]
    assert on_holiday == []
    assert result.violations == ()


@pytest.mark.slow
def test_the_same_seed_gives_the_same_campaign(region: Problem, campaign: Campaign) -> None:
    again = plan_campaign(region, request_for(region), executor=InlineExecutor(1))
    assert again.plan().to_dict() == campaign.plan().to_dict()


def test_one_team_day_visits_what_fits_and_keeps_the_rest(region: Problem) -> None:
    """The part under every campaign: one team's day, checked, the schools it left still to do."""
    team = region.technicians[0]
    mainland = [s.school_id for s in region.schools if not s.island][:6]
    request = request_for(region, school_ids=tuple(mainland), team_ids=(team.technician_id,))
    schedule = plan_team(region, request, team.technician_id, mainland, [START], audit=True)
    assert len(schedule.days) <= 1
    visited = [s for d in schedule.days for s in d.school_ids]
    assert all(d.violations == () for d in schedule.days)
    assert sorted(visited + list(schedule.left)) == sorted(mainland)
    assert set(visited).isdisjoint(schedule.left)


class _FailingExecutor(InlineExecutor):
    """Runs tasks here, but the second one fails."""

    def __init__(self) -> None:
        super().__init__(1)
        self.count = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        self.count += 1
        if self.count == 2:
            future: Future[Any] = Future()
            future.set_exception(MemoryError("worker lost"))
            return future
        return super().submit(fn, *args)


def test_a_failed_task_is_reported_with_its_team(region: Problem) -> None:
    small = request_for(region, end=START)
    with pytest.raises(CampaignTaskError, match=r"team T0\d: MemoryError: worker lost"):
        plan_campaign(region, small, executor=_FailingExecutor())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"school_ids": ("NOPE",)}, "not in the problem's schools.csv: NOPE"),
        ({"team_ids": ("T99",)}, "not in the problem's technicians.csv: T99"),
        ({"skill": "egov", "team_ids": ("T01",)}, None),
    ],
)
def test_bad_requests_name_what_to_change(
    region: Problem, changes: dict[str, Any], message: str | None
) -> None:
    request = request_for(region, **changes)
    if message is None:
        if "egov" in region.technician_by_id["T01"].skills:
            return
        message = "without the skill 'egov': T01"
    with pytest.raises(CampaignError, match=message):
        plan_campaign(region, request, executor=InlineExecutor(1))


def test_request_checks_itself() -> None:
    with pytest.raises(CampaignError, match="ends"):
        CampaignRequest(("S1",), END, START, ("T01",))
    with pytest.raises(CampaignError, match="named twice"):
        CampaignRequest(("S1", "S1"), START, END, ("T01",))
    with pytest.raises(CampaignError, match="between 1 and 1440"):
        CampaignRequest(("S1",), START, END, ("T01",), minutes={"S1": 0})


def test_campaign_file_errors_name_row_column_and_fix(tmp_path: Path) -> None:
    good = tmp_path / "schools.csv"
    good.write_text("school_id,service_minutes\nS1,45\nS2,\n", encoding="utf-8")
    assert read_campaign_schools(good) == (("S1", "S2"), {"S1": 45})
    bad = tmp_path / "bad.csv"
    bad.write_text("school_id,service_minutes,colour\nS1,abc,\nS1,30,\n,20,\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_campaign_schools(bad)
    where = {(i.row, i.column) for i in caught.value.issues}
    assert where == {(1, "colour"), (2, "service_minutes"), (3, "school_id"), (4, "school_id")}
    assert all(i.file == "bad.csv" and i.fix for i in caught.value.issues)
    missing = tmp_path / "missing.csv"
    missing.write_text("school\nS1\n", encoding="utf-8")
    with pytest.raises(InputError, match="school_id"):
        read_campaign_schools(missing)


# --- the same campaign on Dask ------------------------------------------------------------


@pytest.fixture(scope="module")
def scheduler_apart(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, started apart."""
    import json
    import subprocess
    import sys
    import time

    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    dask = [sys.executable, "-m", "dask"]
    common = ["--no-dashboard"]
    processes = [
        subprocess.Popen(
            [
                *dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--scheduler-file",
                str(scheduler_file),
                *common,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
        for _ in range(2):
            processes.append(
                subprocess.Popen(
                    [
                        *dask,
                        "worker",
                        address,
                        "--host",
                        "127.0.0.1",
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        *common,
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        yield str(address)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


@pytest.mark.slow
def test_dask_local_cluster_and_a_scheduler_apart_give_the_same_plan(
    region: Problem, campaign: Campaign, scheduler_apart: str
) -> None:
    import time

    from dromologio.dispatch.executor import DaskExecutor

    request = request_for(region)
    with DaskExecutor.local(workers=2) as local:
        on_local_cluster = plan_campaign(region, request, executor=local)
    with DaskExecutor.connect(scheduler_apart) as apart:
        deadline = time.monotonic() + 60
        while apart.workers < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert apart.workers == 2
        on_scheduler_apart = plan_campaign(region, request, executor=apart)
    expected = campaign.plan().to_dict()
    assert on_local_cluster.plan().to_dict() == expected
    assert on_scheduler_apart.plan().to_dict() == expected
    assert on_scheduler_apart.to_dict() == campaign.to_dict()
    assert on_scheduler_apart.violations == ()


@pytest.mark.slow
def test_local_processes_give_the_same_plan(region: Problem, campaign: Campaign) -> None:
    from dromologio.dispatch import LocalExecutor

    with LocalExecutor(2) as local:
        result = plan_campaign(region, request_for(region), executor=local)
    assert result.plan().to_dict() == campaign.plan().to_dict()
