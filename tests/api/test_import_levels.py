"""The ``level`` column of an import: the stored level is the file's, and the plan job's problem carries it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from .conftest import ADMIN, IOANNINA, wait_job

DAY = "2026-11-23"


def _with_levels(tiny: dict[str, Any], levels: dict[str, str]) -> dict[str, Any]:
    for ticket in tiny["tickets"]:
        if ticket["ticket_id"] in levels:
            ticket["level"] = levels[ticket["ticket_id"]]
    return tiny


def test_an_imported_level_is_the_stored_level_and_plans_follow_it(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    imported = client.post(
        "/import",
        json=_with_levels(tiny, {"K1": "third_level", "K2": "school", "K3": "on_site"}),
        headers=ADMIN,
    )
    assert imported.status_code == 200, imported.text
    levels = {t: client.get(f"/tickets/{t}/level", headers=ADMIN).json()["level"] for t in ("K1", "K2", "K3")}
    assert levels == {"K1": "third_level", "K2": "school", "K3": "on_site"}
    k1 = client.get("/tickets/K1", headers=ADMIN).json()
    assert (k1["remote"], k1["warranty"]) == (False, True)
    assert "level" not in (k1.get("extra") or {})

    # A move over the API after the import: the plan's problem carries the stored level.
    moved = client.post(
        "/tickets/K2/level",
        json={
            "level": "remote",
            "reason": "δεν λύθηκε στο σχολείο / not solved at the school",
            "at": "2026-11-20T12:00",
        },
        headers=ADMIN,
    )
    assert moved.status_code == 200, moved.text
    made = client.post(
        "/plans",
        json={"date": DAY, "time_limit_s": 1, "force": True, "directorates": [IOANNINA]},
        headers=ADMIN,
    )
    assert made.status_code == 202, made.text
    plan_id = made.json()["plan_id"]
    assert wait_job(client, plan_id)["status"] == "done"
    problem = client.get(f"/plans/{plan_id}/problem", headers=ADMIN).json()
    carried = {t["ticket_id"]: t.get("level") for t in problem["tickets"]}
    assert carried["K1"] == "third_level" and carried["K2"] == "remote" and carried["K3"] == "on_site"
    plan = client.get(f"/plans/{plan_id}", headers=ADMIN).json()
    assert "K1" in plan["vendor"] and "K2" in plan["remote"]
    assert client.get(f"/plans/{plan_id}/check", headers=ADMIN).json()["ok"]


def test_an_imported_level_that_contradicts_a_flag_is_refused_by_row_and_column(
    client: TestClient, tiny: dict[str, Any]
) -> None:
    document = _with_levels(tiny, {"K2": "on_site"})
    document["tickets"][1]["remote"] = True
    refused = client.post("/import", json=document, headers=ADMIN)
    assert refused.status_code == 422, refused.text
    found = [(i["file"], i["row"], i["column"]) for i in refused.json()["issues"]]
    assert found == [("problem.json:tickets", 2, "level")]
    assert client.get("/tickets/K2", headers=ADMIN).status_code == 404
