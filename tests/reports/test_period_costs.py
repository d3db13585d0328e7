"""Costs over periods: routes travelled, one route per technician and day, fairness, trips with nights."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from dromologio.cli import app as cli_app
from dromologio.models import Plan, Policy
from dromologio.models.writers import problem_to_dict
from dromologio.planning.costs import (
    fairness_report,
    per_diem_days,
    period_cost_table,
    plan_cost_table,
    route_nights,
    travelled_plan,
)
from dromologio.reports.forms import (
    monthly_statement,
    statement_workbook,
    travel_days,
    travel_order_html,
    trips,
    write_workbook,
)
from tests.dispatch.test_costs import DAY, far_route, island_days, make_problem, near_route

NEXT = date(2026, 11, 24)


def night_plan() -> Plan:
    """T5 crosses to Tinos, lodges there and comes back the next day; T1 stays near the base."""
    first, second = island_days()
    return Plan((DAY, NEXT), (near_route("T1"), first, second))


def test_nights_and_per_diem_days_of_a_route() -> None:
    problem = make_problem()
    first, second = island_days()
    assert [route_nights(first), route_nights(second)] == [1, 0]
    assert [per_diem_days(problem, first), per_diem_days(problem, second)] == [1.0, 1.0]
    assert per_diem_days(problem, near_route("T1")) == 0.0
    table = plan_cost_table(problem, night_plan())
    assert list(table["nights"]) == [0, 1, 0] and list(table["per_diem_days"]) == [0.0, 1.0, 1.0]


def test_only_routes_with_a_visit_reported_are_travelled() -> None:
    plan = night_plan()
    assert travelled_plan(plan, set()).routes == ()
    near = travelled_plan(plan, {"K1"})
    assert [r.technician_id for r in near.routes] == ["T1"]
    # the day on Tinos was travelled: the way home the next day is too, reported or not
    island = travelled_plan(plan, {"K5"})
    assert [(r.technician_id, r.date) for r in island.routes] == [("T5", DAY), ("T5", NEXT)]
    # a second day reported without the first: only that day
    assert [r.date for r in travelled_plan(plan, {"K6"}).routes] == [NEXT]


def test_the_last_plan_of_a_technician_day_counts() -> None:
    problem = make_problem()
    morning = Plan((DAY,), (near_route("T1"), near_route("T3")))
    replanned = Plan((DAY,), (far_route("T1"),))
    table = period_cost_table([("p1", problem, morning), ("p2", problem, replanned)])
    assert list(zip(table["plan_id"], table["technician_id"], strict=True)) == [("p2", "T1"), ("p1", "T3")]
    far = plan_cost_table(problem, replanned)
    assert float(table["total_eur"].iloc[0]) == float(far["total_eur"].iloc[0])
    assert period_cost_table([]).empty and "plan_id" in period_cost_table([]).columns


def test_fairness_over_a_month() -> None:
    problem = make_problem()
    table = plan_cost_table(problem, night_plan())
    roster = {
        t.technician_id: (t.name, t.employer)
        for t in problem.technicians
        if t.employer == problem.technician_by_id["T1"].employer
    }
    assert set(roster) == {"T1", "T3", "T4", "T5"}
    fairness = fairness_report(table, roster, tolerance=0.25)
    rows = fairness.table.set_index("technician_id")
    # T5: two per diems (40 each) and a night (80); the others nothing
    assert rows.loc["T5", "allowance_eur"] == 160.0 and rows.loc["T5", "nights"] == 1
    assert rows.loc["T5", "per_diem_days"] == 2.0
    assert rows.loc["T1", "allowance_eur"] == 0.0 and rows.loc["T4", "routes"] == 0
    assert fairness.mean_allowance_eur == 40.0 and fairness.spread_eur == 160.0
    assert fairness.spread_nights == 1 and fairness.mean_nights == 0.25
    assert fairness.table["technician_id"].iloc[0] == "T5"  # the most paid first
    assert sorted(fairness.outside) == ["T1", "T3", "T4", "T5"]  # 40 ± 10: nobody is near the mean
    lenient = fairness_report(table, roster, tolerance=3.0)
    assert lenient.outside == []
    even = fairness_report(table, {"T5": roster["T5"]})
    assert even.outside == [] and even.spread_eur == 0.0
    with pytest.raises(ValueError, match="tolerance"):
        fairness_report(table, roster, tolerance=-1)


def test_a_trip_with_a_night_away_is_one_travel_order(tmp_path: Path) -> None:
    problem = make_problem()
    plan = night_plan()
    days = travel_days([(problem, plan)], "T5")
    (trip,) = trips(days)
    table = plan_cost_table(problem, plan)
    t5 = table[table["technician_id"] == "T5"]
    assert [d.date for d in trip.days] == [DAY, NEXT]
    assert trip.totals.nights == 1 and trip.totals.total_eur == pytest.approx(float(t5["total_eur"].sum()))
    assert trip.totals.fares == 2 and trip.totals.ferry_eur == pytest.approx(float(t5["ferry_eur"].sum()))
    page = travel_order_html(trip)
    assert "Διανυκτερεύσεις / nights away</td><td>1" in page and "24/11/2026" in page
    statement = monthly_statement(problem, "T5", days, "2026-11")
    sheet = load_workbook(write_workbook(statement_workbook(statement), tmp_path / "t5.xlsx")).active
    assert sheet is not None
    total = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 3).value == "Σύνολο / total")
    assert sheet.cell(total, 10).value == 1 and sheet.cell(total, 11).value == 80.0
    assert sheet.cell(total, 13).value == pytest.approx(float(t5["total_eur"].sum()))


def test_the_costs_command_reports_fairness(tmp_path: Path) -> None:
    problem = make_problem()
    problem_path = tmp_path / "problem.json"
    problem_path.write_text(json.dumps(problem_to_dict(problem), ensure_ascii=False), "utf-8")
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(night_plan().to_dict(), ensure_ascii=False), "utf-8")
    arguments = ["costs", str(problem_path), str(plan_path), "--fairness", "--tolerance", "0.5"]
    result = CliRunner().invoke(cli_app, arguments, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    employer = problem.technician_by_id["T5"].employer
    assert f"fairness · {employer}" in result.output and "±50 %" in result.output
    line = next(line for line in result.output.splitlines() if "│ T5 " in line)
    assert "160.00" in line and "όχι / no" in line  # 160 against a mean of 40
    assert "fairness" not in CliRunner().invoke(cli_app, arguments[:3]).output


def test_overtime_is_not_on_the_forms() -> None:
    problem = make_problem(Policy.from_dict({"overtime_eur_per_hour": 12.0}))
    late = dataclasses.replace(near_route("T1"), overtime_min=30)
    (day,) = travel_days([(problem, Plan((DAY,), (late,)))], "T1")
    priced = plan_cost_table(problem, Plan((DAY,), (late,)))
    assert float(priced["overtime_eur"].iloc[0]) == 6.0
    assert day.total_eur == pytest.approx(float(priced["total_eur"].iloc[0]) - 6.0)
    assert day.total_eur == day.distance_eur
