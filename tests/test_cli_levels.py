"""``dromologio level``: a ticket's level shown, moved when allowed, and the plan following it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dromologio.cli import app
from dromologio.models import read_problem
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from dromologio.models.plan_io import read_plan_json
from dromologio.models.service_columns import ticket_level
from tests.models.test_readers import make_folder
from tests.models.test_ticket_levels import tickets_with_levels

runner = CliRunner()


def levels_of(folder: Path) -> dict[str, str]:
    return {t.ticket_id: ticket_level(t) for t in read_problem(folder).tickets}


def test_an_allowed_move_rewrites_the_tickets_and_is_recorded(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    moved = runner.invoke(
        app,
        [
            "level",
            str(folder),
            "K03",
            "on_site",
            "--reason",
            "remote attempt failed",
            "--at",
            "2026-11-23T10:15",
        ],
    )
    assert moved.exit_code == 0, moved.output
    assert levels_of(folder) == {"K01": "on_site", "K02": "on_site", "K03": "on_site"}
    k03 = read_problem(folder).tickets[2]
    assert (k03.remote, k03.warranty) == (False, False)
    events = (folder / "ticket_events.csv").read_text(encoding="utf-8").splitlines()
    assert events == [
        "ticket_id,at,kind,from_level,to_level,reason",
        "K03,2026-11-23T10:15,level,remote,on_site,remote attempt failed",
    ]


def test_a_refused_move_names_the_allowed_ones_and_changes_nothing(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    before = (folder / "tickets.csv").read_bytes()
    refused = runner.invoke(app, ["level", str(folder), "K01", "school", "--reason", "the teacher will try"])
    assert refused.exit_code == 2
    assert "from on_site a ticket may move to: remote, third_level, vendor" in " ".join(
        refused.output.split()
    )
    unknown = runner.invoke(app, ["level", str(folder), "K01", "onsite", "--reason", "x"])
    assert unknown.exit_code == 2 and "school, remote, on_site, third_level, vendor" in unknown.output
    no_reason = runner.invoke(app, ["level", str(folder), "K01", "vendor"])
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    early = runner.invoke(
        app, ["level", str(folder), "K01", "vendor", "--reason", "x", "--at", "2026-11-23T09:00"]
    )
    assert early.exit_code == 2 and "before the ticket was opened (2026-11-23T09:40)" in " ".join(
        early.output.split()
    )
    assert (folder / "tickets.csv").read_bytes() == before
    assert not (folder / "ticket_events.csv").exists()


def test_the_level_and_its_moves_are_printed(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    for level, at in (("on_site", "2026-11-23T09:00"), ("vendor", "2026-11-23T11:30")):
        result = runner.invoke(
            app, ["level", str(folder), "K03", level, "--reason", f"to {level}", "--at", at]
        )
        assert result.exit_code == 0, result.output
    out_of_order = runner.invoke(
        app, ["level", str(folder), "K03", "on_site", "--reason", "back", "--at", "2026-11-23T11:00"]
    )
    assert out_of_order.exit_code == 2 and "before the ticket's last move" in " ".join(
        out_of_order.output.split()
    )
    shown = runner.invoke(app, ["level", str(folder), "K03"])
    assert shown.exit_code == 0, shown.output
    lines = [" ".join(line.split()) for line in shown.output.splitlines()]
    assert lines[0].startswith("K03: vendor")
    assert "allowed moves: remote, on_site" in lines[1]
    assert lines[2:] == [
        "2026-11-23T09:00 remote → on_site: to on_site",
        "2026-11-23T11:30 on_site → vendor: to vendor",
    ]
    untouched = runner.invoke(app, ["level", str(folder), "K02"])
    assert "no moves" in untouched.output
    missing = runner.invoke(app, ["level", str(folder), "K9"])
    assert missing.exit_code == 2 and "no ticket 'K9'" in missing.output


def test_the_plan_routes_a_ticket_moved_on_site_and_hands_one_moved_to_the_third_level(
    tmp_path: Path,
) -> None:
    tickets = tickets_with_levels(("", "", ""), ("", "", "remote"), ("", "", "remote"))
    folder = make_folder(tmp_path, {"tickets.csv": tickets})
    for ticket, level in (("K02", "on_site"), ("K01", "third_level")):
        moved = runner.invoke(
            app, ["level", str(folder), ticket, level, "--reason", "test", "--at", "2026-11-23T09:50"]
        )
        assert moved.exit_code == 0, moved.output
    out = tmp_path / "plan.json"
    planned = runner.invoke(
        app, ["plan", str(folder), "--date", "2026-11-23", "--out", str(out), "--time-limit", "1", "--quiet"]
    )
    assert planned.exit_code == 0, planned.output
    document = json.loads(out.read_text(encoding="utf-8"))
    visited = {
        t for r in document["routes"] for s in r["stops"] if s["type"] == "visit" for t in s["ticket_ids"]
    }
    assert visited == {"K02"}
    assert document["vendor"] == ["K01"] and document["remote"] == ["K03"]
    problem, plan = read_problem(folder), read_plan_json(out)
    checked = check_plan(problem, plan)
    assert checked.ok, checked.violations
    audited = audit_plan(problem, plan)
    assert audited.ok, audited.findings
