"""GET /schools/{id}/slots: the cheapest visit slots of the next working days, into the day's plan
in force; what each role may read."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .conftest import ADMIN, IOANNINA, PARTNER_A, make_key, wait_job

#: the next working days after Friday 2026-11-20 (the tests' today)
MONDAY = "2026-11-23"


@pytest.fixture
def published(client: TestClient, tiny: dict[str, Any]) -> dict[str, Any]:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    made = client.post(
        "/plans",
        json={"date": MONDAY, "time_limit_s": 1, "force": True, "directorates": [IOANNINA]},
        headers=ADMIN,
    )
    plan_id = made.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    assert client.post(f"/plans/{plan_id}/publish", headers=ADMIN).status_code == 200
    return {"plan_id": plan_id, "plan": client.get(f"/plans/{plan_id}", headers=ADMIN).json()}


def test_slots_of_the_next_working_days(client: TestClient, published: dict[str, Any]) -> None:
    answer = client.get("/schools/S2/slots?skill=network&minutes=30&days=3", headers=ADMIN)
    assert answer.status_code == 200, answer.text
    slots = answer.json()
    assert len(slots) == 3
    assert [s["day"] for s in sorted(slots, key=lambda s: s["day"])] == [MONDAY, "2026-11-24", "2026-11-25"]
    assert [s["added_eur"] for s in slots] == sorted(s["added_eur"] for s in slots)
    monday = next(s for s in slots if s["day"] == MONDAY)
    assert monday["plan_id"] == published["plan_id"]
    assert all(s["plan_id"] is None for s in slots if s["day"] != MONDAY)
    assert all(s["technician_id"] in ("T1", "PA-TECH-1") for s in slots)
    assert client.get("/schools/S2/slots?skill=plumbing", headers=ADMIN).status_code == 422
    assert client.get("/schools/S2/slots?skill=network&days=0", headers=ADMIN).status_code == 422


def test_each_role_reads_slots_in_its_scope(client: TestClient, published: dict[str, Any]) -> None:
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    partner = make_key(client, "partner", [IOANNINA], PARTNER_A)
    planner = make_key(client, "planner")
    path = "/schools/S1/slots?skill=network&minutes=30&days=2"
    assert client.get(path, headers=dispatcher).status_code == 200
    assert client.get(path, headers=planner).status_code == 200
    mine = client.get(path, headers=partner).json()
    assert mine and {s["technician_id"] for s in mine} == {"PA-TECH-1"}
    for key in (dispatcher, partner):
        assert client.get("/schools/S3/slots?skill=network", headers=key).status_code == 404
    assert client.get("/schools/S3/slots?skill=network&days=1", headers=planner).json()[0][
        "technician_id"
    ] in (
        "T3",
        "PB-TECH-9",
    )
    assert client.post(path, headers=dispatcher).status_code == 405
