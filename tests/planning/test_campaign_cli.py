"""``dromologio campaign``: the command end to end on a generated region, and its input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dromologio.cli import app
from dromologio.models.readers import read_problem
from dromologio.sample.generate import generate_problem_files

runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A mainland region of 12 schools and 3 technicians, with the campaign's schools file in it."""
    target = generate_problem_files(
        tmp_path_factory.mktemp("region"),
        num_tickets=0,
        num_technicians=3,
        num_schools=12,
        seed=5,
        islands=False,
    )
    schools = [s.school_id for s in read_problem(target).schools]
    rows = [f"{s},{45 if i % 2 else ''}" for i, s in enumerate(schools)]
    (target / "campaign.csv").write_text(
        "school_id,service_minutes\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return target


@pytest.mark.slow
def test_campaign_writes_its_json_plan_and_chart(folder: Path, tmp_path: Path) -> None:
    problem = read_problem(folder)
    skill = sorted(problem.technicians[0].skills)[0]
    team = problem.technicians[0].technician_id
    out, plan, chart = tmp_path / "campaign.json", tmp_path / "plan.json", tmp_path / "progress.png"
    result = runner.invoke(
        app,
        [
            "campaign",
            str(folder / "campaign.csv"),
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-27",
            "--teams",
            team,
            "--skill",
            skill,
            "--out",
            str(out),
            "--plan",
            str(plan),
            "--chart",
            str(chart),
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["summary"]["schools"] == 12
    assert document["summary"]["teams"] == 1
    assert document["summary"]["violations"] == 0
    assert document["summary"]["done"] == document["progress"][-1]["cumulative"] > 0
    assert [p["date"] for p in document["progress"]] == [f"2026-11-{d}" for d in range(23, 28)]
    assert {d["technician_id"] for d in document["days"]} == {team}
    assert len(json.loads(plan.read_text(encoding="utf-8"))["routes"]) == len(document["days"])
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert "Εκστρατεία / campaign" in result.output


def test_a_bad_schools_file_names_row_and_column(folder: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("school_id,service_minutes\nS0001,lots\n", encoding="utf-8")
    result = runner.invoke(
        app, ["campaign", str(bad), "--problem", str(folder), "--from", "2026-11-23", "--to", "2026-11-27"]
    )
    assert result.exit_code == 2
    assert "bad.csv" in result.output and "service_minutes" in result.output and "2" in result.output


def test_unknown_schools_and_teams_are_named(folder: Path, tmp_path: Path) -> None:
    listed = tmp_path / "list.csv"
    listed.write_text("school_id\nS0001\nNOWHERE\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "campaign",
            str(listed),
            "--problem",
            str(folder),
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-27",
            "--teams",
            "T01,T77",
        ],
    )
    assert result.exit_code == 2
    assert "NOWHERE" in result.output and "T77" in result.output
