"""POST /campaigns and its reads: what each role may plan and see, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from dromologio.models.calendar import WorkCalendar

from .conftest import ADMIN, ARTA, IOANNINA, PARTNER_A, make_key, tiny_problem, wait_for

START, END = "2026-11-23", "2026-11-27"


def _body(**changes: Any) -> dict[str, Any]:
    return {
        "school_ids": ["S1", "S2"],
        "start": START,
        "end": END,
        "skill": "network",
        "time_limit_s": 1,
    } | changes


def _finished(client: TestClient, campaign_id: str, key: dict[str, str] = ADMIN) -> dict[str, Any]:
    return wait_for(
        lambda: client.get(f"/campaigns/{campaign_id}", headers=key).json(),
        until=lambda job: job.get("status") in ("done", "failed"),
        timeout_s=180,
    )


def _imported(client: TestClient) -> None:
    assert client.post("/import", json=tiny_problem(), headers=ADMIN).status_code == 200


def test_a_campaign_runs_as_a_job_and_answers_its_progress_curve(client: TestClient) -> None:
    _imported(client)
    posted = client.post("/campaigns", json=_body(school_ids=["S1", "S2", "S3", "S4"]), headers=ADMIN)
    assert posted.status_code == 202, posted.text
    job = posted.json()
    assert posted.headers["location"] == f"/campaigns/{job['campaign_id']}"
    assert job["schools"] == 4 and job["status"] in ("queued", "running", "done")
    assert job["directorates"] == sorted([IOANNINA, ARTA])
    done = _finished(client, job["campaign_id"])
    assert done["status"] == "done", done
    assert done["teams_done"] == done["teams"] >= 1
    result = client.get(f"/campaigns/{job['campaign_id']}/result", headers=ADMIN).json()
    summary = result["summary"]
    assert summary["schools"] == 4 and summary["violations"] == 0
    assert summary["done"] + summary["left"] == 4 and summary["done"] >= 2
    working = WorkCalendar().between(date.fromisoformat(START), date.fromisoformat(END))
    assert [p["date"] for p in result["progress"]] == [d.isoformat() for d in working]
    assert result["progress"][-1]["cumulative"] == summary["done"] == done["schools_planned"]
    visited = [s for d in result["days"] for s in d["school_ids"]]
    assert sorted(visited + list(result["left"])) == ["S1", "S2", "S3", "S4"]
    assert [j["campaign_id"] for j in client.get("/campaigns", headers=ADMIN).json()] == [job["campaign_id"]]


def test_result_before_done_is_409_and_unknown_is_404(client: TestClient) -> None:
    _imported(client)
    job = client.post("/campaigns", json=_body(), headers=ADMIN).json()
    early = client.get(f"/campaigns/{job['campaign_id']}/result", headers=ADMIN)
    assert early.status_code in (200, 409)
    _finished(client, job["campaign_id"])
    assert client.get("/campaigns/nope", headers=ADMIN).status_code == 404
    assert client.get("/campaigns/nope/result", headers=ADMIN).status_code == 404


def test_bad_campaigns_are_refused_with_the_field(client: TestClient) -> None:
    _imported(client)
    backwards = client.post("/campaigns", json=_body(start=END, end=START), headers=ADMIN)
    assert backwards.status_code == 422 and "end" in backwards.text
    unknown = client.post("/campaigns", json=_body(school_ids=["S1", "S99"]), headers=ADMIN)
    assert unknown.status_code == 404 and "S99" in unknown.text
    no_team = client.post("/campaigns", json=_body(team_ids=["T77"]), headers=ADMIN)
    assert no_team.status_code == 404 and "T77" in no_team.text
    unskilled = client.post("/campaigns", json=_body(team_ids=["T1"], skill="hardware"), headers=ADMIN)
    assert unskilled.status_code == 422 and "hardware" in unskilled.text
    assert client.post("/campaigns", json=_body(school_ids=[]), headers=ADMIN).status_code == 422


def test_each_role_plans_and_reads_what_its_scope_allows(client: TestClient) -> None:
    _imported(client)
    dispatcher = make_key(client, "dispatcher", [IOANNINA])
    planner = make_key(client, "planner")
    partner = make_key(client, "partner", [IOANNINA], PARTNER_A)

    # Writes: the dispatcher plans its own Directorate's schools with its technicians only.
    own = client.post("/campaigns", json=_body(), headers=dispatcher)
    assert own.status_code == 202, own.text
    assert own.json()["directorates"] == [IOANNINA]
    assert (
        client.post("/campaigns", json=_body(school_ids=["S1", "S3"]), headers=dispatcher).status_code == 404
    )
    other_team = client.post("/campaigns", json=_body(team_ids=["T3"]), headers=dispatcher)
    assert other_team.status_code == 404 and "T3" in other_team.text
    assert client.post("/campaigns", json=_body(), headers=partner).status_code == 403
    arta = client.post("/campaigns", json=_body(school_ids=["S3", "S4"]), headers=planner)
    assert arta.status_code == 202, arta.text
    arta_id, own_id = arta.json()["campaign_id"], own.json()["campaign_id"]
    _finished(client, own_id)
    _finished(client, arta_id)

    # Reads: admin and planner see both; the dispatcher its own; the partner nothing.
    for key in (ADMIN, planner):
        assert {j["campaign_id"] for j in client.get("/campaigns", headers=key).json()} == {own_id, arta_id}
        assert client.get(f"/campaigns/{arta_id}/result", headers=key).status_code == 200
    listed = client.get("/campaigns", headers=dispatcher).json()
    assert [j["campaign_id"] for j in listed] == [own_id]
    assert client.get(f"/campaigns/{own_id}/result", headers=dispatcher).status_code == 200
    for path in (f"/campaigns/{arta_id}", f"/campaigns/{arta_id}/result"):
        answer = client.get(path, headers=dispatcher)
        assert answer.status_code == 404 and "S3" not in answer.text and ARTA not in answer.text
    for path in ("/campaigns", f"/campaigns/{own_id}", f"/campaigns/{own_id}/result"):
        assert client.get(path, headers=partner).status_code == 403
    result = client.get(f"/campaigns/{own_id}/result", headers=dispatcher).json()
    assert {d["technician_id"] for d in result["days"]} <= {"T1", "PA-TECH-1"}
