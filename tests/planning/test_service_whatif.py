"""The scenario simulation with preventive visits: the ``preventive_visits`` change, the day hook,
and ``dromologio service-whatif`` (coverage, urgent response, part-time days, the month's report)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dromologio.cli import app
from dromologio.models import read_problem
from dromologio.planning.scenarios import Scenario, ScenarioError, parse_change, parse_scenarios
from dromologio.planning.scenarios.preventive import PreventiveVisits
from dromologio.planning.service.simulated import busiest_month
from dromologio.sample import sample_data_dir

EXAMPLE = Path(__file__).parents[2] / "examples" / "service-whatif.yaml"
runner = CliRunner()


def test_the_preventive_visits_change_is_a_flag() -> None:
    sample = read_problem(sample_data_dir())
    assert isinstance(parse_change({"preventive_visits": True}, sample), PreventiveVisits)
    for wrong in (1, "yes", {"every": 90}):
        with pytest.raises(ValueError, match="preventive_visits"):
            parse_change({"preventive_visits": wrong}, sample)
    document = {"scenarios": [{"name": "care", "changes": [{"preventive_visits": "often"}]}]}
    with pytest.raises(ScenarioError, match=r"scenario 'care', change 1 \(preventive_visits\)"):
        parse_scenarios(document, sample)
    care = Scenario("care", (PreventiveVisits(),))
    assert care.describe() == "preventive visits in the days' slack"


def test_the_busiest_month_holds_most_days() -> None:
    days = [date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 1)]
    assert str(busiest_month(days)) == "2026-11"
    assert str(busiest_month([*days[1:], date(2026, 12, 2)])) == "2026-12"


@pytest.mark.slow
def test_service_whatif_on_the_zone_sample_with_and_without_preventive_visits(tmp_path: Path) -> None:
    out = tmp_path / "whatif"
    # Monday and Tuesday: the part-time technician (Tue;Thu) may work on the second day only.
    ran = runner.invoke(
        app, ["service-whatif", str(EXAMPLE), "--days", "2", "--time-limit", "0.5", "--out", str(out)]
    )
    assert ran.exit_code == 0, ran.output  # every daily plan passed the checker
    summary = pd.read_csv(out / "whatif.csv").set_index("scenario")
    without, with_care = summary.loc["repairs only"], summary.loc["with preventive visits"]
    assert without["preventive_visits"] == 0 and with_care["preventive_visits"] > 0
    assert with_care["coverage_last_day"] > without["coverage_last_day"]
    assert (summary["plans_checked"] == 2).all()
    part_time = pd.read_csv(out / "part_time.csv")
    assert set(part_time["technician_id"]) == {"T11"}
    assert (part_time["work_days_in_horizon"] == 1).all()
    assert (part_time["days_worked_off_work_days"] == 0).all()
    coverage = pd.read_csv(out / "coverage_by_day.csv")
    assert list(coverage.columns) == ["date", "repairs only", "with preventive visits"]
    assert len(coverage) == 2
    report = (out / "report-2" / "service-report.csv").read_bytes()
    assert report and (out / "whatif.png").stat().st_size > 0
