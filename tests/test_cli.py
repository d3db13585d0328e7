"""The command line end to end: sample -> validate -> plan -> check, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dromologio.cli import app

runner = CliRunner()


def test_sample_validate_plan_check(tmp_path: Path) -> None:
    folder = tmp_path / "sample"
    assert runner.invoke(app, ["sample", str(folder)]).exit_code == 0
    assert (folder / "tickets.csv").exists() and (folder / "ATTRIBUTION.md").exists()
    validated = runner.invoke(app, ["validate", str(folder)])
    assert validated.exit_code == 0, validated.output
    out = tmp_path / "plan.json"
    planned = runner.invoke(
        app, ["plan", str(folder), "--date", "2026-11-23", "--force", "--out", str(out), "--time-limit", "1"]
    )
    assert planned.exit_code == 0, planned.output
    assert "unassigned" in planned.output and "totals" in planned.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["dates"] == ["2026-11-23"]
    assert out.with_suffix(".csv").read_text(encoding="utf-8").startswith("date,technician_id")
    checked = runner.invoke(app, ["check", str(folder), str(out)])
    assert checked.exit_code == 0, checked.output
    # The audit runs beside the checker: the product's plan leaves nothing undone without need.
    assert "no ticket is left undone without need" in " ".join(checked.output.split()), checked.output

    # A broken plan: one visited ticket disappears -> the checker says so, exit 1.
    route = next(r for r in document["routes"] if any(s["type"] == "visit" for s in r["stops"]))
    visit = next(s for s in route["stops"] if s["type"] == "visit")
    lost = visit["ticket_ids"].pop()
    if not visit["ticket_ids"]:
        route["stops"].remove(visit)
    out.write_text(json.dumps(document), encoding="utf-8")
    broken = runner.invoke(app, ["check", str(folder), str(out)])
    assert broken.exit_code == 1
    assert "TICKET_ONCE" in broken.output and lost in broken.output


def test_bad_input_is_reported_with_file_row_column_and_nothing_is_planned(tmp_path: Path) -> None:
    folder = tmp_path / "sample"
    runner.invoke(app, ["sample", str(folder)])
    tickets = folder / "tickets.csv"
    lines = tickets.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[13].split(",")
    row[header.index("skill")] = "ltps"
    lines[13] = ",".join(row)
    tickets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(folder), "--out", str(tmp_path / "p.json")])
    assert result.exit_code == 2
    assert "tickets.csv row 14, column skill: 'ltps'" in result.output
    assert "did you mean 'ltsp'" in result.output
    assert not (tmp_path / "p.json").exists()


def test_bad_date_is_explained(tmp_path: Path) -> None:
    folder = tmp_path / "sample"
    runner.invoke(app, ["sample", str(folder)])
    result = runner.invoke(app, ["plan", str(folder), "--date", "23/11/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_check_lists_the_audit_findings_of_a_plan_that_drops_a_ticket_it_could_serve(tmp_path: Path) -> None:
    """The sample day as planned before excursions handed visits over: K0033 undone while T07 could go."""
    folder = tmp_path / "sample"
    assert runner.invoke(app, ["sample", str(folder)]).exit_code == 0
    path = Path(__file__).parent / "models" / "data" / "sample_2026-11-23_plan.json"
    checked = runner.invoke(app, ["check", str(folder), str(path)])
    said = " ".join(checked.output.split())
    assert checked.exit_code == 0, checked.output
    assert "K0033" in said and "tickets the plan could still serve" in said, checked.output
    quiet = runner.invoke(app, ["check", str(folder), str(path), "--no-audit"])
    assert "tickets the plan could still serve" not in " ".join(quiet.output.split())
