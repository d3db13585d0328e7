"""Costs over the API: the numbers of ``dromologio costs``, per plan, day and month, by role."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dromologio.cli import app as cli_app
from dromologio.models import Plan
from dromologio.models.audit import audit_plan
from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem_dict
from dromologio.planning.costs import cost_report, fairness_report, plan_cost_table

from .conftest import (
    ADMIN,
    ARTA,
    IOANNINA,
    PARTNER_A,
    PARTNER_B,
    PARTNER_B_TECHNICIAN,
    make_key,
    wait_job,
)

DAY = "2026-11-23"
GROUPINGS = ("employer", "technician", "directorate", "island", "day")
KEYS = ("employer", "technician_id", "technician", "directorate", "island", "date")
NUMBERS = (
    "routes",
    "distance_km",
    "distance_eur",
    "ferry_eur",
    "per_diem_eur",
    "overnight_eur",
    "tolls_eur",
    "overtime_eur",
    "total_eur",
)


def solve(client: TestClient, *, publish: bool = True, **body: Any) -> str:
    """A plan of DAY, published unless told (only published plans are the costs of their days)."""
    response = client.post(
        "/plans", json={"date": DAY, "time_limit_s": 1, "force": True, **body}, headers=ADMIN
    )
    assert response.status_code == 202, response.text
    plan_id: str = response.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    if publish:
        published = client.post(f"/plans/{plan_id}/publish", headers=ADMIN)
        assert published.status_code == 200, published.text
    return plan_id


@pytest.fixture
def priced(client: TestClient, tiny: dict[str, Any]) -> dict[str, Any]:
    """The tiny problem imported and one day planned; the plan passes the checker."""
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    plan_id = solve(client)
    plan = Plan.from_dict(client.get(f"/plans/{plan_id}", headers=ADMIN).json())
    problem_document = client.get(f"/plans/{plan_id}/problem", headers=ADMIN).json()
    problem = read_problem_dict(problem_document)
    assert check_plan(problem, plan).ok and audit_plan(problem, plan).ok
    assert plan.routes
    return {"plan_id": plan_id, "plan": plan, "problem": problem, "document": problem_document}


def _key_of(row: dict[str, Any], by: str) -> tuple[Any, ...]:
    return tuple(row.get(k) for k in KEYS if row.get(k) is not None)


def _same(api_rows: list[dict[str, Any]], expected: list[dict[str, Any]], by: str) -> None:
    assert len(api_rows) == len(expected), (api_rows, expected)
    for got, want in zip(api_rows, expected, strict=True):
        assert _key_of(got, by) == _key_of(want, by)
        for column in NUMBERS:
            assert got[column] == pytest.approx(float(want[column])), column
        for column in ("eur_per_ticket", "eur_per_school_visit"):
            value = float(want[column])
            assert (got[column] is None) if math.isnan(value) else got[column] == pytest.approx(value)


def test_plan_costs_are_the_numbers_of_the_command_line(
    client: TestClient, priced: dict[str, Any], tmp_path: Path
) -> None:
    plan_id, plan, problem = priced["plan_id"], priced["plan"], priced["problem"]
    table = plan_cost_table(problem, plan)
    for by in GROUPINGS:
        answer = client.get(f"/costs/plans/{plan_id}", params={"by": by}, headers=ADMIN)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        expected = cost_report(table, by, with_total=True).to_dict("records")
        _same(body["rows"], [{str(k): v for k, v in r.items()} for r in expected[:-1]], by)
        assert body["total"]["total_eur"] == pytest.approx(float(expected[-1]["total_eur"]))
        assert body["plan_ids"] == [plan_id] and body["by"] == [by]
    # The command line itself, on the same plan and problem, prints the same total.
    (tmp_path / "problem.json").write_text(json.dumps(priced["document"], ensure_ascii=False), "utf-8")
    (tmp_path / "plan.json").write_text(json.dumps(plan.to_dict(), ensure_ascii=False), "utf-8")
    csv_path = tmp_path / "by_employer.csv"
    result = CliRunner().invoke(
        cli_app,
        ["costs", str(tmp_path / "problem.json"), str(tmp_path / "plan.json"), "--by", "employer"],
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    total = client.get(f"/costs/plans/{plan_id}", headers=ADMIN).json()["total"]["total_eur"]
    assert f"{total:,.2f}" in result.output
    assert not csv_path.exists()


def test_two_keys_and_the_visited_basis(client: TestClient, priced: dict[str, Any]) -> None:
    plan_id, plan = priced["plan_id"], priced["plan"]
    both = client.get(
        f"/costs/plans/{plan_id}", params=[("by", "employer"), ("by", "day")], headers=ADMIN
    ).json()
    assert all(r["employer"] and r["date"] == DAY for r in both["rows"])
    nothing = client.get(f"/costs/plans/{plan_id}", params={"basis": "visited"}, headers=ADMIN).json()
    assert nothing["rows"] == [] and nothing["total"]["total_eur"] == 0
    route = next(r for r in plan.routes if r.ticket_ids)
    done = client.post(f"/plans/{plan_id}/visits/{route.ticket_ids[0]}/done", headers=ADMIN)
    assert done.status_code == 200, done.text
    visited = client.get(
        f"/costs/plans/{plan_id}", params={"basis": "visited", "by": "technician"}, headers=ADMIN
    ).json()
    assert [r["technician_id"] for r in visited["rows"]] == [route.technician_id]
    priced_route = plan_cost_table(priced["problem"], Plan(plan.dates, (route,)))
    assert visited["total"]["total_eur"] == pytest.approx(float(priced_route["total_eur"].sum()))


def test_day_and_month_cost_the_published_plan(client: TestClient, priced: dict[str, Any]) -> None:
    first = priced["plan_id"]
    day = client.get(f"/costs/days/{DAY}", params={"by": "technician"}, headers=ADMIN).json()
    alone = client.get(f"/costs/plans/{first}", params={"by": "technician"}, headers=ADMIN).json()
    assert day["rows"] == alone["rows"] and day["plan_ids"] == [first]
    draft = solve(client, seed=3, publish=False)  # a draft is not the day's plan
    assert client.get(f"/costs/days/{DAY}", params={"by": "technician"}, headers=ADMIN).json() == day
    assert client.post(f"/plans/{draft}/publish", headers=ADMIN).status_code == 200  # supersedes the first
    again = client.get(f"/costs/days/{DAY}", params={"by": "technician"}, headers=ADMIN).json()
    latest = client.get(f"/costs/plans/{draft}", params={"by": "technician"}, headers=ADMIN).json()
    assert again["plan_ids"] == [draft] and again["total"] == latest["total"]
    month = client.get("/costs/months/2026-11", params={"by": "day"}, headers=ADMIN).json()
    assert [r["date"] for r in month["rows"]] == [DAY]
    assert month["total"] == latest["total"]
    solve(client, scenario=True, seed=5, publish=False)  # a what-if never counts
    assert client.get("/costs/months/2026-11", params={"by": "day"}, headers=ADMIN).json() == month
    empty = client.get("/costs/months/2026-10", headers=ADMIN).json()
    assert empty["rows"] == [] and empty["plan_ids"] == []
    assert client.get("/costs/months/2026-13", headers=ADMIN).status_code == 422
    assert client.get("/costs/days/2026-11-31", headers=ADMIN).status_code == 422
    assert client.get(f"/costs/plans/{first}", params={"by": "school"}, headers=ADMIN).status_code == 422


def _technicians(body: dict[str, Any]) -> set[str]:
    return {r["technician_id"] for r in body["rows"]}


def test_each_role_reads_the_costs_of_the_technicians_it_sees(
    client: TestClient, priced: dict[str, Any]
) -> None:
    plan_id = priced["plan_id"]
    everyone = {r.technician_id for r in priced["plan"].routes}
    keys = {
        "dispatcher": make_key(client, "dispatcher", [IOANNINA, ARTA]),
        "ioannina": make_key(client, "dispatcher", [IOANNINA]),
        "partner_a": make_key(client, "partner", [IOANNINA], PARTNER_A),
        "partner_b": make_key(client, "partner", [IOANNINA, ARTA], PARTNER_B),
        "planner": make_key(client, "planner"),
    }
    paths = [f"/costs/plans/{plan_id}", f"/costs/days/{DAY}", "/costs/months/2026-11"]
    for path in paths:
        by = {"by": "technician"}
        assert _technicians(client.get(path, params=by, headers=keys["planner"]).json()) == everyone
        assert _technicians(client.get(path, params=by, headers=keys["dispatcher"]).json()) == everyone
        partner_b = client.get(path, params=by, headers=keys["partner_b"])
        assert partner_b.status_code == 200, partner_b.text
        assert _technicians(partner_b.json()) == everyone & {PARTNER_B_TECHNICIAN}
        assert PARTNER_A not in partner_b.text and "Ελένη Κίτσου" not in partner_b.text
    # The Ioannina dispatcher does not see the plan of both Directorates at all.
    assert client.get(paths[0], headers=keys["ioannina"]).status_code == 404
    assert client.get(paths[2], headers=keys["ioannina"]).json()["rows"] == []
    # A partner reads its own technicians' costs in a plan of Directorates beyond its own.
    month = client.get(paths[2], params={"by": "technician"}, headers=keys["partner_a"]).json()
    assert _technicians(month) == everyone & {"PA-TECH-1"}
    assert {r["employer"] for r in month["rows"]} <= {PARTNER_A}
    # Nothing is written under /costs.
    for key in keys.values():
        assert client.post("/costs/months/2026-11", headers=key).status_code == 405


def test_fairness_over_the_month_is_the_report_of_the_routes_travelled(
    client: TestClient, priced: dict[str, Any]
) -> None:
    plan_id, plan, problem = priced["plan_id"], priced["plan"], priced["problem"]
    route = max(plan.routes, key=lambda r: len(r.ticket_ids))
    employer = problem.technician_by_id[route.technician_id].employer
    params = {"employer": employer, "month": "2026-11"}
    nothing = client.get("/costs/fairness", params=params, headers=ADMIN).json()
    assert all(t["allowance_eur"] == 0 and t["routes"] == 0 for t in nothing["technicians"])
    for ticket in route.ticket_ids:
        assert client.post(f"/plans/{plan_id}/visits/{ticket}/done", headers=ADMIN).status_code == 200
    answer = client.get("/costs/fairness", params={**params, "tolerance": 0.1}, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    roster = {t.technician_id: (t.name, t.employer) for t in problem.technicians if t.employer == employer}
    expected = fairness_report(plan_cost_table(problem, Plan(plan.dates, (route,))), roster, tolerance=0.1)
    assert [t["technician_id"] for t in body["technicians"]] == list(expected.table["technician_id"])
    assert [t["allowance_eur"] for t in body["technicians"]] == list(expected.table["allowance_eur"])
    assert body["mean_allowance_eur"] == expected.mean_allowance_eur and body["outside"] == expected.outside
    mine = next(t for t in body["technicians"] if t["technician_id"] == route.technician_id)
    assert mine["routes"] == 1 and body["tolerance"] == 0.1 and body["basis"] == "visited"
    assert client.get("/costs/fairness", params={"month": "2026-11"}, headers=ADMIN).status_code == 422
    assert client.get("/costs/fairness", params={**params, "tolerance": -1}, headers=ADMIN).status_code == 422
