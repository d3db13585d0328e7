"""Preventive visits in the service's plans: ``"preventive": true`` on POST /plans, and
publishing such a plan moves the visited schools' ``last_maintenance``."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from dromologio.dispatch.rules.preventive import PREFIX

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, make_key, wait_job

DAY = "2026-11-23"


def _with_preventive_care(tiny: dict[str, Any]) -> dict[str, Any]:
    """S1 overdue, S2 visited lately (not due), S3 never visited (due), S4 without care."""
    care = {
        "S1": {"maintenance_days": "90", "last_maintenance": "2026-06-01"},
        "S2": {"maintenance_days": "90", "last_maintenance": "2026-11-01"},
        "S3": {"maintenance_days": "120"},
    }
    for school in tiny["schools"]:
        school.update(care.get(school["school_id"], {}))
    return tiny


def _places(plan: dict[str, Any]) -> dict[str, list[str]]:
    places: dict[str, list[str]] = {}
    for route in plan["routes"]:
        for stop in route["stops"]:
            for ticket_id in stop.get("ticket_ids", []):
                places.setdefault(ticket_id, []).append("visit")
    for item in plan["unassigned"]:
        places.setdefault(item["ticket_id"], []).append(item["code"])
    return places


def _maintenance(client: TestClient, school_id: str) -> str | None:
    school = client.get(f"/schools/{school_id}", headers=ADMIN).json()
    value = school.get("last_maintenance", (school.get("extra") or {}).get("last_maintenance"))
    return None if value is None else str(value)


def test_a_plan_with_preventive_visits_and_its_publication(client: TestClient, tiny: dict[str, Any]) -> None:
    assert client.post("/import", json=_with_preventive_care(tiny), headers=ADMIN).status_code == 200
    dispatcher = make_key(client, "dispatcher", [IOANNINA, ARTA])
    own_dispatcher = make_key(client, "dispatcher", [IOANNINA])
    partner = make_key(client, "partner", [IOANNINA], PARTNER_A)
    planner = make_key(client, "planner")
    body = {"date": DAY, "time_limit_s": 1, "force": True, "preventive": True}

    # Who may plan with preventive visits (write): as any plan.
    assert client.post("/plans", json=body, headers=partner).status_code == 403
    outside = client.post("/plans", json={**body, "directorates": [ARTA]}, headers=own_dispatcher)
    assert outside.status_code == 403, outside.text
    typo = client.post("/plans", json={**body, "preventive": "often"}, headers=dispatcher)
    assert typo.status_code == 422 and "preventive" in typo.text, typo.text

    created = client.post("/plans", json=body, headers=dispatcher)
    assert created.status_code == 202, created.text
    plan_id = created.json()["plan_id"]
    assert wait_job(client, plan_id, dispatcher)["status"] == "done"
    plan = client.get(f"/plans/{plan_id}", headers=dispatcher).json()
    places = _places(plan)
    preventive = {t for t in places if t.startswith(PREFIX)}
    # Due: S1 (overdue since 2026-08-30) and S3 (never visited); S2 is not due, S4 has no care.
    assert preventive == {"PM-S1-2026-08-30", f"PM-S3-{DAY}"}, places
    assert all(len(places[t]) == 1 for t in preventive), places
    assert not {places[t][0] for t in preventive} & {"capacity", "not_worth"}
    check = client.get(f"/plans/{plan_id}/check", headers=dispatcher).json()
    assert check["ok"] is True, check

    # Who may read it: everyone who sees the plan; a partner sees its own routes only.
    for key in (ADMIN, dispatcher, planner):
        assert client.get(f"/plans/{plan_id}", headers=key).status_code == 200
    partner_view = client.get(f"/plans/{plan_id}", headers=partner)
    assert partner_view.status_code in (200, 404)

    # A planner plans with preventive visits too: a scenario, never published.
    scenario = client.post("/plans", json=body, headers=planner)
    assert scenario.status_code == 202, scenario.text
    scenario_id = scenario.json()["plan_id"]
    assert wait_job(client, scenario_id, planner)["status"] == "done"
    assert client.post(f"/plans/{scenario_id}/publish", headers=ADMIN).status_code == 409

    # Publishing moves last_maintenance of the schools visited for preventive care, only those.
    before = {s: _maintenance(client, s) for s in ("S1", "S2", "S3", "S4")}
    assert client.post(f"/plans/{plan_id}/publish", headers=planner).status_code == 403
    assert client.post(f"/plans/{plan_id}/publish", headers=dispatcher).status_code == 200
    visited = {t.split("-")[1] for t in preventive if places[t] == ["visit"]}
    assert visited, places  # a hardware technician had room for at least one
    after = {s: _maintenance(client, s) for s in ("S1", "S2", "S3", "S4")}
    for school_id in ("S1", "S2", "S3", "S4"):
        assert after[school_id] == (DAY if school_id in visited else before[school_id]), after
