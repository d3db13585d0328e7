"""Preventive visits in the product's day plans: ``dromologio plan --preventive``."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dromologio.cli import app
from dromologio.dispatch.rules.preventive import PREFIX
from dromologio.models import read_problem, write_problem
from dromologio.planning.preventive import due_visits
from dromologio.sample import sample_data_dir
from dromologio.sample.zones import with_zone_substation

runner = CliRunner()
#: a Tuesday: the zone's part-time technician works.
DAY = "2026-11-24"


def _zone_sample(folder: Path) -> Path:
    write_problem(with_zone_substation(read_problem(sample_data_dir())), folder)
    return folder


def _places(document: dict[str, object]) -> dict[str, list[str]]:
    """Every ticket id of a plan document -> the places it appears in (visit, unassigned, ...)."""
    places: dict[str, list[str]] = {}
    for route in document["routes"]:  # type: ignore[attr-defined]
        for stop in route["stops"]:
            for ticket_id in stop.get("ticket_ids", []):
                places.setdefault(ticket_id, []).append("visit")
    for item in document["unassigned"]:  # type: ignore[attr-defined]
        places.setdefault(item["ticket_id"], []).append(f"unassigned:{item['code']}")
    return places


@pytest.mark.slow  # a solver run of seconds: the full run has it
def test_plan_with_preventive_puts_every_due_visit_in_exactly_one_place(tmp_path: Path) -> None:
    folder = _zone_sample(tmp_path / "zones")
    out = tmp_path / "plan.json"
    args = ["plan", str(folder), "--date", DAY, "--force", "--time-limit", "1", "--quiet", "--out", str(out)]
    planned = runner.invoke(app, [*args, "--preventive"])
    assert planned.exit_code == 0, planned.output  # the checker passed, against the tickets due
    places = _places(json.loads(out.read_text(encoding="utf-8")))
    due = {t.ticket_id for t in due_visits(read_problem(folder), date(2026, 11, 24))}
    assert len(due) > 5
    assert {t for t in places if t.startswith(PREFIX)} == due
    assert all(len(places[t]) == 1 for t in due)
    assert any(places[t] == ["visit"] for t in due)
    undone = {places[t][0] for t in due if places[t] != ["visit"]}
    assert "unassigned:capacity" not in undone and "unassigned:not_worth" not in undone

    # The plan file names the visits due: the checker knows them with --preventive only.
    checked = runner.invoke(app, ["check", str(folder), str(out), "--no-audit", "--preventive"])
    assert checked.exit_code == 0, checked.output
    unknown = runner.invoke(app, ["check", str(folder), str(out), "--no-audit"])
    assert unknown.exit_code == 1 and "UNKNOWN_TICKET" in unknown.output

    without = runner.invoke(app, args)
    assert without.exit_code == 0, without.output
    assert not any(t.startswith(PREFIX) for t in _places(json.loads(out.read_text(encoding="utf-8"))))


@pytest.mark.slow  # a solver run of seconds: the full run has it
def test_the_service_report_of_the_month_counts_the_plans_preventive_visits(tmp_path: Path) -> None:
    folder = _zone_sample(tmp_path / "zones")
    shares: dict[str, float] = {}
    for name, extra in (("with", ["--preventive"]), ("without", [])):
        out = tmp_path / f"plan-{name}.json"
        args = [
            "plan",
            str(folder),
            "--date",
            DAY,
            "--force",
            "--time-limit",
            "1",
            "--quiet",
            "--out",
            str(out),
        ]
        assert runner.invoke(app, [*args, *extra]).exit_code == 0
        report = tmp_path / f"report-{name}"
        made = runner.invoke(
            app, ["service-report", str(folder), str(out), "--month", "2026-11", "--out", str(report)]
        )
        assert made.exit_code == 0, made.output
        with (report / "service-report.csv").open(encoding="utf-8-sig") as handle:
            overall = next(row for row in csv.reader(handle, delimiter=";") if row[0] == "all")
        shares[name] = float(overall[-1])
    # The preventive visits made on 2026-11-24 count at the month's end; without them it decays.
    assert 0 < shares["without"] < shares["with"] <= 1
