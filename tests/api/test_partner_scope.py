"""A partner reads its own technicians' routes, visits and costs in every plan, whatever Directorates
it spans; the rest stays masked."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, PARTNER_B_TECHNICIAN, make_key, wait_job

DAY = "2026-11-23"


def test_a_partner_reads_its_technicians_in_a_plan_of_several_directorates(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    # Partner A sees Ioannina only; the plan spans Ioannina and Arta.
    partner = make_key(client, "partner", [IOANNINA], PARTNER_A)
    spanning = client.post("/plans", json={"date": DAY, "time_limit_s": 1, "force": True}, headers=ADMIN)
    arta_only = client.post(
        "/plans", json={"date": DAY, "time_limit_s": 1, "force": True, "directorates": [ARTA]}, headers=ADMIN
    )
    plan_id, arta_id = spanning.json()["plan_id"], arta_only.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done" and wait_job(client, arta_id)["status"] == "done"
    assert client.get(f"/plans/{plan_id}/job", headers=ADMIN).json()["directorates"] == [ARTA, IOANNINA]

    listed = [p["plan_id"] for p in client.get("/plans", headers=partner).json()]
    assert plan_id in listed and arta_id not in listed
    assert client.get(f"/plans/{arta_id}", headers=partner).status_code == 404
    plan = client.get(f"/plans/{plan_id}", headers=partner)
    assert plan.status_code == 200, plan.text
    seen = plan.json()
    assert {r["technician_id"] for r in seen["routes"]} == {"PA-TECH-1"}
    assert (
        all("cost_eur" in r for r in seen["routes"])
        and seen["kpis"]["routes_shown"] == "own technicians only"
    )
    # Arta's tickets (K4, K5) and the other technicians are nowhere in what it reads.
    text = plan.text
    for marker in ("K4", "K5", "T1", "T3", PARTNER_B_TECHNICIAN):
        assert f'"{marker}"' not in text, marker
    visits = client.get(f"/plans/{plan_id}/visits", headers=partner).json()
    assert {v["technician_id"] for v in visits} <= {"PA-TECH-1"}
    assert client.get(f"/plans/{plan_id}/routes/PA-TECH-1.ics", headers=partner).status_code == 200
    assert client.get(f"/plans/{plan_id}/routes/T3.ics", headers=partner).status_code == 404
    # It reads; it does not run the day.
    assert client.post(f"/plans/{plan_id}/publish", headers=partner).status_code == 403
