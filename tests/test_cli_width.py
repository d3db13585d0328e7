"""The command line at 80 columns: tables fold rather than cut cells to "…"; ``--wide`` shows every
column; the CSV files open right in Greek Excel (``--excel``) and the plan has an .xlsx twin."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from dromologio import cli, cli_costs
from dromologio.models.checker import check_plan
from dromologio.models.plan_io import read_plan_json
from dromologio.models.readers import read_problem
from dromologio.reports.costs import HEADINGS, cost_table
from dromologio.reports.exports import SHEETS
from dromologio.reports.scenarios import scenario_table
from dromologio.reports.width import print_table

runner = CliRunner()
WIDTH = 80


@pytest.fixture(autouse=True)
def narrow_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands print on a terminal 80 columns wide."""
    for module in (cli, cli_costs):
        monkeypatch.setattr(module, "console", Console(width=WIDTH, color_system=None))


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cli_width")
    sample = folder / "sample"
    assert runner.invoke(cli.app, ["sample", str(sample)]).exit_code == 0
    return {"folder": folder, "sample": sample}


def _fits(output: str, *, own_ellipses: int = 0) -> None:
    """Every line within 80 columns, and no "…" but those the data itself holds (``own_ellipses``)."""
    assert output.count("…") == own_ellipses, output
    too_wide = [line for line in output.splitlines() if len(line) > WIDTH]
    assert not too_wide, too_wide[:3]


@pytest.mark.slow
def test_plan_costs_and_exports_at_80_columns(planned: dict[str, Path]) -> None:
    sample, out = planned["sample"], planned["folder"] / "plan.json"
    xlsx = planned["folder"] / "plan.xlsx"
    arguments = ["plan", str(sample), "--date", "2026-11-23", "--force", "--out", str(out)]
    result = runner.invoke(cli.app, [*arguments, "--time-limit", "1", "--excel", "--xlsx", str(xlsx)])
    assert result.exit_code == 0, result.output
    problem, plan = read_problem(sample), read_plan_json(out)
    _fits(result.output, own_ellipses=sum(u.reason.count("…") for u in plan.unassigned))
    assert check_plan(problem, json.loads(out.read_text(encoding="utf-8"))).ok
    checked = runner.invoke(cli.app, ["check", str(sample), str(out)])  # the checker and the audit
    assert checked.exit_code == 0 and "without need" in " ".join(checked.output.split()), checked.output
    for route in plan.routes:
        for ticket_id in route.ticket_ids:
            assert ticket_id in result.output

    # The plan CSV as Greek Excel reads it: a BOM, ';' between columns, decimal commas, names.
    raw = out.with_suffix(".csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    visits = [r for r in rows if r["type"] == "visit"]
    assert visits and all(r["school_name"] == problem.school_by_id[r["school_id"]].name for r in visits)
    assert all(r["technician_name"] == problem.technician_by_id[r["technician_id"]].name for r in visits)
    assert all("," in r["lat"] for r in visits)
    unassigned = [r for r in rows if r["type"] == "unassigned"]
    assert all(r["reason"] and r["school_name"] for r in unassigned)

    # The workbook: a route per row, the costs' total row adds up to the plan's routes.
    book = load_workbook(xlsx)
    assert tuple(book.sheetnames) == SHEETS
    assert book["Δρομολόγια"].max_row - 1 == len(plan.routes)
    header, *priced, total = list(book["Κόστος"].iter_rows(values_only=True))
    column = header.index("€ σύνολο / total")
    assert total[column] == pytest.approx(sum(row[column] for row in priced))
    assert total[column] == pytest.approx(sum(r.cost_eur for r in plan.routes), abs=0.01 * len(plan.routes))

    # Costs at 80 columns, by every grouping: folded, never cut; --wide shows every heading.
    costs_csv = planned["folder"] / "costs.csv"
    for by in ("employer", "technician", "directorate", "island", "day"):
        priced_output = runner.invoke(cli.app, ["costs", str(sample), str(out), "--by", by])
        assert priced_output.exit_code == 0, priced_output.output
        _fits(priced_output.output)
    names = runner.invoke(cli.app, ["costs", str(sample), str(out), "--by", "technician"]).output
    for route in plan.routes:
        assert problem.technician_by_id[route.technician_id].name in names
    wide = runner.invoke(
        cli.app, ["costs", str(sample), str(out), "--wide", "--csv", str(costs_csv), "--excel"]
    )
    assert wide.exit_code == 0 and "…" not in wide.output
    assert all(HEADINGS[c] in wide.output for c in ("ferry_eur", "per_diem_eur", "eur_per_school_visit"))
    raw = costs_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    report = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    total_row = report[-1]
    assert total_row["employer"] == "Σ"
    assert float(total_row["total_eur"].replace(",", ".")) == pytest.approx(
        sum(float(r["total_eur"].replace(",", ".")) for r in report[:-1]), abs=0.02
    )


def test_clashing_csv_options_are_refused(planned: dict[str, Path]) -> None:
    result = runner.invoke(
        cli.app, ["costs", str(planned["sample"]), "plan.json", "--sep", ",", "--decimal", ","]
    )
    assert result.exit_code == 2
    assert "separator and the decimal mark" in " ".join(result.output.split())


def _rendered(table: object, *, wide: bool = False) -> str:
    console = Console(width=WIDTH, record=True, file=io.StringIO(), color_system=None)
    print_table(console, table, wide=wide)  # type: ignore[arg-type]
    return console.export_text()


def test_cost_report_folds_long_names_at_80_columns() -> None:
    report = pd.DataFrame(
        {
            "technician_id": ["T-0001-LONG", "Σ"],
            "technician": ["Παναγιώτης Χατζηγεωργίου-Παπαδόπουλος", ""],
            "employer": ["ΚΕ.ΠΛΗ.ΝΕ.Τ. Δυτικής Αττικής και Πειραιά", ""],
            "routes": [3, 3],
            "distance_km": [12345.6, 12345.6],
            "distance_eur": [1851.84, 1851.84],
            "ferry_eur": [1234.5, 1234.5],
            "per_diem_eur": [400.0, 400.0],
            "overnight_eur": [120.0, 120.0],
            "tolls_eur": [33.3, 33.3],
            "total_eur": [3639.64, 3639.64],
            "tickets_served": [17, 17],
            "school_visits": [12, 12],
            "eur_per_ticket": [214.1, 214.1],
            "eur_per_school_visit": [303.3, 303.3],
        }
    )
    text = _rendered(cost_table(report, "Κόστος / costs", narrow=True))
    _fits(text)
    assert "3,639.64" in text and "12,345.6" in text and "214.10" in text
    wide = _rendered(cost_table(report, "Κόστος / costs"), wide=True)
    assert "…" not in wide and "€ πλοίο / ferry" in wide and "1,234.50" in wide


def test_scenario_table_fits_80_columns() -> None:
    summary = pd.DataFrame(
        {
            "served": [120.0, 98.0],
            "backlog_end": [14.0, 36.0],
            "time_to_visit_mean_days": [1.25, 2.5],
            "sla_breaches": [2.0, 9.0],
            "cost_eur": [2345.0, 1890.0],
            "backlog_value_eur": [1400.0, 3900.0],
        },
        index=pd.Index(["βάση / baseline", "ένας τεχνικός λιγότερος / one technician fewer"]),
    )
    text = _rendered(scenario_table(summary, "20 s, local", narrow=True))
    _fits(text)
    assert "3,900" in text and "1,890" in text and "5,790" in text  # travel + backlog value
    wide = _rendered(scenario_table(summary, "20 s, local"), wide=True)
    assert "…" not in wide and "1.25" in wide


def test_budget_table_with_its_band_fits_80_columns() -> None:
    from datetime import date

    from dromologio.planning.estimate import Estimate
    from dromologio.planning.estimate.budget import BUDGET_TABLE_COLUMNS
    from dromologio.reports.costs import budget_table

    row = {
        "employer": "ΚΕ.ΠΛΗ.ΝΕ.Τ. Θεσπρωτίας",
        "period": "2026-01",
        "period_budget_eur": 15000.0,
        "working_days": 16,
        "days_estimated": 7,
        "cost_eur": 13217.5,
        "budget_pro_rata_eur": 6562.5,
        "projected_period_eur": 29804.25,
        "projected_low_eur": 21790.5,
        "projected_high_eur": 47537.75,
        "projected_share": 1.987,
        "status": "υπέρβαση / over",
    }
    frame = pd.DataFrame(
        [row, {**row, "employer": "Πανεπιστήμιο Ιωαννίνων"}], columns=list(BUDGET_TABLE_COLUMNS)
    )
    empty = pd.DataFrame()
    estimate = Estimate(date(2026, 1, 8), date(2026, 1, 16), (), (), empty, empty, frame, empty, 0)
    text = _rendered(budget_table(estimate, narrow=True))
    _fits(text)
    assert "29,804.25" in text and "21,790.50 –" in text and "47,537.75" in text and "199 %" in text
    assert "Θεσπρωτίας" in text and "Πανεπιστήμιο" in text
    wide = _rendered(budget_table(estimate), wide=True)
    assert "…" not in wide and "13,217.50" in wide and "6,562.50" in wide
