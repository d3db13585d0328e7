"""Publishing at a stated time: ``at`` is kept in the version history and the tickets' history,
never in the future; who may publish does not change."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, make_key, wait_job

DAY = "2026-11-23"
MORNING = f"{DAY}T07:30"


def _draft(client: TestClient) -> str:
    created = client.post("/plans", json={"date": DAY, "time_limit_s": 1, "force": True}, headers=ADMIN)
    assert created.status_code == 202, created.text
    plan_id = str(created.json()["plan_id"])
    assert wait_job(client, plan_id, ADMIN)["status"] == "done"
    return plan_id


def test_publish_at_the_morning_briefing(client: TestClient, tiny: dict[str, Any]) -> None:
    assert client.post("/import", json=tiny, headers=ADMIN).status_code == 200
    dispatcher = make_key(client, "dispatcher", [IOANNINA, ARTA])
    partner = make_key(client, "partner", [IOANNINA], PARTNER_A)
    planner = make_key(client, "planner")
    plan_id = _draft(client)
    body = {"at": MORNING}

    # Who may publish (write): an admin or a dispatcher of the plan's Directorates; everyone
    # who sees the plan may read its versions.
    assert client.post(f"/plans/{plan_id}/publish", json=body, headers=planner).status_code == 403
    assert client.post(f"/plans/{plan_id}/publish", json=body, headers=partner).status_code in (403, 404)
    future = (datetime.now() + timedelta(hours=2)).isoformat(timespec="minutes")
    refused = client.post(f"/plans/{plan_id}/publish", json={"at": future}, headers=dispatcher)
    assert refused.status_code == 422 and "body.at" in refused.text, refused.text
    typo = client.post(f"/plans/{plan_id}/publish", json={"when": MORNING}, headers=dispatcher)
    assert typo.status_code == 422, typo.text

    published = client.post(f"/plans/{plan_id}/publish", json=body, headers=dispatcher)
    assert published.status_code == 200, published.text
    for key in (ADMIN, dispatcher, planner, partner):
        versions = client.get(f"/plans/{plan_id}/versions", headers=key)
        assert versions.status_code == 200, versions.text
        (version,) = versions.json()
        assert version["published_at"].startswith(MORNING), version
    history = client.get("/tickets/K1", headers=ADMIN).json()["history"]
    events = [e for e in history if e.get("plan_id") == plan_id]
    assert events and all(str(e["at"]).startswith(MORNING) for e in events), events

    # Without a body it is published now, as before.
    second = _draft(client)
    assert client.post(f"/plans/{second}/publish", headers=dispatcher).status_code == 200
    latest = client.get(f"/plans/{second}/versions", headers=dispatcher).json()[-1]
    assert latest["version"] == 2 and not latest["published_at"].startswith(MORNING)
