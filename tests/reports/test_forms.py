"""The travel order and the monthly statement of a sample technician add up to its routes."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from dromologio.cli import app as cli_app
from dromologio.dispatch import solve
from dromologio.models import Plan, Problem
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem
from dromologio.models.writers import problem_to_dict
from dromologio.planning.costs import plan_cost_table
from dromologio.reports.forms import (
    greek_date,
    greek_eur,
    greek_number,
    monthly_statement,
    statement_html,
    statement_workbook,
    travel_days,
    travel_order_html,
    travel_order_workbook,
    trips,
    write_workbook,
)
from dromologio.sample import sample_data_dir

DAY = date(2026, 11, 23)
MONTH = "2026-11"


@pytest.fixture(scope="module")
def sample_plan() -> tuple[Problem, Plan]:
    problem = read_problem(sample_data_dir())
    plan = solve(problem, DAY, days=2, time_limit_s=1.0, seed=0).plan
    assert check_plan(problem, plan).ok
    assert audit_plan(problem, plan).ok
    return problem, plan


def _chosen(problem: Problem, plan: Plan) -> tuple[str, pd.DataFrame]:
    """The technician with the most to sign for: sailings and daily allowances, then money."""
    table = plan_cost_table(problem, plan)
    table = table[(table["tickets_served"] > 0) | (table["total_eur"] > 0)]
    # the forms carry travel expenses: overtime is paid as work
    table = table.assign(travel_eur=(table["total_eur"] - table["overtime_eur"]).round(2))
    sums = table.groupby("technician_id")[["ferry_eur", "per_diem_eur", "total_eur"]].sum()
    score = (sums["ferry_eur"] > 0).astype(int) + (sums["per_diem_eur"] > 0).astype(int)
    best = max(sums.index, key=lambda t: (score[t], sums.loc[t, "total_eur"]))
    return str(best), table[table["technician_id"] == best]


def _total_row(sheet: Worksheet, label_column: int) -> int:
    rows = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, label_column).value == "Σύνολο / total"]
    assert len(rows) == 1
    return rows[0]


def _check_statement(sheet: Worksheet, routes: pd.DataFrame) -> None:
    row = _total_row(sheet, 3)
    values = [sheet.cell(row, column).value for column in range(1, 14)]
    assert values[3] == pytest.approx(round(float(routes["distance_km"].sum()), 1))
    assert values[4] == pytest.approx(float(routes["distance_eur"].sum()))
    assert values[5] == pytest.approx(float(routes["ferry_eur"].sum()))
    assert values[7] == pytest.approx(float(routes["per_diem_days"].sum()))
    assert values[8] == pytest.approx(float(routes["per_diem_eur"].sum()))
    assert values[9] == int(routes["nights"].sum())
    assert values[10] == pytest.approx(float(routes["overnight_eur"].sum()))
    assert values[12] == pytest.approx(float(routes["travel_eur"].sum()))
    days = [sheet.cell(r, 2) for r in range(row - len(routes), row)]
    assert [c.value.date() for c in days] == [date.fromisoformat(d) for d in routes["date"]]
    assert all(c.number_format == "DD/MM/YYYY" for c in days)
    assert "€" in sheet.cell(row, 13).number_format
    # the ticket numbers of the sailings are left blank to fill in
    for r, fares in zip(range(row - len(routes), row), routes["ferry_eur"], strict=True):
        if fares > 0:
            assert str(sheet.cell(r, 7).value).rstrip().endswith(":")


@pytest.mark.slow
def test_the_statement_and_the_travel_orders_add_up_to_the_routes(
    sample_plan: tuple[Problem, Plan], tmp_path: Path
) -> None:
    problem, plan = sample_plan
    technician, routes = _chosen(problem, plan)
    days = travel_days([(problem, plan)], technician)
    assert [d.date.isoformat() for d in days] == list(routes["date"])
    statement = monthly_statement(problem, technician, days, MONTH)
    path = write_workbook(statement_workbook(statement), tmp_path / "statement.xlsx")
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet["A1"].value == "ΚΑΤΑΣΤΑΣΗ ΗΜΕΡΗΣΙΑΣ ΑΠΟΖΗΜΙΩΣΗΣ ΚΑΙ ΕΞΟΔΩΝ ΚΙΝΗΣΗΣ"
    name = problem.technician_by_id[technician].name
    assert any(name in str(c.value) for row in sheet.iter_rows() for c in row)
    _check_statement(sheet, routes)

    page = statement_html(statement)
    total = float(routes["travel_eur"].sum())
    assert greek_eur(total) in page and greek_date(DAY) in page and name in page
    assert "Ο/Η δικαιούχος" in page and "Αρ. εισιτηρίων" in page

    found = trips(days)
    assert sum(t.totals.total_eur for t in found) == pytest.approx(total)
    for number, trip in enumerate(found):
        order = load_workbook(
            write_workbook(travel_order_workbook(trip), tmp_path / f"order{number}.xlsx")
        ).active
        assert order is not None and order["A1"].value == "ΕΝΤΟΛΗ ΜΕΤΑΚΙΝΗΣΗΣ"
        row = _total_row(order, 1)
        mine = routes[routes["date"].isin([d.date.isoformat() for d in trip.days])]
        assert order.cell(row, 3).value == pytest.approx(round(float(mine["distance_km"].sum()), 1))
        assert order.cell(row, 6).value == pytest.approx(float(mine["ferry_eur"].sum()))
        assert order.cell(row, 8).value == pytest.approx(float(mine["per_diem_eur"].sum()))
        assert order.cell(row, 11).value == pytest.approx(float(mine["travel_eur"].sum()))
        head = next(r for r in range(1, row) if order.cell(r, 1).value == "Ημερομηνία / date")
        fares = [order.cell(r, 6).value for r in range(head + 1, row) if order.cell(r, 5).value]
        assert len(fares) == trip.totals.fares
        assert sum(fares) == pytest.approx(float(mine["ferry_eur"].sum()))
        html = travel_order_html(trip)
        assert "ΕΝΤΟΛΗ ΜΕΤΑΚΙΝΗΣΗΣ" in html and greek_eur(trip.totals.total_eur) in html
        assert f"Διανυκτερεύσεις / nights away</td><td>{trip.totals.nights}" in html


@pytest.mark.slow
def test_the_commands_write_the_same_forms(sample_plan: tuple[Problem, Plan], tmp_path: Path) -> None:
    problem, plan = sample_plan
    technician, routes = _chosen(problem, plan)
    problem_path = tmp_path / "problem.json"
    problem_path.write_text(json.dumps(problem_to_dict(problem), ensure_ascii=False), "utf-8")
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan.to_dict(), ensure_ascii=False), "utf-8")
    runner = CliRunner()
    common = [str(problem_path), str(plan_path), "--technician", technician]
    out = tmp_path / "statement.xlsx"
    result = runner.invoke(cli_app, ["forms", "statement", *common, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert greek_eur(float(routes["travel_eur"].sum())) in result.output
    sheet = load_workbook(out).active
    assert sheet is not None
    _check_statement(sheet, routes)
    html = tmp_path / "statement.html"
    assert (
        runner.invoke(
            cli_app, ["forms", "statement", *common, "--month", MONTH, "--out", str(html)]
        ).exit_code
        == 0
    )
    assert greek_eur(float(routes["travel_eur"].sum())) in html.read_text("utf-8")

    orders = tmp_path / "orders" / "order.xlsx"
    result = runner.invoke(cli_app, ["forms", "travel-order", *common, "--out", str(orders)])
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "orders").glob("*.xlsx"))
    assert len(written) == len(trips(travel_days([(problem, plan)], technician)))
    one = runner.invoke(
        cli_app,
        ["forms", "travel-order", *common, "--date", DAY.isoformat(), "--out", str(tmp_path / "one.html")],
    )
    assert one.exit_code == 0, one.output and (tmp_path / "one.html").exists()

    wrong: dict[str, list[str]] = {
        "unknown technician": [
            "forms",
            "statement",
            str(problem_path),
            str(plan_path),
            "--technician",
            "NOBODY",
        ],
        "csv out": ["forms", "statement", *common, "--out", str(tmp_path / "x.csv")],
        "bad month": ["forms", "statement", *common, "--month", "2026-13", "--out", str(out)],
        "no trip that day": ["forms", "travel-order", *common, "--date", "2026-11-27", "--out", str(out)],
    }
    for name, arguments in wrong.items():
        answer = runner.invoke(cli_app, arguments)
        assert answer.exit_code == 2, (name, answer.output)


def test_greek_formats() -> None:
    assert greek_number(1234.5) == "1.234,50"
    assert greek_number(1234567.891, 1) == "1.234.567,9"
    assert greek_eur(0) == "0,00 €" and greek_eur(-3.5) == "-3,50 €"
    assert greek_date(date(2026, 11, 3)) == "03/11/2026"
    assert greek_date(datetime(2026, 11, 23, 8, 15)) == "23/11/2026"


@pytest.mark.slow
def test_days_joined_by_a_night_away_are_one_trip(sample_plan: tuple[Problem, Plan]) -> None:
    problem, plan = sample_plan
    technician, _ = _chosen(problem, plan)
    first = travel_days([(problem, plan)], technician)[0]
    away = dataclasses.replace(first, nights=1, overnight_eur=80.0, total_eur=first.total_eur + 80.0)
    next_day = dataclasses.replace(first, date=date(2026, 11, 24), starts_away=True)
    later = dataclasses.replace(first, date=date(2026, 11, 26), starts_away=False)
    found = trips([away, next_day, later])
    assert [len(t.days) for t in found] == [2, 1]
    assert found[0].totals.nights == 1 and found[0].totals.overnight_eur == 80.0
    statement = monthly_statement(problem, technician, [away, next_day, later], MONTH)
    assert statement.totals.nights == 1 and len(statement.days) == 3
    assert monthly_statement(problem, technician, [away], "2026-12").days == ()
    with pytest.raises(ValueError, match=r"technicians\.csv"):
        monthly_statement(problem, "NOBODY", [], MONTH)
