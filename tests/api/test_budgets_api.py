"""Budget lines per employer: who reads and writes them, and actual (visits done) against budget."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dromologio.models import Plan
from dromologio.models.calendar import WorkCalendar
from dromologio.models.readers import read_problem_dict
from dromologio.planning.costs import plan_cost_table, travelled_plan

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, PARTNER_B, make_key, wait_job

DAY = "2026-11-23"
KEPLINET_IOANNINA = "ΚΕ.ΠΛΗ.ΝΕ.Τ. Ιωαννίνων"


@pytest.fixture
def keys(client: TestClient, tiny: dict[str, Any]) -> dict[str, dict[str, str]]:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    return {
        "admin": ADMIN,
        "dispatcher": make_key(client, "dispatcher", [IOANNINA]),
        "partner_a": make_key(client, "partner", [IOANNINA], PARTNER_A),
        "partner_b": make_key(client, "partner", [IOANNINA, ARTA], PARTNER_B),
        "planner": make_key(client, "planner"),
    }


def line(employer: str, amount: float, month: int | None = 11, **more: Any) -> dict[str, Any]:
    return {"employer": employer, "year": 2026, "month": month, "amount_eur": amount, **more}


def test_who_writes_budget_lines(client: TestClient, keys: dict[str, dict[str, str]]) -> None:
    made = client.post("/budgets", json=line(PARTNER_A, 500, note="ΚΥΑ 12/2026"), headers=keys["partner_a"])
    assert made.status_code == 201, made.text
    own = made.json()
    assert own["created_by"] == own["updated_by"] == f"partner {PARTNER_A}" and own["note"] == "ΚΥΑ 12/2026"
    refused = {
        "partner_a": client.post("/budgets", json=line(PARTNER_B, 1), headers=keys["partner_a"]),
        "dispatcher": client.post("/budgets", json=line(KEPLINET_IOANNINA, 1), headers=keys["dispatcher"]),
        "planner": client.post("/budgets", json=line(PARTNER_A, 1), headers=keys["planner"]),
    }
    assert {name: r.status_code for name, r in refused.items()} == {name: 403 for name in refused}
    other = client.post("/budgets", json=line(PARTNER_B, 900, month=None), headers=ADMIN).json()
    path, other_path = f"/budgets/{own['line_id']}", f"/budgets/{other['line_id']}"
    # partner A cannot touch B's line: it does not exist for A
    assert client.patch(other_path, json={"amount_eur": 1}, headers=keys["partner_a"]).status_code == 404
    assert client.delete(other_path, headers=keys["partner_a"]).status_code == 404
    # the dispatcher reads A's line (A's technician is based in Ioannina) but may not change it
    assert client.get(path, headers=keys["dispatcher"]).status_code == 200
    assert client.patch(path, json={"amount_eur": 1}, headers=keys["dispatcher"]).status_code == 403
    assert client.delete(path, headers=keys["planner"]).status_code == 403
    changed = client.patch(path, json={"amount_eur": 650.5, "note": "+ΔΠ"}, headers=keys["partner_a"])
    assert changed.status_code == 200 and changed.json()["amount_eur"] == 650.5
    year = client.patch(path, json={"whole_year": True}, headers=keys["partner_a"]).json()
    assert year["month"] is None
    both = client.patch(path, json={"whole_year": True, "month": 3}, headers=keys["partner_a"])
    assert both.status_code == 422
    typo = client.post("/budgets", json=line("Πανεπιστήμιο Ιωανίνων", 1), headers=ADMIN)
    assert typo.status_code == 422 and PARTNER_A in typo.json()["detail"]  # did you mean …
    assert typo.json()["errors"][0]["field"] == "body.employer"
    assert client.post("/budgets", json=line(PARTNER_A, -1), headers=ADMIN).status_code == 422
    assert client.post("/budgets", json=line(PARTNER_A, 1, month=13), headers=ADMIN).status_code == 422
    assert client.delete(path, headers=keys["partner_a"]).status_code == 204
    assert client.get(path, headers=ADMIN).status_code == 404


def test_who_reads_budget_lines(client: TestClient, keys: dict[str, dict[str, str]]) -> None:
    for employer, amount in (
        (PARTNER_A, 100),
        (PARTNER_B, 200),
        (KEPLINET_IOANNINA, 300),
        ("ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας", 400),
    ):
        assert client.post("/budgets", json=line(employer, amount), headers=ADMIN).status_code == 201

    def employers(role: str, **params: Any) -> list[str]:
        response = client.get("/budgets", params=params, headers=keys[role])
        assert response.status_code == 200, response.text
        return sorted(b["employer"] for b in response.json())

    every = sorted([PARTNER_A, PARTNER_B, KEPLINET_IOANNINA, "ΚΕ.ΠΛΗ.ΝΕ.Τ. Άρτας"])
    assert employers("admin") == employers("planner") == every
    assert employers("partner_a") == [PARTNER_A]
    assert employers("partner_b") == [PARTNER_B]
    assert employers("dispatcher") == sorted([PARTNER_A, KEPLINET_IOANNINA])
    assert employers("partner_a", employer=PARTNER_B) == []
    assert employers("admin", year=2027) == []


def test_actual_against_budget_counts_only_visits_done(
    client: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    response = client.post("/plans", json={"date": DAY, "time_limit_s": 1, "force": True}, headers=ADMIN)
    plan_id = response.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    assert client.post(f"/plans/{plan_id}/publish", headers=ADMIN).status_code == 200
    plan = Plan.from_dict(client.get(f"/plans/{plan_id}", headers=ADMIN).json())
    problem = read_problem_dict(client.get(f"/plans/{plan_id}/problem", headers=ADMIN).json())
    route = max(plan.routes, key=lambda r: len(r.ticket_ids))
    employer = problem.technician_by_id[route.technician_id].employer
    client.post("/budgets", json=line(employer, 10.0), headers=ADMIN)
    client.post("/budgets", json=line(employer, 1200.0, month=None), headers=ADMIN)
    params: dict[str, Any] = {"employer": employer, "year": 2026, "month": 11}
    before = client.get("/costs/budget", params=params, headers=ADMIN).json()
    november = before["months"][0]
    # The year line is spent evenly over the year's working days, as the estimate spends it.
    calendar = WorkCalendar()
    year_days = len(calendar.between(date(2026, 1, 1), date(2026, 12, 31)))
    november_days = len(calendar.between(date(2026, 11, 1), date(2026, 11, 30)))
    november_budget = round(10 + 1200 * november_days / year_days, 2)
    assert november["month"] == "2026-11" and november["budget_eur"] == pytest.approx(november_budget)
    assert november["actual_eur"] == 0.0 and november["planned_eur"] > 0
    assert before["year_budget_eur"] == 1210.0
    for ticket in route.ticket_ids[:1]:
        assert client.post(f"/plans/{plan_id}/visits/{ticket}/done", headers=ADMIN).status_code == 200
    after = client.get("/costs/budget", params=params, headers=ADMIN).json()["months"][0]
    travelled = plan_cost_table(problem, travelled_plan(plan, route.ticket_ids[:1]))
    assert after["actual_eur"] == pytest.approx(round(float(travelled["total_eur"].sum()), 2))
    assert after["actual_eur"] > 0 and after["remaining_eur"] == pytest.approx(
        november_budget - after["actual_eur"]
    )
    year = client.get("/costs/budget", params={"employer": employer, "year": 2026}, headers=ADMIN).json()
    assert [m["month"] for m in year["months"]] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert year["year_actual_eur"] == after["actual_eur"]
    spread = sum(m["budget_eur"] for m in year["months"]) - 10
    assert spread == pytest.approx(1200, abs=0.06)  # every euro of the year line in some month
    summer = {m["month"]: m["budget_eur"] for m in year["months"]}
    assert summer["2026-08"] == 0.0  # schools closed: no working day for field visits


def test_who_reads_actual_against_budget(client: TestClient, keys: dict[str, dict[str, str]]) -> None:
    client.post("/budgets", json=line(PARTNER_A, 100), headers=ADMIN)
    november = {"year": 2026, "month": 11}
    own = client.get("/costs/budget", params=november, headers=keys["partner_a"])
    assert own.status_code == 200 and own.json()["employer"] == PARTNER_A
    assert own.json()["months"][0]["budget_eur"] == 100.0
    other = client.get("/costs/budget", params={**november, "employer": PARTNER_B}, headers=keys["partner_a"])
    assert other.status_code == 404
    dispatcher = {
        employer: client.get(
            "/costs/budget", params={**november, "employer": employer}, headers=keys["dispatcher"]
        )
        for employer in (PARTNER_A, PARTNER_B)
    }
    assert dispatcher[PARTNER_A].status_code == 200 and dispatcher[PARTNER_B].status_code == 404
    assert client.get("/costs/budget", params=november, headers=keys["planner"]).status_code == 422
    planner = client.get("/costs/budget", params={**november, "employer": PARTNER_B}, headers=keys["planner"])
    assert planner.status_code == 200
    fairness = client.get("/costs/fairness", params={"month": "2026-11"}, headers=keys["partner_a"])
    assert fairness.status_code == 200 and fairness.json()["employer"] == PARTNER_A
    assert [t["technician_id"] for t in fairness.json()["technicians"]] == ["PA-TECH-1"]
    assert (
        client.get(
            "/costs/fairness", params={"month": "2026-11", "employer": PARTNER_B}, headers=keys["dispatcher"]
        )
    ).status_code == 404


def test_a_partner_over_http_alone_reads_its_routes_and_its_month_against_budget(
    client: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    """The plan spans both Directorates; partner A's key is scoped to Ioannina only."""
    partner = keys["partner_a"]
    assert (
        client.put("/tickets/K3/lock", json={"technician_id": "PA-TECH-1"}, headers=ADMIN).status_code == 200
    )
    response = client.post("/plans", json={"date": DAY, "time_limit_s": 1, "force": True}, headers=ADMIN)
    plan_id = response.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    assert client.post(f"/plans/{plan_id}/publish", headers=ADMIN).status_code == 200
    assert (
        client.post("/budgets", json=line(PARTNER_A, 250.0, note="Νοέμβριος"), headers=partner).status_code
        == 201
    )
    # its technician's route, and nobody else's
    plan = client.get(f"/plans/{plan_id}", headers=partner).json()
    assert [r["technician_id"] for r in plan["routes"]] == ["PA-TECH-1"]
    tickets = [t for s in plan["routes"][0]["stops"] if s["type"] == "visit" for t in s["ticket_ids"]]
    assert "K3" in tickets
    before = client.get("/costs/budget", params={"year": 2026, "month": 11}, headers=partner).json()
    assert before["employer"] == PARTNER_A and before["months"][0]["actual_eur"] == 0.0
    assert client.post(f"/plans/{plan_id}/visits/K3/done", headers=ADMIN).status_code == 200
    after = client.get("/costs/budget", params={"year": 2026, "month": 11}, headers=partner).json()
    november = after["months"][0]
    route_cost = client.get(f"/costs/plans/{plan_id}", params={"basis": "visited"}, headers=partner).json()
    assert november["budget_eur"] == 250.0
    assert november["actual_eur"] == route_cost["total"]["total_eur"] > 0
    assert november["remaining_eur"] == pytest.approx(250.0 - november["actual_eur"])
