"""``dromologio service-report`` and ``dromologio slots`` on the sample with a day's plan."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dromologio.cli_service import app
from dromologio.dispatch import solve
from dromologio.models.plan_io import write_plan_json
from dromologio.models.readers import read_problem
from dromologio.sample import write_sample

runner = CliRunner()
IOANNINA = "Δ.Π.Ε. Ιωαννίνων"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("service")
    sample = write_sample(root / "sample")
    plan = solve(read_problem(sample), date(2026, 11, 23), time_limit_s=1, seed=0).plan
    write_plan_json(plan, root / "plan.json")
    return root


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "240"})
    return result.exit_code, " ".join(result.output.split())


def test_service_report_of_a_month(folder: Path) -> None:
    out = folder / "report"
    code, output = run(
        "service-report", str(folder / "sample"), str(folder / "plan.json"), "--month", "2026-11",
        "--directorate", IOANNINA, "--out", str(out),
    )  # fmt: skip
    assert code == 0, output
    assert "preventive coverage n/a" in output and IOANNINA in output
    with (out / "service-report.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][0] == "ομάδα / group" and rows[1][0] == "all"
    assert int(rows[1][3]) > 0  # some tickets of Ioannina were visited that day
    assert (out / "service-report.html").read_text(encoding="utf-8").count("<tr") > 3
    code, output = run(
        "service-report", str(folder / "sample"), str(folder / "plan.json"), "--month", "11-2026"
    )
    assert code == 2 and "YYYY-MM" in output


def test_slots_of_a_school(folder: Path) -> None:
    code, output = run(
        "slots", str(folder / "sample"), "S0005", "--skill", "network", "--minutes", "30",
        "--days", "3", "--plan", str(folder / "plan.json"), "--after", "2026-11-20",
    )  # fmt: skip
    assert code == 0, output
    assert "2026-11-24" in output and "2026-11-25" in output
    code, output = run("slots", str(folder / "sample"), "NOPE", "--skill", "network")
    assert code == 2 and "no school 'NOPE'" in output
