"""The live day over HTTP: an urgent ticket re-plans from now, keeping what happened; locks commit."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from dromologio.models.checker import check_plan
from dromologio.models.readers import read_problem_dict

from .conftest import ADMIN, make_key, wait_job

DAY = "2026-11-23"


def _owner(plan: dict[str, Any]) -> dict[str, str]:
    return {
        t: r["technician_id"]
        for r in plan["routes"]
        for s in r["stops"]
        if s["type"] == "visit"
        for t in s["ticket_ids"]
    }


def test_an_urgent_ticket_replans_the_day_from_now(client: TestClient, tiny: dict[str, Any]) -> None:
    # T1 has two visits in Ioannina: S1 (K1, K2) and S2 (K3), both locked to T1 (locks commit).
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    for ticket_id in ("K1", "K3"):
        locked = client.put(f"/tickets/{ticket_id}/lock", json={"technician_id": "T1"}, headers=ADMIN)
        assert locked.status_code == 200, locked.text
    created = client.post("/plans", json={"date": DAY, "time_limit_s": 1, "force": True}, headers=ADMIN)
    assert created.status_code == 202, created.text
    plan_id = created.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    plan = client.get(f"/plans/{plan_id}", headers=ADMIN).json()
    owner = _owner(plan)
    assert owner["K1"] == "T1" and owner["K3"] == "T1", owner  # a lock commits
    t1 = next(r for r in plan["routes"] if r["technician_id"] == "T1")
    first, second = [s for s in t1["stops"] if s["type"] == "visit"][:2]
    dispatcher = make_key(client, "dispatcher", ["Δ.Π.Ε. Ιωαννίνων", "Δ.Π.Ε. Άρτας"])

    # T1 finished the first visit and started the second; then an urgent ticket at 09:40 (or later).
    for ticket_id in first["ticket_ids"]:
        done = client.post(
            f"/plans/{plan_id}/visits/{ticket_id}/done", json={"at": first["end"]}, headers=dispatcher
        )
        assert done.status_code == 200, done.text
    started = second["ticket_ids"][0]
    began = client.post(
        f"/plans/{plan_id}/visits/{started}/start", json={"at": second["start"]}, headers=dispatcher
    )
    assert began.status_code == 200, began.text
    now = max(f"{DAY}T09:40", second["start"])
    urgent = {
        "ticket": {
            "ticket_id": "K-URG",
            "school_id": "S2",
            "opened_at": now,
            "category": "Δίκτυο / network",
            "skill": "network",
            "service_minutes": 30,
        },
        "time_limit_s": 2,
        "now": now,
    }
    response = client.post(f"/plans/{plan_id}/urgent", json=urgent, headers=dispatcher)
    assert response.status_code == 202, response.text
    answer = response.json()
    assert answer["status"] == "done" and answer["check_ok"] is True, answer
    assert answer["now"][:16] == now
    job = wait_job(client, answer["plan_id"], dispatcher)
    assert job["status"] == "done" and job["parent_plan_id"] == plan_id

    replanned = client.get(f"/plans/{job['plan_id']}", headers=dispatcher).json()
    problem = read_problem_dict(client.get(f"/plans/{job['plan_id']}/problem", headers=dispatcher).json())
    assert check_plan(problem, replanned).ok
    assert client.get(f"/plans/{job['plan_id']}/check", headers=dispatcher).json()["ok"] is True
    after = _owner(replanned)
    # The started visit is kept with T1 at its actual start; the done ones are history.
    kept = next(s for r in replanned["routes"] for s in r["stops"] if started in s.get("ticket_ids", []))
    assert after[started] == "T1" and kept["start"] == second["start"]
    assert not set(first["ticket_ids"]) & set(after)
    # Nothing else starts before now.
    for route in replanned["routes"]:
        for stop in route["stops"]:
            if stop["type"] == "visit" and started not in stop["ticket_ids"]:
                assert stop["start"] >= now, (route["technician_id"], stop)
    assert "K-URG" in after or any(u["ticket_id"] == "K-URG" for u in replanned["unassigned"])
    # Nothing forces the other technicians' visits to move: none does.
    for ticket_id, technician_id in owner.items():
        if ticket_id in after and technician_id != "T1":
            assert after[ticket_id] == technician_id
    # No visit changes technician; one that cannot be done any more after now is unassigned, with its reason.
    assert all(not c["moved_in"] for c in answer["changes"]), answer["changes"]
    unassigned = {u["ticket_id"] for u in replanned["unassigned"]}
    assert all(set(c["moved_out"]) <= unassigned for c in answer["changes"]), answer["changes"]
    states = {
        v["ticket_id"]: v["state"]
        for v in client.get(f"/plans/{job['plan_id']}/visits", headers=dispatcher).json()
    }
    assert states[started] == "started"
