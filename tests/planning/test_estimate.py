"""Estimates over a period: ticket history, carry-over between days, budget, tables and chart."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from dromologio.cli_costs import DEMO_START, app, budget_for_sample, history_from_sample
from dromologio.dispatch.executor import SolveExecutor
from dromologio.dispatch.pricing import route_costs
from dromologio.models import Base, Plan, Problem, School, Technician, Ticket
from dromologio.models.calendar import WorkCalendar
from dromologio.models.errors import InputError
from dromologio.models.plan_io import write_plan_json
from dromologio.models.readers import read_problem
from dromologio.models.writers import write_problem
from dromologio.planning.estimate import (
    Estimate,
    estimate_costs,
    independent_regions,
    read_budget,
    read_history,
    window_days,
)
from dromologio.reports.estimate import write_estimate
from dromologio.sample import sample_data_dir

LAT, LON = 39.665, 20.853
KEPLINET = "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- inputs -----------------------------------------------------------------------


#: Monday to Friday only: the tests of carry-over and budgets below run over the first days of
#: January, which the Greek school calendar closes (New Year, Epiphany, the Christmas break).
WEEKDAYS = WorkCalendar.weekdays_only()


def test_window_days_skip_weekends_holidays_and_school_breaks() -> None:
    days = window_days(date(2026, 1, 1), date(2026, 1, 12))
    assert [d.day for d in days] == [8, 9, 12]
    days = window_days(date(2026, 1, 1), date(2026, 1, 12), WEEKDAYS)
    assert [d.day for d in days] == [1, 2, 5, 6, 7, 8, 9, 12]
    assert window_days(date(2026, 1, 3), date(2026, 1, 4)) == ()


def test_read_budget(tmp_path: Path) -> None:
    path = write(
        tmp_path / "budget.csv",
        "\ufeffemployer,period,budget_eur\nΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων,2026-01,900\nΠανεπιστήμιο Αιγαίου,2026,5400.50\n",
    )
    budget = read_budget(path)
    assert budget.to_dict("records") == [
        {"employer": KEPLINET, "period": "2026-01", "budget_eur": 900.0},
        {"employer": "Πανεπιστήμιο Αιγαίου", "period": "2026", "budget_eur": 5400.5},
    ]


def test_read_budget_reports_every_bad_row(tmp_path: Path) -> None:
    path = write(
        tmp_path / "budget.csv",
        "employer,period,budget_eur\n"
        "A,2026-13,100\n"
        ",2026-01,100\n"
        "B,2026-01,-5\n"
        "C,2026-01,1\n"
        "C,2026-01,2\n"
        "D,2026,1\n"
        "E,2026-02,\n",
    )
    with pytest.raises(InputError) as caught:
        read_budget(path)
    found = [(i.row, i.column) for i in caught.value.issues]
    assert found == [(2, "period"), (3, "employer"), (4, "budget_eur"), (6, "period"), (8, "budget_eur")]
    assert "write a month as 2026-01 or a year as 2026" in str(caught.value)
    missing = write(tmp_path / "b2.csv", "employer,periods,budget_eur\nA,2026,1\n")
    with pytest.raises(InputError, match="column 'period' is missing"):
        read_budget(missing)


def test_history_from_sample_is_reproducible(tmp_path: Path) -> None:
    one = history_from_sample(1, 3, path=tmp_path / "a.csv")
    two = history_from_sample(1, 3, path=tmp_path / "b.csv")
    other = history_from_sample(1, 4, path=tmp_path / "c.csv")
    assert one.read_bytes() == two.read_bytes() != other.read_bytes()
    rows = pd.read_csv(one)
    assert list(rows.columns[:7]) == [
        "ticket_id",
        "school_id",
        "opened_at",
        "category",
        "skill",
        "priority",
        "service_minutes",
    ]
    opened = pd.to_datetime(rows["opened_at"])
    assert opened.min().date() < DEMO_START <= opened.max().date() < date(2026, 1, 12)


def test_read_history_reads_it_as_tickets_csv(tmp_path: Path) -> None:
    history = history_from_sample(1, 0, path=tmp_path / "tickets_2026.csv")
    problem = read_history(sample_data_dir(), history)
    assert problem.tickets[0].ticket_id == "H00001"
    assert len(problem.tickets) == len(pd.read_csv(history))
    assert len(problem.schools) == len(read_problem(sample_data_dir()).schools)
    lines = history.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",network,", ",netwrok,").replace(",windows,", ",windos,")
    lines[3] = lines[3].split(",", 2)[0] + ",S9999," + lines[3].split(",", 2)[2]
    write(history, "\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        read_history(sample_data_dir(), history)
    assert {i.file for i in caught.value.issues} == {"tickets_2026.csv"}
    assert {i.row for i in caught.value.issues} == {4}
    assert "S9999" in str(caught.value)


def test_read_history_from_a_workbook(tmp_path: Path) -> None:
    write_problem(read_problem(sample_data_dir()), tmp_path / "problem.xlsx")
    history = history_from_sample(1, 0, path=tmp_path / "h.csv")
    assert read_history(tmp_path / "problem.xlsx", history).tickets[0].ticket_id == "H00001"


# --- regions ---------------------------------------------------------------------


def test_the_sample_splits_into_epirus_and_the_cyclades() -> None:
    problem = read_problem(sample_data_dir())
    regions = independent_regions(problem)
    assert [r.technician_ids for r in regions] == [
        ("T01", "T02", "T03", "T04", "T05", "T06"),
        ("T07", "T08", "T09", "T10"),
    ]
    schools = [s for r in regions for s in r.school_ids]
    assert sorted(schools) == sorted(s.school_id for s in problem.schools)
    cyclades = set(regions[1].school_ids)
    assert all((problem.school_by_id[s].island != "") == (s in cyclades) for s in schools)


def test_bases_within_reach_make_one_region() -> None:
    schools = (School("S1", "Σ1", LAT + 0.5, LON, "Δ"), School("S2", "Σ2", LAT - 0.5, LON, "Δ"))
    bases = (Base("B1", "Β1", LAT + 1.0, LON), Base("B2", "Β2", LAT - 1.0, LON))
    technicians = (
        Technician("T1", "Τ1", "B1", frozenset({"network"}), KEPLINET),
        Technician("T2", "Τ2", "B2", frozenset({"network"}), KEPLINET),
    )
    problem = Problem(schools, bases, technicians, ())
    # 8 h shifts at 60 km/h reach 240 km: each base reaches both schools (56 and 167 km away)
    assert len(independent_regions(problem)) == 1
    short = tuple(
        Technician(t.technician_id, t.name, t.base_id, t.skills, t.employer, 8 * 60, 11 * 60)
        for t in technicians
    )
    regions = independent_regions(problem.replace(technicians=short))  # 3 h shifts reach 90 km
    assert [(r.technician_ids, r.school_ids) for r in regions] == [(("T1",), ("S1",)), (("T2",), ("S2",))]


# --- carry-over ----------------------------------------------------------------------


def carry_over_problem() -> Problem:
    """One technician; a school open 08:15-14:00 fits one 240-minute job a day."""
    school = School("S1", "Σχολείο", LAT + 0.09, LON, "Δ.Π.Ε. Ιωαννίνων")

    def job(ticket_id: str, opened: datetime, remote: bool = False) -> Ticket:
        return Ticket(ticket_id, "S1", opened, "δίκτυο", "network", "normal", 240, remote=remote)

    tickets = (
        job("K1", datetime(2026, 1, 2, 9, 0)),
        job("K2", datetime(2026, 1, 2, 10, 0)),
        job("K3", datetime(2026, 1, 5, 7, 0)),
        job("K4", datetime(2026, 1, 6, 10, 0)),  # after the 08:00 planning of Tuesday: from Wednesday
        job("K5", datetime(2026, 1, 5, 7, 30), remote=True),
        job("K6", datetime(2026, 1, 9, 9, 0)),  # after the period
    )
    technician = Technician("T1", "Τεχνικός", "B1", frozenset({"network"}), KEPLINET)
    return Problem((school,), (Base("B1", "Βάση", LAT, LON),), (technician,), tickets, name="carry")


def check_totals(problem: Problem, estimate: Estimate) -> None:
    """Tables agree with the daily plans priced route by route."""
    by_day = {
        e.day.isoformat(): sum(route_costs(problem, r)["total"] for r in e.plan.routes) for e in estimate.days
    }
    assert estimate.daily.groupby("date")["total_eur"].sum().round(2).to_dict() == pytest.approx(
        by_day, abs=0.005
    )
    assert estimate.queue.set_index("date")["total_eur"].to_dict() == pytest.approx(by_day, abs=0.005)
    everything = sum(by_day.values())
    assert estimate.total_eur == pytest.approx(everything, abs=0.005)
    assert float(estimate.routes["total_eur"].sum()) == pytest.approx(everything, abs=0.005)
    last = estimate.daily[estimate.daily["date"] == estimate.end.isoformat()]
    for employer, cumulative in zip(last["employer"], last["cumulative_eur"], strict=True):
        mine = estimate.routes[estimate.routes["employer"] == employer]["total_eur"].sum()
        assert cumulative == pytest.approx(mine, abs=0.005)
    served = [t for e in estimate.days for t in e.plan.visited_ticket_ids]
    assert len(served) == len(set(served)), "a ticket is served once"
    for entry in estimate.days:
        for ticket_id in entry.plan.visited_ticket_ids:
            assert problem.ticket_by_id[ticket_id].opened_at < datetime.combine(
                entry.day, datetime.min.time()
            ).replace(hour=8)


def test_unserved_tickets_carry_over_and_served_ones_leave() -> None:
    problem = carry_over_problem()
    result = estimate_costs(
        problem, start=date(2026, 1, 5), end=date(2026, 1, 8), time_limit_s=0.5, calendar=WEEKDAYS
    )
    queue = result.queue.set_index("date")
    assert queue["opened"].tolist() == [3, 0, 1, 0]  # backlog K1-K3 on Monday; K4 from Wednesday
    assert queue["served"].tolist() == [1, 1, 1, 1]
    assert queue["to_plan"].tolist() == [3, 2, 2, 1]
    assert queue["carried_over"].tolist() == [2, 1, 1, 0]
    assert result.no_visit == 1  # K5 is solved remotely; K6 comes after the period
    assert [len(e.plan.visited_ticket_ids) for e in result.days] == [1, 1, 1, 1]
    assert "K6" not in {t for e in result.days for t in e.plan.visited_ticket_ids}
    assert result.daily["total_eur"].gt(0).all()
    check_totals(problem, result)


def test_the_budget_to_date_is_pro_rata_by_working_days() -> None:
    problem = carry_over_problem()
    budget = pd.DataFrame(
        [
            {"employer": KEPLINET, "period": "2026-01", "budget_eur": 220.0},
            {"employer": "Άγνωστος", "period": "2026", "budget_eur": 1.0},
        ]
    )
    result = estimate_costs(
        problem,
        budget=budget,
        start=date(2026, 1, 5),
        end=date(2026, 1, 6),
        time_limit_s=0.5,
        calendar=WEEKDAYS,
    )
    # January 2026 has 22 working days: 10 EUR a day
    assert result.daily["budget_to_date_eur"].tolist() == [10.0, 20.0]
    assert result.daily["period"].tolist() == ["2026-01", "2026-01"]
    row = result.budget.iloc[0]
    assert (row["working_days"], row["days_estimated"], row["budget_pro_rata_eur"]) == (22, 2, 20.0)
    # The rest of January at the cost per expected ticket, weighted by the history's weekdays.
    season = result.seasonality
    assert season is not None and season.per_day > 0
    planned = [date(2026, 1, 5), date(2026, 1, 6)]
    rest = [d for d in window_days(date(2026, 1, 1), date(2026, 1, 31), WEEKDAYS) if d not in planned]
    rate = row["cost_eur"] / sum(season.demand(d) for d in planned)
    expected = row["cost_eur"] + rate * sum(season.demand(d) for d in rest)
    assert row["projected_period_eur"] == pytest.approx(expected, abs=0.01)
    assert row["projected_low_eur"] <= row["projected_period_eur"] <= row["projected_high_eur"]
    assert any("Άγνωστος" in w for w in result.warnings)


def test_bad_periods_are_refused() -> None:
    problem = carry_over_problem()
    with pytest.raises(ValueError, match="no working day"):
        estimate_costs(problem, start=date(2026, 1, 10), end=date(2026, 1, 11), time_limit_s=0.5)
    with pytest.raises(ValueError, match="ends"):
        estimate_costs(problem, start=date(2026, 1, 10), end=date(2026, 1, 9), time_limit_s=0.5)


# --- where regions are planned -------------------------------------------------------


class RecordingExecutor:
    """Runs each task here when it is submitted, as a two-process executor with one core a task would."""

    slots = 2
    cores_per_task = 1
    description = "recording"

    def __init__(self) -> None:
        self.tasks: list[tuple[Any, ...]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        self.tasks.append(args)
        future: Future[Any] = Future()
        future.set_result(fn(*args))
        return future

    def share(self, value: Any) -> Any:
        return value

    def close(self) -> None:
        return None


def test_regions_on_an_executor_solve_with_one_search_a_core(tmp_path: Path) -> None:
    """Each region is one task; its solves run as many searches as the task has cores (here 1),
    so regions side by side never start the engine's background search on top of each other."""
    problem = read_history(sample_data_dir(), history_from_sample(1, 0, path=tmp_path / "history.csv"))
    executor = RecordingExecutor()
    assert isinstance(executor, SolveExecutor)
    day = date(2026, 1, 5)
    result = estimate_costs(
        problem, start=day, end=day, time_limit_s=0.3, executor=executor, calendar=WEEKDAYS
    )
    assert len(result.regions) == 2 and len(executor.tasks) == 2
    assert [task[-1].params.num_workers for task in executor.tasks] == [1, 1]
    assert [task[-1].region for task in executor.tasks] == list(result.regions)
    check_totals(problem, result)


# --- end to end ----------------------------------------------------------------------


@pytest.mark.slow
def test_one_week_of_the_sample_end_to_end(tmp_path: Path) -> None:
    history = history_from_sample(1, 0, path=tmp_path / "history.csv")
    budget_path = budget_for_sample(tmp_path / "budget.csv", ["2026-01"])
    problem = read_history(sample_data_dir(), history)
    budget = read_budget(budget_path)
    result = estimate_costs(
        problem, budget=budget, start=DEMO_START, end=date(2026, 1, 9), time_limit_s=0.5, calendar=WEEKDAYS
    )
    assert len(result.days) == 5 and len(result.regions) == 2
    check_totals(problem, result)
    written = write_estimate(result, tmp_path / "out")
    for name in ("daily_costs.csv", "budget.csv", "routes.csv", "queue.csv", "cumulative_cost.png"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    assert (tmp_path / "out" / "cumulative_cost.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plans = sorted((tmp_path / "out" / "plans").glob("*.json"))
    assert [p.stem for p in plans] == [
        d.isoformat() for d in window_days(DEMO_START, date(2026, 1, 9), WEEKDAYS)
    ]
    daily = pd.read_csv(written["daily"])
    assert daily["total_eur"].sum() == pytest.approx(result.total_eur, abs=0.01)
    from_files = sum(
        route_costs(problem, r)["total"]
        for p in plans
        for r in Plan.from_dict(json.loads(p.read_text())).routes
    )
    assert from_files == pytest.approx(result.total_eur, abs=0.01)
    last = daily[daily["date"] == "2026-01-09"].set_index("employer")
    expected = budget.set_index("employer")["budget_eur"] * 5 / 22
    assert last["budget_to_date_eur"].to_dict() == pytest.approx(expected.round(2).to_dict(), abs=0.011)
    assert set(pd.read_csv(written["budget"])["employer"]) == set(budget["employer"])


# --- command line ------------------------------------------------------------------


def test_costs_command(tmp_path: Path) -> None:
    problem = carry_over_problem()
    write_problem(problem, tmp_path / "problem")
    result = estimate_costs(
        problem, start=date(2026, 1, 5), end=date(2026, 1, 5), time_limit_s=0.5, calendar=WEEKDAYS
    )
    write_plan_json(result.days[0].plan, tmp_path / "plan.json")
    runner = CliRunner()
    outcome = runner.invoke(
        app,
        [
            *(
                "costs",
                str(tmp_path / "problem"),
                str(tmp_path / "plan.json"),
                "--by",
                "employer",
                "--by",
                "day",
            ),
            *("--csv", str(tmp_path / "r.csv"), "--xlsx", str(tmp_path / "r.xlsx")),
        ],
        env={"COLUMNS": "220"},
    )
    assert outcome.exit_code == 0, outcome.output
    assert "Σ" in outcome.output and "km" in outcome.output
    report = pd.read_csv(tmp_path / "r.csv")
    assert report["total_eur"].iloc[-1] == pytest.approx(result.total_eur, abs=0.01)
    assert set(pd.read_excel(tmp_path / "r.xlsx", sheet_name=None)) == {"by_employer_day", "routes"}
    bad = runner.invoke(
        app, ["costs", str(tmp_path / "problem"), str(tmp_path / "plan.json"), "--by", "isle"]
    )
    assert bad.exit_code == 2


@pytest.mark.slow
def test_estimate_command(tmp_path: Path) -> None:
    runner = CliRunner()
    demo = runner.invoke(app, ["estimate-demo", str(tmp_path / "demo"), "--weeks", "1"])
    assert demo.exit_code == 0, demo.output
    folder = tmp_path / "demo"
    arguments = ["estimate", str(folder / "problem"), "--history", str(folder / "tickets_history.csv")]
    # the demo's first week opens in the Christmas break: its working days are Thursday and Friday
    arguments += ["--budget", str(folder / "budget.csv"), "--from", "2026-01-05", "--to", "2026-01-09"]
    arguments += ["--time-limit", "0.5", "--workers", "2", "--out", str(tmp_path / "out")]
    outcome = runner.invoke(app, arguments, env={"COLUMNS": "220"})
    assert outcome.exit_code == 0, outcome.output
    assert (tmp_path / "out" / "cumulative_cost.png").is_file()
    assert len(pd.read_csv(tmp_path / "out" / "daily_costs.csv")) == 2 * 7  # two days, seven employers
    write(folder / "budget.csv", "employer,period,budget_eur\nΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων,Ιαν 2026,100\n")
    refused = runner.invoke(app, arguments)
    assert refused.exit_code == 2
    assert "budget.csv row 2, column period" in refused.output
