"""The plan lifecycle over HTTP: draft → published → versions → closed, who may do each, and history."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, make_key, wait_job

DAY = "2026-11-23"


def _plan(client: TestClient, key: dict[str, str] = ADMIN, **extra: Any) -> str:
    body = {"date": DAY, "time_limit_s": 1, "force": True, **extra}
    created = client.post("/plans", json=body, headers=key)
    assert created.status_code == 202, created.text
    plan_id = str(created.json()["plan_id"])
    assert wait_job(client, plan_id, key)["status"] == "done"
    return plan_id


def _kinds(client: TestClient, ticket_id: str, plan_id: str) -> list[str]:
    history = client.get(f"/tickets/{ticket_id}", headers=ADMIN).json()["history"]
    return [e["kind"] for e in history if e.get("plan_id") == plan_id]


def test_publish_versions_and_close(client: TestClient, tiny: dict[str, Any]) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    dispatcher = make_key(client, "dispatcher", [IOANNINA, ARTA])
    ioannina_only = make_key(client, "dispatcher", [IOANNINA])
    partner = make_key(client, "partner", [IOANNINA], PARTNER_A)
    planner = make_key(client, "planner")
    first = _plan(client)
    job = client.get(f"/plans/{first}/job", headers=ADMIN).json()
    assert job["state"] == "draft" and job["version"] is None
    # A draft writes nothing into the tickets' history.
    assert all(not _kinds(client, t, first) for t in ("K1", "K2", "K3", "K4", "K5"))
    assert client.get(f"/days/{DAY}/plan", headers=ADMIN).status_code == 404

    # Who may publish: a dispatcher of every Directorate of the plan, or an admin.
    assert client.post(f"/plans/{first}/publish", headers=planner).status_code == 403
    assert client.post(f"/plans/{first}/publish", headers=partner).status_code in (403, 404)
    assert client.post(f"/plans/{first}/publish", headers=ioannina_only).status_code in (403, 404)
    published = client.post(f"/plans/{first}/publish", headers=dispatcher)
    assert published.status_code == 200, published.text
    assert published.json()["state"] == "published" and published.json()["version"] == 1
    assert client.post(f"/plans/{first}/publish", headers=dispatcher).status_code == 409
    # Now every ticket of the plan has its "planned" or "unassigned" event, once.
    for ticket_id in ("K1", "K2", "K3", "K4", "K5"):
        kinds = _kinds(client, ticket_id, first)
        assert len(kinds) == 1 and kinds[0] in ("planned", "unassigned"), (ticket_id, kinds)
    day = client.get(f"/days/{DAY}/plan", params={"directorate": IOANNINA}, headers=dispatcher)
    assert day.status_code == 200, day.text
    assert day.json()["plan_id"] == first and day.json()["version"] == 1
    assert client.get(f"/days/{DAY}/plan", headers=ioannina_only).status_code == 404

    # A second plan of the same day, published, supersedes the first as version 2.
    second = _plan(client, dispatcher)
    assert client.post(f"/plans/{second}/publish", headers=ADMIN).json()["version"] == 2
    assert client.get(f"/plans/{first}/job", headers=ADMIN).json()["state"] == "superseded"
    versions = client.get(f"/plans/{second}/versions", headers=dispatcher).json()
    assert [(v["plan_id"], v["version"], v["state"]) for v in versions] == [
        (first, 1, "superseded"),
        (second, 2, "published"),
    ]
    assert versions[1]["published_by"] and versions[1]["published_at"]
    assert client.get(f"/days/{DAY}/plan", headers=ADMIN).json()["plan_id"] == second
    listed = client.get("/plans", params={"state": "published"}, headers=ADMIN).json()
    assert [p["plan_id"] for p in listed] == [second]
    # The day's work runs on the version in force only.
    ticket = next(v["ticket_id"] for v in client.get(f"/plans/{first}/visits", headers=ADMIN).json())
    assert client.post(f"/plans/{first}/visits/{ticket}/start", headers=dispatcher).status_code == 409

    # Scenarios are never published.
    scenario = _plan(client, planner)
    assert client.post(f"/plans/{scenario}/publish", headers=ADMIN).status_code == 409
    assert all(not _kinds(client, t, scenario) for t in ("K1", "K2", "K3", "K4", "K5"))

    # The end of the day.
    assert client.post(f"/plans/{second}/close", headers=planner).status_code == 403
    assert client.post(f"/plans/{first}/close", headers=dispatcher).status_code == 409
    closed = client.post(f"/plans/{second}/close", headers=dispatcher)
    assert closed.status_code == 200 and closed.json()["state"] == "closed", closed.text
    assert client.get(f"/days/{DAY}/plan", headers=ADMIN).json()["state"] == "closed"
    ticket = next(v["ticket_id"] for v in client.get(f"/plans/{second}/visits", headers=ADMIN).json())
    assert client.post(f"/plans/{second}/visits/{ticket}/done", headers=dispatcher).status_code == 409


def test_an_urgent_replan_of_the_published_plan_is_its_next_version(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    dispatcher = make_key(client, "dispatcher", [IOANNINA, ARTA])
    first = _plan(client)
    assert client.post(f"/plans/{first}/publish", headers=dispatcher).status_code == 200
    before = client.get(f"/plans/{first}", headers=ADMIN).json()
    pinned = next(r for r in before["routes"] if r["technician_id"] == "T3")
    urgent = {
        "ticket": {
            "school_id": "S2",
            "category": "Δίκτυο / network",
            "skill": "network",
            "service_minutes": 30,
        },
        "time_limit_s": 1,
        "now": f"{DAY}T09:40",
        "pinned_technicians": ["T3"],
        "freeze_until": f"{DAY}T10:00",
    }
    answer = client.post(f"/plans/{first}/urgent", json=urgent, headers=dispatcher)
    assert answer.status_code == 202, answer.text
    replan = answer.json()
    assert replan["state"] == "published" and replan["version"] == 2 and replan["check_ok"] is True
    assert client.get(f"/plans/{first}/job", headers=ADMIN).json()["state"] == "superseded"
    after = client.get(f"/plans/{replan['plan_id']}", headers=ADMIN).json()
    # The pinned route is kept exactly as published.
    assert next(r for r in after["routes"] if r["technician_id"] == "T3")["stops"] == pinned["stops"]
    # Visits planned before the freeze stay where they were.
    for route in before["routes"]:
        for stop in route["stops"]:
            if stop["type"] == "visit" and stop["start"] < f"{DAY}T10:00":
                kept = next(r for r in after["routes"] if r["technician_id"] == route["technician_id"])
                assert any(s.get("ticket_ids") == stop["ticket_ids"] for s in kept["stops"]), stop
    versions = client.get(f"/plans/{first}/versions", headers=ADMIN).json()
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["parent_plan_id"] == first
    # The version records what changed, as the re-plan answered it.
    assert versions[1]["changes"] == replan["changes"]
    urgent_id = replan["label"].rsplit(" + ", 1)[1]
    served = {t for r in after["routes"] for s in r["stops"] for t in s.get("ticket_ids", [])}
    assert urgent_id in served or any(u["ticket_id"] == urgent_id for u in after["unassigned"])
    assert client.get(f"/days/{DAY}/plan", headers=ADMIN).json()["plan_id"] == replan["plan_id"]
    # The superseded version takes no more urgent tickets.
    assert client.post(f"/plans/{first}/urgent", json=urgent, headers=dispatcher).status_code == 409
    unknown = {**urgent, "pinned_technicians": ["NOBODY"]}
    refused = client.post(f"/plans/{replan['plan_id']}/urgent", json=unknown, headers=dispatcher)
    assert refused.status_code == 422 and "NOBODY" in refused.text


def test_a_plan_of_fewer_directorates_never_leaves_one_without_a_plan(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    both = _plan(client)
    assert client.post(f"/plans/{both}/publish", headers=ADMIN).status_code == 200
    ioannina = _plan(client, directorates=[IOANNINA])
    refused = client.post(f"/plans/{ioannina}/publish", headers=ADMIN)
    assert refused.status_code == 409, refused.text
    assert ARTA in refused.json()["detail"] and DAY in refused.json()["detail"]
    # Nothing changed: the plan of both Directorates stays in force for each of them.
    for directorate in (IOANNINA, ARTA):
        day = client.get(f"/days/{DAY}/plan", params={"directorate": directorate}, headers=ADMIN)
        assert day.json()["plan_id"] == both
    assert client.get(f"/plans/{ioannina}/job", headers=ADMIN).json()["state"] == "draft"
    # A plan of both Directorates replaces it.
    again = _plan(client)
    assert client.post(f"/plans/{again}/publish", headers=ADMIN).json()["version"] == 2
